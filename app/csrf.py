"""Cross-site request forgery protection from the browser's own headers.

No tokens in forms: every browser Rembuk supports says where a request comes from.
The rule is the one Go 1.25's ``http.CrossOriginProtection`` applies (Filippo
Valsorda, "Cross-Site Request Forgery", 2025), for every request that can change
something (any method but GET, HEAD, OPTIONS, TRACE):

1. ``Authorization: Bearer`` present: allowed. A browser only sends that header
   cross-origin after a CORS preflight, and Rembuk answers no preflight, so a
   Bearer request was not forged by another site's page.
2. ``Sec-Fetch-Site`` present (every current browser): allowed only when it is
   ``same-origin`` or ``none`` (the person typed the address or used a bookmark).
   ``same-site`` is refused too: another service on the venue's domain or on
   another port of the same host is still another origin.
3. No ``Sec-Fetch-Site`` but an ``Origin`` (older browsers): allowed when it is
   this request's own origin (the scheme uvicorn saw, which behind a reverse proxy
   comes from X-Forwarded-Proto only when the proxy is in FORWARDED_ALLOW_IPS, and
   the ``Host`` header) or the origin of ``REMBUK_PUBLIC_URL`` (a proxy that
   rewrites ``Host``). X-Forwarded-Host is never trusted.
4. Neither header: allowed. That is not a browser (curl, an API client, the test
   client); a page cannot make a browser leave both out.

A refusal is a 403 through the app's own ``DomainError`` handler: the Indonesian
error page for a person, ``{"detail": …}`` for the API. A pure ASGI middleware
that only looks at the headers, never the body: it sits in front of every idea a
ballroom of phones sends, and costs a scan of a dozen headers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import DomainError, Forbidden

log = logging.getLogger("rembuk.csrf")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ALLOWED_FETCH_SITES = frozenset({b"same-origin", b"none"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_key(scheme: str, host: str) -> str:
    """``scheme://host[:port]`` lower-cased, without the scheme's default port, so
    ``https://Rembuk.example:443`` and ``https://rembuk.example`` compare equal."""
    scheme, host = scheme.lower(), host.lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and host.endswith(f":{default}") and not host.endswith("]"):
        host = host[: -len(default) - 1]
    return f"{scheme}://{host}"


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[nonsense": refused, never a 500
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return origin_key(parts.scheme, parts.netloc.rpartition("@")[2])


class CrossOriginProtection:
    """Refuse unsafe requests that a browser sent from another origin (see the module)."""

    def __init__(self, app: ASGIApp, *, trusted_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = frozenset(o for o in map(_origin_of, trusted_origins) if o)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        response = await self.refusal(scope)
        await response(scope, receive, send)

    def allowed(self, scope: Scope) -> bool:
        fetch_site = origin = host = None
        for name, value in scope["headers"]:
            if name == b"sec-fetch-site":
                fetch_site = value
            elif name == b"origin":
                origin = value
            elif name == b"host":
                host = value
            elif name == b"authorization" and value[:7].lower() == b"bearer ":
                return True
        if fetch_site is not None:
            return fetch_site.strip().lower() in ALLOWED_FETCH_SITES
        if origin is None:
            return True
        claimed = _origin_of(origin.decode("latin-1"))  # "null" (sandboxed, file://) is None: refused
        if claimed is None:
            return False
        if claimed in self.trusted:
            return True
        return host is not None and claimed == origin_key(scope.get("scheme", "http"), host.decode("latin-1").strip())

    async def refusal(self, scope: Scope):
        request = Request(scope)
        log.warning(
            "refused a cross-origin %s %s (Sec-Fetch-Site: %s, Origin: %s, Host: %s)",
            request.method,
            request.url.path,
            request.headers.get("sec-fetch-site"),
            request.headers.get("origin"),
            request.headers.get("host"),
        )
        error = Forbidden(
            "This request came from another website, so it was refused. Open Rembuk's own page and try again."
        )
        app = scope.get("app")
        handler = getattr(app, "exception_handlers", {}).get(DomainError) if app is not None else None
        if handler is None:  # not inside a Rembuk app (a bare test app): plain text
            return PlainTextResponse(str(error), status_code=403)
        return await handler(request, error)
