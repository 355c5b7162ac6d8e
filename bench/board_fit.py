"""How the projector keeps up: its layout in a real Chromium, and how soon a new idea
reaches the screen, at the screen sizes halls have.

Starts the server the README way (``bench/room.Server``: migrate, create-facilitator,
serve, SQLite), sends ``--ideas`` ideas through the API from a dozen phones, opens the
board in Debian's chromium (as the browser tests do) at each screen size, and prints:

- ``load``: navigation → the board laid out (fitted, paged) for the first time, ms;
- ``layout``: one full layout in the page (``RembukBoard.layout()``: the text fit, the
  pages of every list), median of 5, ms;
- ``new idea``: the phone's POST sent → its card whole on screen (the page checks on
  every animation frame), p50 and max over ``--rounds`` ideas, ms; the target is
  under a second;
- ``view``: the word cloud asked for (``PATCH``) → the board reloaded in place and
  laid out, ms.

    .venv/bin/python bench/board_fit.py [--ideas 330] [--rounds 10]

Needs the test extras (``pip install -e '.[test]'``: Playwright) and /usr/bin/chromium.
Numbers only; results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from room import PASSWORD, Server, machine  # noqa: E402

SIZES = ((1024, 768), (1280, 720), (1280, 800), (1920, 1080), (3840, 2160))
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment", None)
WORDS = [
    "layanan",
    "publik",
    "aplikasi",
    "antrean",
    "RSUD",
    "nagari",
    "data",
    "terbuka",
    "pasar",
    "wisata",
    "UMKM",
    "sampah",
    "energi",
    "sekolah",
    "interoperabilitas",
    "kependudukan",
    "digitalisasi",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# In the page: record when the card with this id is whole on screen (each frame).
WATCH = """id => { window.seenAt = null; const tick = () => {
  const el = document.getElementById(id);
  if (el && !el.classList.contains('pg-out') && el.getClientRects().length) {
    const r = el.getBoundingClientRect();
    if (r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth) {
      window.seenAt = Date.now(); return;
    }
  }
  requestAnimationFrame(tick);
}; requestAnimationFrame(tick); }"""


def brainstorm(client: httpx.Client, email: str, n_ideas: int) -> tuple[int, dict, list[dict]]:
    token = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD}).json()["access_token"]
    me = {"Authorization": f"Bearer {token}"}
    workshop = client.post(
        "/api/v1/workshops", json={"title": "Bimtek (bench)", "region": "Kabupaten Contoh", "year": 2026}, headers=me
    ).json()
    session = client.post(
        f"/api/v1/stages/{workshop['stages'][0]['id']}/sessions",
        headers=me,
        json={"title": "Isu strategis", "prompt": "Apa isu utama daerah kita di tiap dimensi?"},
    ).json()
    client.post(f"/api/v1/sessions/{session['id']}/phase", json={"phase": "brainstorm"}, headers=me)
    phones = []
    for i in range(max(12, n_ideas // 25 + 1)):  # under the 30 ideas a minute one person may send
        joined = client.post(
            "/api/v1/join",
            json={
                "join_code": session["join_code"],
                "name": f"Peserta {i}",
                "organization_type": "opd",
                "organization": "Dinas",
            },
        ).json()
        phones.append({"Authorization": f"Bearer {joined['token']}"})
    rng = random.Random(11)
    for k in range(n_ideas):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16))).capitalize()
        r = client.post(
            f"/api/v1/sessions/{session['id']}/ideas",
            headers=phones[k % len(phones)],
            json={"text": text, "dimension": DIMENSIONS[k % len(DIMENSIONS)]},
        )
        r.raise_for_status()
    return session["id"], me, phones


def laid_out(page, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate("Number(document.body.dataset.layouts || 0) >= 1"):
        if time.monotonic() > deadline:
            raise SystemExit("the board never laid itself out")
        time.sleep(0.005)


def measure(page, client, base: str, session_id: int, me: dict, phones: list[dict], size, rounds: int) -> dict:
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    client.patch(f"/api/v1/sessions/{session_id}", json={"board_view": "columns"}, headers=me)
    started = time.perf_counter()
    page.goto(f"{base}/board/{session_id}")
    laid_out(page)
    load = (time.perf_counter() - started) * 1000
    layouts = [
        page.evaluate("() => { const t = performance.now(); RembukBoard.layout(); return performance.now() - t; }")
        for _ in range(5)
    ]
    arrivals = []
    for i in range(rounds):
        page.keyboard.press("ArrowRight")  # every column away from its first page
        sent_ms = time.time() * 1000
        r = client.post(
            f"/api/v1/sessions/{session_id}/ideas",
            headers=phones[i % len(phones)],
            json={"text": f"Ide baru nomor {i} untuk {width}x{height}", "dimension": DIMENSIONS[i % 7]},
        )
        r.raise_for_status()
        page.evaluate(WATCH, f"idea-{r.json()['id']}")
        deadline = time.monotonic() + 10
        while (seen := page.evaluate("window.seenAt")) is None:
            if time.monotonic() > deadline:
                raise SystemExit(f"idea {r.json()['id']} never reached the screen at {width}x{height}")
            time.sleep(0.005)
        arrivals.append(seen - sent_ms)
    page.evaluate("window.stillHere = true")
    started = time.perf_counter()
    client.patch(f"/api/v1/sessions/{session_id}", json={"board_view": "cloud"}, headers=me)
    deadline = time.monotonic() + 15
    while not page.evaluate("document.body.dataset.boardView === 'cloud' && !!document.querySelector('.cloud-word')"):
        if time.monotonic() > deadline:
            raise SystemExit("the word cloud never came")
        time.sleep(0.005)
    view = (time.perf_counter() - started) * 1000
    assert page.evaluate("window.stillHere === true"), "the board reloaded instead of swapping in place"
    return {
        "size": f"{width}×{height}",
        "load": load,
        "layout": statistics.median(layouts),
        "new_p50": statistics.median(arrivals),
        "new_max": max(arrivals),
        "view": view,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=330)
    parser.add_argument("--rounds", type=int, default=10, help="new ideas timed per screen size")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    info = machine()
    print(f"# board_fit: {args.ideas} ideas, {args.rounds} new ideas per size; {info}")
    with tempfile.TemporaryDirectory() as tmp:
        server = Server.plain(Path(tmp))
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        try:
            with httpx.Client(base_url=base, timeout=60) as client, sync_playwright() as playwright:
                session_id, me, phones = brainstorm(client, server.email, args.ideas)
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{base}/login")
                page.fill("#email", server.email)
                page.fill("#password", PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_url("**/console")
                print(f"{'screen':>11} {'load ms':>8} {'layout ms':>10} {'new idea p50':>13} {'max':>6} {'view ms':>8}")
                for size in SIZES:
                    row = measure(page, client, base, session_id, me, phones, size, args.rounds)
                    print(
                        f"{row['size']:>11} {row['load']:8.0f} {row['layout']:10.1f} {row['new_p50']:13.0f} "
                        f"{row['new_max']:6.0f} {row['view']:8.0f}",
                        flush=True,
                    )
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
