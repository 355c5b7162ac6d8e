"""Cross-site request forgery: a page on another origin cannot make a
logged-in browser change anything, whatever route it aims at, HTML or API; the
app's own pages, API clients and Bearer tokens are untouched.

The check reads the browser's headers (``Sec-Fetch-Site``, else ``Origin``), as
``app/csrf.py`` explains. In-process tests send the headers a browser would; the
browser test at the end has a real Chromium submit forms from a page served on
another port (same site, other origin: the login cookie goes along, so only the
check stands in the way) and on another host name (cross-site).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.csrf import CrossOriginProtection, origin_key
from app.models import Idea, Session, Workshop
from app.security import FACILITATOR_COOKIE, participant_cookie_name
from app.services import facilitators
from tests.builders import PASSWORD
from tests.support.browser import PHONE, Watch, join_by_typing, set_up_session

REFUSED_ID = "Permintaan ini datang dari situs web lain sehingga ditolak."
REFUSED_EN = "This request came from another website, so it was refused."


def count(app, model, **where) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(func.count()).select_from(model).filter_by(**where))


@pytest.fixture
def console(app, client) -> TestClient:
    """A facilitator's browser, logged in through the form (the cookie is what a forged form would ride on)."""
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email="dewi@kominfo.go.id", password=PASSWORD, name="Dewi")
    r = client.post("/login", data={"email": "dewi@kominfo.go.id", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and FACILITATOR_COOKIE in client.cookies
    return client


# --- which requests pass ------------------------------------------------------------------

ALLOWED = [
    {},  # no browser headers: curl, an API client, the test client
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},  # typed into the address bar, a bookmark
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://elsewhere.example"},  # Sec-Fetch-Site decides
    {"Origin": "http://testserver"},  # an older browser on our own page
    {"Origin": "http://TestServer:80"},
    {"Origin": "http://rembuk.test"},  # REMBUK_PUBLIC_URL: a proxy that rewrites Host
]
REFUSED = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # another port or subdomain of the venue's host
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # Sec-Fetch-Site decides
    {"Origin": "http://evil.example"},
    {"Origin": "null"},  # a sandboxed frame or a file:// page
    {"Origin": "https://testserver"},  # another scheme is another origin
    {"Origin": "http://testserver:8080"},
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "http://[testserver"},  # malformed: refused, not a 500
]


@pytest.mark.parametrize("headers", ALLOWED)
def test_own_pages_and_non_browsers_may_post(app, console, headers):
    r = console.post("/console/workshops", data={"title": "Bimtek", "region": "Kabupaten Agam", "year": "2026"},
                     headers=headers, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert count(app, Workshop) == 1


@pytest.mark.parametrize("headers", REFUSED)
def test_a_form_from_another_origin_is_refused_and_changes_nothing(app, console, headers):
    r = console.post("/console/workshops", data={"title": "Bimtek", "region": "Kabupaten Agam", "year": "2026"},
                     headers=headers, follow_redirects=False)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert REFUSED_ID in r.text  # the Indonesian error page
    assert r.headers["x-frame-options"] == "DENY"  # security headers on the refusal too
    assert count(app, Workshop) == 0


def test_the_api_answers_json_in_the_callers_language(app, console):
    """The API takes the login cookie too, so it is protected the same way."""
    body = {"title": "Bimtek", "region": "Kabupaten Agam", "year": 2026}
    r = console.post("/api/v1/workshops", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert r.json() == {"detail": REFUSED_ID + " Buka halaman Rembuk sendiri, lalu coba lagi."}
    r = console.post("/api/v1/workshops?lang=en", json=body, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and r.json()["detail"].startswith(REFUSED_EN)
    assert count(app, Workshop) == 0
    assert console.post("/api/v1/workshops", json=body).status_code == 201  # no browser headers: allowed


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_unsafe_method_is_checked(console, method):
    r = console.request(method.upper(), "/api/v1/ideas/1", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


def test_reading_is_never_refused(console):
    """GET changes nothing, and a link from another site (a QR code, a chat) must open."""
    for path in ("/console", "/", "/api/v1/workshops"):
        r = console.get(path, headers={"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
        assert r.status_code == 200, path


def test_a_bearer_token_is_not_forgeable_so_it_passes(api, client):
    """Another site's page cannot set Authorization without a CORS preflight, which Rembuk never grants."""
    me = api.facilitator()
    r = client.post("/api/v1/workshops", json={"title": "Bimtek", "region": "Kabupaten Agam", "year": 2026},
                    headers={**me, "Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
    assert r.status_code == 201


def test_logout_join_idea_and_login_forms_are_covered(app, api, client, console, new_phone):
    me = api.facilitator()
    session = api.session(me)
    cross = {"Sec-Fetch-Site": "same-site"}

    assert console.post("/logout", headers=cross, follow_redirects=False).status_code == 403
    assert console.get("/console", follow_redirects=False).status_code == 200  # still logged in

    phone = new_phone()
    join = {"join_code": session["join_code"], "name": "Rina", "organization_type": "opd", "organization": "Diskominfo"}
    assert phone.post("/join", data=join, headers=cross).status_code == 403  # nobody joins on a phone's behalf
    assert phone.post("/join", data=join).status_code == 303
    idea = {"text": "Ide palsu dari situs lain", "dimension": "living", "client_id": "f" * 32}
    assert phone.post(f"/s/{session['id']}/ideas", data=idea, headers=cross).status_code == 403
    assert count(app, Idea) == 0

    login = {"email": "dewi@kominfo.go.id", "password": PASSWORD}  # login CSRF: into the attacker's account
    assert new_phone().post("/login", data=login, headers=cross).status_code == 403


def test_behind_an_https_proxy_the_forwarded_scheme_is_the_origin(settings):
    """uvicorn's proxy-headers middleware (what ``rembuk serve`` runs, trusting
    FORWARDED_ALLOW_IPS) sets the scheme; the check compares with that."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from app.main import create_app

    app = create_app(settings)
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="*")
    with TestClient(proxied, base_url="http://rembuk.example") as client:
        https = {"X-Forwarded-Proto": "https"}
        r = client.post("/login", data={}, headers={**https, "Origin": "https://rembuk.example"})
        assert r.status_code == 401  # got through to the login form (wrong password)
        r = client.post("/login", data={}, headers={**https, "Origin": "http://rembuk.example"})
        assert r.status_code == 403


def test_origin_key_normalises_default_ports_and_case():
    assert origin_key("HTTPS", "Rembuk.Example:443") == "https://rembuk.example"
    assert origin_key("http", "rembuk.example:80") == "http://rembuk.example"
    assert origin_key("http", "rembuk.example:443") == "http://rembuk.example:443"
    assert origin_key("http", "[::1]:80") == "http://[::1]"
    assert origin_key("http", "[::1]") == "http://[::1]"


def test_outside_a_rembuk_app_the_refusal_is_plain_text():
    async def app(scope, receive, send):  # pragma: no cover - never reached
        raise AssertionError("a refused request must not reach the app")

    r = TestClient(CrossOriginProtection(app)).post("/anything", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and r.text.startswith(REFUSED_EN)


# --- a real browser on a page from another origin -------------------------------------------


class EvilSite:
    """A tiny web server on another port: the page another site would serve."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                body = pages.get(self.path, "not found").encode()
                self.send_response(200 if self.path in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def forged_form(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    return (f'<!doctype html><title>Hadiah!</title><form method="post" action="{action}">{inputs}'
            f'<button id="go" type="submit">Klaim hadiah</button></form>')


@pytest.mark.browser
@pytest.mark.server
def test_a_page_on_another_origin_cannot_act_for_a_logged_in_browser(chromium, live_server, facilitator_email,
                                                                     app):
    from playwright.sync_api import expect

    base = live_server.url  # http://127.0.0.1:<port>
    watch = Watch()
    laptop = chromium.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = set_up_session(console, base, facilitator_email)  # the app's own forms work
    phone_context = chromium.new_context(**PHONE)
    phone = watch.page(phone_context)
    join_by_typing(phone, base, code, "Rina Marlina", "opd", "Diskominfo")
    with app.state.sessions() as db:
        stage_id = db.get(Session, session_id).stage_id
    sessions_before = count(app, Session, stage_id=stage_id)

    evil = EvilSite()
    try:
        evil.pages["/logout"] = forged_form(f"{base}/logout", {})
        evil.pages["/session"] = forged_form(f"{base}/console/stages/{stage_id}/sessions",
                                             {"title": "Sesi palsu", "prompt": "Dibuat oleh situs lain?"})
        evil.pages["/idea"] = forged_form(f"{base}/s/{session_id}/ideas",
                                          {"text": "Ide palsu dari situs lain", "dimension": "living"})

        def submit_forged(page, url: str, cookie: str, fetch_site: str) -> None:
            page.goto(url)
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.click("#go")
            sent = answer.value.request.all_headers()
            assert sent["sec-fetch-site"] == fetch_site, url
            if fetch_site == "same-site":
                assert f"{cookie}=" in sent.get("cookie", ""), url  # only the origin check stands in the way
            assert answer.value.status == 403, url
            expect(page.locator("body")).to_contain_text(REFUSED_ID)

        # Same site (127.0.0.1, another port): SameSite=Lax lets the cookies go along.
        # Then a cross-site host name.
        for host, fetch_site in (("127.0.0.1", "same-site"), ("localhost", "cross-site")):
            other = f"http://{host}:{evil.port}"
            submit_forged(console, f"{other}/logout", FACILITATOR_COOKIE, fetch_site)
            submit_forged(console, f"{other}/session", FACILITATOR_COOKIE, fetch_site)
            submit_forged(phone, f"{other}/idea", participant_cookie_name(session_id), fetch_site)

        assert count(app, Session, stage_id=stage_id) == sessions_before
        assert count(app, Idea, session_id=session_id) == 0
        console.goto(f"{base}/console")
        assert console.url == f"{base}/console"  # still logged in
        phone.goto(f"{base}/s/{session_id}")
        assert phone.url == f"{base}/s/{session_id}"  # still in the session

        # The app's own logout form still works, and the cookie it ended is dead
        # even if someone kept a copy.
        kept = {c["name"]: c["value"] for c in laptop.cookies()}
        console.click("text=Keluar")
        console.wait_for_url(f"{base}/login")
        assert FACILITATOR_COOKIE not in {c["name"] for c in laptop.cookies()}
        r = httpx.get(f"{base}/console", cookies=kept, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    finally:
        evil.close()
        laptop.close()
        phone_context.close()
    assert not watch.errors and not watch.dialogs, watch.errors + watch.dialogs

