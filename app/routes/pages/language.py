"""Remember a language chosen with ``?lang=``: every response to such a request sets
the ``rembuk_lang`` cookie, so the next page (and the API errors) keep that language.

A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's
BaseHTTPMiddleware wraps every response body in a stream, which the live SSE
responses do not need; here only the response headers are touched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import requested_locale, set_lang_cookie


class LanguageCookieMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or b"lang=" not in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = requested_locale(request)
        if lang is None:
            await self.app(scope, receive, send)
            return
        carrier = Response()
        set_lang_cookie(carrier, request, lang)
        cookie_headers = [v for k, v in carrier.raw_headers if k == b"set-cookie"]

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for value in cookie_headers:
                    headers.append("set-cookie", value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
