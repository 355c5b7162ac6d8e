"""The tables of a summary, built once and drawn by every format (``model.Table``).

Each function takes a session summary (``services.summary.session_summary``) or,
where it says so, a workshop summary; labels are Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import roman
from app.exports.model import Column, Facts, Row, Table, cell_text, clock_of
from app.services.summary_labels import YES, year_range

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
        "Peserta per organisasi",
        "Organisasi",
        [(r["organization"], r["count"]) for r in s["participants_by_organization"]],
    )


def attendance(s: Summary) -> Table:
    columns = (
        Column("Nama", 28, "nama"),
        Column("Organisasi", 30, "organisasi"),
        Column("Jenis", 26, "jenis"),
        Column("Bergabung", 20, "bergabung"),
    )
    clock = clock_of(s)
    rows = [
        Row((p["name"], p["organization"], p["organization_type_label"], clock.stamp(p["joined_at"])))
        for p in s["participants"]
    ]
    if s.get("attendance_withheld"):
        return Table(
            "Daftar hadir", columns, rows, empty="Tidak dimuat: sesi anonim, dibagikan lewat tautan baca saja."
        )
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


SCRIBE_MARK = "(dicatat notulis)"

# Ideas sent after the room session (before ``open_until``, between stages): the
# documents mark the idea's text, the idea tables (CSV, Excel) add a column, only for a
# session that has any.
LATE_MARK = " [susulan]"
LATE_COLUMN = Column("Susulan (setelah sesi)", 12, "susulan")


def _late(s: Summary) -> bool:
    return bool(s.get("after_session_count"))


def idea_text(idea: dict[str, Any]) -> str:
    """An idea's text in the documents, marked when the scribe typed it for someone
    without a phone (summaries written before the mark existed have no ``entered_by``)
    and when it was sent after the room session: "text (dicatat notulis) [susulan]"."""
    text = f"{idea['text']} {SCRIBE_MARK}" if idea.get("entered_by") else idea["text"]
    return text + (LATE_MARK if idea.get("after_session") else "")


def dimension_groups(s: Summary, dimension: dict[str, Any]) -> Table:
    """A dimension's groups, most votes first. A group of one idea under its own text
    is one row; a merged or renamed group is a bold row with its ideas below. Where
    a later stage said something about a group (SWOT quadrant, ratings, roadmap,
    lineage), a "Keterangan" column says it in a few words."""
    noted = bool(plan_features(s))
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Gagasan", 50 if noted else 56, "gagasan"),
        Column("Sub-elemen", 20 if noted else 22, "sub_elemen"),
        *_author_columns(s),
        *((Column("Keterangan", 30, "keterangan"),) if noted else ()),
        Column("Suara", 7, "suara", numeric=True),
    )
    rows: list[Row] = []
    for g in dimension["groups"]:
        ideas = g["ideas"]
        note = (group_notes(g),) if noted else ()
        if len(ideas) == 1 and g["title"] == ideas[0]["text"]:
            idea = ideas[0]
            rows.append(
                Row(
                    (
                        g["rank_in_dimension"],
                        idea_text(idea),
                        idea["sub_element_name"],
                        *_author_cells(s, idea),
                        *note,
                        g["votes"],
                    )
                )
            )
            continue
        blank = ("",) * len(_author_columns(s))
        rows.append(
            Row(
                (g["rank_in_dimension"], f"{g['title']} ({len(ideas)} gagasan)", "", *blank, *note, g["votes"]),
                strong=True,
            )
        )
        rows += [
            Row(
                (
                    "",
                    BULLET + idea_text(idea),
                    idea["sub_element_name"],
                    *_author_cells(s, idea),
                    *("",) * len(note),
                    "",
                )
            )
            for idea in ideas
        ]
    return Table(dimension["name"][:31], columns, rows, empty=NO_IDEAS)


# What the later stages add to a group, and the machine columns that carry it (the
# CSV and Excel's "Gagasan" sheet): only where a session has any of it.
PLAN_COLUMNS = {
    "swot": (Column("SWOT", 12, "swot"),),
    "scores": (
        Column("Dampak", 9, "dampak", numeric=True),
        Column("Kelayakan", 10, "kelayakan", numeric=True),
        Column("Penilai", 8, "penilai", numeric=True),
        Column("Kuadran", 16, "kuadran"),
    ),
    "roadmap": (
        Column("Horizon", 18, "horizon"),
        Column("Tahun", 11, "tahun"),
        Column("Pemilik (OPD)", 22, "pemilik"),
        Column("Sumber anggaran", 14, "sumber_anggaran"),
        Column("Quick win", 10, "quick_win"),
    ),
    "lineage": (Column("Asal", 30, "asal"),),
}


def plan_features(s: Summary) -> list[str]:
    """Which of PLAN_COLUMNS a session's groups need: none for a plain brainstorm and
    vote, whose groups have no SWOT quadrant, rating, roadmap or lineage."""
    groups = [g for dim in s["dimensions"] for g in dim["groups"]]
    found = {
        "swot": s.get("session", {}).get("layout") == "swot" or any(g.get("swot") for g in groups),
        "scores": any(g.get("raters") for g in groups),
        "roadmap": any(g.get(k) for g in groups for k in ("horizon", "owner", "budget_source", "quick_win")),
        "lineage": any(g.get("lineage") for g in groups),
    }
    return [key for key in PLAN_COLUMNS if found[key]]


def plan_cells(g: dict[str, Any], features: list[str]) -> tuple:
    cells = {
        "swot": lambda: (g["swot_name"],),
        "scores": lambda: (g["impact"], g["feasibility"], g["raters"] or None, g["quadrant_name"]),
        "roadmap": lambda: (
            g["horizon_name"],
            year_range(g["start_year"], g["end_year"]) or None,
            g["owner"],
            g["budget_source_name"],
            YES if g["quick_win"] else None,
        ),
        "lineage": lambda: (g["lineage_text"],),
    }
    return tuple(cell for key in features for cell in cells[key]())


def group_notes(g: dict[str, Any]) -> str:
    """A group's SWOT quadrant, ratings, plan and lineage in a few lines."""
    lines = []
    if g["swot_name"]:
        lines.append(g["swot_name"])
    if g["raters"]:
        lines.append(
            f"Dampak {cell_text(g['impact'])} · Kelayakan {cell_text(g['feasibility'])} "
            f"({g['raters']} penilai): {g['quadrant_name']}"
        )
    plan = [
        x
        for x in (g["horizon_name"], year_range(g["start_year"], g["end_year"]), g["owner"], g["budget_source_name"])
        if x
    ]
    if plan:
        lines.append(", ".join(plan))
    if g["quick_win"]:
        lines.append("Quick win terpilih")
    if g["lineage_text"]:
        lines.append(g["lineage_text"])
    # One line each in Word and PDF; the semicolons keep them apart where a cell is
    # one line (Markdown).
    return ";\n".join(lines)


def ideas(s: Summary) -> Table:
    """One row per idea with its group and the group's votes: the CSV, and Excel's
    "Gagasan" sheet (a dimension column instead of a sheet per dimension, so the
    reader can filter and sort)."""
    author_columns = (
        ()
        if s["anonymous_exports"]
        else (
            Column("Pengusul", 20, "pengusul"),
            Column("Organisasi", 24, "organisasi"),
            Column("Jenis organisasi", 24, "jenis_organisasi"),
        )
    )
    features = plan_features(s)
    columns = (
        Column("ID", 7, "id", numeric=True),
        Column("Dimensi", 20, "dimensi"),
        Column("Peringkat", 10, "peringkat", numeric=True),
        Column("ID kelompok", 11, "kelompok_id", numeric=True),
        Column("Kelompok", 40, "kelompok"),
        Column("Suara kelompok", 14, "suara", numeric=True),
        Column("Gagasan", 60, "ide"),
        Column("Setuju (+1)", 11, "setuju", numeric=True),
        Column("Sub-elemen", 26, "sub_elemen"),
        *author_columns,
        *(column for key in features for column in PLAN_COLUMNS[key]),
        # The UTC column stays as it was (programs read it, and it sorts as text); people
        # read the next one: the venue's time with its zone's name, as in every document.
        Column("Waktu (UTC)", 21, "waktu"),
        Column("Waktu setempat", 22, "waktu_setempat"),
        # Beside the others (programs read columns by position too): who typed it for
        # someone without a phone, empty when it came from the person's own phone.
        Column("Dicatat notulis", 20, "dicatat_oleh"),
        # Last, and only for a session with late ideas: ``dicatat_oleh`` keeps one place
        # in every file, ``susulan`` comes after it when there is one.
        *((LATE_COLUMN,) if _late(s) else ()),
    )
    clock = clock_of(s)
    rows = []
    for dim in s["dimensions"]:
        for g in dim["groups"]:
            for idea in g["ideas"]:
                author = (
                    ()
                    if s["anonymous_exports"]
                    else (idea["author"], idea["organization"], idea["organization_type_label"])
                )
                rows.append(
                    Row(
                        (
                            idea["id"],
                            dim["name"],
                            g["rank_in_dimension"],
                            g["id"],
                            g["title"],
                            g["votes"],
                            idea["text"],
                            idea["reactions"],
                            idea["sub_element_name"],
                            *author,
                            *plan_cells(g, features),
                            idea["created_at"],
                            clock.stamp(idea["created_at"]),
                            idea.get("entered_by") or "",
                            *(("ya" if idea.get("after_session") else "",) if _late(s) else ()),
                        )
                    )
                )
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
        ("Tanggal", clock_of(s).day(s["date"])),
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
    if _late(s):
        pairs.append(
            ("Gagasan susulan", f"{s['after_session_count']} gagasan dikirim setelah sesi, ditandai{LATE_MARK}")
        )
    if s["anonymous_exports"]:
        pairs.append(("Pengusul", "tidak dicantumkan (sesi anonim)"))
    if not in_workshop:
        pairs.append(("Dibuat", clock_of(s).stamp(s["generated_at"])))
    return Facts(pairs)


def workshop_facts(w: Summary) -> Facts:
    workshop = w["workshop"]
    return Facts(
        [
            ("Bimtek", workshop["title"]),
            ("Daerah", workshop["region"]),
            ("Tahun", workshop["year"]),
            ("Fasilitator", w["facilitator"]),
            ("Sesi", w["session_count"]),
            ("Kehadiran", f"{w['participant_count']} (dijumlah per sesi)"),
            ("Gagasan", w["idea_count"]),
            ("Suara", w["vote_count"]),
            *_masterplan_facts(w["masterplan"]),
            ("Dibuat", clock_of(w).stamp(w["generated_at"])),
        ]
    )


def _masterplan_facts(mp: Summary) -> list[tuple[str, Any]]:
    return [
        ("Program", len(mp["roadmap"]["programmes"])),
        ("Quick win", len(mp["quick_wins"])),
        (
            "Hadir di setiap tahap",
            f"{mp['attendance']['every_stage_count']} dari {len(mp['attendance']['people'])} orang",
        ),
        ("Penanda tangan komitmen", sum(len(c["signers"]) for c in mp["commitments"])),
    ]


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
        Row(
            (
                stage_label(stage),
                s["session"]["title"],
                clock_of(s).day(s["date"]),
                s["participant_count"],
                s["idea_count"],
                s["group_count"],
                s["vote_count"],
            )
        )
        for stage in w["stages"]
        for s in stage["sessions"]
    ]
    return Table("Sesi", columns, rows, empty="Belum ada sesi.")


def per_session(w: Summary, build: Callable[[Summary], Table], name: str) -> Table:
    """A session table for every session of a workshop in one sheet, with the stage
    and session in front of each row. Cells are matched by column key: a session
    with anonymous exports has no author columns, and leaves them empty here."""
    built = [(stage, s, build(s)) for stage in w["stages"] for s in stage["sessions"]]
    widest = _union_columns([table.columns for _stage, _s, table in built])
    keys = [c.key for c in widest]
    rows = []
    for stage, s, table in built:
        for row in table.rows:
            cells = dict(zip((c.key for c in table.columns), row.cells, strict=True))
            rows.append(Row((stage_label(stage), s["session"]["title"], *(cells.get(k, "") for k in keys)), row.strong))
    prefix = (Column("Tahap", 9, "tahap"), Column("Sesi", 26, "sesi"))
    return Table(name, prefix + widest, rows, empty=built[0][2].empty if built else "Belum ada sesi.")


def _union_columns(column_sets: list[tuple[Column, ...]]) -> tuple[Column, ...]:
    """Every column any session has, in the order of the widest, the others' extra
    columns where they stand in theirs (a SWOT session's "SWOT", a rated one's
    "Dampak" …): one sheet for sessions with different columns."""
    ordered = sorted(column_sets, key=len, reverse=True)
    out: list[Column] = list(ordered[0]) if ordered else []
    for columns in ordered[1:]:
        keys = [c.key for c in out]
        for index, column in enumerate(columns):
            if column.key in keys:
                continue
            # After the column that precedes it in its own table (or first).
            before = columns[index - 1].key if index else None
            at = keys.index(before) + 1 if before in keys else len(out)
            out.insert(at, column)
            keys.insert(at, column.key)
    return tuple(out)
