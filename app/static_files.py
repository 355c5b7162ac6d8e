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

A hall of phones scanning the QR code together asks for the same few files hundreds
of times in a minute. The phone's files (each up to ``KEPT_MAX_BYTES``) are kept in
memory with their gzip body, made once per version of the file: the gzip middleware
compressed them again for every phone (~3 ms of CPU per phone at level 6, in the
event loop) and each response read the file through the thread pool. A file changed
on disk (its size or modification time) is read again.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass

from starlette.datastructures import Headers, QueryParams
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from app.assets import STATIC_DIR, file_sha256
from app.gzip_runs import MIN_BYTES as GZIP_MIN_BYTES

IMMUTABLE = "public, max-age=31536000, immutable"
# Without a Cache-Control header a browser guesses a freshness from Last-Modified
# (a tenth of the file's age: days for a file a month old), which is how an old
# live.js outlived an upgrade. no-cache: kept, but checked (ETag: a 304, no body).
REVALIDATE = "no-cache"

_fingerprints: dict[str, tuple[int, int, str]] = {}

# The phone's files are all below this (htmx ~51 KB, app.css ~50 KB); the API docs'
# bundles (a few MB, opened by a developer now and then) are streamed from disk.
KEPT_MAX_BYTES = 256 * 1024
# Compressed once per version of a file, so the smallest body is worth its CPU.
KEPT_GZIP_LEVEL = 9
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


@dataclass(frozen=True)
class KeptFile:
    """A static file's bytes and headers, as read at one size and modification time."""

    mtime_ns: int
    size: int
    body: bytes
    gzipped: bytes | None  # None: not worth compressing
    headers: dict[str, str]  # FileResponse's content-type, etag, last-modified (and vary); not to be changed


_kept: dict[str, KeptFile] = {}


def kept_file(path: str, stat: os.stat_result) -> KeptFile | None:
    """The file from memory (read now if it changed); None when too big to keep."""
    known = _kept.get(path)
    if known and known.mtime_ns == stat.st_mtime_ns and known.size == stat.st_size:
        return known
    if stat.st_size > KEPT_MAX_BYTES:
        return None
    with open(path, "rb") as file:
        body = file.read()
    probe = FileResponse(path, stat_result=stat)  # Starlette's own content type, ETag, Last-Modified
    headers = {
        name: value for name, value in probe.headers.items() if name in ("content-type", "etag", "last-modified")
    }
    gzipped = None
    if len(body) >= GZIP_MIN_BYTES and headers.get("content-type", "").startswith(COMPRESSIBLE):
        gzipped = gzip.compress(body, KEPT_GZIP_LEVEL, mtime=0)
        if len(gzipped) < len(body):
            headers["vary"] = "Accept-Encoding"
        else:
            gzipped = None
    # (The stat is of the file before it was read: a write in between gets a new
    # modification time, and the next request reads the file again.)
    known = _kept[path] = KeptFile(stat.st_mtime_ns, stat.st_size, body, gzipped, headers)
    return known


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
        request = Headers(scope=scope)
        kept = None if "range" in request else kept_file(str(full_path), stat_result)
        if kept is None:
            response = super().file_response(full_path, stat_result, scope, status_code)
        else:
            response = self._kept_response(kept, request, status_code)
        asked = QueryParams(scope.get("query_string", b"")).get("v")
        current = asked and asked == _current_fingerprint(str(full_path), stat_result)
        response.headers["cache-control"] = IMMUTABLE if current else REVALIDATE
        return response

    def _kept_response(self, kept: KeptFile, request: Headers, status_code: int) -> Response:
        if self.is_not_modified(Headers(headers=kept.headers), request):
            return NotModifiedResponse(Headers(headers=kept.headers))
        if kept.gzipped is not None and "gzip" in request.get("accept-encoding", ""):
            # The gzip middleware leaves a body that says its encoding as it is.
            return Response(kept.gzipped, status_code, headers={**kept.headers, "content-encoding": "gzip"})
        return Response(kept.body, status_code, headers=kept.headers)
