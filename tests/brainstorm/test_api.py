"""Participant JSON API: joining by code, sending, changing and deleting ideas, the
board as each audience sees it, and facilitator moderation."""

from __future__ import annotations

import threading
import uuid

import pytest

from app.domain import DIMENSIONS

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture
def fac(api):
    return api.facilitator()


@pytest.fixture
def session(api, fac):
    return api.session(fac)


def ideas_on(board: dict) -> dict[int, dict]:
    return {idea["id"]: idea for group in board["groups"] for idea in group["ideas"]}


def post_idea(client, phone, session_id=None, **body):
    return client.post(f"/api/v1/sessions/{session_id or phone.session_id}/ideas", json=body, headers=phone.headers)


# --- joining -------------------------------------------------------------------------

def test_join(api, client, fac, session):
    r = client.post(
        "/api/v1/join",
        json={"join_code": session["join_code"], "name": "Rina Marlina", "organization_type": "rsud",
              "organization": "RSUD Padang Pariaman"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"participant_id", "session_id", "token"}
    assert body["session_id"] == session["id"]
    assert body["token"]
    board = api.board({"Authorization": f"Bearer {body['token']}"}, session["id"])
    assert board["participant_count"] == 1
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()["participant_count"] == 1


def test_join_accepts_lower_case_and_spaces(api, client, session):
    code = session["join_code"]
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    r = client.post("/api/v1/join", json={"join_code": typed, "name": "Budi", "organization_type": "opd", "organization": "Bappeda"})
    assert r.status_code == 201, r.text
    assert r.json()["session_id"] == session["id"]


@pytest.mark.parametrize("code", ["ZZZZZZ", "ABC", "ABCDEFGH", "0O1IL0", "!!!!!!"])
def test_join_unknown_code_is_404(client, session, code):
    if code == session["join_code"]:
        # A well-formed code can (once in 887 million) be the real one: use another.
        code = "YYYYYY" if code != "YYYYYY" else "XXXXXX"
    r = client.post("/api/v1/join", json={"join_code": code, "name": "Budi", "organization_type": "opd", "organization": "Bappeda"})
    assert r.status_code == 404
    assert r.json()["detail"]


def test_join_closed_session_is_409(api, client, fac, session):
    api.phase(fac, session["id"], "closed")
    r = client.post(
        "/api/v1/join", json={"join_code": session["join_code"], "name": "Budi", "organization_type": "opd", "organization": "Bappeda"}
    )
    assert r.status_code == 409
    assert r.json()["detail"]
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()["participant_count"] == 0


@pytest.mark.parametrize("phase", ["draft", "brainstorm", "group", "vote", "results"])
def test_join_is_open_until_closed(api, fac, session, phase):
    api.phase(fac, session["id"], phase)
    assert api.join(session["join_code"]).session_id == session["id"]


@pytest.mark.parametrize(
    "change",
    [
        {"organization_type": "kementerian"},
        {"organization_type": ""},
        {"name": ""},
        {"name": "   "},
        {"organization": ""},
        {"name": "x" * 121},
        {"join_code": ""},
    ],
)
def test_join_validation_is_422(api, client, fac, session, change):
    body = {"join_code": session["join_code"], "name": "Budi", "organization_type": "opd", "organization": "Bappeda", **change}
    r = client.post("/api/v1/join", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()["participant_count"] == 0


# --- sending ideas -------------------------------------------------------------------

def test_submit_idea_starts_its_own_group(api, client, fac, session):
    phone = api.join(session["join_code"])
    r = post_idea(client, phone, text="Aplikasi antrean online RSUD", dimension="living", sub_element="health")
    assert r.status_code == 201, r.text
    first = r.json()
    assert {"id", "group_id", "seq"} <= set(first)
    assert (first["text"], first["dimension"], first["sub_element"]) == ("Aplikasi antrean online RSUD", "living", "health")
    second = api.idea(phone, text="Bank sampah digital di setiap nagari", dimension="environment")
    assert second["group_id"] != first["group_id"]
    assert second["seq"] == first["seq"] + 1

    board = api.board(fac, session["id"])
    assert board["last_seq"] == second["seq"]
    by_group = {g["id"]: g for g in board["groups"]}
    assert [i["id"] for i in by_group[first["group_id"]]["ideas"]] == [first["id"]]
    assert by_group[first["group_id"]]["dimension"] == "living"
    assert by_group[first["group_id"]]["title"] == "Aplikasi antrean online RSUD"
    assert by_group[second["group_id"]]["dimension"] == "environment"


@pytest.mark.parametrize("dimension", [None, ""])
def test_idea_without_dimension(api, client, session, dimension):
    phone = api.join(session["join_code"])
    r = post_idea(client, phone, text="Belum tahu masuk dimensi apa", dimension=dimension)
    assert r.status_code == 201
    assert r.json()["dimension"] is None and r.json()["sub_element"] is None
    (group,) = api.board(phone.headers, session["id"])["groups"]
    assert group["dimension"] is None and group["ideas"][0]["dimension"] is None


@pytest.mark.parametrize("spec", DIMENSIONS, ids=lambda d: d.code)
def test_every_dimension_and_sub_element_is_accepted(api, client, session, spec):
    phone = api.join(session["join_code"])
    for sub in spec.sub_elements:
        r = post_idea(client, phone, text=f"Ide untuk {sub.name_id}", dimension=spec.code, sub_element=sub.code)
        assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Ide", "dimension": "smart_city"},
        {"text": "Ide", "dimension": "GOVERNANCE"},
        {"text": "Ide", "dimension": "living", "sub_element": "waste"},  # waste belongs to environment
        {"text": "Ide", "dimension": "living", "sub_element": "tidak_ada"},
        {"text": "Ide", "sub_element": "health"},  # a sub-element needs its dimension
        {"text": ""},
        {"text": "   \n  "},
        {"dimension": "living"},
        {"text": "Ide", "client_id": ""},
        {"text": "Ide", "client_id": "x" * 65},
        {"text": "Ide", "client_id": "a\u0000b"},  # PostgreSQL cannot store NUL: once a 500
        {"text": "Ide", "client_id": "a\u0007b"},
    ],
)
def test_invalid_idea_is_422_and_nothing_is_saved(api, client, fac, session, body):
    phone = api.join(session["join_code"])
    r = post_idea(client, phone, **body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert api.board(fac, session["id"])["groups"] == []


def test_too_long_idea_names_the_limit(api, client, fac):
    session = api.session(fac, idea_max_length=50)
    phone = api.join(session["join_code"])
    assert post_idea(client, phone, text="a" * 50).status_code == 201
    r = post_idea(client, phone, text="a" * 51)
    assert r.status_code == 422
    assert "50" in r.json()["detail"]
    # Longer than the session's limit but within the schema's: still the session's rule.
    default = api.session(fac)
    phone = api.join(default["join_code"])
    r = post_idea(client, phone, text="b" * 281)
    assert r.status_code == 422 and "280" in r.json()["detail"]
    assert post_idea(client, phone, text="b" * 280).status_code == 201


def test_text_is_cleaned(api, client, session):
    phone = api.join(session["join_code"])
    r = post_idea(client, phone, text="  Wi-Fi\u200b gratis   di\x07 taman\x00 kota  ")
    assert r.status_code == 201
    assert r.json()["text"] == "Wi-Fi gratis di taman kota"


def test_clean_text_replaces_a_lone_surrogate():
    """Half an emoji cannot be stored as UTF-8; it is shown as U+FFFD instead of failing."""
    from app.services.text import clean_text

    assert clean_text("Bus \ud83d listrik", field="Idea", max_length=50) == "Bus \ufffd listrik"
    assert clean_text("Bus \U0001F68C listrik", field="Idea", max_length=50) == "Bus \U0001F68C listrik"


def test_repeated_client_id_returns_the_same_idea(api, client, fac, session):
    phone = api.join(session["join_code"])
    client_id = str(uuid.uuid4())
    first = post_idea(client, phone, text="Satu data kependudukan", dimension="governance", client_id=client_id)
    assert first.status_code == 201
    again = post_idea(client, phone, text="Satu data kependudukan", dimension="governance", client_id=client_id)
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["seq"]) == (first.json()["id"], first.json()["seq"])
    board = api.board(fac, session["id"])
    assert list(ideas_on(board)) == [first.json()["id"]]
    assert board["last_seq"] == first.json()["seq"]  # no second event either


def test_repeat_after_phase_moved_on_still_acknowledges(api, client, fac, session):
    """The phone's first try reached the server but the answer got lost; the retry
    arrives after the facilitator closed brainstorm. The idea exists: say so."""
    phone = api.join(session["join_code"])
    first = post_idea(client, phone, text="Posyandu digital", client_id="retry-1").json()
    api.phase(fac, session["id"], "group")
    again = post_idea(client, phone, text="Posyandu digital", client_id="retry-1")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_client_id_of_someone_else_is_refused(api, client, fac, session):
    rina = api.join(session["join_code"], name="Rina")
    budi = api.join(session["join_code"], name="Budi")
    mine = post_idea(client, rina, text="Ide Rina", client_id="same-id").json()
    r = post_idea(client, budi, text="Ide Budi", client_id="same-id")
    assert r.status_code == 409
    assert ideas_on(api.board(fac, session["id"]))[mine["id"]]["text"] == "Ide Rina"
    assert len(ideas_on(api.board(fac, session["id"]))) == 1


def test_same_client_id_in_two_sessions_is_two_ideas(api, client, fac):
    a = api.session(fac)
    b = api.session(fac)
    pa, pb = api.join(a["join_code"]), api.join(b["join_code"])
    assert post_idea(client, pa, text="Ide", client_id="c-1").status_code == 201
    assert post_idea(client, pb, text="Ide", client_id="c-1").status_code == 201


@pytest.mark.database
def test_concurrent_retries_with_one_client_id_make_one_idea(api, client, fac, session):
    phone = api.join(session["join_code"])
    threads, results = 20, []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def send():
        barrier.wait(timeout=10)
        r = post_idea(client, phone, text="Jaringan fiber optik ke kantor nagari", dimension="governance", client_id="tap-tap-tap")
        with lock:
            results.append((r.status_code, r.json()))

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert len(results) == threads
    codes = sorted(code for code, _ in results)
    assert codes == [200] * (threads - 1) + [201], results
    assert len({body["id"] for _, body in results}) == 1
    assert len({body["seq"] for _, body in results}) == 1
    board = api.board(fac, session["id"])
    assert len(ideas_on(board)) == 1
    assert len(board["groups"]) == 1
    assert board["last_seq"] == results[0][1]["seq"]


@pytest.mark.parametrize("phase", ["draft", "group", "vote", "results", "closed"])
def test_submit_outside_brainstorm_is_409(api, client, fac, phase):
    session = api.session(fac, phase="brainstorm")
    phone = api.join(session["join_code"])
    api.phase(fac, session["id"], phase)
    r = post_idea(client, phone, text="Terlambat", client_id="late-1")
    assert r.status_code == 409
    assert r.json()["detail"]
    assert "brainstorm" in client.post(
        f"/api/v1/sessions/{session['id']}/ideas?lang=en", json={"text": "Terlambat"}, headers=phone.headers
    ).json()["detail"].lower()
    assert api.board(fac, session["id"])["groups"] == []
    # Reopening brainstorm accepts it (the client id was not used up by the refusal).
    api.phase(fac, session["id"], "brainstorm")
    assert post_idea(client, phone, text="Terlambat", client_id="late-1").status_code == 201


def test_a_participant_cannot_post_to_another_session(api, client, fac):
    a = api.session(fac)
    b = api.session(fac)
    phone_a = api.join(a["join_code"])
    r = post_idea(client, phone_a, session_id=b["id"], text="Salah kamar")
    assert r.status_code == 403
    assert r.json()["detail"]
    assert api.board(fac, b["id"])["groups"] == []
    assert api.board(fac, a["id"])["groups"] == []
    # Nor read it.
    assert client.get(f"/api/v1/sessions/{b['id']}/board", headers=phone_a.headers).status_code == 403


def test_submit_needs_a_participant(api, client, fac, session):
    r = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Tanpa token"})
    assert r.status_code == 401
    r = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Token palsu"}, headers={"Authorization": "Bearer palsu"})
    assert r.status_code == 401
    assert client.post("/api/v1/sessions/999999/ideas", json={"text": "?"}).status_code == 404
    assert api.board(fac, session["id"])["groups"] == []


# --- changing ideas --------------------------------------------------------------------

def test_author_edits_own_idea(api, client, fac, session):
    phone = api.join(session["join_code"])
    idea = api.idea(phone, text="Aplikasi antrean", dimension="living")
    r = client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Aplikasi antrean online RSUD"}, headers=phone.headers)
    assert r.status_code == 200, r.text
    assert r.json()["text"] == "Aplikasi antrean online RSUD" and r.json()["dimension"] == "living"
    assert r.json()["seq"] > idea["seq"]
    shown = ideas_on(api.board(phone.headers, session["id"]))[idea["id"]]
    assert (shown["text"], shown["dimension"]) == ("Aplikasi antrean online RSUD", "living")
    group = api.board(fac, session["id"])["groups"][0]
    assert group["title"] == "Aplikasi antrean online RSUD"


def test_edit_dimension_and_sub_element(api, client, fac, session):
    phone = api.join(session["join_code"])
    idea = api.idea(phone, text="Bus sekolah gratis", dimension="living", sub_element="mobility")

    def patch(body):
        r = client.patch(f"/api/v1/ideas/{idea['id']}", json=body, headers=phone.headers)
        return r

    def shown():
        board = api.board(fac, session["id"])
        (group,) = board["groups"]
        i = group["ideas"][0]
        return group["dimension"], i["dimension"], i["sub_element"], i["text"]

    # Text only: dimension and sub-element stay.
    assert patch({"text": "Bus sekolah gratis untuk nagari"}).status_code == 200
    assert shown() == ("living", "living", "mobility", "Bus sekolah gratis untuk nagari")
    # A new dimension without a sub-element drops the old sub-element (it belonged to the old one).
    assert patch({"dimension": "society"}).status_code == 200
    assert shown() == ("society", "society", None, "Bus sekolah gratis untuk nagari")
    # A sub-element alone is checked against the current dimension.
    assert patch({"sub_element": "learning"}).status_code == 200
    assert shown() == ("society", "society", "learning", "Bus sekolah gratis untuk nagari")
    r = patch({"sub_element": "health"})
    assert r.status_code == 422
    assert shown() == ("society", "society", "learning", "Bus sekolah gratis untuk nagari")
    # Both at once.
    assert patch({"dimension": "living", "sub_element": "mobility"}).status_code == 200
    assert shown() == ("living", "living", "mobility", "Bus sekolah gratis untuk nagari")
    # Clearing only the sub-element.
    assert patch({"sub_element": None}).status_code == 200
    assert shown() == ("living", "living", None, "Bus sekolah gratis untuk nagari")
    # Back to "belum dikategorikan".
    assert patch({"dimension": None}).status_code == 200
    assert shown() == (None, None, None, "Bus sekolah gratis untuk nagari")
    # Invalid ones change nothing.
    for body in ({"dimension": "smart"}, {"text": ""}, {"text": "x" * 281}, {"sub_element": "mobility"}, {"hidden": True}):
        assert patch(body).status_code == 422, body
    assert shown() == (None, None, None, "Bus sekolah gratis untuk nagari")


def test_someone_elses_idea_cannot_be_changed(api, client, fac, session):
    rina = api.join(session["join_code"], name="Rina")
    budi = api.join(session["join_code"], name="Budi")
    idea = api.idea(rina, text="Ide Rina")
    assert client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Dibajak"}, headers=budi.headers).status_code == 403
    assert client.delete(f"/api/v1/ideas/{idea['id']}", headers=budi.headers).status_code == 403
    other = api.session(fac)
    stranger = api.join(other["join_code"])
    assert client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Dibajak"}, headers=stranger.headers).status_code == 403
    assert client.delete(f"/api/v1/ideas/{idea['id']}", headers=stranger.headers).status_code == 403
    # A facilitator moderates by hiding, not by rewriting.
    assert client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Dibajak"}, headers=fac).status_code == 403
    assert client.delete(f"/api/v1/ideas/{idea['id']}").status_code == 401
    assert ideas_on(api.board(fac, session["id"]))[idea["id"]]["text"] == "Ide Rina"


def test_unknown_idea_is_404(api, client, session):
    phone = api.join(session["join_code"])
    assert client.patch("/api/v1/ideas/999999", json={"text": "?"}, headers=phone.headers).status_code == 404
    assert client.delete("/api/v1/ideas/999999", headers=phone.headers).status_code == 404


@pytest.mark.parametrize("phase", ["draft", "group", "vote", "results", "closed"])
def test_edit_and_delete_outside_brainstorm_are_409(api, client, fac, session, phase):
    phone = api.join(session["join_code"])
    idea = api.idea(phone, text="Ide awal")
    api.phase(fac, session["id"], phase)
    r = client.patch(f"/api/v1/ideas/{idea['id']}", json={"text": "Diubah"}, headers=phone.headers)
    assert r.status_code == 409 and r.json()["detail"]
    r = client.delete(f"/api/v1/ideas/{idea['id']}", headers=phone.headers)
    assert r.status_code == 409 and r.json()["detail"]
    assert ideas_on(api.board(fac, session["id"]))[idea["id"]]["text"] == "Ide awal"


def test_delete_own_idea(api, client, fac, session):
    phone = api.join(session["join_code"])
    keep = api.idea(phone, text="Tetap")
    gone = api.idea(phone, text="Dihapus")
    r = client.delete(f"/api/v1/ideas/{gone['id']}", headers=phone.headers)
    assert r.status_code == 200
    assert r.json()["seq"] == gone["seq"] + 1
    for headers in (fac, phone.headers):
        assert list(ideas_on(api.board(headers, session["id"]))) == [keep["id"]]
    assert client.delete(f"/api/v1/ideas/{gone['id']}", headers=phone.headers).status_code == 404
    assert client.patch(f"/api/v1/ideas/{gone['id']}", json={"text": "Hidup lagi"}, headers=phone.headers).status_code == 404


# --- moderation ----------------------------------------------------------------------

def test_facilitator_hides_and_shows_an_idea(api, client, fac, session):
    phone = api.join(session["join_code"])
    other = api.join(session["join_code"], name="Budi")
    idea = api.idea(phone, text="Iklan pinjaman online")
    kept = api.idea(phone, text="Ide yang baik")
    r = client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={"hidden": True}, headers=fac)
    assert r.status_code == 200, r.text
    assert r.json()["hidden"] is True
    for viewer in (phone, other):
        assert list(ideas_on(api.board(viewer.headers, session["id"]))) == [kept["id"]]
    on_console = ideas_on(api.board(fac, session["id"]))
    assert on_console[idea["id"]]["hidden"] is True
    assert on_console[kept["id"]]["hidden"] is False

    r = client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={"hidden": False}, headers=fac)
    assert r.status_code == 200 and r.json()["hidden"] is False
    assert set(ideas_on(api.board(other.headers, session["id"]))) == {idea["id"], kept["id"]}


def test_visibility_checks(api, client, fac, session):
    phone = api.join(session["join_code"])
    idea = api.idea(phone)
    stranger = api.facilitator()
    assert client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={"hidden": True}, headers=stranger).status_code == 404
    assert client.post("/api/v1/ideas/999999/visibility", json={"hidden": True}, headers=fac).status_code == 404
    assert client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={}, headers=fac).status_code == 422
    assert client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={"hidden": "entah"}, headers=fac).status_code == 422
    assert ideas_on(api.board(fac, session["id"]))[idea["id"]]["hidden"] is False


# --- the board ---------------------------------------------------------------------

def test_board_shape_and_anonymity(api, client, fac, session):
    rina = api.join(session["join_code"], name="Rina", organization_type="rsud", organization="RSUD Parit Malintang")
    budi = api.join(session["join_code"], name="Budi", organization_type="pokdarwis", organization="Pokdarwis Pantai Tiram")
    ri = api.idea(rina, text="Rekam medis elektronik", dimension="living", sub_element="health")
    bi = api.idea(budi, text="Paket wisata bahari", dimension="branding")

    board = api.board(fac, session["id"])
    assert set(board) == {"session", "participant_count", "last_seq", "groups", "commitments"}
    assert board["participant_count"] == 2
    assert board["last_seq"] == bi["seq"]
    assert board["session"]["id"] == session["id"] and board["session"]["join_code"] == session["join_code"]
    assert board["session"]["join_url"].endswith("/j/" + session["join_code"])
    assert board["session"]["phase"] == "brainstorm"
    assert [g["id"] for g in board["groups"]] == sorted(g["id"] for g in board["groups"])
    for group in board["groups"]:
        assert {"id", "title", "dimension", "ideas"} <= set(group)
        for idea in group["ideas"]:
            assert {"id", "text", "dimension"} <= set(idea)
    on_console = ideas_on(board)
    assert on_console[ri["id"]]["author"] == {
        "name": "Rina", "organization": "RSUD Parit Malintang", "organization_type": "rsud",
    }
    assert on_console[bi["id"]]["author"]["name"] == "Budi"

    # Anonymous (the default): a phone sees its own name only.
    on_rina = ideas_on(api.board(rina.headers, session["id"]))
    assert on_rina[ri["id"]]["author"]["name"] == "Rina"
    assert "author" not in on_rina[bi["id"]]
    assert "hidden" not in on_rina[bi["id"]]
    assert (on_rina[ri["id"]]["mine"], on_rina[bi["id"]]["mine"]) == (True, False)

    # Not anonymous: everyone sees every author.
    r = client.patch(f"/api/v1/sessions/{session['id']}", json={"anonymous": False}, headers=fac)
    assert r.status_code == 200
    on_rina = ideas_on(api.board(rina.headers, session["id"]))
    assert on_rina[bi["id"]]["author"]["name"] == "Budi"
    assert api.board(rina.headers, session["id"])["session"]["anonymous"] is False


def test_board_needs_a_viewer(api, client, fac, session):
    assert client.get(f"/api/v1/sessions/{session['id']}/board").status_code == 401
    # An unreadable or expired token: join again (401), like every other endpoint.
    r = client.get(f"/api/v1/sessions/{session['id']}/board", headers={"Authorization": "Bearer x"})
    assert r.status_code == 401 and r.json()["detail"]
    other = api.join(api.session(fac)["join_code"])
    assert client.get(f"/api/v1/sessions/{session['id']}/board", headers=other.headers).status_code == 403
    assert client.get("/api/v1/sessions/999999/board", headers=fac).status_code == 404


@pytest.mark.parametrize("text", [XSS, FORMULA, "Tanda kutip \"ganda\" & 'tunggal' <b>tebal</b>", "Emoji 🚌🌿 — ok"])
def test_odd_text_round_trips_as_data(api, client, fac, session, text):
    phone = api.join(session["join_code"], name=XSS, organization=FORMULA)
    r = post_idea(client, phone, text=text, dimension="governance")
    assert r.status_code == 201
    assert r.json()["text"] == text
    for headers in (fac, phone.headers):
        shown = ideas_on(api.board(headers, session["id"]))[r.json()["id"]]
        assert shown["text"] == text
        assert shown["author"] == {"name": XSS, "organization": FORMULA, "organization_type": "opd"}
    assert api.board(fac, session["id"])["groups"][0]["title"] == text


@pytest.mark.parametrize("body", ["{not json", "[]", '"text"'])
def test_malformed_json_is_422_not_500(api, client, session, body):
    phone = api.join(session["join_code"])
    r = client.post(
        f"/api/v1/sessions/{session['id']}/ideas",
        content=body,
        headers={**phone.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert "detail" in r.json()


def test_removed_participant_is_locked_out(api, client, app, fac, session):
    from app.models import Participant

    phone = api.join(session["join_code"])
    with app.state.sessions() as db, db.begin():
        db.get(Participant, phone.participant_id).removed = True
    assert post_idea(client, phone, text="Masih bisa?").status_code == 401
    assert client.get(f"/api/v1/sessions/{session['id']}/board", headers=phone.headers).status_code == 403
    assert api.board(fac, session["id"])["participant_count"] == 0


def test_a_script_sending_ideas_is_slowed_to_thirty_a_minute(api, client):
    """Nobody writes more than 30 ideas a minute by hand: the 31st is a 429 with
    Retry-After and a message a person can act on; retries of a sent idea still
    answer (they create nothing) and nothing else is lost."""
    fac = api.facilitator()
    session = api.session(fac)
    phone = api.join(session["join_code"])
    sent = [api.idea(phone, f"Ide nomor {n}", client_id=f"c-{n}") for n in range(30)]
    r = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Satu lagi", "client_id": "c-30"},
                    headers=phone.headers)
    assert r.status_code == 429 and r.headers["retry-after"] == "60"
    assert "terlalu cepat" in r.json()["detail"]
    again = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Ide nomor 0", "client_id": "c-0"},
                        headers=phone.headers)
    assert again.status_code == 200 and again.json()["id"] == sent[0]["id"]
    other = api.join(session["join_code"], "Budi")
    assert api.idea(other, "Ide orang lain")["id"]  # one fast phone does not slow the room
    assert sum(len(g["ideas"]) for g in api.board(fac, session["id"])["groups"]) == 31


def test_join_codes_cannot_be_enumerated_quickly(api, client):
    """60 wrong codes a minute from one address, then 429 (even for a right code,
    so guessing stops); a whole room joining through one hotel NAT is fine."""
    fac = api.facilitator()
    session = api.session(fac)
    body = {"name": "Tebak", "organization_type": "lainnya", "organization": "X"}
    for n in range(60):
        wrong = "".join("ABCDEFGHJK"[int(d)] for d in f"{n:06d}")
        assert client.post("/api/v1/join", json={**body, "join_code": wrong}).status_code in (404, 409)
    r = client.post("/api/v1/join", json={**body, "join_code": session["join_code"]})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "kode salah" in r.json()["detail"]
    page = client.get(f"/j/{session['join_code']}")
    assert page.status_code == 429 and "kode salah" in page.text


def test_a_ballroom_joins_through_one_address(api, client):
    fac = api.facilitator()
    session = api.session(fac)
    for n in range(120):  # one NAT, a rush of people
        api.join(session["join_code"], name=f"Peserta {n}")
    assert api.board(fac, session["id"])["participant_count"] == 120


def test_joins_per_address_are_limited_by_the_setting(settings):
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.builders import Api

    app = create_app(type(settings)(**{**settings.model_dump(), "joins_per_minute": 3}))
    with TestClient(app) as client:
        api = Api(client)
        session = api.session(api.facilitator())
        for n in range(3):
            api.join(session["join_code"], name=f"Peserta {n}")
        r = client.post("/api/v1/join", json={"join_code": session["join_code"], "name": "Skrip",
                                              "organization_type": "lainnya", "organization": "X"})
        assert r.status_code == 429 and "Terlalu banyak orang bergabung" in r.json()["detail"]


def test_facilitator_removes_a_participant_and_locks_joining(api, client, app):
    """The join code leaked from a projector photo: the facilitator takes the
    prankster out (their phone can no longer act) and locks joining; everyone
    already in carries on, and the board's count follows."""
    fac = api.facilitator()
    session = api.session(fac)
    rina = api.join(session["join_code"], "Rina")
    prank = api.join(session["join_code"], "Iseng")
    api.idea(prank, "Ide iseng")
    before = api.board(rina.headers, session["id"])
    r = client.delete(f"/api/v1/participants/{prank.participant_id}", headers=fac)
    assert r.status_code == 200
    assert client.delete(f"/api/v1/participants/{prank.participant_id}", headers=fac).status_code == 404
    assert client.delete(f"/api/v1/participants/{rina.participant_id}", headers=rina.headers).status_code == 403
    assert client.delete(f"/api/v1/participants/{rina.participant_id}", headers=api.facilitator()).status_code == 404
    after = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "lagi"}, headers=prank.headers)
    assert after.status_code in (401, 403)
    fresh = api.board(rina.headers, session["id"])
    assert fresh["participant_count"] == 1
    # a phone following the log learns the new count from the event alone
    from app.services.audience import phone as audience_of
    from tests.support.log import events_after, rendered
    from tests.support.reducer import reduce

    audience = audience_of(rina.participant_id)
    rows = events_after(app, session["id"], before["last_seq"])
    assert reduce(before, rendered(rows, before, audience)) == fresh

    r = client.patch(f"/api/v1/sessions/{session['id']}", json={"join_locked": True}, headers=fac)
    assert r.status_code == 200 and r.json()["join_locked"] is True
    refused = client.post("/api/v1/join", json={"join_code": session["join_code"], "name": "Iseng lagi",
                                                "organization_type": "lainnya", "organization": "X"})
    assert refused.status_code == 409 and "dikunci" in refused.json()["detail"]
    assert api.idea(rina, "Rina tetap bisa mengirim")["id"]
