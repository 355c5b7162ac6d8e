"""Accessibility for the people in the room, in a real Chromium.

- axe-core (its WCAG 2.0/2.1 A and AA rules and its best practices) finds nothing
  serious or critical on the join, phone, board, console and login pages;
- the console works from the keyboard alone, the focus is always visible, and the
  skip link skips;
- colour is never the only cue on the board: every card carries its dimension's
  letter, every column its letter and name, and the six dimension colours stay apart
  for deuteranopes, protanopes and tritanopes (Machado et al. 2009 simulation,
  CIEDE2000 distance); the letter on each colour reads at 4.5:1 at least.

The worker's server (SQLite: nothing here depends on the database backend) and its
Chromium; the sessions are built once for the module through the API.
axe-core comes with axe-playwright-python (pinned in pyproject's `test` extra) and
runs through `page.evaluate`, which the Content-Security-Policy does not govern.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import httpx
import pytest

from app.domain import DIMENSIONS
from tests.builders import PASSWORD, Api, Phone
from tests.support.browser import PHONE, Watch, open_chromium_needs, until
from tests.support.servers import SHARED_FACILITATOR

pytestmark = [pytest.mark.browser, pytest.mark.server]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}

IDEAS = [  # (text, dimension, swot quadrant on a SWOT session)
    ("Integrasi layanan perizinan online di Mal Pelayanan Publik", "governance", "strength"),
    ("Perizinan online terintegrasi di MPP", "governance", "strength"),
    ("Satu peta data potensi wisata nagari", "branding", "opportunity"),
    ("QRIS di pasar nagari dan objek wisata", "economy", "opportunity"),
    ("Aplikasi antrean online dan rekam medis elektronik RSUD", "living", "weakness"),
    ("Kelas literasi digital untuk ibu-ibu PKK", "society", "weakness"),
    ("Sensor kualitas air sungai untuk peringatan dini", "environment", "threat"),
    ("Perlu dibahas dengan Bappeda dulu", None, None),
]


# --- one server, one browser, the sessions ------------------------------------------------


@dataclass
class Site:
    url: str
    fac_token: str
    workshop_id: int
    sessions: dict[str, dict] = field(default_factory=dict)  # name -> session (API json)
    phones: dict[str, Phone] = field(default_factory=dict)  # name -> one of its participants


@pytest.fixture(scope="module")
def a11y_browser(chromium):
    """The worker's Chromium, once axe-core is importable."""
    open_chromium_needs("axe_playwright_python")
    return chromium


@pytest.fixture(scope="module")
def site(a11y_browser, shared_server) -> Site:
    with httpx.Client(base_url=shared_server.url, timeout=20) as client:
        return build_sessions(Api(client), shared_server.url)


def build_sessions(api: Api, url: str) -> Site:
    """A session per screen state: brainstorm, group (dimensions and SWOT), vote, results."""
    headers = api.login(SHARED_FACILITATOR)
    workshop = api.workshop(headers)
    stage_id = workshop["stages"][0]["id"]
    site = Site(url=url, fac_token=headers["Authorization"].split()[1], workshop_id=workshop["id"])

    def session(name: str, phase: str, layout: str = "dimensions") -> None:
        s = api.session(headers, stage_id, title=f"Isu strategis ({name})", layout=layout)
        phones = [api.join(s["join_code"], "Rina Marlina", "opd", "Diskominfo"),
                  api.join(s["join_code"], "dr. Yusuf", "rsud", "RSUD Padang Pariaman")]
        ideas = [api.idea(phones[i % 2], text, dim, **({"swot": swot} if layout == "swot" and swot else {}))
                 for i, (text, dim, swot) in enumerate(IDEAS)]
        if phase != "brainstorm":
            api.phase(headers, s["id"], "group")
            r = api.client.post(f"/api/v1/ideas/{ideas[1]['id']}/move", json={"group_id": ideas[0]["group_id"]},
                                headers=headers)  # one group of two ideas
            assert r.status_code == 200, r.text
        if phase in ("vote", "results"):
            api.phase(headers, s["id"], "vote")
            for phone, idea in ((phones[0], ideas[0]), (phones[1], ideas[0]), (phones[1], ideas[4])):
                r = api.client.post(f"/api/v1/groups/{idea['group_id']}/votes", headers=phone.headers)
                assert r.status_code == 201, r.text
        if phase == "results":
            api.phase(headers, s["id"], "results")
        site.sessions[name] = s
        site.phones[name] = phones[0]

    session("brainstorm", "brainstorm")
    session("group", "group")
    session("swot-group", "group", layout="swot")
    session("vote", "vote")
    session("results", "results")
    return site


def facilitator_context(browser, site: Site, **options):
    context = browser.new_context(**options)
    context.add_cookies([{"name": "rembuk_fac", "value": site.fac_token, "url": site.url}])
    return context


def phone_context(browser, site: Site, name: str | None, **options):
    context = browser.new_context(**{**PHONE, **options})
    if name:
        phone = site.phones[name]
        context.add_cookies([{"name": f"rembuk_p{phone.session_id}", "value": phone.token, "url": site.url}])
    return context


# --- axe ------------------------------------------------------------------------------------


def axe_violations(page) -> tuple[list[str], list[str]]:
    """What axe finds on the page as it is: (serious or critical, the rest), one line
    per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    blocking, other = [], []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            line = f"{violation['id']} ({violation['impact']}) {node['target']}: {node['html'][:160]} -- {summary}"
            (blocking if violation["impact"] in BLOCKING else other).append(line)
    return blocking, other


# name -> (screen, session, path, both languages). Each page in Indonesian (the default);
# the first of each screen in English too (the lang attribute follows ?lang=).
PAGES = {
    "home": ("phone", None, "/", False),
    "join": ("phone", "brainstorm", "/j/{code}", True),
    "login": ("phone", None, "/login", True),
    "phone-brainstorm": ("phone", "brainstorm", "/s/{id}", True),
    "phone-vote": ("phone", "vote", "/s/{id}", False),
    "phone-results": ("phone", "results", "/s/{id}", False),
    "phone-all-ideas": ("phone", "group", "/s/{id}/all-ideas", True),
    "board-ideas": ("board", "brainstorm", "/board/{id}", True),
    "board-groups": ("board", "group", "/board/{id}", False),
    "board-swot-groups": ("board", "swot-group", "/board/{id}", False),
    "board-results": ("board", "results", "/board/{id}", False),
    "console-workshops": ("console", None, "/console", False),
    "console-sessions": ("console", None, "/console/workshops/{workshop}", False),
    "console-group": ("console", "group", "/console/sessions/{id}", True),
    "console-results": ("console", "results", "/console/sessions/{id}", False),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_serious(a11y_browser, site, name):
    from playwright.sync_api import expect

    screen, session_name, path, both = PAGES[name]
    session = site.sessions.get(session_name, {})
    url = site.url + path.format(id=session.get("id"), code=session.get("join_code"), workshop=site.workshop_id)
    if screen == "phone":
        # the join page is for someone who has not joined yet
        context = phone_context(a11y_browser, site, None if name == "join" else session_name)
    else:
        context = facilitator_context(a11y_browser, site, **(PROJECTOR if screen == "board" else LAPTOP))
    watch = Watch()
    page = watch.page(context)
    found: list[str] = []
    for lang in ("id", "en") if both else ("id",):
        page.goto(f"{url}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        if path.startswith(("/s/", "/board/", "/console/sessions/")) and not path.endswith("/all-ideas"):
            # as people see it: connected (the status line is part of the page)
            expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=5000)
        blocking, other = axe_violations(page)
        if blocking:
            found += [f"[{lang}] {line}" for line in blocking]
            found += [f"[{lang}] (moderate or minor) {line}" for line in other]
    context.close()
    assert found == [], "\n".join(found)
    assert watch.errors == [], watch.errors


def test_the_phones_second_screen_and_outbox_pass_axe(a11y_browser, site):
    """The room's ideas opened under the phone's page, with "+1" pressed, and the
    outbox holding an idea kept while offline."""
    from playwright.sync_api import expect

    session = site.sessions["brainstorm"]
    # No service worker here: Chromium's offline emulation does not stop requests a
    # worker lets through, and the kept idea must never reach the shared session.
    context = phone_context(a11y_browser, site, "brainstorm", service_workers="block")
    watch = Watch()
    page = watch.page(context)
    page.goto(f"{site.url}/s/{session['id']}")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=5000)
    page.locator("#all-ideas > summary").click()
    expect(page.locator("#all-ideas .all-idea").first).to_be_visible()
    page.locator("#all-ideas .react-btn").first.click()
    expect(page.locator("#all-ideas .react-btn[aria-pressed=true]")).to_have_count(1)
    context.set_offline(True)
    expect(page.locator("#live-status")).to_have_attribute("data-state", "offline")
    page.fill("#idea-text", "Ide yang menunggu koneksi")
    page.click("#idea-form button[type=submit]")
    expect(page.locator("#outbox")).to_be_visible()
    blocking, other = axe_violations(page)
    for choice in ("theme-dark", "text-large"):  # the same in the dark, with larger text
        page.locator(f".display-toggle[data-display={choice}]").click()
        until(page, f"document.documentElement.classList.contains('{choice}')")
    dark, dark_other = axe_violations(page)
    blocking += [f"[dark] {line}" for line in dark]
    other += [f"[dark] {line}" for line in dark_other]
    # Leave the shared session as it was: the kept idea is never sent (the phone goes
    # away offline), the "+1" is taken back.
    context.close()
    reacted = page_idea_id = None
    with httpx.Client(base_url=site.url, timeout=20) as client:
        phone = site.phones["brainstorm"]
        ideas = client.get(f"/api/v1/sessions/{session['id']}/ideas", headers=phone.headers).json()["ideas"]
        for idea in ideas:
            if idea.get("reacted"):
                reacted = client.delete(f"/api/v1/ideas/{idea['id']}/reactions", headers=phone.headers)
                page_idea_id = idea["id"]
    assert reacted is not None and reacted.status_code == 200, page_idea_id
    assert blocking == [], "\n".join(blocking + other)
    assert watch.errors == [], watch.errors


# --- the console from the keyboard alone ---------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shown = (e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return outline || (s.boxShadow !== 'none' && s.boxShadow !== '');
  };
  // a visually hidden radio or checkbox shows its focus on its label
  const label = el.labels && el.labels.length ? el.labels[0] : null;
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && el.className.baseVal === undefined ? el.className : '',
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    // A date or time field keeps the focus in a part of the browser's own widget: the
    // field never matches :focus-visible, so its ring is what ``shown`` measures.
    focusVisible: el.matches(':focus-visible') || (['date', 'time', 'datetime-local'].includes(el.type) && el.matches(':focus-within')),
    shown: shown(el) || (label !== null && shown(label)),
    inViewport: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
}"""


class Keyboard:
    """Drives a page with keys only, checking that every element that takes the focus
    shows it (a :focus-visible outline or ring, on the element or its label)."""

    def __init__(self, page) -> None:
        self.page = page
        self.visited = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUS_STATE)

    def check_focus(self) -> dict:
        state = self.focused()
        assert state is not None, "the focus fell back to the page"
        assert state["focusVisible"] and state["shown"], f"focus not visible on {state}"
        self.visited += 1
        return state

    def matches(self, selector: str) -> bool:
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, *, limit: int = 120, key: str = "Tab") -> None:
        """Press Tab (or ``key="Shift+Tab"``) until ``selector`` has the focus (it may already)."""
        if self.matches(selector):
            return
        for _ in range(limit):
            self.page.keyboard.press(key)
            self.check_focus()
            if self.matches(selector):
                return
        raise AssertionError(f"{selector} not reached in {limit} presses of {key}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


def test_console_from_the_keyboard_alone(a11y_browser, site):
    from playwright.sync_api import expect

    context = a11y_browser.new_context(**LAPTOP)
    watch = Watch()
    page = watch.page(context)
    keys = Keyboard(page)
    base = site.url

    # Log in (the email field has the focus on arrival; Enter submits).
    page.goto(f"{base}/console")
    page.wait_for_url("**/login**")
    assert keys.matches("#email")
    keys.type(SHARED_FACILITATOR)
    keys.tab_to("#password")
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url(f"{base}/console")

    # The skip link comes first, shows itself, and skips the header.
    keys.press("Tab")
    state = keys.check_focus()
    assert "skip-link" in state["cls"] and state["inViewport"], state
    keys.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    keys.press("Tab")
    keys.check_focus()
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")

    # A workshop.
    keys.tab_to("#w-title")
    keys.type("Bimtek Smart City (papan ketik)")
    keys.tab_to("#w-region")
    keys.type("Kota Pariaman")
    keys.tab_to("#w-title", key="Shift+Tab")  # back, to check what was typed
    assert page.locator("#w-title").input_value() == "Bimtek Smart City (papan ketik)"
    keys.tab_to("form[action='/console/workshops'] button[type=submit]")
    keys.press("Enter")
    page.wait_for_url("**/console/workshops/*")

    # A session in the first stage: open "New session" (a <summary>) with Space.
    keys.tab_to("details.new-session > summary")
    keys.press("Space")
    expect(page.locator("details.new-session").first).to_have_attribute("open", "")
    keys.tab_to("details.new-session input[name=title]")
    keys.type("Isu strategis, dari papan ketik")
    keys.tab_to("details.new-session textarea[name=prompt]")
    keys.type("Apa masalah utama di tiap dimensi?")
    keys.tab_to("details.new-session button[type=submit]")
    keys.press("Enter")
    page.wait_for_url("**/console/sessions/*")
    session_id = int(page.url.rsplit("/", 1)[1])

    # Start the brainstorm; two phones send ideas meanwhile.
    keys.tab_to("button[name=phase][value=brainstorm]")
    keys.press("Enter")
    expect(page.locator("button[name=phase][value=brainstorm]")).to_have_attribute("aria-current", "step")
    code = page.locator(".code-big").inner_text().strip()
    with httpx.Client(base_url=base) as client:
        api = Api(client)
        rina, yusuf = api.join(code, "Rina"), api.join(code, "Yusuf", "rsud", "RSUD")
        first = api.idea(rina, "Antrean online RSUD", "living")
        second = api.idea(yusuf, "Antrean daring di rumah sakit daerah", "living")

    # Group phase, then move the second idea into the first idea's group, through the
    # move form (the keyboard alternative to dragging): open ⇄, pick the group, Move.
    keys.tab_to("button[name=phase][value=group]")
    keys.press("Enter")
    expect(page.locator("button[name=phase][value=group]")).to_have_attribute("aria-current", "step")
    keys.tab_to(f"#gidea-{second['id']} details.gidea-move > summary")
    keys.press("Enter")
    select = page.locator(f"#move-{second['id']}")
    expect(select).to_be_focused()  # the form takes the focus as it arrives
    keys.check_focus()
    target = str(first["group_id"])
    for _ in range(20):
        if select.input_value() == target:
            break
        keys.press("ArrowDown")
    assert select.input_value() == target
    keys.tab_to(f"#gidea-{second['id']} .move-form button[type=submit]")
    keys.press("Enter")
    expect(page.locator(f"#gideas-{first['group_id']} #gidea-{second['id']}")).to_be_attached(timeout=5000)
    with httpx.Client(base_url=base) as client:
        board = Api(client).board({"Authorization": f"Bearer {site.fac_token}"}, session_id)
    merged = next(g for g in board["groups"] if g["id"] == first["group_id"])
    assert {i["id"] for i in merged["ideas"]} == {first["id"], second["id"]}
    assert keys.visited > 10
    assert watch.errors == [], watch.errors
    context.close()


# --- colour is never the only cue ------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), severity 1, applied to linear RGB.
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
MIN_DELTA_E = 10  # CIEDE2000; about 2.3 is "just noticeable", 10 is clearly another colour
MIN_CONTRAST = 4.5


def hex_rgb(value: str) -> tuple[float, float, float]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(rgb, kind: str):
    lin = [linear(c) for c in rgb]
    return tuple(gamma(min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin))))) for row in MACHADO[kind])


def lab(rgb) -> tuple[float, float, float]:
    r, g, b = (linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2) -> float:
    """Sharma, Wu & Dalal (2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_big_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh) / 2)
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * r_c
    dl, dc, dh_ = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_big_h / s_h
    return math.sqrt(dl ** 2 + dc ** 2 + dh_ ** 2 + r_t * dc * dh_)


def contrast(a, b) -> float:
    def luminance(rgb):
        r, g, b_ = (linear(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colour_maths_matches_the_references():
    # Sharma et al.'s test pairs; a colour stays itself after a "simulation" of white.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(1.2644, abs=1e-4)
    assert ciede2000((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514)) == pytest.approx(0.9082, abs=1e-4)
    assert contrast(hex_rgb("#000"), hex_rgb("#fff")) == pytest.approx(21)
    assert simulate(hex_rgb("#fff"), "deuteranopia") == pytest.approx((1, 1, 1), abs=0.01)


def test_board_never_relies_on_colour_alone(a11y_browser, site):
    context = facilitator_context(a11y_browser, site, **PROJECTOR)
    page = context.new_page()
    letters = {spec.code: spec.letter for spec in DIMENSIONS} | {"none": "?"}

    # Dimensions layout: every card carries its letter, every column letter and name.
    # The session's ideas as the API has them now: another test of this module may have
    # added one (the phone's outbox), and each idea must have exactly one card.
    session = site.sessions["brainstorm"]
    with httpx.Client(base_url=site.url, timeout=20) as client:
        r = client.get(f"/api/v1/sessions/{session['id']}/ideas", headers=site.phones["brainstorm"].headers)
        assert r.status_code == 200, r.text
        ideas = {f"idea-{idea['id']}": idea["text"] for idea in r.json()["ideas"]}
    assert set(ideas.values()) >= {text for text, _dim, _swot in IDEAS}, ideas
    page.goto(f"{site.url}/board/{session['id']}")
    cards = page.evaluate("""() => [...document.querySelectorAll('.idea-card')].map(card => ({
        id: card.id,
        dim: [...card.classList].find(c => c.startsWith('dim-')).slice(4),
        badge: (card.querySelector('.dim-badge') || {}).textContent || '',
        text: (card.querySelector('.idea-text') || card).textContent.trim()}))""")
    shown = sorted(card["id"] for card in cards)
    assert shown == sorted(ideas), [f"{card['id']} {card['dim']}: {card['text']}" for card in cards]
    assert all(card["badge"].strip() == letters[card["dim"]] for card in cards), cards
    headers = page.locator(".board-col-header")
    assert headers.count() == len(DIMENSIONS) + 1
    for i in range(headers.count()):
        header = headers.nth(i)
        assert header.locator(".dim-badge").inner_text().strip() in letters.values()
        assert len(header.locator(".dim-name").inner_text().strip()) > 3

    # The palette: read from the CSS as the browser resolved it.
    palette = page.evaluate("""codes => Object.fromEntries(codes.map(code => {
        const root = getComputedStyle(document.documentElement);
        return [code, [root.getPropertyValue('--dim-' + code).trim(), root.getPropertyValue('--dim-' + code + '-ink').trim()]];
    }))""", [*letters])
    problems = []
    for code, (colour, ink) in palette.items():
        ratio = contrast(hex_rgb(colour), hex_rgb(ink))
        if ratio < MIN_CONTRAST:
            problems.append(f"{code}: letter {ink} on {colour} is {ratio:.2f}:1")
    six = [spec.code for spec in DIMENSIONS]
    for kind in MACHADO:
        seen = {code: lab(simulate(hex_rgb(palette[code][0]), kind)) for code in six}
        for a, b in itertools.combinations(six, 2):
            delta = ciede2000(seen[a], seen[b])
            if delta < MIN_DELTA_E:
                problems.append(f"{kind}: {a} {palette[a][0]} and {b} {palette[b][0]} are ΔE00 {delta:.1f} apart")
    assert problems == [], "\n".join(problems)

    # SWOT layout: the columns are quadrants, so each group card names its dimension.
    page.goto(f"{site.url}/board/{site.sessions['swot-group']['id']}")
    groups = page.evaluate("""() => [...document.querySelectorAll('.group-card')].map(card => ({
        badge: (card.querySelector('.group-tags .dim-badge') || {}).textContent || '',
        name: (card.querySelector('.group-tags .sr-only') || {}).textContent || ''}))""")
    assert groups and all(g["badge"].strip() in letters.values() and g["name"].strip() for g in groups), groups
    context.close()
