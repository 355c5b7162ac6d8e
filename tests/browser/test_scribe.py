"""The scribe (notulis) in a real Chromium: a member of the workshop's team with the
scribe role opens "Catat ide", enters ten ideas from paper cards by keyboard only
(Enter saves, the person stays, the text field is focused again), and the
projector, open in another tab, shows each one live.

``REMBUK_SCREENSHOTS=1`` also saves the page at 1280×720 and at 360 px wide in
/tmp (scribe-1280.png, scribe-360.png) for a look."""

from __future__ import annotations

import os

import pytest

from app.domain import Role
from app.models import Session, Stage, Workshop, WorkshopMember
from app.services import facilitators, workshops
from tests.builders import PASSWORD
from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, open_session, until, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

CARDS = [
    ("Pak Darmawan", "Pokdarwis Pantai Gandoriah", "Paket wisata digital Pantai Gandoriah"),
    ("Pak Darmawan", "Pokdarwis Pantai Gandoriah", "Pemandu wisata bersertifikat dan terdaftar online"),
    ("Pak Darmawan", "Pokdarwis Pantai Gandoriah", "Homestay warga di peta wisata kabupaten"),
    ("Pak Darmawan", "Pokdarwis Pantai Gandoriah", "Tiket masuk objek wisata dengan QRIS"),
    ("Pak Darmawan", "Pokdarwis Pantai Gandoriah", "Jalur evakuasi tsunami di aplikasi wisata"),
    ("Bu Yenni", "Pokdarwis Nagari Tandikek", "Festival tenun Tandikek dipromosikan daring"),
    ("Bu Yenni", "Pokdarwis Nagari Tandikek", "Pelatihan foto produk untuk penenun"),
    ("Bu Yenni", "Pokdarwis Nagari Tandikek", "Katalog motif tenun yang bisa dipesan"),
    ("Bu Yenni", "Pokdarwis Nagari Tandikek", "Wi-Fi publik di balai nagari"),
    ("Bu Yenni", "Pokdarwis Nagari Tandikek", "Pasar online produk UMKM nagari"),
]


def make_scribe(app, session_id: int) -> str:
    """A facilitator added to the session's workshop as its scribe (no members API:
    the service adds the member and the role is set on its row)."""
    email = f"notulis-{session_id}@kominfo.go.id"
    with app.state.sessions() as db:
        scribe = facilitators.create_facilitator(db, email=email, password=PASSWORD, name="Nur Notulis")
        stage = db.get(Stage, db.get(Session, session_id).stage_id)
        workshop = db.get(Workshop, stage.workshop_id)
        workshops.add_member(db, workshop=workshop, facilitator=scribe)
        member = db.get(WorkshopMember, (workshop.id, scribe.id))
        member.role = Role.scribe.value
        db.commit()
    app.state.engine.dispose()
    return email


def log_in(page, base: str, email: str, next_url: str) -> None:
    page.goto(f"{base}{next_url}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def test_a_scribe_enters_ten_cards_by_keyboard_and_the_board_shows_them(chromium, live_server, facilitator_email, app):
    from playwright.sync_api import expect

    base = live_server.url
    watch = Watch()
    laptop = chromium.new_context(viewport={"width": 1366, "height": 900})
    owner = watch.page(laptop)
    session_id, _code = open_session(owner, base, facilitator_email)  # test_brainstorm clicks the set-up
    board = watch.page(laptop)  # the projector, another tab of the owner's browser
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)

    scribe_browser = chromium.new_context(viewport={"width": 1280, "height": 720})
    page = watch.page(scribe_browser)
    log_in(page, base, make_scribe(app, session_id), f"/console/sessions/{session_id}/scribe")
    expect(page.locator("#scribe-name")).to_be_focused()

    keys = page.keyboard
    person = None
    for n, (name, organization, text) in enumerate(CARDS):
        if (name, organization) != person:
            # A new person: from the name field (where the page starts, or Shift+Tab back).
            if person is not None:
                for _ in range(4):
                    keys.press("Shift+Tab")
                keys.press("Control+a")
            expect(page.locator("#scribe-name")).to_be_focused()
            keys.type(name)
            keys.press("Tab")
            if person is None:
                for _ in range(4):  # "Kelompok Sadar Wisata (Pokdarwis)", the 4th type
                    keys.press("ArrowDown")
            keys.press("Tab")
            keys.press("Control+a")
            keys.type(organization)
            keys.press("Tab")
            if person is None:
                for _ in range(3):  # Smart Economy
                    keys.press("ArrowDown")
            keys.press("Tab")
            person = (name, organization)
        expect(page.locator("#scribe-text")).to_be_focused()
        keys.type(text)
        keys.press("Enter")
        expect(page.locator("#scribe-status")).to_contain_text(text[:40])
        expect(page.locator("#scribe-text")).to_have_value("")
        expect(page.locator("#scribe-text")).to_be_focused()
        expect(page.locator("#scribe-name")).to_have_value(name)
        expect(page.locator("#scribe-recent li").first).to_contain_text(text)
        expect(board.locator("#col-economy .idea-card", has_text=text)).to_be_visible(timeout=LIVE_WITHIN_MS)
        assert page.locator("#scribe-recent li").count() == n + 1

    # Two people, counted for their organisation type; the console marks the ideas.
    until(board, "document.querySelector('#participant-count').textContent.trim() === '2'")
    owner.goto(f"{base}/console/sessions/{session_id}")
    expect(owner.locator("#moderation-rows .badge-scribe")).to_have_count(10)
    expect(owner.locator("#moderation-rows .badge-scribe").first).to_have_text("dicatat notulis")

    if os.environ.get("REMBUK_SCREENSHOTS") == "1":
        page.screenshot(path="/tmp/scribe-1280.png")
        narrow = chromium.new_context(**PHONE, storage_state=scribe_browser.storage_state())
        phone = watch.page(narrow)
        phone.goto(f"{base}/console/sessions/{session_id}/scribe")
        phone.screenshot(path="/tmp/scribe-360.png", full_page=True)
        narrow.close()
    assert watch.dialogs == [] and watch.errors == []
    scribe_browser.close()
    laptop.close()
