"""Every cookie Rembuk sets is HttpOnly and SameSite=Lax, and Secure when the site is
reached over HTTPS: directly, through a proxy that says so
(X-Forwarded-Proto from a trusted address), or whenever ``REMBUK_PUBLIC_URL`` is https.
One helper decides the flags (``app.security.set_cookie``); nothing else sets cookies.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from app.i18n import LANG_COOKIE
from app.main import create_app
from app.security import FACILITATOR_COOKIE, participant_cookie_name
from app.services import facilitators
from tests.builders import PASSWORD, Api
from tests.support import ROOT

APP_DIR = ROOT / "app"
EMAIL = "dewi@kominfo.go.id"


def set_cookies(response) -> dict[str, dict]:
    """Each Set-Cookie header, parsed: {name: {"value", attributes…}}."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            flags = {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
                     "samesite": morsel["samesite"].lower(), "path": morsel["path"], "value": morsel.value,
                     "max-age": morsel["max-age"]}
            cookies[name] = flags
    return cookies


def every_cookie(app, base_url: str, *, asgi=None, headers: dict[str, str] | None = None) -> dict[str, dict]:
    """Log in, log out, join a session and pick a language: every cookie the app sets
    (``asgi``: the app as wrapped in front of the client, e.g. by a proxy's middleware)."""
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email=EMAIL, password=PASSWORD)
    seen: dict[str, dict] = {}
    with TestClient(asgi or app, base_url=base_url, headers=headers, follow_redirects=False) as browser:
        r = browser.post("/login", data={"email": EMAIL, "password": PASSWORD})
        assert r.status_code == 303, r.text
        seen[FACILITATOR_COOKIE] = set_cookies(r)[FACILITATOR_COOKIE]
        r = browser.post("/logout")
        seen["logout"] = set_cookies(r)[FACILITATOR_COOKIE]
        api = Api(browser)
        session = api.session(api.login(EMAIL))
        r = browser.post("/join", data={"join_code": session["join_code"], "name": "Rina",
                                        "organization_type": "opd", "organization": "Diskominfo"})
        assert r.status_code == 303, r.text
        name = participant_cookie_name(session["id"])
        seen[name] = set_cookies(r)[name]
        seen[LANG_COOKIE] = set_cookies(browser.get("/?lang=en"))[LANG_COOKIE]
    return seen


def assert_flags(cookies: dict[str, dict], *, secure: bool) -> None:
    assert len(cookies) == 4
    for name, flags in cookies.items():
        assert flags["httponly"], name  # no script of ours reads a cookie
        assert flags["samesite"] == "lax", name
        assert flags["path"] == "/", name
        assert flags["secure"] is secure, name
    assert cookies["logout"]["value"] == "" and cookies["logout"]["max-age"] == "0"


def test_over_https_every_cookie_is_secure(app):
    assert_flags(every_cookie(app, "https://testserver"), secure=True)


def test_over_plain_http_on_the_venue_lan_cookies_work_without_secure(app):
    """A LAN at http://192.168.1.10:8000 has no certificate: a Secure cookie would never come back."""
    assert_flags(every_cookie(app, "http://testserver"), secure=False)


def test_behind_an_https_proxy_cookies_are_secure(app):
    """``rembuk serve`` runs uvicorn with proxy headers: a trusted proxy's
    X-Forwarded-Proto becomes the request's scheme."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    proxied = ProxyHeadersMiddleware(app, trusted_hosts="*")
    cookies = every_cookie(app, "http://rembuk.example", asgi=proxied, headers={"X-Forwarded-Proto": "https"})
    assert_flags(cookies, secure=True)


def test_an_https_public_url_forces_secure(settings):
    app = create_app(settings.model_copy(update={"public_url": "https://rembuk.example"}))
    assert_flags(every_cookie(app, "http://testserver"), secure=True)


def test_only_the_helper_sets_cookies():
    """One place decides the flags: a new ``set_cookie`` elsewhere would bypass it."""
    offenders = []
    for path in APP_DIR.rglob("*.py"):
        if path.name == "security.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.(set_cookie|delete_cookie)\(", line):
                offenders.append(f"{path.relative_to(APP_DIR)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_login_cookie_lasts_the_configured_hours(app, scheme):
    cookies = every_cookie(app, f"{scheme}://testserver")
    assert cookies[FACILITATOR_COOKIE]["max-age"] == str(app.state.settings.facilitator_session_hours * 3600)
