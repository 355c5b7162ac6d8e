"""Application factory: ``create_app(settings)`` builds everything; nothing at import time."""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.admission import AdmissionLimit
from app.assets import HTMX_CDN_URL
from app.csp import content_security_policy
from app.csrf import CrossOriginProtection
from app.db import create_db_engine, make_sessionmaker
from app.errors import DomainError, TooManyRequests
from app.gzip_runs import LEVEL as GZIP_LEVEL
from app.gzip_runs import MIN_BYTES as GZIP_MIN_BYTES
from app.i18n import gettext, locale_from_request
from app.memory import tune_garbage_collector
from app.migrate import check_migrated
from app.realtime.brokers import broker_from_url
from app.realtime.feed import EventFeed
from app.realtime.gate import Gates
from app.realtime.html_stream import forget_session
from app.realtime.lru import Lru
from app.realtime.sse import StreamFastPath
from app.retention_keeper import RetentionKeeper
from app.routes import (
    api_account,
    api_archive,
    api_audit,
    api_auth,
    api_carry,
    api_commitments,
    api_docs,
    api_groups,
    api_live,
    api_moderation,
    api_participant_data,
    api_participation,
    api_reactions,
    api_room,
    api_scores,
    api_share,
    api_suggestions,
    api_summary,
    api_team,
    api_workshop_views,
    api_workshops,
    pages,
)
from app.security import TokenSigner
from app.services.facilitators import LoginGuard
from app.services.participants import JoinGuard
from app.services.throttle import RateLimitStore
from app.settings import HtmxSource, Settings
from app.snapshots import SnapshotKeeper
from app.static_files import FingerprintedStaticFiles
from app.web import make_templates

log = logging.getLogger("rembuk")
STATIC_DIR = Path(__file__).resolve().parent / "static"


class SecurityHeaders:
    """Headers every answer carries (pure ASGI, so event streams pass through
    untouched). The CSP allows our own scripts and styles and, when htmx comes from
    the CDN, that one pinned file (its SRI hash is checked too); no inline script or
    style exists to allow, and no page may be framed (clickjacking the console).
    A response that brings its own policy keeps it (only the API docs do, app/routes/api_docs.py):
    two policies would both apply, and the stricter one would break that page."""

    def __init__(self, app, *, htmx_url: str | None) -> None:
        self.app = app
        csp = content_security_policy(scripts=[htmx_url] if htmx_url else [])
        self.csp = (b"content-security-policy", csp.encode())
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = {name.lower() for name, _ in headers}
                # A page may be stricter about referrers (a read-only link keeps its
                # token out of every Referer): its own header then stands alone.
                ours = [h for h in self.headers if h[0] not in own]
                own_policy = b"content-security-policy" in own
                message["headers"] = headers + ours + ([] if own_policy else [self.csp])
            await send(message)

        return await self.app(scope, receive, with_headers)


def _database_answers(engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def create_app(settings: Settings | None = None, *, check_schema: bool = True) -> FastAPI:
    settings = settings or Settings()
    engine = create_db_engine(settings)
    broker = broker_from_url(settings.broker_url, namespace=settings.deployment_id)
    sessions = make_sessionmaker(engine, broker)
    # Login and join limits count where the broker signals: one count for every worker.
    rate_limits = RateLimitStore(settings.broker_url, namespace=settings.deployment_id)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if check_schema:
            check_migrated(engine, settings)
        await broker.start()
        snapshots = SnapshotKeeper.start(settings, sessions)  # None when off or on PostgreSQL
        app.state.snapshots = snapshots  # an erasure renews them (app.snapshots.after_erasure)
        retention = RetentionKeeper.start(settings, sessions, snapshots)  # names due for erasure: now, then daily
        tune_garbage_collector()  # start-up is over: what it made stays (app/memory.py)
        try:
            yield
        finally:
            await retention.stop()  # finishes a round under way, before the snapshots and the engine go
            if snapshots is not None:
                await snapshots.stop()  # finishes a copy under way before the engine goes
            await broker.stop()
            rate_limits.close()
            engine.dispose()

    app = FastAPI(
        title="Rembuk",
        version=__version__,
        description="Live facilitation for Smart City Bimtek workshops.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from app/routes/api_docs.py: local files, no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.broker = broker
    app.state.sessions = sessions
    app.state.feed = EventFeed(sessions)
    app.state.gates = Gates(broker, app.state.feed, settings.sse_tick_seconds)  # phones woken only for what they show
    broker.on_gone(app.state.feed.forget)  # a deleted session's events leave memory too
    # Events trimmed and serialised for the JSON stream, per (session, seq, payload
    # version, audience): 1,000 phones woken by one event cost one rendering per
    # distinct audience, and an event rewritten by an erasure is rendered again.
    app.state.rendered_events = Lru(maxsize=8192)  # app/realtime/lru.py: why not cachetools
    # Keyed by session id first: SQLite may give a deleted session's id to the next one.
    broker.on_gone(partial(forget_session, app.state.rendered_events))
    app.state.snapshots = None  # the running SnapshotKeeper, set by the lifespan
    app.state.login_guard = LoginGuard(rate_limits)
    app.state.join_guard = JoinGuard(settings.joins_per_minute, rate_limits)
    app.state.signer = TokenSigner(settings.resolved_secret_key(), settings.facilitator_session_hours * 3600)
    app.state.templates = make_templates(settings)

    # Phones on venue Wi-Fi: compress pages, fragments and assets (htmx drops from 51
    # to 16 KB). Starlette never compresses text/event-stream, so streams flush as-is.
    app.add_middleware(
        AdmissionLimit, limit=settings.max_concurrent_requests, queue_seconds=settings.request_queue_seconds
    )  # app/admission.py: why
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(CrossOriginProtection, trusted_origins=[settings.public_url])  # CSRF, app/csrf.py
    app.add_middleware(SecurityHeaders, htmx_url=HTMX_CDN_URL if settings.htmx_source == HtmxSource.cdn else None)
    # Added last, so outermost: the live streams' messages go from here to the server,
    # past the middleware above, which only ever touches their headers (app/realtime/sse.py).
    app.add_middleware(StreamFastPath)
    app.mount("/static", FingerprintedStaticFiles(directory=STATIC_DIR), name="static")  # app/static_files.py
    # FastAPI tries the routes in this order. A room's requests are mostly the phones'
    # writes (joins, ideas, dots: the API up to api_groups) and their pages and live
    # streams (``pages.phone_side``): those come before the rest. None of these paths can
    # match another module's (the API's start with /api/v1, the phones' with /s/, /j,
    # /join or / and the streams' end in /stream), so the order changes only the time a
    # request takes to find its route (bench/join_path.py: ~0.2 ms for a phone's page).
    for router in (
        api_auth.router,
        api_workshops.router,
        api_room.router,
        api_participation.router,
        api_participant_data.router,
        api_reactions.router,
        api_groups.router,
        pages.phone_side,
        api_suggestions.router,
        api_carry.router,
        api_scores.router,
        api_commitments.router,
        api_workshop_views.router,
        api_live.router,
        api_summary.router,
        api_docs.router,
        api_archive.router,
        api_moderation.router,
        api_team.router,
        api_share.router,
        api_audit.router,
        api_account.router,
    ):
        app.include_router(router)
    pages.install(app)  # the other HTML pages, the language cookie, the live renderer
    _install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        """The process is up (a load balancer's liveness check)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready to serve: the database answers and the broker can signal. While
        Redis is down writes still work (the log is in the database), but screens on
        other workers lag until it is back, so a load balancer should know."""
        database = await run_in_threadpool(_database_answers, engine)
        broker_ok = await broker.ping()
        body = {
            "status": "ready" if database and broker_ok else "unavailable",
            "database": "ok" if database else "down",
            "broker": "ok" if broker_ok else "down",
        }
        if database and broker_ok:
            return JSONResponse(body)
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        locale = locale_from_request(request)
        message = gettext(
            locale, exc.message, **{k: gettext(locale, v) if isinstance(v, str) else v for k, v in exc.params.items()}
        )
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=exc.status_code, headers=headers)
        return _error_page(request, message, exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # FastAPI's default handler echoes the input with ensure_ascii=False, which
        # crashes (500) on a lone UTF-16 surrogate; ASCII-escaped JSON always encodes.
        # A body that is not JSON at all (a zip sent to a JSON route) is echoed as bytes,
        # which jsonable_encoder would decode as UTF-8 and crash on: decoded leniently.
        errors = jsonable_encoder(exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})
        body = json.dumps({"detail": errors}, ensure_ascii=True, default=str)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def database_busy(request: Request, exc: OperationalError | PoolTimeout):
        # SQLite "database is locked" after busy_timeout, a PostgreSQL hiccup, or every
        # pooled connection taken for pool_timeout (a room-sized burst on a small
        # machine, seen in bench/room.py at 500 phones): nothing was written (the
        # transaction rolled back or never began), so the client may retry. A 503, never a 500.
        log.warning("database unavailable: %s", getattr(exc, "orig", None) or exc)
        locale = locale_from_request(request)
        message = gettext(locale, "The server is busy. Please try again in a moment.")
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "2"})
        return _error_page(request, message, 503, headers={"Retry-After": "2"})


def _error_page(request: Request, message: str, status_code: int, headers: dict | None = None) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "pages/error.html",
        {"message": message, "status_code": status_code, "retry_after": (headers or {}).get("Retry-After")},
        status_code=status_code,
        headers=headers,
    )
