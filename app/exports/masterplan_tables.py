"""The tables of the masterplan's planning parts (``services.masterplan``: Tahap I
analysis, programmes, roadmap, quick-win profiles) and of the later stages' work
in a session (ratings, SWOT), built once and drawn by every format. A document
shows a part per dimension where the books do; a spreadsheet gets one flat sheet
per part, with the dimension as a column, so it can be filtered and sorted.
Who came, signed and spoke: ``people_tables``.
"""

from __future__ import annotations

from typing import Any

from app.domain import roman
from app.exports.model import Column, Facts, Row, Table
from app.services import summary_labels as labels
from app.services.summary_labels import YES

Summary = dict[str, Any]
Part = dict[str, Any]


def _stage(number: int | None) -> str:
    return f"Tahap {roman(number)}" if number else ""


def _yes(flag: bool) -> str:
    return YES if flag else ""


# --- Tahap I: issues and SWOT ------------------------------------------------------------------


def issues(dimension: Part, *, with_swot: bool) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Isu", 54, "isu"),
        Column("Sesi", 22, "sesi"),
        *((Column("SWOT", 12, "swot"),) if with_swot else ()),
        Column("Gagasan", 9, "gagasan", numeric=True),
        Column("Suara", 7, "suara", numeric=True),
    )
    rows = [
        Row(
            (
                r["rank"],
                r["title"],
                r["session_title"],
                *((r["swot_name"],) if with_swot else ()),
                r["idea_count"],
                r["votes"],
            )
        )
        for r in dimension["issues"]
    ]
    return Table(dimension["name"][:31], columns, rows, empty="Belum ada isu pada dimensi ini.")


def issues_sheet(mp: Part) -> Table:
    columns = (Column("Dimensi", 20, "dimensi"), *issues({"name": "", "issues": []}, with_swot=True).columns)
    rows = [
        Row((dim["name"], r["rank"], r["title"], r["session_title"], r["swot_name"], r["idea_count"], r["votes"]))
        for dim in mp["analysis"]["issues_by_dimension"]
        for r in dim["issues"]
    ]
    return Table("Analisis Tahap I", columns, rows, empty="Belum ada sesi pada Tahap I.")


def _swot_item(issue: Part) -> str:
    return f"{issue['title']} ({issue['votes']} suara)" if issue["votes"] else issue["title"]


def swot_matrix(dimension: Part) -> Table:
    """The "Kertas Kerja Analisis SWOT" of one dimension: a column per quadrant."""
    quadrants = dimension["quadrants"]
    columns = tuple(Column(q["name"], 25, q["code"]) for q in quadrants)
    depth = max((len(q["issues"]) for q in quadrants), default=0)
    rows = [
        Row(tuple(_swot_item(q["issues"][n]) if n < len(q["issues"]) else "" for q in quadrants)) for n in range(depth)
    ]
    return Table(f"SWOT {dimension['name']}"[:31], columns, rows)


def swot_sheet(mp: Part) -> Table:
    columns = (
        Column("Dimensi", 20, "dimensi"),
        Column("Kuadran", 12, "kuadran"),
        Column("No", 5, "no", numeric=True),
        Column("Isu", 54, "isu"),
        Column("Sesi", 22, "sesi"),
        Column("Suara", 7, "suara", numeric=True),
    )
    rows = [
        Row((dim["name"], q["name"], n, r["title"], r["session_title"], r["votes"]))
        for dim in mp["analysis"]["swot_by_dimension"]
        for q in dim["quadrants"]
        for n, r in enumerate(q["issues"], 1)
    ]
    return Table("SWOT", columns, rows, empty="Belum ada analisis SWOT pada Tahap I.")


# --- programmes and the roadmap ----------------------------------------------------------------


def programmes(dimension: Part) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Program", 40, "program"),
        Column("Sub-elemen", 18, "sub_elemen"),
        Column("Horizon", 17, "horizon"),
        Column("Pemilik (OPD)", 18, "pemilik"),
        Column("Sumber anggaran", 12, "sumber_anggaran"),
        Column("Quick win", 9, "quick_win"),
    )
    rows = [
        Row(
            (
                n,
                p["title"],
                p["sub_element_name"],
                p["horizon_name"],
                p["owner"],
                p["budget_source_name"],
                _yes(p["quick_win"]),
            )
        )
        for n, p in enumerate(dimension["programmes"], 1)
    ]
    return Table(dimension["name"][:31], columns, rows, empty="Belum ada program pada dimensi ini.")


def programmes_sheet(mp: Part) -> Table:
    columns = (
        Column("Dimensi", 20, "dimensi"),
        Column("Program", 44, "program"),
        Column("Sub-elemen", 22, "sub_elemen"),
        Column("Horizon", 22, "horizon"),
        Column("Pemilik (OPD)", 22, "pemilik"),
        Column("Sumber anggaran", 16, "sumber_anggaran"),
        Column("Quick win", 10, "quick_win"),
        Column("Tahap", 9, "tahap"),
        Column("Sesi", 24, "sesi"),
        Column("Suara", 7, "suara", numeric=True),
        Column("Asal", 40, "asal"),
    )
    rows = [
        Row(
            (
                p["dimension_name"],
                p["title"],
                p["sub_element_name"],
                p["horizon_name"],
                p["owner"],
                p["budget_source_name"],
                _yes(p["quick_win"]),
                _stage(p["stage_number"]),
                p["session_title"],
                p["votes"],
                p["lineage_text"],
            )
        )
        for p in mp["roadmap"]["programmes"]
    ]
    return Table("Program", columns, rows, empty="Belum ada program.")


ROADMAP_COLUMNS = (
    Column("No", 5, "no", numeric=True),
    Column("Program", 32, "program"),
    Column("Dimensi", 15, "dimensi"),
    Column("Pemilik (OPD)", 17, "pemilik"),
    Column("Horizon", 16, "horizon"),
    Column("Tahun", 14, "tahun"),  # "2026–2035" on one line in Word and PDF
    Column("Sumber anggaran", 12, "sumber_anggaran"),
    Column("Quick win", 9, "quick_win"),
)


def roadmap(mp: Part) -> Table:
    rows = [
        Row(
            (
                n,
                p["title"],
                p["dimension_name"],
                p["owner"],
                p["horizon_name"],
                p["years"],
                p["budget_source_name"],
                _yes(p["quick_win"]),
            )
        )
        for n, p in enumerate(mp["roadmap"]["programmes"], 1)
    ]
    return Table("Roadmap", ROADMAP_COLUMNS, rows, empty="Belum ada program dengan horizon.")


def roadmap_sheet(mp: Part) -> Table:
    """The roadmap table with first and last year as numbers and a column per year
    of the 10-year timeline, marked where the programme runs."""
    years = mp["roadmap"]["years"]
    columns = (
        *ROADMAP_COLUMNS[:5],
        Column("Mulai", 7, "mulai", numeric=True),
        Column("Selesai", 8, "selesai", numeric=True),
        *ROADMAP_COLUMNS[6:],
        *(Column(str(year), 6, str(year)) for year in years),
    )
    rows = []
    for n, p in enumerate(mp["roadmap"]["programmes"], 1):
        start, end = p["start_year"], p["end_year"]
        bar = tuple("■" if start is not None and start <= year <= end else "" for year in years)
        rows.append(
            Row(
                (
                    n,
                    p["title"],
                    p["dimension_name"],
                    p["owner"],
                    p["horizon_name"],
                    start,
                    end,
                    p["budget_source_name"],
                    _yes(p["quick_win"]),
                    *bar,
                )
            )
        )
    return Table("Roadmap", columns, rows, empty="Belum ada program dengan horizon.")


# --- quick-win profiles --------------------------------------------------------------------------


def _rating_place(p: Part) -> str:
    place = p["rated_in"]
    return f"{_stage(place['stage_number'])}, {place['session_title']}" if place else ""


def quick_win_facts(p: Part) -> Facts:
    raters = f"{p['raters']} orang ({_rating_place(p)})" if p["raters"] else "belum dinilai"
    return Facts(
        [
            ("Dimensi", p["dimension_name"]),
            ("Sub-elemen", p["sub_element_name"] or ""),
            ("Pemilik (OPD)", p["owner"] or ""),
            ("Horizon", p["horizon_name"] or ""),
            ("Tahun", p["years"]),
            ("Sumber anggaran", p["budget_source_name"] or ""),
            ("Dampak bagi warga (rata-rata 1–5)", p["impact"]),
            ("Kelayakan dalam satu tahun (rata-rata 1–5)", p["feasibility"]),
            ("Penilai", raters),
            ("Kuadran", p["quadrant_name"] or ""),
            ("Suara", _last_vote(p)),
            ("Asal-usul", p["lineage_text"] or "dibahas pertama kali di sesi ini"),
        ]
    )


def _last_vote(p: Part) -> str:
    vote = p["last_vote"]
    return f"{vote['votes']} ({_stage(vote['stage_number'])}, {vote['session_title']})"


def _named(ideas: list[Part]) -> bool:
    return any(i["author"] for i in ideas)


def quick_win_ideas(p: Part) -> Table:
    named = _named(p["ideas"])
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Gagasan", 56, "gagasan"),
        *((Column("Pengusul", 20, "pengusul"), Column("Organisasi", 22, "organisasi")) if named else ()),
        Column("Diusulkan di", 12, "asal"),
    )
    rows = [
        Row((n, i["text"], *((i["author"], i["organization"]) if named else ()), _stage(i["stage_number"])))
        for n, i in enumerate(p["ideas"], 1)
    ]
    return Table("Gagasan", columns, rows, empty="Tidak ada gagasan yang ditampilkan.")


def quick_wins_sheet(mp: Part) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Quick win", 40, "quick_win"),
        Column("Dimensi", 18, "dimensi"),
        Column("Sub-elemen", 22, "sub_elemen"),
        Column("Pemilik (OPD)", 22, "pemilik"),
        Column("Horizon", 20, "horizon"),
        Column("Tahun", 10, "tahun"),
        Column("Sumber anggaran", 14, "sumber_anggaran"),
        Column("Dampak", 9, "dampak", numeric=True),
        Column("Kelayakan", 10, "kelayakan", numeric=True),
        Column("Penilai", 8, "penilai", numeric=True),
        Column("Kuadran", 14, "kuadran"),
        Column("Suara", 7, "suara", numeric=True),
        Column("Suara di", 9, "suara_di"),
        Column("Asal-usul", 48, "asal"),
        Column("Gagasan", 9, "gagasan", numeric=True),
    )
    rows = [
        Row(
            (
                p["number"],
                p["title"],
                p["dimension_name"],
                p["sub_element_name"],
                p["owner"],
                p["horizon_name"],
                p["years"],
                p["budget_source_name"],
                p["impact"],
                p["feasibility"],
                p["raters"],
                p["quadrant_name"],
                p["last_vote"]["votes"],
                _stage(p["last_vote"]["stage_number"]),
                p["lineage_text"],
                len(p["ideas"]),
            )
        )
        for p in mp["quick_wins"]
    ]
    return Table("Quick Win", columns, rows, empty="Belum ada quick win.")


def quick_win_ideas_sheet(mp: Part) -> Table:
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Quick win", 36, "quick_win"),
        Column("Gagasan", 56, "gagasan"),
        Column("Pengusul", 20, "pengusul"),
        Column("Organisasi", 22, "organisasi"),
        Column("Diusulkan di", 12, "asal"),
    )
    rows = [
        Row((p["number"], p["title"], i["text"], i["author"], i["organization"], _stage(i["stage_number"])))
        for p in mp["quick_wins"]
        for i in p["ideas"]
    ]
    return Table("Gagasan Quick Win", columns, rows, empty="Belum ada quick win.")


# --- a session's own later-stage tables ------------------------------------------------------------


def rated_groups(s: Summary) -> list[tuple[str, dict[str, Any]]]:
    """A session's rated groups with their dimension's name, numbered as the board
    numbers its matrix (``services.matrix``): quick wins first, then by quadrant,
    the higher sum of the two means first, then the higher impact, then the older
    group. The ratings table and the matrix figure share these numbers."""
    order = {"quick_win": 0, "major_project": 1, "fill_in": 2, "low_priority": 3}
    return sorted(
        ((dim["name"], g) for dim in s["dimensions"] for g in dim["groups"] if g["raters"]),
        key=lambda item: (
            order.get(item[1]["quadrant"], 4),
            -(item[1]["impact"] + item[1]["feasibility"]),
            -item[1]["impact"],
            item[1]["id"],
        ),
    )


def ratings(s: Summary) -> Table:
    """A session's rated groups: the impact × feasibility matrix as a table,
    quick wins first."""
    columns = (
        Column("No", 5, "no", numeric=True),
        Column("Kelompok gagasan", 44, "kelompok"),
        Column("Dimensi", 18, "dimensi"),
        Column("Dampak", 9, "dampak", numeric=True),
        Column("Kelayakan", 10, "kelayakan", numeric=True),
        Column("Penilai", 8, "penilai", numeric=True),
        Column("Kuadran", 15, "kuadran"),
        Column("Suara", 7, "suara", numeric=True),
    )
    rows = [
        Row((n, g["title"], name, g["impact"], g["feasibility"], g["raters"], g["quadrant_name"], g["votes"]))
        for n, (name, g) in enumerate(rated_groups(s), 1)
    ]
    return Table("Penilaian", columns, rows, empty="Belum ada penilaian.")


def session_swot(s: Summary) -> list[Part]:
    """A SWOT session's groups as ``swot_matrix`` parts, one per dimension."""
    out = []
    for dim in s["dimensions"]:
        placed = [{"title": g["title"], "votes": g["votes"], "swot": g["swot"]} for g in dim["groups"] if g["swot"]]
        if placed:
            out.append(
                {
                    "name": dim["name"],
                    "quadrants": [
                        {"code": q, "name": labels.swot(q), "issues": [p for p in placed if p["swot"] == q]}
                        for q in labels.SWOT_ORDER
                    ],
                }
            )
    return out
