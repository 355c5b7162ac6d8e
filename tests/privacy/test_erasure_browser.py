"""Erasing a person from the console in Chromium: "Hapus data pribadi" opens its
confirmation in place, "Ya, hapus" erases, and the projector open at the same time
stops showing the name (it reads the board afresh on ``participant.erased``).

``REMBUK_SCREENSHOTS=1`` also saves the console's list at 1280×720 (the confirmation
open) as docs/screenshots/console-erase.png.
"""

from __future__ import annotations

import os

import pytest

from tests.support import ROOT
from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, join_by_typing, set_up_session, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

NAME, OFFICE = "Rinawati Sukmadewi", "Kantor Camat Sukmajaya"


def test_the_console_erases_a_person_and_the_projector_follows(chromium, live_server, facilitator_email):
    from playwright.sync_api import expect

    base, watch = live_server.url, Watch()
    laptop = chromium.new_context(viewport={"width": 1280, "height": 720})
    console = watch.page(laptop)
    session_id, code = set_up_session(console, base, facilitator_email)
    # Names on the projector: the session shows its authors.
    console.locator("#set-anonymous").uncheck()
    console.locator("#settings button[type=submit]").click()
    console.wait_for_load_state("load")
    phone = watch.page(chromium.new_context(**PHONE))
    join_by_typing(phone, base, code, NAME, "opd", OFFICE)
    phone.fill("#idea-text", "Antrean online puskesmas desa")
    phone.click("label[for=new-dim-living]")
    phone.click("#idea-form button[type=submit]")
    board = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720},
                                            storage_state=laptop.storage_state()))
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)
    expect(board.locator("body")).to_contain_text("Antrean online puskesmas desa", timeout=LIVE_WITHIN_MS)
    expect(board.locator("body")).to_contain_text(NAME)

    console.goto(f"{base}/console/sessions/{session_id}")
    console.reload()  # (a hash change alone would not load the list with the new person)
    wait_live(console)
    people = console.locator("#join")
    people.locator("summary").first.click()
    row = people.locator("li", has_text=NAME)
    expect(row.get_by_role("link", name="Unduh data")).to_be_visible()
    row.locator("details.erase-person summary").click()
    confirm = row.get_by_role("button", name="Ya, hapus")
    expect(confirm).to_be_visible()
    if os.environ.get("REMBUK_SCREENSHOTS"):
        row.scroll_into_view_if_needed()
        console.screenshot(path=str(ROOT / "docs" / "screenshots" / "console-erase.png"))
    confirm.click()
    # The form's 303 and the live stream's reload race; either way the page that stays
    # is the new one: wait for it, not for one navigation.
    expect(console.locator("#join")).to_contain_text("Nama dihapus", timeout=10_000)
    console.wait_for_load_state("load")
    expect(console.locator("body")).not_to_contain_text(NAME)
    # The projector reloaded in place: the idea stays, without its author.
    expect(board.locator("body")).not_to_contain_text(NAME, timeout=LIVE_WITHIN_MS * 2)
    expect(board.locator("body")).to_contain_text("Antrean online puskesmas desa")
    assert not watch.dialogs and not watch.errors, (watch.dialogs, watch.errors)
