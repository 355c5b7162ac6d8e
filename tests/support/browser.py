"""A real Chromium (Debian's, through Playwright) and what every browser test does
in it: phone-sized contexts, a watch on dialogs, page errors and CSP reports, the
facilitator's set-up through the console forms, a phone that joins by typing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.builders import PASSWORD

CHROMIUM = "/usr/bin/chromium"

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


# A deadline for "it arrived live (no reload)", not a speed claim: the suite runs on
# two processes beside servers and browsers; bench/room.py measures the speed.
LIVE_WITHIN_MS = 5000


def open_chromium_needs(*modules: str) -> None:
    """Skip unless chromium and ``modules`` are here (or fail when CI sets
    REMBUK_TEST_REQUIRE_BROWSER=1: there a missing browser is a broken set-up)."""
    import importlib

    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
    else:
        for module in modules:
            try:
                importlib.import_module(module)
            except ImportError:
                reason = f"{module} is not installed (pip install -e '.[test]')"
                break
    if reason:
        if os.environ.get("REMBUK_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"REMBUK_TEST_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def open_chromium():
    """Debian's chromium through Playwright, for a fixture to ``yield from``."""
    open_chromium_needs("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield chromium
    chromium.close()
    playwright.stop()


class Watch:
    """Fails the test on any dialog (an XSS would fire one), uncaught page error, or
    anything the Content-Security-Policy blocked (our pages must need no exception)."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def page(self, context):
        page = context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        return page

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.errors.append(message.text)


def wait_live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=5000)


def set_up_session(page, base: str, email: str) -> tuple[int, str]:
    """Log in, create a workshop and a session, start brainstorm: all through the forms."""
    from playwright.sync_api import expect

    page.goto(f"{base}/console")
    assert "/login" in page.url
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/console")
    page.fill("#w-title", "Bimtek Smart City 2026")
    page.fill("#w-region", "Kabupaten Padang Pariaman")
    page.click("text=Buat Bimtek")
    page.wait_for_url("**/console/workshops/*")
    stage_one = page.locator("details.new-session").first
    stage_one.locator("summary").click()
    stage_one.locator("input[name=title]").fill("Isu strategis per dimensi")
    stage_one.locator("textarea[name=prompt]").fill("Apa masalah dan potensi utama daerah kita di tiap dimensi?")
    stage_one.locator("button[type=submit]").click()
    page.wait_for_url("**/console/sessions/*")
    session_id = int(page.url.rsplit("/", 1)[1])
    page.click("button[name=phase][value=brainstorm]")
    expect(page.locator("button[name=phase][value=brainstorm]")).to_have_attribute("aria-current", "step")
    return session_id, page.locator(".code-big").inner_text().strip()


def open_session(page, base: str, email: str) -> tuple[int, str]:
    """The console of a new session in brainstorm, as ``set_up_session`` leaves it, made
    through the API (the login through the form's POST in the page's context): for the
    tests whose subject comes after the set-up. ``set_up_session`` clicks it, in
    test_brainstorm and wherever the forms themselves are looked at; this saves the
    other tests ~2 s each."""
    import httpx

    from tests.builders import Api

    with httpx.Client(base_url=base, timeout=30) as client:
        api = Api(client)
        session = api.session(
            api.login(email),
            title="Isu strategis per dimensi",
            prompt="Apa masalah dan potensi utama daerah kita di tiap dimensi?",
        )
    r = page.context.request.post(
        f"{base}/login", form={"email": email, "password": PASSWORD, "next": ""}, max_redirects=0
    )
    assert r.status == 303, r.status
    page.goto(f"{base}/console/sessions/{session['id']}")
    wait_live(page)
    return session["id"], session["join_code"]


def join_by_post(page, base: str, code: str, name: str, org_type: str, organization: str) -> None:
    """A phone joined through the join form's POST (its cookie in the page's context),
    then on its session's page, live: ``join_by_typing`` types it, in the tests of
    joining; this saves the others ~1 s a phone."""
    form = {"join_code": code, "name": name, "organization_type": org_type, "organization": organization}
    r = page.context.request.post(f"{base}/join", form=form, max_redirects=0)
    assert r.status == 303, r.status
    page.goto(base + r.headers["location"])  # /s/<session id>
    wait_live(page)


def join_by_typing(page, base: str, code: str, name: str, org_type: str, organization: str) -> None:
    page.goto(f"{base}/")
    page.locator("#code").press_sequentially(code.lower())  # people type it in lower case
    page.click("text=Lanjut")
    page.fill("#name", name)
    page.click(f"label[for=org-{org_type}]")
    page.fill("#organization", organization)
    page.click("form button[type=submit]")
    page.wait_for_url("**/s/*")
    wait_live(page)


THREE_PEOPLE = [
    ("Rina Marlina", "opd", "Diskominfo"),
    ("dr. Yusuf", "rsud", "RSUD Padang Pariaman"),
    ("Andi Pratama", "komunitas_it", "Relawan TIK"),
]


def join_three_phones(browser, watch, base: str, code: str, *, typing: bool = True) -> tuple[list, list]:
    """Three phone-sized contexts that join by typing the code (or through the form's
    POST, ``typing=False``): (contexts, pages)."""
    contexts, pages = [], []
    join = join_by_typing if typing else join_by_post
    for name, org_type, organization in THREE_PEOPLE:
        context = browser.new_context(**PHONE)
        page = watch.page(context)
        join(page, base, code, name, org_type, organization)
        contexts.append(context)
        pages.append(page)
    return contexts, pages


def send(context, base: str, session_id: int, text: str, dimension: str | None) -> None:
    """An idea through the phone's own form (its cookie), without JavaScript."""
    form = {"text": text, "dimension": dimension or "", "client_id": f"b-{abs(hash(text))}"}
    assert context.request.post(f"{base}/s/{session_id}/ideas", form=form, max_redirects=0).status == 303


def until(page, expression: str, timeout_ms: int = 5000) -> None:
    """Poll ``expression`` in the page until it is true. (``wait_for_function`` would
    compile it with eval, which the page's Content-Security-Policy refuses.)"""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_ms} ms: {expression}"
        page.wait_for_timeout(50)
