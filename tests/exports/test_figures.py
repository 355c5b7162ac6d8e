"""The figures of the Word and PDF downloads: the impact × feasibility matrix and
the ideas and votes per dimension, with numbered captions, from the board's own
numbers; a sentence where there is nothing to draw; and matplotlib only loaded by
a document that draws one."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from app.exports import charts
from tests.exports.rooms import EMPTY_TITLE, FACILITATOR, IDEAS, TITLE, download, module_api, rated_room
from tests.support.documents import docx_blocks, pdf_pages
from tests.support.forms import login

GOVERNANCE_BLUE = (0, 114, 178)  # the board's colours, which the figure keeps on screen
ECONOMY_ORANGE = (230, 159, 0)


@pytest.fixture(scope="module")
def api(request, tmp_path_factory):
    with module_api(request, tmp_path_factory, "figures") as api:
        yield api


@pytest.fixture(scope="module")
def room(api):
    return rated_room(api)


@pytest.fixture(scope="module")
def files(api, room):
    """Every download the tests read, fetched once."""
    fac, sid, wid = room["fac"], room["session"]["id"], room["workshop"]["id"]
    paths = {
        "docx": f"/api/v1/sessions/{sid}/summary.docx",
        "pdf": f"/api/v1/sessions/{sid}/summary.pdf",
        "json": f"/api/v1/sessions/{sid}/summary.json",
        "md": f"/api/v1/sessions/{sid}/summary.md",
        "empty.docx": f"/api/v1/sessions/{room['empty']['id']}/summary.docx",
        "empty.pdf": f"/api/v1/sessions/{room['empty']['id']}/summary.pdf",
        "workshop.docx": f"/api/v1/workshops/{wid}/summary.docx",
        "workshop.pdf": f"/api/v1/workshops/{wid}/summary.pdf",
    }
    return {name: download(api, fac, path) for name, path in paths.items()}


def captions(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.style.name == "Caption"]


def docx_pictures(docx: bytes) -> list[Image.Image]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return [Image.open(io.BytesIO(z.read(n))).convert("RGB") for n in z.namelist() if n.startswith("word/media/")]


# --- Word --------------------------------------------------------------------------------------

def test_docx_has_the_dimension_chart_and_the_matrix_as_captioned_pictures(files):
    doc = Document(io.BytesIO(files["docx"]))
    assert len(doc.inline_shapes) == 2
    assert captions(files["docx"]) == [
        f"Gambar 1. Gagasan dan suara per dimensi, sesi {TITLE}. Setiap panel memakai skalanya sendiri; "
        "jumlahnya tertulis di ujung batang.",
        f"Gambar 2. Matriks dampak × kelayakan, {TITLE}: 7 kelompok gagasan yang dinilai. Nomor titik sama dengan "
        "kolom No pada tabel penilaian; bentuk dan huruf menunjukkan dimensi; luas titik sebanding dengan jumlah "
        "suara. Kuadran quick win (diarsir): dampak dan kelayakan keduanya sekurang-kurangnya 3,5.",
    ]
    # Each picture sits just above its caption, at the text's width, with a description for screen readers.
    blocks = docx_blocks(files["docx"])
    for caption in captions(files["docx"]):
        assert blocks[blocks.index(caption) - 1] == ""  # the picture's own paragraph
    assert all(round(shape.width.cm, 1) == 16.0 for shape in doc.inline_shapes)
    # Word's own caption numbers (SEQ fields): its "Table of Figures" lists them.
    assert doc.element.xml.count("SEQ Gambar") == 2
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', doc.element.xml)
    assert "Quick win (4): 1. Perizinan online terpadu; 2. Festival budaya Tabuik" in descriptions[1]
    assert "Smart Living 2 gagasan, 5 suara" in descriptions[0]
    # Real drawings, not blank images: dark lines and the dimensions' colours.
    for picture in docx_pictures(files["docx"]):
        assert picture.width >= 1200 and dark_share(picture) > 0.02


def test_the_matrix_numbers_are_the_boards_and_the_ratings_tables(api, room, files):
    """The board's dots (number, means, votes) are the figure's, and its "No" column
    names the same groups as the board's matrix table (a tie on the sum of the means
    goes to the higher impact, not to more votes)."""
    board = board_html(api, room["session"]["id"])
    svg = board.split('<svg class="matrix-svg"', 1)[1].split("</svg>", 1)[0]
    dots = {int(m["gid"]): (float(m["impact"]), float(m["feas"]), int(m["votes"])) for m in re.finditer(
        r'id="dot-(?P<gid>\d+)" data-group="\d+" data-impact="(?P<impact>[\d.]+)" '
        r'data-feasibility="(?P<feas>[\d.]+)" data-votes="(?P<votes>\d+)"', svg)}
    table = board.split('class="matrix-table"', 1)[1].split("</table>", 1)[0]
    numbers = {int(gid): int(n) for gid, n in re.findall(r'data-group="(\d+)">\s*<td>(\d+)</td>', table)}
    on_board = {numbers[gid]: dot for gid, dot in dots.items()}
    assert len(on_board) == 7

    figure = charts.matrix_figure(json.loads(files["json"]))
    assert {d.number: (d.impact, d.feasibility, d.votes) for d in figure.chart.dots} == on_board
    titles = {gid: text for text, gid in room["groups"].items()}
    ratings = next(t for t in docx_blocks(files["docx"]) if isinstance(t, list) and t[0][:2] == ["No", "Kelompok gagasan"])
    assert [(int(r[0]), r[1]) for r in ratings[1:]] == sorted((n, titles[gid]) for gid, n in numbers.items())
    assert [r[1] for r in ratings[1:4]] == ["Perizinan online terpadu", "Festival budaya Tabuik", "Antrean online RSUD"]


def board_html(api, session_id: int) -> str:
    from fastapi.testclient import TestClient

    # A second browser on the running app (no second start-up: not a context manager).
    console = TestClient(api.client.app)
    try:
        login(console, FACILITATOR)  # the board's own facilitator, through the login form
        r = console.get(f"/board/{session_id}")
        assert r.status_code == 200, r.text
        return r.text
    finally:
        console.close()


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_carries_both_figures_and_the_page_shows_the_matrix(files):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = pdf_pages(files["pdf"])
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert sum(len(page.images) for page in reader.pages) == 2
    at = next(n for n, text in enumerate(pages) if "Gambar 2. Matriks dampak × kelayakan" in text)
    bars_at = next(n for n, text in enumerate(pages) if "Gambar 1. Gagasan dan suara per dimensi" in text)
    assert len(reader.pages[at].images) == 1

    document = pdfium.PdfDocument(files["pdf"])
    scale = 100 / 72  # 100 dpi is plenty to see lines and dots
    crops = {}
    for name, index in (("matrix", at), ("bars", bars_at)):
        page = document[index]
        (image,) = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
        left, bottom, right, top = image.get_bounds()
        assert right - left == pytest.approx(160 / 25.4 * 72, abs=1)  # 16 cm wide, as in Word
        rendered = page.render(scale=scale).to_pil().convert("RGB")
        height = page.get_height()
        crops[name] = rendered.crop((round(left * scale), round((height - top) * scale),
                                     round(right * scale), round((height - bottom) * scale)))
    assert draws_a_matrix(crops["matrix"])
    # The same check says no to the bar chart and to a blank picture: it can fail.
    assert not draws_a_matrix(crops["bars"])
    assert not draws_a_matrix(Image.new("RGB", crops["matrix"].size, "white"))


def dark_share(picture: Image.Image) -> float:
    return float((np.asarray(picture.convert("L")) < 110).mean())


def draws_a_matrix(picture: Image.Image, colour: tuple[int, int, int] = GOVERNANCE_BLUE) -> bool:
    """The plot's frame (two long dark rows, two long dark columns), the dashed
    threshold lines (a row and a column partly dark), and dots in the board's colours."""
    dark = np.asarray(picture.convert("L")) < 110
    rows, columns = dark.mean(axis=1), dark.mean(axis=0)
    frame = (rows > 0.75).sum() >= 2 and (columns > 0.6).sum() >= 2
    dashed = ((rows > 0.35) & (rows < 0.75)).any() and ((columns > 0.3) & (columns < 0.6)).any()
    pixels = np.asarray(picture, dtype=int)
    dots = (np.abs(pixels - colour).max(axis=2) < 40).sum()
    return bool(frame and dashed and dots > 20)


# --- nothing to draw, workshops, Markdown --------------------------------------------------------

def test_a_session_without_ideas_says_so_instead_of_an_empty_figure(files):
    assert len(Document(io.BytesIO(files["empty.docx"])).inline_shapes) == 0
    assert charts.NO_IDEAS in docx_blocks(files["empty.docx"])
    assert captions(files["empty.docx"]) == []
    reader = PdfReader(io.BytesIO(files["empty.pdf"]))
    assert sum(len(page.images) for page in reader.pages) == 0
    assert charts.NO_IDEAS in " ".join(pdf_pages(files["empty.pdf"]))


def test_workshop_documents_number_every_figure_in_order(files):
    found = captions(files["workshop.docx"])
    assert [c.split(".", 1)[0] for c in found] == ["Gambar 1", "Gambar 2", "Gambar 3"]
    assert found[0].startswith("Gambar 1. Gagasan dan suara per dimensi, semua sesi.")
    assert found[1].startswith(f"Gambar 2. Gagasan dan suara per dimensi, sesi {TITLE}.")
    assert found[2].startswith(f"Gambar 3. Matriks dampak × kelayakan, {TITLE}:")
    assert len(Document(io.BytesIO(files["workshop.docx"])).inline_shapes) == 3
    assert charts.NO_IDEAS in docx_blocks(files["workshop.docx"])  # the empty session's section
    reader = PdfReader(io.BytesIO(files["workshop.pdf"]))
    assert sum(len(page.images) for page in reader.pages) == 3
    assert "Gambar 3. Matriks dampak × kelayakan" in " ".join(pdf_pages(files["workshop.pdf"]))


def test_markdown_has_the_tables_without_figures(files):
    text = files["md"].decode()
    assert "Gambar" not in text and "Perizinan online terpadu" in text
    assert EMPTY_TITLE not in text and len(IDEAS) == 8


def test_matplotlib_waits_for_the_first_figure():
    """The Word and PDF renderers, and a document without figures, load no matplotlib
    (the app itself imports them only on the first download)."""
    code = (
        "import sys\n"
        "from app.exports import formats, word, pdf\n"
        "from app.exports.model import Heading\n"
        "word.render_docx([Heading('x', 1)]); pdf.render_pdf([Heading('x', 1)])\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_crowded_matrix_draws_shapes_and_leaves_the_numbers_to_the_table():
    from app.exports import figures

    groups = [{"id": n, "title": f"Program {n}", "dimension": "economy", "votes": n % 7, "raters": 2,
               "impact": 1 + n % 5, "feasibility": 1 + n // 5 % 5, "quadrant": "fill_in"} for n in range(1, 81)]
    summary = {"session": {"title": "Ramai", "quick_win_threshold": 3.5},
               "dimensions": [{"name": "Smart Economy", "groups": groups}]}
    figure = charts.matrix_figure(summary)
    assert len(figure.chart.dots) == 80 and not figure.chart.numbered
    assert "Bentuk titik menunjukkan dimensi (nomor dan angkanya ada pada tabel penilaian)" in figure.caption
    picture = Image.open(io.BytesIO(figures.draw(figure).png)).convert("RGB")
    assert draws_a_matrix(picture, ECONOMY_ORANGE)
