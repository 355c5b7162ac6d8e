"""The masterplan parts of a workshop download, in the order of the books: Tahap I
analysis (issues and SWOT per dimension), programmes per dimension, the roadmap,
one page per quick-win profile, attendance, the "Lembar Komitmen Bersama",
participation and coverage. ``blocks`` is the outline Word, PDF and Markdown draw;
``sheets`` the Excel sheets (one per part).
"""

from __future__ import annotations

from typing import Any

from app.domain import roman
from app.exports import masterplan_tables as parts
from app.exports import people_tables as people
from app.exports.model import Block, Heading, PageBreak, Paragraph, Table

Masterplan = dict[str, Any]

COMMITMENT_TEXT = (
    "Kami yang bertanda tangan di bawah ini menyatakan berkomitmen untuk mendukung dan melaksanakan "
    "quick win berikut sesuai dengan tugas dan kewenangan masing-masing."
)


def blocks(mp: Masterplan, *, level: int) -> list[Block]:
    """Every part, each a section at ``level``."""
    return [
        *_analysis(mp, level),
        *_programmes(mp, level),
        *_roadmap(mp, level),
        *_quick_wins(mp, level),
        *_attendance(mp, level),
        *_commitments(mp, level),
        *_participation(mp, level),
    ]


def sheets(mp: Masterplan) -> list[Table]:
    return [
        parts.issues_sheet(mp),
        parts.swot_sheet(mp),
        parts.programmes_sheet(mp),
        parts.roadmap_sheet(mp),
        parts.quick_wins_sheet(mp),
        parts.quick_win_ideas_sheet(mp),
        people.attendance_matrix(mp["attendance"]),
        people.offices(mp["attendance"]),
        people.commitment_sheet(mp),
        people.participation_by_type(mp["participation"]),
        people.participation_by_organization(mp["participation"]),
        people.coverage(mp["participation"]),
    ]


def _analysis(mp: Masterplan, level: int) -> list[Block]:
    analysis = mp["analysis"]
    sub, dim_level = level + 1, level + 2
    out: list[Block] = [Heading("Analisis Strategis (Tahap I)", level)]
    if not analysis["sessions"]:
        return out + [Paragraph("Belum ada sesi pada Tahap I.")]
    with_swot = bool(analysis["swot_by_dimension"])
    out += [
        Heading("Isu dan potensi per dimensi", sub),
        Paragraph(
            f"Kelompok gagasan dari sesi Tahap I ({', '.join(analysis['sessions'])}), diurutkan menurut jumlah suara."
        ),
    ]
    for dim in analysis["issues_by_dimension"]:
        if dim["code"] == "none" and not dim["issues"]:
            continue  # nothing uncategorised: no empty section for it
        out += [Heading(f"{dim['name']} ({len(dim['issues'])})", dim_level), parts.issues(dim, with_swot=with_swot)]
    out.append(Heading("Analisis SWOT per dimensi", sub))
    if not with_swot:
        return out + [Paragraph("Belum ada kelompok gagasan yang ditempatkan pada kuadran SWOT.")]
    for dim in analysis["swot_by_dimension"]:
        out += [Heading(dim["name"], dim_level), parts.swot_matrix(dim)]
    return out


def _programmes(mp: Masterplan, level: int) -> list[Block]:
    out: list[Block] = [Heading("Program per dimensi", level)]
    if not mp["roadmap"]["programmes"]:
        return out + [
            Paragraph(
                "Belum ada program: tetapkan horizon, pemilik dan sumber anggaran pada kelompok gagasan di konsol."
            )
        ]
    for dim in mp["programmes_by_dimension"]:
        if dim["programmes"] or dim["code"] != "none":
            out += [Heading(f"{dim['name']} ({len(dim['programmes'])})", level + 1), parts.programmes(dim)]
    return out


def _roadmap(mp: Masterplan, level: int) -> list[Block]:
    road = mp["roadmap"]
    return [
        Heading(f"Roadmap {road['start_year']}–{road['end_year']}", level),
        Paragraph(
            "Jangka pendek: 1 tahun; jangka menengah: hingga 5 tahun; jangka panjang: hingga 10 tahun, "
            f"dihitung dari {road['start_year']}. Program yang dibawa ke tahap berikutnya dicantumkan "
            "sekali, dengan rencana terakhirnya."
        ),
        parts.roadmap(mp),
    ]


def _quick_wins(mp: Masterplan, level: int) -> list[Block]:
    quick_wins = mp["quick_wins"]
    out: list[Block] = [Heading("Profil Quick Win", level)]
    if not quick_wins:
        return out + [Paragraph("Belum ada quick win: tandai kelompok gagasan sebagai quick win di konsol.")]
    out.append(Paragraph(f"{len(quick_wins)} quick win terpilih, satu profil per halaman."))
    for p in quick_wins:
        out += [
            PageBreak(),
            Heading(f"Quick Win {p['number']}: {p['title']}", level + 1),
            parts.quick_win_facts(p),
            Heading("Gagasan di dalamnya", level + 2),
            parts.quick_win_ideas(p),
        ]
    return out + [PageBreak()]


def _attendance(mp: Masterplan, level: int) -> list[Block]:
    att = mp["attendance"]
    every = att["every_stage_count"]
    changed = sum(1 for o in att["organizations"] if o["different_people"])
    return [
        Heading("Kehadiran per tahap", level),
        people.attendance_per_stage(att),
        Paragraph(
            f"{len(att['people'])} orang hadir; {every} di antaranya hadir di setiap tahap yang telah "
            f"berlangsung. {changed} organisasi mengirim orang yang berbeda ke tahap yang berbeda."
        ),
        Heading("Matriks kehadiran", level + 1),
        people.attendance_matrix(att),
        Heading("Kehadiran per organisasi", level + 1),
        people.offices(att),
    ]


def _commitments(mp: Masterplan, level: int) -> list[Block]:
    out: list[Block] = [Heading("Lembar Komitmen Bersama", level)]
    if not mp["commitments"]:
        return out + [Paragraph("Belum ada yang menandatangani komitmen.")]
    for c in mp["commitments"]:
        session = c["session"]
        out += [
            Heading(f"Tahap {roman(session['stage_number'])}: {session['title']}", level + 1),
            Paragraph(COMMITMENT_TEXT),
            Heading("Daftar quick win", level + 2),
            people.commitment_quick_wins(c),
            Heading(f"Penanda tangan ({len(c['signers'])})", level + 2),
            people.signers(c["signers"], mp),
        ]
    return out


def _participation(mp: Masterplan, level: int) -> list[Block]:
    part = mp["participation"]
    totals = part["totals"]
    return [
        Heading("Partisipasi dan cakupan", level),
        Paragraph(
            f"Seluruh sesi: {totals['participants']} kehadiran, {totals['ideas']} gagasan, "
            f"{totals['votes']} suara, {totals['ratings']} penilaian. Gagasan yang dibawa dari tahap "
            "sebelumnya tidak dihitung dua kali."
        ),
        Heading("Menurut jenis organisasi", level + 1),
        people.participation_by_type(part),
        Heading("Menurut organisasi", level + 1),
        people.participation_by_organization(part),
        Heading("Cakupan dimensi dan sub-elemen", level + 1),
        people.coverage(part),
    ]
