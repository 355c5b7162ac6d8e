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


def file_sha256(path: str | PathLike[str]) -> str:
    """sha256 (hex) of a file's bytes: the vendored files' digests, the static files'
    fingerprints and the phone's cache version all come from it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@cache
def phone_static_version() -> str:
    """A short hash of the phone's static files and the service worker: a new release
    gets a new worker and a fresh cache, an unchanged one keeps both."""
    files = "".join(file_sha256(STATIC_DIR / name) for name in (*PHONE_STATIC, "sw.js"))
    return hashlib.sha256(files.encode()).hexdigest()[:12]


# --- API docs (/docs and /redoc), served from these files only --------------------
# FastAPI's own pages take Swagger UI and ReDoc from a CDN, which a venue LAN cannot
# reach and the CSP refuses. Both are vendored byte for byte from npm, with their
# licences (including the third-party notices of what each bundle contains).
# ReDoc stays on 2.x: FastAPI's get_redoc_html is written for it (redoc 3 is a new
# major). To upgrade: ``npm pack swagger-ui-dist@X.Y.Z`` (package/swagger-ui-bundle.js,
# package/swagger-ui.css) or ``npm pack redoc@X.Y.Z`` (package/bundles/redoc.standalone.js),
# copy them to the names below, and update the versions and digests
# (``vendored_digest`` prints a file's; tests compare them with the files).
SWAGGER_UI_VERSION = "5.36.0"
SWAGGER_UI_JS_PATH = f"vendor/swagger-ui-{SWAGGER_UI_VERSION}-bundle.js"
SWAGGER_UI_CSS_PATH = f"vendor/swagger-ui-{SWAGGER_UI_VERSION}.css"
REDOC_VERSION = "2.5.4"
REDOC_JS_PATH = f"vendor/redoc-{REDOC_VERSION}.standalone.js"
# ReDoc styles itself with styled-components, which adds an empty <style> element and
# fills it through the CSSOM (insertRule: not governed by the CSP), and injects
# perfect-scrollbar's stylesheet as one fixed <style>. The page's CSP names both by
# hash instead of allowing 'unsafe-inline'. After an upgrade the browser test reports
# any new one with the hash Chromium expects.
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style>
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's .ps{…}
)
# sha256 of each file as npm ships it: a hand-edited or half-upgraded copy fails a test.
VENDORED_SHA256 = {
    SWAGGER_UI_JS_PATH: "b164c5a22535e40dae08c00271674a67e437ec195098c55fcedf8ffac7ac3c88",
    SWAGGER_UI_CSS_PATH: "7eb9f5a125e4bc9b3f0b71869b66d1a3d7c501f972f53d44ef91c2ae6c5bda5e",
    REDOC_JS_PATH: "dcaf76612bc4a3fbcc923a8966dee2f6146a5f32e5ce1b6f02dd60cbbf89500b",
}


def vendored_digest(path: str) -> str:
    """sha256 (hex) of a file under ``app/static`` (``path`` relative to it)."""
    return file_sha256(STATIC_DIR / path)
