"""Deleting a session in Chromium: the owner deletes it through the console's
confirmation page (typing the join code), and the phone and the projector that had it
open say plainly that it was deleted, instead of reconnecting into a 404."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.builders import Api
from tests.support.browser import PHONE, Watch, join_by_typing, wait_live

pytestmark = pytest.mark.browser

SCREENSHOTS = None  # a folder (Path) to keep the screenshots in while working on the pages


def test_open_screens_say_the_session_was_deleted(chromium, api, live_server, tmp_path):
    from playwright.sync_api import expect

    fac = api.facilitator()
    base = live_server.url
    token = fac["Authorization"].split()[1]
    with httpx.Client(base_url=base, timeout=30) as http:
        session = Api(http).session(fac, title="Isu strategis daerah")
    watch = Watch()
    phone = watch.page(chromium.new_context(**PHONE))
    join_by_typing(phone, base, session["join_code"], "Rina Marlina", "opd", "Diskominfo")
    board = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720}))
    console = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720}))
    for page in (board, console):
        page.context.add_cookies([{"name": "rembuk_fac", "value": token, "url": base}])
    board.goto(f"{base}/board/{session['id']}")
    wait_live(board)
    console.goto(f"{base}/console/sessions/{session['id']}")
    wait_live(console)

    console.click(f'a[href="/console/sessions/{session["id"]}/delete"]')
    console.wait_for_url(f"**/console/sessions/{session['id']}/delete")
    shot(console, tmp_path / "confirm.png")
    console.fill("#confirmation", "salah")
    console.click("button.btn-danger")
    expect(console.locator(".alert-error")).to_contain_text("Yang Anda ketik tidak cocok")
    console.fill("#confirmation", session["join_code"])
    console.click("button.btn-danger")
    console.wait_for_url("**/console/workshops/*?deleted=session")
    expect(console.locator(".alert-ok")).to_contain_text("Sesi sudah dihapus")
    expect(console.locator(".danger-zone a.btn-danger")).to_have_text("Hapus Bimtek")  # the owner's
    shot(console, tmp_path / "workshop.png")

    for page, link in ((phone, "/"), (board, "/console")):
        expect(page.locator("#main h1")).to_have_text("Sesi ini sudah dihapus", timeout=3000)
        expect(page.locator("#live-status")).to_have_attribute("data-state", "deleted")
        assert page.locator("#main a.btn").get_attribute("href") == link
    shot(phone, tmp_path / "phone.png")
    # No reconnecting afterwards: the streams stay closed.
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    time.sleep(2.5)
    assert not [url for url in requests if "/stream" in url], requests
    assert not watch.errors and not watch.dialogs, (watch.errors, watch.dialogs)


def shot(page, path) -> None:
    page.screenshot(path=str(SCREENSHOTS / path.name) if SCREENSHOTS else str(path), full_page=True)
