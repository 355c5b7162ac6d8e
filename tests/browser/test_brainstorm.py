"""The acceptance test of the live brainstorm, in a real Chromium (Playwright sync API).

A facilitator logs in and sets up a session through the console forms; three
phone-sized browsers join by typing the code and send ideas; the projector shows
each idea in its column within a second, without a reload. One phone then loses
its connection while the facilitator hides one of its ideas and moves on to the
group phase; back online, the phone shows both without anyone reloading it.

Runs on every database backend (it takes ``settings`` through ``live_server``).
``REMBUK_SCREENSHOTS=1`` also saves docs/screenshots/board.png and phone.png.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.builders import PASSWORD
from tests.support import ROOT
from tests.support.browser import (
    LIVE_WITHIN_MS,
    PHONE,
    Watch,
    join_three_phones,
    open_session,
    set_up_session,
    wait_live,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


MORE_IDEAS = [  # only for the screenshots
    (1, "Tanda tangan elektronik untuk surat dinas antar-OPD", "governance"),
    (2, "Dashboard pengaduan masyarakat yang terbuka", "governance"),
    (0, "Festival kuliner Piaman dipromosikan lewat satu kanal digital", "branding"),
    (1, "QRIS di pasar nagari dan objek wisata", "economy"),
    (2, "Data bantuan sosial terpadu per nagari", "economy"),
    (0, "Layanan ambulans desa dengan panggilan satu nomor", "living"),
    (1, "Angkutan pelajar terjadwal dengan info posisi", "living"),
    (2, "Kelas literasi digital untuk ibu-ibu PKK", "society"),
    (0, "Bank sampah dengan aplikasi tabungan", "environment"),
    (1, "Lampu jalan tenaga surya di jalur evakuasi tsunami", "environment"),
    (2, "Siapa pengelola data di tiap OPD?", None),
]


def send_idea(phone, board, text: str, dimension: str | None) -> float:
    """Submit from the phone; return how long until the board showed it (ms)."""
    from playwright.sync_api import expect

    phone.fill("#idea-text", text)
    phone.click(f"label[for=new-dim-{dimension or 'none'}]")
    started = time.monotonic()
    phone.click("#idea-form button[type=submit]")
    card = board.locator(f"#col-{dimension or 'none'} .idea-card", has_text=text)
    expect(card).to_be_visible(timeout=LIVE_WITHIN_MS)
    elapsed = (time.monotonic() - started) * 1000
    expect(phone.locator("#my-ideas .idea-card", has_text=text)).to_be_visible()
    expect(phone.locator("#idea-text")).to_have_value("")  # a fresh form for the next idea
    return elapsed


def test_live_brainstorm_from_phones_to_the_board(chromium, live_server, facilitator_email):
    browser = chromium
    from playwright.sync_api import expect

    base = live_server.url
    watch = Watch()
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, code = set_up_session(console, base, facilitator_email)
    wait_live(console)

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}, storage_state=laptop.storage_state())
    board = watch.page(projector)
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)
    expect(board.locator(".join-code")).to_have_text(code)

    phone_contexts, phones = join_three_phones(browser, watch, base, code)
    expect(board.locator("#participant-count")).to_have_text("3")

    ideas = [
        (0, "Integrasi layanan perizinan online di Mal Pelayanan Publik", "governance"),
        (1, "Aplikasi antrean online dan rekam medis elektronik RSUD", "living"),
        (2, "Pelatihan UMKM jualan daring bersama Relawan TIK", "economy"),
        (0, "Satu peta data potensi wisata nagari", "branding"),
        (1, "Sensor kualitas air sungai untuk peringatan dini", "environment"),
        (2, "Ruang belajar coding untuk pelajar SMA", "society"),
        (2, "Perlu dibahas dengan Bappeda dulu", None),
    ]
    board.evaluate("window.stillTheSamePage = true")  # gone if the board reloaded
    delays = [send_idea(phones[p], board, text, dim) for p, text, dim in ideas]
    assert max(delays) < LIVE_WITHIN_MS, delays
    assert board.evaluate("window.stillTheSamePage === true")
    # A refused idea comes back into the form with htmx (a 422 is swapped, not dropped).
    phones[1].fill("#idea-text", "   ")
    phones[1].click("#idea-form button[type=submit]")
    expect(phones[1].locator("#idea-form .alert-error")).to_have_text("Ide tidak boleh kosong.")
    # the console's moderation list followed live too (with authors)
    expect(console.locator("#moderation-rows tr")).to_have_count(len(ideas))
    expect(console.locator("#participant-count")).to_have_text("3")

    if os.environ.get("REMBUK_SCREENSHOTS") == "1":
        # A fuller board for the docs, sent through the same phone form.
        for p, text, dim in MORE_IDEAS:
            form = {"text": text, "dimension": dim or "", "client_id": f"shot-{p}-{len(text)}"}
            assert phone_contexts[p].request.post(f"{base}/s/{session_id}/ideas", form=form, max_redirects=0).status == 303
        shots = ROOT / "docs" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        board.wait_for_timeout(4500)  # let the "new" highlight fade
        board.screenshot(path=str(shots / "board.png"))
        phones[0].screenshot(path=str(shots / "phone.png"), full_page=True)

    # An XSS payload from a phone is text on the board (and no dialog ever fires).
    send_idea(phones[2], board, XSS, None)
    expect(board.locator("#col-none .idea-text", has_text=XSS)).to_have_text(XSS)

    # Phone 0 loses its connection; meanwhile its idea is hidden and the phase moves on.
    offline_phone = phones[0]
    phone_contexts[0].set_offline(True)
    expect(offline_phone.locator("#live-status")).to_have_attribute("data-state", "offline")
    hidden_text = ideas[0][1]
    row = console.locator("#moderation-rows tr", has_text=hidden_text)
    row.locator("form[action$='/visibility'] button").click()
    expect(console.locator("#moderation-rows tr.is-hidden", has_text=hidden_text)).to_be_visible()
    expect(board.locator(".idea-card", has_text=hidden_text)).to_have_count(0, timeout=LIVE_WITHIN_MS)
    console.click("button[name=phase][value=group]")
    expect(console.locator("button[name=phase][value=group]")).to_have_attribute("aria-current", "step")
    # the board reloads itself into the new phase: no join panel any more
    expect(board.locator(".phase-pill")).to_have_text("Pengelompokan", timeout=LIVE_WITHIN_MS)
    expect(board.locator(".board-side")).to_have_count(0)
    expect(phones[1].locator(".phase-banner")).to_contain_text("Pengelompokan", timeout=LIVE_WITHIN_MS)
    # the offline phone really missed it
    offline_phone.wait_for_timeout(500)
    expect(offline_phone.locator(".phase-banner")).to_contain_text("Curah gagasan")
    expect(offline_phone.locator(".hidden-marker")).to_have_count(0)

    phone_contexts[0].set_offline(False)  # back online: nobody reloads it
    expect(offline_phone.locator(".phase-banner")).to_contain_text("Pengelompokan", timeout=5000)
    marked = offline_phone.locator("#my-ideas .idea-card", has_text=hidden_text)
    expect(marked.locator(".hidden-marker")).to_be_visible()
    expect(offline_phone.locator("#idea-form")).to_have_count(0)
    wait_live(offline_phone)

    assert watch.dialogs == [], watch.dialogs
    assert watch.errors == [], watch.errors
    for context in (*phone_contexts, projector, laptop):
        context.close()


def test_phone_works_without_javascript(chromium, live_server, facilitator_email):
    """Forms first: join, send, edit and delete with JavaScript switched off; reload and
    the back button never send anything twice (POST/redirect/GET)."""
    import httpx
    from playwright.sync_api import expect

    from tests.builders import Api

    with httpx.Client(base_url=live_server.url) as client:
        api = Api(client)
        session = api.session(api.login(facilitator_email))
    context = chromium.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    join_by_typing_without_js(page, live_server.url, session["join_code"])
    expect(page.locator("#live-status")).to_be_hidden()  # nothing is live without JS

    page.fill("#idea-text", "Posyandu digital di tiap nagari")
    page.click("label[for=new-dim-living]")
    page.select_option("#new-sub", "health")
    page.click("#idea-form button[type=submit]")
    card = page.locator("#my-ideas .idea-card", has_text="Posyandu digital")
    expect(card).to_contain_text("Sarana Prasarana Kesehatan")
    page.reload()
    page.go_back()
    page.go_forward()
    expect(page.locator("#my-ideas .idea-card")).to_have_count(1)

    card.locator("summary").click()  # <details>: no script needed
    card.locator("textarea[name=text]").fill("Posyandu digital dengan jadwal imunisasi")
    # Without JS the sub-element list is not filtered: a mismatch is refused, text kept.
    card.locator("label", has_text="Society").click()
    card.locator("select[name=sub_element]").select_option("health")
    card.locator("button", has_text="Simpan").click()
    expect(page.locator("#my-ideas .alert-error")).to_contain_text("tidak termasuk dalam dimensi ini")
    card = page.locator("#my-ideas .idea-card")
    expect(card.locator("textarea[name=text]")).to_have_value("Posyandu digital dengan jadwal imunisasi")
    expect(card.locator(".idea-text")).to_have_text("Posyandu digital di tiap nagari")
    card.locator("label", has_text="Living").click()
    card.locator("button", has_text="Simpan").click()
    expect(page.locator("#my-ideas .idea-text")).to_have_text("Posyandu digital dengan jadwal imunisasi")

    page.locator("#my-ideas summary").click()
    page.locator("#my-ideas button", has_text="Hapus ide ini").click()
    expect(page.locator("#my-ideas .idea-card")).to_have_count(0)
    expect(page.locator(".empty-hint")).to_be_visible()
    context.close()


def join_by_typing_without_js(page, base: str, code: str) -> None:
    page.goto(f"{base}/")
    page.fill("#code", code.lower())
    page.click("text=Lanjut")
    page.fill("#name", "Siti Aminah")
    page.click("label[for=org-pokdarwis]")
    page.fill("#organization", "Pokdarwis Pantai Gandoriah")
    page.click("form button[type=submit]")
    page.wait_for_url("**/s/*")


def test_a_logout_elsewhere_sends_the_open_console_and_board_to_the_login_form(
        chromium, live_server, facilitator_email):
    """The laptop is left at the venue with the console and the projector open; the
    facilitator logs out from a phone (the API logout ends every login). Both pages
    leave the session's view by themselves, within a heartbeat, for the login form."""
    import httpx
    from playwright.sync_api import expect

    browser, base, watch = chromium, live_server.url, Watch()
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    console = watch.page(laptop)
    session_id, _code = open_session(console, base, facilitator_email)  # the first test clicks the set-up
    board = watch.page(laptop)
    board.goto(f"{base}/board/{session_id}")
    wait_live(board)

    with httpx.Client(base_url=base, timeout=10) as phone:
        token = phone.post("/api/v1/auth/token", data={"username": facilitator_email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert phone.post("/api/v1/auth/logout", headers=headers).status_code == 204

    for page in (console, board):
        page.wait_for_url("**/login**", timeout=LIVE_WITHIN_MS)
        expect(page.locator("#password")).to_be_visible()
    assert watch.dialogs == [] and watch.errors == [], (watch.dialogs, watch.errors)
    laptop.close()
