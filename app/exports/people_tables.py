"""The tables of who came, who signed and who spoke: attendance across the stages,
the "Lembar Komitmen Bersama", participation and coverage (``services.masterplan``
gathers them; every format draws them).
"""

from __future__ import annotations

from typing import Any

from app.domain import roman
from app.exports.model import Column, Row, Table, clock_of
from app.services.summary_labels import NO, YES

Part = dict[str, Any]

SIGNATURE = Column("Tanda tangan", 22, "tanda_tangan")  # left empty: signed on paper
TICK = "✓"


def _stage(number: int | None) -> str:
    return f"Tahap {roman(number)}" if number else ""


def _yes(flag: bool) -> str:
    return YES if flag else ""


# --- attendance ---------------------------------------------------------------------------------


def _stage_columns(att: Part, width: float) -> tuple[Column, ...]:
    return tuple(Column(_stage(n), width, f"tahap_{n}") for n in att["stage_numbers"])


def attendance_matrix(att: Part) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Nama", 24, "nama"),
        Column("Organisasi", 24, "organisasi"),
        Column("Jenis", 18, "jenis"),
        *_stage_columns(att, 8),
        Column("Semua tahap", 9, "semua_tahap"),
    )
    rows = [
        Row(
            (
                n,
                p["name"],
                p["organization"],
                p["organization_type_label"],
                *(TICK if number in p["stages"] else "" for number in att["stage_numbers"]),
                _yes(p["every_stage"]),
            )
        )
        for n, p in enumerate(att["people"], 1)
    ]
    return Table("Kehadiran", columns, rows, empty="Belum ada peserta.")


def attendance_per_stage(att: Part) -> Table:
    columns = (Column("Tahap", 40, "tahap"), Column("Hadir", 10, "hadir", numeric=True))
    return Table("Hadir per tahap", columns, [Row((s["title"], s["count"])) for s in att["stages"]])


def offices(att: Part) -> Table:
    """Who each office sent to each stage: continuity matters for the signing."""
    columns = (
        Column("Organisasi", 24, "organisasi"),
        *_stage_columns(att, 18),
        Column("Orang berbeda", 10, "orang_berbeda"),
    )
    rows = [
        Row(
            (
                o["organization"],
                *(", ".join(o["people_by_stage"].get(str(n), [])) for n in att["stage_numbers"]),
                YES if o["different_people"] else NO,
            )
        )
        for o in att["organizations"]
    ]
    return Table("Kehadiran per organisasi", columns, rows, empty="Belum ada peserta.")


# --- commitment ---------------------------------------------------------------------------------


def commitment_quick_wins(c: Part) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Quick win", 44, "quick_win"),
        Column("Dimensi", 18, "dimensi"),
        Column("Pemilik (OPD)", 22, "pemilik"),
        Column("Tahun", 10, "tahun"),
    )
    rows = [Row((n, q["title"], q["dimension_name"], q["owner"], q["years"])) for n, q in enumerate(c["quick_wins"], 1)]
    return Table("Quick win", columns, rows, empty="Belum ada quick win yang ditandai pada sesi ini.")


SIGNER_COLUMNS = (
    Column("No", 5, "no", numeric=True),
    Column("Nama", 22, "nama"),
    Column("Jabatan", 20, "jabatan"),
    Column("Organisasi", 20, "organisasi"),
    Column("Waktu", 15, "waktu"),
    SIGNATURE,
)


def signers(rows_in: list[Part], zone_of: Part, *, room_to_sign: bool = True) -> Table:
    """Who signed and when (in the zone of ``zone_of``, the summary or masterplan they
    come from), with an empty "Tanda tangan" cell three lines tall on paper (the
    sheet is printed and signed by hand); a spreadsheet keeps it empty."""
    blank = "\n\n" if room_to_sign else ""
    clock = clock_of(zone_of)
    rows = [
        Row((n, c["name"], c["position"], c["organization"], clock.stamp(c["signed_at"]), blank))
        for n, c in enumerate(rows_in, 1)
    ]
    return Table("Komitmen", SIGNER_COLUMNS, rows, empty="Belum ada yang menandatangani.")


def commitment_sheet(mp: Part) -> Table:
    columns = (Column("Tahap", 9, "tahap"), Column("Sesi", 24, "sesi"), *SIGNER_COLUMNS)
    rows = [
        Row((_stage(c["session"]["stage_number"]), c["session"]["title"], *signer.cells))
        for c in mp["commitments"]
        for signer in signers(c["signers"], mp, room_to_sign=False).rows
    ]
    return Table("Komitmen", columns, rows, empty="Belum ada yang menandatangani komitmen.")


# --- participation and coverage -----------------------------------------------------------------

COUNT_COLUMNS = (
    Column("Peserta", 9, "peserta", numeric=True),
    Column("Gagasan", 9, "gagasan", numeric=True),
    Column("Suara", 8, "suara", numeric=True),
    Column("Penilaian", 10, "penilaian", numeric=True),
)


def _counts(row: Part) -> tuple:
    return row["participants"], row["ideas"], row["votes"], row["ratings"]


def participation_by_type(part: Part) -> Table:
    columns = (Column("Jenis organisasi", 34, "jenis"), *COUNT_COLUMNS)
    return Table("Partisipasi", columns, [Row((r["label"], *_counts(r))) for r in part["by_type"]])


def participation_by_organization(part: Part) -> Table:
    columns = (Column("Organisasi", 30, "organisasi"), Column("Jenis", 20, "jenis"), *COUNT_COLUMNS)
    rows = [Row((r["organization"], r["organization_type_label"], *_counts(r))) for r in part["by_organization"]]
    return Table("Partisipasi per organisasi", columns, rows, empty="Belum ada peserta.")


def coverage(part: Part) -> Table:
    """Ideas per dimension (bold) and sub-element: a zero is a voice not heard yet."""
    columns = (
        Column("Dimensi", 24, "dimensi"),
        Column("Sub-elemen", 32, "sub_elemen"),
        Column("Gagasan", 9, "gagasan", numeric=True),
    )
    rows: list[Row] = []
    for d in part["coverage"]:
        rows.append(Row((d["name"], "", d["ideas"]), strong=True))
        rows += [Row(("", s["name"], s["ideas"])) for s in d["sub_elements"]]
        if d["without_sub_element"]:
            rows.append(Row(("", "(tanpa sub-elemen)", d["without_sub_element"])))
    return Table("Cakupan", columns, rows)


def session_signers(s: Part) -> Table:
    return signers(s["commitments"], s)


def session_signers_sheet(s: Part) -> Table:
    return signers(s["commitments"], s, room_to_sign=False)
