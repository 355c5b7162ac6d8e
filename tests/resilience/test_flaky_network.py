"""A room's flaky Wi-Fi, against a real server over real sockets.

(a) A phone sends an idea and loses the connection before the answer (the request
    went out whole; the socket closes with a FIN, with a RST, on a read timeout, or
    only after the server committed), then retries with the same client_id: three
    copies at once, twenty phones at once, through the JSON API and the phone's form.
    Exactly one idea per client_id, one ``idea.created`` each, and a retry of an idea
    the server already made answers 200 with that idea.
(b) A screen away "for a minute" while the room works (a few hundred events: ideas,
    edits, a hide, a delete, moves and merges, renames, dots and dots taken back)
    comes back with its Last-Event-ID and gets exactly what it missed, in order, once;
    its old state plus those events is the board fetched fresh (console and phone).
    Past ``REMBUK_SSE_REPLAY_LIMIT`` the same reconnect gets a snapshot instead; at the
    limit, still the replay.
(c) A phone that reconnects after the phase moved (brainstorm → vote, vote →
    results) is brought to the new screen: its HTML stream, resumed from the old id,
    sends the reload (and a resume with no phase change does not); in Chromium, a
    phone offline while the facilitator moves the phase shows the vote screen, then
    the results, once back online, without anyone reloading it.

Already covered elsewhere and not repeated here: Redis down while workers keep
writing (tests/live/test_scale_out.py), an exhausted database pool answering 503
(tests/resilience/test_database_busy.py), replay/snapshot basics and the replay limit with a
handful of events (tests/live/test_sse.py), a browser phone offline through brainstorm →
group (tests/browser/test_brainstorm.py).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from httpx_sse import connect_sse

from tests.builders import Api
from tests.support.browser import PHONE, Watch, join_by_typing, wait_live
from tests.support.faults import Witness, idea_request, join_all, send_and_drop, wait_for
from tests.support.reducer import reduce
from tests.support.streams import Stream

pytestmark = pytest.mark.server

DROPS = ("fin", "reset", "timeout", "after_commit")
PHONES = 20
COPIES = 3


def room(api, server, **settings):
    """A facilitator and a brainstorming session, made through the real server."""
    fac = api.facilitator()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        session = Api(http).session(fac, **settings)
    return fac, session


# --- (a) dropped submits, retried ------------------------------------------------------------


async def drop_then_retry(base_url: str, witness: Witness, phones, executor) -> list[tuple[str, bool, list]]:
    """Each phone: send, drop, then retry three times at once; all phones together."""
    loop = asyncio.get_running_loop()

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:

        async def submit(phone, client_id: str, text: str, form: bool, timeout=None) -> httpx.Response:
            if form:
                return await http.post(f"/s/{phone.session_id}/ideas", timeout=timeout,
                                       data={"text": text, "dimension": "governance", "client_id": client_id},
                                       headers={"Cookie": f"rembuk_p{phone.session_id}={phone.token}",
                                                "Origin": base_url, "Sec-Fetch-Site": "same-origin"})
            return await http.post(f"/api/v1/sessions/{phone.session_id}/ideas", headers=phone.headers, timeout=timeout,
                                   json={"text": text, "dimension": "governance", "client_id": client_id})

        async def one(n: int, phone) -> tuple[str, bool, list]:
            drop, form = DROPS[n % len(DROPS)], (n // len(DROPS)) % 2 == 1
            client_id, text = f"hp-{n}-{drop}", f"Ide dari ponsel {n} (sinyal putus: {drop})"
            if drop == "timeout":
                try:  # gives up 1 ms after sending: the answer, if any, lands on a closed socket
                    await submit(phone, client_id, text, form, timeout=httpx.Timeout(10, read=0.001))
                except httpx.TimeoutException:
                    pass
            else:
                def committed() -> bool:
                    return client_id in witness.ideas_by_client_id(phone.session_id)

                raw = idea_request(base_url, phone, client_id, text, form=form)
                wait = (lambda: wait_for(committed, what=f"idea {client_id}")) if drop == "after_commit" else None
                await loop.run_in_executor(executor, lambda: send_and_drop(base_url, raw, reset=drop == "reset",
                                                                           before_drop=wait))
            retries = await asyncio.gather(*(submit(phone, client_id, text, form) for _ in range(COPIES)))
            return drop, form, list(retries)

        return list(await asyncio.gather(*(one(n, p) for n, p in enumerate(phones))))


def test_dropped_submits_retried_with_their_client_id_make_one_idea_each(api, settings, live_server):
    fac, session = room(api, live_server)
    witness = Witness(settings.resolved_database_url)
    try:
        async def join():
            async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
                return await join_all(http, session["join_code"], [f"Peserta {n}" for n in range(PHONES)])

        phones = asyncio.run(join())
        with ThreadPoolExecutor(PHONES) as executor:
            outcomes = asyncio.run(drop_then_retry(live_server.url, witness, phones, executor))

        stored = witness.ideas_by_client_id(session["id"])
        for n, ((drop, form, retries), phone) in enumerate(zip(outcomes, phones, strict=True)):
            client_id = f"hp-{n}-{drop}"
            assert len(stored.get(client_id, ())) == 1, (client_id, stored.get(client_id))
            row = stored[client_id][0]
            assert row.participant_id == phone.participant_id
            if form:
                # The page's form answers each copy with the redirect back to the page.
                assert [r.status_code for r in retries] == [303] * COPIES, (client_id, [r.text[:200] for r in retries])
                continue
            statuses = [r.status_code for r in retries]
            assert set(statuses) <= {200, 201} and statuses.count(201) <= 1, (client_id, statuses)
            assert {r.json()["id"] for r in retries} == {row.id}
            assert {r.json()["seq"] for r in retries} == {row.created_seq}
            if drop == "after_commit":
                assert statuses == [200] * COPIES  # the server made it before the drop: retries change nothing
        assert len(stored) == PHONES
        created = [p["idea"]["id"] for _seq, kind, p in witness.events(session["id"]) if kind == "idea.created"]
        assert sorted(created) == sorted(rows[0].id for rows in stored.values())
        witness.assert_log_whole(session["id"])
        # Nobody's dropped socket cost the server anything: it answers, and logged no error.
        assert httpx.get(f"{live_server.url}/healthz", timeout=10).status_code == 200
        assert "Traceback" not in live_server.log.read_text()
    finally:
        witness.close()


# --- (b) a screen away for a minute ---------------------------------------------------------


async def a_minute_of_the_room(base_url: str, fac: dict, session_id: int, phones, rng: random.Random) -> None:
    """What a room does in about a minute: ideas, edits, a hide and a delete,
    grouping (moves that merge, renames) and dots; each phone at its own pace."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:

        async def ok(method: str, url: str, headers: dict, **kw) -> dict:
            r = await http.request(method, url, headers=headers, **kw)
            assert r.is_success, (method, url, r.status_code, r.text)
            return r.json() if r.content else {}

        async def brainstorm(n: int, phone) -> list[dict]:
            mine = []
            for k in range(20):
                mine.append(await ok("POST", f"/api/v1/sessions/{session_id}/ideas", phone.headers,
                                     json={"text": f"Ide {k} dari peserta {n}", "client_id": f"m-{n}-{k}",
                                           "dimension": rng.choice(("governance", "living", "economy"))}))
            for idea in mine[:3]:
                await ok("PATCH", f"/api/v1/ideas/{idea['id']}", phone.headers,
                         json={"text": idea["text"] + " (diperbaiki)", "dimension": "society"})
            return mine

        ideas = [i for mine in await asyncio.gather(*(brainstorm(n, p) for n, p in enumerate(phones))) for i in mine]
        await ok("POST", f"/api/v1/ideas/{ideas[0]['id']}/visibility", fac, json={"hidden": True})
        await ok("DELETE", f"/api/v1/ideas/{ideas[25]['id']}", phones[1].headers)
        await ok("POST", f"/api/v1/sessions/{session_id}/phase", fac, json={"phase": "group"})
        # The facilitator groups: 45 ideas merged into the groups of others, 5 renamed.
        for idea, into in zip(ideas[40:130:2], ideas[41:130:2], strict=True):
            await ok("POST", f"/api/v1/ideas/{idea['id']}/move", fac, json={"group_id": into["group_id"]})
        for idea in ideas[41:51:2]:
            await ok("PATCH", f"/api/v1/groups/{idea['group_id']}", fac, json={"title": f"Kelompok {idea['id']}"})
        await ok("POST", f"/api/v1/sessions/{session_id}/phase", fac, json={"phase": "vote"})
        targets = [i["group_id"] for i in ideas[41:130:2]]

        async def dots(phone) -> None:
            cast = 0
            while cast < 5:
                r = await http.post(f"/api/v1/groups/{rng.choice(targets)}/votes", headers=phone.headers)
                assert r.status_code in (201, 409), r.text  # 409: that group's cap for this phone
                cast += r.status_code == 201
            await ok("DELETE", f"/api/v1/groups/{r.json()['group_id']}/votes", phone.headers)

        await asyncio.gather(*(dots(p) for p in phones))


def test_a_screen_away_for_a_minute_gets_exactly_what_it_missed(api, live_server, server_factory):
    seed = random.randrange(1 << 30)
    # The worker's server: only the second one, with the short replay limit, needs its
    # own settings (it serves the same database: ``server_factory`` takes the test's).
    server = live_server
    fac, session = room(api, server)
    sid = session["id"]

    async def join():
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            return await join_all(http, session["join_code"], [f"Peserta {n}" for n in range(10)])

    phones = asyncio.run(join())
    rina = phones[0]
    http = httpx.Client(base_url=server.url, timeout=30)
    remote = Api(http)
    # The console and Rina's phone follow the room, see one idea arrive, then lose the Wi-Fi.
    with Stream(server.url, sid, headers=fac) as console, Stream(server.url, sid, headers=rina.headers) as phone:
        snapshots = {"console": console.next(), "phone": phone.next()}
        first = remote.idea(rina, "Ide sebelum sinyal hilang")
        seen = {"console": console.until(first["seq"]), "phone": phone.until(first["seq"])}
    away_from = first["seq"]

    asyncio.run(a_minute_of_the_room(server.url, fac, sid, phones, random.Random(seed)))
    last = remote.board(fac, sid)["last_seq"]
    missed = last - away_from
    assert missed >= 300, missed  # "a few hundred events"

    replays = {}
    for who, headers in (("console", fac), ("phone", rina.headers)):
        with Stream(server.url, sid, headers={**headers, "Last-Event-ID": str(away_from)}) as back:
            got = back.until(last, timeout=30)
            assert [e.id for e in got] == list(range(away_from + 1, last + 1)), f"seed={seed} {who}"
            assert "snapshot" not in {e.event for e in got}
            assert back.nothing_more(0.3)
        board = remote.board(headers, sid)
        assert board["last_seq"] == last
        events = seen[who] + got
        assert reduce(snapshots[who].data, [(e.event, e.data, e.id) for e in events]) == board, f"seed={seed} {who}"
        replays[who] = got
    kinds = {e.event for e in replays["console"]}
    assert {"idea.created", "idea.updated", "idea.hidden", "idea.deleted", "idea.moved", "group.updated",
            "session.phase_changed", "vote.cast", "vote.removed"} <= kinds, kinds

    # The same reconnect on a server whose replay limit is one below the gap: a snapshot,
    # then live events. One event less behind (exactly at the limit): the replay again.
    strict = server_factory(sse_replay_limit=missed - 1)
    with httpx.Client(base_url=strict.url, timeout=30) as on_strict:
        with Stream(strict.url, sid, headers={**fac, "Last-Event-ID": str(away_from)}) as back:
            snapshot = back.next()
            assert (snapshot.event, snapshot.id) == ("snapshot", last)
            assert snapshot.data == Api(on_strict).board(fac, sid)
            group_id = snapshot.data["groups"][0]["id"]
            renamed = on_strict.patch(f"/api/v1/groups/{group_id}", json={"title": "Setelah snapshot"}, headers=fac)
            assert renamed.status_code == 200, renamed.text
            event = back.next()
            assert (event.event, event.id, event.data["group"]["title"]) == (
                "group.updated", renamed.json()["seq"], "Setelah snapshot")
        # The rename made the log one longer: two events later is exactly the limit behind.
        with Stream(strict.url, sid, headers={**fac, "Last-Event-ID": str(away_from + 2)}) as back:
            got = back.until(last + 1, timeout=30)
        assert [e.id for e in got] == list(range(away_from + 3, last + 2))
        # Two servers replay the same log the same way.
        assert [(e.event, e.data) for e in got[:-1]] == [(e.event, e.data) for e in replays["console"][2:]]
    http.close()


# --- (c) a phone back after the phase moved on -----------------------------------------------


def phone_page(phone: httpx.Client, session_id: int) -> dict:
    html = phone.get(f"/s/{session_id}").text
    live = re.search(r'data-live-url="([^"]+)" data-seq="(\d+)"', html)
    view = re.search(r'<main id="main"[^>]* data-view="([a-z]+)"', html)
    assert live and view, html[:500]
    return {"url": live.group(1).replace("&amp;", "&"), "seq": int(live.group(2)), "view": view.group(1), "html": html}


def html_messages(phone: httpx.Client, url: str, *, until: int, how: str, last_event_id: int,
                  timeout: float = 15) -> list[dict]:
    """The phone's live stream resumed from ``last_event_id`` (in the query, as
    live.js sends it, or the header, as EventSource's own retry does), up to ``until``."""
    headers = {"Last-Event-ID": str(last_event_id)} if how == "header" else {}
    if how == "query":
        url = f"{url}&last_event_id={last_event_id}"
    deadline = time.monotonic() + timeout
    got: list[dict] = []
    with connect_sse(phone, "GET", url, headers=headers, timeout=10) as source:
        assert source.response.status_code == 200
        for sse in source.iter_sse():
            assert time.monotonic() < deadline, f"stream stopped short of {until}: {got}"
            if sse.event in ("ops", "snapshot"):
                got.append({"event": sse.event, **json.loads(sse.data)})
                if got[-1]["seq"] >= until:
                    return got
    raise AssertionError("the stream ended")


def reloads(messages: list[dict]) -> bool:
    return any(op == {"op": "reload"} for m in messages for op in m["ops"])


def test_phone_stream_resumed_after_the_phase_moved_brings_the_new_screen(api, live_server):
    fac, session = room(api, live_server)
    sid = session["id"]
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        remote = Api(http)
        rina, budi = remote.join(session["join_code"], "Rina"), remote.join(session["join_code"], "Budi")
        groups = [remote.idea(budi, f"Usulan Budi {n}")["group_id"] for n in range(3)]
        phone = httpx.Client(base_url=live_server.url, timeout=30, cookies={f"rembuk_p{sid}": rina.token})
        page = phone_page(phone, sid)
        assert page["view"] == "ideas"

        # Control: back after only someone else's idea. Nothing to redraw, no reload.
        last = remote.idea(budi, "Usulan Budi lagi")["seq"]
        got = html_messages(phone, page["url"], until=last, how="query", last_event_id=page["seq"])
        assert [m["event"] for m in got] == ["ops"] * len(got) and got[-1]["seq"] == last and not reloads(got)

        # Brainstorm → vote while the phone was away: the resumed stream reloads the page.
        remote.phase(fac, sid, "vote")
        last = remote.board(fac, sid)["last_seq"]
        for how in ("query", "header"):
            got = html_messages(phone, page["url"], until=last, how=how, last_event_id=page["seq"])
            assert reloads(got) and got[-1]["seq"] == last, (how, got)
        page = phone_page(phone, sid)
        assert page["view"] == "vote" and page["seq"] == last
        assert page["html"].count('class="vote-btn vote-plus"') == len(groups) + 1

        # Dots are cast, then vote → results while the phone was away again.
        for gid in groups[:2]:
            assert http.post(f"/api/v1/groups/{gid}/votes", headers=rina.headers).status_code == 201
        assert http.post(f"/api/v1/groups/{groups[0]}/votes", headers=budi.headers).status_code == 201
        remote.phase(fac, sid, "results")
        last = remote.board(fac, sid)["last_seq"]
        for how in ("query", "header"):
            got = html_messages(phone, page["url"], until=last, how=how, last_event_id=page["seq"])
            assert reloads(got) and got[-1]["seq"] == last, (how, got)
        page = phone_page(phone, sid)
        assert page["view"] == "results" and page["seq"] == last
        assert re.search(r'class="rank-row [^"]*is-mine"', page["html"])  # the results, with my dots marked
        phone.close()


@pytest.mark.browser
def test_browser_phone_offline_through_phase_changes_shows_the_new_screen(chromium, api, live_server):
    from playwright.sync_api import expect

    fac, session = room(api, live_server)
    sid, base, watch = session["id"], live_server.url, Watch()
    with httpx.Client(base_url=base, timeout=30) as http:
        remote = Api(http)
        budi = remote.join(session["join_code"], "Budi")
        groups = [remote.idea(budi, f"Usulan Budi {n}")["group_id"] for n in range(3)]
        context = chromium.new_context(**PHONE)
        page = watch.page(context)
        join_by_typing(page, base, session["join_code"], "Rina Marlina", "opd", "Diskominfo")
        main = page.locator("#main")
        expect(main).to_have_attribute("data-view", "ideas")

        for phase, view in (("vote", "vote"), ("results", "results")):
            page.evaluate("window.notReloaded = true")  # gone once the page reloads itself
            context.set_offline(True)
            expect(page.locator("#live-status")).to_have_attribute("data-state", "offline")
            remote.phase(fac, sid, phase)
            context.set_offline(False)  # back online: nobody touches the page
            expect(main).to_have_attribute("data-view", view, timeout=10000)
            assert page.evaluate("window.notReloaded === undefined")
            wait_live(page)
            if view == "vote":
                expect(page.locator(".votes-left-num")).to_have_text("5")
                page.locator(f"#vg-{groups[1]}-mine .vote-plus").click()
                expect(page.locator(".votes-left-num")).to_have_text("4")
        expect(page.locator(".rank-row.is-mine").first).to_be_visible()
        assert watch.dialogs == [] and watch.errors == [], (watch.dialogs, watch.errors)
        context.close()
