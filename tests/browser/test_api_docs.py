"""The API's documentation in Chromium on a venue LAN: with every request that would
leave the server refused, ``/docs`` (Swagger UI) and ``/redoc`` still list the API's
operations, send nothing to any other host (no CDN, no Google fonts, no validator
badge), and run under their CSP without a violation but one: ReDoc 2 always shows
"API docs by Redocly" with a logo from its CDN, which the page's CSP refuses before
any request is made (ReDoc then hides the image)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.browser import Watch

pytestmark = pytest.mark.browser

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# What a reader looks for: the workshops' operations, and one further down the API.
OPERATIONS = ("/api/v1/workshops", "/api/v1/sessions/{session_id}/ideas")


def open_offline(chromium, base: str, path: str):
    """The page with only its own server reachable: (page, watch, asked, refused), where
    ``asked`` is every request that reached the network and ``refused`` those to another host."""
    own = urlparse(base).netloc
    asked: list[str] = []
    refused: list[str] = []

    def only_own_server(route) -> None:
        url = route.request.url
        asked.append(url)
        if urlparse(url).netloc == own:
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", only_own_server)
    watch = Watch()
    page = watch.page(context)
    page.goto(f"{base}{path}")
    return page, watch, asked, refused


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_work_with_every_outside_request_blocked(chromium, live_server, path):
    from playwright.sync_api import expect

    page, watch, asked, refused = open_offline(chromium, live_server.url, path)
    try:
        if path == "/docs":
            for operation in OPERATIONS:
                expect(page.locator(f'.opblock-summary-path[data-path="{operation}"]').first).to_be_visible()
            assert page.locator(".opblock").count() > 40  # the whole API, not one tag
        else:
            # ReDoc renders the whole API before its first heading: seconds on a busy machine.
            expect(page.locator("h1").first).to_contain_text("Rembuk", timeout=30_000)
            page.get_by_text(OPERATIONS[0], exact=True).first.wait_for(state="attached")
            for operation in OPERATIONS:
                assert page.get_by_text(operation, exact=True).count() >= 1, operation
        page.wait_for_load_state("networkidle")
        assert refused == [], refused
        assert any(u.endswith("/openapi.json") for u in asked), asked
        assert [e for e in watch.errors if REDOC_LOGO not in e] == [] and watch.dialogs == []
    finally:
        page.context.close()
