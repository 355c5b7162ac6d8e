"""Every download format: its media type and how it renders a session summary and
(where it makes sense) a workshop summary.

Markdown, Word and PDF draw the outline of ``document.*_document``; Excel writes the
tables of ``document.*_sheets``; CSV is the one-row-per-idea table; JSON is the
summary itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.exports import basic, document
from app.exports.model import Block, Table

Render = Callable[[dict[str, Any]], bytes]


@dataclass(frozen=True)
class Format:
    media_type: str
    session: Render
    workshop: Render | None  # None: one row per idea only makes sense for one session (CSV)


def outlined(media_type: str, render: Callable[[list[Block]], bytes]) -> Format:
    return Format(
        media_type,
        lambda s: render(document.session_document(s)),
        lambda w: render(document.workshop_document(w)),
    )


def sheeted(media_type: str, render: Callable[[list[Table]], bytes]) -> Format:
    return Format(
        media_type,
        lambda s: render(document.session_sheets(s)),
        lambda w: render(document.workshop_sheets(w)),
    )


def imported_on_use(module: str, name: str) -> Callable[[Any], bytes]:
    """``app.exports.<module>.<name>``, imported by the first download: openpyxl,
    python-docx and fpdf2 take ~0.3 s to import, which every process (each worker,
    each CLI command) paid at start-up though most never render a document."""

    def render(content: Any) -> bytes:
        renderer: Callable[[Any], bytes] = getattr(importlib.import_module(f"app.exports.{module}"), name)
        return renderer(content)

    return render


FORMATS: dict[str, Format] = {
    "md": outlined("text/markdown; charset=utf-8", basic.render_markdown),
    "csv": Format("text/csv; charset=utf-8", basic.to_csv, None),
    "json": Format("application/json", basic.to_json, basic.to_json),
    "xlsx": sheeted(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", imported_on_use("excel", "render_workbook")
    ),
    "docx": outlined(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        imported_on_use("word", "render_docx"),
    ),
    "pdf": outlined("application/pdf", imported_on_use("pdf", "render_pdf")),
}
SESSION_FORMATS = tuple(FORMATS)
WORKSHOP_FORMATS = tuple(ext for ext, f in FORMATS.items() if f.workshop is not None)
