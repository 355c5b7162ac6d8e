"""The phone on hotel Wi-Fi, in Chromium: what is typed or tapped offline is kept on
the phone, survives a reload without network (the service worker), and is sent once
when the connection returns; a refused item says why and keeps its text; a dot whose
answer was lost is sent again and gives one dot."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest

from app import i18n
from tests.builders import Api
from tests.support.browser import PHONE, Watch, join_by_post, until, wait_live

pytestmark = pytest.mark.browser

# Every confirmation the outbox shows (each fades after a few seconds).
CONFIRMATIONS = """() => {
  window.confirmed = [];
  const note = () => document.querySelectorAll('#outbox .outbox-item.is-sent').forEach(li => {
    const said = li.textContent.replace(/\\s+/g, ' ').trim();
    if (!window.confirmed.includes(said)) window.confirmed.push(said);
  });
  note();
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                     characterData: true});
}"""
OFFLINE_IDEAS = ["Antrean online RSUD lewat WhatsApp", "Peta rawan banjir yang bisa dibuka warga"]


@pytest.fixture
def room(api, live_server):
    fac = api.facilitator()
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        session = Api(http).session(fac)
    return fac, session


def ideas_on_server(api, fac, session_id: int) -> list[str]:
    return sorted(i["text"] for g in api.board(fac, session_id)["groups"] for i in g["ideas"])


def phone(chromium, watch, base: str, code: str, *, service_worker: bool = True):
    # Playwright cannot intercept requests of a page a service worker controls.
    context = chromium.new_context(**PHONE, service_workers="allow" if service_worker else "block")
    page = watch.page(context)
    join_by_post(page, base, code, "Rina Marlina", "opd", "Diskominfo")  # typed in test_brainstorm
    if not service_worker:
        return context, page
    # The service worker controls the page and the page is in its cache.
    until(page, "!!navigator.serviceWorker.controller", 10000)
    until(page, "caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.match(location.pathname)))))"
                ".then(found => found.some(Boolean))", 10000)
    return context, page


def submit_idea(page, text: str) -> None:
    page.fill("#idea-text", text)
    page.click("#idea-form button[type=submit]")


def test_ideas_typed_offline_survive_a_reload_and_are_sent_once(chromium, api, live_server, room):
    from playwright.sync_api import expect

    fac, session = room
    watch = Watch()
    context, page = phone(chromium, watch, live_server.url, session["join_code"])
    context.set_offline(True)
    expect(page.locator("#live-status")).to_have_attribute("data-state", "offline")
    for n, text in enumerate(OFFLINE_IDEAS, start=1):
        submit_idea(page, text)
        expect(page.locator("#outbox .outbox-count")).to_have_text(f"{n} menunggu koneksi")
        expect(page.locator("#idea-text")).to_have_value("")  # ready for the next idea
    expect(page.locator("#outbox .outbox-label")).to_have_text([f"Ide: {t}" for t in OFFLINE_IDEAS])
    assert ideas_on_server(api, fac, session["id"]) == []

    page.reload()  # no network: the service worker's copy, and the kept ideas
    expect(page.locator("#idea-form")).to_be_visible()
    page.evaluate(CONFIRMATIONS)
    expect(page.locator("#outbox .outbox-label")).to_have_text([f"Ide: {t}" for t in OFFLINE_IDEAS])
    # (Not "nothing on the server yet": Chromium's offline emulation does not reach
    # requests a service worker lets through, so a reloaded page may already send.)

    context.set_offline(False)
    wait_live(page)
    expect(page.locator("#outbox .outbox-count")).to_have_text("", timeout=10000)
    expect(page.locator("#outbox .outbox-item.is-waiting")).to_have_count(0)
    until(page, "window.confirmed.length === 2")  # each said "Terkirim" on the phone
    assert sorted(page.evaluate("window.confirmed")) == sorted(f"Ide: {t} Terkirim" for t in OFFLINE_IDEAS)
    # On the server once each, and in the phone's own list (through the live stream).
    assert ideas_on_server(api, fac, session["id"]) == sorted(OFFLINE_IDEAS)
    for text in OFFLINE_IDEAS:
        expect(page.locator("#my-ideas .idea-text", has_text=text)).to_have_count(1)
    page.reload()
    assert ideas_on_server(api, fac, session["id"]) == sorted(OFFLINE_IDEAS)  # nothing sent twice
    assert watch.errors == [] and watch.dialogs == [], (watch.errors, watch.dialogs)
    context.close()


def test_an_idea_refused_when_it_arrives_says_why_and_keeps_its_text(chromium, api, live_server, room):
    from playwright.sync_api import expect

    fac, session = room
    watch = Watch()
    context, page = phone(chromium, watch, live_server.url, session["join_code"])
    context.set_offline(True)
    expect(page.locator("#live-status")).to_have_attribute("data-state", "offline")
    submit_idea(page, "Usulan yang terlambat")
    api.phase(fac, session["id"], "group")  # the room moved on meanwhile
    context.set_offline(False)

    refused = page.locator("#outbox .outbox-item.is-refused")
    expect(refused).to_have_count(1, timeout=10000)
    expect(refused.locator(".outbox-label")).to_have_text("Ide: Usulan yang terlambat")
    reason = i18n.gettext("id", "Brainstorming is not open: ideas can only be sent during the brainstorm phase.")
    expect(refused.locator(".outbox-state")).to_contain_text(reason)
    expect(refused.locator(".outbox-state")).to_contain_text("Teksnya tetap di sini")
    assert ideas_on_server(api, fac, session["id"]) == []
    page.reload()  # still there until the person closes it
    expect(page.locator("#outbox .outbox-item.is-refused")).to_have_count(1)
    page.locator("#outbox .outbox-close").click()
    expect(page.locator("#outbox")).to_be_hidden()
    page.reload()
    expect(page.locator("#outbox")).to_be_hidden()
    assert watch.errors == [] and watch.dialogs == [], (watch.errors, watch.dialogs)
    context.close()


def test_a_dot_whose_answer_was_lost_is_sent_again_and_counts_once(chromium, api, live_server, room):
    from playwright.sync_api import expect

    fac, session = room
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        budi = Api(http).join(session["join_code"], "Budi")
        group = Api(http).idea(budi, "Bank sampah digital")["group_id"]
    api.phase(fac, session["id"], "vote")
    watch = Watch()
    context, page = phone(chromium, watch, live_server.url, session["join_code"], service_worker=False)
    taps = []

    def lose_the_first_answer(route):
        taps.append(route.request.post_data)
        if len(taps) == 1:
            assert route.fetch().status == 200  # the server gives the dot ...
            route.abort("connectionreset")  # ... and its answer never reaches the phone
        else:
            route.continue_()

    page.route(f"**/s/{session['id']}/groups/{group}/vote", lose_the_first_answer)
    page.locator(f"#vg-{group}-mine .vote-plus").click()
    expect(page.locator("#outbox .outbox-item.is-sent")).to_have_count(1, timeout=10000)
    expect(page.locator("#outbox .outbox-label")).to_have_text("Beri satu titik: Bank sampah digital")
    first, again = (parse_qs(tap) for tap in taps)
    assert again["key"] == first["key"] and "seen" not in again  # the same tap, said to be the same
    [on_board] = [g for g in api.board(fac, session["id"])["groups"] if g["id"] == group]
    assert on_board["votes"] == 1  # one dot, though the server heard the tap twice
    expect(page.locator(".votes-left-num")).to_have_text("4")
    assert watch.dialogs == [], watch.dialogs
    context.close()
