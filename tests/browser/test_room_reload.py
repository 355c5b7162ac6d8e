"""When the whole room must reload (the vote opens), each phone comes back for its page
at a moment of its own within the server's window, saying "Memperbarui…" meanwhile,
instead of every phone at once (app/realtime/live_phone.py, spread_reload)."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.builders import Api
from tests.support.browser import PHONE, Watch, join_by_post, wait_live

pytestmark = pytest.mark.browser


def brainstorm_with_a_phone(chromium, api, base: str):
    """A brainstorm with one idea, and a phone on it, live: (facilitator, session, watch,
    context, page)."""
    fac = api.facilitator()
    session = api.session(fac)
    api.idea(api.join(session["join_code"], "Budi"), "Antrean online RSUD")
    watch = Watch()
    context = chromium.new_context(**PHONE)
    page = watch.page(context)
    join_by_post(page, base, session["join_code"], "Rina Marlina", "opd", "Diskominfo")
    wait_live(page)
    return fac, session, watch, context, page


def test_the_room_reloads_into_the_ballot_within_the_window_and_says_so(chromium, api, server_factory):
    # 3 s per phone that follows: this one phone alone gets a 3 s window.
    server = server_factory(reload_spread_ms_per_phone=3000)
    fac, session, watch, context, page = brainstorm_with_a_phone(chromium, api, server.url)
    page.evaluate("window.sameDocument = true")  # gone once the page has reloaded
    # What the status said, kept across the reload (the moment within the window is
    # random: it may come before a test could look).
    page.evaluate(
        """() => document.addEventListener('rembuk:state', e => sessionStorage.setItem('states',
            (sessionStorage.getItem('states') || '') + e.detail.state + ' ' + document.body.getAttribute('aria-busy') +
            ' ' + document.querySelector('#live-status [data-when=updating]').textContent + ';'))"""
    )
    started = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=30) as http:  # through the server: it tells its streams
        Api(http).phase(fac, session["id"], "vote")
    # Then, within the window (and the page's own load), the ballot.
    expect(page.locator("main.view-vote")).to_be_visible(timeout=10000)
    assert page.evaluate("window.sameDocument") is None
    # Told at once, the page said it was updating (and was busy) until it reloaded.
    assert page.evaluate("sessionStorage.getItem('states')").startswith("updating true Memperbarui…;")
    assert time.monotonic() - started < 3 + 5
    expect(page.locator("main")).to_contain_text("Antrean online RSUD")
    wait_live(page)
    assert page.evaluate("document.body.getAttribute('aria-busy')") is None
    assert watch.errors == [] and watch.dialogs == [], (watch.errors, watch.dialogs)
    context.close()


def test_a_small_room_reloads_at_once(chromium, api, live_server):
    """With the default (20 ms a phone), one phone is no room to spread: it reloads at once."""
    fac, session, watch, context, page = brainstorm_with_a_phone(chromium, api, live_server.url)
    page.evaluate(
        """() => document.addEventListener('rembuk:state', e => sessionStorage.setItem('states',
            (sessionStorage.getItem('states') || '') + e.detail.state + ';'))"""
    )
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        Api(http).phase(fac, session["id"], "vote")
    expect(page.locator("main.view-vote")).to_be_visible(timeout=10000)
    wait_live(page)
    assert "updating" not in (page.evaluate("sessionStorage.getItem('states')") or "")
    assert watch.errors == [] and watch.dialogs == [], (watch.errors, watch.dialogs)
    context.close()
