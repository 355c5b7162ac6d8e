"""The privacy notice in Chromium: the owner writes the workshop's own text in the
console, and a 360 px phone about to join reads a one-line summary, opens the rest,
and sees the acknowledgement next to the button, all without sideways scrolling.

Screenshots are left in the test's temporary folder (``console-privacy.png``, and
the phone folded and open: ``join-folded.png``, ``join-notice.png``) to look at.
"""

from __future__ import annotations

import pytest

from tests.support.browser import PHONE, Watch, set_up_session

pytestmark = [pytest.mark.browser, pytest.mark.server]

NOTICE = "Penyelenggara: Bappeda Kabupaten Padang Pariaman.\nPertanyaan: privasi@padangpariaman.go.id"


def test_the_owner_writes_the_notice_and_a_phone_reads_it_before_joining(
    chromium, live_server, facilitator_email, tmp_path
):
    from playwright.sync_api import expect

    base, watch = live_server.url, Watch()
    console = watch.page(chromium.new_context(viewport={"width": 1280, "height": 720}))
    _session_id, code = set_up_session(console, base, facilitator_email)
    console.click(".breadcrumbs a >> nth=1")  # back to the workshop
    console.wait_for_url("**/console/workshops/*")
    section = console.locator("#privacy")
    expect(section).to_contain_text("Nama peserta akan dihapus 90 hari setelah sesi terakhir ditutup.")
    section.locator("#privacy-notice").fill(NOTICE)
    section.locator("#retention-days").fill("60")
    section.locator("button[type=submit]").click()
    console.wait_for_url("**#privacy")
    expect(section).to_contain_text("Nama peserta akan dihapus 60 hari setelah sesi terakhir ditutup.")
    section.scroll_into_view_if_needed()
    section.screenshot(path=tmp_path / "console-privacy.png")

    phone = watch.page(chromium.new_context(**PHONE))
    phone.goto(f"{base}/j/{code}")
    notice = phone.locator(".privacy-notice")
    expect(notice.locator(".privacy-summary")).to_contain_text("Nama, instansi, ide, dan suara Anda disimpan")
    expect(phone.locator(".privacy-text")).to_be_hidden()  # folded away until asked for
    phone.screenshot(path=tmp_path / "join-folded.png", full_page=True)
    phone.locator(".privacy-details > summary").click()
    expect(phone.locator(".privacy-text")).to_be_visible()
    expect(phone.locator(".privacy-text")).to_have_text(NOTICE)
    expect(notice).to_contain_text("dihapus 60 hari setelah sesi terakhir lokakarya ditutup")
    consent = phone.locator("#join-consent")
    expect(consent).to_contain_text("Dengan bergabung, Anda menyetujui")
    consent_box, button_box = consent.bounding_box(), phone.locator("form button[type=submit]").bounding_box()
    assert 0 <= button_box["y"] - (consent_box["y"] + consent_box["height"]) < 40  # right above the button
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.evaluate("getComputedStyle(document.querySelector('.privacy-text')).whiteSpace") == "pre-line"
    phone.screenshot(path=tmp_path / "join-notice.png", full_page=True)
    assert not watch.dialogs and not watch.errors
