"""A hall's Wi-Fi drops: phones keep what they cannot send and send it when it returns.

Starts the server the README way (``bench/room.Server``: SQLite, one worker), joins
``--phones`` phones in Debian's chromium (360 px, each its own context with its
service worker), then two rounds:

1. brainstorm: every phone goes offline, types ``--ideas`` ideas (one every few
   seconds over ``--offline`` seconds), then all come back at once;
2. vote: every phone goes offline, taps ``--dots`` dots, then all come back at once.

For each round it prints how long after the network returned the server held every
item (``server``) and every phone's outbox was empty (``phones``), and checks that
every item arrived exactly once (ideas by text, dots per phone) and the board's
totals are right. The target: everything within 10 s.

    .venv/bin/python bench/offline_phones.py [--phones 20] [--ideas 3] [--dots 2] [--offline 120]

Needs the test extras (Playwright) and /usr/bin/chromium. Numbers only; results in
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from board_fit import CHROMIUM_ARGS  # noqa: E402
from room import PASSWORD, Server, machine  # noqa: E402

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")


def login(client: httpx.Client, email: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def set_up(client: httpx.Client, me: dict[str, str], phones: int) -> tuple[dict, list[dict], list[int]]:
    workshop = client.post("/api/v1/workshops", headers=me, json={"title": "Bimtek", "region": "Kab.", "year": 2026})
    workshop.raise_for_status()
    stage = workshop.json()["stages"][0]["id"]
    session = client.post(
        f"/api/v1/stages/{stage}/sessions",
        headers=me,
        json={"title": "Isu strategis", "prompt": "Apa masalah utama?", "vote_budget": 5},
    )
    session.raise_for_status()
    session = session.json()
    client.post(f"/api/v1/sessions/{session['id']}/phase", headers=me, json={"phase": "brainstorm"}).raise_for_status()
    joined = []
    for n in range(phones):
        r = client.post(
            "/api/v1/join",
            json={
                "join_code": session["join_code"],
                "name": f"Peserta {n}",
                "organization_type": "opd",
                "organization": "Diskominfo",
            },
        )
        r.raise_for_status()
        joined.append(r.json())
    # A few groups to vote on later, from the first phone, before anyone goes offline.
    groups = []
    for n in range(6):
        r = client.post(
            f"/api/v1/sessions/{session['id']}/ideas",
            headers={"Authorization": f"Bearer {joined[0]['token']}"},
            json={"text": f"Usulan awal {n}", "dimension": DIMENSIONS[n]},
        )
        r.raise_for_status()
        groups.append(r.json()["group_id"])
    return session, joined, groups


def wait_for(check, timeout: float) -> float:
    """Seconds until ``check()`` is true (None on timeout)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    return float("nan")


def outboxes_empty(pages) -> bool:
    return all(p.evaluate("document.querySelectorAll('#outbox .outbox-item.is-waiting').length") == 0 for p in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--ideas", type=int, default=3, help="ideas each phone types while offline")
    parser.add_argument("--dots", type=int, default=2, help="dots each phone taps while offline")
    parser.add_argument("--offline", type=float, default=120, help="seconds the network is away, each round")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(
        f"# offline_phones: {args.phones} phones × ({args.ideas} ideas, {args.dots} dots), "
        f"{args.offline:.0f} s offline per round; {machine()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        server = Server.plain(Path(tmp))
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        try:
            with httpx.Client(base_url=base, timeout=60) as client, sync_playwright() as playwright:
                me = login(client, server.email)
                session, joined, groups = set_up(client, me, args.phones)
                sid = session["id"]
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                contexts, pages = [], []
                for phone in joined:
                    context = browser.new_context(**PHONE)
                    context.add_cookies([{"name": f"rembuk_p{sid}", "value": phone["token"], "url": base}])
                    page = context.new_page()
                    page.goto(f"{base}/s/{sid}")
                    contexts.append(context)
                    pages.append(page)
                live = "document.getElementById('live-status').dataset.state === 'live'"
                # (wait_for_function compiles with eval, which the page's CSP refuses)
                wait_for(lambda: all(page.evaluate(live) for page in pages), 60)

                def board() -> dict:
                    return client.get(f"/api/v1/sessions/{sid}/board", headers=me).json()

                # Round 1: ideas typed offline.
                texts = [f"Ide luring {p}-{i}" for p in range(args.phones) for i in range(args.ideas)]
                for context in contexts:
                    context.set_offline(True)
                gap = args.offline / max(args.ideas, 1)
                for i in range(args.ideas):
                    for p, page in enumerate(pages):
                        page.fill("#idea-text", f"Ide luring {p}-{i}")
                        page.click("#idea-form button[type=submit]")
                    time.sleep(gap)
                back = time.monotonic()
                for context in contexts:
                    context.set_offline(False)

                def ideas_arrived() -> bool:
                    shown = [i["text"] for g in board()["groups"] for i in g["ideas"]]
                    return sum(t.startswith("Ide luring") for t in shown) >= len(texts)

                server_s = wait_for(ideas_arrived, 60)
                wait_for(lambda: outboxes_empty(pages), 60)
                phones_s = time.monotonic() - back
                shown = [i["text"] for g in board()["groups"] for i in g["ideas"] if i["text"].startswith("Ide luring")]
                once = sorted(shown) == sorted(texts)
                print(
                    f"ideas: {len(texts)} kept offline; server had all after {server_s:.1f} s, "
                    f"every outbox empty after {phones_s:.1f} s; exactly once: {once} ({len(shown)} on the board)"
                )

                # Round 2: dots tapped offline.
                client.post(f"/api/v1/sessions/{sid}/phase", headers=me, json={"phase": "vote"}).raise_for_status()
                for page in pages:
                    page.wait_for_selector(f"#vg-{groups[0]}-mine", timeout=30000)
                wait_for(lambda: all(page.evaluate(live) for page in pages), 60)
                for context in contexts:
                    context.set_offline(True)
                gap = args.offline / max(args.dots, 1)
                for d in range(args.dots):
                    for p, page in enumerate(pages):
                        page.locator(f"#vg-{groups[(p + d) % len(groups)]}-mine .vote-plus").click()
                    time.sleep(gap)
                back = time.monotonic()
                for context in contexts:
                    context.set_offline(False)
                want = args.phones * args.dots
                server_s = wait_for(lambda: sum(g["votes"] or 0 for g in board()["groups"]) >= want, 60)
                wait_for(lambda: outboxes_empty(pages), 60)
                phones_s = time.monotonic() - back
                total = sum(g["votes"] or 0 for g in board()["groups"])
                per_phone = [
                    client.get(
                        f"/api/v1/sessions/{sid}/board", headers={"Authorization": f"Bearer {p['token']}"}
                    ).json()["votes_left"]
                    for p in joined
                ]
                print(
                    f"dots: {want} kept offline; server had all after {server_s:.1f} s, every outbox empty "
                    f"after {phones_s:.1f} s; exactly once: {total == want and set(per_phone) == {5 - args.dots}} "
                    f"({total} on the board)"
                )
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
