"""The phone as a second screen, in Chromium: every idea the room may see, searchable
and filtered by dimension, kept fresh while open, and "+1 setuju" that reaches the
projector."""

from __future__ import annotations

import httpx
import pytest

from tests.builders import Api
from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, join_by_post

pytestmark = pytest.mark.browser


def test_a_phone_reads_searches_and_agrees_with_the_rooms_ideas(chromium, api, live_server):
    from playwright.sync_api import expect

    fac = api.facilitator()
    base = live_server.url
    with httpx.Client(base_url=base, timeout=30) as http:
        remote = Api(http)
        session = remote.session(fac, anonymous=True)
        budi = remote.join(session["join_code"], "Budi")
        theirs = [remote.idea(budi, "Antrean online RSUD", "living"),
                  remote.idea(budi, "Satu data kependudukan", "governance")]
        hidden = remote.idea(budi, "Ide yang disembunyikan", "living")
    r = api.client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=fac)
    assert r.status_code == 200
    watch = Watch()
    context = chromium.new_context(**PHONE)
    page = watch.page(context)
    join_by_post(page, base, session["join_code"], "Rina Marlina", "opd", "Diskominfo")  # typed in test_brainstorm
    page.fill("#idea-text", "Antrean PDAM lewat WhatsApp")
    page.locator("label[for=new-dim-living]").click()
    page.click("#idea-form button[type=submit]")
    expect(page.locator("#my-ideas .idea-text")).to_have_count(1)

    page.locator("#all-ideas > summary").click()
    items = page.locator("#all-ideas .all-idea-text")
    expect(items).to_have_text(["Antrean online RSUD", "Satu data kependudukan", "Antrean PDAM lewat WhatsApp"])
    # Anonymous: only my own idea carries a name, mine.
    expect(page.locator("#all-ideas .all-idea-author")).to_have_text(["Rina Marlina · Diskominfo"])
    expect(page.locator(f"#all-idea-{theirs[0]['id']} .react-btn")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#all-ideas .all-idea").last.locator(".react-count-only")).to_contain_text("Ide Anda")

    page.fill("#all-q", "antrean")
    expect(items).to_have_text(["Antrean online RSUD", "Antrean PDAM lewat WhatsApp"])
    page.select_option("#all-dim", "governance")
    expect(page.locator("#all-ideas .all-ideas-count")).to_have_text("0 ide")
    page.fill("#all-q", "")
    expect(items).to_have_text(["Satu data kependudukan"])
    page.select_option("#all-dim", "")
    expect(items).to_have_count(3)

    # "+1" on Budi's idea: pressed here, counted on the server and on the projector.
    board = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720}))
    board.context.add_cookies([{"name": "rembuk_fac", "value": fac["Authorization"].split()[1], "url": base}])
    board.goto(f"{base}/board/{session['id']}")
    button = page.locator(f"#all-idea-{theirs[0]['id']} .react-btn")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("(1)")
    expect(board.locator(f"#reactions-{theirs[0]['id']}")).to_contain_text("+1", timeout=LIVE_WITHIN_MS)
    [on_board] = [i for g in api.board(fac, session["id"])["groups"] for i in g["ideas"] if i["id"] == theirs[0]["id"]]
    assert on_board["reactions"] == 1
    button.click()  # taken back
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(board.locator(f"#reactions-{theirs[0]['id']}")).to_have_text("", timeout=LIVE_WITHIN_MS)

    # A new idea in the room reaches the open list by itself.
    with httpx.Client(base_url=base, timeout=30) as http:
        Api(http).idea(budi, "Bank sampah digital", "environment")
    expect(items).to_have_count(4, timeout=8000)
    assert watch.errors == [] and watch.dialogs == [], (watch.errors, watch.dialogs)
    board.context.close()
    context.close()


def test_the_console_orders_groups_by_their_plus_ones_and_keeps_up(chromium, api, live_server):
    from playwright.sync_api import expect

    fac = api.facilitator()
    base = live_server.url
    with httpx.Client(base_url=base, timeout=30) as http:
        remote = Api(http)
        session = remote.session(fac)
        author = remote.join(session["join_code"], "Rina")
        fans = [remote.join(session["join_code"], f"Peserta {n}") for n in range(3)]
        ideas = [remote.idea(author, f"Usulan {n}", "living") for n in range(3)]

        def plus_one(idea, people) -> None:
            for phone in people:
                r = http.post(f"/api/v1/ideas/{idea['id']}/reactions", headers=phone.headers)
                assert r.status_code == 201, r.text

        plus_one(ideas[2], fans[:2])
        plus_one(ideas[1], fans[:1])
        api.phase(fac, session["id"], "group")
        watch = Watch()
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies([{"name": "rembuk_fac", "value": fac["Authorization"].split()[1], "url": base}])
        console = watch.page(context)
        console.goto(f"{base}/console/sessions/{session['id']}")
        cards = console.locator("#gcol-living .group-card")
        in_id_order = [f"group-{i['group_id']}" for i in ideas]

        def order() -> list[str]:
            return [cards.nth(n).get_attribute("id") for n in range(cards.count())]

        assert order() == in_id_order
        button = console.locator("#sort-by-reactions")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        assert order() == [in_id_order[2], in_id_order[1], in_id_order[0]]
        plus_one(ideas[0], fans)  # three more, live: the first group goes to the top
        expect(console.locator(f"#reactions-{ideas[0]['id']}")).to_contain_text("+3", timeout=LIVE_WITHIN_MS)
        expect(cards.first).to_have_id(in_id_order[0])
        assert order() == [in_id_order[0], in_id_order[2], in_id_order[1]]
        button.click()
        assert order() == in_id_order
    assert watch.errors == [], watch.errors
    context.close()
