"""The tables of a summary, built once and drawn by every format (``model.Table``).

Each function takes a session summary (``services.summary.session_summary``) or,
where it says so, a workshop summary; labels are Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.exports.model import Column, Facts, Row, Table, long_date, roman, short_time

Summary = dict[str, Any]

NO_IDEAS = "Belum ada ide."
BULLET = "• "  # an idea under its group's row (never "-": a spreadsheet would read a formula)


def _count_table(name: str, label: str, rows: list[tuple[str, int]]) -> Table:
    columns = (Column(label, 40, "label"), Column("Jumlah", 10, "jumlah", numeric=True))
    return Table(name, columns, [Row((text, n)) for text, n in rows])


def by_type(s: Summary) -> Table:
    return _count_table(
        "Peserta per jenis", "Jenis organisasi", [(r["label"], r["count"]) for r in s["participants_by_type"]]
    )


def by_organization(s: Summary) -> Table:
    return _count_table(
        "Peserta per organisasi", "Organisasi", [(r["organization"], r["count"]) for r in s["participants_by_organization"]]
    )


def attendance(s: Summary) -> Table:
    columns = (
        Column("Nama", 28, "nama"),
        Column("Organisasi", 30, "organisasi"),
        Column("Jenis", 26, "jenis"),
        Column("Bergabung", 20, "bergabung"),
    )
    rows = [
        Row((p["name"], p["organization"], p["organization_type_label"], short_time(p["joined_at"])))
        for p in s["participants"]
    ]
    return Table("Daftar hadir", columns, rows, empty="Belum ada peserta.")


def top_groups(s: Summary) -> Table:
    columns = (
        Column("Peringkat", 10, "peringkat", numeric=True),
        Column("Kelompok gagasan", 60, "kelompok"),
        Column("Dimensi", 20, "dimensi"),
        Column("Gagasan", 9, "gagasan", numeric=True),
        Column("Suara", 8, "suara", numeric=True),
    )
    rows = [Row((g["rank"], g["title"], g["dimension_name"], g["idea_count"], g["votes"])) for g in s["top_groups"]]
    return Table("10 teratas", columns, rows, empty="Belum ada suara.")


def dimension_chart(s: Summary) -> Table:
    """Groups, ideas and votes per dimension (a session's or a whole workshop's)."""
    columns = (
        Column("Dimensi", 24, "dimensi"),
        Column("Kelompok", 10, "kelompok", numeric=True),
        Column("Gagasan", 10, "gagasan", numeric=True),
        Column("Suara", 10, "suara", numeric=True),
    )
    rows = [Row((r["name"], r["groups"], r["ideas"], r["votes"])) for r in s["dimension_chart"]]
    return Table("Rekap dimensi", columns, rows, chart="Suara per dimensi")


def _author_columns(s: Summary) -> tuple[Column, ...]:
    if s["anonymous_exports"]:
        return ()
    return (Column("Pengusul", 20, "pengusul"), Column("Organisasi", 24, "organisasi"))


def _author_cells(s: Summary, idea: dict[str, Any]) -> tuple:
    return () if s["anonymous_exports"] else (idea["author"], idea["organization"])


def dimension_groups(s: Summary, dimension: dict[str, Any]) -> Table:
    """A dimension's groups, most votes first. A group of one idea under its own text
    is one row; a merged or renamed group is a bold row with its ideas below."""
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Gagasan", 56, "gagasan"),
        Column("Sub-elemen", 22, "sub_elemen"),
        *_author_columns(s),
        Column("Suara", 7, "suara", numeric=True),
    )
    rows: list[Row] = []
    for g in dimension["groups"]:
        ideas = g["ideas"]
        if len(ideas) == 1 and g["title"] == ideas[0]["text"]:
            idea = ideas[0]
            rows.append(Row((g["rank_in_dimension"], idea["text"], idea["sub_element_name"], *_author_cells(s, idea), g["votes"])))
            continue
        blank = ("",) * len(_author_columns(s))
        rows.append(Row((g["rank_in_dimension"], f"{g['title']} ({len(ideas)} gagasan)", "", *blank, g["votes"]), strong=True))
        rows += [
            Row(("", BULLET + idea["text"], idea["sub_element_name"], *_author_cells(s, idea), "")) for idea in ideas
        ]
    return Table(dimension["name"][:31], columns, rows, empty=NO_IDEAS)


def ideas(s: Summary) -> Table:
    """One row per idea with its group and the group's votes: the CSV, and Excel's
    "Gagasan" sheet (a dimension column instead of a sheet per dimension, so the
    reader can filter and sort)."""
    author_columns = () if s["anonymous_exports"] else (
        Column("Pengusul", 20, "pengusul"),
        Column("Organisasi", 24, "organisasi"),
        Column("Jenis organisasi", 24, "jenis_organisasi"),
    )
    columns = (
        Column("ID", 7, "id", numeric=True),
        Column("Dimensi", 20, "dimensi"),
        Column("Peringkat", 10, "peringkat", numeric=True),
        Column("ID kelompok", 11, "kelompok_id", numeric=True),
        Column("Kelompok", 40, "kelompok"),
        Column("Suara kelompok", 14, "suara", numeric=True),
        Column("Gagasan", 60, "ide"),
        Column("Sub-elemen", 26, "sub_elemen"),
        *author_columns,
        Column("Waktu", 21, "waktu"),
    )
    rows = []
    for dim in s["dimensions"]:
        for g in dim["groups"]:
            for idea in g["ideas"]:
                author = () if s["anonymous_exports"] else (
                    idea["author"], idea["organization"], idea["organization_type_label"]
                )
                rows.append(Row((
                    idea["id"], dim["name"], g["rank_in_dimension"], g["id"], g["title"], g["votes"],
                    idea["text"], idea["sub_element_name"], *author, idea["created_at"],
                )))
    return Table("Gagasan", columns, rows, empty=NO_IDEAS)


def session_facts(s: Summary, *, in_workshop: bool = False) -> Facts:
    """The header of a session; inside a workshop summary the workshop's own lines
    (Bimtek, region, facilitator) are said once at the top instead."""
    workshop = s["workshop"]
    pairs: list[tuple[str, Any]] = []
    if not in_workshop:
        pairs += [("Bimtek", workshop["title"]), ("Daerah", workshop["region"]), ("Tahun", workshop["year"])]
    pairs += [
        ("Tahap", s["stage"]["title"]),
        ("Sesi", s["session"]["title"]),
        ("Pertanyaan", s["session"]["prompt"]),
        ("Tanggal", long_date(s["date"])),
    ]
    if not in_workshop:
        pairs.append(("Fasilitator", s["facilitator"]))
    pairs += [
        ("Peserta", s["participant_count"]),
        ("Gagasan", s["idea_count"]),
        ("Kelompok gagasan", s["group_count"]),
        ("Suara", f"{s['vote_count']} dari {s['voter_count']} pemberi suara"),
        ("Disembunyikan oleh fasilitator", f"{s['hidden_idea_count']} gagasan (tidak dimuat)"),
    ]
    if s["anonymous_exports"]:
        pairs.append(("Pengusul", "tidak dicantumkan (sesi anonim)"))
    if not in_workshop:
        pairs.append(("Dibuat", short_time(s["generated_at"])))
    return Facts(pairs)


def workshop_facts(w: Summary) -> Facts:
    workshop = w["workshop"]
    return Facts([
        ("Bimtek", workshop["title"]),
        ("Daerah", workshop["region"]),
        ("Tahun", workshop["year"]),
        ("Fasilitator", w["facilitator"]),
        ("Sesi", w["session_count"]),
        ("Kehadiran", f"{w['participant_count']} (dijumlah per sesi)"),
        ("Gagasan", w["idea_count"]),
        ("Suara", w["vote_count"]),
        ("Dibuat", short_time(w["generated_at"])),
    ])


def facts_sheet(facts: Facts) -> Table:
    columns = (Column("Butir", 30, "butir"), Column("Keterangan", 80, "keterangan"))
    return Table("Ringkasan", columns, [Row(pair) for pair in facts.pairs])


def stage_label(stage: dict[str, Any]) -> str:
    return f"Tahap {roman(stage['number'])}"


def sessions_overview(w: Summary) -> Table:
    """Workshop: one row per session, stage by stage."""
    columns = (
        Column("Tahap", 9, "tahap"),
        Column("Sesi", 30, "sesi"),
        Column("Tanggal", 18, "tanggal"),
        Column("Peserta", 9, "peserta", numeric=True),
        Column("Gagasan", 9, "gagasan", numeric=True),
        Column("Kelompok", 10, "kelompok", numeric=True),
        Column("Suara", 8, "suara", numeric=True),
    )
    rows = [
        Row((stage_label(stage), s["session"]["title"], long_date(s["date"]), s["participant_count"],
             s["idea_count"], s["group_count"], s["vote_count"]))
        for stage in w["stages"]
        for s in stage["sessions"]
    ]
    return Table("Sesi", columns, rows, empty="Belum ada sesi.")


def per_session(w: Summary, build: Callable[[Summary], Table], name: str) -> Table:
    """A session table for every session of a workshop in one sheet, with the stage
    and session in front of each row. Cells are matched by column key: a session
    with anonymous exports has no author columns, and leaves them empty here."""
    built = [(stage, s, build(s)) for stage in w["stages"] for s in stage["sessions"]]
    widest = max((table.columns for _stage, _s, table in built), key=len, default=())
    keys = [c.key for c in widest]
    rows = []
    for stage, s, table in built:
        for row in table.rows:
            cells = dict(zip((c.key for c in table.columns), row.cells))
            rows.append(Row((stage_label(stage), s["session"]["title"], *(cells.get(k, "") for k in keys)), row.strong))
    prefix = (Column("Tahap", 9, "tahap"), Column("Sesi", 26, "sesi"))
    return Table(name, prefix + widest, rows, empty=built[0][2].empty if built else "Belum ada sesi.")
