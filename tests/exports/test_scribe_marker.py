"""Ideas the scribe (notulis) typed for people without a phone are marked in every
download: a "Dicatat notulis" column beside the others in the CSV and Excel, the
scribe's name in the JSON, "(dicatat notulis)" after the text in the documents."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.documents import docx_text, pdf_text, sheet_dicts, xlsx_sheets

FROM_PHONE = "Antrean online RSUD"
FROM_CARD = "Paket wisata digital Pantai Gandoriah"


@pytest.fixture
def room(api, client):
    fac = api.facilitator(name="Nur Notulis")
    session = api.session(fac)
    phone = api.join(session["join_code"], "Rina", "opd", "Diskominfo")
    api.idea(phone, FROM_PHONE, "living")
    r = client.post(
        f"/api/v1/sessions/{session['id']}/ideas",
        json={"text": FROM_CARD, "dimension": "economy",
              "on_behalf_of": {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis"}},
        headers=fac,
    )
    assert r.status_code == 201, r.text
    return fac, session["id"]


def get(client, fac, sid, fmt) -> bytes:
    r = client.get(f"/api/v1/sessions/{sid}/summary.{fmt}", headers=fac)
    assert r.status_code == 200, r.text
    return r.content


def test_csv_and_excel_name_the_scribe_in_a_column_of_their_own(client, room):
    fac, sid = room
    rows = list(csv.DictReader(io.StringIO(get(client, fac, sid, "csv").decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[-1] == "dicatat_oleh" and header[-3:-1] == ["waktu", "waktu_setempat"]
    by_text = {row["ide"]: row["dicatat_oleh"] for row in rows}
    assert by_text == {FROM_PHONE: "", FROM_CARD: "Nur Notulis"}
    sheet = sheet_dicts(xlsx_sheets(get(client, fac, sid, "xlsx"))["Gagasan"])
    assert {row["Gagasan"]: row["Dicatat notulis"] for row in sheet} == {FROM_PHONE: None, FROM_CARD: "Nur Notulis"}


def test_json_and_documents_mark_it(client, room):
    fac, sid = room
    summary = client.get(f"/api/v1/sessions/{sid}/summary.json", headers=fac).json()
    ideas = {i["text"]: i for d in summary["dimensions"] for g in d["groups"] for i in g["ideas"]}
    assert ideas[FROM_CARD]["entered_by"] == "Nur Notulis" and ideas[FROM_PHONE]["entered_by"] is None
    for text in (get(client, fac, sid, "md").decode(), docx_text(get(client, fac, sid, "docx")),
                 pdf_text(get(client, fac, sid, "pdf"))):
        flat = " ".join(text.split())
        assert f"{FROM_CARD} (dicatat notulis)" in flat
        assert f"{FROM_PHONE} (dicatat notulis)" not in flat
