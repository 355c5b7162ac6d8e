"""What a summary document says, in what order: the outline that Markdown, Word and
PDF draw (``*_document``), and the sheets that Excel writes (``*_sheets``).

A workshop summary is its sessions' outlines, stage by stage, one level deeper:
the same building blocks, never a second copy of them.
"""

from __future__ import annotations

from typing import Any

from app.exports import tables
from app.exports.model import Block, Heading, Paragraph, Table, roman

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
    ]
    for dim in s["dimensions"]:
        count = sum(len(g["ideas"]) for g in dim["groups"])
        blocks += [Heading(f"{dim['name']} ({count})", sub), tables.dimension_groups(s, dim)]
    blocks += [Heading("Daftar hadir", section), tables.attendance(s)]
    return blocks


def _ranking_note(s: Summary) -> str:
    note = "Kelompok gagasan diurutkan menurut jumlah suara (dot voting) di setiap dimensi."
    if s["hidden_idea_count"]:
        note += (
            f" {s['hidden_idea_count']} gagasan disembunyikan oleh fasilitator dan tidak dimuat"
            " dalam ringkasan ini."
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


def session_sheets(s: Summary) -> list[Table]:
    return [tables.facts_sheet(tables.session_facts(s)), *(build(s) for _name, build in SHEETS)]


def workshop_sheets(w: Summary) -> list[Table]:
    return [
        tables.facts_sheet(tables.workshop_facts(w)),
        tables.sessions_overview(w),
        tables.dimension_chart(w),
        *(tables.per_session(w, build, name) for name, build in SHEETS),
    ]
