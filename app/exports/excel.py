"""Excel download (openpyxl): one sheet per table, the header row frozen, columns
sized, and a bar chart of votes per dimension on "Rekap dimensi".

Every sheet prints on A4 as an office expects: one page wide (scaled down if it
must be, as many pages long as it needs), landscape when its columns are wider
than a portrait page, the header row repeated on every page. A column is as wide
as its content needs, up to its table's width for it; longer text wraps, and
its row is given the height of its lines (LibreOffice does not fit a row's
height to wrapped text when it opens a file, so the text ran into the next row).

Written in write-only mode: rows stream into the file instead of living as cell
objects, which keeps a 2,000-idea session well under a second.
"""

from __future__ import annotations

import io
import math
import re
from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.exports.model import Cell, Table
from app.exports.safety import neutralise_cell, xml_text

HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
# Column widths (in Excel's characters) that fit across A4 in portrait at 100 %, with
# the default margins; a wider sheet is turned to landscape, then scaled to fit.
PORTRAIT_WIDTH = 90
PAD = 2  # characters of a cell's padding
MIN_WIDTH = 6  # narrower looks cramped, whatever it holds
BOLD = 1.1  # a bold header letter against a plain one
LINE_POINTS = 15  # one line of Calibri 11, Excel's default row height
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def render_workbook(sheets: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    wrap: list[StyleArray] = []  # the wrapped cells' style, made once per workbook
    for table in sheets:
        sheet = workbook.create_sheet(_sheet_title(table.name, used))
        sheet.freeze_panes = "A2"
        widths = _widths(table)
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        _print_setup(sheet, sum(widths))
        header_lines = max(
            _lines(column.title, width, letter=BOLD) for column, width in zip(table.columns, widths, strict=True)
        )
        _height(sheet, 1, header_lines)
        sheet.append([_header(sheet, column.title) for column in table.columns])
        if not table.rows:
            sheet.append([table.empty])
        for number, row in enumerate(table.rows, 2):
            texts = [_text(cell) for cell in row.cells]
            lines = max((_lines(text, width) for text, width in zip(texts, widths, strict=True) if text), default=1)
            _height(sheet, number, lines)
            sheet.append(
                [_wrapped(sheet, cell, wrap) if lines > 1 and cell is not None else _value(cell) for cell in row.cells]
            )
        if table.chart and table.rows:
            sheet.add_chart(_bar_chart(sheet, table), f"{get_column_letter(len(table.columns) + 2)}2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(cell: Cell) -> str:
    """A text cell's text; numbers never wrap."""
    return cell if isinstance(cell, str) else ""


def _widths(table: Table) -> list[float]:
    """Each column as wide as its longest line, at least its header's longest word
    (headers wrap between words, never inside one) and ``MIN_WIDTH``, at most
    ``Column.width``."""
    out = []
    for index, column in enumerate(table.columns):
        header = max((len(word) for word in column.title.split()), default=0) * BOLD + PAD
        longest = max((len(line) for row in table.rows for line in str(row.cells[index] or "").split("\n")), default=0)
        out.append(round(max(MIN_WIDTH, header, min(column.width, longest + PAD)), 1))
    return out


def _lines(text: str, width: float, letter: float = 1.0) -> int:
    """About how many lines ``text`` takes in a column ``width`` characters wide
    (``letter``: a letter's width in characters, wider in bold)."""
    room = max(1.0, (width - PAD) / letter + 0.01)
    return sum(max(1, math.ceil(len(part) / room)) for part in text.split("\n"))


def _height(sheet, number: int, lines: int) -> None:
    if lines > 1:  # a one-line row keeps the default height
        sheet.row_dimensions[number].height = lines * LINE_POINTS


def _print_setup(sheet, width: float) -> None:
    """A4, fit to one page wide (``fitToHeight=0``: as many pages long as it takes),
    header row on every page. Set before the first row: a write-only sheet writes
    its properties with it."""
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def _header(sheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, xml_text(title))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT
    return cell


def _wrapped(sheet, cell: Cell, wrap: list[StyleArray]) -> WriteOnlyCell:
    """A cell of a row of several lines: wrapped, and at the top like its neighbours.
    The first one registers the style; the others copy its style array, as openpyxl
    does itself (assigning ``alignment`` hashes it again for every cell: a third of
    the workbook's time for 2,000 ideas)."""
    out = WriteOnlyCell(sheet, _value(cell))
    if wrap:
        out._style = copy(wrap[0])
    else:
        out.alignment = WRAP
        wrap.append(copy(out._style))
    return out


def _value(cell: Cell) -> Cell:
    """Text stays text: a formula someone typed is written with a leading apostrophe."""
    if isinstance(cell, str):
        return neutralise_cell(xml_text(cell))
    return cell


def _bar_chart(sheet, table: Table) -> BarChart:
    """The last column (votes) per first-column label (dimension)."""
    last_row = len(table.rows) + 1
    chart = BarChart()
    chart.type = "col"
    chart.title = table.chart
    chart.y_axis.title = table.columns[-1].title
    chart.x_axis.title = table.columns[0].title
    chart.legend = None
    chart.width, chart.height = 20, 10
    values = Reference(sheet, min_col=len(table.columns), min_row=1, max_row=last_row)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last_row))
    return chart


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_NAME_BAD.sub("-", name)[:31] or "Lembar"
    title, n = base, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title
