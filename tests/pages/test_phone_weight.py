"""A phone on hotel Wi-Fi: the phone page's first load, with everything it pulls
in (htmx and the service worker included), stays within 60 KB transferred. A byte budget, not a
timing: it fails the day someone vendors a heavy library into the phone page."""

from __future__ import annotations

import re

import httpx

BUDGET = 60 * 1024


def transferred(client: httpx.Client, url: str) -> int:
    """Bytes on the wire for one response body (compressed when the server compresses)."""
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        assert r.status_code == 200, url
        return sum(len(chunk) for chunk in r.iter_raw())


def test_phone_first_load_within_60_kb(api, live_server):
    fac = api.facilitator()
    with httpx.Client(base_url=live_server.url, timeout=10) as remote:
        from tests.builders import Api

        session = Api(remote).session(fac)
        phone = httpx.Client(base_url=live_server.url, timeout=10, follow_redirects=True)
        r = phone.post("/join", data={"join_code": session["join_code"], "name": "Rina", "organization_type": "opd",
                                      "organization": "Diskominfo"})
        assert r.status_code == 200 and "/s/" in str(r.url)
        page_url = str(r.url)
        html = r.text
        assets = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html)))
        assert any("htmx" in a for a in assets), assets  # local htmx in tests (the venue-LAN mode)
        assert any(a.startswith("/static/outbox.js?v=") for a in assets)  # it registers the service worker
        assets.append("/s/sw.js")
        sizes = {page_url: transferred(phone, page_url)} | {a: transferred(phone, a) for a in assets}
        phone.close()
    total = sum(sizes.values())
    print(f"phone first load: {total} bytes", sizes)
    assert total <= BUDGET, {k: v for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])}
