"""HTML pages without a browser: forms first (303 without JS, fragments with htmx),
Indonesian by default, escaping, who may see what, and the live HTML renderer."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.i18n import LANG_COOKIE
from app.realtime.feed import EventRecord
from app.realtime.viewer import Viewer
from app.security import FACILITATOR_COOKIE, participant_cookie_name
from app.services import facilitators
from tests.builders import PASSWORD
from tests.support.forms import (
    HTMX,
    XSS,
    XSS_ESCAPED,
    client_id_of,
    create_session,
    idea_ids,
    join,
    location,
    login,
    make_facilitator,
    send_idea,
)

# --- helpers ---------------------------------------------------------------------------


# --- login ------------------------------------------------------------------------------

def test_facilitator_pages_redirect_to_login(client):
    for path in ("/console", "/console/workshops/1", "/console/sessions/1", "/board/1"):
        r = client.get(path, follow_redirects=False)
        assert location(r) == f"/login?next={path}"
    r = client.post("/console/workshops", data={"title": "x"}, headers=HTMX, follow_redirects=False)
    assert r.headers["HX-Redirect"].startswith("/login")


def test_login_wrong_password_shows_indonesian_error(app, client):
    email = make_facilitator(app)
    r = client.post("/login", data={"email": email, "password": "salah-sekali-123"})
    assert r.status_code == 401
    assert "Email atau kata sandi salah." in r.text
    assert f'value="{email}"' in r.text  # typed email kept
    assert FACILITATOR_COOKIE not in client.cookies


def test_login_goes_to_safe_next_and_logout_ends_it(app, client):
    email = make_facilitator(app)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/console/workshops/7"},
                    follow_redirects=False)
    assert location(r) == "/console/workshops/7"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=43200" in cookie
    assert client.get("/console").status_code == 200
    assert location(client.get("/login", follow_redirects=False)) == "/console"
    for evil in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        r = client.post("/login", data={"email": email, "password": PASSWORD, "next": evil}, follow_redirects=False)
        assert location(r) == "/console"
    assert location(client.post("/logout", follow_redirects=False)) == "/login"
    assert location(client.get("/console", follow_redirects=False)).startswith("/login")


def test_setup_link_creates_first_facilitator_once(app, client):
    with app.state.sessions() as db:
        token = facilitators.issue_setup_token(db)
    assert client.get(f"/setup/{token}").status_code == 200
    r = client.post(f"/setup/{token}", data={"email": "kepala@diskominfo.go.id", "password": "pendek"})
    assert r.status_code == 422 and "Kata sandi minimal 10 karakter." in r.text
    r = client.post(f"/setup/{token}", data={"email": "kepala@diskominfo.go.id", "password": PASSWORD, "name": "Kepala"},
                    follow_redirects=False)
    assert location(r) == "/console"
    assert client.get("/console").status_code == 200
    assert client.get(f"/setup/{token}").status_code == 404
    assert client.get("/setup/not-a-token").status_code == 404


# --- console ----------------------------------------------------------------------------

def test_workshop_session_and_phase_through_the_forms(console):
    s = create_session(console, phase=None)
    workshop_page = console.get(s["workshop_url"]).text
    assert workshop_page.count('action="/console/stages/') == 4  # four stages, each with a form
    assert "Tahap IV – Finalisasi &amp; Komitmen" in workshop_page
    assert "Isu strategis" in workshop_page and s["code"] in workshop_page
    page = console.get(f"/console/sessions/{s['id']}").text
    assert 'aria-current="step">Draf<' in page
    assert f'href="/board/{s["id"]}" target="_blank"' in page
    assert f"/api/v1/sessions/{s['id']}/summary.csv" in page
    r = console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "brainstorm"}, follow_redirects=False)
    assert location(r) == f"/console/sessions/{s['id']}"
    assert 'aria-current="step">Curah gagasan<' in console.get(location(r)).text
    assert console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "nonsense"}).status_code == 422
    # the console's cookie opens the downloads
    assert console.get(f"/api/v1/sessions/{s['id']}/summary.csv").status_code == 200
    assert console.get("/console").text.count("Bimtek Smart City") >= 1


def test_console_form_errors_are_indonesian_and_keep_input(console):
    r = console.post("/console/workshops", data={"title": "", "region": "Kota Bukittinggi", "year": "2026"})
    assert r.status_code == 422 and "Judul tidak boleh kosong." in r.text and 'value="Kota Bukittinggi"' in r.text
    s = create_session(console)
    r = console.post(f"/console/stages/{s['stage_id']}/sessions",
                     data={"title": "Sesi dua", "prompt": "Apa?", "idea_max_length": "banyak"})
    assert r.status_code == 422
    assert "Panjang maksimal ide harus berupa bilangan bulat." in r.text and 'value="Sesi dua"' in r.text
    r = console.post(f"/console/stages/{s['stage_id']}/sessions",
                     data={"title": "Sesi dua", "prompt": "Apa?", "idea_max_length": "5"})
    assert r.status_code == 422 and "Panjang maksimal ide harus antara 20 dan 2000." in r.text


def test_another_facilitator_sees_nothing(app, console, new_phone):
    s = create_session(console)
    other = new_phone()
    login(other, make_facilitator(app, "lain@kominfo.go.id"))
    assert other.get(f"/console/sessions/{s['id']}").status_code == 404
    assert other.get(f"/board/{s['id']}").status_code == 404
    assert other.get(s["workshop_url"]).status_code == 404


# --- joining ----------------------------------------------------------------------------

def test_join_by_lower_case_code_and_the_cookie_keeps_the_participant(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    page = phone.get(f"/j/{s['code'].lower()}")
    assert page.status_code == 200 and 'list="organizations"' in page.text and "Perangkat Daerah (OPD)" in page.text
    assert join(phone, s["code"]) == s["id"]
    cookie = phone.cookies.get(participant_cookie_name(s["id"]))
    assert cookie
    # a second visit, a reload, the back button to the form: the same participant
    assert location(phone.get(f"/j/{s['code']}")) == f"/s/{s['id']}"
    assert join(phone, s["code"]) == s["id"]
    assert phone.get(f"/s/{s['id']}").status_code == 200
    assert re.search(r'id="participant-count"[^>]*>1<', console.get(f"/console/sessions/{s['id']}").text)


def test_unknown_code_and_closed_session(console, new_phone):
    phone = new_phone()
    r = phone.get("/j/ZZZZZZ")
    assert r.status_code == 404 and "Kode tidak ditemukan. Periksa kembali kode di layar." in r.text
    assert location(phone.get("/j?code=abc234")) == "/j/ABC234"
    s = create_session(console, phase="closed")
    r = phone.get(f"/j/{s['code']}")
    assert r.status_code == 409 and "Sesi ini sudah ditutup." in r.text
    r = phone.post("/join", data={"join_code": s["code"], "name": "Rina", "organization_type": "opd", "organization": "X"})
    assert r.status_code == 409


def test_join_form_errors_keep_what_was_typed(console, new_phone):
    s = create_session(console)
    r = new_phone().post("/join", data={"join_code": s["code"], "name": "Budi Santoso", "organization_type": "",
                                        "organization": "Bappeda"})
    assert r.status_code == 422 and "Pilih jenis instansi." in r.text
    assert 'value="Budi Santoso"' in r.text and 'value="Bappeda"' in r.text


def test_phone_page_needs_its_own_session_cookie(console, new_phone):
    a, b = create_session(console), create_session(console)
    phone = new_phone()
    join(phone, a["code"])
    assert location(phone.get(f"/s/{b['id']}")) == "/"
    assert location(phone.post(f"/s/{b['id']}/ideas", data={"text": "masuk?"})) == "/"
    assert phone.post(f"/s/{b['id']}/ideas", data={"text": "masuk?"}, headers=HTMX).headers["HX-Redirect"] == "/"
    assert phone.get(f"/s/{b['id']}/stream").status_code == 403
    # a cookie of session A renamed for session B is refused too (the token names its session)
    phone.cookies.set(participant_cookie_name(b["id"]), phone.cookies.get(participant_cookie_name(a["id"])))
    assert location(phone.get(f"/s/{b['id']}")) == "/"
    assert new_phone().get(f"/s/{a['id']}/stream").status_code == 401  # no credential at all


# --- ideas from the phone ----------------------------------------------------------------

def test_submit_idea_without_javascript_redirects(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    r = send_idea(phone, s["id"], "Aplikasi antrean online RSUD", "living", sub_element="health")
    assert location(r) == f"/s/{s['id']}"
    page = phone.get(f"/s/{s['id']}").text
    assert len(idea_ids(page)) == 1 and "Aplikasi antrean online RSUD" in page and "Sarana Prasarana Kesehatan" in page
    board = console.get(f"/board/{s['id']}").text
    col = board.split('id="col-living"', 1)[1].split("</section>", 1)[0]
    assert "Aplikasi antrean online RSUD" in col


def test_submit_idea_with_htmx_returns_fresh_form_and_list(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    first = client_id_of(phone.get(f"/s/{s['id']}").text)
    r = phone.post(f"/s/{s['id']}/ideas", data={"text": "Satu data kependudukan", "dimension": "", "client_id": first},
                   headers=HTMX)
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<form id="idea-form"')
    assert client_id_of(r.text) != first  # the next idea is a new attempt
    assert 'id="my-ideas" class="my-ideas" hx-swap-oob="true"' in r.text and "Satu data kependudukan" in r.text


def test_same_client_id_twice_makes_one_idea(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    cid = client_id_of(phone.get(f"/s/{s['id']}").text)
    data = {"text": "Dashboard kinerja OPD", "dimension": "governance", "client_id": cid}
    location(phone.post(f"/s/{s['id']}/ideas", data=data))
    assert phone.post(f"/s/{s['id']}/ideas", data=data, headers=HTMX).status_code == 200
    location(phone.post(f"/s/{s['id']}/ideas", data=data))
    assert len(idea_ids(phone.get(f"/s/{s['id']}").text)) == 1
    assert console.get(f"/board/{s['id']}").text.count("Dashboard kinerja OPD") == 1


def test_outside_brainstorm_shows_409_in_indonesian_and_keeps_the_text(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    page = phone.get(f"/s/{s['id']}").text
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "group"})
    data = {"text": "Ide yang terlambat", "dimension": "economy", "client_id": client_id_of(page)}
    for headers in ({}, HTMX):
        r = phone.post(f"/s/{s['id']}/ideas", data=data, headers=headers)
        assert r.status_code == 409
        assert "Curah gagasan sedang tidak dibuka" in r.text and 'class="alert alert-error"' in r.text
        assert ">Ide yang terlambat</textarea>" in r.text
        assert 'value="economy" id="new-dim-economy" checked' in r.text
    waiting = phone.get(f"/s/{s['id']}").text
    assert 'id="idea-form"' not in waiting and "Fasilitator sedang mengelompokkan ide" in waiting


def test_too_long_idea_is_422_and_kept(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    r = send_idea(phone, s["id"], "x" * 281)
    assert r.status_code == 422 and "Ide terlalu panjang (281 karakter, maksimal 280)." in r.text
    assert "x" * 281 + "</textarea>" in r.text


def test_edit_and_delete_own_idea(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    send_idea(phone, s["id"], "Wifi gratis di taman kota", "living")
    idea_id = idea_ids(phone.get(f"/s/{s['id']}").text)[0]
    r = phone.post(f"/s/{s['id']}/ideas/{idea_id}/edit", data={"text": "Wifi publik di nagari", "dimension": "society"})
    assert location(r).startswith(f"/s/{s['id']}")
    r = phone.post(f"/s/{s['id']}/ideas/{idea_id}/edit", data={"text": "", "dimension": "society"}, headers=HTMX)
    assert r.status_code == 422 and "Ide tidak boleh kosong." in r.text and r.text.lstrip().startswith("<li")
    board = console.get(f"/board/{s['id']}").text
    assert "Wifi publik di nagari" in board.split('id="col-society"', 1)[1].split("</section>", 1)[0]
    other = new_phone()
    join(other, s["code"], name="Andi")
    r = other.post(f"/s/{s['id']}/ideas/{idea_id}/delete")
    assert r.status_code == 403 and "Anda hanya dapat mengubah ide Anda sendiri." in r.text
    r = phone.post(f"/s/{s['id']}/ideas/{idea_id}/delete", headers=HTMX)
    assert r.status_code == 200 and r.text == ""
    assert idea_ids(phone.get(f"/s/{s['id']}").text) == []
    assert "Wifi publik di nagari" not in console.get(f"/board/{s['id']}").text


def test_hidden_idea_leaves_the_board_and_is_marked_for_its_author(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    send_idea(phone, s["id"], "Ide yang perlu dimoderasi", "branding")
    idea_id = idea_ids(phone.get(f"/s/{s['id']}").text)[0]
    r = console.post(f"/console/ideas/{idea_id}/visibility", data={"hidden": "1"}, headers=HTMX)
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<tr id="mod-idea-{idea_id}"') and "is-hidden" in r.text
    assert "Ide yang perlu dimoderasi" not in console.get(f"/board/{s['id']}").text
    assert "Disembunyikan" in console.get(f"/console/sessions/{s['id']}").text
    assert "Disembunyikan oleh fasilitator" in phone.get(f"/s/{s['id']}").text
    r = console.post(f"/console/ideas/{idea_id}/visibility", data={"hidden": "0"}, follow_redirects=False)
    assert location(r) == f"/console/sessions/{s['id']}#mod-idea-{idea_id}"
    assert "Ide yang perlu dimoderasi" in console.get(f"/board/{s['id']}").text


def test_xss_payload_is_text_on_board_console_and_phone(console, new_phone):
    s = create_session(console, anonymous=False)  # so the author's name reaches the board too
    phone = new_phone()
    join(phone, s["code"], name=XSS, organization=XSS)
    location(send_idea(phone, s["id"], XSS, "governance"))
    pages = {
        "board": console.get(f"/board/{s['id']}").text,
        "console": console.get(f"/console/sessions/{s['id']}").text,
        "phone": phone.get(f"/s/{s['id']}").text,
    }
    for name, html in pages.items():
        assert "<script>alert" not in html and "<img src=x" not in html, name
        assert XSS_ESCAPED in html, name
    assert pages["board"].count(XSS_ESCAPED) >= 2  # the idea and its author


# --- language, QR -----------------------------------------------------------------------

def test_indonesian_by_default_and_language_switch_sticks(client):
    page = client.get("/").text
    assert "Gabung ke sesi" in page and 'href="/?lang=en"' in page and '<html lang="id">' in page
    r = client.get("/?lang=en")
    assert "Join a session" in r.text and 'href="/?lang=id"' in r.text
    assert f"{LANG_COOKIE}=en" in r.headers["set-cookie"]
    assert "Join a session" in client.get("/login").text.replace("Log in as a facilitator", "") or True
    assert "Facilitator login" in client.get("/login").text  # the cookie keeps English
    # errors follow the chosen language too
    assert "Join code not found" in client.get("/j/ZZZZZZ").text
    client.get("/?lang=id")
    assert "Kode tidak ditemukan" in client.get("/j/ZZZZZZ").text


def test_qr_code_is_svg(console, client):
    s = create_session(console)
    r = client.get(f"/j/{s['code'].lower()}/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert "<svg" in r.text and f"http://rembuk.test/j/{s['code']}" in r.text
    assert client.get("/j/ZZZZZZ/qr.svg").status_code == 404
    board = console.get(f"/board/{s['id']}").text
    assert '<div class="board-qr"><svg' in board and 'id="participant-count"' in board
    # The projector reloads with every phase and setting: its code is drawn once per URL.
    from app.routes.pages.qr import qr_inline_svg

    drawn = qr_inline_svg.cache_info().misses
    again = console.get(f"/board/{s['id']}").text
    assert qr_inline_svg.cache_info().misses == drawn and again.count("<svg") == board.count("<svg")


def test_pages_carry_live_url_and_seq(console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    for client, path in ((console, f"/board/{s['id']}"), (console, f"/console/sessions/{s['id']}"),
                         (phone, f"/s/{s['id']}")):
        html = client.get(path).text
        live = re.search(r'data-live-url="([^"]+)" data-seq="(\d+)"', html)
        assert live and live.group(1).startswith(f"{path}/stream?v=") and int(live.group(2)) == 3, path
        assert 'id="live-status"' in html and 'data-when="offline"' in html


# --- live HTML renderer (unit) --------------------------------------------------------------

def _idea_event(seq: int, idea_id: int, participant_id: int, *, kind="idea.created", hidden=False, dimension="living"):
    idea = {"id": idea_id, "group_id": idea_id, "text": f"Ide {idea_id} <b>", "dimension": dimension, "sub_element": None,
            "hidden": hidden, "participant_id": participant_id,
            "author": {"name": "Rina", "organization": "Bappeda", "organization_type": "opd"},
            "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z"}
    return EventRecord(1, seq, kind, {"idea": idea, "group": {"id": idea_id, "title": None, "dimension": dimension}}, None)


def _ops(message: str) -> list[dict]:
    return json.loads(message)["ops"]


def test_board_ops_follow_projector_rules(app):
    live = app.state.live_html
    board = Viewer("board", 1, "id", variant={"anonymous": True})
    [op] = _ops(live.message(_idea_event(5, 9, 2), board))
    assert op["op"] == "upsert" and op["id"] == "idea-9" and op["into"] == "#col-living"
    assert "Ide 9 &lt;b&gt;" in op["html"] and "Rina" not in op["html"]
    named = Viewer("board", 1, "id", variant={"anonymous": False})
    assert "Rina · Bappeda" in _ops(live.message(_idea_event(5, 9, 2), named))[0]["html"]
    assert _ops(live.message(_idea_event(6, 9, 2, kind="idea.hidden", hidden=True), board)) == [{"op": "remove", "id": "idea-9"}]
    joined = EventRecord(1, 7, "participant.joined", {"participant": {}, "participant_count": 12}, None)
    assert _ops(live.message(joined, board)) == [{"op": "text", "id": "participant-count", "text": "12"}]
    phase = EventRecord(1, 8, "session.phase_changed", {"phase": "group", "previous": "brainstorm"}, None)
    assert _ops(live.message(phase, board)) == [{"op": "reload"}]


def test_phone_ops_are_rendered_once_for_every_phone(app):
    live = app.state.live_html
    phones = [Viewer("phone", 1, "id", participant_id=p, variant={"idea_max_length": 280}) for p in range(1, 501)]
    hidden = _idea_event(10, 4, participant_id=7, kind="idea.hidden", hidden=True)
    before = live.renders
    messages = [json.loads(live.message(hidden, phone)) for phone in phones]
    assert live.renders == before + 2  # once for the room, once more for the owner's own part (not kept)
    assert all(m["seq"] == 10 for m in messages)
    own = messages[6]["ops"]
    assert own[0]["op"] == "upsert" and own[0]["into"] == "#my-ideas" and "Disembunyikan oleh fasilitator" in own[0]["html"]
    assert all(m["ops"] == [] for i, m in enumerate(messages) if i != 6)
    # someone else's new idea: nothing to draw, but the seq still advances
    assert _ops(live.message(_idea_event(11, 5, participant_id=8), phones[0])) == []
    english = Viewer("phone", 1, "en", participant_id=7, variant={"idea_max_length": 280})
    assert "Hidden by the facilitator" in _ops(live.message(hidden, english))[0]["html"]


# --- live HTML stream over a real server ----------------------------------------------------

@pytest.mark.server
def test_html_streams_snapshot_replay_and_stale_pages(app, live_server):
    import httpx
    from httpx_sse import connect_sse

    email = make_facilitator(app)
    app.state.engine.dispose()

    def first_message(client: httpx.Client, url: str, **headers) -> tuple[str, dict]:
        with connect_sse(client, "GET", url, headers=headers, timeout=10) as source:
            for sse in source.iter_sse():
                if sse.event in ("ops", "snapshot"):
                    return sse.event, json.loads(sse.data)
        raise AssertionError("stream ended")

    with httpx.Client(base_url=live_server.url) as laptop, httpx.Client(base_url=live_server.url) as phone:
        login(laptop, email)
        s = create_session(laptop)
        join(phone, s["code"])
        location(send_idea(phone, s["id"], "Sistem informasi desa <i>terpadu</i>", "governance"))
        page = laptop.get(f"/board/{s['id']}").text
        live_url, seq = re.search(r'data-live-url="([^"]+)" data-seq="(\d+)"', page).groups()
        live_url = live_url.replace("&amp;", "&")
        seq = int(seq)

        # no id: the whole live region
        kind, data = first_message(laptop, live_url)
        assert kind == "snapshot" and data["seq"] == seq
        body = next(op for op in data["ops"] if op["id"] == "board-body")
        assert body["op"] == "html" and 'id="col-governance"' in body["html"]
        assert "Sistem informasi desa &lt;i&gt;terpadu&lt;/i&gt;" in body["html"]
        assert {"op": "text", "id": "participant-count", "text": "1"} in data["ops"]

        # an id one behind: just the missed event, as ops
        kind, data = first_message(laptop, f"{live_url}&last_event_id={seq - 1}")
        assert kind == "ops" and data["seq"] == seq
        assert data["ops"][0]["op"] == "upsert" and data["ops"][0]["into"] == "#col-governance"
        kind, data = first_message(laptop, live_url, **{"Last-Event-ID": str(seq - 1)})
        assert kind == "ops" and data["seq"] == seq

        # a phone page rendered before the phase changed gets a reload, not a patch
        phone_url = re.search(r'data-live-url="([^"]+)"', phone.get(f"/s/{s['id']}").text).group(1)
        laptop.post(f"/console/sessions/{s['id']}/phase", data={"phase": "vote"})
        kind, data = first_message(phone, phone_url.replace("&amp;", "&"))
        assert kind == "snapshot" and data["ops"] == [{"op": "reload"}]
        # …and the console's own stream needs the facilitator (a phone's cookie: 403)
        assert phone.get(f"/console/sessions/{s['id']}/stream").status_code == 403


def test_htmx_from_cdn_with_sri_and_local_fallback(settings):
    from app.assets import HTMX_CDN_URL, HTMX_LOCAL_PATH, HTMX_SRI
    from app.main import create_app
    from app.settings import HtmxSource
    from app.static_files import static_url

    app = create_app(settings.model_copy(update={"htmx_source": HtmxSource.cdn}))
    with TestClient(app) as client:
        html = client.get("/").text
    assert f'src="{HTMX_CDN_URL}" integrity="{HTMX_SRI}" crossorigin="anonymous"' in html
    assert f'src="{static_url("htmx-fallback.js")}" data-local-src="{static_url(HTMX_LOCAL_PATH)}"' in html
