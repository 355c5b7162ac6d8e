"""The acceptance test of quick-win scoring, in a real Chromium (Playwright sync API).

Two phones rate every candidate group on impact and feasibility (1–5) by tapping
the big number buttons; each phone sees what it saved and changes one rating; the
facilitator's console follows the means live while the projector keeps them hidden.
The facilitator moves to the results and the projector draws the impact ×
feasibility matrix: each group's dot where its two means put it (checked on the SVG
attributes against ``app.services.matrix``), the quick-win quadrant shaded and named.

A second test follows a SWOT board live: ideas land in their quadrants, a board
filtered to one dimension hides the others, and switching the layout redraws the
board and takes the SWOT question off the phone without a reload.

Runs on every database backend (it takes ``settings`` through ``live_server``).
"""

from __future__ import annotations

import pytest

from app.services import matrix
from tests.support.browser import PHONE, Watch, join_by_post, open_session, send, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

# A deadline for "it arrived live (no reload)", not a speed claim: the suite runs on
# two processes beside servers and browsers; bench/room.py measures the speed.
LIVE_WITHIN_MS = 5000
IDEAS = [  # (phone, text, dimension)
    (0, "Perizinan online terpadu di Mal Pelayanan Publik", "governance"),
    (1, "Jembatan gantung baru antar-nagari", "living"),
    (0, "QRIS di pasar nagari dan objek wisata", "economy"),
]
# What each phone rates (impact, feasibility), by the start of the group's title.
RATINGS = {
    0: {"Perizinan": (5, 4), "Jembatan": (5, 1), "QRIS": (2, 5)},
    1: {"Perizinan": (4, 4), "Jembatan": (4, 2), "QRIS": (3, 4)},
}
# Means: Perizinan 4.5 / 4.0 (quick win), Jembatan 4.5 / 1.5 (major project), QRIS 2.5 / 4.5 (fill-in).
EXPECTED = {"Perizinan": (4.5, 4.0, "quick_win"), "Jembatan": (4.5, 1.5, "major_project"),
            "QRIS": (2.5, 4.5, "fill_in")}


def tap(page, group_id: str, field: str, value: int) -> None:
    """Tap a number button (the radio itself is visually hidden under its label)."""
    page.locator(f"#sg-{group_id}-form label:has(input[name={field}][value='{value}'])").click()


def rate(page, group_id: str, impact: int, feasibility: int) -> None:
    from playwright.sync_api import expect

    tap(page, group_id, "impact", impact)
    tap(page, group_id, "feasibility", feasibility)
    page.locator(f"#sg-{group_id}-form button[type=submit]").click()
    expect(page.locator(f"#sg-{group_id}-form .rate-saved")).to_have_text(
        f"✓ Tersimpan: dampak {impact}, kelayakan {feasibility}")


def test_two_phones_score_and_the_board_draws_the_matrix(chromium, live_server, facilitator_email):
    from playwright.sync_api import expect

    browser, base, watch = chromium, live_server.url, Watch()
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = open_session(console, base, facilitator_email)  # test_brainstorm clicks the set-up

    contexts, phones = [], []
    for name, organization in (("Rina Marlina", "Diskominfo"), ("dr. Yusuf", "RSUD Padang Pariaman")):
        context = browser.new_context(**PHONE)
        page = watch.page(context)
        join_by_post(page, base, code, name, "opd", organization)
        contexts.append(context)
        phones.append(page)
    for p, text, dim in IDEAS:
        send(contexts[p], base, session_id, text, dim)

    console.click("button[name=phase][value=score]")
    expect(console.locator("button[name=phase][value=score]")).to_have_attribute("aria-current", "step")
    wait_live(console)
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}, storage_state=laptop.storage_state())
    board = watch.page(projector)
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)
    groups = {prefix: board.locator(".group-card", has_text=text).get_attribute("data-group")
              for prefix, text in ((t.split()[0], t) for _p, t, _d in IDEAS)}
    assert len(set(groups.values())) == 3

    for p, page in enumerate(phones):
        expect(page.locator(".phase-banner")).to_contain_text("Penilaian", timeout=LIVE_WITHIN_MS)  # reloaded into scoring
        wait_live(page)
        expect(page.locator(".score-form")).to_have_count(3)
        for prefix, (impact, feasibility) in RATINGS[p].items():
            rate(page, groups[prefix], impact, feasibility)
        expect(page.locator(".score-form.is-rated")).to_have_count(3)
    # The second phone changes its mind about QRIS: the new rating replaces the first.
    rate(phones[1], groups["QRIS"], 3, 4)
    phones[1].reload()
    form = phones[1].locator(f"#sg-{groups['QRIS']}-form")
    expect(form.locator("input[name=impact][value='3']")).to_be_checked()
    expect(form.locator("input[name=feasibility][value='4']")).to_be_checked()

    # The facilitator sees the means live; the projector keeps them for the results.
    expect(console.locator(f"#group-{groups['Perizinan']}-score")).to_contain_text("Penilai: 2", timeout=LIVE_WITHIN_MS)
    expect(console.locator(f"#group-{groups['Perizinan']}-score")).to_contain_text("4,5")
    expect(board.locator(f"#group-{groups['Perizinan']}-score")).to_have_count(0)
    # A refused value (sent as the form would, bypassing the buttons) saves nothing.
    answer = contexts[0].request.post(f"{base}/s/{session_id}/groups/{groups['QRIS']}/score",
                                      form={"impact": "7", "feasibility": "3"}, max_redirects=0)
    assert answer.status == 422 and "Dampak harus bilangan bulat dari 1 sampai 5." in answer.text()

    console.click("button[name=phase][value=results]")
    expect(board.locator(".phase-pill")).to_have_text("Hasil", timeout=LIVE_WITHIN_MS)
    svg = board.locator("svg.matrix-svg")
    expect(svg).to_be_visible()
    expect(svg.locator(".m-dot")).to_have_count(3)
    for prefix, (impact, feasibility, quadrant) in EXPECTED.items():
        dot = svg.locator(f"#dot-{groups[prefix]}")
        expect(dot).to_have_attribute("data-impact", str(impact))
        expect(dot).to_have_attribute("data-feasibility", str(feasibility))
        expect(dot).to_have_attribute("data-quadrant", quadrant)
        circle = dot.locator("circle")
        assert float(circle.get_attribute("cx")) == matrix.x_of(feasibility), prefix
        assert float(circle.get_attribute("cy")) == matrix.y_of(impact), prefix
    # The quick-win quadrant: shaded above and right of the threshold, and named.
    shade = svg.locator("rect.m-quick-win")
    assert float(shade.get_attribute("x")) == matrix.x_of(3.5)
    assert float(shade.get_attribute("y")) + float(shade.get_attribute("height")) == pytest.approx(matrix.y_of(3.5))
    expect(svg.locator("text.m-q-quick_win")).to_have_text("Quick win")
    box, label = shade.bounding_box(), svg.locator("text.m-q-quick_win").bounding_box()
    assert box["x"] <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"] + 1
    quick = board.locator(".res-quick-wins .qw-title")
    expect(quick).to_have_count(1)
    expect(quick).to_contain_text("Perizinan online terpadu")
    # each phone gets the same matrix
    for page in phones:
        expect(page.locator("svg.matrix-svg .m-dot")).to_have_count(3, timeout=LIVE_WITHIN_MS)

    assert watch.dialogs == [], watch.dialogs
    assert watch.errors == [], watch.errors
    for context in (*contexts, projector, laptop):
        context.close()


def test_swot_board_live_filter_and_layout_switch(chromium, live_server, facilitator_email):
    """A SWOT board fills its quadrants live; a filtered board shows one dimension;
    switching the layout redraws the board and takes the question off the phone
    without reloading it (a half-typed idea stays)."""
    import httpx
    from playwright.sync_api import expect

    from tests.builders import Api

    browser, base, watch = chromium, live_server.url, Watch()
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = open_session(console, base, facilitator_email)  # test_brainstorm clicks the set-up
    with httpx.Client(base_url=base) as client:
        token = Api(client).login(facilitator_email)

        def layout(name: str) -> None:
            r = client.patch(f"/api/v1/sessions/{session_id}", json={"layout": name}, headers=token)
            assert r.status_code == 200, r.text

        layout("swot")
        projector = browser.new_context(viewport={"width": 1920, "height": 1080}, storage_state=laptop.storage_state())
        board, filtered = watch.page(projector), watch.page(projector)
        board.goto(f"{base}/board/{session_id}")
        filtered.goto(f"{base}/board/{session_id}?dimension=governance")
        for page in (board, filtered):
            wait_live(page)
        phone = watch.page(browser.new_context(**PHONE))
        join_by_post(phone, base, code, "Rina Marlina", "opd", "Diskominfo")
        wait_live(phone)

        for text, swot, dim in (("Rawan gempa dan tsunami", "threat", "environment"),
                                ("SDM TIK di OPD masih terbatas", "weakness", "governance")):
            phone.fill("#idea-text", text)
            phone.click(f"label[for=new-swot-{swot}]")
            phone.click(f"label[for=new-dim-{dim}]")
            phone.click("#idea-form button[type=submit]")
            card = board.locator(f"#col-{swot} .idea-card", has_text=text)
            expect(card).to_be_visible(timeout=LIVE_WITHIN_MS)
            expect(card.locator(".dim-badge")).to_have_text("V" if dim == "environment" else "G")
            # The board can show the idea before the phone has swapped in its fresh
            # form; typing the next idea into the old one would lose it.
            expect(phone.locator("#my-ideas .idea-card", has_text=text)).to_be_visible()
            expect(phone.locator("#idea-text")).to_have_value("")
        expect(filtered.locator("#col-weakness .idea-card", has_text="SDM TIK")).to_be_visible(timeout=LIVE_WITHIN_MS)
        expect(filtered.locator(".idea-card", has_text="Rawan gempa")).to_be_hidden()

        phone.fill("#idea-text", "Setengah diketik")
        phone.evaluate("window.stillTheSamePage = true")
        layout("dimensions")
        expect(board.locator("#col-environment .idea-card", has_text="Rawan gempa")).to_be_visible(timeout=LIVE_WITHIN_MS)
        expect(board.locator("#col-threat")).to_have_count(0)
        expect(phone.locator("#swot-field")).to_be_hidden(timeout=LIVE_WITHIN_MS)
        assert phone.evaluate("window.stillTheSamePage === true")
        expect(phone.locator("#idea-text")).to_have_value("Setengah diketik")

    assert watch.dialogs == [], watch.dialogs
    assert watch.errors == [], watch.errors
