"""HTML pages (htmx): console, board, phone. Each module has its own router.

- ``auth``: login, logout, first-facilitator setup link
- ``console``: workshops → stages → sessions; ``console_session``: one session
  (phases, join details, downloads, moderation); ``review``: accepting its suggested
  groups and dimensions; ``deletion``: deleting a session or a workshop (typed
  confirmation)
- ``board``: the projector and the join QR code; ``grouping``: moving ideas,
  renaming groups (board and console)
- ``join`` / ``phone``: participants on their phones; ``phone_vote``: dots and,
  where allowed, grouping from a phone; ``phone_ideas``: the room's ideas and "+1" on
  a phone; ``offline``: the phone's service worker
- ``live``: the live HTML streams (rendering in ``app.realtime.html_stream``)
- ``remote``: running the room from the console or a phone (timer, lock, reveal,
  view, focus, pages)
- ``carry_forward``: carrying groups into a later stage's session; ``phone_score`` /
  ``phone_commitment``: rating groups and signing the commitment from a phone;
  ``workshop_views``: the roadmap, attendance and participation across the stages;
  ``audit_log``: the workshop's audit log for its owner
- ``account``: the facilitator's own account (their data, erasing it)

What they share, without a router: ``rendering`` (a page or a fragment, redirects,
errors in the caller's language), ``callers`` (the facilitator's login, the
phone's participant, their cookies), ``forms`` (numbers typed into forms, the
session settings form) and ``qr`` (the join QR code).
"""

from fastapi import APIRouter, FastAPI, Request

from app.assets import phone_static_version
from app.domain import (
    BOARD_VIEW_LABELS,
    DIMENSION_BY_CODE,
    DIMENSIONS,
    ORGANIZATION_TYPE_LABELS,
    PHASE_LABELS,
    PHASE_ORDER,
    TIMER_PRESET_MINUTES,
)
from app.realtime import live_phone
from app.realtime.ballot import BallotCache
from app.realtime.html_stream import LiveHtml
from app.realtime.screens import cloud_words
from app.routes.pages import (
    account,
    audit_log,
    auth,
    board,
    carry_forward,
    console,
    console_reach,
    console_session,
    deletion,
    grouping,
    join,
    live,
    offline,
    phone,
    phone_commitment,
    phone_ideas,
    phone_score,
    phone_vote,
    remote,
    review,
    scribe,
    shared,
    team,
    workshop_views,
)
from app.routes.pages.callers import LoginRequired, login_required_response
from app.routes.pages.language import LanguageCookieMiddleware
from app.services.timer import iso_ms, now_ms

# What the phones ask for (joining, their page, their taps) and the live streams: most
# of a room's requests, so the app tries these routes early (``app.main``). FastAPI
# matches a request against every route before the one it is for, in order: the phone's
# page and stream came after the API's ~200 routes and the console's, ~0.25 ms of
# matching each (bench/join_path.py, a phone's join and its every reload). None of these
# paths can match another route's: they start with /s/, /j, /join, / or end in /stream.
phone_side = APIRouter(include_in_schema=False)
for _module in (
    offline,  # /s/sw.js before /s/{session_id}
    join,
    phone,
    phone_ideas,
    phone_vote,
    phone_score,
    phone_commitment,
    live,
):
    phone_side.include_router(_module.router)

router = APIRouter(include_in_schema=False)
for _module in (
    auth,
    console,
    console_session,
    console_reach,
    review,
    board,
    grouping,
    carry_forward,
    workshop_views,
    remote,
    shared,
    team,
    scribe,
    audit_log,
    account,
    deletion,
):
    router.include_router(_module.router)

# Fragments are also rendered outside a request (the live stream), where the
# request's context processors do not run: what they need is a template global.
# SortableJS (MIT), vendored as app/static/vendor/sortable-<version>.min.js (no CDN:
# only the facilitator's board and console load it). Upgrade: `npm pack
# sortablejs@X.Y.Z`, copy Sortable.min.js under the new name, change this.
SORTABLE_VERSION = "1.15.7"
SUB_ELEMENTS = {sub.code: sub for spec in DIMENSIONS for sub in spec.sub_elements}
TEMPLATE_GLOBALS = {
    "DIMENSIONS": DIMENSIONS,
    "DIMENSION_BY_CODE": DIMENSION_BY_CODE,
    "SUB_ELEMENTS": SUB_ELEMENTS,
    "ORGANIZATION_TYPE_LABELS": ORGANIZATION_TYPE_LABELS,
    "PHASE_LABELS": PHASE_LABELS,
    "PHASE_ORDER": PHASE_ORDER,
    "SORTABLE_VERSION": SORTABLE_VERSION,
    "BOARD_VIEW_LABELS": BOARD_VIEW_LABELS,
    "TIMER_PRESET_MINUTES": TIMER_PRESET_MINUTES,
    # The server's clock as a live page is rendered (<body data-server-now>): the
    # page's first estimate of its own clock's error, for the timer.
    "server_now": lambda: iso_ms(now_ms()),
    # The phone's files and service worker as one version (the worker's cache name).
    "phone_static_version": phone_static_version,
    "cloud_words": cloud_words,
}


def install(app: FastAPI) -> None:
    """Routes, the language cookie, the login redirect and the live renderer."""
    templates = app.state.templates
    templates.env.globals.update(TEMPLATE_GLOBALS)
    gates, per_phone = app.state.gates, app.state.settings.reload_spread_ms_per_phone
    app.state.live_html = LiveHtml(
        templates, reload_window=lambda session_id: live_phone.reload_window_ms(gates.following(session_id), per_phone)
    )
    app.state.ballot = BallotCache(app.state.live_html)
    # A deleted session's renderings go with it, in every process (the broker's signal).
    app.state.broker.on_gone(app.state.live_html.forget)
    app.state.broker.on_gone(app.state.ballot.forget)
    app.include_router(router)
    app.add_middleware(LanguageCookieMiddleware)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        return login_required_response(request, exc)
