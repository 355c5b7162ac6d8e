"""A room full of phones against a real Rembuk server: prints numbers.

Starts the server the README way (``rembuk migrate``, ``rembuk create-facilitator``,
``rembuk serve``) on a free port with a throw-away ``REMBUK_VAR_DIR`` (SQLite) or
``--database-url``, sets up a workshop and session(s) through the JSON API, then
simulates the room:

1. one board per session follows the projector's stream (``/board/{id}``);
2. N phones join (``POST /api/v1/join``, staggered at ``--join-rate``), each GETs its
   phone page with its participant cookie as a browser does and follows the page's
   live HTML stream (``/s/{id}/stream``, what ``app/static/live.js`` opens);
   ``--stream json`` follows the JSON API stream instead;
3. the phones send ``--ideas`` ideas over ``--idea-window`` seconds;
4. the facilitator switches to the vote phase: every phone and board gets a
   ``reload`` op and reloads its page (the vote ballot), as a browser would;
5. the phones cast ``--votes`` dots over ``--window`` seconds (budget and per-group
   cap set by PATCH so they fit).

It reports POST latency per kind, delivery latency (POST sent → the SSE event with
that ``seq`` received) on phones and boards, errors and missed events, tallies
checked against the facilitator's board, the server's RSS and CPU, and the phone
page's first-load bytes. Then (``--baseline``, on by default) the same room against
``bench/baseline_app.py`` (the same SSE fan-out, no database) for the ratio.

    .venv/bin/python bench/room.py --phones 1000
    .venv/bin/python bench/room.py --sessions 10 --phones 100
    .venv/bin/python bench/room.py --phones 500 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rembuk_bench \\
        --broker-url redis://127.0.0.1:6379/0 --workers 2

``--ideas`` and ``--votes`` are totals for the whole run, spread evenly over the
sessions and phones. Numbers only: nothing here asserts a time. Results and what
they mean: bench/RESULTS.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

if __name__ == "__main__" and VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    # `python bench/room.py` from a fresh clone: run inside the project's venv (make run).
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])

sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from typing import Any  # noqa: E402

import room_listen  # noqa: E402
from sse_client import Histogram, HttpClient, fmt_ms, fmt_time  # noqa: E402

HOST = "127.0.0.1"
PASSWORD = "bench-password-123456"
WORDS = [
    "layanan",
    "publik",
    "terpadu",
    "aplikasi",
    "antrean",
    "online",
    "RSUD",
    "nagari",
    "data",
    "terbuka",
    "QRIS",
    "pasar",
    "wisata",
    "bahari",
    "homestay",
    "UMKM",
    "irigasi",
    "sampah",
    "energi",
    "surya",
    "sekolah",
    "literasi",
    "digital",
    "CCTV",
    "BPBD",
    "peringatan",
    "dini",
    "banjir",
    "angkutan",
    "umum",
    "perizinan",
    "OSS",
    "Disdukcapil",
    "tanda",
    "tangan",
    "elektronik",
    "Bappeda",
    "Diskominfo",
    "pelatihan",
    "ASN",
]
ORG_TYPES = ("opd", "rsud", "pdam", "pokdarwis", "komunitas_it", "lainnya")


# --- the machine and the server's processes -------------------------------------------


def machine() -> dict[str, Any]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "nproc": os.cpu_count(),
        "model": model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class ProcessTree:
    """RSS and CPU of a process and all its descendants (uvicorn workers), from /proc."""

    def __init__(self, pid: int) -> None:
        self.root = pid
        self.cpu_by_pid: dict[int, float] = {}
        self.hwm_by_pid: dict[int, int] = {}
        self.peak_rss = 0  # the largest sum of VmRSS seen at one sample
        self.rss_now = 0
        self.tick = os.sysconf("SC_CLK_TCK")
        self._known: list[int] = [pid]
        self._scanned = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def pids(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out

    def sample(self) -> None:
        # A full /proc scan costs a few ms of the driver's GIL: find new workers every 2 s.
        if time.monotonic() - self._scanned > 2.0:
            self._known = self.pids()
            self._scanned = time.monotonic()
        total = 0
        for pid in self._known:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            self.cpu_by_pid[pid] = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    self.hwm_by_pid[pid] = int(line.split()[1]) * 1024
        self.rss_now = total
        self.peak_rss = max(self.peak_rss, total)

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.sample()

    def start(self) -> None:
        self.sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


class Profiler:
    """py-spy, attached to the server for one phase at a time (``--profile DIR``)."""

    ROOM_PHASES = ("join", "ideas", "settings", "vote switch", "votes")

    def __init__(self, directory: Path | None, name: str, labels: tuple[str, ...] | None = ROOM_PHASES) -> None:
        self.directory, self.name, self.labels = directory, name, labels  # labels None: every phase
        self.py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.proc: subprocess.Popen | None = None
        self.files: list[tuple[str, Path]] = []
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            if not Path(self.py_spy).exists():
                raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")

    def phase(self, label: str, pid: int | None) -> None:
        self.stop()
        if self.directory is None or pid is None or (self.labels and label not in self.labels):
            return
        path = self.directory / f"{self.name}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.txt"
        self.files.append((label, path))
        self.proc = subprocess.Popen(
            # --gil: only the thread holding the GIL, i.e. where the server's one core of
            # Python goes (threads waiting on SQLite or the GIL would otherwise look busy).
            [
                self.py_spy,
                "record",
                "--pid",
                str(pid),
                "--subprocesses",
                "--nonblocking",
                "--gil",
                "--rate",
                "100",
                "--format",
                "raw",
                "--output",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


def profile_top(path: Path, top: int = 15) -> dict[str, list[tuple[str, float]]]:
    """From py-spy's raw (collapsed) stacks: the functions with the most samples on top
    of the stack (self) and anywhere in it (inclusive), as shares of all samples."""
    self_counts: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    if not path.exists():
        return {"self": [], "inclusive": [], "samples": 0}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";") if "(" in f and not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += n
        self_counts[frames[-1]] += n
        for frame in set(frames):
            incl[frame] += n
    share = lambda c: [(name, count / total) for name, count in c.most_common(top)]  # noqa: E731
    app_incl = Counter({k: v for k, v in incl.items() if " (app/" in k})
    return {"self": share(self_counts), "inclusive": share(incl), "app": share(app_incl), "samples": total}


def _frame(text: str) -> str:
    """``follow_session (/x/app/realtime/stream.py:72)`` → ``follow_session (app/realtime/stream.py)``."""
    m = re.match(r"(.*) \((.*?)(?::\d+)?\)$", text.strip())
    if not m:
        return text
    func, path = m.groups()
    for marker in ("site-packages/", "/work/main/", str(ROOT) + "/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{func} ({path})"


class Server:
    """``rembuk migrate``, ``create-facilitator``, ``serve`` as a newcomer runs them."""

    def __init__(self, args, workdir: Path) -> None:
        self.args = args
        self.port = free_port()
        self.workdir = workdir
        self.email = f"bench-{uuid.uuid4().hex[:8]}@kominfo.go.id"
        bin_dir = Path(sys.executable).parent
        self.rembuk = str(bin_dir / "rembuk") if (bin_dir / "rembuk").exists() else (shutil.which("rembuk") or "rembuk")
        env = {k: v for k, v in os.environ.items() if not k.startswith("REMBUK_")}
        env.update(
            {
                "REMBUK_VAR_DIR": str(workdir / "var"),
                "REMBUK_PUBLIC_URL": f"http://{HOST}:{self.port}",
                "REMBUK_HTMX_SOURCE": "local",  # the venue LAN has no internet: everything from the laptop
                # Every simulated phone comes from 127.0.0.1; in a venue each has its own address.
                "REMBUK_JOINS_PER_MINUTE": "0",
            }
        )
        for item in args.env:
            name, _, value = item.partition("=")
            env[name] = value
        self.cwd = ROOT
        if args.app_source is not None:
            # Run another copy of the app (e.g. `git archive HEAD`) with the same venv.
            env["PYTHONPATH"] = str(args.app_source)
            self.cwd = args.app_source
        if args.database_url:
            env["REMBUK_DATABASE_URL"] = args.database_url
        if args.broker_url:
            env["REMBUK_BROKER_URL"] = args.broker_url
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "server.log"

    @classmethod
    def plain(cls, workdir: Path) -> Server:
        """One worker on SQLite with the defaults: what the browser benches measure against."""
        args = SimpleNamespace(
            env=[], app_source=None, database_url=None, broker_url=None, workers=1, log_level="warning"
        )
        return cls(args, workdir)

    def _cli(self, *argv: str) -> None:
        done = subprocess.run([self.rembuk, *argv], env=self.env, capture_output=True, text=True, cwd=self.cwd)
        if done.returncode != 0:
            raise SystemExit(f"rembuk {argv[0]} failed:\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        self._cli("migrate")
        self._cli("create-facilitator", "--email", self.email, "--password", PASSWORD, "--name", "Fasilitator Bench")
        command = [
            self.rembuk,
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.args.workers),
            "--log-level",
            self.args.log_level,
        ]
        self.command = command
        self.log = open(self.log_path, "w")  # noqa: SIM115  # the server's log, open until stop() closes it
        self.proc = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.cwd)
        wait_ready(f"http://{HOST}:{self.port}/readyz", self.proc, self.log_path)

    def stop(self) -> None:
        stop_process(self.proc)
        self.log.close()


class BaselineServer:
    def __init__(self, args, workdir: Path) -> None:
        self.args = args
        self.port = free_port()
        self.log_path = workdir / "baseline.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.command = [
            sys.executable,
            str(BENCH / "baseline_app.py"),
            "--port",
            str(self.port),
            "--sse",
            self.args.baseline_sse,
            "--tick",
            str(self.args.baseline_tick),
        ]
        self.log = open(self.log_path, "w")  # noqa: SIM115  # the server's log, open until stop() closes it
        self.proc = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_ready(f"http://{HOST}:{self.port}/healthz", self.proc, self.log_path)

    def stop(self) -> None:
        stop_process(self.proc)
        self.log.close()


def wait_ready(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server not ready after {timeout} s:\n{log_path.read_text()}")


BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123456789"


@contextmanager
def serving_sqlite(
    folder: str, url: str, *, extra_env: list[str] = (), app_dir: str | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``rembuk serve`` (one worker, as a laptop runs it) on a SQLite database a bench has
    already built in ``folder``: its base URL and process, stopped at the end.
    ``extra_env``: NAME=VALUE for the server; ``app_dir``: serve the app from there."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REMBUK_")}
    env.update(
        {
            "REMBUK_DATABASE_URL": url,
            "REMBUK_SECRET_KEY": BENCH_SECRET,
            "REMBUK_VAR_DIR": folder,
            "REMBUK_HTMX_SOURCE": "local",
            "REMBUK_PUBLIC_URL": f"http://{HOST}:{port}",
        }
    )
    if app_dir:
        env["PYTHONPATH"] = app_dir
    env.update(item.split("=", 1) for item in extra_env)
    rembuk = str(Path(sys.executable).parent / "rembuk")
    log_path = Path(folder) / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [rembuk, "serve", "--port", str(port), "--workers", "1", "--log-level", "warning"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=app_dir or ROOT,
        )
        try:
            base = f"http://{HOST}:{port}"
            wait_ready(f"{base}/readyz", proc, log_path)
            time.sleep(1)
            yield base, proc
        finally:
            stop_process(proc)


def stop_process(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- the load generator's two halves ---------------------------------------------------


class Listeners:
    """The processes holding the screens (bench/room_listen.py), and their pipes."""

    def __init__(self, count: int, port: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conns = []
        self.procs = []
        for _ in range(count):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=room_listen.run, args=(theirs, HOST, port, str(BENCH)), daemon=True)
            proc.start()
            self.conns.append(mine)
            self.procs.append(proc)
        for conn in self.conns:
            assert conn.recv() == ("ready",)
        self._next = 0
        self._lock = asyncio.Lock()

    def connect(self, specs: list[dict]) -> None:
        for spec in specs:
            self.conns[self._next % len(self.conns)].send(("connect", [spec]))
            self._next += 1

    async def _ask(self, message) -> list:
        loop = asyncio.get_running_loop()
        async with self._lock:
            for conn in self.conns:
                conn.send(message)
            replies = []
            for conn, proc in zip(self.conns, self.procs, strict=True):
                # A listener that died would leave us waiting forever: check while waiting.
                while not await loop.run_in_executor(None, conn.poll, 5.0):
                    if not proc.is_alive():
                        raise SystemExit(f"a listener process exited ({proc.exitcode}); see its traceback above")
                replies.append(conn.recv())
            return replies

    async def status(self, targets: dict[int, int]) -> dict[str, Any]:
        replies = await self._ask(("status", targets))
        out = {k: sum(r[k] for r in replies) for k in ("screens", "open", "reloading", "behind")}
        out["min_cursor"] = {sid: min(r["min_cursor"][sid] for r in replies) for sid in targets}
        out["examples"] = [e for r in replies for e in r["examples"]][:3]
        return out

    async def finish(self, send_times, final) -> list[dict]:
        replies = await self._ask(("finish", send_times, final))
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
        return replies


@dataclass
class Phone:
    index: int
    session: int
    http: HttpClient
    token: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    votes_on: Counter = field(default_factory=Counter)


class FacilitatorError(Exception):
    """A facilitator request (set-up, phase, the checks) failed or timed out."""


class RembukTarget:
    """The real app, through its JSON API (writes) and its pages' live streams (reads)."""

    name = "rembuk"

    def __init__(self, args, port: int, email: str) -> None:
        self.args = args
        self.port = port
        self.email = email
        self.fac = HttpClient(HOST, port)
        self.fac_lock = asyncio.Lock()
        self.token = ""
        self.join_codes: dict[int, str] = {}
        from app.domain import DIMENSION_CODES

        self.dimensions = DIMENSION_CODES

    async def _fac(self, method: str, path: str, **kw):
        """The facilitator's requests, with a deadline: a stalled server must not hang the run."""
        async with self.fac_lock:
            headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})} if self.token else {}
            try:
                response = await asyncio.wait_for(
                    self.fac.request(method, path, headers=headers, **kw), self.args.request_timeout
                )
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                raise FacilitatorError(f"{method} {path}: {type(exc).__name__}") from exc
        if response.status >= 300:
            raise FacilitatorError(f"{method} {path}: HTTP {response.status} {response.body[:300]!r}")
        return response.json() if response.body else None

    async def setup(self, run: Run) -> list[int]:
        body = await self._fac("POST", "/api/v1/auth/token", form={"username": self.email, "password": PASSWORD})
        self.token = body["access_token"]
        workshop = await self._fac(
            "POST",
            "/api/v1/workshops",
            json={"title": "Bimtek Smart City (bench)", "region": "Kabupaten Contoh", "year": 2026},
        )
        stage_id = workshop["stages"][0]["id"]
        ids = []
        for n in range(run.args.sessions):
            session = await self._fac(
                "POST",
                f"/api/v1/stages/{stage_id}/sessions",
                json={
                    "title": f"Isu strategis daerah {n + 1}",
                    "prompt": "Apa masalah utama layanan publik di daerah kita?",
                },
            )
            await self._fac(
                "PATCH",
                f"/api/v1/sessions/{session['id']}",
                json={"vote_budget": run.vote_budget, "max_votes_per_group": run.vote_budget},
            )
            await self._fac("POST", f"/api/v1/sessions/{session['id']}/phase", json={"phase": "brainstorm"})
            self.join_codes[session["id"]] = session["join_code"]
            ids.append(session["id"])
        return ids

    def board_spec(self, sid: int) -> dict:
        if self.args.stream == "json":
            return {
                "key": f"board-{sid}",
                "kind": "board",
                "session": sid,
                "mode": "json",
                "path": f"/api/v1/sessions/{sid}/events",
                "headers": {"Authorization": f"Bearer {self.token}"},
            }
        return {
            "key": f"board-{sid}",
            "kind": "board",
            "session": sid,
            "mode": "html",
            "path": f"/board/{sid}",
            "headers": {"Cookie": f"rembuk_fac={self.token}"},
        }

    def phone_spec(self, phone: Phone) -> dict:
        sid = phone.session
        if self.args.stream == "json":
            return {
                "key": phone.index,
                "kind": "phone",
                "session": sid,
                "mode": "json",
                "path": f"/api/v1/sessions/{sid}/events",
                "headers": {"Authorization": f"Bearer {phone.token}"},
            }
        return {
            "key": phone.index,
            "kind": "phone",
            "session": sid,
            "mode": "html",
            "path": f"/s/{sid}",
            "headers": {"Cookie": f"rembuk_p{sid}={phone.token}"},
            "files": self.args.first_visit,
        }

    async def join(self, run: Run, phone: Phone) -> bool:
        rng = run.rng
        response, _t0 = await run.timed(
            "join",
            phone.http,
            "POST",
            "/api/v1/join",
            json={
                "join_code": self.join_codes[phone.session],
                "name": f"Peserta {phone.index + 1}",
                "organization_type": rng.choice(ORG_TYPES),
                "organization": f"Dinas {rng.choice(WORDS).title()}",
            },
        )
        if response is None or response.status != 201:
            return False
        phone.token = response.json()["token"]
        return True

    async def idea(self, run: Run, phone: Phone, k: int) -> None:
        rng = run.rng
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize()
        response, t0 = await run.timed(
            "idea",
            phone.http,
            "POST",
            f"/api/v1/sessions/{phone.session}/ideas",
            headers={"Authorization": f"Bearer {phone.token}"},
            json={"text": text, "dimension": rng.choice(self.dimensions), "client_id": uuid.uuid4().hex},
        )
        if response is not None and response.status == 201:
            run.sent(phone.session, response.json()["seq"], t0, "idea", phone.index)
            run.ideas_ok[phone.session] += 1

    async def vote(self, run: Run, phone: Phone, group: int) -> None:
        answered = False
        try:
            response, t0 = await run.timed(
                "vote",
                phone.http,
                "POST",
                f"/api/v1/groups/{group}/votes",
                headers={"Authorization": f"Bearer {phone.token}"},
            )
            answered = response is not None
        finally:
            if not answered:
                run.unknown_votes += 1  # sent (maybe), never answered: the server may have counted it
        if response is not None and response.status == 201:
            run.sent(phone.session, response.json()["seq"], t0, "vote", phone.index)
            run.votes_ok[group] += 1

    async def phase(self, run: Run, sid: int, phase: str) -> None:
        t0 = time.monotonic()
        body = await self._fac("POST", f"/api/v1/sessions/{sid}/phase", json={"phase": phase})
        run.post_latency.setdefault("phase", Histogram()).add(time.monotonic() - t0)
        run.sent(sid, body["seq"], t0, "phase")

    async def setting(self, run: Run, sid: int, k: int) -> None:
        """A settings change every screen shows (the idea length): it wakes every phone."""
        t0 = time.monotonic()
        await self._fac("PATCH", f"/api/v1/sessions/{sid}", json={"idea_max_length": 280 + k % 2})
        run.post_latency.setdefault("setting", Histogram()).add(time.monotonic() - t0)
        run.sent(sid, await self.last_seq(sid), t0, "setting")

    async def last_seq(self, sid: int) -> int:
        return (await self._fac("GET", f"/api/v1/sessions/{sid}"))["last_seq"]

    async def groups(self, sid: int) -> list[int]:
        board = await self._fac("GET", f"/api/v1/sessions/{sid}/board")
        return [g["id"] for g in board["groups"]]

    async def check(self, run: Run, sids: list[int]) -> dict[str, Any]:
        """The database's tallies (the facilitator's board) against the 201s we counted.
        A vote whose answer never came (given up, timed out, connection lost) may or may
        not be in the database: with such votes the tallies can only be bounded."""
        mismatched, db_votes, db_ideas = 0, 0, 0
        for sid in sids:
            board = await self._fac("GET", f"/api/v1/sessions/{sid}/board")
            for group in board["groups"]:
                db_votes += group["votes"] or 0
                db_ideas += len(group.get("ideas", []))
                if (group["votes"] or 0) != run.votes_ok.get(group["id"], 0):
                    mismatched += 1
        ok = sum(run.votes_ok.values())
        unknown = run.unknown_votes
        return {
            "votes_201": ok,
            "votes_in_db": db_votes,
            "groups_mismatched": mismatched,
            "ideas_201": sum(run.ideas_ok.values()),
            "ideas_in_db": db_ideas,
            "votes_unknown": unknown,
            "exact": mismatched == 0 and db_votes == ok,
            "within_bounds": ok <= db_votes <= ok + unknown,
        }

    async def first_load(self, phone: Phone) -> dict[str, Any]:
        """The phone page and what it loads, as a browser's first visit (empty cache)."""
        client = HttpClient(HOST, self.port)
        headers = {
            "Accept": "text/html,*/*",
            "Accept-Encoding": "gzip, deflate",
            "Cookie": f"rembuk_p{phone.session}={phone.token}",
            "User-Agent": "Mozilla/5.0 (Linux; Android 14) rembuk-bench",
        }
        page = await client.request("GET", f"/s/{phone.session}", headers=headers)
        items = [("page /s/{id}", page)]
        for path in room_listen.page_files(page.body):
            items.append((path, await client.request("GET", path, headers=headers)))
        client.close()
        rows = []
        for path, response in items:
            encoding = response.headers.get("content-encoding", "identity")
            if encoding == "identity":  # what gzip would have saved
                estimate = response.wire_bytes - len(response.body) + len(gzip.compress(response.body, 6))
            else:
                estimate = response.wire_bytes
            rows.append(
                {
                    "path": path,
                    "status": response.status,
                    "wire": response.wire_bytes,
                    "body": len(response.body),
                    "encoding": encoding,
                    "gzip_estimate": estimate,
                }
            )
        return {
            "rows": rows,
            "wire_total": sum(r["wire"] for r in rows),
            "gzip_total": sum(r["gzip_estimate"] for r in rows),
        }


class BaselineTarget:
    """bench/baseline_app.py: every write is a publish on the session's channel."""

    name = "baseline"

    def __init__(self, args, port: int) -> None:
        self.args = args
        self.port = port
        self.fac = HttpClient(HOST, port)
        self.fac_lock = asyncio.Lock()

    async def setup(self, run: Run) -> list[int]:
        return list(range(1, run.args.sessions + 1))

    def board_spec(self, sid: int) -> dict:
        return {"key": f"board-{sid}", "kind": "board", "session": sid, "mode": "baseline", "path": f"/stream/{sid}"}

    def phone_spec(self, phone: Phone) -> dict:
        return {
            "key": phone.index,
            "kind": "phone",
            "session": phone.session,
            "mode": "baseline",
            "path": f"/stream/{phone.session}",
        }

    async def _publish(self, run: Run, kind: str, phone: Phone) -> None:
        response, t0 = await run.timed(kind, phone.http, "POST", f"/publish/{phone.session}", json={"kind": kind})
        if response is not None and response.status == 201 and kind != "join":
            run.sent(phone.session, response.json()["seq"], t0, kind)
        return response is not None and response.status == 201

    async def join(self, run: Run, phone: Phone) -> bool:
        return await self._publish(run, "join", phone)

    async def idea(self, run: Run, phone: Phone, k: int) -> None:
        await self._publish(run, "idea", phone)

    async def vote(self, run: Run, phone: Phone, group: int) -> None:
        await self._publish(run, "vote", phone)

    async def _fac_publish(self, run: Run, sid: int, kind: str) -> None:
        """What the facilitator does (a phase, a setting): one publish, timed as a POST."""
        async with self.fac_lock:
            t0 = time.monotonic()
            response = await self.fac.request("POST", f"/publish/{sid}", json={"kind": kind})
        run.post_latency.setdefault(kind, Histogram()).add(time.monotonic() - t0)
        run.sent(sid, response.json()["seq"], t0, kind)

    async def setting(self, run: Run, sid: int, k: int) -> None:
        await self._fac_publish(run, sid, "setting")

    async def phase(self, run: Run, sid: int, phase: str) -> None:
        await self._fac_publish(run, sid, "phase")

    async def last_seq(self, sid: int) -> int:
        async with self.fac_lock:
            return (await self.fac.request("GET", f"/seq/{sid}")).json()["seq"]

    async def groups(self, sid: int) -> list[int]:
        return list(range(1, 1001))

    async def check(self, run: Run, sids: list[int]) -> dict[str, Any]:
        return {}


# --- one measured run ------------------------------------------------------------------


class Run:
    def __init__(self, args, target, server, listeners: Listeners, profiler: Profiler) -> None:
        self.args = args
        self.target = target
        self.server = server
        self.listeners = listeners
        self.profiler = profiler
        self.rng = random.Random(args.seed)
        self.total_phones = args.phones * args.sessions
        self.vote_budget = max(1, math.ceil(args.votes / self.total_phones)) if args.votes else 5
        self.post_latency: dict[str, Histogram] = {}
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.errors: Counter[str] = Counter()
        # session → seq → (sent at, kind, the acting phone's key or None)
        self.send_times: dict[int, dict[int, tuple[float, str, Any]]] = {}
        self.votes_ok: Counter[int] = Counter()
        self.ideas_ok: Counter[int] = Counter()
        self.marks: list[dict[str, Any]] = []
        self.windows: dict[str, float] = {}
        self.settle_times: dict[str, float] = {}
        self.abandoned: dict[str, int] = {}
        self.unknown_votes = 0
        self.tree = ProcessTree(server.proc.pid)
        self.lag = Histogram()
        self._lag_on = True

    # --- plumbing -------------------------------------------------------------------
    def sent(self, sid: int, seq: int, t0: float, kind: str, actor: Any = None) -> None:
        """``actor``: the phone that acted (its own phone is the one that shows an idea or
        a dot while the others show nothing), None for the facilitator."""
        self.send_times.setdefault(sid, {})[seq] = (t0, kind, actor)

    async def timed(self, kind: str, http: HttpClient, method: str, path: str, **kw):
        t0 = time.monotonic()
        try:
            response = await asyncio.wait_for(http.request(method, path, **kw), self.args.request_timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
            self.errors[f"{kind} POST: {type(exc).__name__}"] += 1
            return None, t0
        self.post_latency.setdefault(kind, Histogram()).add(time.monotonic() - t0)
        self.statuses[(kind, response.status)] += 1
        if not 200 <= response.status < 300:
            self.errors[f"{kind} POST: HTTP {response.status}"] += 1
        return response, t0

    def mark(self, label: str) -> None:
        self.tree.sample()
        self.marks.append({"label": label, "t": time.monotonic(), "cpu": self.tree.cpu, "rss": self.tree.rss_now})
        self.profiler.phase(label, self.server.proc.pid if self.target.name == "rembuk" else None)

    async def watch_lag(self) -> None:
        while self._lag_on:
            t0 = time.monotonic()
            await asyncio.sleep(0.02)
            self.lag.add(time.monotonic() - t0 - 0.02)

    async def settle(self, label: str, sids: list[int], since: float) -> None:
        """Wait until every screen is open and has every event the server has."""
        deadline = time.monotonic() + self.args.settle_timeout
        status: dict[str, Any] = {}
        targets: dict[int, int] = {}
        while time.monotonic() < deadline:
            try:
                targets = {sid: await self.target.last_seq(sid) for sid in sids}
            except FacilitatorError as exc:
                self.errors[f"facilitator while waiting after {label}: {exc}"] += 1
                if not targets:
                    await asyncio.sleep(1)
                    continue
            status = await self.listeners.status(targets)
            if status["open"] == status["screens"] and not status["behind"] and not status["reloading"]:
                self.settle_times[label] = time.monotonic() - since
                self.progress(f"{label}: every screen caught up after {self.settle_times[label]:.1f} s")
                return
            await asyncio.sleep(0.2)
        self.errors[f"not settled after {label} ({self.args.settle_timeout:.0f} s): {status}"] += 1
        self.settle_times[label] = float("nan")
        self.progress(f"{label}: NOT settled after {self.args.settle_timeout:.0f} s: {status}")

    def progress(self, text: str) -> None:
        """One line on stderr per step, so a long or interrupted run still tells something."""
        posts = ", ".join(f"{k} n={v.n} p95={fmt_time(v.percentiles(95)[0])}" for k, v in self.post_latency.items())
        print(
            f"  [{self.target.name} {time.strftime('%H:%M:%S')}] {text}; server CPU {self.tree.cpu:.0f} s, "
            f"RSS {self.tree.rss_now / 2**20:.0f} MB; errors {sum(self.errors.values())}; {posts}",
            file=sys.stderr,
            flush=True,
        )

    async def scheduled(self, label: str, actions: list[tuple[float, Phone, Any]]) -> None:
        """Start each action at its time (open loop across phones), one at a time per phone.

        A server that stops answering (a stall, a deadlock) must not hold the run for
        an hour: ``--grace`` seconds after the window, what has not been answered is
        given up, counted as an error and reported."""
        tasks = []
        start = time.monotonic()
        deadline = start + (actions[-1][0] if actions else 0) + self.args.grace
        for offset, phone, make in actions:
            delay = start + offset - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._one_at_a_time(phone, make)))
        sent_all = time.monotonic()
        done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic())) if tasks else ((), ())
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
            self.abandoned[label] = len(pending)
            self.errors[
                f"{label}: given up {self.args.grace:g} s after the window (in flight, or queued behind "
                f"the same phone's previous request)"
            ] += len(pending)
        self.windows[label] = sent_all - start
        self.windows[label + " (last answer)"] = time.monotonic() - start

    @staticmethod
    async def _one_at_a_time(phone: Phone, make) -> None:
        async with phone.lock:
            await make()

    # --- the room -------------------------------------------------------------------
    async def drive(self) -> dict[str, Any]:
        args, target = self.args, self.target
        lag_task = asyncio.create_task(self.watch_lag())
        self.tree.start()
        self.mark("setup")
        sids = await target.setup(self)
        self.listeners.connect([target.board_spec(sid) for sid in sids])
        await self.settle("boards", sids, time.monotonic())

        # Phones, interleaved over the sessions so every room fills at the same pace.
        phones = [Phone(i, sids[i % len(sids)], HttpClient(HOST, self.server.port)) for i in range(self.total_phones)]
        self.mark("join")
        joined: list[Phone] = []

        async def join(phone: Phone) -> None:
            if await target.join(self, phone):
                joined.append(phone)
                self.listeners.connect([target.phone_spec(phone)])

        await self.scheduled("join", [(i / args.join_rate, p, lambda p=p: join(p)) for i, p in enumerate(phones)])
        t = time.monotonic()
        await self.settle("join", sids, t)
        self.mark("joined")
        first_load = None
        if hasattr(target, "first_load") and joined:
            first_load = await target.first_load(joined[0])

        # Ideas, spread over the phones and the window.
        order = joined[:]
        self.rng.shuffle(order)
        self.mark("ideas")
        if args.ideas and order:
            step = args.idea_window / args.ideas
            actions = [(k * step, order[k % len(order)], None) for k in range(args.ideas)]
            actions = [(t0, p, lambda p=p, k=k: target.idea(self, p, k)) for k, (t0, p, _) in enumerate(actions)]
            await self.scheduled("ideas", actions)
        t = time.monotonic()
        await self.settle("ideas", sids, t)

        # Settings changes, a second apart: events that wake every screen, many of them,
        # so their delivery has a p95 (the phase change below is one event).
        if args.settings_changes:
            self.mark("settings")
            for k in range(args.settings_changes):
                for sid in sids:
                    try:
                        await target.setting(self, sid, k)
                    except FacilitatorError as exc:
                        self.errors[f"settings change: {exc}"] += 1
                await asyncio.sleep(1.0)
            await self.settle("settings", sids, time.monotonic())

        # The facilitator opens the vote: every page reloads into the ballot.
        self.mark("vote switch")
        t = time.monotonic()
        for sid in sids:
            try:
                await target.phase(self, sid, "vote")
            except FacilitatorError as exc:
                self.errors[f"phase change: {exc}"] += 1
        await self.settle("vote switch", sids, t)
        try:
            groups = {sid: await target.groups(sid) for sid in sids}
        except FacilitatorError as exc:
            raise SystemExit(f"cannot read the groups to vote on: {exc}") from exc

        # Votes within the window, each phone within its budget and the per-group cap.
        self.mark("votes")
        if args.votes and order:
            plan = []
            for k in range(args.votes):
                phone = order[k % len(order)]
                if sum(phone.votes_on.values()) >= self.vote_budget:
                    continue
                choices = [g for g in groups[phone.session] if phone.votes_on[g] < self.vote_budget]
                if not choices:
                    continue
                group = self.rng.choice(choices)
                phone.votes_on[group] += 1
                plan.append((phone, group))
            step = args.window / max(1, len(plan))
            actions = [(k * step, p, lambda p=p, g=g: target.vote(self, p, g)) for k, (p, g) in enumerate(plan)]
            self.planned_votes = len(plan)
            await self.scheduled("votes", actions)
        t = time.monotonic()
        await self.settle("votes", sids, t)
        self.mark("end")
        self.profiler.stop()

        try:
            final = {sid: await target.last_seq(sid) for sid in sids}
            check = await target.check(self, sids)
        except FacilitatorError as exc:
            self.errors[f"final check: {exc}"] += 1
            final = {sid: 0 for sid in sids}
            check = {"error": str(exc)}
        screens = await self.listeners.finish(self.send_times, final)
        self._lag_on = False
        await lag_task
        for phone in phones:
            phone.http.close()
        self.tree.stop()
        return self.results(sids, final, check, screens, first_load)

    def results(self, sids, final, check, screens, first_load) -> dict[str, Any]:
        delivery: dict[tuple[str, str], Histogram] = {}
        last_arrival: dict[tuple[int, int, str], float] = {}
        errors = Counter(self.errors)
        page_latency: dict[tuple[str, str], Histogram] = {}
        page_bytes: dict[tuple[str, str], list[int]] = {}
        reload_latency: dict[str, Histogram] = {}
        lag = Histogram()
        for reply in screens:
            for key, hist in reply["latency"].items():
                delivery.setdefault(key, Histogram()).merge(hist)
            for key, at in reply["last_arrival"].items():
                if at > last_arrival.get(key, 0.0):
                    last_arrival[key] = at
            errors.update(reply["errors"])
            for key, hist in reply["page_latency"].items():
                page_latency.setdefault(key, Histogram()).merge(hist)
            for key, sizes in reply["page_bytes"].items():
                page_bytes.setdefault(key, []).extend(sizes)
            for key, hist in reply["reload_latency"].items():
                reload_latency.setdefault(key, Histogram()).merge(hist)
            lag.merge(reply["lag"])
        # Until the last screen of its kind had it: what "every phone within 1 s" means.
        completion: dict[tuple[str, str], Histogram] = {}
        for (sid, seq, screen_kind), at in last_arrival.items():
            t_sent, kind, _actor = self.send_times[sid][seq]
            completion.setdefault((screen_kind, kind), Histogram()).add(at - t_sent)
        missed = sum(r["missed"] for r in screens)
        if missed:
            errors[f"missed events ({sum(r['incomplete_screens'] for r in screens)} screens short)"] += missed
        phases = []
        for a, b in zip(self.marks, self.marks[1:], strict=False):  # each mark with the next
            phases.append(
                {"phase": a["label"], "seconds": b["t"] - a["t"], "cpu": b["cpu"] - a["cpu"], "rss_end": b["rss"]}
            )
        rss = {m["label"]: m["rss"] for m in self.marks}
        return {
            "target": self.target.name,
            "sessions": sids,
            "final_seq": final,
            "phones": self.total_phones,
            "vote_budget": self.vote_budget,
            "planned_votes": getattr(self, "planned_votes", 0),
            "post_latency": {k: v.summary() for k, v in self.post_latency.items()},
            "statuses": {f"{k} {s}": n for (k, s), n in sorted(self.statuses.items())},
            "delivery": {f"{a}/{b}": v.summary() for (a, b), v in sorted(delivery.items())},
            "completion": {f"{a}/{b}": v.summary() for (a, b), v in sorted(completion.items())},
            "page_latency": {f"{a}/{b}": v.summary() for (a, b), v in sorted(page_latency.items())},
            "page_bytes": {
                f"{a}/{b}": {"n": len(v), "median": sorted(v)[len(v) // 2], "max": max(v)}
                for (a, b), v in sorted(page_bytes.items())
                if v
            },
            "reload_latency": {k: v.summary() for k, v in reload_latency.items()},
            "errors": dict(errors),
            "missed": missed,
            "covered": sum(r["covered"] for r in screens),
            "snapshots": sum(r["snapshots"] for r in screens),
            "reloads": sum(r["reloads"] for r in screens),
            "messages": sum(r["messages"] for r in screens),
            "merged": sum(r["merged"] for r in screens),
            "check": check,
            "abandoned": self.abandoned,
            "windows": self.windows,
            "settle": self.settle_times,
            "phases": phases,
            "server": {
                "rss_peak": self.tree.peak_rss,
                "rss_hwm_sum": sum(self.tree.hwm_by_pid.values()),
                "rss_before_join": rss.get("join", 0),
                "rss_joined": rss.get("joined", 0),
                "cpu_total": self.tree.cpu,
                "processes": len(self.tree.hwm_by_pid),
            },
            "loadgen": {
                "listener_cpu": [r["cpu_seconds"] for r in screens],
                "listener_lag": lag.summary(),
                "driver_lag": self.lag.summary(),
                "driver_cpu": time.process_time(),
            },
            "first_load": first_load,
            "profiles": {label: profile_top(path) for label, path in self.profiler.files},
        }


def run_one(args, kind: str, workdir: Path) -> dict[str, Any]:
    server = Server(args, workdir) if kind == "rembuk" else BaselineServer(args, workdir)
    server.start()
    profiler = Profiler(Path(args.profile) if args.profile and kind == "rembuk" else None, kind)
    listeners = None
    try:
        listeners = Listeners(args.listeners, server.port)

        async def main() -> dict[str, Any]:
            target = (
                RembukTarget(args, server.port, server.email) if kind == "rembuk" else BaselineTarget(args, server.port)
            )
            return await Run(args, target, server, listeners, profiler).drive()

        try:
            import uvloop

            runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
        except ImportError:  # pragma: no cover
            runner = asyncio.Runner()
        with runner:
            result = runner.run(main())
        result["command"] = " ".join(server.command)
    finally:
        profiler.stop()
        if listeners is not None:
            for proc in listeners.procs:
                if proc.is_alive():
                    proc.kill()
        server.stop()
    result["server_log"] = log_errors(server.log_path)
    return result


def log_errors(path: Path) -> dict[str, int]:
    """The server's own account of what went wrong: exception lines in its log, counted."""
    counts: Counter[str] = Counter()
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return {}
    for line in text.splitlines():
        m = re.match(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Timeout)): (.{0,120})", line.strip())
        if m and not line.startswith(" "):
            counts[f"{m.group(1)}: {m.group(2)}"] += 1
        elif "WARNING" in line[:20] or line.startswith("WARNING"):
            counts[line.strip()[:140]] += 1
    return dict(counts.most_common(5))


# --- the report ------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def lat_row(name: str, s: dict | None) -> str:
    if not s:
        return f"| {name} | 0 | – | – | – | – |"
    return f"| {name} | {s['n']} | {fmt_ms(s['p50'])} | {fmt_ms(s['p95'])} | {fmt_ms(s['p99'])} | {fmt_ms(s['max'])} |"


def report(args, mach: dict, results: dict[str, dict], argv: list[str]) -> str:
    r = results["rembuk"]
    base = results.get("baseline")
    db = "PostgreSQL" if args.database_url else "SQLite"
    broker = args.broker_url or "memory://"
    out = []
    w = out.append
    w(
        f"## {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}: {args.sessions} × {args.phones} phones, "
        f"{args.stream} stream, {db}, {args.workers} worker(s)"
    )
    w("")
    w(
        f"- Machine: {mach['nproc']} CPUs ({mach['model']}), {mach['ram_gib']} GiB RAM, Linux {mach['kernel']}, "
        f"Python {mach['python']}; load average at start {mach['loadavg'][0]:.2f} "
        "(the load generator runs on the same machine)"
    )
    w(f"- Command: `{' '.join(shlex.quote(a) for a in argv)}`; app {args.app_version}")
    env = " ".join(args.env)
    w(
        f"- Server: `{(env + ' ') if env else ''}{r['command'].replace(str(Path(sys.executable).parent) + '/', '')}` "
        f"({db}, broker {broker}); {r['phones']} phones in {len(r['sessions'])} session(s), "
        f"+1 board per session; vote budget {r['vote_budget']} dots, cap {r['vote_budget']} per group; "
        f"{args.ideas} ideas over {args.idea_window:g} s, {r['planned_votes']} votes over {args.window:g} s"
    )
    w("")
    w("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
    w("|---|---:|---:|---:|---:|---:|")
    for kind in ("join", "idea", "setting", "phase", "vote"):
        w(lat_row(f"POST {kind}", r["post_latency"].get(kind)))
    for key, s in r["page_latency"].items():
        w(lat_row(f"GET page ({key})", s))
    for key, s in r["reload_latency"].items():
        w(lat_row(f"reload op → stream open again ({key})", s))
    w("")
    w(
        "Delivery: POST sent → the SSE event with that seq received, every (screen, event) pair; "
        "*last screen*: until the last screen of that kind had it."
    )
    w("")
    w("| delivery | pairs | p50 ms | p95 ms | p99 ms | max ms |")
    w("|---|---:|---:|---:|---:|---:|")
    for key, s in r["delivery"].items():
        w(lat_row(key, s))
    for key, s in r["completion"].items():
        w(lat_row(f"{key} (last screen)", s))
    if base:
        w("")
        w(
            f"Bare baseline (`bench/baseline_app.py --sse {args.baseline_sse} --tick {args.baseline_tick:g}`, "
            "same clients and schedule, no database): "
            "Rembuk's delivery latency as a multiple of the baseline's."
        )
        w("")
        w("| delivery | Rembuk p50 | baseline p50 | ratio | Rembuk p95 | baseline p95 | ratio |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for key, s in r["delivery"].items():
            b = base["delivery"].get(key)
            if not b or not s:
                continue
            ratio = lambda x, y: f"{x / y:.1f}×" if x and y else "–"  # noqa: E731
            w(
                f"| {key} | {fmt_ms(s['p50'])} | {fmt_ms(b['p50'])} | {ratio(s['p50'], b['p50'])} | "
                f"{fmt_ms(s['p95'])} | {fmt_ms(b['p95'])} | {ratio(s['p95'], b['p95'])} |"
            )
        w("")
        w(
            "Baseline POST p95: "
            + ", ".join(f"{k} {fmt_time(v['p95'])}" for k, v in base["post_latency"].items())
            + f"; baseline errors: {sum(base['errors'].values())}; "
            f"baseline server CPU {base['server']['cpu_total']:.1f} s, "
            f"RSS peak {mb(base['server']['rss_peak'])}."
        )
    w("")
    s = r["server"]
    per_conn = (s["rss_joined"] - s["rss_before_join"]) / max(1, r["phones"])
    w(
        f"- Server RSS: peak {mb(s['rss_peak'])} (sum of {s['processes']} process(es), sampled every 0.2 s; "
        f"sum of VmHWM {mb(s['rss_hwm_sum'])}); {mb(s['rss_before_join'])} before the phones, "
        f"{mb(s['rss_joined'])} with all connected (≈ {per_conn / 1024:.0f} KB per phone)"
    )
    w(
        f"- Server CPU: {s['cpu_total']:.1f} s in all; per phase: "
        + "; ".join(f"{p['phase']} {p['cpu']:.1f} s CPU in {p['seconds']:.1f} s" for p in r["phases"])
    )
    w(
        "- Windows: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in r["windows"].items())
        + "; settled (all screens caught up) after: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in r["settle"].items())
    )
    errors = r["errors"]
    w(
        f"- Errors: {sum(errors.values())}"
        + (" (" + "; ".join(f"{k}: {v}" for k, v in errors.items()) + ")" if errors else "")
        + f"; statuses: {', '.join(f'{k}: {v}' for k, v in r['statuses'].items())}"
    )
    if r.get("server_log"):
        w("- Server log: " + "; ".join(f"{n}× `{line}`" for line, n in r["server_log"].items()))
    w(
        f"- Missed events (screens short of the final seq): {r['missed']}; SSE messages {r['messages']} "
        f"({r['merged']} carried several seqs), reloads {r['reloads']}, snapshots {r['snapshots']}, "
        f"seqs brought by a snapshot or a reloaded page {r['covered']}"
    )
    c = r["check"]
    if c.get("error"):
        w(f"- Tallies: not checked ({c['error']})")
    elif c:
        if r["abandoned"]:
            w(f"- Requests given up after the window: {r['abandoned']}")
        verdict = (
            "exact"
            if c["exact"]
            else f"not checkable ({c['votes_unknown']} votes never answered), but within bounds"
            if c["within_bounds"]
            else "MISMATCH"
        )
        w(
            f"- Tallies: {verdict}: {c['votes_201']} votes answered 201, "
            f"{c['votes_in_db']} on the facilitator's board ({c['groups_mismatched']} groups differ); "
            f"ideas {c['ideas_201']} answered 201, {c['ideas_in_db']} on the board"
        )
    if r["page_bytes"]:
        w(
            "- Page bytes: "
            + ", ".join(
                f"{k} median {kb(v['median'])} (max {kb(v['max'])}, n={v['n']})" for k, v in r["page_bytes"].items()
            )
        )
    fl = r.get("first_load")
    if fl:
        parts = ", ".join(
            f"{row['path']} {kb(row['wire'])}" + (f" {row['encoding']}" if row["encoding"] != "identity" else "")
            for row in fl["rows"]
        )
        w(
            f"- Phone page first load: **{kb(fl['wire_total'])}** on the wire ({parts}); "
            f"everything gzipped would be ≈ {kb(fl['gzip_total'])}"
        )
    lg = r["loadgen"]
    w(
        f"- Load generator: listener CPU {', '.join(f'{c:.1f} s' for c in lg['listener_cpu'])}, "
        f"event-loop lag p99 {fmt_time(lg['listener_lag']['p99'])} (max {fmt_time(lg['listener_lag']['max'])}); "
        f"driver CPU {lg['driver_cpu']:.1f} s, lag p99 {fmt_time(lg['driver_lag']['p99'])}"
    )
    w("")
    w(targets_table(args, r, base))
    for label, prof in r.get("profiles", {}).items():
        if not prof["samples"]:
            continue
        w("")
        w(
            f"py-spy `--gil`, phase *{label}* ({prof['samples']} samples of the GIL holder at 100 Hz): "
            "top functions by own time, and app/ functions by inclusive time (shares of the samples)"
        )
        w("")
        w("| own | function | | inclusive (app/) | function |")
        w("|---:|---|---|---:|---|")
        for (fn, share), (afn, ashare) in zip(prof["self"][:12], prof["app"][:12] + [("", 0)] * 12, strict=False):
            w(f"| {share:.0%} | `{fn}` | | {ashare:.0%} | `{afn}` |")
    return "\n".join(out)


# The server's CPU over a phase, per write it answered: what one idea or one dot costs
# with every phone's stream open (their upkeep and deliveries included), against the
# targets for a room of 1,000 phones on one worker.
CPU_PER_WRITE_TARGETS = (("ideas", "idea", "idea", 0.005), ("votes", "vote", "dot", 0.004))


def cpu_per_write_rows(r: dict) -> list[tuple[str, str, bool]]:
    rows = []
    by_phase = {p["phase"]: p["cpu"] for p in r["phases"]}
    for phase, kind, name, limit in CPU_PER_WRITE_TARGETS:
        writes = sum(n for key, n in r["statuses"].items() if key.split()[0] == kind and key.split()[1].startswith("2"))
        if phase not in by_phase or not writes:
            continue
        cost = by_phase[phase] / writes
        rows.append(
            (
                f"CPU per {name} ≤ {limit * 1000:.0f} ms ({r['phones']} streams open)",
                f"{cost * 1000:.1f} ms",
                cost <= limit,
            )
        )
    return rows


def targets_table(args, r: dict, base: dict | None) -> str:
    def p95(d: dict, key: str):
        s = d.get(key)
        return s["p95"] if s else None

    def worst(items, prefix=""):
        """The largest p95 and which kind it belongs to."""
        found = [(v["p95"], k[len(prefix) :]) for k, v in items if k.startswith(prefix) and v["p95"] is not None]
        return max(found) if found else (None, "")

    post95, post_kind = worst((k, v) for k, v in r["post_latency"].items() if k in ("join", "idea", "vote"))
    phone95, phone_kind = worst(r["delivery"].items(), "phone/")
    board95, board_kind = worst(r["delivery"].items(), "board/")
    n_err = sum(r["errors"].values())
    rows = [
        ("0 errors", str(n_err), n_err == 0),
        (
            "POST p95 ≤ 100 ms (join, idea, dot)",
            f"{fmt_time(post95)} ({post_kind})",
            post95 is not None and post95 <= 0.1,
        ),
        (
            "delivery p95 ≤ 1 s, phones (worst kind)",
            f"{fmt_time(phone95)} ({phone_kind})",
            phone95 is not None and phone95 <= 1.0,
        ),
        (
            "delivery p95 ≤ 1 s, board (worst kind)",
            f"{fmt_time(board95)} ({board_kind})",
            board95 is not None and board95 <= 1.0,
        ),
        (
            "tallies exact",
            "yes" if r["check"].get("exact") else ("unknown" if r["check"].get("within_bounds") else "no"),
            bool(r["check"].get("exact")),
        ),
        ("RSS ≤ 400 MB", mb(r["server"]["rss_peak"]), r["server"]["rss_peak"] <= 400 * 1024 * 1024),
    ]
    rows += cpu_per_write_rows(r)
    if base:
        ratios = []
        for key in ("phone/idea", "phone/vote", "phone/phase", "board/idea", "board/vote", "board/phase"):
            a, b = p95(r["delivery"], key), p95(base["delivery"], key)
            if a and b:
                ratios.append((a / b, key))
        ratio, kind = max(ratios) if ratios else (None, "")
        rows.append(
            (
                "delivery ≤ 2× bare baseline (p95, every kind shown)",
                f"{ratio:.1f}× ({kind})" if ratio else "–",
                ratio is not None and ratio <= 2,
            )
        )
    fl = r.get("first_load")
    if fl:
        rows.append(("phone page ≤ 60 KB first load", kb(fl["wire_total"]), fl["wire_total"] <= 60 * 1024))
    lines = ["| target | measured | met |", "|---|---:|:---:|"]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in rows]
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Simulate a room of phones against a real Rembuk server; prints numbers.")
    p.add_argument("--phones", type=int, default=1000, help="phones per session (default 1000)")
    p.add_argument("--sessions", type=int, default=1, help="concurrent sessions (default 1)")
    p.add_argument("--ideas", type=int, default=1000, help="ideas in all (spread over the phones)")
    p.add_argument("--idea-window", type=float, default=10.0, help="seconds over which the ideas are sent")
    p.add_argument("--votes", type=int, default=5000, help="votes in all (the vote budget is set so they fit)")
    p.add_argument("--window", type=float, default=10.0, help="seconds over which the votes are cast")
    p.add_argument("--join-rate", type=float, default=100.0, help="phones joining per second (staggered)")
    p.add_argument(
        "--settings-changes",
        type=int,
        default=0,
        help="settings changes (one a second) before the vote: events that wake every screen, for their p95",
    )
    p.add_argument(
        "--stream",
        choices=("html", "json"),
        default="html",
        help="html: the phone page's live stream (/s/{id}/stream, default); json: GET /api/v1/sessions/{id}/events",
    )
    p.add_argument(
        "--first-visit",
        action="store_true",
        help="each phone also loads its page's files (/static/…) after its first page, as a browser with an "
        "empty cache does (html stream)",
    )
    p.add_argument(
        "--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/rembuk_bench (default: SQLite)"
    )
    p.add_argument("--broker-url", help="e.g. redis://127.0.0.1:6379/0 (needed with --workers > 1)")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--log-level", default="info", help="rembuk serve --log-level (default info, as the README runs it)")
    p.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the bare baseline with the same clients (default on)",
    )
    p.add_argument("--baseline-sse", choices=("plain", "sse-starlette"), default="plain")
    p.add_argument(
        "--baseline-tick",
        type=float,
        default=0.1,
        help="the baseline's tick, as REMBUK_SSE_TICK_SECONDS (default 0.1; 0: one message per event)",
    )
    p.add_argument("--listeners", type=int, default=1, help="load-generator processes holding the streams")
    p.add_argument(
        "--settle-timeout", type=float, default=300.0, help="max seconds to wait for every screen to catch up"
    )
    p.add_argument(
        "--grace",
        type=float,
        default=120.0,
        help="seconds after a window before unanswered requests are given up (default 120)",
    )
    p.add_argument("--request-timeout", type=float, default=60.0, help="seconds before one request counts as failed")
    p.add_argument("--profile", metavar="DIR", help="attach py-spy to the server per phase (pip install py-spy)")
    p.add_argument(
        "--app-ref",
        metavar="GIT_REF",
        help="serve the app as committed at this ref (git archive into a temporary folder; default: the working tree)",
    )
    p.add_argument("--app-dir", metavar="DIR", help="serve the app from this folder (PYTHONPATH), same venv")
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the server, e.g. REMBUK_SSE_TICK_SECONDS=0 (repeatable)",
    )
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--json", metavar="FILE", help="also write every number as JSON")
    p.add_argument("--append-results", action="store_true", help="append the report to bench/RESULTS.md")
    args = p.parse_args(argv)
    if args.workers > 1 and not args.broker_url:
        p.error("--workers > 1 needs --broker-url (memory:// is one process)")
    total = args.phones * args.sessions
    if args.votes and math.ceil(args.votes / total) > 50:
        p.error("more than 50 votes per phone: a session's vote budget is at most 50")
    return args


def app_version(args) -> str:
    """Which code the server ran: a commit, and whether app/ had uncommitted changes."""

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"

    if args.app_ref:
        return f"`{args.app_ref}` = {git('rev-parse', '--short', args.app_ref)} (git archive)"
    if args.app_dir:
        return f"the folder {args.app_dir}"
    dirty = git("status", "--porcelain", "--", "app", "migrations")
    return f"{git('rev-parse', '--short', 'HEAD')}" + (" + uncommitted changes in app/" if dirty else "")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # Killed from outside: still stop the server and the listeners (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise_fd_limit()
    mach = machine()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="rembuk-room-") as tmp:
        args.app_source = None
        if args.app_ref:
            source = Path(tmp) / "app-source"
            source.mkdir()
            archive = subprocess.run(["git", "archive", args.app_ref], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
            args.app_source = source
        elif args.app_dir:
            args.app_source = Path(args.app_dir).resolve()
        args.app_version = app_version(args)
        print(f"rembuk room bench: {args.sessions} × {args.phones} phones, {args.stream} stream …", file=sys.stderr)
        results["rembuk"] = run_one(args, "rembuk", Path(tmp))
        if args.baseline:
            print("bare baseline …", file=sys.stderr)
            results["baseline"] = run_one(args, "baseline", Path(tmp))
    text = report(args, mach, results, ["bench/room.py", *argv])
    print(text)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"machine": mach, "args": {k: str(v) for k, v in vars(args).items()}, "results": results},
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
