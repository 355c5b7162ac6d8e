"""The whole workshop's summary, stage by stage, and who may download summaries."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from tests.support.documents import docx_blocks, pdf_text, sheet_dicts, xlsx_sheets

SESSION_FORMATS = ["md", "csv", "json", "xlsx", "docx", "pdf"]
WORKSHOP_FORMATS = ["md", "json", "xlsx", "docx", "pdf"]
STAGE_TITLES = {1: "Tahap I – Analisis Strategis", 2: "Tahap II – Strategi & Program",
                3: "Tahap III – Roadmap & Quick Win", 4: "Tahap IV – Finalisasi & Komitmen"}


def workshop_download(client, headers, workshop_id, fmt):
    return client.get(f"/api/v1/workshops/{workshop_id}/summary.{fmt}", headers=headers)


@pytest.fixture
def bimtek(api, client):
    """Two sessions in Tahap I, one in Tahap III, none in II and IV; the Tahap III
    session keeps its authors out of the downloads."""
    fac = api.facilitator(name="Dewi Fasilitator")
    workshop = api.workshop(fac, title="Bimtek Smart City Pariaman", region="Kota Pariaman")
    stages = {s["number"]: s["id"] for s in workshop["stages"]}
    plan = [(1, "Isu strategis"), (1, "Analisis SWOT"), (3, "Quick win")]
    placed = {}  # idea text → (stage number, session title)
    sessions = []
    for number, title in plan:
        session = api.session(fac, stages[number], title=title, prompt=f"Pertanyaan {title}",
                              anonymous_exports=number == 3)
        phone = api.join(session["join_code"], name=f"Peserta {title}", organization="Bappeda")
        for n, dimension in enumerate(("living", None)):
            text = f"Gagasan {n} sesi {title}"
            api.idea(phone, text=text, dimension=dimension)
            placed[text] = (number, title)
        sessions.append(session)
    return {"fac": fac, "workshop": workshop, "placed": placed, "sessions": sessions}


# --- every session's ideas, under the right stage ------------------------------------------

def test_json_workshop_stage_by_stage(client, bimtek):
    r = workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    summary = json.loads(r.content)
    assert [s["number"] for s in summary["stages"]] == [1, 2, 3, 4]
    found = {
        i["text"]: (stage["number"], s["session"]["title"])
        for stage in summary["stages"] for s in stage["sessions"]
        for d in s["dimensions"] for g in d["groups"] for i in g["ideas"]
    }
    assert found == bimtek["placed"]
    assert summary["session_count"] == 3 and summary["idea_count"] == 6 and summary["participant_count"] == 3
    chart = {row["dimension"]: row["ideas"] for row in summary["dimension_chart"]}
    assert chart["living"] == 3 and chart["none"] == 3


def test_markdown_workshop_stage_by_stage(client, bimtek):
    text = workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "md").text
    assert text.startswith("# Bimtek Smart City Pariaman\n")
    stages = dict(re.findall(r"^## (Tahap .+?)\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL))
    assert list(stages) == list(STAGE_TITLES.values())
    assert "Belum ada sesi pada tahap ini." in stages[STAGE_TITLES[2]]
    for idea, (number, title) in bimtek["placed"].items():
        sessions = dict(re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", stages[STAGE_TITLES[number]], flags=re.MULTILINE | re.DOTALL))
        assert idea in sessions[title]


def test_xlsx_workshop_sheets_carry_stage_and_session(client, bimtek):
    content = workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Ringkasan", "Analisis Tahap I", "SWOT", "Program", "Roadmap", "Quick Win", "Gagasan Quick Win", "Kehadiran",
        "Kehadiran per organisasi", "Komitmen", "Partisipasi", "Partisipasi per organisasi", "Cakupan",
        "Sesi", "Rekap dimensi", "Peserta per jenis", "Peserta per organisasi", "10 teratas", "Rekap dimensi per sesi",
        "Gagasan", "Daftar hadir",
    ]
    assert len(book["Rekap dimensi"]._charts) == 1
    sheets = xlsx_sheets(content)
    ideas = sheet_dicts(sheets["Gagasan"])
    roman = {1: "Tahap I", 3: "Tahap III"}
    assert {r["Gagasan"]: (r["Tahap"], r["Sesi"]) for r in ideas} == {
        text: (roman[number], title) for text, (number, title) in bimtek["placed"].items()
    }
    # The session with anonymous exports leaves its authors' cells empty; the others name them.
    authors = {r["Sesi"]: r["Pengusul"] for r in ideas}
    assert authors == {"Isu strategis": "Peserta Isu strategis", "Analisis SWOT": "Peserta Analisis SWOT",
                       "Quick win": None}
    assert [(r["Tahap"], r["Sesi"], r["Gagasan"]) for r in sheet_dicts(sheets["Sesi"])] == [
        ("Tahap I", "Isu strategis", 2), ("Tahap I", "Analisis SWOT", 2), ("Tahap III", "Quick win", 2)
    ]


def test_docx_workshop_sessions_under_their_stage(client, bimtek):
    content = workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "docx").content
    stage = session = None
    found = {}
    for block in docx_blocks(content):
        if isinstance(block, str):
            if m := re.fullmatch(r"\d+ (Tahap .+)", block):
                stage, session = m.group(1), None
            elif m := re.fullmatch(r"\d+\.\d+ (.+)", block):
                session = m.group(1)
        elif stage:
            for row in block:
                for cell in row:
                    if cell in bimtek["placed"]:
                        found[cell] = (stage, session)
    assert found == {text: (STAGE_TITLES[n], title) for text, (n, title) in bimtek["placed"].items()}


def test_pdf_workshop_sessions_under_their_stage(client, bimtek):
    text = pdf_text(workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "pdf").content)
    # Sections 1–2: sessions and dimensions; 3–9: the masterplan parts; then the stages.
    starts = [text.index(f"{n + 9} {STAGE_TITLES[n]}") for n in (1, 2, 3, 4)] + [len(text)]
    assert starts == sorted(starts)
    for idea, (number, title) in bimtek["placed"].items():
        section = text[starts[number - 1]:starts[number]]
        heading = re.search(rf"\d+\.\d+ {title} ", section)
        assert heading and idea in section[heading.end():], (idea, number, title)


def test_an_empty_workshop_downloads_in_every_format(api, client):
    fac = api.facilitator()
    workshop = api.workshop(fac)
    for fmt in WORKSHOP_FORMATS:
        assert workshop_download(client, fac, workshop["id"], fmt).status_code == 200


# --- who may download -------------------------------------------------------------------------

@pytest.fixture
def people(api, client, bimtek):
    """A co-facilitator added to the workshop, a stranger facilitator, a participant."""
    from sqlalchemy import select

    from app.models import Facilitator, Workshop
    from app.services import workshops

    co = api.facilitator(email="rekan@kominfo.go.id")
    with client.app.state.sessions() as db:
        member = db.scalar(select(Facilitator).where(Facilitator.email == "rekan@kominfo.go.id"))
        workshops.add_member(db, workshop=db.get(Workshop, bimtek["workshop"]["id"]), facilitator=member)
    phone = api.join(bimtek["sessions"][0]["join_code"], name="Penonton")
    return {"owner": bimtek["fac"], "co": co, "stranger": api.facilitator(), "phone": phone.headers, "nobody": {}}


EXPECTED = {"owner": 200, "co": 200, "stranger": 404, "phone": 403, "nobody": 401}


@pytest.mark.parametrize("fmt", SESSION_FORMATS)
def test_session_summary_access(client, bimtek, people, fmt):
    sid = bimtek["sessions"][0]["id"]
    got = {who: client.get(f"/api/v1/sessions/{sid}/summary.{fmt}", headers=h).status_code for who, h in people.items()}
    assert got == EXPECTED
    r = client.get(f"/api/v1/sessions/{sid}/summary.{fmt}", headers=people["owner"])
    assert r.headers["content-disposition"] == f'attachment; filename="rembuk-{sid}-isu-strategis.{fmt}"'
    assert client.get(f"/api/v1/sessions/999999/summary.{fmt}", headers=people["owner"]).status_code == 404


@pytest.mark.parametrize("fmt", WORKSHOP_FORMATS)
def test_workshop_summary_access(client, bimtek, people, fmt):
    wid = bimtek["workshop"]["id"]
    got = {who: workshop_download(client, h, wid, fmt).status_code for who, h in people.items()}
    assert got == EXPECTED
    r = workshop_download(client, people["owner"], wid, fmt)
    assert r.headers["content-disposition"] == (
        f'attachment; filename="rembuk-bimtek-{wid}-bimtek-smart-city-pariaman.{fmt}"'
    )
    assert workshop_download(client, people["owner"], 999999, fmt).status_code == 404


def test_no_csv_for_a_whole_workshop(client, bimtek):
    """One row per idea only makes sense for one session: Excel has the workshop's rows."""
    assert workshop_download(client, bimtek["fac"], bimtek["workshop"]["id"], "csv").status_code == 404
