"""Beyond the hall, in a real Chromium: an idea sent after the room session (before the
deadline) is marked on the projector live; a read-only link shows the results to a
browser without an account and stops once the facilitator revokes it.

``REMBUK_SCREENSHOTS=1`` saves the pictures to ``REMBUK_SCREENSHOT_DIR`` (default: a
temporary folder) to look at, not into the repository."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, join_by_post, open_session, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]


def shot(page, name: str) -> None:
    if os.environ.get("REMBUK_SCREENSHOTS") == "1":
        folder = Path(os.environ.get("REMBUK_SCREENSHOT_DIR") or tempfile.gettempdir())
        page.screenshot(path=str(folder / f"{name}.png"), caret="initial")  # hiding it injects a style the CSP refuses


def test_late_idea_is_marked_and_the_read_only_link_stops_after_revoke(chromium, live_server, facilitator_email):
    from playwright.sync_api import expect

    base = live_server.url
    watch = Watch()
    laptop = chromium.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = open_session(console, base, facilitator_email)  # test_brainstorm clicks the set-up

    phone_context = chromium.new_context(**PHONE)
    phone = watch.page(phone_context)
    join_by_post(phone, base, code, "Rina Marlina", "opd", "Diskominfo")
    phone.fill("#idea-text", "Antrean online RSUD")
    phone.click("#idea-form button[type=submit]")
    expect(phone.locator("#my-ideas .idea-card", has_text="Antrean online RSUD")).to_be_visible()

    # The room moves on to grouping; the session stays open for late ideas.
    console.click("button[name=phase][value=group]")
    expect(console.locator("button[name=phase][value=group]")).to_have_attribute("aria-current", "step")
    console.fill("#open-until", "2999-12-14T17:00")
    console.click("#late-ideas button[type=submit] >> nth=0")
    expect(console.locator("#late-ideas .badge-late")).to_contain_text("17.00 WIB")

    projector = chromium.new_context(viewport={"width": 1920, "height": 1080}, storage_state=laptop.storage_state())
    board = watch.page(projector)
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)

    phone.goto(f"{base}/s/{session_id}")
    expect(phone.locator("#late-title")).to_have_text("Kirim ide susulan")
    expect(phone.locator(".late-note")).to_contain_text("17.00 WIB")
    shot(phone, "late-phone")
    phone.fill("#idea-text", "Wifi publik di kantor desa")
    phone.click("#idea-form button[type=submit]")
    late = board.locator(".gidea", has_text="Wifi publik di kantor desa")
    expect(late.locator(".badge-late")).to_have_text("Ide susulan", timeout=LIVE_WITHIN_MS)
    expect(board.locator(".gidea", has_text="Antrean online RSUD").locator(".badge-late")).to_have_count(0)
    shot(board, "late-idea-board")

    # Results, shared with someone without an account.
    console.click("button[name=phase][value=results]")
    expect(console.locator("button[name=phase][value=results]")).to_have_attribute("aria-current", "step")
    console.click("#share button:has-text('Buat tautan')")
    link = console.locator("#share-url").input_value()
    assert link.startswith("http") and "/shared/" in link
    shot(console.locator("#late-ideas"), "late-console")
    shot(console.locator("#share"), "share-console")

    guest = watch.page(chromium.new_context(viewport={"width": 1366, "height": 800}))
    guest.goto(base + "/" + link.split("/", 3)[3])
    wait_live(guest)
    expect(guest.locator(".res-overall")).to_be_visible()
    expect(guest.locator(".shared-downloads a")).to_have_count(6)
    assert guest.locator("form").count() == 0
    expect(guest.locator(".join-panel")).to_have_count(0)
    shot(guest, "shared-results")

    console.click("#share button:has-text('Cabut semua tautan')")
    expect(console.locator(".share-count")).to_have_text("0 tautan aktif")
    # The open stream ends within a heartbeat; the page reloads into the refusal.
    expect(guest.locator("main")).to_contain_text("dicabut", timeout=LIVE_WITHIN_MS + 2000)
    shot(guest, "shared-revoked")
    assert not watch.dialogs and not watch.errors, (watch.dialogs, watch.errors)
