"""Security headers on every answer: a CSP that allows only our own scripts and the
pinned htmx file, no framing, no MIME sniffing, a strict referrer policy. (The
browser tests fail on anything the CSP blocks, so the policy is also proven to fit
the pages.)"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.assets import HTMX_CDN_URL, STATIC_DIR, VENDORED_SHA256, vendored_digest
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


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_api_docs_bring_their_own_policy_and_only_local_files(client, path):
    """The docs run FastAPI's inline start-up script: allowed by its hash, on these
    pages only, still without 'unsafe-inline' or 'unsafe-eval' (tests/browser/test_api_docs.py
    proves the pages work under it with the network to other hosts cut)."""
    r = client.get(path)
    policies = r.headers.get_list("content-security-policy")
    assert len(policies) == 1, policies  # one policy: the page's, not the page's and the strict one
    csp = policies[0]
    inline = r" 'sha256-[A-Za-z0-9+/]+=*'" if path != "/redoc" else ""  # ReDoc's page has no inline script
    assert re.search(rf"script-src 'self'{inline};", csp), csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    assert not re.search(r'(?:src|href)="(?!/)', r.text)  # every file from this server
    assert "fonts.googleapis.com" not in r.text
    if path == "/docs":
        assert '"validatorUrl": null' in r.text  # no badge that sends the schema to swagger.io


def test_the_docs_files_are_the_pinned_npm_files_with_their_licences():
    for path, digest in VENDORED_SHA256.items():
        assert vendored_digest(path) == digest, path
    assert "Apache License" in (STATIC_DIR / "vendor" / "swagger-ui-LICENSE.txt").read_text()
    assert "Rebilly" in (STATIC_DIR / "vendor" / "redoc-LICENSE.txt").read_text()
