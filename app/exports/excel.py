"""Excel download (openpyxl): one sheet per table, the header row frozen, columns
sized, and a bar chart of votes per dimension on "Rekap dimensi".

Written in write-only mode: rows stream into the file instead of living as cell
objects, which keeps a 2,000-idea session well under a second.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.exports.model import Cell, Table
from app.exports.safety import neutralise_cell, xml_text

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def render_workbook(sheets: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in sheets:
        sheet = workbook.create_sheet(_sheet_title(table.name, used))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.append([_header(sheet, column.title) for column in table.columns])
        if not table.rows:
            sheet.append([table.empty])
        for row in table.rows:
            sheet.append([_value(cell) for cell in row.cells])
        if table.chart and table.rows:
            sheet.add_chart(_bar_chart(sheet, table), f"{get_column_letter(len(table.columns) + 2)}2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, xml_text(title))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


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
