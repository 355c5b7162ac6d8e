"""Load soak: a plenary's phones connected for minutes with steady activity.

The target: 300 phones connected for 10 minutes with steady activity, the
server's memory flat (growth < 10 %) and no errors. This script simulates that
plenary against a real server, reusing bench/room.py's machinery: the server
started the README way (``rembuk migrate``, ``create-facilitator``, ``serve``;
SQLite and one worker unless told otherwise), phones that join, load their page
and follow its live HTML stream in a separate listener process
(bench/room_listen.py), the board following the projector's stream, the
facilitator's API calls, and the server's RSS and CPU read from /proc.

What one run does (defaults in brackets):

1. the facilitator sets up one session and opens the brainstorm; the board opens;
2. ``--phones`` [300] join, staggered at ``--join-rate`` [10/s], each loads its
   page and follows its stream; the run waits until every screen is live;
3. ``--minutes`` [10] of steady activity, open loop (a slow server does not slow
   the room down; each phone sends one request at a time):

   - first half, brainstorm: ``--idea-rate`` [2/s] ideas from random phones, i.e.
     600 ideas in 5 minutes, two cards per person, what a brainstorm round of 300
     yields; ``--edit-rate`` [0.3/s] edits of one's own idea (about one idea in
     seven gets a typo fixed); the facilitator merges an idea into another's group
     ``--moves-per-minute`` [6] times a minute (one person at a laptop, tidying
     duplicates while the ideas come in);
   - at ``--vote-at`` [0.5] of the time, the facilitator opens the vote (every
     screen reloads into the ballot); 5 s later the dots start at ``--vote-rate``
     [5/s], i.e. 1,500 dots in 5 minutes, five per person (the budget is set to
     fit), each within the per-group cap;
   - throughout, ``--drops-per-minute`` [5] phones (under 2 % of the room: a
     screen locked, a walk out of the access point's range) lose their stream for
     ``--offline`` [1–10] s and reconnect from their last event id
     (``?last_event_id=``, what app/static/live.js does);
   - every ``--sample-every`` [10] s: the server's RSS (VmRSS of its processes,
     /proc; psutil is not in the venv) and CPU, its open file descriptors, the
     screens that are live;

4. waits until every screen has every event, compares the ideas and dots
   answered 201 with what the facilitator's board (the database) holds, and
   prints a Markdown report.

Memory is judged over the steady state: from ``--warmup`` [60] s into the
activity (caches, SQLite's page cache and the allocator's arenas have reached
their working size) to the end. Growth % = last sample vs the first steady one;
the least-squares slope (MB/min) over the same samples shows a slow leak even if
one sample is noisy, and per phase so that the vote's one-off step (the ballot
rendered for every phone) is not mistaken for a leak.

Ctrl-C (once) or a server that dies ends the activity early and still prints
the report (Ctrl-C twice: stop without one). Every wait has a deadline.

    python bench/soak.py                              # 300 phones × 10 min (re-runs itself in .venv)
    python bench/soak.py --phones 30 --minutes 1.5    # a quick check
    python bench/soak.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rembuk_bench

Numbers only: nothing here asserts a time. Results: bench/RESULTS.md.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

if __name__ == "__main__" and VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    # `python bench/soak.py` from a fresh clone: run inside the project's venv (make run).
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])

sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

import room_listen  # noqa: E402
from room import (  # noqa: E402
    HOST,
    PASSWORD,
    WORDS,
    FacilitatorError,
    Listeners,
    Phone,
    ProcessTree,
    Profiler,
    RembukTarget,
    Run,
    Server,
    app_version,
    lat_row,
    log_errors,
    machine,
    mb,
    raise_fd_limit,
    wait_ready,
)
from sse_client import Histogram, HttpClient, fmt_time  # noqa: E402

VOTE_PAUSE = 5.0  # seconds between the vote opening and the first dot (people look at the ballot)
BRAINSTORM_STOP = 2.0  # no new ideas or edits this long before the vote opens (else: honest 409s)


class ServerGone(Exception):
    """The server process exited during the run."""


# --- the listener process: room_listen's screens, plus dropping and reconnecting -------


class SoakScreen(room_listen.Screen):
    offline = False  # dropped by us, waiting to reconnect
    reconnect_started = 0.0

    def on_open(self, status: int) -> None:
        super().on_open(status)
        if status == 200 and self.reconnect_started:
            self.listener.reconnect_latency.add(time.monotonic() - self.reconnect_started)
            self.reconnect_started = 0.0


class SoakListener(room_listen.Listener):
    """room_listen's Listener with one more command, ``("drop", n, lo, hi)``: n live
    phones lose their stream (closed by us, not counted as an error) and reconnect
    from their cursor after lo–hi seconds."""

    def __init__(self, conn, host: str, port: int) -> None:
        super().__init__(conn, host, port)
        self.rng = random.Random()
        self.dropped = 0
        self.reconnect_latency = Histogram()

    def on_command(self, message) -> None:
        if message[0] == "connect":
            for spec in message[1]:
                screen = SoakScreen(self, spec)
                self.screens.append(screen)
                self.spawn(screen.start())
        elif message[0] == "drop":
            self.conn.send(self.drop(*message[1:]))
        else:
            super().on_command(message)

    def drop(self, n: int, lo: float, hi: float) -> int:
        live = [
            s
            for s in self.screens
            if s.kind == "phone" and s.open and s.stream is not None and not s.reloading and not s.offline
        ]
        chosen = self.rng.sample(live, min(n, len(live)))
        for screen in chosen:
            screen.stream.close()  # on purpose: no on_close, no error
            screen.stream = None
            screen.open = False
            screen.offline = True
            self.loop.call_later(self.rng.uniform(lo, hi), self._back, screen)
        self.dropped += len(chosen)
        return len(chosen)

    def _back(self, screen: SoakScreen) -> None:
        if self.finishing:
            return
        screen.offline = False
        screen.reconnect_started = time.monotonic()
        self.spawn(screen.connect())  # ?last_event_id=<cursor>, as live.js does

    def results(self, send_times, final) -> dict[str, Any]:
        out = super().results(send_times, final)
        out["dropped"] = self.dropped
        out["reconnect_latency"] = self.reconnect_latency
        out["still_offline"] = sum(1 for s in self.screens if s.offline)
        return out


async def _serve(conn, host: str, port: int) -> None:
    listener = SoakListener(conn, host, port)
    threading.Thread(target=listener.read_commands, daemon=True).start()
    listener.spawn(listener.watch_lag())
    conn.send(("ready",))
    await listener.done.wait()


def listen(conn, host: str, port: int, bench_dir: str) -> None:
    """Listener process entry point (multiprocessing spawn target)."""
    # Ctrl-C in the terminal reaches the whole process group: it is the driver's to
    # handle (stop the activity, then ask us for the numbers), so we ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.path.insert(0, bench_dir)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover
        runner = asyncio.Runner()
    with runner:
        runner.run(_serve(conn, host, port))


class SoakListeners(Listeners):
    """room.Listeners, running :func:`listen` (with ``drop``) in each process."""

    def __init__(self, count: int, port: int, timeout: float = 60.0) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conns, self.procs = [], []
        for _ in range(count):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=listen, args=(theirs, HOST, port, str(BENCH)), daemon=True)
            proc.start()
            self.conns.append(mine)
            self.procs.append(proc)
        for conn, proc in zip(self.conns, self.procs, strict=True):
            if not conn.poll(timeout) or conn.recv() != ("ready",):
                raise SystemExit(f"a listener process did not start ({proc.exitcode})")
        self._next = 0
        self._lock = asyncio.Lock()
        self.asking: set[asyncio.Task] = set()

    async def _ask(self, message) -> list:
        # Shielded: a caller cancelled (Ctrl-C, a deadline) must not leave its reply in
        # the pipe for the next question to read; the question runs to its answer.
        inner = asyncio.ensure_future(super()._ask(message))
        self.asking.add(inner)
        inner.add_done_callback(self.asking.discard)
        return await asyncio.shield(inner)

    async def drop(self, n: int, lo: float, hi: float) -> int:
        per = math.ceil(n / len(self.conns))
        return sum(await self._ask(("drop", per, lo, hi)))


class SoakServer(Server):
    """room.Server, started in its own session: Ctrl-C in the terminal reaches only the
    driver, which stops the activity, reads the final counts and then stops the server."""

    def start(self) -> None:
        self._cli("migrate")
        self._cli("create-facilitator", "--email", self.email, "--password", PASSWORD, "--name", "Fasilitator Bench")
        self.command = [
            self.rembuk,
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.args.workers),
            "--log-level",
            self.args.log_level,
        ]
        self.log = open(self.log_path, "w")  # noqa: SIM115  # the server's log, open until stop() closes it
        self.proc = subprocess.Popen(
            self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.cwd, start_new_session=True
        )
        wait_ready(f"http://{HOST}:{self.port}/readyz", self.proc, self.log_path)


class PeakTree(ProcessTree):
    """room.ProcessTree (RSS and CPU from /proc every 0.2 s), also noting when the peak was."""

    peak_at = 0.0

    def sample(self) -> None:
        before = self.peak_rss
        super().sample()
        if self.peak_rss > before:
            self.peak_at = time.monotonic()


# --- the run ---------------------------------------------------------------------------


class SoakRun(Run):
    def __init__(self, args, target, server, listeners: SoakListeners) -> None:
        super().__init__(args, target, server, listeners, Profiler(None, "rembuk"))
        self.tree = PeakTree(server.proc.pid)
        self.attempts: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.ideas_of: dict[int, list[int]] = {}  # phone index → its ideas
        self.group_of: dict[int, int] = {}  # idea → its group, as we last saw it
        self.vote_groups: list[int] = []
        self.inflight: set[asyncio.Task] = set()
        self.samples: list[dict[str, Any]] = []
        self.stop_reason: str | None = None
        self.dropped = 0
        self.sid = 0
        self.phones: list[Phone] = []
        self.t_activity: float | None = None
        self.planned_votes = 0

    # --- deadlines and the server's health ------------------------------------------
    def check_server(self) -> None:
        if self.server.proc.poll() is not None:
            raise ServerGone(f"the server exited ({self.server.proc.returncode})")

    async def guarded(self, coro):
        """Await ``coro``, but stop at once if the server dies meanwhile."""
        task = asyncio.ensure_future(coro)
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=0.5)
                if done:
                    return task.result()
                self.check_server()
        finally:
            if not task.done():
                task.cancel()

    async def sleep_until(self, when: float) -> None:
        while True:
            self.check_server()
            delay = when - time.monotonic()
            if delay <= 0:
                return
            await asyncio.sleep(min(delay, 0.5))

    async def ask_listeners(self, coro, timeout: float = 30.0):
        try:
            return await asyncio.wait_for(coro, timeout)
        except TimeoutError:
            self.errors[f"listener process did not answer within {timeout:g} s"] += 1
            return None

    def spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self.inflight.add(task)
        task.add_done_callback(self.inflight.discard)

    def pick(self, kind: str, ok=lambda phone: True) -> Phone | None:
        """A random phone that fits and is not still waiting for its previous request."""
        candidates = [p for p in self.phones if ok(p) and not p.lock.locked()]
        if not candidates:
            self.skipped[kind] += 1
            return None
        return self.rng.choice(candidates)

    # --- what the room does ---------------------------------------------------------
    async def idea(self, phone: Phone) -> None:
        rng = self.rng
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize()
        self.attempts["idea"] += 1
        response, t0 = await self.timed(
            "idea",
            phone.http,
            "POST",
            f"/api/v1/sessions/{self.sid}/ideas",
            headers={"Authorization": f"Bearer {phone.token}"},
            json={"text": text, "dimension": rng.choice(self.target.dimensions), "client_id": uuid.uuid4().hex},
        )
        if response is not None and response.status == 201:
            body = response.json()
            self.sent(self.sid, body["seq"], t0, "idea")
            self.ideas_ok[self.sid] += 1
            self.ideas_of.setdefault(phone.index, []).append(body["id"])
            self.group_of[body["id"]] = body["group_id"]

    async def edit(self, phone: Phone) -> None:
        idea_id = self.rng.choice(self.ideas_of[phone.index])
        text = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(4, 14))).capitalize()
        self.attempts["edit"] += 1
        response, t0 = await self.timed(
            "edit",
            phone.http,
            "PATCH",
            f"/api/v1/ideas/{idea_id}",
            headers={"Authorization": f"Bearer {phone.token}"},
            json={"text": text},
        )
        if response is not None and response.status == 200:
            self.sent(self.sid, response.json()["seq"], t0, "edit")

    async def move(self) -> None:
        """The facilitator merges an idea into another idea's group."""
        ideas = list(self.group_of)
        if len(set(self.group_of.values())) < 2:
            self.skipped["move"] += 1
            return
        idea = self.rng.choice(ideas)
        others = [i for i in ideas if self.group_of[i] != self.group_of[idea]]
        group = self.group_of[self.rng.choice(others)]
        self.attempts["move"] += 1
        target = self.target
        async with target.fac_lock:
            response, t0 = await self.timed(
                "move",
                target.fac,
                "POST",
                f"/api/v1/ideas/{idea}/move",
                headers={"Authorization": f"Bearer {target.token}"},
                json={"group_id": group},
            )
        if response is not None and response.status == 200:
            body = response.json()
            if body["seq"] is not None:
                self.sent(self.sid, body["seq"], t0, "move")
            self.group_of[idea] = body["group_id"]

    def dispatch(self, kind: str) -> None:
        if kind == "idea":
            phone = self.pick(kind)
            if phone:
                self.spawn(self._one_at_a_time(phone, lambda: self.idea(phone)))
        elif kind == "edit":
            phone = self.pick(kind, lambda p: p.index in self.ideas_of)
            if phone:
                self.spawn(self._one_at_a_time(phone, lambda: self.edit(phone)))
        elif kind == "move":
            self.spawn(self.move())
        elif kind == "vote":
            budget = self.vote_budget
            phone = self.pick(kind, lambda p: sum(p.votes_on.values()) < budget) if self.vote_groups else None
            if phone is None:
                if not self.vote_groups:
                    self.skipped[kind] += 1
                return
            choices = [g for g in self.vote_groups if phone.votes_on[g] < budget]
            group = self.rng.choice(choices)
            phone.votes_on[group] += 1
            self.attempts["vote"] += 1
            self.spawn(self._one_at_a_time(phone, lambda: self.target.vote(self, phone, group)))
        elif kind == "drop":
            self.spawn(self.drop())

    async def drop(self) -> None:
        lo, hi = self.args.offline
        n = await self.ask_listeners(self.listeners.drop(1, lo, hi))
        self.dropped += n or 0

    async def open_vote(self) -> None:
        """Let the last ideas land, then the facilitator opens the vote."""
        brainstorm = list(self.inflight)
        if brainstorm:
            await asyncio.wait(brainstorm, timeout=self.args.request_timeout)
        self.mark("vote")
        try:
            await self.target.phase(self, self.sid, "vote")
            self.vote_groups = await self.target.groups(self.sid)
        except FacilitatorError as exc:
            self.errors[f"opening the vote: {exc}"] += 1

    def timeline(self, duration: float) -> list[tuple[float, str]]:
        a = self.args
        switch = duration * a.vote_at
        stop = max(0.0, switch - BRAINSTORM_STOP)
        events = [(k / a.idea_rate, "idea") for k in range(int(stop * a.idea_rate))] if a.idea_rate else []
        if a.edit_rate:  # the first edit once a few ideas exist
            events += [(5 + k / a.edit_rate, "edit") for k in range(int(max(0, stop - 5) * a.edit_rate))]
        if a.moves_per_minute:
            step = 60 / a.moves_per_minute
            events += [(5 + k * step, "move") for k in range(int(max(0, stop - 5) / step) + 1) if 5 + k * step < stop]
        events.append((switch, "phase"))
        start = switch + VOTE_PAUSE
        if a.vote_rate and start < duration:
            events += [(start + k / a.vote_rate, "vote") for k in range(int((duration - start) * a.vote_rate))]
        for minute in range(math.ceil(duration / 60)):
            for _ in range(a.drops_per_minute):
                at = minute * 60 + self.rng.uniform(0, 60)
                if at < duration:
                    events.append((at, "drop"))
        order = {"phase": 0}
        return sorted(events, key=lambda e: (e[0], order.get(e[1], 1)))

    async def activity(self) -> None:
        duration = self.args.minutes * 60
        timeline = self.timeline(duration)
        self.planned_votes = sum(1 for _, kind in timeline if kind == "vote")
        self.mark("brainstorm")
        start = self.t_activity = time.monotonic()
        sampler = asyncio.create_task(self.sample_every(start, duration))
        late = 0.0  # how much later than planned the vote opened: the dots move with it
        try:
            for offset, kind in timeline:
                await self.sleep_until(start + offset + late)
                if kind == "phase":
                    await self.guarded(self.open_vote())
                    late = max(0.0, time.monotonic() - (start + offset) - 1.0)
                    self.vote_late = late
                else:
                    self.dispatch(kind)
            await self.sleep_until(start + duration + late)
        finally:
            sampler.cancel()
        await self.sample("end")  # the last sample: the end of the activity
        self.mark("settle")

    # --- samples --------------------------------------------------------------------
    async def sample_every(self, start: float, duration: float) -> None:
        k = 0
        while True:
            await asyncio.sleep(max(0.0, start + k * self.args.sample_every - time.monotonic()))
            if k * self.args.sample_every >= duration - 1e-6:
                return  # the end sample is taken by activity()
            await self.sample("brainstorm" if not self.vote_groups else "vote")
            k += 1

    async def sample(self, phase: str) -> None:
        tree = self.tree
        tree.sample()
        now = time.monotonic()
        fds = 0
        for pid in tree._known:
            with contextlib.suppress(OSError):  # gone since the tree was sampled
                fds += len(os.listdir(f"/proc/{pid}/fd"))
        status = await self.ask_listeners(self.listeners.status({self.sid: 0}), 10.0) if self.sid else None
        row = {
            "t": now - self.t_activity if self.t_activity else None,
            "phase": phase,
            "rss": tree.rss_now,
            "cpu": tree.cpu,
            "fds": fds,
            "screens_open": status["open"] if status else None,
            "screens": status["screens"] if status else None,
            "ideas": sum(self.ideas_ok.values()),
            "votes": sum(self.votes_ok.values()),
            "errors": sum(self.errors.values()),
            "dropped": self.dropped,
        }
        prev = self.samples[-1] if self.samples else None
        cpu_pct = (row["cpu"] - prev["cpu"]) / max(1e-9, now - prev["at"]) * 100 if prev else 0.0
        row["at"] = now
        self.samples.append(row)
        t = f"{row['t']:6.0f} s" if row["t"] is not None else phase
        posts = ", ".join(f"{k} p95 {fmt_time(v.percentiles(95)[0])}" for k, v in self.post_latency.items())
        print(
            f"  [soak {time.strftime('%H:%M:%S')}] {t} {phase}: RSS {row['rss'] / 2**20:.0f} MB, "
            f"CPU {cpu_pct:.0f} %, fds {fds}, screens live {row['screens_open']}/{row['screens']}, "
            f"ideas {row['ideas']}, votes {row['votes']}, errors {row['errors']}; {posts}",
            file=sys.stderr,
            flush=True,
        )

    # --- the whole run --------------------------------------------------------------
    async def drive(self) -> dict[str, Any]:
        args, target = self.args, self.target
        lag_task = asyncio.create_task(self.watch_lag())
        self.tree.start()
        sids: list[int] = []
        try:
            self.mark("setup")
            sids = await self.guarded(target.setup(self))
            self.sid = sids[0]
            self.listeners.connect([target.board_spec(self.sid)])
            await self.guarded(self.settle("board", sids, time.monotonic()))
            await self.sample("idle")
            self.mark("join")
            phones = [Phone(i, self.sid, HttpClient(HOST, self.server.port)) for i in range(args.phones)]
            self.all_phones = phones

            async def join(phone: Phone) -> None:
                if await target.join(self, phone):
                    self.phones.append(phone)
                    self.listeners.connect([target.phone_spec(phone)])

            await self.guarded(
                self.scheduled("join", [(i / args.join_rate, p, lambda p=p: join(p)) for i, p in enumerate(phones)])
            )
            await self.guarded(self.settle("join", sids, time.monotonic()))
            self.mark("joined")
            await self.sample("joined")
            await self.activity()
        except asyncio.CancelledError:
            asyncio.current_task().uncancel()  # Ctrl-C (asyncio.Runner cancels us): report what we have
            self.stop_reason = "interrupted (Ctrl-C)"
        except ServerGone as exc:
            self.stop_reason = str(exc)
        except FacilitatorError as exc:
            self.stop_reason = f"a facilitator request failed: {exc}"
        if self.stop_reason:
            self.stopped_at = time.monotonic() - self.t_activity if self.t_activity else None
            print(f"  [soak] stopping early: {self.stop_reason}", file=sys.stderr, flush=True)
        return await self.wrap_up(sids, lag_task)

    async def wrap_up(self, sids: list[int], lag_task: asyncio.Task) -> dict[str, Any]:
        """Let the last requests land, wait for the screens, check the database, collect
        the listeners' numbers. A Ctrl-C here skips to the numbers (twice: no report)."""
        try:
            final, check = await self.closing(sids, lag_task)
        except asyncio.CancelledError:
            asyncio.current_task().uncancel()
            self.stop_reason = self.stop_reason or "interrupted (Ctrl-C) while finishing"
            final, check = {sid: 0 for sid in sids}, {"error": "interrupted before the check"}
        self.mark("end")
        screens = await self.ask_listeners(self.listeners.finish(self.send_times, final), 120.0) or []
        self._lag_on = False
        await asyncio.wait({lag_task}, timeout=1)
        for phone in getattr(self, "all_phones", []):
            phone.http.close()
        self.tree.stop()
        result = self.results(sids, final, check, screens, None)
        result["soak"] = self.soak_results(screens)
        during = [m["label"] for m in self.marks if m["t"] <= self.tree.peak_at]
        result["soak"]["peak"] = {
            "phase": during[-1] if during else "start",
            "t": self.tree.peak_at - self.t_activity if self.t_activity else None,
        }
        return result

    async def closing(self, sids: list[int], lag_task: asyncio.Task) -> tuple[dict[int, int], dict[str, Any]]:
        interrupted = self.stop_reason is not None
        if interrupted:
            # Requests in flight when the run stopped early are not the server's errors.
            # (The listeners' questions run to their answer: see SoakListeners._ask.)
            keep = {asyncio.current_task(), lag_task, *self.listeners.asking}
            pending = [t for t in asyncio.all_tasks() if t not in keep]
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)
            self.given_up = sum(1 for t in pending if t in self.inflight)
        elif self.inflight:
            _done, still = await asyncio.wait(list(self.inflight), timeout=self.args.grace)
            for task in still:
                task.cancel()
            if still:
                self.errors[f"requests unanswered {self.args.grace:g} s after the end"] += len(still)
        final = {sid: 0 for sid in sids}
        if not sids:
            return final, {"error": "the run stopped before the session existed"}
        if self.server.proc.poll() is not None:
            return final, {"error": "the server had exited"}
        if self.t_activity and interrupted:
            await self.sample("stopped")
        if not interrupted or "Ctrl-C" in self.stop_reason:
            saved = self.args.settle_timeout
            self.args.settle_timeout = 15.0 if interrupted else saved
            try:
                await self.guarded(self.settle("end", sids, time.monotonic()))
            except ServerGone as exc:
                self.stop_reason = self.stop_reason or str(exc)
                return final, {"error": "the server had exited"}
            finally:
                self.args.settle_timeout = saved
        try:
            final = {sid: await self.target.last_seq(sid) for sid in sids}
            return final, await self.target.check(self, sids)
        except FacilitatorError as exc:
            self.errors[f"final check: {exc}"] += 1
            return final, {"error": str(exc)}

    def soak_results(self, screens: list[dict]) -> dict[str, Any]:
        reconnect = Histogram()
        for reply in screens:
            reconnect.merge(reply.get("reconnect_latency", Histogram()))
        return {
            "samples": [{k: v for k, v in s.items() if k != "at"} for s in self.samples],
            "memory": memory_verdict(self.samples, self.args.warmup, self.args.limit_pct),
            "attempts": dict(self.attempts),
            "skipped": dict(self.skipped),
            "dropped": sum(r.get("dropped", 0) for r in screens),
            "reconnect": reconnect.summary(),
            "still_offline": sum(r.get("still_offline", 0) for r in screens),
            "stop_reason": self.stop_reason,
            "given_up": getattr(self, "given_up", 0),
            "joined": len(self.phones),
            "stopped_at": getattr(self, "stopped_at", None),
            "vote_late": getattr(self, "vote_late", 0.0),
        }


# --- memory: is it flat? ---------------------------------------------------------------


def slope_mb_per_min(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, bytes) in MB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mr = sum(r for _, r in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    if not var:
        return None
    cov = sum((t - mt) * (r - mr) for t, r in points)
    return cov / var * 60 / 2**20


def memory_verdict(samples: list[dict], warmup: float, limit_pct: float) -> dict[str, Any]:
    timed = [s for s in samples if s["t"] is not None]
    steady = [s for s in timed if s["t"] >= warmup - 0.5]
    out: dict[str, Any] = {"warmup": warmup, "limit_pct": limit_pct, "steady_samples": len(steady)}
    if len(steady) < 2:
        out.update(flat=None, growth_pct=None, slope=None)
        return out
    start, end = steady[0], steady[-1]
    growth = (end["rss"] - start["rss"]) / start["rss"] * 100
    out.update(
        start_t=start["t"],
        start=start["rss"],
        end_t=end["t"],
        end=end["rss"],
        max_steady=max(s["rss"] for s in steady),
        growth_pct=growth,
        flat=growth < limit_pct,
        slope=slope_mb_per_min([(s["t"], s["rss"]) for s in steady]),
        slope_by_phase={
            phase: slope_mb_per_min([(s["t"], s["rss"]) for s in steady if s["phase"] == phase])
            for phase in ("brainstorm", "vote")
        },
    )
    return out


# --- the report ------------------------------------------------------------------------


def classify(errors: dict[str, int]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for key, n in errors.items():
        if "Timeout" in key or "unanswered" in key or "given up" in key or "did not answer" in key:
            kinds["timeouts"] += n
        elif "HTTP " in key:
            kinds["HTTP status ≠ 2xx"] += n
        elif "stream dropped" in key:
            kinds["streams dropped, not by us"] += n
        elif key.startswith("missed events"):
            kinds["missed events (screens short of the final seq)"] += n
        elif key.startswith("not settled"):
            kinds["screens not caught up at the end"] += n
        elif "POST:" in key or "page:" in key or "connect" in key:
            kinds["connection errors"] += n
        else:
            kinds["other"] += n
    return kinds


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def report(args, mach: dict, r: dict, argv: list[str]) -> str:
    s = r["soak"]
    m = s["memory"]
    db = "PostgreSQL" if args.database_url else "SQLite"
    errors = r["errors"]
    n_err = sum(errors.values())
    out: list[str] = []
    w = out.append
    w(
        f"## {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}: soak, {args.phones} phones × "
        f"{args.minutes:g} min, {db}, {args.workers} worker(s) (`bench/soak.py`)"
    )
    w("")
    w(
        f"- Machine: {mach['nproc']} CPUs ({mach['model']}), {mach['ram_gib']} GiB RAM, Linux {mach['kernel']}, "
        f"Python {mach['python']}; load average at start {mach['loadavg'][0]:.2f} (the load generator runs on the "
        "same machine)"
    )
    w(f"- Command: `{' '.join(shlex.quote(a) for a in argv)}`; app {args.app_version}")
    lo, hi = args.offline
    w(
        f"- Schedule: {s['joined']} of {r['phones']} phones joined at {args.join_rate:g}/s, then "
        f"{args.minutes:g} min: brainstorm until {clock(args.minutes * 60 * args.vote_at)} "
        f"({args.idea_rate:g} ideas/s, "
        f"{args.edit_rate:g} edits/s, the facilitator merging an idea {args.moves_per_minute:g}× a minute), the vote "
        f"from then on ({args.vote_rate:g} dots/s after {VOTE_PAUSE:g} s, budget {r['vote_budget']}), "
        f"{args.drops_per_minute} phones a minute dropping their stream for {lo:g}–{hi:g} s and reconnecting from "
        "their last event id; the board listening throughout; RSS sampled every "
        f"{args.sample_every:g} s, steady state from {clock(args.warmup)}"
    )
    if s["vote_late"] > 1:
        w(
            f"- Opening the vote (the last brainstorm requests, the phase change, reading the groups) took "
            f"{s['vote_late'] + 1:.0f} s: the dots started that much later and the activity ran that much longer"
        )
    if s["stop_reason"]:
        at = f"{clock(s['stopped_at'])} into the activity" if s["stopped_at"] is not None else "before the activity"
        w(
            f"- **Stopped early, {at}: {s['stop_reason']}** "
            f"({s['given_up']} requests in flight were abandoned, not counted as errors)"
        )
    verdict = (
        "unknown (no steady state: the run ended before the warm-up did)"
        if m["flat"] is None
        else f"{'yes' if m['flat'] else 'no'} (growth {m['growth_pct']:.1f} %)"
    )
    w("")
    w(f"**memory flat: {verdict}, errors: {n_err}**")
    w("")
    srv = r["server"]
    slope = m.get("slope")
    by_phase = m.get("slope_by_phase", {})
    phase_text = ", ".join(f"{k} {v:+.2f}" for k, v in by_phase.items() if v is not None)
    w("| server memory | RSS |")
    w("|---|---:|")
    w(f"| before the phones joined | {mb(srv['rss_before_join'])} |")
    w(f"| all phones connected | {mb(srv['rss_joined'])} |")
    if m["flat"] is not None:
        w(f"| start of the steady state ({clock(m['start_t'])}) | {mb(m['start'])} |")
        w(f"| end ({clock(m['end_t'])}) | {mb(m['end'])} |")
        w(f"| growth, end vs start of steady state | {m['growth_pct']:+.1f} % |")
        w(
            "| slope over the steady state (least squares) | "
            + (f"{slope:+.2f} MB/min" if slope is not None else "– (fewer than 3 samples)")
            + (f" ({phase_text})" if phase_text else "")
            + " |"
        )
    peak = s["peak"]
    when = f"at {clock(peak['t'])}" if peak["t"] is not None and peak["t"] >= 0 else "before the activity"
    w(f"| max, sampled every 0.2 s ({when}, during *{peak['phase']}*) | {mb(srv['rss_peak'])} |")
    if m["flat"] is not None:
        w(f"| max of the steady-state samples | {mb(m['max_steady'])} |")
    w("")
    w("| time | phase | RSS MB | server CPU % | fds | screens live | ideas | dots | errors |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    samples = s["samples"]
    shown = [
        x
        for x in samples
        if x["t"] is None or x is samples[-1] or abs(x["t"] / 60 - round(x["t"] / 60)) * 60 < args.sample_every / 2
    ]
    prev = None
    for x in samples:
        if x in shown:
            if prev is not None and x["t"] is not None and prev["t"] is not None and x["t"] > prev["t"]:
                cpu = f"{(x['cpu'] - prev['cpu']) / (x['t'] - prev['t']) * 100:.0f}"
            else:
                cpu = "–"
            label = clock(x["t"]) if x["t"] is not None else x["phase"]
            w(
                f"| {label} | {x['phase']} | {x['rss'] / 2**20:.0f} | {cpu} | {x['fds']} | "
                f"{x['screens_open']}/{x['screens']} | {x['ideas']} | {x['votes']} | {x['errors']} |"
            )
            prev = x
    w("")
    w("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
    w("|---|---:|---:|---:|---:|---:|")
    labels = {
        "join": "POST join",
        "idea": "POST idea",
        "edit": "PATCH idea (edit)",
        "move": "POST move (facilitator)",
        "phase": "POST phase → vote",
        "vote": "POST vote",
    }
    for kind, label in labels.items():
        w(lat_row(label, r["post_latency"].get(kind)))
    for key, hist in r["page_latency"].items():
        w(lat_row(f"GET page ({key})", hist))
    for key, hist in r["reload_latency"].items():
        w(lat_row(f"reload op → stream open again ({key})", hist))
    w(lat_row("dropped phone back online → stream open (?last_event_id)", s["reconnect"]))
    w("")
    w(
        "Delivery: POST sent → the SSE message carrying that seq received, every (screen, event) pair "
        "(events that happened while a phone was offline count from their POST: they show in the max)."
    )
    w("")
    w("| delivery | pairs | p50 ms | p95 ms | p99 ms | max ms |")
    w("|---|---:|---:|---:|---:|---:|")
    for key, hist in r["delivery"].items():
        w(lat_row(key, hist))
    w("")
    c = r["check"]
    a = s["attempts"]
    if c.get("error"):
        w(f"- Counts: sent {a.get('idea', 0)} ideas, {a.get('vote', 0)} dots; database not checked ({c['error']})")
    else:
        w(
            f"- Ideas: {a.get('idea', 0)} sent, {c['ideas_201']} answered 201, **{c['ideas_in_db']} in the database**; "
            f"dots: {a.get('vote', 0)} sent (planned {r['planned_votes']}), {c['votes_201']} answered 201, "
            f"**{c['votes_in_db']} in the database** ({'exact' if c['exact'] else 'MISMATCH'}, "
            f"{c['groups_mismatched']} groups differ); edits {a.get('edit', 0)}, facilitator moves {a.get('move', 0)}"
        )
    if s["skipped"]:
        w("- Not sent (no phone free or fitting): " + ", ".join(f"{k} {v}" for k, v in s["skipped"].items()))
    kinds = classify(errors)
    w(
        f"- Errors: {n_err}"
        + (" — " + "; ".join(f"{k}: {v}" for k, v in kinds.items()) if kinds else "")
        + ((" (" + "; ".join(f"{k}: {v}" for k, v in errors.items()) + ")") if errors else "")
    )
    w(f"- Statuses: {', '.join(f'{k}: {v}' for k, v in r['statuses'].items())}")
    w(
        f"- Streams dropped by us: {s['dropped']} (still offline at the end: {s['still_offline']}); missed events "
        f"{r['missed']}; SSE messages {r['messages']}, reloads {r['reloads']}, snapshots {r['snapshots']}"
    )
    if r.get("server_log"):
        w("- Server log: " + "; ".join(f"{n}× `{line}`" for line, n in r["server_log"].items()))
    activity = [p for p in r["phases"] if p["phase"] in ("brainstorm", "vote")]
    act_cpu = sum(p["cpu"] for p in activity)
    act_s = sum(p["seconds"] for p in activity)
    w(
        f"- Server CPU: {srv['cpu_total']:.0f} s in all; during the activity {act_cpu:.0f} s in {act_s:.0f} s "
        f"({act_cpu / max(act_s, 1e-9) * 100:.0f} % of one core); per phase: "
        + "; ".join(f"{p['phase']} {p['cpu']:.1f} s in {p['seconds']:.0f} s" for p in r["phases"])
    )
    lg = r["loadgen"]
    w(
        f"- Load generator: listener CPU {', '.join(f'{x:.0f} s' for x in lg['listener_cpu'])}, event-loop lag p99 "
        f"{fmt_time(lg['listener_lag']['p99'])}; driver CPU {lg['driver_cpu']:.0f} s, lag p99 "
        f"{fmt_time(lg['driver_lag']['p99'])}"
    )
    return "\n".join(out)


# --- the command line ------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Load soak: phones connected for minutes with steady activity against a real Rembuk "
        "server; prints the server's memory over time, errors and delivery latency."
    )
    p.add_argument("--phones", type=int, default=300, help="phones in the session (default 300)")
    p.add_argument(
        "--minutes", type=float, default=10.0, help="minutes of steady activity after the joins (default 10)"
    )
    p.add_argument("--join-rate", type=float, default=10.0, help="phones joining per second (default 10)")
    p.add_argument("--idea-rate", type=float, default=2.0, help="ideas per second during the brainstorm (default 2)")
    p.add_argument("--edit-rate", type=float, default=0.3, help="edits of one's own idea per second (default 0.3)")
    p.add_argument(
        "--moves-per-minute",
        type=float,
        default=6.0,
        help="the facilitator merging an idea into another group, per minute (default 6)",
    )
    p.add_argument(
        "--vote-at", type=float, default=0.5, help="when the vote opens, as a fraction of --minutes (default 0.5)"
    )
    p.add_argument("--vote-rate", type=float, default=5.0, help="dots per second during the vote (default 5)")
    p.add_argument(
        "--drops-per-minute",
        type=int,
        default=5,
        help="phones a minute whose stream drops and reconnects with its last event id (default 5)",
    )
    p.add_argument(
        "--offline",
        type=float,
        nargs=2,
        default=(1.0, 10.0),
        metavar=("MIN", "MAX"),
        help="seconds a dropped phone stays offline (default 1 10)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=60.0,
        help="seconds of activity before the steady state that memory is judged on (default 60)",
    )
    p.add_argument("--sample-every", type=float, default=10.0, help="seconds between RSS samples (default 10)")
    p.add_argument("--limit-pct", type=float, default=10.0, help="memory counts as flat below this growth (default 10)")
    p.add_argument(
        "--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/rembuk_bench (default: SQLite)"
    )
    p.add_argument("--broker-url", help="e.g. redis://127.0.0.1:6379/0 (needed with --workers > 1)")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--log-level", default="info", help="rembuk serve --log-level (default info, as the README runs it)")
    p.add_argument("--listeners", type=int, default=1, help="load-generator processes holding the streams")
    p.add_argument("--request-timeout", type=float, default=30.0, help="seconds before one request counts as failed")
    p.add_argument(
        "--settle-timeout",
        type=float,
        default=120.0,
        help="max seconds to wait for every screen to catch up (after the joins, at the end)",
    )
    p.add_argument(
        "--grace",
        type=float,
        default=60.0,
        help="seconds to wait for requests still unanswered when the joins or the activity end",
    )
    p.add_argument(
        "--app-ref",
        metavar="GIT_REF",
        help="serve the app as committed at this ref (git archive into a temporary folder)",
    )
    p.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for the server (repeatable)"
    )
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--json", metavar="FILE", help="also write every number (every RSS sample) as JSON")
    p.add_argument("--append-results", action="store_true", help="append the report to bench/RESULTS.md")
    args = p.parse_args(argv)
    if args.workers > 1 and not args.broker_url:
        p.error("--workers > 1 needs --broker-url (memory:// is one process)")
    if args.phones < 1 or args.minutes <= 0 or not 0 < args.vote_at < 1:
        p.error("--phones ≥ 1, --minutes > 0 and 0 < --vote-at < 1")
    # What room.py's machinery reads.
    args.sessions, args.stream, args.app_dir, args.app_source = 1, "html", None, None
    vote_seconds = max(0.0, args.minutes * 60 * (1 - args.vote_at) - VOTE_PAUSE)
    args.votes = int(vote_seconds * args.vote_rate)  # the vote budget is set so these fit
    if args.votes and math.ceil(args.votes / args.phones) > 50:
        p.error("more than 50 dots per phone: a session's vote budget is at most 50 (lower --vote-rate)")
    return args


def run(args) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rembuk-soak-") as tmp:
        if args.app_ref:
            source = Path(tmp) / "app-source"
            source.mkdir()
            archive = subprocess.run(["git", "archive", args.app_ref], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
            args.app_source = source
        args.app_version = app_version(args)
        server = SoakServer(args, Path(tmp))
        listeners = None
        try:
            server.start()
            listeners = SoakListeners(args.listeners, server.port)

            async def main() -> dict[str, Any]:
                target = RembukTarget(args, server.port, server.email)
                return await SoakRun(args, target, server, listeners).drive()

            try:
                import uvloop

                runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
            except ImportError:  # pragma: no cover
                runner = asyncio.Runner()
            with runner:
                result = runner.run(main())
            result["command"] = " ".join(server.command)
        finally:
            if listeners is not None:
                for proc in listeners.procs:
                    if proc.is_alive():
                        proc.kill()
            if server.proc is not None:
                server.stop()
        result["server_log"] = log_errors(server.log_path)
        return result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the server (the finally blocks)
    raise_fd_limit()
    mach = machine()
    print(
        f"rembuk soak: {args.phones} phones × {args.minutes:g} min (Ctrl-C: stop early, with a report) …",
        file=sys.stderr,
        flush=True,
    )
    result = run(args)
    text = report(args, mach, result, ["bench/soak.py", *argv])
    print(text)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"machine": mach, "args": {k: str(v) for k, v in vars(args).items()}, "result": result},
                indent=1,
                default=str,
            )
        )
    if args.append_results:
        with open(BENCH / "RESULTS.md", "a") as f:
            f.write("\n\n" + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
