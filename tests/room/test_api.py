"""Running the room through the JSON API: the timer, the focus, the projector's pages,
the room's settings and input locked (by hand, or when the timer reaches zero).

Every change records exactly one event; a repeat that changes nothing records none;
a refusal writes nothing. Runs on SQLite and, with REMBUK_TEST_DATABASE_URL, on
PostgreSQL (the lock under concurrency and the timer's expiry on both).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from functools import partial

import pytest
from sqlalchemy import func, select

from app.domain import TIMER_MAX_SECONDS
from app.models import Event, Idea
from app.services import board as board_service
from app.services.audience import FACILITATOR
from app.services.audience import phone as audience_of
from app.services.timer import Timer
from tests.support.reducer import reduce

# app/locale/id/LC_MESSAGES/messages.po, the msgids of app/services/input_lock.py
LOCKED = ("Fasilitator menjeda pengiriman sebentar. Tunggu sampai dibuka lagi; "
          "tidak ada yang sudah Anda kirim yang hilang.")
TIME_UP = "Waktu habis: pengiriman ditutup sampai fasilitator menambah waktu."
NOT_RUNNING = "Timer tidak berjalan: mulai dulu."
TIMER_KEYS = {"state", "ends_at", "remaining_seconds", "server_now", "duration_seconds"}


# --- helpers ---------------------------------------------------------------------------

def events_after(app, session_id: int, seq: int = 0) -> list[Event]:
    with app.state.sessions() as db:
        return list(db.scalars(select(Event).where(Event.session_id == session_id, Event.seq > seq)
                               .order_by(Event.seq)))


def idea_rows(app, session_id: int) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(func.count()).select_from(Idea).where(Idea.session_id == session_id))


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


class Room:
    """A facilitator, a session in brainstorm and one phone."""

    def __init__(self, api, **settings) -> None:
        self.api, self.client = api, api.client
        self.fac = api.facilitator()
        self.session = api.session(self.fac)
        self.id = self.session["id"]
        if settings:
            self.patch(**settings)
        self.phone = api.join(self.session["join_code"])

    def get(self) -> dict:
        r = self.client.get(f"/api/v1/sessions/{self.id}", headers=self.fac)
        assert r.status_code == 200, r.text
        return r.json()

    def seq(self) -> int:
        return self.get()["last_seq"]

    def patch(self, **body) -> dict:
        r = self.client.patch(f"/api/v1/sessions/{self.id}", json=body, headers=self.fac)
        assert r.status_code == 200, r.text
        return r.json()

    def put(self, what: str, body: dict, status: int) -> dict:
        r = self.client.put(f"/api/v1/sessions/{self.id}/{what}", json=body, headers=self.fac)
        assert r.status_code == status, r.text
        return r.json()

    def timer(self, action: str, seconds: int | None = None, *, status: int = 200) -> dict:
        return self.put("timer", {"action": action, **({} if seconds is None else {"seconds": seconds})}, status)

    def focus(self, *, status: int = 200, **body) -> dict:
        return self.put("focus", body, status)

    def send(self, text: str = "Aplikasi antrean online RSUD", phone=None, **extra):
        return self.client.post(f"/api/v1/sessions/{self.id}/ideas", json={"text": text, **extra},
                                headers=(phone or self.phone).headers)

    def one_event(self, after: int, kind: str) -> dict:
        """The only event recorded since ``after``: of this type; its payload."""
        rows = events_after(self.client.app, self.id, after)
        assert [r.type for r in rows] == [kind], [(r.type, r.payload) for r in rows]
        return rows[0].payload


def together(*jobs) -> None:
    """Run the jobs in threads, released at once (TestClient serves them concurrently)."""
    barrier, errors = threading.Barrier(len(jobs)), []

    def run(job) -> None:
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not errors, errors


def refused(r, status: int, detail: str | None = None) -> None:
    assert r.status_code == status, r.text
    if detail is not None:
        assert r.json()["detail"] == detail


# --- the timer -------------------------------------------------------------------------

def test_start_gives_one_end_time_every_screen_counts_to(api):
    room = Room(api)
    before = room.seq()
    shown = room.timer("start", 300)
    assert set(shown) == TIMER_KEYS
    assert shown["state"] == "running" and shown["remaining_seconds"] == 300 and shown["duration_seconds"] == 300
    assert (when(shown["ends_at"]) - when(shown["server_now"])).total_seconds() == 300
    assert room.one_event(before, "timer.changed") == {"timer": shown, "action": "start"}
    on_get = room.get()["timer"]
    assert set(on_get) == TIMER_KEYS and on_get["ends_at"] == shown["ends_at"] and on_get["state"] == "running"
    assert 298 <= on_get["remaining_seconds"] <= 300


def test_pause_keeps_what_is_left_add_extends_it_and_each_step_is_one_event(api):
    room = Room(api)
    room.timer("start", 120)
    steps = [("pause", None), ("add", None), ("resume", None), ("add", 30), ("stop", None)]
    shown = []
    for action, seconds in steps:
        before = room.seq()
        shown.append(room.timer(action, seconds))
        assert room.one_event(before, "timer.changed") == {"timer": shown[-1], "action": action}
    paused, more, resumed, added, stopped = shown
    assert paused["state"] == "paused" and paused["ends_at"] is None and 118 <= paused["remaining_seconds"] <= 120
    # "+1 min" by default; while paused it adds to what is left
    assert more["state"] == "paused" and more["remaining_seconds"] == paused["remaining_seconds"] + 60
    assert more["duration_seconds"] == 180
    assert resumed["state"] == "running" and resumed["remaining_seconds"] == more["remaining_seconds"]
    assert added["state"] == "running" and added["duration_seconds"] == 210
    assert stopped == {**stopped, "state": "stopped", "ends_at": None, "remaining_seconds": 0, "duration_seconds": 0}
    assert room.get()["timer"]["state"] == "stopped"


def test_timer_repeats_record_nothing_and_nonsense_is_refused(api):
    """A retried tap on weak Wi-Fi: the same answer, no event, no flicker on screens.
    Pausing a timer that is not running is a 409; a bad length a 422."""
    room = Room(api)
    before = room.seq()
    assert room.timer("stop")["state"] == "stopped"  # already stopped
    for action in ("pause", "resume", "add"):
        assert room.timer(action, status=409)["detail"] == NOT_RUNNING
    for body in ({"action": "start"}, {"action": "start", "seconds": 0}, {"action": "start", "seconds": 14401},
                 {"action": "start", "seconds": "60"}, {"action": "rewind"},
                 {"action": "start", "seconds": 60, "x": 1}):
        room.put("timer", body, 422)
    assert room.seq() == before
    room.timer("start", 60)
    room.timer("add", 3601, status=422)  # at most an hour at once
    assert room.timer("resume")["state"] == "running"
    paused = room.timer("pause")
    again = room.timer("pause")
    assert again["state"] == "paused" and again["remaining_seconds"] == paused["remaining_seconds"]
    assert room.seq() == before + 2  # the start and the first pause only
    assert room.get()["timer"]["duration_seconds"] == 60


def test_remaining_seconds_rounds_up_like_a_countdown():
    now = 1_700_000_000_000
    assert Timer("running", now + 9_001, 0, 10_000).public(now)["remaining_seconds"] == 10
    assert Timer("running", now + 1, 0, 10_000).public(now)["remaining_seconds"] == 1  # not 0: time is not up yet
    assert Timer("running", now - 5, 0, 10_000).public(now)["remaining_seconds"] == 0
    assert Timer("paused", None, 59_500, 60_000).public(now)["remaining_seconds"] == 60


def test_time_added_at_the_four_hour_cap_does_not_stretch_the_ring():
    """"+1 hour" on a timer near four hours adds only up to the cap; the length grows
    by what was added, so the ring still shows the share of time that is left."""
    now = 1_700_000_000_000
    cap = TIMER_MAX_SECONDS * 1000
    running = Timer("running", now + cap - 600_000, 0, cap - 600_000).apply("add", 3600, now)
    assert running.ends_at_ms == now + cap and running.duration_ms == cap
    paused = Timer("paused", None, cap - 60_000, cap).apply("add", 3600, now)
    assert paused.remaining_ms == cap and paused.duration_ms == cap + 60_000
    ordinary = Timer("running", now + 30_000, 0, 120_000).apply("add", 60, now)
    assert ordinary.duration_ms == 180_000 and ordinary.left_ms(now) == 90_000


# --- input closed when the timer reaches zero ----------------------------------------

def test_time_up_closes_input_until_more_time_or_stop(api, app):
    """The race at zero: a submit a moment after zero is refused and writes nothing;
    "+1 min" counts from now and opens input again, so does stopping the timer.
    Without ``lock_when_timer_ends`` zero closes nothing."""
    added, stopped, relaxed = Room(api, lock_when_timer_ends=True), Room(api, lock_when_timer_ends=True), Room(api)
    stopped.timer("start", 600)
    assert stopped.send("Sebelum nol").status_code == 201  # running, not at zero: open
    for room in (added, stopped, relaxed):
        room.timer("start", 1)
    time.sleep(1.3)
    rows = idea_rows(app, added.id)
    for room in (added, stopped):
        refused(room.send("Terlambat", client_id="late-1"), 409, TIME_UP)
    assert idea_rows(app, added.id) == rows
    up = added.get()["timer"]
    assert up["state"] == "running" and up["remaining_seconds"] == 0  # time up is derived, nothing was written
    assert relaxed.get()["timer"]["remaining_seconds"] == 0 and relaxed.send("Tanpa kunci").status_code == 201
    more = added.timer("add", 60)
    assert more["remaining_seconds"] == 60 and more["duration_seconds"] == 61
    assert (when(more["ends_at"]) - when(more["server_now"])).total_seconds() == 60  # from now, not from zero
    assert added.send("Terlambat", client_id="late-1").status_code == 201
    assert idea_rows(app, added.id) == rows + 1
    stopped.timer("stop")
    assert stopped.send("Timer dihentikan").status_code == 201


def test_pausing_when_time_is_up_does_not_reopen_input(api):
    """"Sending is closed until the facilitator gives more time": a pause is not more time."""
    room = Room(api, lock_when_timer_ends=True)
    room.timer("start", 1)
    time.sleep(1.3)
    assert room.timer("pause")["remaining_seconds"] == 0
    refused(room.send("Setelah jeda"), 409, TIME_UP)


# --- input locked by the facilitator ---------------------------------------------------

def test_locked_input_refuses_ideas_but_keeps_what_was_acknowledged(api):
    room = Room(api)
    idea = api.idea(room.phone, "Antrean online RSUD", client_id="rina-1")
    other = api.idea(room.phone, "Satu data kependudukan", client_id="rina-2")
    assert room.patch(input_locked=True)["input_locked"] is True
    before = room.seq()
    refused(room.send("Ide baru"), 409, LOCKED)
    refused(api.client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Diubah"}, headers=room.phone.headers),
            409, LOCKED)
    refused(api.client.delete(f"/api/v1/ideas/{idea['id']}", headers=room.phone.headers), 409, LOCKED)
    retry = room.send("Antrean online RSUD", client_id="rina-1")  # its answer was lost on the way
    assert retry.status_code == 200 and retry.json()["id"] == idea["id"]
    assert room.seq() == before
    # The facilitator's own work goes on: moderation and grouping.
    r = api.client.post(f"/api/v1/ideas/{other['id']}/visibility", json={"hidden": True}, headers=room.fac)
    assert r.status_code == 200, r.text
    r = api.client.post(f"/api/v1/ideas/{idea['id']}/move", json={"group_id": None}, headers=room.fac)
    assert r.status_code == 200, r.text
    api.phase(room.fac, room.id, "group")
    api.phase(room.fac, room.id, "brainstorm")
    room.patch(input_locked=False)
    assert room.send("Ide baru").status_code == 201


def test_locked_input_refuses_moves_dots_ratings_and_signatures(api):
    room = Room(api, participants_can_group=True)
    first = api.idea(room.phone, "Antrean online RSUD")
    second = api.idea(room.phone, "Antrean puskesmas online")
    group = second["group_id"]
    phone, sid = room.phone.headers, room.id
    calls = {
        "move": ("POST", f"/api/v1/ideas/{first['id']}/move", {"group_id": group}, "group"),
        "cast": ("POST", f"/api/v1/groups/{group}/votes", None, "vote"),
        "retract": ("DELETE", f"/api/v1/groups/{group}/votes", None, "vote"),
        "score": ("PUT", f"/api/v1/groups/{group}/score", {"impact": 4, "feasibility": 3}, "score"),
        "sign": ("POST", f"/api/v1/sessions/{sid}/commitments",
                 {"name": "Rina", "position": "Kabid", "organization": "Diskominfo"}, "results"),
    }
    room.patch(commitment_open=True)
    for name, (method, path, body, phase) in calls.items():
        api.phase(room.fac, sid, phase)
        if name == "retract":  # a dot to take back, given while input was open
            room.patch(input_locked=False)
            assert api.client.post(path, headers=phone).status_code == 201
        room.patch(input_locked=True)
        before = room.seq()
        refused(api.client.request(method, path, json=body, headers=phone), 409, LOCKED)
        assert room.seq() == before, name
        room.patch(input_locked=False)
        r = api.client.request(method, path, json=body, headers=phone)
        assert r.status_code in (200, 201), (name, r.text)


# --- the focus and the projector's pages ------------------------------------------------

def test_focus_on_an_idea_a_group_and_back(api):
    room = Room(api)
    idea = api.idea(room.phone, "Antrean   online\nRSUD")
    before = room.seq()
    shown = room.focus(idea_id=idea["id"])
    assert shown == {"group_id": None, "idea_id": idea["id"], "label": "Antrean online RSUD"}
    assert room.one_event(before, "focus.changed") == {"focus": shown}
    assert room.get()["focus"] == shown
    again = room.seq()
    assert room.focus(idea_id=idea["id"]) == shown
    assert room.seq() == again  # the same focus twice: nothing new on any screen
    grouped = room.focus(group_id=idea["group_id"])
    assert grouped == {"group_id": idea["group_id"], "idea_id": None, "label": "Antrean online RSUD"}
    cleared_at = room.seq()
    cleared = room.focus(group_id=None, idea_id=None)
    assert cleared == {"group_id": None, "idea_id": None, "label": None}
    assert room.one_event(cleared_at, "focus.changed") == {"focus": cleared}
    assert room.get()["focus"] == cleared


def test_focus_refusals_write_nothing(api):
    room = Room(api)
    elsewhere = Room(api)
    idea = api.idea(room.phone, "Antrean online RSUD")
    hidden = api.idea(room.phone, "Ide yang disembunyikan")
    foreign = api.idea(elsewhere.phone, "Ide sesi lain")
    api.client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=room.fac)
    before = room.seq()
    room.focus(status=422, idea_id=idea["id"], group_id=idea["group_id"])
    room.focus(status=404, idea_id=foreign["id"])
    room.focus(status=404, group_id=foreign["group_id"])
    assert room.focus(status=409, idea_id=hidden["id"])["detail"] == \
        "Ide ini disembunyikan: tampilkan lagi sebelum memfokuskannya."
    assert room.seq() == before and room.get()["focus"]["label"] is None


def test_page_turns_are_events_for_the_projector(api):
    room = Room(api)
    for step in (1, -1):
        before = room.seq()
        r = api.client.post(f"/api/v1/sessions/{room.id}/board/page", json={"step": step}, headers=room.fac)
        assert r.status_code == 200 and r.json() == {"seq": before + 1}
        assert room.one_event(before, "board.paged") == {"step": step}
    for step in (0, 2, "1"):
        r = api.client.post(f"/api/v1/sessions/{room.id}/board/page", json={"step": step}, headers=room.fac)
        refused(r, 422)
    r = api.client.post(f"/api/v1/sessions/{room.id}/board/page", json={"step": 1}, headers=room.phone.headers)
    assert r.status_code == 403


# --- the room's settings -----------------------------------------------------------------

def test_room_settings_say_what_changed(api):
    room = Room(api)
    before = room.seq()
    changes = {"input_locked": True, "board_hidden": True, "board_view": "cloud", "lock_when_timer_ends": True,
               "show_join_panel": False}
    out = room.patch(**changes)
    assert {key: out[key] for key in changes} == changes
    payload = room.one_event(before, "session.updated")
    assert payload["changed"] == sorted(changes)
    assert {key: payload["session"][key] for key in changes} == changes
    again = room.seq()
    room.patch(board_view="cloud")
    assert room.one_event(again, "session.updated")["changed"] == []
    room.patch(board_view="wall")
    for body in ({"board_view": "map"}, {"input_locked": "maybe"}):
        refused(api.client.patch(f"/api/v1/sessions/{room.id}", json=body, headers=room.fac), 422)
    assert room.get()["board_view"] == "wall"


# --- the database under a crowd ----------------------------------------------------------

@pytest.mark.database
def test_a_lock_in_the_middle_of_a_burst_of_ideas_is_a_clean_cut(api, app):
    """Six phones send as fast as they can while the facilitator pauses input: every
    idea that got a 201 is in the log before the lock, every answer after is a 409."""
    room = Room(api)
    phones = [api.join(room.session["join_code"], name=f"Peserta {n}") for n in range(6)]
    guard, some_in = threading.Lock(), threading.Event()
    answers: list[tuple[int, float, int, dict]] = []  # phone, sent at, status, body
    locked_at: list[float] = []

    def send(n: int) -> None:
        refusals = 0
        for i in range(25):  # under the 30 a minute a phone may send
            sent = time.monotonic()
            r = room.send(f"Peserta {n} ide {i}", phone=phones[n], client_id=f"{n}-{i}")
            with guard:
                answers.append((n, sent, r.status_code, r.json()))
                if sum(a[2] == 201 for a in answers) >= 6:
                    some_in.set()
            refusals += r.status_code == 409
            if refusals == 3:
                return

    def lock() -> None:
        assert some_in.wait(timeout=60)
        room.patch(input_locked=True)
        locked_at.append(time.monotonic())

    together(*(partial(send, n) for n in range(6)), lock)
    assert {a[2] for a in answers} == {201, 409}, {a[2] for a in answers}
    assert all(a[3]["detail"] == LOCKED for a in answers if a[2] == 409)
    assert all(a[2] == 409 for a in answers if a[1] > locked_at[0])
    for n in range(6):  # a phone's answers: accepted, then refused, never back
        mine = [a[2] for a in answers if a[0] == n]
        assert mine == sorted(mine), (n, mine)
    rows = events_after(app, room.id)
    [lock_seq] = [r.seq for r in rows if r.type == "session.updated" and r.payload["changed"] == ["input_locked"]]
    created = {r.seq: r.payload["idea"]["id"] for r in rows if r.type == "idea.created"}
    accepted = {a[3]["seq"]: a[3]["id"] for a in answers if a[2] == 201}
    assert created == accepted
    assert max(created) < lock_seq == rows[-1].seq
    assert idea_rows(app, room.id) == len(accepted)


@pytest.mark.database
def test_six_taps_on_pause_at_once_record_one_change(api):
    """Remote, console and the projector's key at the same moment: one pause."""
    room = Room(api)
    room.timer("start", 600)
    before, answers = room.seq(), []

    together(*[lambda: answers.append(room.timer("pause")["state"])] * 6)
    assert answers == ["paused"] * 6
    assert room.one_event(before, "timer.changed")["action"] == "pause"


def test_board_plus_room_events_equals_a_fresh_board(api, app):
    """A phone that follows the log through a timer, a focus, page turns, a lock and
    new ideas ends up with exactly the board it would fetch fresh."""
    room = Room(api)
    rina = room.phone
    budi = api.join(room.session["join_code"], name="Budi")
    first = api.idea(rina, "Antrean online RSUD")
    audiences = {"rina": (rina.headers, audience_of(rina.participant_id)),
                 "facilitator": (room.fac, FACILITATOR)}
    before = {name: api.board(headers, room.id) for name, (headers, _) in audiences.items()}
    room.timer("start", 300)
    room.focus(idea_id=first["id"])
    api.client.post(f"/api/v1/sessions/{room.id}/board/page", json={"step": 1}, headers=room.fac)
    room.patch(input_locked=True, board_hidden=True)
    assert room.send("Ditolak").status_code == 409
    room.timer("pause")
    room.patch(input_locked=False, board_view="wall")
    api.idea(budi, "Bank sampah digital")
    second = api.idea(rina, "Wi-Fi gratis di pantai")
    room.focus(idea_id=second["id"])
    api.client.post(f"/api/v1/ideas/{second['id']}/visibility", json={"hidden": True}, headers=room.fac)
    room.timer("add", 120)
    room.timer("stop")
    kinds = {r.type for r in events_after(app, room.id, before["rina"]["last_seq"])}
    assert {"timer.changed", "focus.changed", "board.paged", "session.updated", "idea.created"} <= kinds
    for name, (headers, audience) in audiences.items():
        snapshot = before[name]
        view = board_service.EventView.for_session(audience, snapshot["session"])
        rows = events_after(app, room.id, snapshot["last_seq"])
        events = [(r.type, {"seq": r.seq, **view.render(r.type, r.payload)}, r.seq) for r in rows]
        assert reduce(snapshot, events) == api.board(headers, room.id), name
