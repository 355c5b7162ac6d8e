"""The review list of suggestions in a real Chromium, by keyboard only: a facilitator
with 60 ideas accepts three suggested groups (renaming one, taking an idea out of
another) and two suggested dimensions, and the board open in a second tab shows
each change live, without a reload.

Which ideas the engine proposes together is not asserted beyond near-identical
texts: the test reads what the focused suggestion holds and checks the board
follows that. ``REMBUK_SCREENSHOTS=1`` also saves docs/screenshots/console-review.png
(1280×720)."""

from __future__ import annotations

import os
import random

import httpx
import pytest

from tests.builders import Api
from tests.support import ROOT
from tests.support.browser import LIVE_WITHIN_MS, Watch, until, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = os.environ.get("REMBUK_SCREENSHOTS") == "1"

NEAR_DUPLICATES = [
    ("Antrean RSUD panjang sekali", "living"),
    ("antrian rsud panjang bgt", "living"),
    ("Antrean RSUD panjang sekali tiap pagi", "living"),
    ("Bank sampah digital di tiap kelurahan", "environment"),
    ("bank sampah digital tiap kelurahan", "environment"),
    ("Satu data kependudukan", "governance"),
    ("Satu data kependudukan terpadu", "governance"),
    ("QRIS di pasar tradisional", "economy"),
    ("qris di pasar tradisional kita", "economy"),
]
# Sent without a dimension; their words are the sub-elements' own.
UNPLACED = [
    "Tata kelola sampah dan limbah pasar",
    "Pelayanan publik terpadu di kecamatan",
    "Sarana transportasi ke pelabuhan",
]
DIMENSIONS = ["governance", "branding", "economy", "living", "society", "environment"]


def fillers(count: int) -> list[tuple[str, str]]:
    """Ideas that share no words: nothing to propose for them."""
    rng = random.Random(7)
    words: set[str] = set()
    while len(words) < count * 2:
        words.add("".join(rng.choice("bcdfghjklmnprstw") + rng.choice("aiueo") for _ in range(4)))
    pool = sorted(words)
    return [(f"Program {pool[2 * n].title()} {pool[2 * n + 1]}", DIMENSIONS[n % 6]) for n in range(count)]


def seed(base: str, email: str) -> tuple[int, dict[int, int]]:
    """A session in the group phase with 60 ideas from three phones: (session id,
    {idea id: its group id as sent})."""
    with httpx.Client(base_url=base, timeout=20) as client:
        api = Api(client)
        fac = api.login(email)
        session = api.session(fac)
        phones = [api.join(session["join_code"], name=n) for n in ("Rina", "Budi", "Sari")]
        texts = NEAR_DUPLICATES + [(t, None) for t in UNPLACED]
        texts += fillers(60 - len(texts))
        groups = {}
        for n, (text, dimension) in enumerate(texts):
            idea = api.idea(phones[n % 3], text, dimension)
            groups[idea["id"]] = idea["group_id"]
        api.phase(fac, session["id"], "group")
    return session["id"], groups


def login(page, base: str, email: str) -> None:
    from tests.builders import PASSWORD

    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/console")


def focused(page) -> dict:
    """What the focused suggestion holds: its key and its ticked ideas, in order."""
    return page.evaluate(
        """() => {
          const item = document.activeElement.closest('.review-item');
          if (!item) return null;
          return {key: item.dataset.key,
                  ideas: [...item.querySelectorAll('[data-role=idea]')].filter(b => b.checked)
                           .map(b => Number(b.value.split(':')[1]))};
        }"""
    )


def test_accept_groups_and_dimensions_by_keyboard_and_the_board_follows(chromium, live_server, facilitator_email):
    from playwright.sync_api import expect

    base, watch = live_server.url, Watch()
    session_id, groups = seed(base, facilitator_email)
    laptop = chromium.new_context(viewport={"width": 1280, "height": 720})
    console = watch.page(laptop)
    login(console, base, facilitator_email)
    board = watch.page(laptop)  # a second tab of the same browser
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)
    board.evaluate("window.stillTheSamePage = true")

    console.goto(f"{base}/console/sessions/{session_id}")
    wait_live(console)
    console.keyboard.press("g")  # to the suggested groups
    until(console, "document.activeElement.matches('#group-suggestions .review-item')")
    if SCREENSHOTS:
        console.locator("#suggestions").scroll_into_view_if_needed()
        console.screenshot(path=str(ROOT / "docs" / "screenshots" / "console-review.png"))

    accepted = []
    for step in range(3):
        cluster = focused(console)
        assert cluster is not None and len(cluster["ideas"]) >= 2
        if step == 0:
            console.keyboard.press("r")  # rename, then Enter accepts from the title
            console.keyboard.press("Control+a")
            console.keyboard.type("Antrean RSUD")
        if step == 1 and len(cluster["ideas"]) > 2:
            console.keyboard.press(str(len(cluster["ideas"])))  # take the last idea out
            cluster["ideas"].pop()
        with console.expect_navigation():
            console.keyboard.press("Enter")
        assert console.url.endswith("#group-suggestions")
        until(console, "document.activeElement.matches('.review-item')"
                       " || !document.querySelector('#group-suggestions .review-item')")
        accepted.append(cluster)

    for n, cluster in enumerate(accepted):
        card = f"#group-{groups[cluster['ideas'][0]]}"
        until(board, f"document.querySelectorAll('{card} .gidea').length === {len(cluster['ideas'])}", LIVE_WITHIN_MS)
        if n == 0:
            expect(board.locator(f"{card} .group-title")).to_have_text("Antrean RSUD", timeout=LIVE_WITHIN_MS)
    expect(console.locator("#group-suggestions .alert-error")).to_have_count(0)

    console.keyboard.press("d")  # to the suggested dimensions
    for _ in range(2):
        until(console, "document.activeElement.matches('#dimension-suggestions .review-item')")
        key, guess = console.evaluate(
            "() => [document.activeElement.dataset.key,"
            " document.activeElement.querySelector('input[name=guess]').value]"
        )
        idea_id, dimension = int(key[1:]), guess.split(":")[1]
        with console.expect_navigation():
            console.keyboard.press("Enter")
        assert console.url.endswith("#dimension-suggestions")
        until(board, f"!!document.querySelector('#gcol-{dimension} #gidea-{idea_id}')", LIVE_WITHIN_MS)

    assert board.evaluate("window.stillTheSamePage === true")  # live, never reloaded
    assert not watch.errors and not watch.dialogs, (watch.errors, watch.dialogs)
    laptop.close()
