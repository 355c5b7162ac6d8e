"""Pinned front-end assets (no build step).

htmx is pinned to an exact 2.x version on purpose: npm's ``latest`` tag for
``htmx.org`` is 4.x, whose attributes and SSE extension differ, so an
unversioned CDN URL silently upgrades and breaks a page written for htmx 2
(htmx-ext-sse 2.2.x also works only with htmx 2). The same file is vendored in
``app/static/vendor/`` so a venue LAN without internet still works: templates
load the CDN URL with Subresource Integrity and ``static/htmx-fallback.js``
loads the local copy when ``window.htmx`` is missing.

To upgrade: ``npm pack htmx.org@X.Y.Z``, copy ``package/dist/htmx.min.js`` to
``app/static/vendor/htmx-X.Y.Z.min.js``, then update the constants below
(``sri_of`` computes the new hash; tests compare it with the vendored file).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from os import PathLike
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# sha384 of the npm tarball's dist/htmx.min.js (jsdelivr serves the same bytes).
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"
# Relative to the /static mount (use with url_for("static", path=HTMX_LOCAL_PATH)).
HTMX_LOCAL_PATH = f"vendor/htmx-{HTMX_VERSION}.min.js"


def sri_of(path: str | PathLike[str]) -> str:
    """Return the Subresource Integrity value (``sha384-<base64>``) of a file."""
    digest = hashlib.sha384(Path(path).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def htmx_local_file() -> Path:
    """Absolute path of the vendored htmx file."""
    return STATIC_DIR / HTMX_LOCAL_PATH


# What a phone keeps for a reload without network (app/static/sw.js caches these).
PHONE_STATIC = ("app.css", "phone.js", "outbox.js", "live.js", "timer.js", "htmx-fallback.js", HTMX_LOCAL_PATH)


@cache
def phone_static_version() -> str:
    """A short hash of the phone's static files and the service worker: a new release
    gets a new worker and a fresh cache, an unchanged one keeps both."""
    digest = hashlib.sha256()
    for name in (*PHONE_STATIC, "sw.js"):
        digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:12]
