"""Real uvicorn servers for the tests that need the wire: streams, browsers, crashes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.settings import Settings
from tests.support import ROOT
from tests.support.databases import SECRET

# The test servers speak plain HTTP on 127.0.0.1: their clients need no certificate
# store, whose loading costs ~20 ms of CPU per client (a storm opens fifty at once).
NO_TLS = False  # httpx's ``verify=``

# The facilitator on every worker's shared server (``builders.PASSWORD``).
SHARED_FACILITATOR = "fasilitator.ruang@kominfo.go.id"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, base_url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = base_url
        self.process = process
        self.log = log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(settings: Settings, folder: Path, extra_env: dict[str, str] | None = None) -> LiveServer:
    """``uvicorn app.main:create_app`` on a free port, on ``settings``' database."""
    [server] = start_servers(settings, folder, 1, extra_env)
    return server


def start_servers(
    settings: Settings, folder: Path, count: int, extra_env: dict[str, str] | None = None
) -> list[LiveServer]:
    """``count`` servers on ``settings``' database, started side by side: each spends
    a second or more importing the app, and one waiting for another's start adds that
    to the test's time for nothing."""
    launched = [_launch(settings, folder, extra_env) for _ in range(count)]
    servers: list[LiveServer] = []
    try:
        for server in launched:
            _wait_ready(server)
            servers.append(server)
    except BaseException:
        for server in launched:
            server.stop()
        raise
    return servers


def _launch(settings: Settings, folder: Path, extra_env: dict[str, str] | None) -> LiveServer:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "REMBUK_DATABASE_URL": settings.resolved_database_url,
        "REMBUK_SECRET_KEY": SECRET,
        "REMBUK_VAR_DIR": str(folder),
        "REMBUK_PUBLIC_URL": base,
        "REMBUK_HTMX_SOURCE": "local",
        "REMBUK_SSE_HEARTBEAT_SECONDS": "1",
        **(extra_env or {}),
    }
    log = folder / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--timeout-graceful-shutdown", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return LiveServer(base, process, log)


def _wait_ready(server: LiveServer) -> None:
    process, log = server.process, server.log
    # Generous: on a loaded 2-core machine importing the app alone took up to 20 s.
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=server.url, timeout=0.5, verify=NO_TLS) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()}")
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")
