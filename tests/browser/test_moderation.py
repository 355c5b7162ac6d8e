"""Moderation in Chromium: an idea that hits the word filter waits in the console's
queue and never reaches the projector (hidden with one key); with pre-moderation
on, an ordinary idea waits too, its author's phone says so, and one key in the
console puts it on the projector live.

``REMBUK_SCREENSHOTS=1`` also saves docs/screenshots/console-moderation.png.
"""

from __future__ import annotations

import os

import pytest

from tests.support import ROOT
from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, join_by_post, open_session, until, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

RUDE = "Pelayanan dinas ini b4ngs4t"
GOOD = "Posyandu digital di setiap nagari"


def send(phone, text: str) -> None:
    phone.fill("#idea-text", text)
    phone.click("label[for=new-dim-living]")
    phone.click("#idea-form button[type=submit]")


def caught_up(page, other) -> None:
    """``page`` has applied every event ``other`` has: what it does not show now, it
    was not sent."""
    seq = int(other.evaluate("document.body.dataset.seq"))
    until(page, f"Number(document.body.dataset.seq) >= {seq}", LIVE_WITHIN_MS)


def test_held_ideas_wait_for_the_facilitator_and_one_key_decides(chromium, live_server, facilitator_email):
    from playwright.sync_api import expect

    base, watch = live_server.url, Watch()
    laptop = chromium.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = open_session(console, base, facilitator_email)  # test_brainstorm clicks the set-up
    wait_live(console)
    board = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720},
                                            storage_state=laptop.storage_state()))
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)
    phone = watch.page(chromium.new_context(**PHONE))
    join_by_post(phone, base, code, "Rina Marlina", "opd", "Diskominfo")

    queue = console.locator("#held-rows .held-row")
    # Moderation is off, but the default word filter holds this one.
    send(phone, RUDE)
    expect(queue.filter(has_text=RUDE)).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(queue.filter(has_text=RUDE)).to_contain_text("Filter kata")
    expect(console.locator("#held-count")).to_have_text("1")
    expect(phone.locator("#my-ideas .idea-card", has_text=RUDE)).to_contain_text("Menunggu moderasi")
    caught_up(board, console)
    expect(board.locator(".idea-card", has_text="b4ngs4t")).to_have_count(0)
    console.locator("body").press("m")
    console.keyboard.press("h")  # hide it: it leaves the queue and never reaches the board
    expect(queue).to_have_count(0)
    expect(console.locator("#held-count")).to_have_text("0")
    expect(console.locator("#moderation-rows tr", has_text=RUDE)).to_contain_text("Disembunyikan")

    # Pre-moderation on: an ordinary idea waits as well, until "a".
    console.select_option("#set-moderation", "pre")
    # The form's answer (303 back) and the live stream's reload for the new settings
    # race; either way the page that stays is the new one: wait for it, not for one
    # particular navigation (the other may abort it).
    console.locator("#settings button[type=submit]").click()
    expect(console.locator("#held-queue")).to_contain_text("Moderasi aktif", timeout=10_000)
    console.wait_for_load_state("load")
    wait_live(console)
    send(phone, GOOD)
    expect(queue.filter(has_text=GOOD)).to_be_visible(timeout=LIVE_WITHIN_MS)
    waiting = phone.locator("#my-ideas .idea-card", has_text=GOOD)
    expect(waiting).to_contain_text("Menunggu moderasi")
    caught_up(board, console)
    expect(board.locator(".idea-card", has_text=GOOD)).to_have_count(0)
    if os.environ.get("REMBUK_SCREENSHOTS"):
        console.locator("#held-queue").scroll_into_view_if_needed()
        console.screenshot(path=str(ROOT / "docs/screenshots/console-moderation.png"))
    console.locator("body").press("m")
    expect(queue.first).to_be_focused()
    console.keyboard.press("a")
    expect(board.locator("#col-living .idea-card", has_text=GOOD)).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(queue).to_have_count(0)
    expect(waiting).not_to_contain_text("Menunggu moderasi", timeout=LIVE_WITHIN_MS)
    assert watch.dialogs == [] and watch.errors == [], (watch.dialogs, watch.errors)
