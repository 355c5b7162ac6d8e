"""Summary downloads as Excel, Word and PDF (and the same content in Markdown, CSV
and JSON): each opens in its own library, holds every visible idea with the vote
numbers the facilitator's board shows, and keeps hostile or unusual text inert.

The session is built through the API the way a room would: brainstorm, group
(moves and a rename), vote with participant tokens, results.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.exports.basic import md_escape
from app.exports.model import Column, Row, Table
from app.exports.pdf import render_pdf
from tests.support.documents import docx_blocks, docx_text, pdf_pages, pdf_text, sheet_dicts, xlsx_sheets

FORMATS = ["md", "csv", "json", "xlsx", "docx", "pdf"]
XSS = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://x","klik")'
FORMULAS = [HYPERLINK, "+1", "-1", "@SUM(A1)"]
WAVE = "\U0001f30a"  # 🌊: DejaVu has no glyph for it
INDONESIAN = f"Wisata bahari Pantai Tiram — kafe, café & homestay {WAVE}"
NAMES = ["Rina Marlina", "Budi Santoso", "Sari Lestari", "Tono Sutrisno"]
HIDDEN = "Gagasan yang disembunyikan moderator"
MERGED_TITLE = "Satu data & TTE"


# --- reading each format with its own library ----------------------------------------

def download(client, headers, session_id, fmt):
    r = client.get(f"/api/v1/sessions/{session_id}/summary.{fmt}", headers=headers)
    assert r.status_code == 200, r.text
    return r.content


def as_text(fmt: str, content: bytes) -> str:
    """What a reader sees, as one string (cells of spreadsheets one per line)."""
    if fmt == "xlsx":
        return "\n".join(str(v) for rows in xlsx_sheets(content).values() for row in rows for v in row if v is not None)
    if fmt == "docx":
        return docx_text(content)
    if fmt == "pdf":
        return pdf_text(content)
    if fmt == "csv":
        return "\n".join(cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row)
    return content.decode("utf-8-sig")


def shown_as(fmt: str, text: str) -> str:
    """How an idea's text is written in each format, inert."""
    if fmt == "md":
        return md_escape(text)
    if fmt in ("csv", "xlsx") and text.startswith(("=", "+", "-", "@")):
        return "'" + text
    if fmt == "json":
        return json.dumps(text, ensure_ascii=False)[1:-1]
    if fmt == "pdf":
        return text.replace(WAVE, "□")
    return text


# --- a voted session, through the API ----------------------------------------------------

@pytest.fixture(scope="module")
def office(request, tmp_path_factory):
    """One app and database for the module: the room below is built once (it took a
    second per test) and the tests only download it; the one test that changes a
    setting puts it back."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from tests.builders import Api
    from tests.support.databases import SECRET, fresh_database

    folder = tmp_path_factory.mktemp("office")
    url = fresh_database(request, "sqlite", folder)
    app = create_app(Settings(database_url=url, secret_key=SECRET, var_dir=folder, public_url="http://rembuk.test",
                              htmx_source="local"))
    with TestClient(app) as client:
        yield Api(client)


@pytest.fixture
def api(office):
    return office


@pytest.fixture
def client(office):
    return office.client


@pytest.fixture(scope="module")
def room(office):
    api, client = office, office.client
    fac = api.facilitator(name="Dewi Fasilitator")
    workshop = api.workshop(fac, title="Bimtek Smart City", region="Kabupaten Padang Pariaman")
    session = api.session(fac, workshop["stages"][0]["id"], title="Isu strategis", prompt="Apa masalah utama?")
    code = session["join_code"]
    rina = api.join(code, name=NAMES[0], organization_type="rsud", organization="RSUD Parit Malintang")
    budi = api.join(code, name=NAMES[1], organization_type="opd", organization="Diskominfo")
    sari = api.join(code, name=NAMES[2], organization_type="opd", organization="Bappeda")
    tono = api.join(code, name=NAMES[3], organization_type="pokdarwis", organization="Pokdarwis Tiram")
    ideas = {
        "rme": api.idea(rina, text="Rekam medis elektronik antar puskesmas", dimension="living", sub_element="health"),
        "queue": api.idea(budi, text="Antrean online RSUD", dimension="living", sub_element="health"),
        "data": api.idea(sari, text="Satu data kependudukan", dimension="governance", sub_element="public_service"),
        "tte": api.idea(budi, text="Tanda tangan elektronik", dimension="governance", sub_element="bureaucracy"),
        "wisata": api.idea(tono, text=INDONESIAN, dimension="branding", sub_element="tourism"),
        "xss": api.idea(tono, text=XSS, dimension=None),
        "hyperlink": api.idea(budi, text=HYPERLINK, dimension="governance"),
        "plus": api.idea(sari, text="+1", dimension="economy"),
        "minus": api.idea(rina, text="-1", dimension="economy"),
        "sum": api.idea(budi, text="@SUM(A1)", dimension="economy"),
        "hidden": api.idea(tono, text=HIDDEN, dimension="society"),
    }
    r = client.post(f"/api/v1/ideas/{ideas['hidden']['id']}/visibility", json={"hidden": True}, headers=fac)
    assert r.status_code == 200, r.text
    api.phase(fac, session["id"], "group")
    groups = {key: idea["group_id"] for key, idea in ideas.items()}
    for key, into in (("queue", "rme"), ("tte", "data")):
        r = client.post(f"/api/v1/ideas/{ideas[key]['id']}/move", json={"group_id": groups[into]}, headers=fac)
        assert r.status_code == 200, r.text
        groups[key] = r.json()["group_id"]
    r = client.patch(f"/api/v1/groups/{groups['data']}", json={"title": MERGED_TITLE}, headers=fac)
    assert r.status_code == 200, r.text
    api.phase(fac, session["id"], "vote")
    # Every voted group gets a different count, so a number in the wrong row shows.
    dots = [(rina, {"rme": 3, "data": 2}), (budi, {"rme": 2, "data": 2, "xss": 1}),
            (sari, {"wisata": 3, "hyperlink": 1}), (tono, {"xss": 1})]
    for phone, spread in dots:
        for key, n in spread.items():
            for _ in range(n):
                r = client.post(f"/api/v1/groups/{groups[key]}/votes", headers=phone.headers)
                assert r.status_code == 201, r.text
    api.phase(fac, session["id"], "results")
    return {"fac": fac, "session": session, "workshop": workshop, "ideas": ideas, "groups": groups,
            "phones": [rina, budi, sari, tono]}


def board_groups(api, room) -> list[dict]:
    """The facilitator's board, without the group whose only idea is hidden."""
    board = api.board(room["fac"], room["session"]["id"])
    return [g for g in board["groups"] if not all(i["hidden"] for i in g["ideas"])]


def visible_texts(room) -> list[str]:
    return [idea["text"] for key, idea in room["ideas"].items() if key != "hidden"]


def expected_votes(api, room) -> dict[int, int]:
    votes = {g["id"]: g["votes"] for g in board_groups(api, room)}
    assert sorted(votes.values(), reverse=True)[:5] == [5, 4, 3, 2, 1]  # the board counted what we cast
    return votes


def row_label(group: dict) -> str:
    """How a group's row is labelled in the per-dimension tables."""
    ideas = [i for i in group["ideas"] if not i.get("hidden")]
    if len(ideas) == 1 and group["title"] == ideas[0]["text"]:
        return ideas[0]["text"]
    return f"{group['title']} ({len(ideas)} gagasan)"


# --- every idea, and the board's numbers -------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_opens_with_every_idea_and_no_hidden_one(client, room, fmt):
    text = as_text(fmt, download(client, room["fac"], room["session"]["id"], fmt))
    for idea in visible_texts(room):
        assert shown_as(fmt, idea) in text, (fmt, idea)
    assert HIDDEN not in text
    if fmt != "csv":  # the CSV is one row per idea; the others have the header too
        assert "Kabupaten Padang Pariaman" in text and "Dewi Fasilitator" in text


def test_json_groups_and_votes_are_the_boards(api, client, room):
    summary = json.loads(download(client, room["fac"], room["session"]["id"], "json"))
    votes = expected_votes(api, room)
    exported = {g["id"]: g for d in summary["dimensions"] for g in d["groups"]}
    assert {gid: g["votes"] for gid, g in exported.items()} == votes
    on_board = {g["id"]: {i["id"] for i in g["ideas"]} for g in board_groups(api, room)}
    assert {gid: {i["id"] for i in g["ideas"]} for gid, g in exported.items()} == on_board
    assert exported[room["groups"]["data"]]["title"] == MERGED_TITLE
    assert [g["votes"] for g in summary["top_groups"]] == [5, 4, 3, 2, 1]
    assert summary["vote_count"] == 15 and summary["voter_count"] == 4 and summary["hidden_idea_count"] == 1
    chart = {row["dimension"]: row for row in summary["dimension_chart"]}
    assert (chart["living"]["groups"], chart["living"]["ideas"], chart["living"]["votes"]) == (1, 2, 5)
    assert (chart["society"]["ideas"], chart["none"]["votes"]) == (0, 2)


def test_csv_rows_carry_their_groups_votes(api, client, room):
    content = download(client, room["fac"], room["session"]["id"], "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    votes = expected_votes(api, room)
    assert len(rows) == len(visible_texts(room))
    for row in rows:
        assert int(row["suara"]) == votes[int(row["kelompok_id"])]


def test_xlsx_sheets_votes_and_chart(api, client, room):
    content = download(client, room["fac"], room["session"]["id"], "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Ringkasan", "Peserta per jenis", "Peserta per organisasi", "10 teratas",
                               "Rekap dimensi", "Gagasan", "Daftar hadir"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"  # the header row stays in view
        assert ws.column_dimensions["A"].width > 5
    votes = expected_votes(api, room)
    ideas = sheet_dicts(xlsx_sheets(content)["Gagasan"])
    assert sorted(r["Gagasan"] for r in ideas) == sorted(shown_as("xlsx", t) for t in visible_texts(room))
    for row in ideas:
        assert row["Suara kelompok"] == votes[row["ID kelompok"]]
    recap = {r["Dimensi"]: r["Suara"] for r in sheet_dicts(xlsx_sheets(content)["Rekap dimensi"])}
    assert recap == {"Smart Governance": 5, "Smart Branding": 3, "Smart Economy": 0, "Smart Living": 5,
                     "Smart Society": 0, "Smart Environment": 0, "Belum dikategorikan": 2}
    (chart,) = book["Rekap dimensi"]._charts
    assert chart.tagname == "barChart"
    by_type = {r["Jenis organisasi"]: r["Jumlah"] for r in sheet_dicts(xlsx_sheets(content)["Peserta per jenis"])}
    assert by_type["Perangkat Daerah (OPD)"] == 2 and by_type["Kelompok Sadar Wisata (Pokdarwis)"] == 1


def test_docx_is_a_masterplan_chapter_with_the_boards_votes(api, client, room):
    content = download(client, room["fac"], room["session"]["id"], "docx")
    doc = Document(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "BAB — Hasil Rembuk Tahap I: Isu strategis"
    assert "3.4 Smart Living (2)" in headings and "3.7 Belum dikategorikan (1)" in headings
    tables = [b for b in docx_blocks(content) if isinstance(b, list)]
    # Header rows repeat on every page and are shaded.
    assert all("w:tblHeader" in t._tbl.xml for t in doc.tables[1:])
    top = next(t for t in tables if t[0][0] == "Peringkat")
    groups = {g["id"]: g for g in board_groups(api, room)}
    votes = expected_votes(api, room)
    ranked = sorted((g for g in groups.values() if g["votes"]), key=lambda g: (-g["votes"], g["id"]))
    assert [(r[1], int(r[-1])) for r in top[1:]] == [(g["title"], g["votes"]) for g in ranked]
    rows = [row for t in tables if t[0][:2] == ["No", "Gagasan"] for row in t[1:] if row[0]]
    assert sorted((r[1], int(r[-1])) for r in rows) == sorted((row_label(g), votes[g["id"]]) for g in groups.values())


def test_markdown_tables_have_the_boards_votes(api, client, room):
    text = download(client, room["fac"], room["session"]["id"], "md").decode()
    votes = expected_votes(api, room)
    rows = re.findall(r"^\| \**(\d+)\** \| \**(.+?)\** \|.*\| \**(\d+)\** \|$", text, flags=re.MULTILINE)
    by_label = {label: int(n) for _no, label, n in rows}
    for group in board_groups(api, room):
        assert by_label[md_escape(row_label(group))] == votes[group["id"]]


def test_pdf_top_ten_and_rows_have_the_boards_votes(api, client, room):
    text = pdf_text(download(client, room["fac"], room["session"]["id"], "pdf"))
    names = {"living": "Smart Living", "governance": "Smart Governance", "branding": "Smart Branding",
             None: "Belum dikategorikan"}
    ranked = sorted((g for g in board_groups(api, room) if g["votes"]), key=lambda g: (-g["votes"], g["id"]))
    for rank, g in enumerate(ranked, 1):
        n = len(g["ideas"])
        assert f"{rank} {shown_as('pdf', g['title'])} {names[g['dimension']]} {n} {g['votes']}" in text
    assert f"1 {MERGED_TITLE} (2 gagasan) 4" in text  # the bold group row in Smart Governance


# --- inert and intact ----------------------------------------------------------------------

def test_xlsx_formulas_are_text_starting_with_an_apostrophe(client, room):
    book = load_workbook(io.BytesIO(download(client, room["fac"], room["session"]["id"], "xlsx")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for payload in FORMULAS:
        assert "'" + payload in values and payload not in values
    assert XSS in values  # plain text in a cell, nothing to run


def test_docx_and_pdf_show_payloads_literally(client, room):
    docx = download(client, room["fac"], room["session"]["id"], "docx")
    text = docx_text(docx)
    for payload in [XSS, *FORMULAS]:
        assert payload in text
    with io.BytesIO(docx) as f:
        import zipfile

        xml = zipfile.ZipFile(f).read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    pdf = pdf_text(download(client, room["fac"], room["session"]["id"], "pdf"))
    for payload in [XSS, *FORMULAS]:
        assert payload in pdf


def test_markdown_escapes_the_payloads(client, room):
    text = download(client, room["fac"], room["session"]["id"], "md").decode()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "xlsx", "docx"])
def test_indonesian_text_em_dash_and_emoji_survive(client, room, fmt):
    assert INDONESIAN in as_text(fmt, download(client, room["fac"], room["session"]["id"], fmt))


def test_pdf_embeds_a_font_and_replaces_what_it_cannot_draw(client, room):
    content = download(client, room["fac"], room["session"]["id"], "pdf")
    assert b"/FontFile2" in content  # an embedded TrueType font, not a Latin-1 core font
    text = pdf_text(content)
    assert "Wisata bahari Pantai Tiram — kafe, café & homestay □" in text
    assert "Tahap I – Analisis Strategis" in text


# --- anonymous exports ----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymous_exports_leave_authors_out(client, room, fmt):
    sid = room["session"]["id"]
    r = client.patch(f"/api/v1/sessions/{sid}", json={"anonymous_exports": True}, headers=room["fac"])
    assert r.status_code == 200 and r.json()["anonymous_exports"] is True
    try:
        content = download(client, room["fac"], sid, fmt)
    finally:  # the room is the module's: the other tests export with the authors
        client.patch(f"/api/v1/sessions/{sid}", json={"anonymous_exports": False}, headers=room["fac"])
    text = as_text(fmt, content)
    for idea in visible_texts(room):
        assert shown_as(fmt, idea) in text
    # The attendance list is an official record and stays; nothing else names anyone.
    if fmt == "xlsx":
        sheets = xlsx_sheets(content)
        del sheets["Daftar hadir"]
        text = "\n".join(str(v) for rows in sheets.values() for row in rows for v in row)
        assert "Pengusul" not in sheets["Gagasan"][0]
    elif fmt == "json":
        summary = json.loads(content)
        del summary["participants"]
        assert not {"author", "organization"} & {k for d in summary["dimensions"] for g in d["groups"]
                                                  for i in g["ideas"] for k in i}
        text = json.dumps(summary, ensure_ascii=False)
    elif fmt != "csv":
        text = text.split("Daftar hadir")[0]
    for name in NAMES:
        assert name not in text, (fmt, name)
    assert "Pengusul" in text or fmt in ("csv", "json", "xlsx")  # "Pengusul: tidak dicantumkan"


# --- long tables ------------------------------------------------------------------------------

LONG = [f"Gagasan nomor {n:03d} tentang layanan publik digital yang terpadu di kabupaten" for n in range(140)]


@pytest.fixture
def long_session(api):
    """140 ideas in one dimension: several pages of one table."""
    fac = api.facilitator()
    session = api.session(fac)
    # Ten people (one person may send 30 ideas a minute: services/ideas.IDEAS_PER_MINUTE).
    phones = [api.join(session["join_code"], name=f"Peserta {n}", organization="Dinas Kominfo") for n in range(10)]
    for n, text in enumerate(LONG):
        api.idea(phones[n % 10], text=text, dimension="governance", sub_element="public_service")
    return fac, session["id"]


def test_a_long_pdf_runs_over_pages_with_the_table_continuing(client, long_session):
    pages = pdf_pages(download(client, *long_session, "pdf"))
    assert len(pages) > 2
    text = " ".join(pages)
    assert all(t in text for t in LONG)
    # The governance table started on one page and goes on over the next ones, each
    # page starting with its header row again (Scrumlr once exported one page only).
    header = "No Gagasan Sub-elemen Pengusul Organisasi Suara"
    on = [n for n, page in enumerate(pages) if "Gagasan nomor" in page]
    assert len(on) >= 3
    assert all(header in pages[n] for n in on)
    assert on == list(range(on[0], on[-1] + 1))


def test_word_and_excel_hold_every_row_of_a_long_session(client, long_session):
    docx = docx_text(download(client, *long_session, "docx"))
    ideas = sheet_dicts(xlsx_sheets(download(client, *long_session, "xlsx"))["Gagasan"])
    assert all(t in docx for t in LONG)
    assert [r["Gagasan"] for r in ideas] == LONG


def test_pdf_splits_a_row_taller_than_a_page_and_draws_unknown_characters():
    huge = " ".join(f"kata{n}" for n in range(3000))
    table = Table("x", (Column("No", 5, numeric=True), Column("Gagasan", 60)),
                  [Row((1, huge)), Row((2, "Jempol \U0001f44d\U0001f3fd 中文 1\u20e3 ok"))])
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf([table]))).pages)
    assert "kata0 " in text and "kata2999" in text
    assert "Jempol □ □□ 1 ok" in text
