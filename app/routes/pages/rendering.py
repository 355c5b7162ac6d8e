"""How an HTML route answers: a page or a fragment, and after a change a redirect.

Pages follow "forms first": every change is a real ``<form method="post">``. Without
JavaScript the POST answers with a 303 to a GET page (so the back button and reload
never re-post); with htmx (``HX-Request``) it answers with the fragment to swap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from markupsafe import Markup

from app.domain import (
    BUDGET_SOURCE_LABELS,
    DIMENSIONS,
    HORIZON_LABELS,
    QUADRANT_LABELS,
    ROMAN_NUMERALS,
    SWOT_LABELS,
    TYPICAL_ORGANIZATIONS,
)
from app.errors import DomainError
from app.gzip_runs import DeflatedRun, accepts_gzip, gzip_around
from app.i18n import gettext, locale_from_request, other_locale


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, context or {}, status_code=status_code, headers=headers
    )


# Stands for the spliced-in parts in a rendered page: an HTML comment, which escaped
# text can never contain.
_SPLICE = "<!--rb:splice-->"
_CHUNK_BYTES = 64 * 1024


def render_spliced(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    slot: str,
    parts: list[bytes],
    compressed: DeflatedRun | None = None,
    status_code: int = 200,
) -> Response:
    """``template`` with ``parts`` (UTF-8, already escaped) where it writes ``{{ slot }}``,
    streamed in chunks: a big shared text (the room's ballot, app.realtime.ballot) is
    sent from the parts themselves instead of being joined into one page per phone.
    ``compressed``: the same parts already compressed (``app.gzip_runs``); a browser
    that takes gzip then gets the page with only its head and tail compressed here."""
    marker = Markup(_SPLICE)  # nosec B704 - our own constant comment; the parts are autoescaped template output
    page = render(request, template, {**context, slot: marker}, status_code=status_code)
    # A rendered template's body is bytes (bytes() of bytes is the same object, no copy).
    head, found, tail = bytes(page.body).partition(_SPLICE.encode())
    if not found:
        raise ValueError(f"{template} did not write {slot}")
    headers = {name: value for name, value in page.headers.items() if name != "content-length"}
    if compressed is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
        # Content-Encoding set: the gzip middleware passes the body through as it is.
        headers.update({"content-encoding": "gzip", "vary": "Accept-Encoding"})
        return Response(gzip_around(head, compressed, tail), status_code=status_code, headers=headers)
    return StreamingResponse(_chunks(head, parts, tail), status_code=status_code, headers=headers)


async def _chunks(head: bytes, parts: list[bytes], tail: bytes) -> AsyncIterator[bytes]:
    # Async: no thread-pool hop per chunk. ~64 KB each: a few writes per page, and only
    # one chunk of the page joined at a time.
    yield head
    chunk: list[bytes] = []
    size = 0
    for part in parts:
        chunk.append(part)
        size += len(part)
        if size >= _CHUNK_BYTES:
            yield b"".join(chunk)
            chunk, size = [], 0
    chunk.append(tail)
    yield b"".join(chunk)


def is_htmx(request: Request) -> bool:
    # History-restore requests also carry HX-Request but want the whole page.
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def redirect(request: Request, url: str) -> Response:
    """Go to ``url``: a 303 for a plain browser, ``HX-Redirect`` for htmx (a 303 would
    be followed inside the XHR and its page swapped into a fragment's place)."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return see_other(url)


def error_text(request: Request, exc: DomainError) -> str:
    """The error in the caller's language (as ``app.main``'s handler does for the API)."""
    locale = locale_from_request(request)
    params = {k: gettext(locale, v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return gettext(locale, exc.message, **params)


def lang_url(request: Request, path: str) -> str:
    """Language link for a page rendered by a POST (its own URL cannot be fetched with GET)."""
    return f"{path}?lang={other_locale(locale_from_request(request))}"


# What the masterplan fragments (roadmap badges and form, lineage, the workshop views)
# need besides the template globals; routes that render them add it to the context.
MASTERPLAN_LABELS = {
    "HORIZON_LABELS": HORIZON_LABELS,
    "BUDGET_SOURCE_LABELS": BUDGET_SOURCE_LABELS,
    "QUADRANT_LABELS": QUADRANT_LABELS,
    "SWOT_LABELS": SWOT_LABELS,
    "TYPICAL_ORGANIZATIONS": TYPICAL_ORGANIZATIONS,
    "SUB_ELEMENTS_BY_DIMENSION": {spec.code: spec.sub_elements for spec in DIMENSIONS},
    "ROMAN": ROMAN_NUMERALS,
}
