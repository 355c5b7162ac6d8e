"""What a summary document says, in what order: the outline that Markdown, Word and
PDF draw (``*_document``), and the sheets that Excel writes (``*_sheets``).

A workshop summary opens with the masterplan parts (``masterplan_document``:
Tahap I analysis, programmes, roadmap, quick-win profiles, attendance, the
commitment sheet, participation), then its sessions' outlines, stage by stage,
one level deeper: the same building blocks, never a second copy of them.
"""

from __future__ import annotations

from typing import Any

from app.domain import roman
from app.exports import charts, masterplan_document, tables
from app.exports import masterplan_tables as parts
from app.exports import people_tables as people
from app.exports.model import Block, Heading, Paragraph, Table
from app.localtime import decimal

Summary = dict[str, Any]


def session_document(s: Summary) -> list[Block]:
    chapter = f"Hasil Rembuk Tahap {roman(s['stage']['number'])}"
    return [Heading(s["session"]["title"], 1, chapter=chapter), *session_body(s, level=1)]


def session_body(s: Summary, *, level: int, in_workshop: bool = False) -> list[Block]:
    """Everything below a session's title, whose heading is at ``level``."""
    section, sub = level + 1, level + 2
    blocks: list[Block] = [
        tables.session_facts(s, in_workshop=in_workshop),
        Heading("Peserta", section),
        Heading("Peserta menurut jenis organisasi", sub),
        tables.by_type(s),
        Heading("Peserta menurut organisasi", sub),
        tables.by_organization(s),
        Heading("Sepuluh gagasan teratas", section),
        tables.top_groups(s),
        Heading("Hasil per dimensi", section),
        Paragraph(_ranking_note(s)),
        tables.dimension_chart(s),
        charts.dimension_figure(s["dimension_chart"], subject=f"sesi {s['session']['title']}"),
    ]
    for dim in s["dimensions"]:
        count = sum(len(g["ideas"]) for g in dim["groups"])
        blocks += [Heading(f"{dim['name']} ({count})", sub), tables.dimension_groups(s, dim)]
    blocks += _later_stages(s, section, sub, in_workshop=in_workshop)
    blocks += [Heading("Daftar hadir", section), tables.attendance(s)]
    return blocks


def _later_stages(s: Summary, section: int, sub: int, *, in_workshop: bool) -> list[Block]:
    """A SWOT board's worksheet, the ratings, the signatures: where the session has
    them. In a workshop summary the masterplan parts show the SWOT worksheets and the
    signatures already (the "Keterangan" column still names each group's quadrant)."""
    blocks: list[Block] = []
    swot = [] if in_workshop else parts.session_swot(s)
    if swot:
        blocks.append(Heading("Analisis SWOT", section))
        for dim in swot:
            blocks += [Heading(dim["name"], sub), parts.swot_matrix(dim)]
    if "scores" in tables.plan_features(s):
        threshold = decimal(s["session"]["quick_win_threshold"], 1)
        blocks += [
            Heading("Penilaian dampak × kelayakan", section),
            Paragraph(
                f"Rata-rata penilaian peserta (1–5). Quick win: dampak dan kelayakan keduanya "
                f"sekurang-kurangnya {threshold}."
            ),
            parts.ratings(s),
            charts.matrix_figure(s),
        ]
    if s["commitments"] and not in_workshop:
        blocks += [Heading("Komitmen", section), people.session_signers(s)]
    return blocks


def _ranking_note(s: Summary) -> str:
    note = "Kelompok gagasan diurutkan menurut jumlah suara (dot voting) di setiap dimensi."
    if s["hidden_idea_count"]:
        note += (
            f" {s['hidden_idea_count']} gagasan disembunyikan oleh fasilitator dan tidak dimuat dalam ringkasan ini."
        )
    return note


def workshop_document(w: Summary) -> list[Block]:
    blocks: list[Block] = [
        Heading(w["workshop"]["title"], 1, chapter="Rekapitulasi Hasil Rembuk"),
        tables.workshop_facts(w),
        Heading("Ringkasan per sesi", 2),
        tables.sessions_overview(w),
        Heading("Rekap per dimensi (semua sesi)", 2),
        tables.dimension_chart(w),
        charts.dimension_figure(w["dimension_chart"], subject="semua sesi"),
        *masterplan_document.blocks(w["masterplan"], level=2),
    ]
    for stage in w["stages"]:
        blocks.append(Heading(stage["title"], 2))
        if not stage["sessions"]:
            blocks.append(Paragraph("Belum ada sesi pada tahap ini."))
        for s in stage["sessions"]:
            blocks += [Heading(s["session"]["title"], 3), *session_body(s, level=3, in_workshop=True)]
    return blocks


# A session's sheets after "Ringkasan", named as in a workshop's workbook, where each
# holds that table for every session.
SHEETS = (
    ("Peserta per jenis", tables.by_type),
    ("Peserta per organisasi", tables.by_organization),
    ("10 teratas", tables.top_groups),
    ("Rekap dimensi per sesi", tables.dimension_chart),
    ("Gagasan", tables.ideas),
    ("Daftar hadir", tables.attendance),
)


# Sheets only a session with that work has (a rated session, a signed commitment).
LATER_SHEETS = (
    ("Penilaian", parts.ratings, lambda s: "scores" in tables.plan_features(s)),
    ("Komitmen", people.session_signers_sheet, lambda s: bool(s["commitments"])),
)


def session_sheets(s: Summary) -> list[Table]:
    return [
        tables.facts_sheet(tables.session_facts(s)),
        *(build(s) for _name, build in SHEETS),
        *(build(s) for _name, build, applies in LATER_SHEETS if applies(s)),
    ]


def workshop_sheets(w: Summary) -> list[Table]:
    every = [s for stage in w["stages"] for s in stage["sessions"]]
    return [
        tables.facts_sheet(tables.workshop_facts(w)),
        *masterplan_document.sheets(w["masterplan"]),
        tables.sessions_overview(w),
        tables.dimension_chart(w),
        *(tables.per_session(w, build, name) for name, build in SHEETS),
        # (The signatures are the masterplan's "Komitmen" sheet already.)
        *(
            tables.per_session(w, build, name)
            for name, build, applies in LATER_SHEETS[:1]
            if any(applies(s) for s in every)
        ),
    ]
