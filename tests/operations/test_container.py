"""Docker cannot run on this machine, so the container files are tested for what
can be tested here: the image's and compose's entry commands are the same CLI,
run here the way the container runs them (migrate, then serve; two workers on
the database and Redis), and the image's health check command passes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support import ROOT
from tests.support.databases import SECRET
from tests.support.redis import REDIS_URL, needs_redis
from tests.support.servers import free_port

pytestmark = pytest.mark.server
BIN = Path(sys.executable).parent


def dockerfile_instruction(name: str) -> str:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith(name + " ")]
    assert lines, f"no {name} in the Dockerfile"
    return lines[-1][len(name) + 1:].strip()


def exec_form(instruction: str) -> list[str]:
    return yaml.safe_load(instruction)  # a JSON array is valid YAML


def run_entry(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **env},
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def wait_ready(base: str, proc: subprocess.Popen, log: Path, path: str = "/readyz") -> httpx.Response:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            r = httpx.get(base + path, timeout=2)
            if r.status_code == 200:
                return r
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready: {log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, 15)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(5)


def test_image_command_migrates_serves_and_passes_its_health_check(tmp_path, database_url):
    port = free_port()
    cmd = exec_form(dockerfile_instruction("CMD"))
    assert cmd[:2] == ["sh", "-c"] and "rembuk migrate" in cmd[2] and "rembuk serve" in cmd[2]
    cmd[2] = cmd[2].replace("--port 8000", f"--port {port}").replace("--host 0.0.0.0", "--host 127.0.0.1")
    log = tmp_path / "image.log"
    proc = run_entry(cmd, {"REMBUK_VAR_DIR": str(tmp_path), "REMBUK_DATABASE_URL": database_url,
                           "REMBUK_SECRET_KEY": SECRET}, log)
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, log)
        health = exec_form(re.sub(r"^.*?CMD ", "", dockerfile_instruction("HEALTHCHECK")))
        health = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in health]
        assert subprocess.run(health, timeout=10).returncode == 0
    finally:
        stop(proc)
    assert subprocess.run(health, timeout=10).returncode != 0  # and it notices a dead server


@pytest.mark.database
def test_compose_app_command_runs_two_workers_on_the_database_and_redis(tmp_path, database_url):
    needs_redis()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app = compose["services"]["app"]
    assert {"db", "redis"} <= set(app["depends_on"])
    assert app["environment"]["REMBUK_BROKER_URL"].startswith("redis://")
    # No working default secret on a public address: compose stops with a message when unset.
    assert app["environment"]["REMBUK_SECRET_KEY"].startswith("${REMBUK_SECRET_KEY:?")
    port = free_port()
    cmd = list(app["command"])
    cmd[2] = cmd[2].replace("--port 8000", f"--port {port}").replace("--host 0.0.0.0", "--host 127.0.0.1")
    assert "--workers 2" in cmd[2]
    env = {"REMBUK_ENV": "production", "REMBUK_SECRET_KEY": SECRET, "REMBUK_VAR_DIR": str(tmp_path),
           "REMBUK_PUBLIC_URL": f"http://127.0.0.1:{port}", "REMBUK_DATABASE_URL": database_url,
           "REMBUK_BROKER_URL": REDIS_URL}
    log = tmp_path / "compose.log"
    proc = run_entry(cmd, env, log)
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}", proc, log)
        assert ready.json() == {"status": "ready", "database": "ok", "broker": "ok"}
        deadline = time.monotonic() + 20
        while log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        stop(proc)
    assert "Started parent process" in log.read_text() or "Uvicorn running" in log.read_text()
