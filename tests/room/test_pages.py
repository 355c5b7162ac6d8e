"""Running the room in HTML: the remote's forms (without JavaScript and with htmx),
what the projector and the phones show for the room's settings, the timer and the
focus, and the live HTML ops each screen gets for the room's events."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.models import Session
from app.realtime.feed import EventRecord
from app.realtime.viewer import Viewer
from app.security import FACILITATOR_COOKIE
from app.services.timer import now_ms
from tests.builders import PASSWORD

HTMX = {"HX-Request": "true"}
NOT_RUNNING = "Timer tidak berjalan: mulai dulu."


# --- helpers ---------------------------------------------------------------------------

class Console:
    """The facilitator: logged in through the form (the pages' cookie) and with a
    token for the API (to set things up and read them back)."""

    def __init__(self, api, client: TestClient) -> None:
        email = "dewi@kominfo.go.id"
        self.api, self.client = api, client
        self.fac = api.facilitator(email)
        r = client.post("/login", data={"email": email, "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303 and FACILITATOR_COOKIE in client.cookies, r.text
        self.session = api.session(self.fac)
        self.id = self.session["id"]
        self.base = f"/console/sessions/{self.id}"

    def post(self, action: str, data: dict, *, htmx: bool = False, next_url: str | None = None):
        data = {"next": f"{self.base}/remote" if next_url is None else next_url, **data}
        return self.client.post(f"{self.base}/{action}", data=data, headers=HTMX if htmx else {},
                                follow_redirects=False)

    def get(self) -> dict:
        return self.api.client.get(f"/api/v1/sessions/{self.id}", headers=self.fac).json()

    def patch(self, **body) -> None:
        r = self.api.client.patch(f"/api/v1/sessions/{self.id}", json=body, headers=self.fac)
        assert r.status_code == 200, r.text

    def board(self) -> str:
        r = self.client.get(f"/board/{self.id}")
        assert r.status_code == 200, r.text
        return r.text


@pytest.fixture
def new_phone(app):
    """Another device: its own cookie jar, joined through the form."""
    made: list[TestClient] = []

    def factory(code: str, name: str = "Rina") -> TestClient:
        phone = TestClient(app, follow_redirects=False)
        made.append(phone)
        r = phone.post("/join", data={"join_code": code, "name": name, "organization_type": "opd",
                                      "organization": "Diskominfo"})
        assert r.status_code == 303, r.text
        return phone

    yield factory
    for phone in made:
        phone.close()


def send_idea(phone: TestClient, session_id: int, text: str, dimension: str = "living") -> int:
    page = phone.get(f"/s/{session_id}").text
    client_id = re.search(r'name="client_id" value="([0-9a-f]{32})"', page).group(1)
    r = phone.post(f"/s/{session_id}/ideas", data={"text": text, "dimension": dimension, "sub_element": "",
                                                   "client_id": client_id})
    assert r.status_code == 303, r.text
    return max(int(i) for i in re.findall(r'id="my-idea-(\d+)"', phone.get(f"/s/{session_id}").text))


def pressed(html: str, setting: str, value: str = r"[^\"]*") -> str:
    """The ``aria-pressed`` of a remote toggle (a board view: give its value)."""
    found = re.search(rf'name="setting" value="{setting}"><input type="hidden" name="value" value="{value}">\s*'
                      r'<button[^>]*aria-pressed="(true|false)"', html)
    assert found, setting
    return found.group(1)


def timer_attrs(html: str) -> dict[str, str]:
    tag = re.search(r'<div id="timer"[^>]*>', html).group(0)
    return dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', tag))


# --- the remote ----------------------------------------------------------------------------

def test_remote_page_has_the_phases_the_timer_presets_and_the_toggles(api, client):
    console = Console(api, client)
    r = client.get(f"{console.base}/remote")
    assert r.status_code == 200
    html = r.text
    assert 'class="phase-steps"' in html and 'value="brainstorm" aria-current="step"' in html
    assert all(f'name="minutes" value="{m}"' in html for m in (3, 5, 10))
    assert 'name="custom_minutes"' in html and 'id="remote"' in html
    assert [pressed(html, s) for s in ("input_locked", "board_hidden", "lock_when_timer_ends")] == ["false"] * 3
    assert pressed(html, "show_join_panel") == "true"
    assert pressed(html, "board_view", "columns") == "true" and pressed(html, "board_view", "cloud") == "false"


def test_a_toggle_without_javascript_goes_back_where_it_came_from(api, client):
    console = Console(api, client)
    r = console.post("room", {"setting": "input_locked", "value": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"{console.base}/remote"
    assert console.get()["input_locked"] is True
    assert pressed(client.get(f"{console.base}/remote").text, "input_locked") == "true"
    r = console.post("room", {"setting": "input_locked", "value": "0"}, next_url=console.base)
    assert r.headers["location"] == console.base and console.get()["input_locked"] is False
    for outside in ("https://evil.example", "//evil.example", "/console/sessions/999/remote", "/console"):
        r = console.post("board-page", {"step": "1"}, next_url=outside)
        assert r.status_code == 303 and r.headers["location"] == console.base, outside


def test_a_toggle_with_htmx_answers_the_panel(api, client):
    console = Console(api, client)
    r = console.post("room", {"setting": "board_hidden", "value": "1"}, htmx=True)
    assert r.status_code == 200 and r.text.lstrip().startswith('<section id="remote"')
    assert "<html" not in r.text and pressed(r.text, "board_hidden") == "true"
    assert console.get()["board_hidden"] is True
    r = console.post("room", {"setting": "board_view", "value": "cloud"}, htmx=True)
    assert pressed(r.text, "board_view", "cloud") == "true" and pressed(r.text, "board_view", "columns") == "false"
    assert console.get()["board_view"] == "cloud"


def test_a_refused_timer_action_says_why_in_indonesian(api, client):
    console = Console(api, client)
    before = console.get()["last_seq"]
    r = console.post("timer", {"action": "pause"}, htmx=True)
    assert r.status_code == 409 and 'id="remote"' in r.text and NOT_RUNNING in r.text and "<html" not in r.text
    r = console.post("timer", {"action": "pause"})
    assert r.status_code == 409 and "<html" in r.text and NOT_RUNNING in r.text and 'class="phase-steps"' in r.text
    assert console.get()["last_seq"] == before


def test_timer_form_starts_a_preset_or_typed_minutes(api, client):
    console = Console(api, client)
    assert console.post("timer", {"action": "start", "minutes": "3"}).status_code == 303
    assert console.get()["timer"]["duration_seconds"] == 180 and console.get()["timer"]["state"] == "running"
    console.post("timer", {"action": "stop"})
    assert console.post("timer", {"action": "start", "custom_minutes": "7"}).status_code == 303
    assert console.get()["timer"]["duration_seconds"] == 420
    console.post("timer", {"action": "stop"})
    for minutes, message in (("abc", "Menit harus berupa bilangan bulat."), ("0", "Menit harus antara 1 dan 240."),
                             ("", "Ketik berapa menit timer berjalan.")):
        r = console.post("timer", {"action": "start", "minutes": minutes}, htmx=True)
        assert r.status_code == 422 and message in r.text, (minutes, r.text[:300])
    assert console.get()["timer"]["state"] == "stopped"


def test_room_form_refuses_what_is_not_a_room_setting(api, client):
    console = Console(api, client)
    before = console.get()
    for data in ({"setting": "anonymous", "value": "0"}, {"setting": "bogus", "value": "1"},
                 {"setting": "board_view", "value": "map"}):
        r = console.post("room", data, htmx=True)
        assert r.status_code == 422 and 'id="remote"' in r.text, data
    assert "Pengaturan tidak dikenal." in console.post("room", {"setting": "bogus", "value": "1"}, htmx=True).text
    after = console.get()
    assert (after["anonymous"], after["board_view"], after["last_seq"]) == \
        (before["anonymous"], before["board_view"], before["last_seq"])


def test_a_page_turn_of_zero_is_refused_like_the_api_does(api, client):
    console = Console(api, client)
    before = console.get()["last_seq"]
    assert console.post("board-page", {"step": "0"}, htmx=True).status_code == 422
    assert console.get()["last_seq"] == before


# --- the projector and the phones ------------------------------------------------------------

def test_hidden_texts_show_counts_on_the_projector_and_own_ideas_on_the_phone(api, client, new_phone):
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    send_idea(phone, console.id, "Aplikasi antrean online RSUD")
    assert "Aplikasi antrean online RSUD" in console.board()
    console.patch(board_hidden=True)
    board = console.board()
    assert 'class="hidden-board"' in board and "Aplikasi antrean online RSUD" not in board
    assert re.search(r'class="hidden-total"><strong>1</strong>', board)
    mine = phone.get(f"/s/{console.id}").text
    assert 'id="my-idea-' in mine and "Aplikasi antrean online RSUD" in mine


def test_the_projector_shows_the_word_cloud_and_the_wall(api, client, new_phone):
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    for text in ("Antrean online RSUD", "Antrean pasar digital", "Bank sampah digital"):
        send_idea(phone, console.id, text)
    console.patch(board_view="cloud")
    board = console.board()
    words = re.findall(r'class="cloud-word[^"]*"[^>]*>([^<]+)<', board)
    assert {"antrean", "digital"} <= {w.lower() for w in words}, words
    console.patch(board_view="wall")
    board = console.board()
    wall = board[board.index('id="wall"'):]
    assert all(t in wall for t in ("Antrean online RSUD", "Antrean pasar digital", "Bank sampah digital"))
    assert 'class="cloud-word' not in board


def test_a_focused_idea_fills_the_projector_and_phones_name_it(api, client, new_phone):
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    idea_id = send_idea(phone, console.id, "Wi-Fi gratis di objek wisata pantai")
    other = new_phone(console.session["join_code"], name="Budi")
    assert f'id="focus-idea-{idea_id}"' not in other.get(f"/s/{console.id}").text
    r = api.client.put(f"/api/v1/sessions/{console.id}/focus", json={"idea_id": idea_id}, headers=console.fac)
    assert r.status_code == 200, r.text
    board = console.board()
    view = board[board.index('class="focus-view'):]
    assert "Wi-Fi gratis di objek wisata pantai" in view[:view.index("</section>")]
    banner = other.get(f"/s/{console.id}").text
    assert f'id="focus-idea-{idea_id}"' in banner and "Sedang dibahas" in banner


def test_a_phone_while_input_is_closed(api, app, client, new_phone):
    """Paused input: the phone says so and keeps what was typed. Time up: the remote
    tells the facilitator what to do, the phone knows why it cannot send."""
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    assert 'data-input-locked="1"' not in phone.get(f"/s/{console.id}").text
    console.patch(input_locked=True)
    page = phone.get(f"/s/{console.id}").text
    assert re.search(r'<main id="main"[^>]*data-input-locked="1"', page)
    client_id = re.search(r'name="client_id" value="([0-9a-f]{32})"', page).group(1)
    r = phone.post(f"/s/{console.id}/ideas", data={"text": "Teks yang diketik", "dimension": "living",
                                                   "sub_element": "", "client_id": client_id}, headers=HTMX)
    assert r.status_code == 409 and "Teks yang diketik" in r.text
    assert re.search(r'class="alert alert-error" role="alert">Fasilitator menjeda pengiriman', r.text)
    console.patch(input_locked=False, lock_when_timer_ends=True)
    assert "Waktu habis: ponsel tidak bisa mengirim." not in client.get(f"{console.base}/remote").text
    with app.state.sessions() as db:  # a timer that ran out a second ago, without waiting for it
        session = db.get(Session, console.id)
        session.timer_state, session.timer_ends_at_ms, session.timer_duration_ms = "running", now_ms() - 1000, 60_000
        db.commit()
    assert re.search(r'<body[^>]*data-input-closed="time_up"', phone.get(f"/s/{console.id}").text)
    assert "Waktu habis: ponsel tidak bisa mengirim." in client.get(f"{console.base}/remote").text


def test_join_panel_until_it_is_put_in_the_corner(api, client):
    console = Console(api, client)
    board = console.board()
    assert 'class="board-side"' in board and 'class="join-chip"' not in board
    console.patch(show_join_panel=False)
    board = console.board()
    assert 'class="join-chip"' in board and 'class="board-side"' not in board
    assert console.session["join_code"] in board  # still on the chip


def test_timer_element_carries_the_server_state(api, client, new_phone):
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    assert timer_attrs(console.board())["data-state"] == "stopped"
    r = api.client.put(f"/api/v1/sessions/{console.id}/timer", json={"action": "start", "seconds": 120},
                       headers=console.fac)
    ends_at = r.json()["ends_at"]
    console.patch(lock_when_timer_ends=True)
    for html in (console.board(), phone.get(f"/s/{console.id}").text, client.get(f"{console.base}/remote").text):
        attrs = timer_attrs(html)
        assert attrs["data-state"] == "running" and attrs["data-ends-at"] == ends_at
        assert 110 <= int(attrs["data-remaining"]) <= 120 and attrs["data-lock-at-zero"] == "1"


def test_word_cloud_fragment_is_the_facilitators_only(api, client, new_phone):
    console = Console(api, client)
    phone = new_phone(console.session["join_code"])
    send_idea(phone, console.id, "Antrean online RSUD")
    r = client.get(f"/board/{console.id}/cloud")
    assert r.status_code == 200 and 'class="cloud-word' in r.text and "<html" not in r.text
    r = phone.get(f"/board/{console.id}/cloud")
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/board/{console.id}/cloud"


# --- live HTML ops (unit) ------------------------------------------------------------------------

SESSION = {"id": 1, "phase": "brainstorm", "anonymous": True, "idea_max_length": 280, "vote_budget": 5,
           "max_votes_per_group": 3, "participants_can_group": False, "live_votes": False, "layout": "dimensions",
           "quick_win_threshold": 3.5, "commitment_open": False, "join_locked": False, "input_locked": True,
           "board_hidden": False, "board_view": "columns", "show_join_panel": True, "lock_when_timer_ends": False}
TIMER = {"state": "running", "ends_at": "2026-11-27T10:05:00.000Z", "remaining_seconds": 300,
         "server_now": "2026-11-27T10:00:00.000Z", "duration_seconds": 300}


def screens(**phone_room):
    board = Viewer("board", 1, "id", variant={"anonymous": True, "phase": "brainstorm", "board_view": "columns",
                                              "board_hidden": False, "focused": False})
    console = Viewer("console", 1, "id", variant={"phase": "brainstorm", "layout": "dimensions",
                                                  "quick_win_threshold": 3.5})
    phone = Viewer("phone", 1, "id", participant_id=5, variant={
        "idea_max_length": 280, "phase": "brainstorm", "layout": "dimensions", "focus_idea": None,
        "focus_group": None, **phone_room})
    return board, console, phone


def ops(live, record, viewer) -> list[dict]:
    return json.loads(live.message(record, viewer))["ops"]


def test_timer_changes_set_the_timer_on_every_screen(app):
    live = app.state.live_html
    board, console, phone = screens()
    record = EventRecord(1, 5, "timer.changed", {"timer": TIMER, "action": "start"}, None)
    expected = [{"op": "attr", "id": "timer", "name": "data-state", "value": "running"},
                {"op": "attr", "id": "timer", "name": "data-ends-at", "value": "2026-11-27T10:05:00.000Z"},
                {"op": "attr", "id": "timer", "name": "data-remaining", "value": 300},
                {"op": "attr", "id": "timer", "name": "data-duration", "value": 300}]
    assert ops(live, record, board) == expected
    assert ops(live, record, phone) == expected
    assert ops(live, record, console) == [*expected, {"op": "emit", "event": "room"}]


def test_room_settings_do_not_reload_phones_or_the_console(app):
    """A ballroom of phones keeps what people typed when input is paused."""
    live = app.state.live_html
    board, console, phone = screens()
    record = EventRecord(1, 6, "session.updated", {"session": SESSION, "changed": ["input_locked"]}, None)
    phone_ops = ops(live, record, phone)
    assert {"op": "attr", "id": "main", "name": "data-input-locked", "value": "1"} in phone_ops
    assert {"op": "reload"} not in phone_ops
    assert ops(live, record, console) == [{"op": "emit", "event": "room"}]
    assert ops(live, record, board) == [{"op": "reload"}]
    opened = EventRecord(1, 7, "session.updated", {"session": {**SESSION, "input_locked": False},
                                                   "changed": ["input_locked"]}, None)
    assert {"op": "attr", "id": "main", "name": "data-input-locked", "value": None} in ops(live, opened, phone)


def test_other_settings_still_reload_a_phone_in_the_vote(app):
    live = app.state.live_html
    _, console, phone = screens(phase="vote", vote_budget=5)
    record = EventRecord(1, 8, "session.updated", {"session": {**SESSION, "phase": "vote", "vote_budget": 3},
                                                   "changed": ["vote_budget"], "votes_left": {}}, None)
    assert ops(live, record, phone) == [{"op": "reload"}]
    assert ops(live, record, console) == [{"op": "reload"}]


def test_page_turns_reach_the_projector_only(app):
    live = app.state.live_html
    board, _, phone = screens()
    record = EventRecord(1, 9, "board.paged", {"step": 1}, None)
    assert ops(live, record, board) == [{"op": "emit", "event": "turn", "detail": {"step": 1}}]
    assert ops(live, record, phone) == []


def test_focus_changes_draw_the_phones_banner(app):
    live = app.state.live_html
    board, console, phone = screens()
    focus = {"group_id": None, "idea_id": 9, "label": "Ide <b>9</b>"}
    record = EventRecord(1, 10, "focus.changed", {"focus": focus}, None)
    [banner] = ops(live, record, phone)
    assert banner["op"] == "html" and banner["id"] == "focus-banner"
    assert 'id="focus-idea-9"' in banner["html"] and "Ide &lt;b&gt;9&lt;/b&gt;" in banner["html"]
    assert ops(live, record, board) == [{"op": "reload"}]
    assert ops(live, record, console) == [{"op": "emit", "event": "room"}]
    cleared = EventRecord(1, 11, "focus.changed", {"focus": {"group_id": None, "idea_id": None, "label": None}}, None)
    [empty] = ops(live, cleared, phone)
    assert empty["id"] == "focus-banner" and "focus-idea" not in empty["html"]


def _hidden(seq: int, idea_id: int, hidden: bool = True) -> EventRecord:
    idea = {"id": idea_id, "group_id": idea_id, "text": f"Ide {idea_id}", "dimension": "living", "sub_element": None,
            "hidden": hidden, "participant_id": 2, "author": None, "created_at": "2026-11-27T10:00:00Z",
            "updated_at": "2026-11-27T10:00:00Z"}
    return EventRecord(1, seq, "idea.hidden", {"idea": idea, "group": {"id": idea_id, "title": None,
                                                                      "dimension": "living"}}, None)


def test_hiding_the_focused_idea_takes_the_banner_off_the_phones(app):
    live = app.state.live_html
    phones = [Viewer("phone", 1, "id", participant_id=p, variant={
        "idea_max_length": 280, "phase": "brainstorm", "focus_idea": 9, "focus_group": None}) for p in range(3, 503)]
    assert ops(live, _hidden(12, 9), phones[0]) == [{"op": "remove", "id": "focus-idea-9"}]
    # Shown again: the focus never left the session, so the banner comes back.
    [back] = ops(live, _hidden(14, 9, hidden=False), phones[1])
    assert back["op"] == "html" and back["id"] == "focus-banner"
    assert 'id="focus-idea-9"' in back["html"] and "Ide 9" in back["html"]
    before = live.renders
    others = [ops(live, _hidden(13, 4), phone) for phone in phones]
    assert all(o == [] for o in others)  # 500 phones, nothing to draw
    assert live.renders == before + 1  # rendered once for all of them
