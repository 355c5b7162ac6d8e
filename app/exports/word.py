"""Word download (python-docx), shaped like a masterplan chapter: "BAB — Hasil
Rembuk Tahap I: <session>", numbered sections, tables whose header row repeats on
every page, figures with numbered captions ("Gambar 1. …"), page numbers in the
footer. Arial throughout, black headings.

Column widths are fixed in the file (``w:tblGrid``, each cell's ``w:tcW``, fixed
layout): Word and LibreOffice both honour them. They come from the real widths of
Arial Bold (``word_metrics``), so no header and no ordinary word of a cell has to
break inside itself.

Tables are written as WordprocessingML directly: python-docx's ``add_row`` and
``cell.text`` took 3.7 s for 2,800 rows; one parsed XML fragment takes 0.1 s.
Every piece of text is XML-escaped there, so what people typed stays literal text.
"""

from __future__ import annotations

import io
from html import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

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
from app.exports.safety import xml_text
from app.exports.word_metrics import text_width

FONT = "Arial"
PAGE_WIDTH_TWIPS = int((21.0 - 2 * 2.5) * 567)  # A4 minus 2.5 cm margins; 567 twips per cm
HEADER_FILL = "D9E2F3"
TABLE_FONT_HALF_POINTS = 18  # 9 pt
CELL_MARGIN_TWIPS = 108  # Word's default left and right cell margin (0.19 cm)
WORD_SLACK_TWIPS = 40  # a cell's borders and the office suite's rounding
FACT_COLUMNS = (Column("", 30), Column("", 80))


def render_docx(blocks: list[Block]) -> bytes:
    doc = Document()
    _setup(doc)
    numbers = outline_numbers(blocks)
    figure_number = figure_numbers(blocks)
    body_end = doc.element.body.sectPr  # tables go before the section properties
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            _heading(doc, block, numbers.get(index))
        elif isinstance(block, Paragraph):
            doc.add_paragraph(xml_text(block.text))
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Figure):
            _figure(doc, block, figure_number[index])
        elif isinstance(block, Facts):
            rows: list[tuple[tuple[Cell, ...], bool]] = [((label, value), False) for label, value in block.pairs]
            body_end.addprevious(parse_xml(_table_xml(FACT_COLUMNS, rows, header=False, label_column=True)))
        elif not block.rows:
            doc.add_paragraph().add_run(xml_text(block.empty)).italic = True
        else:
            rows = [(row.cells, row.strong) for row in block.rows]
            body_end.addprevious(parse_xml(_table_xml(block.columns, rows, header=True)))
            doc.add_paragraph()  # Word joins two tables that touch
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _figure(doc, figure: Figure, number: int) -> None:
    """The picture, centred and kept on the page of its caption below it; its
    description is the picture's alternative text (screen readers, Word's "Alt Text")."""
    image = figures.draw(figure)
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(image.png), width=Cm(image.width_cm), height=Cm(image.height_cm))
    for properties in run._r.iter(qn("wp:docPr")):
        properties.set("descr", xml_text(figure.description))
        properties.set("name", f"Gambar {number}")
    caption = doc.add_paragraph("Gambar ", style="Caption")
    for part in _sequence_field("Gambar", number):
        caption._p.append(part)
    caption.add_run(xml_text(f". {figure.caption}"))


def _sequence_field(name: str, number: int) -> list:
    """The figure's number as Word's SEQ field (its current value written in), so
    Word's "Insert Table of Figures" lists the captions (a masterplan book has a
    Daftar Gambar) and numbers them again where the text is pasted."""
    w = nsdecls("w")
    return [
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>'),
        parse_xml(f'<w:r {w}><w:instrText xml:space="preserve"> SEQ {name} \\* ARABIC </w:instrText></w:r>'),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>'),
        parse_xml(f"<w:r {w}><w:t>{number}</w:t></w:r>"),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def _heading(doc, block: Heading, number: str | None) -> None:
    if block.level == 1:
        doc.core_properties.title = xml_text(title_text(block))
        paragraph = doc.add_heading(xml_text(title_text(block)), level=1)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return
    doc.add_heading(xml_text(f"{number} {block.text}"), level=min(block.level, 9))


def _setup(doc) -> None:
    doc.core_properties.author = "Rembuk"
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    styles = doc.styles
    _font(styles["Normal"], size=10)
    for level in range(1, 10):
        _font(styles[f"Heading {level}"], size={1: 14, 2: 12, 3: 11}.get(level, 10), bold=True)
    _font(styles["Caption"], size=9, bold=False)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Halaman ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _font(style, *, size: int, bold: bool | None = None) -> None:
    """Arial in black: the template's headings use a theme font and colour, which
    would win over a plain font name unless the theme attributes go."""
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), FONT)


def _table_xml(
    columns: tuple[Column, ...], rows: list[tuple[tuple[Cell, ...], bool]], *, header: bool, label_column: bool = False
) -> str:
    """A whole table; ``rows`` are (cells, bold); ``label_column`` bolds the first column."""
    widths = [int(w) for w in page_widths(columns, PAGE_WIDTH_TWIPS, _bold_word_twips, [c for c, _ in rows])]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        (
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
        )
    ]
    if header:
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        out += [
            _cell_xml(c.title, w, bold=True, right=c.numeric, fill=HEADER_FILL)
            for c, w in zip(columns, widths, strict=True)
        ]
        out.append("</w:tr>")
    for cells, strong in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out += [
            _cell_xml(cell, w, bold=strong or (label_column and i == 0), right=c.numeric)
            for i, (cell, c, w) in enumerate(zip(cells, columns, widths, strict=True))
        ]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _bold_word_twips(word: str) -> float:
    """A word in bold Arial at the table's size, with the cell's margins: the
    narrowest its column can be without breaking it."""
    points = text_width(word) * TABLE_FONT_HALF_POINTS / 2 / 1000
    return points * 20 + 2 * CELL_MARGIN_TWIPS + WORD_SLACK_TWIPS


def _cell_xml(value: Cell, width: int, *, bold: bool, right: bool, fill: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    align = '<w:jc w:val="right"/>' if right else ""
    run_props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
    text = xml_text(cell_text(value))
    # A line break typed in a prompt is a <w:br/> in Word, not a character.
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line, quote=False)}</w:t>' for line in text.split("\n"))
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/>{align}</w:pPr>'
        f"<w:r>{run_props}{runs}</w:r></w:p></w:tc>"
    )
