"""What one phone costs the server when it joins: CPU per request, one at a time.

A room that scans the QR code together sends, per phone, ``POST /api/v1/join``, the
phone page ``GET /s/{id}``, the page's live stream ``GET /s/{id}/stream`` and, the first
time, the files the page loads (``/static/…``: CSS, htmx, the phone's scripts); opening
the vote sends every phone the page and the stream again. ``bench/room.py`` measures
that as latency under load, where one request's cost hides in the queue. This takes
the same requests one after another against ``rembuk serve`` (one worker, SQLite,
what a laptop runs), ``--phones`` of each, and divides the server's CPU (/proc) by
their number, while the streams already opened stay open (so the later joins pay for
the room they join, as in the hall).

    .venv/bin/python bench/join_path.py [--phones 200] [--app-dir DIR]

Numbers only; results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import httpx  # noqa: E402
from page_render import fresh_app  # noqa: E402
from room import Profiler, serving_sqlite  # noqa: E402
from room_listen import LIVE_SEQ, LIVE_URL, page_files  # noqa: E402

from app.services import facilitators, sessions, workshops  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def build(app) -> tuple[int, str]:
    """A session in its brainstorm: its id and join code."""
    with app.state.sessions() as db:
        fac = facilitators.create_facilitator(db, email="join@kominfo.go.id", password="bench-password-123456")
        workshop = workshops.create_workshop(db, owner=fac, title="Bimtek (bench)", region="Kota Contoh", year=2026)
        stage = workshops.stages(db, workshop.id)[0]
        session = sessions.create_session(
            db, facilitator=fac, stage_id=stage.id, title="Isu", prompt="Apa isu kita?", vote_budget=5
        )
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase="brainstorm")
        return session.id, session.join_code


class Room:
    def __init__(self, base: str, pid: int, sid: int, code: str, profiler: Profiler) -> None:
        self.base, self.pid, self.sid, self.code = base, pid, sid, code
        self.profiler = profiler
        self.tokens: list[str] = []
        self.live: dict[int, str] = {}  # phone → the stream path its page names, from its seq
        self.streams: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.files: list[str] = []  # what the phone page loads (/static/…), from the first page

    async def step(self, label: str, n: int, one) -> tuple[str, float, float]:
        await asyncio.sleep(0.5)  # let the streams' ticks after the last step pass
        self.profiler.phase(label, self.pid)
        cpu0, t0 = cpu_seconds(self.pid), time.perf_counter()
        for i in range(n):
            await one(i)
        await asyncio.sleep(0.3)  # the fan-out of what the last request recorded
        cpu = cpu_seconds(self.pid) - cpu0
        self.profiler.stop()
        return label, cpu / n * 1000, (time.perf_counter() - t0 - 0.3) / n * 1000

    async def join(self, client: httpx.AsyncClient, i: int) -> None:
        response = await client.post(
            "/api/v1/join",
            json={"join_code": self.code, "name": f"Peserta {i}", "organization_type": "opd", "organization": "Dinas"},
        )
        if response.status_code != 201:
            raise SystemExit(f"join: {response.status_code} {response.text[:200]}")
        self.tokens.append(response.json()["token"])

    async def page(self, client: httpx.AsyncClient, i: int) -> None:
        response = await client.get(
            f"/s/{self.sid}",
            headers={"cookie": f"rembuk_p{self.sid}={self.tokens[i]}", "accept-encoding": "gzip"},
        )
        url, seq = LIVE_URL.search(response.content), LIVE_SEQ.search(response.content)
        if response.status_code != 200 or not url or not seq:
            raise SystemExit(f"page: {response.status_code}")
        path = url.group(1).decode().replace("&amp;", "&")
        if not self.files:
            self.files = page_files(response.content)
        self.live[i] = path + ("&" if "?" in path else "?") + f"last_event_id={int(seq.group(1))}"

    async def first_visit(self, client: httpx.AsyncClient, i: int) -> None:
        """The page's files, as a phone with an empty cache asks for them (gzip accepted)."""
        for path in self.files:
            response = await client.get(path, headers={"accept-encoding": "gzip"})
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")

    async def stream(self, i: int) -> None:
        """Open the phone's stream as its page does (from the page's seq) on a raw socket
        and read its headers; it stays open."""
        host, port = self.base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            f"GET {self.live[i]} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
            f"Cookie: rembuk_p{self.sid}={self.tokens[i]}\r\n\r\n".encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"stream: {head[:80]!r}")
        self.streams.append((reader, writer))
        asyncio.get_running_loop().create_task(self.drain(reader))

    @staticmethod
    async def drain(reader: asyncio.StreamReader) -> None:
        while await reader.read(65536):
            pass


async def measure(
    base: str, pid: int, sid: int, code: str, phones: int, profiler: Profiler
) -> list[tuple[str, float, float]]:
    room = Room(base, pid, sid, code, profiler)
    rows = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def healthz(i: int) -> None:
            (await client.get("/healthz")).raise_for_status()

        rows.append(await room.step("GET /healthz (the stack alone, for scale)", phones, healthz))
        rows.append(await room.step("POST /api/v1/join (no streams open)", phones, lambda i: room.join(client, i)))
        rows.append(await room.step("GET /s/{id} (brainstorm)", phones, lambda i: room.page(client, i)))
        rows.append(await room.step("GET /s/{id}/stream (open, headers)", phones, room.stream))
        rows.append(
            await room.step(
                f"GET the page's {len(room.files)} files (a first visit, gzip)",
                phones,
                lambda i: room.first_visit(client, i),
            )
        )
        idle0 = cpu_seconds(pid)
        await asyncio.sleep(5)
        rows.append((f"idle, {phones} streams open (per second)", (cpu_seconds(pid) - idle0) / 5 * 1000, 0.0))
        start = len(room.tokens)

        async def late_join(i: int) -> None:
            await room.join(client, start + i)

        rows.append(await room.step(f"POST /api/v1/join ({phones} streams open)", phones, late_join))
    for _, writer in room.streams:
        writer.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--app-dir", help="serve the app from this folder (PYTHONPATH), same venv")
    parser.add_argument("--profile", metavar="DIR", help="py-spy (--gil) per step into DIR (pip install py-spy)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="for the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rembuk-join-") as tmp:
        app, url = fresh_app(tmp)
        sid, code = build(app)
        # Every phone comes from 127.0.0.1 here: the per-network join limit would refuse them.
        extra = ["REMBUK_JOINS_PER_MINUTE=0", *args.env]
        with serving_sqlite(tmp, url, extra_env=extra, app_dir=args.app_dir) as (base, proc):
            profiler = Profiler(Path(args.profile) if args.profile else None, "join-path", labels=None)
            rows = asyncio.run(measure(base, proc.pid, sid, code, args.phones, profiler))
    print(f"{args.phones} phones, one at a time; server CPU (utime + stime) per request\n")
    print("| request | CPU ms | wall ms |")
    print("|---|---:|---:|")
    for label, cpu, wall in rows:
        print(f"| {label} | {cpu:.1f} | {wall:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
