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


def test_the_phones_files_come_compressed_once_and_whole(client):
    """What a hall of phones asks for together is served from memory, gzipped when the
    phone accepts it, byte for byte the file, and still answers 304 to a phone that has it."""
    url = static_url("vendor/htmx-2.0.11.min.js")
    on_disk = (STATIC_DIR / "vendor/htmx-2.0.11.min.js").read_bytes()
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(on_disk) / 2
    assert packed.content == on_disk  # (httpx unpacked it)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == on_disk
    assert plain.headers["content-type"].startswith("text/javascript") and plain.headers["cache-control"] == IMMUTABLE
    assert client.head(url).content == b""
    again = client.get(url, headers={"If-None-Match": packed.headers["etag"], "Accept-Encoding": "gzip"})
    assert again.status_code == 304 and again.content == b""
    part = client.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == on_disk[:10]


def test_a_file_kept_in_memory_is_read_again_once_changed(folder_app):
    folder, client = folder_app
    sheet = folder / "app.css"
    sheet.write_text("body { color: black; }\n" * 100)
    assert client.get("/static/app.css", headers={"Accept-Encoding": "gzip"}).text.startswith("body { color: black")
    sheet.write_text("body { color: navy; }\n" * 120)  # another size: within one clock tick the time may not move
    fresh = client.get("/static/app.css", headers={"Accept-Encoding": "gzip"})
    assert fresh.headers["content-encoding"] == "gzip" and fresh.text == "body { color: navy; }\n" * 120
    big = folder / "bundle.js"
    big.write_bytes(b"//" + b"x" * (300 * 1024) + b"\n")  # past what is kept: streamed from disk, as before
    assert client.get("/static/bundle.js").content == big.read_bytes()
