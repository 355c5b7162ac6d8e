"""PDF download (fpdf2, pure Python) with an embedded DejaVu Sans Condensed, which
covers Indonesian text, em dashes and most symbols. A character the font lacks
(most emoji) becomes "□" instead of vanishing or failing the export.

Tables are laid out here rather than with fpdf2's ``table()``: its line breaking
re-measures the whole line for every character, which took 21 s for 2,800 rows;
measuring each word once takes 0.6 s. Tables run on over as many pages as they
need, the header row repeated on each; a row taller than a page is split.
Figures (``figures``) are PNG images at the width they have in Word, their
caption below them on the same page.
"""

from __future__ import annotations

import io
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from app.exports import figures
from app.exports.model import (
    Block,
    Cell,
    Column,
    Facts,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    cell_text,
    figure_numbers,
    outline_numbers,
    page_widths,
    title_text,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSansCondensed.ttf", "B": FONT_DIR / "DejaVuSansCondensed-Bold.ttf"}
FAMILY = "DejaVu"
MISSING = "□"
MARGIN = 18.0
BODY_PT = 9.0
TABLE_PT = 8.0
CAPTION_PT = 8.5
PAD = 1.2  # mm inside a cell
WORD_SLACK = 0.1  # mm: a column exactly a word's width would wrap it on a rounding error
HEADING_PT = {1: 14.0, 2: 12.0, 3: 10.5}
KEEP_WITH_NEXT = 14.0  # mm a heading wants below it on the same page
HEADER_FILL = (217, 226, 243)
STRONG_FILL = (242, 242, 242)
FACT_COLUMNS = (Column("", 30), Column("", 80))
MM_PER_PT = 25.4 / 72


def render_pdf(blocks: list[Block]) -> bytes:
    pdf = SummaryPdf()
    numbers = outline_numbers(blocks)
    figure_number = figure_numbers(blocks)
    pdf.add_page()
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            pdf.heading(block, numbers.get(index))
        elif isinstance(block, Paragraph):
            pdf.paragraph(block.text)
        elif isinstance(block, PageBreak):
            if pdf.get_y() > pdf.t_margin:  # not twice at the top of a fresh page
                pdf.add_page()
        elif isinstance(block, Figure):
            pdf.figure(block, figure_number[index])
        elif isinstance(block, Facts):
            pdf.draw_table(FACT_COLUMNS, [(pair, False) for pair in block.pairs], header=False)
        elif not block.rows:
            pdf.paragraph(block.empty, grey=True)
        else:
            pdf.draw_table(block.columns, [(row.cells, row.strong) for row in block.rows])
    return bytes(pdf.output())


@cache
def advances(path: Path) -> dict[int, float]:
    """Code point → advance width in thousandths of the font size, for every
    character the font draws (read once per process with fontTools)."""
    font = TTFont(str(path), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}


class _Glyphs(dict):
    """``str.translate`` table: characters the font has stay; marks and modifiers it
    lacks (a keycap, an emoji's skin tone) go; anything else becomes "□"."""

    def __init__(self, cmap: set[int]) -> None:
        super().__init__()
        self.cmap = cmap

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if code in self.cmap or char in "\n ":
            value = char
        elif unicodedata.category(char) in ("Mn", "Me", "Cf") or 0x1F3FB <= code <= 0x1F3FF:
            value = ""
        else:
            value = MISSING
        self[code] = value
        return value


class SummaryPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False, MARGIN)  # page breaks are decided here, row by row
        for style, path in FONT_FILES.items():
            self.add_font(FAMILY, style, str(path))
        self.set_creator("Rembuk")
        self.set_font(FAMILY, size=BODY_PT)
        self.widths = {style: advances(path) for style, path in FONT_FILES.items()}
        self.glyphs = _Glyphs(set(self.widths[""]) & set(self.widths["B"]))

    # --- text measuring ----------------------------------------------------------

    def clean(self, value: Cell) -> str:
        return cell_text(value).translate(self.glyphs)

    def width_of(self, text: str, style: str, size: float) -> float:
        widths = self.widths[style]
        return sum(widths[ord(c)] for c in text) * size * MM_PER_PT / 1000  # text went through clean()

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """Greedy word wrap; a word wider than the column is cut where it must be."""
        lines: list[str] = []
        space = self.width_of(" ", style, size)
        for paragraph in text.split("\n"):
            line, line_width = "", 0.0
            for word in paragraph.split(" "):
                word_width = self.width_of(word, style, size)
                while word_width > width:
                    if line:
                        lines.append(line)
                        line, line_width = "", 0.0
                    cut = self._fitting(word, width, style, size)
                    lines.append(word[:cut])
                    word = word[cut:]
                    word_width = self.width_of(word, style, size)
                if line and line_width + space + word_width > width:
                    lines.append(line)
                    line, line_width = word, word_width
                elif line:
                    line, line_width = f"{line} {word}", line_width + space + word_width
                else:
                    line, line_width = word, word_width
            lines.append(line)
        return lines

    def _fitting(self, word: str, width: float, style: str, size: float) -> int:
        total = 0.0
        for n, char in enumerate(word):
            total += self.width_of(char, style, size)
            if total > width:
                return max(n, 1)
        return len(word)

    # --- blocks ------------------------------------------------------------------

    def footer(self) -> None:
        self.set_font(FAMILY, size=7)
        self.set_text_color(110)
        label = f"Halaman {self.page_no()}"
        self.text(self.w - MARGIN - self.width_of(label, "", 7), self.h - MARGIN / 2, label)
        self.set_text_color(0)

    def room(self) -> float:
        return self.page_break_trigger - self.get_y()

    def heading(self, block: Heading, number: str | None) -> None:
        size = HEADING_PT.get(block.level, 9.5)
        text = self.clean(title_text(block) if block.level == 1 else f"{number} {block.text}")
        if block.level == 1:
            self.set_title(text)
        line_height = size * MM_PER_PT * 1.3
        lines = self.wrap(text, self.epw, "B", size)
        if self.room() < len(lines) * line_height + KEEP_WITH_NEXT:
            self.add_page()
        self.set_y(self.get_y() + (0 if self.get_y() <= self.t_margin else size * MM_PER_PT * 0.8))
        self._lines(lines, "B", size, line_height, centred=block.level == 1)
        self.set_y(self.get_y() + 1.5)

    def paragraph(self, text: str, *, grey: bool = False) -> None:
        line_height = BODY_PT * MM_PER_PT * 1.4
        if grey:
            self.set_text_color(100)
        self._lines(self.wrap(self.clean(text), self.epw, "", BODY_PT), "", BODY_PT, line_height)
        self.set_text_color(0)
        self.set_y(self.get_y() + 2)

    def figure(self, figure: Figure, number: int) -> None:
        """The drawing centred, at most the text's width, and its caption below it
        on the same page (a new page when the two do not fit)."""
        image = figures.draw(figure)
        width = min(self.epw, image.width_cm * 10)
        height = width * image.height_cm / image.width_cm
        line_height = CAPTION_PT * MM_PER_PT * 1.35
        caption = self.wrap(self.clean(f"Gambar {number}. {figure.caption}"), self.epw, "", CAPTION_PT)
        if self.room() < height + 1.5 + len(caption) * line_height and self.get_y() > self.t_margin:
            self.add_page()
        x = self.l_margin + (self.epw - width) / 2
        self.image(io.BytesIO(image.png), x=x, y=self.get_y(), w=width, h=height, alt_text=figure.description)
        self.set_y(self.get_y() + height + 1.5)
        self._lines(caption, "", CAPTION_PT, line_height)
        self.set_y(self.get_y() + 3)

    def _lines(self, lines: list[str], style: str, size: float, line_height: float, centred: bool = False) -> None:
        self.set_font(FAMILY, style, size)
        for line in lines:
            if self.room() < line_height:
                self.add_page()
            x = self.l_margin + ((self.epw - self.width_of(line, style, size)) / 2 if centred else 0)
            self.text(x, self.get_y() + line_height * 0.75, line)
            self.set_y(self.get_y() + line_height)

    def draw_table(
        self, columns: tuple[Column, ...], rows: list[tuple[tuple[Cell, ...], bool]], *, header: bool = True
    ) -> None:
        """Rows in order; a row that does not fit goes to the next page under a
        repeated header row (a group's bold row takes its first idea along); only
        a row taller than a whole page is split."""
        widths = page_widths(
            columns,
            self.epw,
            lambda word: self.width_of(self.clean(word), "B", TABLE_PT) + 2 * PAD + WORD_SLACK,
            [cells for cells, _strong in rows],
        )
        layout = _Layout(self, columns, widths, header)
        wrapped = [(layout.lines(cells, "B" if strong else ""), strong) for cells, strong in rows]
        heights = [layout.height(lines) for lines, _strong in wrapped] + [0.0]
        page_room = self.page_break_trigger - self.t_margin - layout.head_height
        for index, (lines, strong) in enumerate(wrapped):
            wanted = heights[index] + (heights[index + 1] if strong else 0.0)
            if index == 0:  # the header row with at least the first row (or three lines of it)
                if self.room() < layout.head_height + min(wanted, 3 * layout.line_height + 2 * PAD):
                    self.add_page()
                layout.draw_head()
            elif self.room() < wanted <= page_room:
                self.add_page()
                layout.draw_head()
            while True:
                fit = int((self.room() - 2 * PAD) / layout.line_height)
                if all(len(c) <= fit for c in lines):
                    layout.draw(lines, strong)
                    break
                if fit > 0:
                    layout.draw([c[:fit] for c in lines], strong)
                    lines = [c[fit:] for c in lines]
                self.add_page()
                layout.draw_head()
        self.set_y(self.get_y() + 4)


class _Layout:
    """One table's columns on the page: wraps cells and draws rows at the cursor."""

    def __init__(self, pdf: SummaryPdf, columns: tuple[Column, ...], widths: list[float], header: bool) -> None:
        self.pdf = pdf
        self.columns = columns
        self.widths = widths
        self.header = header  # without a header (facts), the first column is the bold label
        self.line_height = TABLE_PT * MM_PER_PT * 1.35
        self.head = self.lines([c.title for c in columns], "B") if header else None
        self.head_height = self.height(self.head) if self.head else 0.0

    def lines(self, cells, style: str) -> list[list[str]]:
        pdf = self.pdf
        return [
            pdf.wrap(pdf.clean(cell), width - 2 * PAD, "B" if self._label(i) else style, TABLE_PT)
            for i, (cell, width) in enumerate(zip(cells, self.widths, strict=True))
        ]

    def height(self, lines: list[list[str]]) -> float:
        return max(len(c) for c in lines) * self.line_height + 2 * PAD

    def _label(self, index: int) -> bool:
        return not self.header and index == 0

    def draw_head(self) -> None:
        if self.head:
            self._draw(self.head, "B", HEADER_FILL)

    def draw(self, lines: list[list[str]], strong: bool) -> None:
        self._draw(lines, "B" if strong else "", STRONG_FILL if strong else None)

    def _draw(self, lines: list[list[str]], style: str, fill: tuple[int, int, int] | None) -> None:
        pdf = self.pdf
        top = pdf.get_y()
        height = self.height(lines)
        pdf.set_draw_color(150)
        pdf.set_line_width(0.2)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.rect(pdf.l_margin, top, sum(self.widths), height, style="DF" if fill else "D")
        x = pdf.l_margin
        for i, (cell_lines, width, column) in enumerate(zip(lines, self.widths, self.columns, strict=True)):
            if i:
                pdf.line(x, top, x, top + height)
            cell_style = "B" if self._label(i) else style
            if pdf.font_style != cell_style or pdf.font_size_pt != TABLE_PT:
                pdf.set_font(FAMILY, cell_style, TABLE_PT)
            for n, line in enumerate(cell_lines):
                if line:  # fpdf2's text() is the costliest call here: none for an empty cell
                    offset = width - PAD - pdf.width_of(line, cell_style, TABLE_PT) if column.numeric else PAD
                    pdf.text(x + offset, top + PAD + (n + 0.75) * self.line_height, line)
            x += width
        pdf.set_y(top + height)
