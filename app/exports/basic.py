"""Markdown, CSV and JSON downloads of a summary."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from app.exports import tables
from app.exports.model import Block, Cell, Facts, Figure, Heading, PageBreak, Paragraph, Table, cell_text
from app.exports.safety import neutralise_cell

# Only what would change the rendering inside a line (emphasis, code, links, strike,
# table cells) is backslash-escaped. Escaping every punctuation mark turned
# "Rp 1.000.000 (APBD)" into "Rp 1\.000\.000 \(APBD\)" for the readers who open the
# file as text and paste it into Word.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# "&" only where it would start an HTML entity: "&lt;" typed by someone stays "&lt;".
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# A trailing run of "#" would be eaten as a heading's closing sequence.
_MD_TRAILING_HASH = re.compile(r"(#+)$")


def md_escape(text: str | None) -> str:
    """Markdown and HTML both inert: a pasted idea must never become a link or a tag."""
    if not text:
        return ""
    text = " ".join(text.split("\n"))  # one line: table cells and list items
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_TRAILING_HASH.sub(lambda m: "\\#" * len(m.group(1)), text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(blocks: list[Block]) -> bytes:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {md_escape(block.text)}")
        elif isinstance(block, Paragraph):
            out.append(md_escape(block.text))
        elif isinstance(block, Facts):
            out.append(
                "\n".join(f"- **{md_escape(label)}:** {md_escape(_text(value))}" for label, value in block.pairs)
            )
        elif isinstance(block, PageBreak):
            out.append("---")
        elif isinstance(block, Figure):
            continue  # a drawing for Word and PDF: the table above it has the numbers
        else:
            out.append(_md_table(block))
    return ("\n\n".join(out) + "\n").encode("utf-8")


def _md_table(table: Table) -> str:
    if not table.rows:
        return f"_{md_escape(table.empty)}_"
    lines = [
        "| " + " | ".join(md_escape(c.title) for c in table.columns) + " |",
        "|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|",
    ]
    for row in table.rows:
        cells = [md_escape(_text(cell)) for cell in row.cells]
        if row.strong:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _text(value: Cell) -> str:
    return cell_text(value)


def to_json(summary: dict[str, Any]) -> bytes:
    return json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8")


def render_csv(table: Table) -> bytes:
    """UTF-8 with BOM so Excel shows Indonesian text right; formulas neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.key for c in table.columns])
    writer.writerows([neutralise_cell(cell) for cell in row.cells] for row in table.rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_csv(summary: dict[str, Any]) -> bytes:
    """One row per idea, with its group and the group's votes."""
    return render_csv(tables.ideas(summary))
