"""The figures of a summary document, as data (``model.Figure``): the
impact × feasibility matrix and the ideas and votes per dimension, from the same
numbers as the tables beside them (and as the board). ``figures`` draws them,
only when a Word or PDF file is built.

Where there is nothing to draw, a sentence says so instead of an empty figure.
"""

from __future__ import annotations

from typing import Any

from app.domain import DIMENSION_CODES
from app.exports.masterplan_tables import rated_groups
from app.exports.model import DimensionBars, Figure, MatrixChart, MatrixDot, Paragraph, cell_text
from app.localtime import decimal

Summary = dict[str, Any]

LEGEND_ORDER = (*DIMENSION_CODES, "none")
NO_IDEAS = "Belum ada gagasan, sehingga belum ada grafik per dimensi."
NO_RATINGS = "Belum ada penilaian, sehingga belum ada matriks dampak × kelayakan."
# More dots than this and their numbers would cover each other: the figure shows
# the shapes, and the table beside it the numbers.
NUMBERED_DOTS = 60


def matrix_figure(s: Summary) -> Figure | Paragraph:
    """A session's rated groups at (feasibility, impact), numbered as in its ratings table."""
    rated = rated_groups(s)
    if not rated:
        return Paragraph(NO_RATINGS)
    threshold = s["session"]["quick_win_threshold"]
    dots = tuple(
        MatrixDot(n, g["dimension"] or "none", g["impact"], g["feasibility"], g["votes"])
        for n, (_name, g) in enumerate(rated, 1)
    )
    names = {g["dimension"] or "none": name for name, g in rated}
    legend = tuple((code, names[code]) for code in LEGEND_ORDER if code in names)
    numbered = len(dots) <= NUMBERED_DOTS
    how = (
        "Nomor titik sama dengan kolom No pada tabel penilaian; bentuk dan huruf menunjukkan dimensi"
        if numbered
        else "Bentuk titik menunjukkan dimensi (nomor dan angkanya ada pada tabel penilaian)"
    )
    caption = (
        f"Matriks dampak × kelayakan, {s['session']['title']}: {len(dots)} kelompok gagasan yang dinilai. "
        f"{how}; luas titik sebanding dengan jumlah suara. Kuadran quick win (diarsir): dampak dan kelayakan "
        f"keduanya sekurang-kurangnya {decimal(threshold, 1)}."
    )
    quick = [f"{n}. {g['title']}" for n, (_name, g) in enumerate(rated, 1) if g["quadrant"] == "quick_win"]
    description = (
        f"Matriks dampak × kelayakan: {len(dots)} kelompok gagasan; kelayakan mendatar, dampak tegak, "
        f"skala 1–5. Quick win ({len(quick)}): {'; '.join(quick) or 'tidak ada'}."
    )
    return Figure(MatrixChart(threshold, dots, legend, numbered), caption, description)


def dimension_figure(chart: list[dict[str, Any]], *, subject: str) -> Figure | Paragraph:
    """Ideas and votes per dimension (``summary["dimension_chart"]``, a session's or a
    workshop's). The six dimensions are always there, an empty one is a finding;
    "Belum dikategorikan" only when it holds something."""
    rows = tuple(
        (row["dimension"], row["name"], row["ideas"], row["votes"])
        for row in chart
        if row["dimension"] != "none" or row["ideas"] or row["votes"]
    )
    if not any(ideas for _code, _name, ideas, _votes in rows):
        return Paragraph(NO_IDEAS)
    caption = (
        f"Gagasan dan suara per dimensi, {subject}. Setiap panel memakai skalanya sendiri; "
        "jumlahnya tertulis di ujung batang."
    )
    description = "Gagasan dan suara per dimensi: " + "; ".join(
        f"{name} {cell_text(ideas)} gagasan, {cell_text(votes)} suara" for _code, name, ideas, votes in rows
    )
    return Figure(DimensionBars(rows), caption, description + ".")
