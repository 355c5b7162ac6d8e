"""The projector fits any screen, in a real Chromium.

At 1024×768, 1280×720, 1280×800, 1920×1080 and 3840×2160 (4:3 and 16:9), for a
brainstorm of 330 ideas (dimension columns, word cloud, idea wall), the same ideas
grouped (group cards, one holding twenty ideas), and the demo's four stages (the
Tahap I SWOT results, the Tahap II ranking, the Tahap III matrix, the Tahap IV
commitment), the board must:

- fill the screen without scrolling;
- show every item of every list either whole, inside its list and the screen, or
  counted in that list's visible "+N lagi" (the ideas of a group card that is too
  tall: in the card's own "+N");
- keep the body text at or above the floor (24 px at 1080 lines, scaled with the
  screen's height);
- break no word in the middle unless the word alone is wider than its column
  (a break after a hyphen, as in "ibu-ibu", is where words may break);
- show a new idea, highlighted, as soon as it arrives (bench/board_fit.py measures
  how soon; here the deadline only says "live, without a reload").

SQLite only: the database is not what is tested here. One server and one Chromium
for the whole module (the data is built once).
"""

from __future__ import annotations

import random
import re
import time

import httpx
import pytest

from tests.builders import PASSWORD, Api
from tests.support.browser import LIVE_WITHIN_MS, until
from tests.support.servers import SHARED_FACILITATOR as EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.server]

RESOLUTIONS = [(1024, 768), (1280, 720), (1280, 800), (1920, 1080), (3840, 2160)]
IDEAS = 330
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment", None)
TEXTS = (
    "Aplikasi antrean online di RSUD terhubung Mobile JKN",
    "Digitalisasi layanan perizinan di Mal Pelayanan Publik",
    "Data bantuan sosial terpadu per nagari",
    "QRIS di pasar nagari dan objek wisata",
    "Lampu jalan tenaga surya di jalur evakuasi tsunami",
    "Bank sampah dengan aplikasi tabungan warga",
    "Kelas literasi digital untuk ibu-ibu PKK",
    "Angkutan pelajar terjadwal dengan info posisi",
    "Festival kuliner Piaman dipromosikan lewat satu kanal digital",
    "Dashboard pengaduan masyarakat yang terbuka",
    "Interoperabilitas sistem informasi kependudukan antar-OPD",
    "Ruang belajar coding untuk pelajar SMA",
)

# Runs in the page: what a person in the hall would see wrong, as a list of problems.
CHECK = """() => {
  const problems = [];
  const vw = innerWidth, vh = innerHeight, floor = Math.max(12, vh * 24 / 1080);
  const shown = el => el.getClientRects().length > 0;
  const within = (r, b) => r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.left >= b.left - 1 && r.right <= b.right + 1;
  const view = {top: 0, left: 0, bottom: vh, right: vw};
  const plus = el => { const m = el && shown(el) ? el.textContent.match(/\\+(\\d+)/) : null; return m ? Number(m[1]) : 0; };
  const name = el => el.id || el.className;
  const root = document.scrollingElement;
  if (root.scrollHeight > vh + 1 || root.scrollWidth > vw + 1) problems.push(`page scrolls: ${root.scrollWidth}x${root.scrollHeight}`);
  let items = 0, visible = 0;
  for (const region of document.querySelectorAll('#main [data-pager]')) {
    if (!shown(region)) continue;
    const box = region.getBoundingClientRect();
    // Items CSS filters away (another dimension on a SWOT board) are not on this view.
    const all = [...region.children].filter(el => !el.classList.contains('sr-only') && !el.classList.contains('pg-own')
                                              && (el.classList.contains('pg-out') || shown(el)));
    const on = all.filter(el => !el.classList.contains('pg-out'));
    for (const el of on) {
      const r = el.getBoundingClientRect();
      if (!within(r, box) || !within(r, view)) problems.push(`${name(region)}: ${name(el)} cut off`);
      if (el.classList.contains('pg-clipped')) problems.push(`${name(region)}: ${name(el)} shortened`);
      const sub = el.querySelector('[data-pager-sub]');
      if (!sub) continue;
      const out = [...sub.children].filter(li => li.classList.contains('pg-sub-out')).length;
      const note = sub.nextElementSibling && sub.nextElementSibling.classList.contains('sub-more') ? sub.nextElementSibling : null;
      if (plus(note) !== out) problems.push(`${name(el)}: ${out} of its items hidden, says "${note ? note.textContent : ''}"`);
    }
    const hidden = all.length - on.length;
    const more = region.nextElementSibling && region.nextElementSibling.classList.contains('pager-more') ? region.nextElementSibling : null;
    if (plus(more) !== hidden) problems.push(`${name(region)}: ${hidden} hidden, says "${more && shown(more) ? more.textContent : ''}"`);
    if (hidden && !within(more.getBoundingClientRect(), view)) problems.push(`${name(region)}: its +N is off screen`);
    items += all.length; visible += on.length;
  }
  const texts = '#main :is(.idea-text, .gidea-text, .group-title, .rank-title, .qw-title, .sig-name, .focus-idea-text, .cloud-word)';
  for (const el of document.querySelectorAll(texts)) {
    if (!shown(el) || el.closest('.pg-out, .pg-sub-out')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < floor - 0.5) problems.push(`text ${size.toFixed(1)}px under the floor ${floor.toFixed(1)}px: ${el.textContent.slice(0, 30)}`);
  }
  const range = document.createRange();
  const words = texts.replace(')', ', .board-col-header .dim-name > span, .gsec-header .dim-name > span)');
  for (const el of document.querySelectorAll(words)) {
    if (!shown(el) || el.closest('.pg-out, .pg-sub-out')) continue;
    const width = el.getBoundingClientRect().width;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014]+/g)) {
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = [...range.getClientRects()].filter(r => r.width > 0);
        const wide = lines.reduce((sum, r) => sum + r.width, 0);
        if (lines.length > 1 && wide <= width + 1) problems.push(`"${m[0]}" broken across lines in ${name(el)}`);
      }
    }
  }
  return {problems, items, visible};
}"""


@pytest.fixture(scope="module")
def server(shared_server):
    world = {"url": shared_server.url}
    # Built in this process on the server's database, through the services (no HTTP
    # round trip for each of ~800 writes); the server reads it when the board pages load.
    with shared_server.sessions() as db:
        world.update(brainstorm(db))
    from app.demo import seed_demo

    with shared_server.sessions() as db:
        seed_demo(db, email=EMAIL, password=PASSWORD, public_url=shared_server.url)
    with httpx.Client(base_url=shared_server.url, timeout=30) as client:
        api = Api(client)
        me = api.login(EMAIL)
        workshop = next(w for w in client.get("/api/v1/workshops", headers=me).json() if "Padang Pariaman" in w["title"])
        world["demo"] = [client.get(f"/api/v1/stages/{stage['id']}/sessions", headers=me).json()[0]["id"]
                         for stage in workshop["stages"]]
    return world


def brainstorm(db) -> dict:
    """330 ideas from 12 phones over the seven columns, and a copy of them grouped (a
    few groups of several ideas, one of twenty)."""
    from sqlalchemy import select

    from app.models import Facilitator
    from app.services import groups, ideas, participants, sessions, workshops

    me = db.scalar(select(Facilitator).where(Facilitator.email == EMAIL))
    workshop = workshops.create_workshop(db, owner=me, title="Bimtek papan penuh", region="Kabupaten Uji", year=2026)
    stage = workshops.stages(db, workshop.id)[0]
    out = {}
    for key in ("ideas", "groups"):
        session = sessions.create_session(
            db, facilitator=me, stage_id=stage.id, title="Isu strategis per dimensi",
            prompt="Apa masalah dan potensi utama daerah kita di tiap dimensi smart city?")
        sessions.change_phase(db, facilitator=me, session_id=session.id, phase="brainstorm")
        phones = [participants.join(db, join_code=session.join_code, name=f"Peserta {i}", organization_type="opd",
                                    organization="Diskominfo")[0] for i in range(12)]
        rng = random.Random(7)
        made = []
        for i in range(IDEAS):
            idea, _seq, created = ideas.submit(db, participant=phones[i % len(phones)],
                                               text=f"{rng.choice(TEXTS)} ({i + 1})",
                                               dimension=DIMENSIONS[i % len(DIMENSIONS)])
            assert created
            made.append((idea.id, idea.group_id))
        out[key] = session.id
        if key == "groups":
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="group")
            # One group of twenty (taller than any column), a few of three.
            batches = [made[0:140:7], *(made[start:start + 21:7] for start in range(141, 300, 21))]
            for batch in batches:
                for idea_id, _group_id in batch[1:]:
                    groups.move_idea(db, actor=groups.Actor(facilitator=me), idea_id=idea_id, group_id=batch[0][1])
    return out


@pytest.fixture(scope="module")
def board(server, chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server['url']}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/console")
    yield page
    assert errors == [], errors
    context.close()


def show(page, url: str, width: int, height: int) -> None:
    """Open the board at this size and wait until board.js has laid it out."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    until(page, "Number(document.body.dataset.layouts || 0) >= 1", 15000)
    # A layout board.js queued meanwhile (the live stream's snapshot) runs in the next
    # animation frame: wait two.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def check(page, where: str) -> dict:
    result = page.evaluate(CHECK)
    assert result["problems"] == [], f"{where}: {result['problems'][:8]}"
    return result


@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=[f"{w}x{h}" for w, h in RESOLUTIONS])
def test_brainstorm_of_330_ideas_fits(server, board, width, height):
    """Columns, word cloud and idea wall: nothing cut, everything counted, readable."""
    url = f"{server['url']}/board/{server['ideas']}"
    with httpx.Client(base_url=server["url"]) as client:
        api = Api(client)
        me = api.login(EMAIL)
        for view in ("columns", "cloud", "wall"):
            assert client.patch(f"/api/v1/sessions/{server['ideas']}", json={"board_view": view},
                                headers=me).status_code == 200
            show(board, url, width, height)
            result = check(board, f"{view} {width}x{height}")
            if view != "cloud":
                assert result["items"] == IDEAS and 0 < result["visible"] < IDEAS
                assert board.locator(".pager-more:visible").count() >= 1
        assert client.patch(f"/api/v1/sessions/{server['ideas']}", json={"board_view": "columns"},
                            headers=me).status_code == 200


@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=[f"{w}x{h}" for w, h in RESOLUTIONS])
def test_grouped_ideas_and_the_demo_stages_fit(server, board, width, height):
    """Group cards (one of twenty ideas), the demo's SWOT results, ranking, matrix and
    commitment, and its SWOT quadrants while statements come in and on the ballot."""
    show(board, f"{server['url']}/board/{server['groups']}", width, height)
    check(board, f"groups {width}x{height}")
    # The group of twenty said how many of its ideas did not fit (its page may have
    # turned since, on a slow machine).
    assert board.locator(".group-card .sub-more").count() >= 1
    for stage, session_id in enumerate(server["demo"], start=1):
        show(board, f"{server['url']}/board/{session_id}", width, height)
        check(board, f"Tahap {stage} {width}x{height}")
    # The SWOT worksheet while statements come in, and its groups on the ballot.
    swot = server["demo"][0]
    with httpx.Client(base_url=server["url"]) as client:
        me = Api(client).login(EMAIL)
        try:
            for phase in ("brainstorm", "vote"):
                assert client.post(f"/api/v1/sessions/{swot}/phase", json={"phase": phase},
                                   headers=me).status_code == 200
                show(board, f"{server['url']}/board/{swot}", width, height)
                assert board.locator(".swot-quad").count() >= 4
                check(board, f"Tahap I SWOT {phase} {width}x{height}")
        finally:
            client.post(f"/api/v1/sessions/{swot}/phase", json={"phase": "results"}, headers=me)


def test_pages_turn_and_every_idea_comes_round(server, board):
    """A wall of 330 ideas at 1024×768: turning the pages by key shows each idea once."""
    show(board, f"{server['url']}/board/{server['ideas']}", 1280, 720)
    with httpx.Client(base_url=server["url"]) as client:
        api = Api(client)
        me = api.login(EMAIL)
        client.patch(f"/api/v1/sessions/{server['ideas']}", json={"board_view": "wall"}, headers=me)
        show(board, f"{server['url']}/board/{server['ideas']}", 1024, 768)
        pages = int(board.locator("#wall").get_attribute("data-pages"))
        seen: list[str] = []
        for _ in range(pages):
            seen += board.locator("#wall > .idea-card:not(.pg-out)").evaluate_all("els => els.map(e => e.id)")
            board.keyboard.press("ArrowRight")
        assert len(seen) == len(set(seen)) == IDEAS
        assert board.locator("#wall").get_attribute("data-page") == "1"  # round again
        client.patch(f"/api/v1/sessions/{server['ideas']}", json={"board_view": "columns"}, headers=me)


@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=[f"{w}x{h}" for w, h in RESOLUTIONS])
def test_a_new_idea_reaches_the_screen_highlighted(server, board, width, height):
    """However full its column, a new idea is on screen, whole, and highlighted."""
    show(board, f"{server['url']}/board/{server['ideas']}", width, height)
    board.keyboard.press("ArrowRight")  # every column away from its first page
    with httpx.Client(base_url=server["url"]) as client:
        api = Api(client)
        session = client.get(f"/api/v1/sessions/{server['ideas']}", headers=api.login(EMAIL)).json()
        phone = api.join(session["join_code"], name=f"Peserta {width}")
        dimension = DIMENSIONS[width % 7]
        started = time.monotonic()
        r = client.post(f"/api/v1/sessions/{server['ideas']}/ideas", headers=phone.headers,
                        json={"text": f"Sensor banjir real-time di {width}x{height}", "dimension": dimension})
        assert r.status_code == 201, r.text
    card = board.locator(f"#idea-{r.json()['id']}")
    from playwright.sync_api import expect

    expect(card).to_be_in_viewport(ratio=1, timeout=LIVE_WITHIN_MS)
    elapsed = time.monotonic() - started
    expect(card).to_have_class(re.compile(r"\bis-new\b"))
    board.wait_for_timeout(300)
    check(board, f"new idea {width}x{height}")
    print(f"{width}x{height}: new idea on screen after {elapsed * 1000:.0f} ms")
