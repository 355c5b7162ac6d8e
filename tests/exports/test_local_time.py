"""Local time everywhere: a Rembuk in Jayapura (``REMBUK_TIMEZONE=Asia/Jayapura``)
dates a session by the day the room met there and writes every time in WIT; by
default the screens say WIB. What programs read (the JSON download, the CSV's
``waktu`` column) stays ISO 8601 UTC.

The room is built once through the services; everything in it then happened at
23:30 UTC on 20 November 2026, which is 08:30 WIT on the 21st.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from app.localtime import Clock
from app.models import Commitment, Facilitator, Idea, Participant, Session
from app.settings import Settings
from tests.builders import Api
from tests.support.documents import docx_text, pdf_text, sheet_dicts, xlsx_sheets
from tests.support.forms import login, make_facilitator

LATE_EVENING_UTC = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
NEXT_DAY = "21 November 2026"
WIT_STAMP = "21 Nov 2026 08.30 WIT"  # Babel's Indonesian: medium date, "HH.mm", then the zone's name
IDEA = "Layanan antrean online RSUD Jayapura"


def at_late_evening(db, session_id: int) -> None:
    """Everything of the session happened at 23:30 UTC (the services stamp "now")."""
    db.execute(update(Session).where(Session.id == session_id).values(created_at=LATE_EVENING_UTC))
    db.execute(update(Participant).where(Participant.session_id == session_id).values(joined_at=LATE_EVENING_UTC))
    db.execute(update(Idea).where(Idea.session_id == session_id).values(created_at=LATE_EVENING_UTC))
    db.execute(update(Commitment).where(Commitment.session_id == session_id).values(signed_at=LATE_EVENING_UTC))
    db.commit()


@pytest.fixture(scope="module")
def jayapura(request, tmp_path_factory):
    """A Rembuk set to WIT through the environment, with one signed session."""
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from app.main import create_app
    from app.services import commitments, ideas, participants, sessions, workshops
    from tests.support.databases import SECRET, fresh_database

    folder = tmp_path_factory.mktemp("jayapura")
    url = fresh_database(request, "sqlite", folder)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REMBUK_TIMEZONE", "Asia/Jayapura")
        settings = Settings(database_url=url, secret_key=SECRET, var_dir=folder, htmx_source="local")
    assert settings.timezone == "Asia/Jayapura"
    app = create_app(settings)
    with TestClient(app) as client:
        api = Api(client)
        fac = api.facilitator(email="papua@kominfo.go.id", name="Yohana Fasilitator")
        with app.state.sessions() as db:
            owner = db.scalar(select(Facilitator).where(Facilitator.email == "papua@kominfo.go.id"))
            workshop = workshops.create_workshop(
                db, owner=owner, title="Bimtek Smart City Kota Jayapura", region="Kota Jayapura", year=2026
            )
            stage = workshops.stages(db, workshop.id)[3]
            session = sessions.create_session(
                db, facilitator=owner, stage_id=stage.id, title="Komitmen quick win", prompt="Apa yang kita janjikan?",
                commitment_open=True,
            )
            sessions.change_phase(db, facilitator=owner, session_id=session.id, phase="brainstorm")
            rina, _seq = participants.join(
                db, join_code=session.join_code, name="Rina Wenda", organization_type="opd", organization="Diskominfo"
            )
            ideas.submit(db, participant=rina, text=IDEA, dimension="living")
            commitments.sign(db, participant=rina, name="Rina Wenda", position="Kepala Bidang", organization="Diskominfo")
            at_late_evening(db, session.id)
            ids = {"session": session.id, "workshop": workshop.id}
        yield client, fac, ids


def download(jayapura, kind: str, ext: str) -> bytes:
    client, fac, ids = jayapura
    r = client.get(f"/api/v1/{kind}s/{ids[kind]}/summary.{ext}", headers=fac)
    assert r.status_code == 200, r.text
    return r.content


# --- the acceptance: every download of the session ------------------------------------------------


def test_markdown_dates_the_session_by_the_venue_day_and_writes_wit(jayapura):
    text = download(jayapura, "session", "md").decode()
    assert f"**Tanggal:** {NEXT_DAY}" in text
    assert f"| Rina Wenda | Diskominfo | Perangkat Daerah (OPD) | {WIT_STAMP} |" in text  # attendance
    assert f"| Kepala Bidang | Diskominfo | {WIT_STAMP} |" in text  # the signature
    assert "20 November" not in text and "UTC" not in text


def test_csv_keeps_its_utc_column_and_adds_the_local_time(jayapura):
    """Programs and formulas read ``waktu`` as before; an office user opening the file
    in Excel reads ``waktu_setempat``, the venue's time with its zone's name (text, so
    Excel never re-reads it in the laptop's own zone)."""
    rows = list(csv.DictReader(io.StringIO(download(jayapura, "session", "csv").decode("utf-8-sig"))))
    assert [(r["ide"], r["waktu"], r["waktu_setempat"]) for r in rows] == [
        (IDEA, "2026-11-20T23:30:00Z", WIT_STAMP)
    ]


def test_excel_dates_the_session_by_the_venue_day_and_writes_wit(jayapura):
    sheets = xlsx_sheets(download(jayapura, "session", "xlsx"))
    facts = dict(sheets["Ringkasan"][1:])
    assert facts["Tanggal"] == NEXT_DAY and facts["Dibuat"].endswith(" WIT")
    assert [r["Bergabung"] for r in sheet_dicts(sheets["Daftar hadir"])] == [WIT_STAMP]
    assert [r["Waktu"] for r in sheet_dicts(sheets["Komitmen"])] == [WIT_STAMP]
    idea = sheet_dicts(sheets["Gagasan"])[0]
    assert (idea["Waktu (UTC)"], idea["Waktu setempat"]) == ("2026-11-20T23:30:00Z", WIT_STAMP)


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_word_and_pdf_date_the_session_by_the_venue_day_and_write_wit(jayapura, ext):
    content = download(jayapura, "session", ext)
    text = docx_text(content) if ext == "docx" else pdf_text(content)
    assert NEXT_DAY in text
    assert text.count(WIT_STAMP) == 2  # attendance and the signature
    assert "20 November" not in text and "UTC" not in text


def test_json_keeps_utc_and_names_the_zone(jayapura):
    """The JSON download is for programs: timestamps stay ISO 8601 UTC; the day is the
    venue's, and the summary says which zone that is."""
    data = json.loads(download(jayapura, "session", "json"))
    assert (data["date"], data["timezone"]) == ("2026-11-21", "Asia/Jayapura")
    assert data["participants"][0]["joined_at"] == "2026-11-20T23:30:00Z"
    assert data["commitments"][0]["signed_at"] == "2026-11-20T23:30:00Z"
    assert data["generated_at"].endswith("Z")


def test_workshop_downloads_use_the_venue_day_and_wit(jayapura):
    text = download(jayapura, "workshop", "md").decode()
    assert f"| Komitmen quick win | {NEXT_DAY} |" in text  # the sessions overview
    assert f"| Kepala Bidang | Diskominfo | {WIT_STAMP} |" in text  # the Lembar Komitmen Bersama
    sheets = xlsx_sheets(download(jayapura, "workshop", "xlsx"))
    assert [r["Tanggal"] for r in sheet_dicts(sheets["Sesi"])] == [NEXT_DAY]
    assert [r["Waktu"] for r in sheet_dicts(sheets["Komitmen"])] == [WIT_STAMP]


# --- screens ---------------------------------------------------------------------------------------


def test_the_attendance_screen_shows_the_local_time_with_wib_by_default(app, client, api):
    login(client, make_facilitator(app))
    fac = api.login("fasilitator@kominfo.go.id")
    workshop = api.workshop(fac)
    session = api.session(fac, workshop["stages"][0]["id"])
    api.join(session["join_code"], name="Rina")
    with app.state.sessions() as db:
        at_late_evening(db, session["id"])
    workshop_id = workshop["id"]
    page = client.get(f"/console/workshops/{workshop_id}/attendance").text
    assert '<time datetime="2026-11-20T23:30:00Z">21 Nov 2026 06.30 WIB</time>' in page
    english = client.get(f"/console/workshops/{workshop_id}/attendance?lang=en").text
    # (CLDR puts a narrow no-break space before "AM", so it never wraps away from the hour.)
    assert '<time datetime="2026-11-20T23:30:00Z">Nov 21, 2026, 6:30\u202fAM WIB</time>' in english


# --- the setting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "stamp"),
    [
        ("Asia/Jakarta", "21 Nov 2026 06.30 WIB"),
        ("Asia/Pontianak", "21 Nov 2026 06.30 WIB"),
        ("Asia/Makassar", "21 Nov 2026 07.30 WITA"),
        ("Asia/Jayapura", "21 Nov 2026 08.30 WIT"),
    ],
)
def test_each_indonesian_zone_is_written_with_its_own_name(zone, stamp):
    assert Clock.of(zone).stamp("2026-11-20T23:30:00Z") == stamp


@pytest.mark.parametrize("zone", ["WIT", "Mars/Olympus", "asia/jayapura", "../etc/passwd", ""])
def test_an_unknown_zone_refuses_to_start_and_says_what_to_set(zone, monkeypatch, capsys):
    with pytest.raises(ValidationError, match="Asia/Jayapura \\(WIT\\)"):
        Settings(timezone=zone)
    # The command line says it in one error, before touching anything.
    from app.cli import main

    monkeypatch.setenv("REMBUK_TIMEZONE", zone)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert f"REMBUK_TIMEZONE={zone!r} is not a time zone" in err and "Traceback" not in err
