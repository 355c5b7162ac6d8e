"""Logs an operator can read and a collector can parse: every record has a UTC time,
its level and its logger, as text (the default) or one JSON object per line
(``REMBUK_LOG_FORMAT=json``); uvicorn's records come out the same way; and no
participant's name or office ever reaches a log line."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.db import create_db_engine
from app.logs import UVICORN_LOGGERS, configure_logging
from app.settings import Settings
from tests.support.databases import SECRET
from tests.support.servers import free_port

UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
REMBUK = Path(sys.executable).parent / "rembuk"
COMMAND = [str(REMBUK)] if REMBUK.exists() else [sys.executable, "-m", "app.cli"]


@pytest.fixture
def logging_restored():
    """Configure logging inside the test, and leave pytest's own set-up as it was."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in UVICORN_LOGGERS)]
    saved = [(lg, lg.level, list(lg.handlers), list(lg.filters), lg.propagate) for lg in loggers]
    yield
    for lg, level, handlers, filters, propagate in saved:
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.filters[:] = filters
        lg.propagate = propagate


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_warning_carries_time_level_and_logger(log_format, capsys, logging_restored):
    configure_logging(Settings(secret_key=SECRET, log_format=log_format))  # writes to stderr
    logging.getLogger("rembuk.admission").warning("busy: a request waited %.0f s for a turn", 15)
    logging.getLogger("rembuk.admission").debug("below INFO: not written")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    if log_format == "text":
        stamp, rest = lines[0].split(" ", 1)
        assert UTC_TIME.fullmatch(stamp), lines
        assert rest == "WARNING rembuk.admission: busy: a request waited 15 s for a turn"
    else:
        record = json.loads(lines[0])
        assert UTC_TIME.fullmatch(record.pop("time")), record
        assert record == {"level": "WARNING", "logger": "rembuk.admission",
                          "message": "busy: a request waited 15 s for a turn"}


def test_a_database_error_never_shows_the_values_it_was_given(settings):
    """A failed statement's text (what a traceback in the log shows) keeps its SQL but
    not the row: a participant's name and office stay out of the logs."""
    engine = create_db_engine(settings)
    try:
        with engine.connect() as conn, pytest.raises(OperationalError) as failure:
            conn.execute(text("SELECT * FROM no_such_table WHERE name = :name AND organization = :organization"),
                         {"name": "Rina Marlina", "organization": "Dinas Kesehatan"})
    finally:
        engine.dispose()
    said = str(failure.value)
    assert "no_such_table" in said
    assert "Rina" not in said and "Kesehatan" not in said, said


@pytest.mark.server
def test_serve_writes_every_line_as_json_uvicorns_included(tmp_path, database_url):
    """One real ``rembuk serve`` with ``REMBUK_LOG_FORMAT=json``: uvicorn's start-up and
    access lines and Rembuk's own warning (a refused cross-origin form) are all JSON
    objects on stderr, and a phone's search words stay out of the access line."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REMBUK_")}
    env.update(REMBUK_DATABASE_URL=database_url, REMBUK_VAR_DIR=str(tmp_path / "var"), REMBUK_SECRET_KEY=SECRET,
               REMBUK_PUBLIC_URL=base, REMBUK_LOG_FORMAT="json")
    err = tmp_path / "stderr.log"
    with err.open("w") as stderr:
        process = subprocess.Popen([*COMMAND, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None and time.monotonic() < deadline, err.read_text()
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        refused = httpx.post(f"{base}/login", data={"email": "a@b.id", "password": "x"},
                             headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
        assert refused.status_code == 403
        httpx.get(f"{base}/s/1/all-ideas", params={"q": "Rina Marlina Dinas Kesehatan"})
    finally:
        process.terminate()
        process.wait(15)

    written = err.read_text()
    records = [json.loads(line) for line in written.splitlines()]  # every line is one JSON object
    assert all(UTC_TIME.fullmatch(r["time"]) and r["level"] and r["logger"] for r in records), records
    by_logger = {r["logger"]: [] for r in records}
    for r in records:
        by_logger[r["logger"]].append(r)
    assert any("Application startup complete" in r["message"] for r in by_logger["uvicorn.error"]), records
    assert any(r["level"] == "WARNING" and "refused a cross-origin POST /login" in r["message"]
               for r in by_logger["rembuk.csrf"]), records
    assert any('"GET /s/1/all-ideas?... HTTP/1.1"' in r["message"] for r in by_logger["uvicorn.access"]), records
    assert "Rina" not in written and "Kesehatan" not in written
