"""The downloads as an office prints them: the session and workshop Word files and
the session workbook converted to PDF by LibreOffice (headless, one call for all
three), then read back. No header breaks inside a word; the workbook's first
sheet prints on one page width with its values column; every sheet is set up for
A4.

Needs LibreOffice (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui);
skipped without it, unless REMBUK_TEST_REQUIRE_OFFICE=1 (CI) makes that a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.exports.rooms import download, module_api, rated_room
from tests.support.documents import docx_blocks

WORD = ("session-word.docx", "workshop-word.docx")
WORKBOOK = "session-excel.xlsx"


@pytest.fixture(scope="module")
def files(request, tmp_path_factory):
    with module_api(request, tmp_path_factory, "office-print") as api:
        room = rated_room(api)
        sid, wid = room["session"]["id"], room["workshop"]["id"]
        return {
            "session-word.docx": download(api, room["fac"], f"/api/v1/sessions/{sid}/summary.docx"),
            "workshop-word.docx": download(api, room["fac"], f"/api/v1/workshops/{wid}/summary.docx"),
            "session-excel.xlsx": download(api, room["fac"], f"/api/v1/sessions/{sid}/summary.xlsx"),
        }


@pytest.fixture(scope="module")
def printed(files, tmp_path_factory) -> dict[str, PdfReader]:
    """Each file as LibreOffice prints it to PDF, by its name without the extension."""
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice is missing (Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
        if os.environ.get("REMBUK_TEST_REQUIRE_OFFICE") == "1":
            pytest.fail(f"REMBUK_TEST_REQUIRE_OFFICE=1 but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("office-print")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    # A private profile: no clash with a LibreOffice the user has open, nothing left in $HOME.
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder / "pdf"), *(str(folder / name) for name in files)],
        check=True, capture_output=True, timeout=180,
    )
    return {name.rsplit(".", 1)[0]: PdfReader(folder / "pdf" / (name.rsplit(".", 1)[0] + ".pdf")) for name in files}


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


@pytest.mark.parametrize("name", WORD)
def test_word_tables_break_no_word(files, printed, name):
    """A word of a table's header row or label column printed whole: no piece of it
    ("Gagasa", "Kelompo") stands alone in the printed text unless the file has it as a
    word of its own."""
    tables = [block for block in docx_blocks(files[name]) if isinstance(block, list)]
    assert len(tables) >= 8
    words = {word for table in tables for cell in [*table[0], *(row[0] for row in table)] for word in cell.split()}
    words = {word for word in words if len(word) >= 4 and word.isalpha()}
    assert {"Gagasan", "Kelompok", "Kelayakan", "Peringkat", "Suara"} <= words
    printed_words = tokens(" ".join(page.extract_text() for page in printed[name.removesuffix(".docx")].pages))
    own_words = tokens(" ".join(str(block) for block in docx_blocks(files[name])))
    pieces = {word[:n] for word in words for n in range(3, len(word))} - own_words
    assert not sorted(printed_words & pieces), "a word broke across lines"
    assert words <= printed_words  # and each of them is printed, whole



def test_word_figures_print_with_their_numbered_captions(printed):
    """LibreOffice evaluates the captions' SEQ fields to the same numbers, and prints
    each picture on its caption's page."""
    pages = [(" ".join(page.extract_text().split()), page) for page in printed["session-word"].pages]
    for caption in ("Gambar 1. Gagasan dan suara per dimensi", "Gambar 2. Matriks dampak × kelayakan"):
        (page,) = [page for text, page in pages if caption in text]
        assert page.images, caption


def test_the_first_sheet_prints_on_one_page_width_with_its_values(files, printed):
    pdf = printed["session-excel"]
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Butir Keterangan" in first
    for label, value in (("Daerah", "Kota Pariaman"), ("Sesi", "Quick win Tahap III"), ("Fasilitator", "Dewi Fasilitator")):
        assert f"{label} {value}" in first  # the label and its value side by side on the first page
    # Every sheet of this small session fits on one page, the widest one scaled down.
    assert len(pdf.pages) == len(load_workbook(io.BytesIO(files[WORKBOOK])).sheetnames)


def test_every_sheet_is_set_up_for_a4(files):
    book = load_workbook(io.BytesIO(files[WORKBOOK]))
    wide = []
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (int(ws.PAPERSIZE_A4), 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2", ws.title
        widths = [ws.column_dimensions[letter].width for letter in ws.column_dimensions]
        assert (setup.orientation == "landscape") == (sum(widths) > 90), ws.title
        if setup.orientation == "landscape":
            wide.append(ws.title)
    assert "Gagasan" in wide and "Peserta per jenis" not in wide
