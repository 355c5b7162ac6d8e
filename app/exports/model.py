"""The neutral shape every document format renders: headings, paragraphs, facts
and tables (``document.py`` builds them from a summary; ``markdown``, ``word``
and ``pdf`` draw them; ``excel`` and CSV write the tables as sheets).

Cells hold plain text or numbers, never markup: each renderer makes them inert
in its own way (Markdown escapes, spreadsheets neutralise formulas, Word and PDF
show them literally).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


Block = Heading | Paragraph | Facts | Table | PageBreak


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


def page_widths(columns: tuple[Column, ...], page_width: float, min_width: Callable[[str], float]) -> list[float]:
    """Column widths across a page: in proportion to ``Column.width``, each wide
    enough for its header's longest word (``min_width(word)``), the widest column
    giving way. Otherwise "Peringkat" breaks into "Peringka/t" in a narrow column."""
    total = sum(c.width for c in columns)
    widths = [page_width * c.width / total for c in columns]
    widths = [
        max(w, max((min_width(word) for word in c.title.split()), default=0.0))
        for w, c in zip(widths, columns, strict=True)
    ]
    widest = widths.index(max(widths))
    widths[widest] -= sum(widths) - page_width
    return widths


def title_text(heading: Heading) -> str:
    return f"BAB — {heading.chapter}: {heading.text}" if heading.chapter else heading.text
