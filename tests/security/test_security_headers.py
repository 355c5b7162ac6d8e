"""Security headers on every answer: a CSP that allows only our own scripts and the
pinned htmx file, no framing, no MIME sniffing, a strict referrer policy. (The
browser tests fail on anything the CSP blocks, so the policy is also proven to fit
the pages.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.assets import HTMX_CDN_URL
from app.main import create_app


@pytest.mark.parametrize("path", ["/", "/login", "/console", "/j/ABCDEF", "/static/app.css", "/api/v1/workshops",
                                  "/healthz", "/openapi.json"])
def test_every_answer_carries_the_headers(client, path):
    r = client.get(path, follow_redirects=False)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "script-src 'self';" in csp  # tests serve the vendored htmx: nothing else may run
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"


def test_cdn_mode_allows_exactly_the_pinned_htmx_file(settings):
    app = create_app(type(settings)(**{**settings.model_dump(), "htmx_source": "cdn"}))
    with TestClient(app) as client:
        csp = client.get("/").headers["content-security-policy"]
        page = client.get("/").text
    assert f"script-src 'self' {HTMX_CDN_URL};" in csp
    assert HTMX_CDN_URL in page and 'integrity="sha384-' in page
