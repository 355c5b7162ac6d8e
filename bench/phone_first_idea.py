"""A low-end Android on a slow network: how soon can the first idea be typed?

Starts the server the README way (``bench/room.Server``: SQLite), opens a session in
brainstorm, and in Debian's chromium at 360 px with 4× CPU throttling and the
DevTools "Slow 3G" profile (2,000 ms per request, 400 kbit/s each way) measures,
from the moment the link is opened until the idea box is on screen and takes
typing (first typed character echoed):

- ``join link``: a phone that has never been here opens ``/j/<code>`` (the QR),
  then — on its own clock, the time a person takes to type a name is left out —
  sends the join form and lands on its page;
- ``phone page``: the phone page opened again (a participant back from a break),
  its files from the browser's cache and the service worker;
- ``phone page, cold``: the phone page opened in a fresh browser with the phone's
  cookie (nothing cached).

    .venv/bin/python bench/phone_first_idea.py [--runs 3] [--cpu 4]

Needs the test extras (Playwright) and /usr/bin/chromium. Numbers only; results in
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from board_fit import CHROMIUM_ARGS  # noqa: E402
from room import PASSWORD, Server, machine  # noqa: E402

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# Chrome DevTools' "Slow 3G": 400 ms × 5 latency, 500 kbit/s × 0.8 each way.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def throttle(context, page, cpu: float) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})


def typed(page, started: float) -> float:
    """Seconds from ``started`` until a character typed into the idea box shows."""
    box = page.locator("#idea-text")
    box.wait_for(state="visible", timeout=60_000)
    box.type("A")
    while box.input_value() != "A":
        time.sleep(0.01)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowdown (DevTools: 4× = mid-range phone)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"# phone_first_idea: Slow 3G, {args.cpu:g}× CPU, {args.runs} runs; {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        server = Server.plain(Path(tmp))
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        try:
            with httpx.Client(base_url=base, timeout=60) as client, sync_playwright() as playwright:
                token = client.post("/api/v1/auth/token", data={"username": server.email, "password": PASSWORD})
                me = {"Authorization": f"Bearer {token.json()['access_token']}"}
                workshop = client.post(
                    "/api/v1/workshops", headers=me, json={"title": "Bimtek", "region": "Kab.", "year": 2026}
                ).json()
                session = client.post(
                    f"/api/v1/stages/{workshop['stages'][0]['id']}/sessions",
                    headers=me,
                    json={"title": "Isu strategis", "prompt": "Apa masalah utama?"},
                ).json()
                sid = session["id"]
                client.post(f"/api/v1/sessions/{sid}/phase", headers=me, json={"phase": "brainstorm"})
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                results: dict[str, list[float]] = {"join link": [], "phone page": [], "phone page, cold": []}
                for run in range(args.runs):
                    context = browser.new_context(**PHONE)
                    page = context.new_page()
                    throttle(context, page, args.cpu)
                    started = time.monotonic()
                    page.goto(f"{base}/j/{session['join_code']}", wait_until="commit")
                    page.locator("#name").wait_for(state="visible", timeout=60_000)
                    to_form = time.monotonic() - started
                    page.fill("#name", f"Peserta {run}")
                    page.click("label[for=org-opd]")
                    page.fill("#organization", "Diskominfo")
                    sent = time.monotonic()
                    page.click("form button[type=submit]")
                    results["join link"].append(to_form + typed(page, sent))
                    page.wait_for_timeout(3000)  # the page settles, its worker installs
                    started = time.monotonic()
                    page.goto(f"{base}/s/{sid}", wait_until="commit")
                    results["phone page"].append(typed(page, started))
                    cookies = [c for c in context.cookies() if c["name"].startswith("rembuk_p")]
                    context.close()

                    cold = browser.new_context(**PHONE)
                    cold.add_cookies(cookies)
                    page = cold.new_page()
                    throttle(cold, page, args.cpu)
                    started = time.monotonic()
                    page.goto(f"{base}/s/{sid}", wait_until="commit")
                    results["phone page, cold"].append(typed(page, started))
                    cold.close()
                browser.close()
                print(f"{'opened':>18} {'median s':>9} {'max s':>7}   (until the first typed character shows)")
                for name, seconds in results.items():
                    print(f"{name:>18} {statistics.median(seconds):9.2f} {max(seconds):7.2f}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
