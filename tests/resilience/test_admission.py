"""A worker lets in only as many requests as it can serve (app/admission.py).

Before this, a burst of more requests than the database pool holds could stall a
worker for the pool's whole 30 s timeout (requests held connections while waiting for
a thread; the threads waited for connections) and then answer 503s: seen in
bench/room.py with 300 phones voting. These run real servers on the test database."""

from __future__ import annotations

import socket
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx
import pytest

from tests.builders import Api
from tests.support.groups import rows_by_group

pytestmark = [pytest.mark.server, pytest.mark.database]


def burst(base_url: str, requests: list[tuple[str, str, str]]) -> list[int]:
    """Requests that arrive in the same instant: every one is sent but for its last
    byte, then the last bytes go out together (threads and HTTP clients would spread
    them over tens of milliseconds). Returns the status codes."""
    parts = urlsplit(base_url)
    sockets = []
    for method, path, token in requests:
        sock = socket.create_connection((parts.hostname, parts.port), timeout=90)
        raw = (f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
               "Content-Length: 0\r\nConnection: close\r\n\r\n").encode()
        sock.sendall(raw[:-1])
        sockets.append((sock, raw[-1:]))
    for sock, last in sockets:
        sock.sendall(last)
    codes = []
    for sock, _ in sockets:
        with sock:
            head = sock.recv(64).decode()
            codes.append(int(head.split(" ", 2)[1]))
    return codes


def test_a_burst_bigger_than_the_pool_is_served_without_a_stall(api, app, live_server):
    # The worker's server: it has the default pool and limit, which is what is tested.
    # The room is made in this process on the same database (its tokens are signed with
    # the same key): the burst is what goes over the wire.
    server = live_server
    fac = api.facilitator()
    session = api.session(fac, vote_budget=1, max_votes_per_group=1)
    phones = [api.join(session["join_code"], f"Peserta {n}") for n in range(120)]
    groups = [api.idea(phones[n], f"Usulan {n}")["group_id"] for n in range(6)]
    api.phase(fac, session["id"], "vote")
    # 120 phones vote in the same instant: three times the pool, seven times the limit.
    # (Without the limit this took 34 s and 40 of them got 503: the stall it prevents.)
    codes = burst(server.url, [("POST", f"/api/v1/groups/{groups[n % 6]}/votes", phone.token)
                               for n, phone in enumerate(phones)])
    assert Counter(codes) == {201: 120}
    assert rows_by_group(app, session["id"]) == {group: 20 for group in groups}


def _hold_a_turn(base_url: str, path: str, token: str) -> socket.socket:
    """A request that has been let in and is still sending its body (a phone on bad
    Wi-Fi): it holds its turn until the body arrives."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"text\": ")
    sock.sendall(head.encode())
    return sock


def test_a_request_that_waits_too_long_gets_503_and_streams_are_not_counted(api, server_factory):
    server = server_factory(max_concurrent_requests=1, request_queue_seconds=0.5)
    fac = api.facilitator()
    with httpx.Client(base_url=server.url, timeout=10) as client:
        remote = Api(client)
        session = remote.session(fac)
        rina = remote.join(session["join_code"], "Rina")
        slow = _hold_a_turn(server.url, f"/api/v1/sessions/{session['id']}/ideas", rina.token)
        try:
            # Once the server has let the slow request in (it may read the next socket
            # first), the turn is taken: a call waits 0.5 s, then a clear 503 in Indonesian.
            deadline = time.monotonic() + 20
            while (r := client.get(f"/api/v1/sessions/{session['id']}/board", headers=fac)).status_code == 200:
                assert time.monotonic() < deadline, "the slow request never took its turn"
            assert r.status_code == 503 and r.headers["retry-after"] == "2"
            assert r.json()["detail"] == "Server sedang sibuk. Silakan coba lagi sebentar lagi."
            page = client.get("/console?lang=en", headers={"Accept": "text/html"})
            assert page.status_code == 503 and "The server is busy" in page.text
            # A page someone opened asks again by itself after Retry-After; a form's answer does not.
            assert '<meta http-equiv="refresh" content="2">' in page.text and "tries again by itself" in page.text
            posted = client.post("/login", data={"email": "x@y.id"}, headers={"Accept": "text/html"})
            assert posted.status_code == 503 and 'http-equiv="refresh"' not in posted.text
            # Health and live streams do not queue behind requests.
            assert client.get("/healthz").status_code == 200
            with client.stream("GET", f"/api/v1/sessions/{session['id']}/events", headers=fac) as stream:
                assert stream.status_code == 200
                assert next(stream.iter_lines()).startswith(("retry", ":", "event", "id", "data"))
            # The slow phone's body arrives: its idea is saved, the turn is free again.
            slow.sendall(b'"Antrean RSUD daring"}' + b" " * (40 - len(b'{"text": "Antrean RSUD daring"}')))
            answer = slow.recv(4096).decode()
            assert answer.startswith("HTTP/1.1 201"), answer
        finally:
            slow.close()
        board = client.get(f"/api/v1/sessions/{session['id']}/board", headers=fac)
        assert board.status_code == 200
        assert [i["text"] for g in board.json()["groups"] for i in g["ideas"]] == ["Antrean RSUD daring"]
