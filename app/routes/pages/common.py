"""What every HTML route shares: rendering, htmx-or-redirect, who is calling, cookies.

Pages follow "forms first": every change is a real ``<form method="post">``. Without
JavaScript the POST answers with a 303 to a GET page (so the back button and reload
never re-post); with htmx (``HX-Request``) it answers with the fragment to swap.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

import segno
from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from markupsafe import Markup

from app.deps import DbDep, optional_facilitator, participant_for_session
from app.domain import (
    BUDGET_SOURCE_LABELS,
    DIMENSIONS,
    HORIZON_LABELS,
    QUADRANT_LABELS,
    SWOT_LABELS,
    TYPICAL_ORGANIZATIONS,
)
from app.errors import DomainError, Invalid
from app.i18n import gettext, locale_from_request, other_locale
from app.models import Facilitator, Participant
from app.security import FACILITATOR_COOKIE, PARTICIPANT_TOKEN_MAX_AGE, participant_cookie_name, set_cookie
from app.settings import Settings


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, context or {}, status_code=status_code, headers=headers
    )


# Stands for the spliced-in parts in a rendered page: an HTML comment, which escaped
# text can never contain.
_SPLICE = "<!--rb:splice-->"
_CHUNK_BYTES = 64 * 1024


def render_spliced(request: Request, template: str, context: dict[str, Any], *, slot: str, parts: list[bytes],
                   status_code: int = 200) -> Response:
    """``template`` with ``parts`` (UTF-8, already escaped) where it writes ``{{ slot }}``,
    streamed in chunks: a big shared text (the room's ballot, app.realtime.ballot) is
    sent from the parts themselves instead of being joined into one page per phone."""
    marker = Markup(_SPLICE)  # nosec B704 - our own constant comment; the parts are autoescaped template output
    page = render(request, template, {**context, slot: marker}, status_code=status_code)
    head, found, tail = page.body.partition(_SPLICE.encode())
    if not found:
        raise ValueError(f"{template} did not write {slot}")
    headers = {name: value for name, value in page.headers.items() if name != "content-length"}
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


def form_int(value: str | None, *, field: str, default: int | None = None) -> int | None:
    """A number typed into a form; a friendly 422 instead of FastAPI's JSON error."""
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid("%(field)s must be a whole number.", field=field) from None


def form_float(value: str | None, *, field: str, default: float | None = None) -> float | None:
    """A decimal typed into a form; "3,5" (the Indonesian decimal comma) is 3.5."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise Invalid("%(field)s must be a number.", field=field) from None
    if not math.isfinite(number):
        raise Invalid("%(field)s must be a number.", field=field)
    return number


class SessionSettingsForm:
    """The fields of ``fragments/_session_settings.html``, one set for both forms that
    show it: a new session (workshop page) and a session's settings (console).

    An unticked checkbox is absent from a form, so absent means off; an empty number
    means "the default" for a new session and "unchanged" for an existing one."""

    FLAGS = ("anonymous", "participants_can_group", "live_votes", "anonymous_exports", "commitment_open",
             "join_locked")

    def __init__(
        self,
        anonymous: str | None = Form(None), participants_can_group: str | None = Form(None),
        live_votes: str | None = Form(None), anonymous_exports: str | None = Form(None),
        commitment_open: str | None = Form(None), join_locked: str | None = Form(None),
        idea_max_length: str = Form(""), vote_budget: str = Form(""), max_votes_per_group: str = Form(""),
        layout: str = Form(""), quick_win_threshold: str = Form(""),
    ) -> None:
        flags = (anonymous, participants_can_group, live_votes, anonymous_exports, commitment_open, join_locked)
        self.flags = {name: bool(value) for name, value in zip(self.FLAGS, flags)}
        self.text = {"idea_max_length": idea_max_length, "vote_budget": vote_budget,
                     "max_votes_per_group": max_votes_per_group, "layout": layout,
                     "quick_win_threshold": quick_win_threshold}

    def typed(self) -> dict[str, Any]:
        """What was typed, to show the form again after a refusal."""
        return {**self.flags, **self.text}

    def values(self) -> dict[str, Any]:
        """Parsed for ``sessions.create_session`` / ``update_session`` (which validate the
        ranges); raises ``Invalid`` for text that is not a number."""
        return {
            **self.flags,
            "idea_max_length": form_int(self.text["idea_max_length"], field="Idea max length"),
            "vote_budget": form_int(self.text["vote_budget"], field="Vote budget"),
            "max_votes_per_group": form_int(self.text["max_votes_per_group"], field="Max votes per group"),
            "layout": self.text["layout"].strip() or None,
            "quick_win_threshold": form_float(self.text["quick_win_threshold"], field="Quick-win threshold"),
        }


SessionSettings = Annotated[SessionSettingsForm, Depends()]


# What the masterplan fragments (roadmap badges and form, lineage, the workshop views)
# need besides the template globals; routes that render them add it to the context.
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
MASTERPLAN_LABELS = {
    "HORIZON_LABELS": HORIZON_LABELS,
    "BUDGET_SOURCE_LABELS": BUDGET_SOURCE_LABELS,
    "QUADRANT_LABELS": QUADRANT_LABELS,
    "SWOT_LABELS": SWOT_LABELS,
    "TYPICAL_ORGANIZATIONS": TYPICAL_ORGANIZATIONS,
    "SUB_ELEMENTS_BY_DIMENSION": {spec.code: spec.sub_elements for spec in DIMENSIONS},
    "ROMAN": ROMAN,
}


# --- facilitators ----------------------------------------------------------------------

class LoginRequired(Exception):
    """A facilitator page was asked for without a login: answered by a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def login_url(next_url: str | None = None) -> str:
    return "/login" + (f"?next={quote(next_url, safe='/')}" if next_url else "")


def login_required_response(request: Request, exc: LoginRequired) -> Response:
    return redirect(request, login_url(exc.next_url))


def page_facilitator(request: Request, db: DbDep) -> Facilitator:
    facilitator = optional_facilitator(request, db)
    if facilitator is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path if request.method == "GET" else "/console")
    return facilitator


PageFacilitator = Annotated[Facilitator, Depends(page_facilitator)]


def safe_next(value: str | None) -> str:
    """Only a relative path on this site: ``//evil.example`` or ``https://…`` would make
    the login form an open redirect."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return "/console"
    return value


def log_in(response: Response, request: Request, facilitator: Facilitator) -> Response:
    settings: Settings = request.app.state.settings
    token = request.app.state.signer.facilitator_token(facilitator.id, facilitator.token_epoch)
    set_cookie(response, request, FACILITATOR_COOKIE, token, max_age=settings.facilitator_session_hours * 3600)
    return response


# --- participants ----------------------------------------------------------------------

def phone_participant(request: Request, db, session_id: int) -> Participant | None:
    """The participant this phone is in the session (its per-session cookie), or None."""
    return participant_for_session(request, db, session_id)


def remember_participant(response: Response, request: Request, participant: Participant) -> Response:
    token = request.app.state.signer.participant_token(participant.id, participant.session_id)
    set_cookie(response, request, participant_cookie_name(participant.session_id), token, max_age=PARTICIPANT_TOKEN_MAX_AGE)
    return response


# --- QR codes ----------------------------------------------------------------------------

def qr_code(join_url: str):
    # Medium error correction survives a projector's glare and a bit of keystone.
    return segno.make(join_url, error="m")


def qr_inline_svg(join_url: str) -> Markup:
    """The join QR as inline SVG (generated locally: the venue may have no internet).
    Markup because it is our own SVG built from a URL we made, never user text."""
    svg = qr_code(join_url).svg_inline(scale=10, dark="#000", light="#fff", omitsize=True, title=join_url)
    return Markup(svg)  # nosec B704 - segno's SVG; it escapes the title (our join URL)
