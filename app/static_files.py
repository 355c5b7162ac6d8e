"""Static files under fingerprinted URLs, cached for a year; everything else revalidated.

A page links ``static_url("live.js")`` = ``/static/live.js?v=<hash of its bytes>``.
A new release that changes the file changes the URL, so a phone never keeps an old
``live.js`` after an upgrade, and an unchanged file keeps its URL and its cache.
The fingerprint sits in the query, not the file name, so the path stays what it
always was: the ``/static`` mount, the phone's service worker (``sw.js`` keeps
whatever ``/static/…`` URL the page asked for, query included) and a plain
``/static/app.css`` all go on working.

Only a URL whose ``v`` is the file's *current* fingerprint is ``immutable``: an old
page asking for an old version after an upgrade gets today's bytes with a short,
revalidated cache, so no cache ever keeps the wrong bytes under a year-long promise.
"""

from __future__ import annotations

import os

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.assets import STATIC_DIR, file_sha256

IMMUTABLE = "public, max-age=31536000, immutable"
# Without a Cache-Control header a browser guesses a freshness from Last-Modified
# (a tenth of the file's age: days for a file a month old), which is how an old
# live.js outlived an upgrade. no-cache: kept, but checked (ETag: a 304, no body).
REVALIDATE = "no-cache"

_fingerprints: dict[str, tuple[int, int, str]] = {}


def fingerprint(path: str | os.PathLike[str]) -> str:
    """The first 10 hex digits of the SHA-256 of a file's bytes."""
    return file_sha256(path)[:10]


def _current_fingerprint(path: str, stat: os.stat_result) -> str:
    """``fingerprint`` remembered per file until its size or modification time changes
    (a developer editing a file sees the new URL on the next page without a restart)."""
    known = _fingerprints.get(path)
    if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
        return known[2]
    value = fingerprint(path)
    _fingerprints[path] = (stat.st_mtime_ns, stat.st_size, value)
    return value


def static_url(name: str) -> str:
    """The fingerprinted URL of a file in ``app/static`` (``name`` relative to it)."""
    path = str(STATIC_DIR / name)
    return f"/static/{name}?v={_current_fingerprint(path, os.stat(path))}"


class FingerprintedStaticFiles(StaticFiles):
    """Starlette's static files, with the cache header the URL deserves."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = QueryParams(scope.get("query_string", b"")).get("v")
        current = asked and asked == _current_fingerprint(str(full_path), stat_result)
        response.headers["cache-control"] = IMMUTABLE if current else REVALIDATE
        return response
