"""The neutral shape every document format renders: headings, paragraphs, facts,
tables and figures (``document.py`` builds them from a summary; ``markdown``,
``word`` and ``pdf`` draw them; ``excel`` and CSV write the tables as sheets).

Cells hold plain text or numbers, never markup: each renderer makes them inert
in its own way (Markdown escapes, spreadsheets neutralise formulas, Word and PDF
show them literally).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.localtime import Clock, decimal

Cell = str | int | float | None  # a float is a mean (impact, feasibility): "4,33" on paper


@dataclass(frozen=True)
class Column:
    title: str  # what people read (Word, PDF, Markdown, Excel)
    width: float  # in characters, as Excel counts; Word and PDF scale it to the page
    key: str = ""  # machine header for CSV
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    strong: bool = False  # a group's own row above its ideas


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name in Excel (at most 31 characters)
    columns: tuple[Column, ...]
    rows: list[Row]
    empty: str = "Tidak ada data."  # said instead of an empty table
    chart: str | None = None  # Excel: a bar chart of the last column, titled so


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = the document's title
    chapter: str | None = None  # Word/PDF title: "BAB — <chapter>: <text>"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Facts:
    """Label/value pairs: the header of a session or a workshop."""

    pairs: list[tuple[str, Cell]] = field(default_factory=list)


@dataclass(frozen=True)
class PageBreak:
    """A new page in Word and PDF (one quick-win profile per page, as in the books);
    nothing in Markdown beyond a rule, nothing in a spreadsheet."""


@dataclass(frozen=True)
class MatrixDot:
    """A rated group on the impact × feasibility matrix."""

    number: int  # its "No" in the ratings table beside the figure
    dimension: str  # code; "none" for uncategorised
    impact: float
    feasibility: float
    votes: int


@dataclass(frozen=True)
class MatrixChart:
    threshold: float  # both means at or above it: a quick win
    dots: tuple[MatrixDot, ...]
    legend: tuple[tuple[str, str], ...]  # (dimension code, name) of the dimensions that have a dot
    numbered: bool = True  # each dot's letter and number beside it (too many dots: shapes only)


@dataclass(frozen=True)
class DimensionBars:
    """Ideas and votes per dimension: (code, name, ideas, votes) per row."""

    rows: tuple[tuple[str, str, int, int], ...]


@dataclass(frozen=True)
class Figure:
    """A drawing in Word and PDF, numbered ("Gambar 1.") in its caption below it.
    Markdown and the spreadsheets leave it out: the table beside it has the numbers."""

    chart: MatrixChart | DimensionBars
    caption: str
    description: str  # what it shows, in words: Word's alternative text


Block = Heading | Paragraph | Facts | Table | PageBreak | Figure


def cell_text(value: Cell) -> str:
    """A cell as printed: a mean with two decimals and an Indonesian decimal comma
    (Excel keeps the number itself, so it can sort and compute)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return decimal(value, 2)
    return str(value)


def clock_of(summary: Mapping[str, Any]) -> Clock:
    """How a summary's documents write times and dates: in its venue's zone
    (``summary["timezone"]``), in Indonesian. ``clock.day(s["date"])`` gives
    "21 November 2026"; ``clock.stamp(iso)`` "21 Nov 2026 08.30 WIT" (minutes are
    enough on paper)."""
    return Clock.of(summary.get("timezone"))


def outline_numbers(blocks: list[Block]) -> dict[int, str]:
    """Section numbers for headings below the title ("1", "1.1", …), by block index:
    Word and PDF number their sections like a masterplan chapter."""
    counters: list[int] = []
    out: dict[int, str] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level > 1:
            depth = block.level - 1
            counters = counters[:depth] + [0] * (depth - len(counters))
            counters[depth - 1] += 1
            out[index] = ".".join(str(n) for n in counters)
    return out


def figure_numbers(blocks: list[Block]) -> dict[int, int]:
    """Figure numbers ("Gambar 1", "Gambar 2" …) by block index, in document order."""
    indexes = [index for index, block in enumerate(blocks) if isinstance(block, Figure)]
    return {index: number for number, index in enumerate(indexes, 1)}


def page_widths(
    columns: tuple[Column, ...],
    page_width: float,
    min_width: Callable[[str], float],
    rows: Sequence[Sequence[Cell]] = (),
    *,
    longest_share: float = 0.3,
) -> list[float]:
    """Column widths across a page: in proportion to ``Column.width``, each wide
    enough for the longest word of its header and of its cells (``min_width(word)``,
    a cell's word claiming at most ``longest_share`` of the page: a pasted link
    still breaks), the columns with room to spare giving way. Otherwise
    "Peringkat" breaks into "Peringka/t" in a narrow column. When even the headers'
    words cannot all fit, every column shrinks alike."""
    total = sum(c.width for c in columns)
    shares = [page_width * c.width / total for c in columns]
    headers = [max((min_width(word) for word in c.title.split()), default=0.0) for c in columns]
    needs = headers
    if rows:
        cap = page_width * longest_share
        words: list[set[str]] = [set() for _ in columns]
        for cells in rows:
            for found, cell in zip(words, cells, strict=True):
                if cell is not None and cell != "":
                    found.update(cell_text(cell).split())
        needs = [max(h, min(cap, max(map(min_width, w), default=0.0))) for h, w in zip(headers, words, strict=True)]
        if sum(needs) > page_width:
            needs = headers
    if sum(needs) > page_width:
        return [need * page_width / sum(needs) for need in needs]
    widths = [max(share, need) for share, need in zip(shares, needs, strict=True)]
    excess = sum(widths) - page_width
    spare = [width - need for width, need in zip(widths, needs, strict=True)]
    if excess > 0:
        widths = [width - excess * room / sum(spare) for width, room in zip(widths, spare, strict=True)]
    return widths


def title_text(heading: Heading) -> str:
    return f"BAB — {heading.chapter}: {heading.text}" if heading.chapter else heading.text
