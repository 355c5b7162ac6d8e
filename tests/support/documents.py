"""Open the downloads as their readers would: Excel sheets, Word blocks, PDF text."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader


def xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def sheet_dicts(rows: list[tuple]) -> list[dict]:
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def docx_blocks(content: bytes) -> list:
    """The body in order: a paragraph as its text, a table as a list of rows of cell texts."""
    doc = Document(io.BytesIO(content))
    paragraphs = {p._p: p.text for p in doc.paragraphs}
    tables = {t._tbl: [[c.text for c in row.cells] for row in t.rows] for t in doc.tables}
    return [
        paragraphs.get(el, tables.get(el)) for el in doc.element.body.iterchildren() if el in paragraphs or el in tables
    ]


def docx_text(content: bytes) -> str:
    parts = []
    for block in docx_blocks(content):
        parts += [block] if isinstance(block, str) else [" | ".join(row) for row in block]
    return "\n".join(parts)


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))
