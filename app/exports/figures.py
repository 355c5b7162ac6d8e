"""Draws a summary's figures (``model.Figure``, built by ``charts``) as PNG images
with matplotlib, for the Word and PDF downloads.

- matplotlib is imported by the first figure drawn (``_mpl``), with the Agg canvas
  and never pyplot: ~0.5 s that a process pays on its first such document, not at
  start-up, not in the tests that build none.
- Every piece of text is set in the DejaVu Sans Condensed of ``fonts/``, given by
  file: the drawing is the same on every machine, whatever fonts it has, and
  matches the PDF's text.
- Readable in black and white: each dimension has its own marker shape and its
  letter in the marker and is named in full in the legend; the quick-win quadrant
  is hatched; the threshold lines are dashed; every bar carries its number. The
  board's colours (colour-blind safe) only help on a screen.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from app.exports.model import DimensionBars, Figure, MatrixChart, MatrixDot, cell_text
from app.services import summary_labels as labels

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {False: FONT_DIR / "DejaVuSansCondensed.ttf", True: FONT_DIR / "DejaVuSansCondensed-Bold.ttf"}
MISSING = "□"
WIDTH_CM = 16.0  # the text width of the Word page; the PDF places it at the same size
DPI = 200  # sharp on paper at that size (1,260 pixels wide), ~0.1 s per figure
CM = 1 / 2.54

# code: (fill, letter colour, marker). Fills are the board's (app.css); the shapes
# tell the dimensions apart where the colours print as greys.
DIMENSION_STYLE = {
    "governance": ("#0072b2", "#ffffff", "o"),
    "branding": ("#cc79a7", "#1b1f24", "s"),
    "economy": ("#e69f00", "#1b1f24", "^"),
    "living": ("#56b4e9", "#1b1f24", "D"),
    "society": ("#b85000", "#ffffff", "p"),
    "environment": ("#009e73", "#1b1f24", "h"),
    "none": ("#656d76", "#ffffff", "8"),
}
LETTERS = {"governance": "G", "branding": "B", "economy": "E", "living": "L", "society": "S", "environment": "V"}
DOT_MIN, DOT_MAX = 13.0, 26.0  # marker width in points: area grows with votes, as on the board
SCORE_LOW, SCORE_HIGH = 0.5, 5.5  # half a step beyond 1 and 5, so a dot on the edge stays whole


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    height_cm: float


def draw(figure: Figure) -> Image:
    """The figure as a PNG at ``WIDTH_CM`` wide."""
    return _drawn(figure.chart)


# One drawing at a time: matplotlib shares its font objects between figures, and two
# download threads setting text in one font at once would garble it.
_LOCK = threading.Lock()


@lru_cache(maxsize=32)
def _drawn(chart: MatrixChart | DimensionBars) -> Image:
    """Remembered by the chart's own numbers (~0.1 s each, ~150 KB): the Word and PDF
    downloads of one session, or a download repeated, draw it once."""
    with _LOCK:
        return _render(chart)


def _render(chart: MatrixChart | DimensionBars) -> Image:
    mpl = _mpl()
    fig = _matrix(mpl, chart) if isinstance(chart, MatrixChart) else _bars(mpl, chart)
    width, height = fig.get_size_inches()
    canvas = mpl.FigureCanvasAgg(fig)
    canvas.draw()
    # RGB without the alpha channel: a PDF would carry it as a second image.
    picture = mpl.PIL.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="PNG", dpi=(DPI, DPI), compress_level=1)  # 30 ms less than 6, 12 % larger
    return Image(out.getvalue(), width / CM, height / CM)


@dataclass(frozen=True)
class _Mpl:
    Figure: Any
    FigureCanvasAgg: Any
    Rectangle: Any
    Line2D: Any
    PathCollection: Any
    MarkerStyle: Any
    IdentityTransform: Any
    patheffects: Any
    PIL: Any
    fonts: dict[tuple[bool, float], Any]
    charmap: frozenset[int]

    def font(self, size: float, bold: bool = False) -> Any:
        key = (bold, size)
        if key not in self.fonts:
            from matplotlib.font_manager import FontProperties

            self.fonts[key] = FontProperties(fname=str(FONT_FILES[bold]), size=size)
        return self.fonts[key]

    def clean(self, text: str) -> str:
        """A character the font lacks (an emoji in a dimension's name) becomes "□", as in the PDF."""
        return "".join(c if ord(c) in self.charmap or c in " \n" else MISSING for c in text)


@cache
def _mpl() -> _Mpl:
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.ft2font import FT2Font
    from matplotlib.lines import Line2D
    from matplotlib.markers import MarkerStyle
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import IdentityTransform
    from PIL import Image as PIL

    charmap = frozenset(FT2Font(str(FONT_FILES[False])).get_charmap()) & frozenset(
        FT2Font(str(FONT_FILES[True])).get_charmap()
    )
    return _Mpl(
        MplFigure,
        FigureCanvasAgg,
        Rectangle,
        Line2D,
        PathCollection,
        MarkerStyle,
        IdentityTransform,
        patheffects,
        PIL,
        {},
        charmap,
    )


def _style_axes(mpl: _Mpl, ax: Any, size: float = 8) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(mpl.font(size))
        label.set_parse_math(False)
    ax.tick_params(colors="#1b1f24", length=3, width=0.6)


def _text(mpl: _Mpl, ax: Any, x: float, y: float, text: str, size: float, bold: bool = False, **kw: Any) -> Any:
    return ax.text(x, y, mpl.clean(text), fontproperties=mpl.font(size, bold), parse_math=False, **kw)


# --- impact × feasibility -----------------------------------------------------------------------


def _matrix(mpl: _Mpl, chart: MatrixChart) -> Any:
    legend_rows = (len(chart.legend) + 2) // 3
    height = 13.2 + 0.5 * legend_rows
    fig = mpl.Figure(figsize=(WIDTH_CM * CM, height * CM), dpi=DPI)
    bottom = (2.0 + 0.5 * legend_rows) / height
    ax = fig.add_axes((1.6 / WIDTH_CM, bottom, 1 - 2.0 / WIDTH_CM, 1 - bottom - 0.3 / height))
    ax.set_xlim(SCORE_LOW, SCORE_HIGH)
    ax.set_ylim(SCORE_LOW, SCORE_HIGH)
    ticks = [1, 2, 3, 4, 5]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_yticks(ticks, [str(t) for t in ticks])
    ax.grid(True, color="#c8c8c8", linewidth=0.5, linestyle=":")
    ax.set_axisbelow(True)
    _style_axes(mpl, ax, 8.5)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    t = chart.threshold
    ax.add_patch(
        mpl.Rectangle(
            (t, t), SCORE_HIGH - t, SCORE_HIGH - t, facecolor="#f0f0f0", edgecolor="#9a9a9a", hatch="//", linewidth=0
        )
    )
    ax.axvline(t, color="#1b1f24", linewidth=1.1, linestyle=(0, (5, 3)))
    ax.axhline(t, color="#1b1f24", linewidth=1.1, linestyle=(0, (5, 3)))
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}
    corners = (
        ("quick_win", SCORE_HIGH - 0.08, SCORE_HIGH - 0.08, "right", "top"),
        ("major_project", SCORE_LOW + 0.08, SCORE_HIGH - 0.08, "left", "top"),
        ("fill_in", SCORE_HIGH - 0.08, SCORE_LOW + 0.08, "right", "bottom"),
        ("low_priority", SCORE_LOW + 0.08, SCORE_LOW + 0.08, "left", "bottom"),
    )
    for code, x, y, ha, va in corners:
        name = labels.quadrant(code) or code
        _text(mpl, ax, x, y, name, 9 if code == "quick_win" else 8, code == "quick_win", ha=ha, va=va, bbox=box)
    ax.set_xlabel(
        "Kelayakan dalam satu tahun (rata-rata penilaian, 1–5) →", fontproperties=mpl.font(9, True), labelpad=4
    )
    ax.set_ylabel("Dampak bagi warga (rata-rata penilaian, 1–5) →", fontproperties=mpl.font(9, True), labelpad=4)
    _dots(mpl, ax, chart)
    handles = [
        mpl.Line2D(
            [],
            [],
            linestyle="none",
            marker=DIMENSION_STYLE.get(code, DIMENSION_STYLE["none"])[2],
            markersize=8,
            markerfacecolor=DIMENSION_STYLE.get(code, DIMENSION_STYLE["none"])[0],
            markeredgecolor="#1b1f24",
            markeredgewidth=0.6,
            label=mpl.clean(f"{LETTERS.get(code, '?')}  {name}"),
        )
        for code, name in chart.legend
    ]
    top_votes = max((d.votes for d in chart.dots), default=0)
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(1.2 / WIDTH_CM, 0.45 / height),
        ncol=3,
        frameon=False,
        prop=mpl.font(8),
        handletextpad=0.3,
        columnspacing=1.4,
    )
    fig.text(
        1 - 0.4 / WIDTH_CM,
        0.15 / height,
        f"Luas titik: jumlah suara (terbanyak {cell_text(top_votes)})",
        fontproperties=mpl.font(7.5),
        ha="right",
        va="bottom",
        color="#333333",
    )
    return fig


def _dots(mpl: _Mpl, ax: Any, chart: MatrixChart) -> None:
    """All dots as one collection (hundreds cost no more than ten), big ones first so a
    small one on top stays visible. Where dots share a spot, the top one shows its
    letter and one label names them all ("3, 7"); a crowded matrix
    (``chart.numbered`` false) shows shapes only, its table has the numbers."""
    top = max((d.votes for d in chart.dots), default=0)

    def width(d: MatrixDot) -> float:
        share = (d.votes / top) ** 0.5 if top > 0 and d.votes > 0 else 0.0
        return DOT_MIN + (DOT_MAX - DOT_MIN) * share

    dots = sorted(chart.dots, key=lambda d: (-width(d), d.number))
    styles = [DIMENSION_STYLE.get(d.dimension, DIMENSION_STYLE["none"]) for d in dots]
    shapes = {}
    for _fill, _ink, marker in styles:
        if marker not in shapes:
            style = mpl.MarkerStyle(marker)
            shapes[marker] = style.get_path().transformed(style.get_transform())
    collection = mpl.PathCollection(
        [shapes[marker] for _fill, _ink, marker in styles],
        sizes=[width(d) ** 2 for d in dots],
        offsets=[(d.feasibility, d.impact) for d in dots],
        offset_transform=ax.transData,
        facecolors=[fill for fill, _ink, _marker in styles],
        edgecolors="#1b1f24",
        linewidths=0.7,
        zorder=3,
    )
    collection.set_transform(mpl.IdentityTransform())  # the shapes in points, as a scatter's
    ax.add_collection(collection, autolim=False)
    if not chart.numbered:
        return
    spots: dict[tuple[float, float], list[tuple[MatrixDot, str]]] = {}
    for d, (_fill, ink, _marker) in zip(dots, styles, strict=True):
        spots.setdefault((d.feasibility, d.impact), []).append((d, ink))
    halo = [mpl.patheffects.withStroke(linewidth=2.2, foreground="white")]
    for (x, y), here in spots.items():
        uppermost, ink = here[-1]
        letter = LETTERS.get(uppermost.dimension, "?")
        _text(mpl, ax, x, y, letter, 6.5, True, color=ink, ha="center", va="center", zorder=4)
        numbers = sorted(d.number for d, _ink in here)
        label = ", ".join(map(str, numbers)) if len(numbers) <= 4 else f"{numbers[0]}, {numbers[1]} … {numbers[-1]}"
        offset = max(width(d) for d, _ink in here) * 0.38 + 1.5
        ax.annotate(
            label,
            (x, y),
            xytext=(offset, offset),
            textcoords="offset points",
            fontproperties=mpl.font(7.5, True),
            color="#000000",
            path_effects=halo,
            zorder=5,
            annotation_clip=False,
        )


# --- ideas and votes per dimension -----------------------------------------------------------


def _bars(mpl: _Mpl, chart: DimensionBars) -> Any:
    rows = chart.rows
    height = 1.5 + 0.8 * len(rows)
    fig = mpl.Figure(figsize=(WIDTH_CM * CM, height * CM), dpi=DPI)
    left, gap, right = 4.3 / WIDTH_CM, 0.9 / WIDTH_CM, 0.3 / WIDTH_CM
    panel = (1 - left - gap - right) / 2
    bottom, top = 0.25 / height, 0.75 / height
    positions = list(range(len(rows)))[::-1]  # the first row on top
    names = [mpl.clean(name) for _code, name, _ideas, _votes in rows]
    for n, title in enumerate(("Jumlah gagasan", "Jumlah suara")):
        ax = fig.add_axes((left + n * (panel + gap), bottom, panel, 1 - bottom - top))
        values = [ideas if n == 0 else votes for _code, _name, ideas, votes in rows]
        colours = [DIMENSION_STYLE.get(code, DIMENSION_STYLE["none"])[0] for code, *_rest in rows]
        ax.barh(
            positions,
            values,
            height=0.62,
            color=colours,
            edgecolor="#1b1f24",
            linewidth=0.6,
            hatch="///" if n else None,
        )
        most = max(values) or 1
        ax.set_xlim(0, most * 1.22)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_yticks(positions, names if n == 0 else [""] * len(rows))
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        ax.spines["left"].set_linewidth(0.8)
        _style_axes(mpl, ax, 8.5)
        ax.tick_params(axis="y", length=0, pad=5)
        for y, value in zip(positions, values, strict=True):
            _text(mpl, ax, value + most * 0.02, y, cell_text(value), 8.5, True, va="center", ha="left")
        _text(mpl, ax, 0, len(rows) - 0.4 + 0.15, title, 9, True, va="bottom", ha="left")
    return fig
