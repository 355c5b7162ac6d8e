"""The join page tells people what is kept about them before they join, and the
workshop's owner sets that notice and how long names are kept (API and console)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from app.models import AuditEntry
from tests.support.forms import XSS, XSS_ESCAPED, location


@pytest.fixture
def owner(api):
    return api.facilitator(name="Dewi Kominfo")


@pytest.fixture
def workshop(api, owner):
    return api.workshop(owner, title="Bimtek Smart City Padang Pariaman")


def _session(api, owner, workshop, **settings):
    return api.session(owner, workshop["stages"][0]["id"], **settings)


def _text(page: str) -> str:
    """The page's words, as a person reads them (tags out, entities back)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _patch(client, headers, workshop_id, body):
    return client.patch(f"/api/v1/workshops/{workshop_id}", json=body, headers=headers)


def _audit(app, workshop_id) -> list[AuditEntry]:
    with app.state.sessions() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.workshop_id == workshop_id).order_by(AuditEntry.id)))


# --- the join page ----------------------------------------------------------------------------------------------


def test_the_join_page_says_what_is_kept_who_sees_it_how_long_and_whom_to_ask(client, api, owner, workshop):
    session = _session(api, owner, workshop)  # anonymous: the default
    page = client.get(f"/j/{session['join_code']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Nama, instansi, ide, dan suara Anda disimpan untuk lokakarya ini." in text
    assert "Layar menampilkan ide tanpa nama." in text
    assert "<details" in page.text and "Tentang data Anda" in text  # the rest folded away on a phone
    assert "Di sesi ini, layar dan peserta lain melihat ide Anda tanpa nama." in text
    assert "dihapus 90 hari setelah sesi terakhir lokakarya ditutup" in text
    assert "lokakarya “Bimtek Smart City Padang Pariaman”" in text
    assert "hubungi penyelenggara lokakarya, Dewi Kominfo, atau fasilitator di ruangan" in text
    # Joining is the acknowledgement, said next to the button.
    consent = text.index("Dengan bergabung, Anda menyetujui penggunaan data Anda")
    assert consent < text.index("Gabung", consent)
    assert 'aria-describedby="join-consent"' in page.text


def test_a_named_session_says_the_room_sees_names_as_it_is_now(client, api, owner, workshop):
    session = _session(api, owner, workshop, anonymous=False)
    text = _text(client.get(f"/j/{session['join_code']}").text)
    assert "Nama Anda tampil bersama ide Anda di layar." in text
    assert "nama Anda tampil bersama ide Anda di layar dan di ponsel peserta lain" in text
    assert "tanpa nama." not in text.split("Berapa lama")[0]
    r = client.patch(f"/api/v1/sessions/{session['id']}", json={"anonymous": True}, headers=owner)
    assert r.status_code == 200
    assert "Layar menampilkan ide tanpa nama." in _text(client.get(f"/j/{session['join_code']}").text)


def test_the_organisers_own_text_replaces_the_default_paragraph_as_plain_text(client, api, owner, workshop):
    session = _session(api, owner, workshop)
    notice = f"Penyelenggara: Bappeda Kabupaten Padang Pariaman\nTanya: privasi@padangpariaman.go.id {XSS}"
    assert _patch(client, owner, workshop["id"], {"privacy_notice": notice}).status_code == 200
    page = client.get(f"/j/{session['join_code']}").text
    assert XSS not in page and XSS_ESCAPED in page
    assert "Penyelenggara: Bappeda Kabupaten Padang Pariaman\nTanya: privasi@padangpariaman.go.id" in page
    assert 'class="privacy-text"' in page  # its line breaks shown (white-space: pre-line)
    text = _text(page)
    assert "hubungi penyelenggara lokakarya, Dewi Kominfo" not in text
    # What is kept, who sees it and how long stay Rembuk's own words.
    assert "Nama, instansi, ide, dan suara Anda disimpan" in text
    assert "dihapus 90 hari setelah" in text


def test_names_kept_without_erasure_are_said_so(client, api, owner, workshop):
    session = _session(api, owner, workshop)
    assert _patch(client, owner, workshop["id"], {"retention_days": None}).status_code == 200
    text = _text(client.get(f"/j/{session['join_code']}").text)
    assert "Disimpan sampai dihapus oleh penyelenggara." in text
    assert "hari setelah sesi terakhir" not in text


def test_the_notice_in_english(client, api, owner, workshop):
    session = _session(api, owner, workshop, anonymous=False)
    _patch(client, owner, workshop["id"], {"retention_days": 1})
    text = _text(client.get(f"/j/{session['join_code']}?lang=en").text)
    assert "Your name, office, ideas and votes are stored for this workshop." in text
    assert "Your name is shown with your ideas on the screen." in text
    assert "erased 1 day after the workshop's last session is closed" in text
    assert "ask the workshop's organiser, Dewi Kominfo, or a facilitator in the room" in text
    assert "By joining, you agree to your data being used as described under “About your data”." in text


def test_a_refused_join_shows_the_notice_again(client, api, owner, workshop):
    session = _session(api, owner, workshop)
    r = client.post(
        "/join",
        data={"join_code": session["join_code"], "name": "", "organization_type": "opd", "organization": "Diskominfo"},
    )
    assert r.status_code == 422
    assert "Dengan bergabung, Anda menyetujui" in _text(r.text)


# --- the settings API -----------------------------------------------------------------------------------------


def test_the_workshop_carries_its_privacy_settings(client, owner, workshop):
    assert workshop["privacy_notice"] is None
    assert workshop["retention_days"] == 90
    assert workshop["names_erased_on"] is None  # no session has run
    assert workshop["names_erased_at"] is None
    assert "Bimtek Smart City Padang Pariaman" in workshop["privacy_notice_effective"]
    assert "Dewi Kominfo" in workshop["privacy_notice_effective"]
    english = client.get(f"/api/v1/workshops/{workshop['id']}?lang=en", headers=owner).json()
    assert english["privacy_notice_effective"].startswith("Your data is used to run the workshop")


def test_the_owner_changes_one_setting_and_the_other_stays(app, client, owner, workshop):
    url_id = workshop["id"]
    r = _patch(client, owner, url_id, {"retention_days": 30})
    assert r.status_code == 200, r.text
    assert r.json()["retention_days"] == 30 and r.json()["privacy_notice"] is None
    r = _patch(client, owner, url_id, {"privacy_notice": "  Tanya Bappeda.\r\nTelp 0751  "})
    assert r.json()["privacy_notice"] == "Tanya Bappeda.\nTelp 0751"
    assert r.json()["privacy_notice_effective"] == "Tanya Bappeda.\nTelp 0751"
    assert r.json()["retention_days"] == 30  # left out: unchanged
    r = _patch(client, owner, url_id, {"retention_days": None})
    assert r.json()["retention_days"] is None and r.json()["privacy_notice"] == "Tanya Bappeda.\nTelp 0751"
    for default in ("", "   ", None):
        r = _patch(client, owner, url_id, {"privacy_notice": default})
        assert r.json()["privacy_notice"] is None
        assert "Dewi Kominfo" in r.json()["privacy_notice_effective"]
    assert client.get(f"/api/v1/workshops/{url_id}", headers=owner).json()["retention_days"] is None
    # One audit entry per change that changed something, by the owner, naming no person.
    entries = _audit(app, url_id)
    assert [e.action for e in entries] == ["settings.privacy_changed"] * 4
    assert all(e.actor_id is not None for e in entries)
    assert "30 days" in entries[0].target and "own notice" in entries[1].target
    assert "names kept" in entries[2].target and "default notice" in entries[3].target
    assert _patch(client, owner, url_id, {}).status_code == 200
    assert len(_audit(app, url_id)) == 4


@pytest.mark.parametrize(
    "body",
    [
        {"retention_days": 0},
        {"retention_days": 3651},
        {"retention_days": -5},
    ],
)
def test_retention_outside_its_range_is_refused_saying_what_fits(client, owner, workshop, body):
    r = _patch(client, owner, workshop["id"], body)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "Isi antara 1 dan 3650 hari setelah sesi terakhir, atau pilih simpan (tidak dihapus)."
    )
    assert client.get(f"/api/v1/workshops/{workshop['id']}", headers=owner).json()["retention_days"] == 90


@pytest.mark.parametrize(
    "body",
    [
        {"retention_days": "90"},
        {"retention_days": 90.5},
        {"retention_days": True},
        {"privacy_notice": 5},
        {"retention": 30},
        {"privacy_notice": "x" * 2001},
    ],
)
def test_malformed_settings_are_refused(client, owner, workshop, body):
    assert _patch(client, owner, workshop["id"], body).status_code == 422


def test_only_the_owner_changes_privacy_settings(client, api, owner, workshop):
    co = api.facilitator("sari@kominfo.go.id", name="Sari")
    r = client.post(
        f"/api/v1/workshops/{workshop['id']}/members",
        json={"email": "sari@kominfo.go.id", "role": "co_facilitator"},
        headers=owner,
    )
    assert r.status_code in (200, 201), r.text
    stranger = api.facilitator("budi@kominfo.go.id", name="Budi")
    refused = _patch(client, co, workshop["id"], {"retention_days": 1})
    assert refused.status_code == 403
    assert _patch(client, stranger, workshop["id"], {"retention_days": 1}).status_code == 404
    assert _patch(client, {}, workshop["id"], {"retention_days": 1}).status_code == 401
    assert client.get(f"/api/v1/workshops/{workshop['id']}", headers=co).json()["retention_days"] == 90


# --- the console --------------------------------------------------------------------------------------------------


def _workshop_page(console) -> tuple[str, str]:
    url = location(
        console.post(
            "/console/workshops",
            data={"title": "Bimtek Smart City", "region": "Kota Padang", "year": "2026"},
            follow_redirects=False,
        )
    )
    return url, console.get(url).text


def test_the_console_form_sets_the_notice_and_the_retention(console):
    url, page = _workshop_page(console)
    assert "Data pribadi" in page
    assert "Nama peserta akan dihapus 90 hari setelah sesi terakhir ditutup." in _text(page)
    # The default text is the textarea's placeholder; the field itself is empty.
    assert re.search(r'placeholder="Data Anda dipakai untuk menjalankan lokakarya[^"]*Dewi[^"]*"></textarea>', page)
    action = f"{url}/privacy"
    r = console.post(action, data={"privacy_notice": "Tanya Bappeda.", "retention_days": "30"}, follow_redirects=False)
    assert location(r) == f"{url}#privacy"
    page = console.get(url).text
    assert ">Tanya Bappeda.</textarea>" in page
    assert "Nama peserta akan dihapus 30 hari setelah sesi terakhir ditutup." in _text(page)
    r = console.post(
        action,
        data={"privacy_notice": "Tanya Bappeda.", "retention": "keep", "retention_days": "30"},
        follow_redirects=False,
    )
    assert location(r)
    page = console.get(url).text
    assert "Nama peserta disimpan (tidak dihapus otomatis)." in _text(page)
    assert 'id="retention-keep" name="retention" value="keep" checked' in page


def test_the_console_form_keeps_what_was_typed_when_refused(console):
    url, _page = _workshop_page(console)
    r = console.post(f"{url}/privacy", data={"privacy_notice": "Tanya Bappeda.", "retention_days": "9999"})
    assert r.status_code == 422
    text = _text(r.text)
    assert "Isi antara 1 dan 3650 hari" in text
    assert ">Tanya Bappeda.</textarea>" in r.text and 'value="9999"' in r.text
    r = console.post(f"{url}/privacy", data={"retention_days": "sembilan puluh"})
    assert r.status_code == 422 and "Hari harus berupa bilangan bulat." in _text(r.text)
    assert "Nama peserta akan dihapus 90 hari" in _text(console.get(url).text)


def test_a_body_that_is_not_json_is_a_422_not_a_crash(client, owner, workshop):
    """A zip or a picture sent to the settings (the fuzzer sends the import's zip here:
    ``/workshops/import`` matches ``/workshops/{id}`` for a PATCH) is echoed leniently."""
    for path in (f"/api/v1/workshops/{workshop['id']}", "/api/v1/workshops/import"):
        r = client.patch(path, content=b"\x89PNG\r\n\x1a\n\x00", headers={**owner, "Content-Type": "application/zip"})
        assert r.status_code == 422, r.text
        assert isinstance(r.json()["detail"], list)
