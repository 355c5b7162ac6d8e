"""Static files after an upgrade: every page links its files by fingerprint
(``/static/live.js?v=<hash>``), such a URL is cached for a year, and a changed file
gets a new URL, so no phone keeps an old ``live.js``. Anything else (a bare URL, a
fingerprint that is no longer current) is revalidated, never kept on a promise."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from app.assets import STATIC_DIR
from app.static_files import IMMUTABLE, REVALIDATE, FingerprintedStaticFiles, fingerprint, static_url


def test_pages_link_every_static_file_by_its_fingerprint(client):
    html = client.get("/").text
    linked = re.findall(r'(?:src|href|data-local-src)="(/static/[^"]+)"', html)
    assert f"/static/app.css?v={fingerprint(STATIC_DIR / 'app.css')}" in linked
    assert linked and all(re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{10}", url) for url in linked), linked


def test_a_fingerprinted_file_is_cached_for_a_year_and_anything_else_revalidated(client):
    url = static_url("live.js")
    first = client.get(url)
    assert first.status_code == 200 and first.headers["cache-control"] == IMMUTABLE
    assert first.content == (STATIC_DIR / "live.js").read_bytes()
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE
    assert client.get("/static/live.js").headers["cache-control"] == REVALIDATE
    assert client.get("/static/live.js?v=0123456789").headers["cache-control"] == REVALIDATE  # an old release's


@pytest.fixture
def folder_app(tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    app = Starlette(routes=[Mount("/static", FingerprintedStaticFiles(directory=folder))])
    with TestClient(app) as client:
        yield folder, client


def test_changing_a_file_changes_its_fingerprint(folder_app):
    folder, client = folder_app
    script = folder / "live.js"
    script.write_text("console.log('rilis 1');\n")
    old = fingerprint(script)
    assert fingerprint(script) == old  # the same bytes, the same URL: the cache holds
    assert client.get(f"/static/live.js?v={old}").headers["cache-control"] == IMMUTABLE

    script.write_text("console.log('rilis 2, diperbaiki');\n")  # (a new size: within one clock tick
    # of the first write the modification time may not move, and the server goes by both)
    new = fingerprint(script)
    assert new != old
    fresh = client.get(f"/static/live.js?v={new}")
    assert fresh.headers["cache-control"] == IMMUTABLE and fresh.text.endswith("diperbaiki');\n")
    # A page of the old release still asks for the old URL: today's bytes, revalidated.
    stale = client.get(f"/static/live.js?v={old}")
    assert stale.headers["cache-control"] == REVALIDATE and stale.text == fresh.text
