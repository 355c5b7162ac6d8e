"""Running the room, in a real Chromium: the timer on screens whose clocks are wrong,
input closed by hand and at zero, hide and reveal, the views, the focus, page turns,
the projector's keys, and the remote driven on a 360 px phone.

SQLite only, one server and one Chromium for the module (tests/conftest.py
``shared_server``): the database's behaviour under these controls is tested on both
databases in tests/room/test_api.py.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.builders import PASSWORD, Api
from tests.support.browser import LIVE_WITHIN_MS, PHONE, Watch, until
from tests.support.servers import SHARED_FACILITATOR as EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.server]

LOCKED = "Fasilitator menjeda pengiriman sebentar."
TIME_UP = "Waktu habis: pengiriman ditutup sampai fasilitator menambah waktu."
# This device's clock, minutes off: new Date() and Date.now() (what a page's own
# countdown would use) run SKEW ms ahead or behind; the server's time does not move.
SKEWED_CLOCK = """(() => {
  const skew = %d, Real = Date;
  class Skewed extends Real {
    constructor(...args) { if (args.length) super(...args); else super(Real.now() + skew); }
    static now() { return Real.now() + skew; }
  }
  window.Date = Skewed;
})();"""
# The page's repeating timers shorter than a second (ids), as setInterval made them.
SHORT_INTERVALS = """(() => {
  const set = window.setInterval, clear = window.clearInterval;
  window.shortIntervals = new Set();
  window.setInterval = function (fn, ms, ...rest) {
    const id = set.call(window, fn, ms, ...rest);
    if (!(ms >= 1000)) window.shortIntervals.add(id);
    return id;
  };
  window.clearInterval = function (id) { window.shortIntervals.delete(id); return clear.call(window, id); };
})();"""
# Counts the beeps of the board's sound at zero (an oscillator per beep).
BEEPS = """(() => {
  window.beeps = 0;
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  const make = Ctx.prototype.createOscillator;
  Ctx.prototype.createOscillator = function () { window.beeps += 1; return make.call(this); };
})();"""


class Room:
    """A session in brainstorm on the shared server, and the facilitator's API."""

    def __init__(self, server, browser, **settings) -> None:
        self.url = server.url
        self.browser = browser
        self.client = httpx.Client(base_url=server.url, timeout=30)
        self.api = Api(self.client)
        self.fac = self.api.login(EMAIL)
        self.session = self.api.session(self.fac, title="Isu strategis per dimensi",
                                        prompt="Apa masalah utama layanan publik di daerah kita?", **settings)
        self.id = self.session["id"]
        self.code = self.session["join_code"]
        self.watch = Watch()
        self.contexts: list = []

    def patch(self, **values) -> None:
        r = self.client.patch(f"/api/v1/sessions/{self.id}", json=values, headers=self.fac)
        assert r.status_code == 200, r.text

    def timer(self, action: str, seconds: int | None = None) -> dict:
        body = {"action": action, **({"seconds": seconds} if seconds else {})}
        r = self.client.put(f"/api/v1/sessions/{self.id}/timer", json=body, headers=self.fac)
        assert r.status_code == 200, r.text
        return r.json()

    def server_timer(self) -> dict:
        return self.client.get(f"/api/v1/sessions/{self.id}", headers=self.fac).json()["timer"]

    def facilitator_page(self, path: str, *, init: str | None = None, **context_args):
        context = self.browser.new_context(**context_args)
        self.contexts.append(context)
        if init:
            context.add_init_script(init)
        page = self.watch.page(context)
        page.goto(f"{self.url}/login?next={path}")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(f"**{path}")
        wait_live(page)
        return page

    def board(self, **kw):
        return self.facilitator_page(f"/board/{self.id}", viewport={"width": 1280, "height": 720}, **kw)

    def phone(self, name: str, *, skew_ms: int = 0, init: str | None = None):
        context = self.browser.new_context(**PHONE)
        self.contexts.append(context)
        if skew_ms:
            context.add_init_script(SKEWED_CLOCK % skew_ms)
        if init:
            context.add_init_script(init)
        r = context.request.post(f"{self.url}/join", form={"join_code": self.code, "name": name,
                                                           "organization_type": "opd", "organization": "Bappeda"})
        assert r.ok, r.status
        page = self.watch.page(context)
        page.goto(f"{self.url}/s/{self.id}")
        wait_live(page)
        return context, page

    def close(self) -> None:
        assert self.watch.dialogs == [] and self.watch.errors == [], (self.watch.dialogs, self.watch.errors)
        for context in self.contexts:
            context.close()
        self.client.close()


@pytest.fixture
def room_factory(shared_server, chromium):
    rooms: list[Room] = []

    def make(**settings) -> Room:
        rooms.append(Room(shared_server, chromium, **settings))
        return rooms[-1]

    yield make
    for room in rooms:
        room.close()


def wait_live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=LIVE_WITHIN_MS)


def seconds_shown(page) -> int:
    minutes, seconds = page.locator("#timer .timer-text").inner_text().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def send(page, text: str) -> None:
    page.fill("#idea-text", text)
    page.click("#idea-form button[type=submit]")


def test_every_screen_shows_the_same_time_left_whatever_its_clock_says(room_factory):
    """Board, a phone two minutes fast and a phone two minutes slow: the same second,
    and the server's; pause, resume and added time reach a phone that was offline."""
    from playwright.sync_api import expect

    room = room_factory()
    board = room.board()
    fast_context, fast = room.phone("Jam cepat", skew_ms=120_000)
    _slow_context, slow = room.phone("Jam lambat", skew_ms=-120_000, init=SHORT_INTERVALS)
    assert abs(fast.evaluate("Date.now()") - slow.evaluate("Date.now()") - 240_000) < 5_000  # the clocks are off
    # No timer yet: nothing on the phone wakes it several times a second (its battery).
    assert slow.evaluate("window.shortIntervals.size") == 0

    room.timer("start", 150)
    for page in (board, fast, slow):
        expect(page.locator("#timer")).to_be_visible(timeout=LIVE_WITHIN_MS)
    shown = [seconds_shown(page) for page in (board, fast, slow)]
    server = room.server_timer()["remaining_seconds"]
    assert max(shown) - min(shown) <= 1 and all(abs(s - server) <= 1 for s in shown), (shown, server)
    assert 140 <= min(shown) <= 150  # not 30 or 270: the two minutes were corrected
    # At 360 px the phone's top bar has room for the whole chip: nothing of "2:29" cut off.
    for page in (fast, slow):
        assert page.evaluate("(t => t.scrollWidth <= t.clientWidth + 1)(document.getElementById('timer'))")

    room.timer("pause")
    for page in (board, fast, slow):
        expect(page.locator("#timer")).to_have_class(re.compile(r"\bis-paused\b"), timeout=LIVE_WITHIN_MS)
    paused = room.server_timer()["remaining_seconds"]
    board.wait_for_timeout(1200)
    assert [seconds_shown(page) for page in (board, fast, slow)] == [paused] * 3

    # The fast phone misses a resume and two added minutes, then comes back.
    fast_context.set_offline(True)
    expect(fast.locator("#live-status")).to_have_attribute("data-state", "offline")
    room.timer("resume")
    room.timer("add", 120)
    for page in (board, slow):  # the screens that stayed online follow (150 + 120 s)
        expect(page.locator("#timer")).to_have_attribute("data-duration", "270", timeout=LIVE_WITHIN_MS)
    assert fast.locator("#timer").get_attribute("data-state") == "paused"  # it really missed them
    fast_context.set_offline(False)
    expect(fast.locator("#timer")).to_have_class(re.compile(r"\bis-running\b"), timeout=LIVE_WITHIN_MS)
    shown = [seconds_shown(page) for page in (board, fast, slow)]
    server = room.server_timer()["remaining_seconds"]
    assert max(shown) - min(shown) <= 1 and abs(shown[1] - server) <= 1, (shown, server)
    assert paused + 110 <= server <= paused + 120

    assert slow.evaluate("window.shortIntervals.size") == 1  # the countdown's tick, while it runs

    room.timer("stop")
    for page in (board, fast, slow):
        expect(page.locator("#timer")).to_be_hidden(timeout=LIVE_WITHIN_MS)
    assert slow.evaluate("window.shortIntervals.size") == 0


def test_time_up_closes_the_phones_and_rings_on_the_board(room_factory):
    """With "close input at zero": the phones say so and a send is refused (the text
    stays in the form); the board shows it and beeps, unless muted; more time opens
    input again."""
    from playwright.sync_api import expect

    room = room_factory(lock_when_timer_ends=True)
    board = room.board(init=BEEPS)
    board.locator("body").click()  # a gesture: browsers play sound only after one
    _context, phone = room.phone("Rina")
    room.timer("start", 2)
    expect(board.locator(".time-up-chip")).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(board.locator("#timer")).to_have_class(re.compile(r"\bis-over\b"))
    until(board, "window.beeps >= 3")
    expect(phone.locator(".input-closed-note .when-time-up")).to_be_visible(timeout=LIVE_WITHIN_MS)
    send(phone, "Sensor banjir di jalur evakuasi")
    expect(phone.locator("#idea-form .alert-error")).to_contain_text(TIME_UP)
    expect(phone.locator("#idea-text")).to_have_value("Sensor banjir di jalur evakuasi")
    expect(phone.locator("#my-ideas .idea-card")).to_have_count(0)

    room.timer("add", 60)
    expect(phone.locator(".input-closed-note")).to_be_hidden(timeout=LIVE_WITHIN_MS)
    expect(board.locator(".time-up-chip")).to_be_hidden()
    phone.click("#idea-form button[type=submit]")
    expect(phone.locator("#my-ideas .idea-card", has_text="Sensor banjir")).to_be_visible()

    board.keyboard.press("m")  # muted: zero comes and goes in silence
    beeps = board.evaluate("window.beeps")
    room.timer("start", 1)
    expect(board.locator(".time-up-chip")).to_be_visible(timeout=LIVE_WITHIN_MS)
    board.wait_for_timeout(500)
    assert board.evaluate("window.beeps") == beeps


def test_the_remote_on_a_phone_runs_the_room(room_factory):
    """The facilitator walks the room with the remote at 360 px: timer, lock,
    hide and reveal, the three views, a page turn and the focus, each seen on the
    projector and the phones without a reload."""
    from playwright.sync_api import expect

    room = room_factory()
    writers = [room.api.join(room.code, name=f"Peserta {i}") for i in range(2)]
    for i in range(40):
        r = room.client.post(f"/api/v1/sessions/{room.id}/ideas", headers=writers[i % 2].headers,
                             json={"text": f"Layanan perizinan daring nomor {i + 1}", "dimension": "governance"})
        assert r.status_code == 201, r.text
    board = room.board()
    _context, phone = room.phone("Rina")
    send(phone, "Antrean online di puskesmas")
    expect(phone.locator("#my-ideas .idea-card")).to_have_count(1)
    remote = room.facilitator_page(f"/console/sessions/{room.id}/remote", viewport={"width": 360, "height": 740},
                                   is_mobile=True, has_touch=True)
    assert remote.evaluate("document.scrollingElement.scrollWidth") <= 360  # nothing sideways on the phone
    for page in (board, phone):
        page.evaluate("window.stillTheSamePage = true")

    def press(label: str) -> None:
        remote.locator("#remote button", has_text=re.compile(f"^{re.escape(label)}$")).click()

    press("3 mnt")
    expect(board.locator("#timer")).to_be_visible(timeout=LIVE_WITHIN_MS)
    assert 170 <= seconds_shown(board) <= 180
    press("Jeda")
    expect(board.locator("#timer")).to_have_class(re.compile(r"\bis-paused\b"), timeout=LIVE_WITHIN_MS)
    expect(remote.locator("#remote button", has_text="Lanjutkan")).to_be_visible()

    press("Jeda pengiriman")
    expect(phone.locator(".input-closed-note .when-locked")).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(board.locator(".lock-chip")).to_be_visible(timeout=LIVE_WITHIN_MS)
    send(phone, "Posyandu digital")
    expect(phone.locator("#idea-form .alert-error")).to_contain_text(LOCKED)
    expect(remote.locator("#remote button[aria-pressed=true]", has_text="Pengiriman dijeda")).to_be_visible()
    press("Pengiriman dijeda")
    expect(phone.locator(".input-closed-note")).to_be_hidden(timeout=LIVE_WITHIN_MS)
    phone.click("#idea-form button[type=submit]")
    expect(phone.locator("#my-ideas .idea-card", has_text="Posyandu digital")).to_be_visible()

    press("Sembunyikan teks")
    expect(board.locator(".hidden-board")).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(board.locator(".idea-card")).to_have_count(0)
    expect(board.locator(".hidden-total")).to_contain_text("42")
    expect(phone.locator("#my-ideas .idea-card")).to_have_count(2)  # a phone still sees its own
    press("Teks disembunyikan")
    # A column of 40 cards turns its pages by itself too: its first card may be on one not shown.
    expect(board.locator("#col-governance .idea-card:not(.pg-out)").first).to_be_visible(timeout=LIVE_WITHIN_MS)

    press("Awan kata")
    expect(board.locator(".cloud-word", has_text="perizinan")).to_be_visible(timeout=LIVE_WITHIN_MS)
    press("Dinding ide")
    # The wall turns its pages by itself (8 s a page): its first card may be on one not shown.
    expect(board.locator("#wall .idea-card:not(.pg-out)").first).to_be_visible(timeout=LIVE_WITHIN_MS)
    press("Kolom")
    column = board.locator("#col-governance")
    expect(column).to_have_attribute("data-pages", re.compile(r"^([2-9]|\d\d+)$"), timeout=LIVE_WITHIN_MS)
    pages = int(column.get_attribute("data-pages"))
    # The board turns its pages by itself too; a turn by hand (a key here) holds that.
    board.keyboard.press("ArrowLeft")
    page_now = int(column.get_attribute("data-page"))
    press("Halaman berikutnya ›")
    expect(column).to_have_attribute("data-page", str(page_now % pages + 1), timeout=LIVE_WITHIN_MS)

    expect(remote.locator(".candidate-ideas")).to_have_attribute("open", "")  # no groups yet: the ideas are listed
    target = "Layanan perizinan daring nomor 7"
    remote.locator(".candidate-list li").filter(
        has=remote.locator(".candidate-text", has_text=re.compile(f"{target}$"))).locator("button").click()
    expect(board.locator(".focus-view .focus-idea-text")).to_have_text(target, timeout=LIVE_WITHIN_MS)
    expect(phone.locator("#focus-banner")).to_contain_text(target, timeout=LIVE_WITHIN_MS)
    expect(remote.locator(".remote-focus-now")).to_contain_text(target)
    press("Kembali ke tampilan")
    expect(board.locator(".focus-view")).to_have_count(0, timeout=LIVE_WITHIN_MS)
    expect(phone.locator("#focus-banner .focus-line")).to_have_count(0, timeout=LIVE_WITHIN_MS)

    # The board reloaded itself in place for the views; neither it nor the phone reloaded.
    assert board.evaluate("window.stillTheSamePage === true")
    assert phone.evaluate("window.stillTheSamePage === true")


def test_the_projectors_keys_and_fullscreen_through_a_view_change(room_factory):
    """F, V, Space, T, J, D and + on the projector; fullscreen stays on while the
    board reloads in place for another view."""
    from playwright.sync_api import expect

    room = room_factory()
    phone = room.api.join(room.code)
    r = room.client.post(f"/api/v1/sessions/{room.id}/ideas", headers=phone.headers,
                         json={"text": "Satu data kependudukan", "dimension": "governance"})
    assert r.status_code == 201
    board = room.board()
    board.keyboard.press("f")
    until(board, "document.fullscreenElement !== null")
    board.keyboard.press("v")
    expect(board.locator(".cloud-word", has_text="kependudukan")).to_be_visible(timeout=LIVE_WITHIN_MS)
    assert board.evaluate("document.fullscreenElement !== null")
    board.keyboard.press("v")
    expect(board.locator("#wall .idea-card")).to_have_count(1, timeout=LIVE_WITHIN_MS)
    board.keyboard.press("v")
    expect(board.locator("#col-governance .idea-card")).to_have_count(1, timeout=LIVE_WITHIN_MS)

    board.keyboard.press(" ")
    expect(board.locator(".hidden-board")).to_be_visible(timeout=LIVE_WITHIN_MS)
    board.keyboard.press(" ")
    expect(board.locator("#col-governance .idea-card")).to_be_visible(timeout=LIVE_WITHIN_MS)

    board.keyboard.press("t")
    expect(board.locator("#timer")).to_be_visible(timeout=LIVE_WITHIN_MS)
    assert 295 <= seconds_shown(board) <= 300
    board.keyboard.press("t")
    expect(board.locator("#timer")).to_have_class(re.compile(r"\bis-paused\b"), timeout=LIVE_WITHIN_MS)
    assert room.server_timer()["state"] == "paused"

    expect(board.locator(".board-side .join-code")).to_have_text(room.code)
    board.keyboard.press("j")
    expect(board.locator(".join-chip .join-chip-code")).to_have_text(room.code, timeout=LIVE_WITHIN_MS)
    board.locator(".join-chip").click()
    expect(board.locator(".board-side .join-code")).to_be_visible(timeout=LIVE_WITHIN_MS)

    size = board.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    board.keyboard.press("+")
    until(board, f"parseFloat(getComputedStyle(document.body).fontSize) > {size}")
    board.keyboard.press("-")
    board.keyboard.press("-")  # never below the floor
    until(board, f"parseFloat(getComputedStyle(document.body).fontSize) === {size}")
    board.keyboard.press("d")
    expect(board.locator("body")).to_have_class(re.compile(r"\btheme-dark\b"))
    board.keyboard.press("?")
    expect(board.locator("#board-help")).to_be_visible()
    board.keyboard.press("Escape")
    expect(board.locator("#board-help")).to_be_hidden()
    assert board.evaluate("document.fullscreenElement !== null")
