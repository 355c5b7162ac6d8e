"""Moderation through the API: pre-moderation and the word filter hold an idea for the
facilitator (the author sees it waiting, nobody else sees it at all) until it is
approved; the word filter's contract and limits; who may approve, hide and edit the
filter; removing a participant with all their ideas in one action."""

from __future__ import annotations

import csv
import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Event, Facilitator, WorkshopMember
from app.security import FACILITATOR_COOKIE
from app.services import board as board_service
from app.services.audience import PROJECTOR
from app.services.word_filter import hits
from app.services.word_filter_words import DEFAULT_WORDS
from tests.support import ROOT
from tests.support.forms import create_session, join, send_idea

RUDE = "Pelayanan dinas ini b4ngs4t, lambat sekali"
_ids = itertools.count(1)


@pytest.fixture
def fac(api):
    return api.facilitator()


def ideas_on(board: dict) -> dict[int, dict]:
    return {idea["id"]: idea for group in board["groups"] for idea in group["ideas"]}


def projector(app, session_id: int) -> dict:
    return board_service.snapshot(
        app.state.sessions, session_id=session_id, audience=PROJECTOR, public_url="http://rembuk.test"
    )


def post(client, phone, text: str, **body):
    return client.post(f"/api/v1/sessions/{phone.session_id}/ideas", json={"text": text, **body}, headers=phone.headers)


def member(api, app, workshop_id: int, role: str) -> dict:
    """A facilitator added to the workshop's team with ``role`` (its row written
    directly; the members API is tests/workshops/test_team.py's): their auth headers."""
    email = f"{role}-{next(_ids)}@kominfo.go.id"
    headers = api.facilitator(email)
    with app.state.sessions() as db:
        person = db.scalar(select(Facilitator).where(Facilitator.email == email))
        db.add(WorkshopMember(workshop_id=workshop_id, facilitator_id=person.id, role=role))
        db.commit()
    return headers


# --- pre-moderation ---------------------------------------------------------------------


@pytest.mark.database
def test_pre_moderation_holds_an_idea_off_the_board_and_other_phones_until_approved(api, client, app, fac):
    session = api.session(fac)
    sid = session["id"]
    r = client.patch(f"/api/v1/sessions/{sid}", json={"moderation": "pre"}, headers=fac)
    assert r.status_code == 200 and r.json()["moderation"] == "pre"
    rina, budi = api.join(session["join_code"], "Rina"), api.join(session["join_code"], "Budi")

    sent = post(client, rina, "Posyandu digital di setiap nagari", dimension="living")
    assert sent.status_code == 201 and sent.json()["pending"] is True
    idea_id = sent.json()["id"]

    # The facilitator sees it and why; the author sees it waiting; nobody else sees it.
    mine = ideas_on(api.board(fac, sid))[idea_id]
    assert (mine["pending"], mine["held_for"]) == (True, "moderation")
    own = ideas_on(api.board(rina.headers, sid))[idea_id]
    assert own["pending"] is True and own["mine"] is True and "held_for" not in own
    assert idea_id not in ideas_on(api.board(budi.headers, sid))
    assert idea_id not in ideas_on(projector(app, sid))
    listed = client.get(f"/api/v1/sessions/{sid}/ideas", headers=budi.headers).json()["ideas"]
    assert idea_id not in {i["id"] for i in listed}
    cloud = client.get(f"/api/v1/sessions/{sid}/wordcloud", headers=fac).json()["words"]
    assert "posyandu" not in {w["word"] for w in cloud}
    assert client.post(f"/api/v1/ideas/{idea_id}/reactions", headers=budi.headers).status_code == 404
    assert client.put(f"/api/v1/sessions/{sid}/focus", json={"idea_id": idea_id}, headers=fac).status_code == 409

    approved = client.post(f"/api/v1/ideas/{idea_id}/approve", headers=fac)
    assert approved.status_code == 200 and approved.json()["pending"] is False
    seq = approved.json()["seq"]
    with app.state.sessions() as db:
        assert db.scalar(select(Event.type).where(Event.session_id == sid, Event.seq == seq)) == "idea.approved"
    assert "pending" not in ideas_on(api.board(budi.headers, sid))[idea_id]
    assert idea_id in ideas_on(projector(app, sid))
    assert "pending" not in ideas_on(api.board(rina.headers, sid))[idea_id]
    cloud = client.get(f"/api/v1/sessions/{sid}/wordcloud", headers=fac).json()["words"]
    assert "posyandu" in {w["word"] for w in cloud}
    # Pressed twice (or by two facilitators): nothing more happens.
    again = client.post(f"/api/v1/ideas/{idea_id}/approve", headers=fac)
    assert again.status_code == 200 and again.json()["seq"] is None


def test_hiding_a_held_idea_takes_it_off_the_queue_and_showing_it_puts_it_back(api, client, fac):
    session = api.session(fac, moderation="pre")
    assert session["moderation"] == "pre"
    rina = api.join(session["join_code"])
    idea_id = post(client, rina, "Sampah menumpuk di pasar").json()["id"]
    hide = f"/api/v1/ideas/{idea_id}/visibility"
    assert client.post(hide, json={"hidden": True}, headers=fac).status_code == 200
    assert idea_id not in ideas_on(api.board(rina.headers, session["id"]))  # hidden: not even the author
    assert client.post(hide, json={"hidden": False}, headers=fac).status_code == 200
    back = ideas_on(api.board(fac, session["id"]))[idea_id]
    assert back["pending"] is True and back["hidden"] is False  # still waiting: showing is not approving


def test_moderation_setting_is_off_or_pre(api, client, fac):
    session = api.session(fac)
    assert session["moderation"] == "off"
    r = client.patch(f"/api/v1/sessions/{session['id']}", json={"moderation": "post"}, headers=fac)
    assert r.status_code == 422
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()["moderation"] == "off"


# --- the word filter ----------------------------------------------------------------------


def test_a_word_filter_hit_is_held_with_moderation_off(api, client, fac):
    session = api.session(fac)
    rina, budi = api.join(session["join_code"], "Rina"), api.join(session["join_code"], "Budi")
    rude = post(client, rina, RUDE)
    fine = post(client, rina, "Asuransi kesehatan daerah untuk nelayan (assessment dulu)")
    assert rude.json()["pending"] is True and fine.json()["pending"] is False
    held = ideas_on(api.board(fac, session["id"]))[rude.json()["id"]]
    assert held["held_for"] == "word_filter"
    others = ideas_on(api.board(budi.headers, session["id"]))
    assert rude.json()["id"] not in others and fine.json()["id"] in others


def test_an_idea_edited_into_an_insult_waits_again_and_downloads_leave_held_ideas_out(api, client, fac):
    session = api.session(fac)
    sid = session["id"]
    rina, budi = api.join(session["join_code"], "Rina"), api.join(session["join_code"], "Budi")
    idea_id = post(client, rina, "Jalan desa rusak parah").json()["id"]
    assert idea_id in ideas_on(api.board(budi.headers, sid))
    r = client.patch(f"/api/v1/ideas/{idea_id}", json={"text": "Kepala dinasnya tolol"}, headers=rina.headers)
    assert r.status_code == 200 and r.json()["pending"] is True
    assert idea_id not in ideas_on(api.board(budi.headers, sid))
    assert ideas_on(api.board(fac, sid))[idea_id]["held_for"] == "word_filter"
    post(client, budi, RUDE)
    summary = client.get(f"/api/v1/sessions/{sid}/summary.json", headers=fac)
    assert summary.status_code == 200
    assert "tolol" not in summary.text and "b4ngs4t" not in summary.text


def test_the_default_list_holds_none_of_the_ordinary_ideas():
    """The labelled ideas of tests/data/ideas (600 real-sounding Indonesian ideas,
    phone spellings included): not one is held."""
    texts = [row["text"] for path in sorted((ROOT / "tests/data/ideas").glob("*.csv")) for row in
             csv.DictReader(path.open(encoding="utf-8"))]
    assert len(texts) > 500
    assert [(t, hits(t, DEFAULT_WORDS)) for t in texts if hits(t, DEFAULT_WORDS)] == []


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("BANGSAT", True),
        ("b4ngs4t", True),
        ("baaangsaaat", True),
        ("pejabatnya bangsatlah", True),
        ("T0L0L", True),
        ("Bégo", True),
        ("what the $h!t", True),
        ("fucking slow wifi", True),
        ("asuransi dan assessment", False),
        ("kelas 4 SD tahun 2024", False),
        ("pembangunan sat set", False),
    ],
)
def test_matching_after_normalisation_without_false_positives(text, held):
    assert bool(hits(text, DEFAULT_WORDS)) is held


def test_the_word_filter_is_read_and_replaced_whole(api, client, fac):
    workshop = api.workshop(fac)
    url = f"/api/v1/workshops/{workshop['id']}/word-filter"
    r = client.get(url, headers=fac)
    assert r.status_code == 200 and r.json() == {"words": list(DEFAULT_WORDS)}
    r = client.put(url, json={"words": ["  korupsi ", "", "KORUPSI", "anak haram"]}, headers=fac)
    assert r.status_code == 200 and r.json() == {"words": ["korupsi", "anak haram"]}
    assert client.get(url, headers=fac).json() == {"words": ["korupsi", "anak haram"]}

    session = api.session(fac, workshop["stages"][0]["id"])
    rina = api.join(session["join_code"])
    assert post(client, rina, "Stop k0rupsiii di dinas").json()["pending"] is True
    assert post(client, rina, "Julukan anak haram untuk desa itu").json()["pending"] is True
    assert post(client, rina, RUDE).json()["pending"] is False  # the default list is gone
    assert client.put(url, json={"words": []}, headers=fac).json() == {"words": []}


@pytest.mark.parametrize(
    "body",
    [
        {"words": [f"kata{i}" for i in range(501)]},
        {"words": ["x" * 41]},
        {"words": ["!!!"]},
        {"words": "bangsat"},
        {"words": [1]},
        {},
        {"words": ["a"], "extra": True},
    ],
)
def test_word_filter_limits(api, client, fac, body):
    workshop = api.workshop(fac)
    url = f"/api/v1/workshops/{workshop['id']}/word-filter"
    assert client.put(url, json=body, headers=fac).status_code == 422
    assert client.get(url, headers=fac).json() == {"words": list(DEFAULT_WORDS)}


def test_five_hundred_words_of_forty_characters_are_accepted(api, client, fac):
    workshop = api.workshop(fac)
    # Distinct after normalisation (repeated letters fold, so "kata11" is "kata1").
    words = [f"kata-{chr(97 + i // 26)}-{chr(97 + i % 26)}-".ljust(40, "x") for i in range(500)]
    r = client.put(f"/api/v1/workshops/{workshop['id']}/word-filter", json={"words": words}, headers=fac)
    assert r.status_code == 200 and len(r.json()["words"]) == 500


# --- who may ----------------------------------------------------------------------------


def test_only_the_workshops_facilitators_approve_hide_and_edit_the_filter(api, client, app, fac):
    workshop = api.workshop(fac)
    session = api.session(fac, workshop["stages"][0]["id"], moderation="pre")
    rina = api.join(session["join_code"])
    idea_id = post(client, rina, "Lampu jalan mati").json()["id"]
    co, scribe = member(api, app, workshop["id"], "co_facilitator"), member(api, app, workshop["id"], "scribe")
    stranger = api.facilitator()
    approve = f"/api/v1/ideas/{idea_id}/approve"
    hide = f"/api/v1/ideas/{idea_id}/visibility"
    words = f"/api/v1/workshops/{workshop['id']}/word-filter"

    assert client.post(approve).status_code == 401
    assert client.post(approve, headers=rina.headers).status_code == 403
    assert client.post(approve, headers=stranger).status_code == 404
    assert client.post(approve, headers=scribe).status_code == 403
    assert client.post(hide, json={"hidden": True}, headers=scribe).status_code == 403
    assert client.put(words, json={"words": []}, headers=scribe).status_code == 403
    assert client.put(words, json={"words": []}, headers=rina.headers).status_code == 403
    assert client.put(words, json={"words": []}, headers=stranger).status_code == 404
    assert client.get(words, headers=scribe).status_code == 200  # the scribe reads the console
    # Nothing changed by any of them.
    assert ideas_on(api.board(fac, session["id"]))[idea_id]["pending"] is True
    assert client.get(words, headers=fac).json() == {"words": list(DEFAULT_WORDS)}

    assert client.post(approve, headers=co).status_code == 200
    assert client.put(words, json={"words": ["korupsi"]}, headers=co).status_code == 200


# --- the team: a scribe's ideas are held like anyone's ----------------------------------

ON_BEHALF_OF = {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis Gandoriah"}


def enter_for(client, scribe, session_id: int, text: str) -> dict:
    """An idea the scribe types for someone without a phone."""
    r = client.post(f"/api/v1/sessions/{session_id}/ideas", json={"text": text, "on_behalf_of": ON_BEHALF_OF},
                    headers=scribe)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_scribes_idea_goes_through_the_word_filter_and_pre_moderation(api, client, app, fac):
    workshop = api.workshop(fac)
    sid = api.session(fac, workshop["stages"][0]["id"])["id"]
    co, scribe = member(api, app, workshop["id"], "co_facilitator"), member(api, app, workshop["id"], "scribe")
    rina = api.join(client.get(f"/api/v1/sessions/{sid}", headers=fac).json()["join_code"], "Rina")

    rude = enter_for(client, scribe, sid, RUDE)
    assert client.patch(f"/api/v1/sessions/{sid}", json={"moderation": "pre"}, headers=co).status_code == 200
    calm = enter_for(client, scribe, sid, "Peta digital homestay warga")
    assert rude["pending"] is True and calm["pending"] is True

    # The team sees both waiting, why, and that the scribe typed them; the room sees neither.
    team_view = ideas_on(api.board(scribe, sid))
    assert (team_view[rude["id"]]["held_for"], team_view[calm["id"]]["held_for"]) == ("word_filter", "moderation")
    assert team_view[calm["id"]]["entered_by_scribe"] is True
    for board in (api.board(rina.headers, sid), projector(app, sid)):
        assert not {rude["id"], calm["id"]} & set(ideas_on(board))

    # Typing them is not deciding on them: the scribe is refused, a co-facilitator approves.
    assert client.post(f"/api/v1/ideas/{calm['id']}/approve", headers=scribe).status_code == 403
    assert client.post(f"/api/v1/ideas/{rude['id']}/visibility", json={"hidden": True},
                       headers=scribe).status_code == 403
    approved = client.post(f"/api/v1/ideas/{calm['id']}/approve", headers=co)
    assert approved.status_code == 200 and approved.json()["pending"] is False
    on_screen = ideas_on(projector(app, sid))
    assert calm["id"] in on_screen and rude["id"] not in on_screen
    assert "entered_by_scribe" not in on_screen[calm["id"]]  # the team's to know, not the room's


def test_the_queue_in_a_scribes_console_and_on_the_catat_ide_page(api, client, app, fac):
    workshop = api.workshop(fac)
    sid = api.session(fac, workshop["stages"][0]["id"], moderation="pre")["id"]
    scribe = member(api, app, workshop["id"], "scribe")
    idea_id = enter_for(client, scribe, sid, "Peta digital homestay warga")["id"]

    def queue(page: str) -> str:
        return page.split('id="held-rows"', 1)[1].split("</ol>", 1)[0]

    client.cookies.set(FACILITATOR_COOKIE, fac["Authorization"].split()[1])
    owner_page = client.get(f"/console/sessions/{sid}").text
    assert f'id="held-{idea_id}"' in queue(owner_page) and "dicatat notulis" in queue(owner_page)
    assert "Tombol: m ke antrean" in owner_page and "moderation.js" in owner_page
    assert "Keluarkan dan sembunyikan idenya" in owner_page

    # The scribe reads the queue (the live stream keeps it up to date) without the keys
    # to decide; a decision posted anyway is refused.
    client.cookies.set(FACILITATOR_COOKIE, scribe["Authorization"].split()[1])
    scribe_page = client.get(f"/console/sessions/{sid}").text
    assert "console-readonly" in scribe_page and f'id="held-{idea_id}"' in queue(scribe_page)
    assert "Tombol: m ke antrean" not in scribe_page and "moderation.js" not in scribe_page
    assert "Keluarkan dan sembunyikan idenya" not in scribe_page
    assert "Menunggu moderasi" in client.get(f"/console/sessions/{sid}/scribe").text
    assert client.post(f"/console/ideas/{idea_id}/approve", follow_redirects=False).status_code == 403
    assert ideas_on(api.board(fac, sid))[idea_id]["pending"] is True


# --- late ideas (open_until) and read-only links -----------------------------------------


def test_a_late_idea_is_held_like_any_and_stays_late_once_approved(api, client, app, fac):
    session = api.session(fac, moderation="pre")
    sid = session["id"]
    rina, budi = api.join(session["join_code"], "Rina"), api.join(session["join_code"], "Budi")
    api.phase(fac, sid, "results")
    deadline = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    assert client.patch(f"/api/v1/sessions/{sid}", json={"open_until": deadline}, headers=fac).status_code == 200
    link = client.post(f"/api/v1/sessions/{sid}/share", headers=fac)
    assert link.status_code == 201, link.text
    shared = "/" + link.json()["url"].split("/", 3)[3]

    sent = post(client, rina, "Wifi publik di kantor desa", dimension="living")
    assert sent.status_code == 201, sent.text
    assert (sent.json()["pending"], sent.json()["after_session"]) == (True, True)
    idea_id = sent.json()["id"]
    held = ideas_on(api.board(fac, sid))[idea_id]
    assert (held["pending"], held["held_for"], held["after_session"]) == (True, "moderation", True)
    assert idea_id not in ideas_on(api.board(budi.headers, sid)) and idea_id not in ideas_on(projector(app, sid))
    # The read-only link shows what the projector shows: nothing held, on the page or in a download.
    assert "Wifi publik" not in client.get(shared).text
    assert "Wifi publik" not in client.get(f"{shared}/summary.md").text
    # The console's queue says it came late.
    client.cookies.set(FACILITATOR_COOKIE, fac["Authorization"].split()[1])
    queue = client.get(f"/console/sessions/{sid}").text.split('id="held-rows"', 1)[1].split("</ol>", 1)[0]
    assert f'id="held-{idea_id}"' in queue and "badge-late" in queue

    approved = client.post(f"/api/v1/ideas/{idea_id}/approve", headers=fac)
    assert approved.status_code == 200 and approved.json()["after_session"] is True
    assert ideas_on(projector(app, sid))[idea_id]["after_session"] is True
    assert "Wifi publik" in client.get(shared).text
    markdown = client.get(f"{shared}/summary.md").text
    assert "Wifi publik di kantor desa \\[susulan\\]" in markdown and "Gagasan susulan" in markdown


# --- removing someone with all their ideas ---------------------------------------------


@pytest.mark.database
def test_removing_a_participant_with_their_ideas_is_one_action(api, client, app, fac):
    session = api.session(fac)
    sid = session["id"]
    troll, rina = api.join(session["join_code"], "Iseng"), api.join(session["join_code"], "Rina")
    theirs = [post(client, troll, text).json()["id"] for text in ("Ide iseng satu", "Ide iseng dua", RUDE)]
    kept = post(client, rina, "Bank sampah digital").json()["id"]
    start = api.board(fac, sid)["last_seq"]

    r = client.delete(f"/api/v1/participants/{troll.participant_id}?hide_ideas=true", headers=fac)
    assert r.status_code == 200
    with app.state.sessions() as db:
        logged = db.execute(select(Event.type, Event.seq).where(Event.session_id == sid, Event.seq > start)
                            .order_by(Event.seq)).all()
    # The held one was hidden too (it leaves the queue); one event per change, all in one transaction.
    assert [t for t, _ in logged] == ["idea.hidden"] * 3 + ["participant.removed"]
    assert logged[-1].seq == r.json()["seq"]
    console = ideas_on(api.board(fac, sid))
    assert all(console[i]["hidden"] for i in theirs) and not console[kept]["hidden"]
    assert set(ideas_on(api.board(rina.headers, sid))) == {kept}
    assert client.get(f"/api/v1/sessions/{sid}/board", headers=troll.headers).status_code in (401, 403)
    assert client.delete(f"/api/v1/participants/{rina.participant_id}?hide_ideas=true",
                         headers=rina.headers).status_code == 403


def test_the_console_queue_the_phone_and_the_word_filter_form(app, console, new_phone):
    s = create_session(console)
    phone = new_phone()
    join(phone, s["code"])
    send_idea(phone, s["id"], RUDE)
    assert "Menunggu moderasi" in phone.get(f"/s/{s['id']}").text
    page = console.get(f"/console/sessions/{s['id']}").text
    queue = page.split('id="held-rows"', 1)[1].split("</ol>", 1)[0]
    assert "b4ngs4t" in queue and "Filter kata" in queue
    idea_id = int(re.search(r'id="held-(\d+)"', queue).group(1))
    r = console.post(f"/console/ideas/{idea_id}/approve", follow_redirects=False)
    assert r.status_code == 303
    page = console.get(f"/console/sessions/{s['id']}").text
    assert 'id="held-' not in page.split('id="held-rows"', 1)[1].split("</ol>", 1)[0]
    assert "Menunggu moderasi" not in phone.get(f"/s/{s['id']}").text

    # "Keluarkan dan sembunyikan idenya": the phone's ideas leave the board and it is out.
    page = console.get(f"/console/sessions/{s['id']}").text
    assert "Keluarkan dan sembunyikan idenya" in page
    person = int(re.search(r'/participants/(\d+)/remove', page).group(1))
    r = console.post(f"/console/sessions/{s['id']}/participants/{person}/remove", data={"hide_ideas": "1"},
                     follow_redirects=False)
    assert r.status_code == 303
    rows = console.get(f"/console/sessions/{s['id']}").text.split('id="moderation-rows"', 1)[1]
    assert rows.count('class="badge badge-hidden">Disembunyikan<') == 1

    url = s["workshop_url"] + "/word-filter"
    r = console.post(url, data={"words": "korupsi\n\n  pungli  \n"}, follow_redirects=False)
    assert r.status_code == 303
    assert ">korupsi\npungli</textarea>" in console.get(s["workshop_url"]).text
    r = console.post(url, data={"words": "x" * 41})
    assert r.status_code == 422 and "x" * 41 in r.text
    assert ">korupsi\npungli</textarea>" in console.get(s["workshop_url"]).text
