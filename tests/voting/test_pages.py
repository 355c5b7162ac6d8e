"""Group, vote and results pages without a browser: the forms work without JavaScript
(303), answer htmx with fragments, refuse in Indonesian with the right status, escape
what people typed, and the live renderer draws each event once per screen."""

from __future__ import annotations

import gzip
import json
import re

from fastapi.testclient import TestClient

from app.realtime.feed import EventRecord
from app.realtime.viewer import Viewer
from tests.support.forms import HTMX, XSS, XSS_ESCAPED, create_session, join, location, send_idea

IDEAS = [
    ("Aplikasi antrean online RSUD", "living"),
    ("Antrean online di RSUD", "living"),
    ("QRIS di pasar nagari", "economy"),
    ("Sensor kualitas air sungai", "environment"),
]


# --- helpers ------------------------------------------------------------------------------

def cards(html: str) -> dict[int, list[str]]:
    """{group id: [idea texts]} of the group cards on a page."""
    out = {}
    for gid, body in re.findall(r'<article id="group-(\d+)"(.*?)</article>', html, re.S):
        out[int(gid)] = re.findall(r'<p class="gidea-text">([^<]*)</p>', body)
    return out


def column_of_group(html: str, gid: int) -> str:
    """The dimension column a group card sits in."""
    before = html.split(f'<article id="group-{gid}"', 1)[0]
    return re.findall(r'id="gcol-([a-z]+)"', before)[-1]


def group_of(html: str, text: str) -> int:
    return next(gid for gid, texts in cards(html).items() if text in texts)


def idea_id_of(html: str, text: str) -> int:
    return int(re.search(r'id="gidea-(\d+)"[^>]*>\s*<p class="gidea-text">' + re.escape(text) + "<", html).group(1))


def grouping_session(console: TestClient, new_phone, *, phones: int = 1, ideas=IDEAS, phase: str = "group",
                     **settings) -> tuple[dict, list[TestClient]]:
    s = create_session(console)
    devices = []
    for n in range(phones):
        device = new_phone()
        join(device, s["code"], name=f"Peserta {n}")
        devices.append(device)
    for i, (text, dim) in enumerate(ideas):
        assert location(send_idea(devices[i % phones], s["id"], text, dim))
    if settings:
        save_settings(console, s["id"], **settings)
    location(console.post(f"/console/sessions/{s['id']}/phase", data={"phase": phase}, follow_redirects=False))
    return s, devices


def save_settings(console: TestClient, session_id: int, **values) -> None:
    form = {"vote_budget": "5", "max_votes_per_group": "3", "anonymous": "1"}
    form.update({k: ("1" if v is True else str(v)) for k, v in values.items() if v is not False})
    for key in [k for k, v in values.items() if v is False]:
        form.pop(key, None)
    location(console.post(f"/console/sessions/{session_id}/settings", data=form, follow_redirects=False))


def board(console, s) -> str:
    return console.get(f"/board/{s['id']}").text


def vote(phone: TestClient, s: dict, gid: int, *, seen: int | None = None, undo: bool = False, htmx: bool = False):
    data = {} if seen is None else {"seen": str(seen)}
    return phone.post(f"/s/{s['id']}/groups/{gid}/{'unvote' if undo else 'vote'}", data=data,
                      headers=HTMX if htmx else {})


def my_dots(html: str, gid: int) -> int:
    form = html.split(f'id="vg-{gid}-mine"', 1)[1].split("</form>", 1)[0]
    return form.split("</p>", 1)[0].count("dot is-full")


# --- grouping -------------------------------------------------------------------------------

def test_group_phase_board_shows_group_cards_by_the_groups_dimension(console, new_phone):
    s, _ = grouping_session(console, new_phone)
    html = board(console, s)
    assert 'id="group-columns"' in html and 'id="board-body"' not in html
    assert 'data-grouping="%d"' % s["id"] in html  # drag and drop for the facilitator
    assert re.search(r'src="/static/vendor/sortable-1\.15\.\d+\.min\.js\?v=', html) and "/static/grouping.js?v=" in html
    groups = cards(html)
    assert sorted(t for texts in groups.values() for t in texts) == sorted(t for t, _ in IDEAS)
    assert column_of_group(html, group_of(html, "QRIS di pasar nagari")) == "economy"
    for code in ("governance", "branding", "economy", "living", "society", "environment", "none"):
        assert f'id="gcol-{code}"' in html
    assert "Suara kedua kelompok dijumlahkan" in html
    assert "Kelompok baru" in html


def test_move_with_the_fallback_form_without_javascript(console, new_phone):
    s, _ = grouping_session(console, new_phone)
    html = board(console, s)
    target, mover = group_of(html, "Aplikasi antrean online RSUD"), idea_id_of(html, "Antrean online di RSUD")
    source = group_of(html, "Antrean online di RSUD")
    # Every idea has a move control; without JavaScript it links to the form as a page.
    link = f"/board/{s['id']}/ideas/{mover}/move?next=/board/{s['id']}"
    assert f'href="{link}"' in html
    page = console.get(link)
    assert page.status_code == 200
    assert '<select id="move-%d" name="group_id"' % mover in page.text
    assert '<option value="">+ Kelompok baru (berdiri sendiri)</option>' in page.text
    assert f'<option value="{source}" disabled>' in page.text and "kelompok saat ini" in page.text
    assert f'<option value="{target}">' in page.text
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": str(target), "next": f"/board/{s['id']}"},
                     follow_redirects=False)
    assert location(r) == f"/board/{s['id']}"
    groups = cards(board(console, s))
    assert groups[target] == ["Aplikasi antrean online RSUD", "Antrean online di RSUD"] and source not in groups
    # Out again into a group of its own; with htmx the answer is 204 (the live stream shows it).
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": ""}, headers=HTMX)
    assert r.status_code == 204
    after = board(console, s)
    assert len(cards(after)) == 4 and cards(after)[target] == ["Aplikasi antrean online RSUD"]
    # The console's form returns to the console; a foreign `next` goes to the board.
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move",
                     data={"group_id": str(target), "next": f"/console/sessions/{s['id']}"}, follow_redirects=False)
    assert location(r) == f"/console/sessions/{s['id']}"
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": "", "next": "https://evil.example/"},
                     follow_redirects=False)
    assert location(r) == f"/board/{s['id']}"


def test_move_errors_are_indonesian_with_their_status(console, new_phone):
    s, _ = grouping_session(console, new_phone)
    html = board(console, s)
    mover = idea_id_of(html, "QRIS di pasar nagari")
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": "999999"})
    assert r.status_code == 404 and "Kelompok tidak ditemukan di sesi ini." in r.text and 'class="alert alert-error"' in r.text
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": "abc"}, headers=HTMX)
    assert r.status_code == 422 and r.text.lstrip().startswith('<form class="move-form"')
    assert "Kelompok tujuan harus berupa bilangan bulat." in r.text
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "closed"})
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": ""})
    assert r.status_code == 409 and "tidak pada sesi draf atau yang sudah ditutup" in r.text


def test_new_group_drop_zone_sets_the_dimension_of_the_new_group(console, new_phone):
    s, _ = grouping_session(console, new_phone)
    html = board(console, s)
    target, mover = group_of(html, "Aplikasi antrean online RSUD"), idea_id_of(html, "Antrean online di RSUD")
    console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": str(target)})
    r = console.post(f"/board/{s['id']}/ideas/{mover}/move", data={"group_id": "", "dimension": "governance"},
                     headers=HTMX)
    assert r.status_code == 204
    html = board(console, s)
    assert column_of_group(html, group_of(html, "Antrean online di RSUD")) == "governance"


def test_rename_and_set_the_dimension(console, new_phone):
    s, _ = grouping_session(console, new_phone)
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    r = console.post(f"/board/{s['id']}/groups/{gid}/edit",
                     data={"title": "Transaksi non-tunai", "dimension": "governance", "next": f"/board/{s['id']}"},
                     follow_redirects=False)
    assert location(r) == f"/board/{s['id']}"
    html = board(console, s)
    assert column_of_group(html, gid) == "governance"
    assert f'<article id="group-{gid}" class="group-card dim-governance has-title"' in html
    assert '<h3 class="group-title">Transaksi non-tunai</h3>' in html
    # htmx: the card's head comes back; an empty title goes back to the first idea.
    r = console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": "", "rename": "1"}, headers=HTMX)
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<header class="group-head" id="group-{gid}-head">')
    assert "group-title" not in r.text
    assert 'class="group-card dim-governance"' in board(console, s)
    # dimension only (drag and drop of a card): the title stays
    console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": "Pasar digital", "rename": "1"})
    console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"dimension": "none"}, headers=HTMX)
    html = board(console, s)
    assert column_of_group(html, gid) == "none" and "Pasar digital" in html
    # refused: the message in Indonesian, what was typed kept; without JS as a page
    r = console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": "x", "rename": "1", "dimension": "smart-kota"})
    assert r.status_code == 422 and "Dimensi smart-kota tidak dikenal." in r.text and 'value="x"' in r.text
    assert console.get(f"/board/{s['id']}/groups/{gid}/edit").status_code == 200
    assert console.post(f"/board/{s['id']}/groups/999999/edit", data={"title": "x"}).status_code == 404


def test_duplicate_suggestion_merges_with_one_click_and_sums_votes(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone, phase="vote")
    html = board(console, s)
    a, b = group_of(html, "Aplikasi antrean online RSUD"), group_of(html, "Antrean online di RSUD")
    for gid in (a, a, b):
        location(vote(phone, s, gid))
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "group"})
    page = console.get(f"/console/sessions/{s['id']}").text
    assert "Kemungkinan duplikat:" in page
    assert re.search(r"<q>Aplikasi antrean online RSUD</q> <span[^>]*>↔</span> <q>Antrean online di RSUD</q>,\s*"
                     r"kemiripan \d+%", page)
    assert "Suara kedua kelompok dijumlahkan" in page
    # a suggestion is never applied on its own
    assert len(cards(board(console, s))) == 4
    r = console.post(f"/console/sessions/{s['id']}/merge", data={"group_id": str(b), "into": str(a)},
                     follow_redirects=False)
    assert location(r) == f"/console/sessions/{s['id']}#duplicates"
    groups = cards(board(console, s))
    assert groups[a] == ["Aplikasi antrean online RSUD", "Antrean online di RSUD"] and b not in groups
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "results"})
    results = board(console, s)
    first = results.split('<li class="rank-row', 1)[1].split("</li>", 1)[0]
    assert "Aplikasi antrean online RSUD" in first and "<strong>3</strong>" in first
    r = console.post(f"/console/sessions/{s['id']}/merge", data={"group_id": str(a), "into": str(a)})
    assert r.status_code == 422 and "Kelompok tidak dapat digabung dengan dirinya sendiri." in r.text


# --- settings and downloads -------------------------------------------------------------------

def test_settings_are_saved_and_refused_in_indonesian(app, console, new_phone):
    s = create_session(console)
    page = console.get(f"/console/sessions/{s['id']}").text
    assert 'name="participants_can_group" value="1">' in page and 'name="live_votes" value="1">' in page
    save_settings(console, s["id"], participants_can_group=True, live_votes=True, anonymous_exports=True,
                  vote_budget=7, max_votes_per_group=2)
    page = console.get(f"/console/sessions/{s['id']}").text
    for name in ("participants_can_group", "live_votes", "anonymous_exports", "anonymous"):
        assert f'name="{name}" value="1" checked>' in page, name
    assert re.search(r'name="vote_budget" min="1" max="50" required\s+value="7"', page)
    save_settings(console, s["id"], live_votes=False, anonymous=False)  # unticked = off
    page = console.get(f"/console/sessions/{s['id']}").text
    assert 'name="live_votes" value="1">' in page and 'name="anonymous" value="1">' in page
    r = console.post(f"/console/sessions/{s['id']}/settings", data={"vote_budget": "0", "max_votes_per_group": "3"})
    assert r.status_code == 422 and "Jatah suara harus antara 1 dan 50." in r.text
    assert 'value="0"' in r.text


def test_console_and_workshop_link_every_summary_format(console):
    s = create_session(console)
    page = console.get(f"/console/sessions/{s['id']}").text
    for ext in ("md", "csv", "json", "xlsx", "docx", "pdf"):
        assert f'href="/api/v1/sessions/{s["id"]}/summary.{ext}" download' in page, ext
    workshop_id = s["workshop_url"].rsplit("/", 1)[1]
    page = console.get(s["workshop_url"]).text
    for ext in ("md", "json", "xlsx", "docx", "pdf"):
        assert f'href="/api/v1/workshops/{workshop_id}/summary.{ext}" download' in page, ext


# --- voting from the phone ----------------------------------------------------------------------

def test_vote_and_take_back_without_javascript(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone, phase="vote")
    html = phone.get(f"/s/{s['id']}").text
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    assert 'id="votes-left"' in html and "Sisa titik:" in html and "dari 5" in html
    assert f'action="/s/{s["id"]}/groups/{gid}/vote"' in html and f'formaction="/s/{s["id"]}/groups/{gid}/unvote"' in html
    assert 'id="idea-form"' not in html and 'id="my-ideas"' not in html  # the ballot only
    r = vote(phone, s, gid, seen=0)
    assert location(r) == f"/s/{s['id']}#vg-{gid}"
    location(vote(phone, s, gid, seen=1))
    html = phone.get(f"/s/{s['id']}").text
    assert my_dots(html, gid) == 2
    assert re.search(r'class="votes-left-num">3<', html) and 'data-votes-left="3"' in html
    location(vote(phone, s, gid, seen=2, undo=True))
    assert my_dots(phone.get(f"/s/{s['id']}").text, gid) == 1


def test_vote_with_htmx_returns_the_controls_and_the_dots_left(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone, phase="vote")
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    r = vote(phone, s, gid, seen=0, htmx=True)
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<form id="vg-{gid}-mine"')
    assert my_dots(r.text, gid) == 1 and 'name="seen" value="1"' in r.text
    assert '<div id="votes-left" class="votes-left" hx-swap-oob="true">' in r.text
    assert 'class="votes-left-num">4<' in r.text


def test_a_repeated_or_double_tapped_dot_counts_once(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone, phase="vote")
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    for _ in range(3):  # the same form sent three times (a retry, a double tap)
        location(vote(phone, s, gid, seen=0))
    assert my_dots(phone.get(f"/s/{s['id']}").text, gid) == 1


def test_budget_cap_and_phase_errors_are_indonesian_409s(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone, phase="vote")
    html = board(console, s)
    a, b = group_of(html, "QRIS di pasar nagari"), group_of(html, "Sensor kualitas air sungai")
    for n in range(3):
        location(vote(phone, s, a, seen=n))
    r = vote(phone, s, a, seen=3, htmx=True)  # the cap
    assert r.status_code == 409 and "Maksimal 3 titik per kelompok." in r.text
    assert r.text.lstrip().startswith(f'<form id="vg-{a}-mine"') and 'class="alert alert-error"' in r.text
    location(vote(phone, s, b, seen=0))
    location(vote(phone, s, b, seen=1))
    r = vote(phone, s, b, seen=2)  # the budget, without JavaScript: the whole page, the message at the card
    assert r.status_code == 409
    message = "Titik Anda sudah habis (5 per orang). Ambil kembali satu titik untuk memindahkannya."
    assert r.text.count(message) == 2 and 'class="alert alert-error"' in r.text
    c = group_of(html, "Aplikasi antrean online RSUD")
    r = vote(phone, s, c, seen=0, undo=True, htmx=True)
    assert r.status_code == 409 and "Anda belum memberi titik pada kelompok ini." in r.text
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "group"})
    r = vote(phone, s, c, seen=0)
    assert r.status_code == 409 and "Pemungutan suara sedang tidak dibuka" in r.text
    r = vote(phone, s, 999999, seen=0)
    assert r.status_code == 404 and "Kelompok tidak ditemukan." in r.text
    assert location(vote(new_phone(), s, c, seen=0)) == "/"  # not joined


def test_totals_stay_hidden_in_the_vote_unless_live_votes(console, new_phone):
    s, (phone, other) = grouping_session(console, new_phone, phones=2, phase="vote")
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    location(vote(other, s, gid, seen=0))
    assert f'id="vg-{gid}-votes"' not in phone.get(f"/s/{s['id']}").text
    assert f'id="group-{gid}-votes"' not in board(console, s)
    console_page = console.get(f"/console/sessions/{s['id']}").text  # the facilitator always sees them
    assert re.search(rf'id="group-{gid}-votes">1</strong> suara', console_page)
    save_settings(console, s["id"], live_votes=True)
    assert re.search(rf'id="vg-{gid}-votes">1</strong> suara', phone.get(f"/s/{s['id']}").text)
    assert re.search(rf'id="group-{gid}-votes">1</strong> suara', board(console, s))


def test_the_ballot_is_rendered_once_for_the_room_and_stays_true(app, console, new_phone):
    """500 phones reload into the vote at once: the ballot is built once and each
    phone gets its own dots and the current totals; a change to the groups (not a
    vote) builds it again."""
    ballot = app.state.ballot
    s, phones = grouping_session(console, new_phone, phones=3, phase="vote", live_votes=True)
    first, second, third = phones
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    before = ballot.builds
    pages = [phone.get(f"/s/{s['id']}").text for phone in phones]
    assert ballot.builds == before + 1
    assert all("QRIS di pasar nagari" in html and my_dots(html, gid) == 0 for html in pages)
    # Votes are not a change to the ballot: no new build, yet every number is fresh.
    location(vote(first, s, gid, seen=0))
    location(vote(first, s, gid, seen=1))
    location(vote(second, s, gid, seen=0))
    mine, theirs, nobody = (phone.get(f"/s/{s['id']}").text for phone in phones)
    assert ballot.builds == before + 1
    assert (my_dots(mine, gid), my_dots(theirs, gid), my_dots(nobody, gid)) == (2, 1, 0)
    assert all(re.search(rf'id="vg-{gid}-votes">3</strong>', html) for html in (mine, theirs, nobody))
    assert 'data-votes-left="3"' in mine and 'data-votes-left="4"' in theirs and 'data-votes-left="5"' in nobody
    # The facilitator renames the group: the next page shows the new title.
    console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": "Transaksi <b>non-tunai</b>", "rename": "1"})
    html = third.get(f"/s/{s['id']}").text
    assert ballot.builds == before + 2
    assert "Transaksi &lt;b&gt;non-tunai&lt;/b&gt;" in html and my_dots(html, gid) == 0
    assert my_dots(first.get(f"/s/{s['id']}").text, gid) == 2
    # Another language is another rendering.
    english = third.get(f"/s/{s['id']}?lang=en").text
    assert ballot.builds == before + 3 and "Dots left:" in english


def test_phones_without_dots_share_one_compressed_ballot_and_read_the_same_page(app, console, new_phone):
    """When the vote opens every phone comes back for its ballot, none with a dot yet:
    their ballot is compressed once (app.gzip_runs) and only each page's own head and
    tail per phone. What a browser inflates (CRC and length checked) is the page the
    phone gets uncompressed; a phone with dots still gets its own dots."""
    s, phones = grouping_session(console, new_phone, phones=2, phase="vote")
    first, second = phones
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    path = f"/s/{s['id']}"

    def raw(phone: TestClient, encoding: str) -> tuple[str | None, bytes]:
        with phone.stream("GET", path, headers={"accept-encoding": encoding}) as response:
            assert response.status_code == 200
            return response.headers.get("content-encoding"), b"".join(response.iter_raw())

    def same_page(html: str) -> str:  # the form's one-time id and the server's clock differ per render
        return re.sub(r'name="client_id" value="[0-9a-f]+"|\d\d:\d\d:\d\d\.\d+Z', "", html)

    encoding, body = raw(first, "gzip, deflate")
    assert encoding == "gzip"
    page = gzip.decompress(body).decode()
    _, plain = raw(first, "identity")
    assert same_page(page) == same_page(plain.decode())
    assert "QRIS di pasar nagari" in page and my_dots(page, gid) == 0 and page.rstrip().endswith("</html>")
    assert "Peserta 0" in page  # the head is this phone's own
    shared = next(iter(app.state.ballot._entries.values()))
    run = next(iter(shared.undotted.values()))
    assert gzip.decompress(raw(second, "gzip")[1]).decode().count("QRIS di pasar nagari") == 1
    assert "Peserta 1" in gzip.decompress(raw(second, "gzip")[1]).decode()
    assert list(shared.undotted.values()) == [run]  # compressed once for both
    # A dot makes the first phone's ballot its own; the second's stays the room's.
    location(vote(first, s, gid, seen=0))
    assert my_dots(gzip.decompress(raw(first, "gzip")[1]).decode(), gid) == 1
    assert my_dots(gzip.decompress(raw(second, "gzip")[1]).decode(), gid) == 0
    assert list(shared.undotted.values()) == [run]


def test_a_title_that_looks_like_a_ballot_marker_stays_text(console, new_phone):
    """The ballot is cut at HTML-comment markers and the page streamed around one
    (app.realtime.ballot, render_spliced): a title typed to look like them is
    escaped text, so the page keeps one set of controls per group and its end."""
    s, (phone,) = grouping_session(console, new_phone, phones=1, phase="vote")
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    title = f"<!--rb:splice--><!--rb:mine:{gid}--><!--rb:left:-->"
    console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": title, "rename": "1"})
    html = phone.get(f"/s/{s['id']}").text
    assert f"&lt;!--rb:splice--&gt;&lt;!--rb:mine:{gid}--&gt;&lt;!--rb:left:--&gt;" in html
    assert html.count(f'id="vg-{gid}-mine"') == 1 and html.count('id="votes-left"') == 1
    assert html.rstrip().endswith("</html>") and "rb:splice" not in html.replace("&lt;!--rb:splice", "")


# --- results ------------------------------------------------------------------------------------

def test_results_rank_the_groups_with_the_right_numbers_and_mark_my_votes(console, new_phone):
    s, phones = grouping_session(console, new_phone, phones=3, phase="vote")
    html = board(console, s)
    sensor, qris, rsud = (group_of(html, t) for t in ("Sensor kualitas air sungai", "QRIS di pasar nagari",
                                                       "Aplikasi antrean online RSUD"))
    plan = {0: [sensor, sensor, qris], 1: [sensor, sensor], 2: [qris, rsud]}
    for p, gids in plan.items():
        for gid in gids:
            assert vote(phones[p], s, gid).status_code == 303
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "results"})
    html = board(console, s)
    overall = html.split('id="res-overall-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<span class="rank-num">(\d+)</span>.*?<span class="rank-title">([^<]*)</span>.*?'
                      r'<span class="rank-votes"><strong>(\d+)</strong>', overall, re.S)
    assert rows == [("1", "Sensor kualitas air sungai", "4"), ("2", "QRIS di pasar nagari", "2"),
                    ("3", "Aplikasi antrean online RSUD", "1")]
    assert "7 suara" in overall and "3 pemilih" in overall
    assert 'class="dim-chart"' in html and "<svg" in html
    assert re.search(r"<strong>3</strong> <span>Perangkat Daerah \(OPD\)</span>", html)
    env = html.split('id="res-dim-environment"', 1)[1].split("</section>", 1)[0]
    assert "Sensor kualitas air sungai" in env and "<strong>4</strong>" in env
    # the phone: the same ranking, its own votes marked
    mine = phones[2].get(f"/s/{s['id']}").text
    top = mine.split('id="pr-title"', 1)[1].split("</ol>", 1)[0]
    assert [t for _, t, _ in re.findall(r'<span class="rank-num">(\d+)</span>.*?<span class="rank-title">([^<]*)</span>'
                                        r'.*?<strong>(\d+)</strong>', top, re.S)] == [r[1] for r in rows]
    assert top.count("Suara Anda: 1") == 2 and "is-mine" in top
    assert "Suara Anda" not in top.split("QRIS di pasar nagari", 1)[0]  # not on the group it did not vote for
    assert "Suara Anda: 2" in phones[1].get(f"/s/{s['id']}").text
    # the console shows the ranking too
    assert "Sensor kualitas air sungai" in console.get(f"/console/sessions/{s['id']}").text.split('id="results-title"')[1]


def test_xss_in_a_group_title_is_escaped_everywhere(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone)
    gid = group_of(board(console, s), "QRIS di pasar nagari")
    location(console.post(f"/board/{s['id']}/groups/{gid}/edit", data={"title": XSS, "rename": "1"},
                          follow_redirects=False))
    pages = {"board": board(console, s), "console": console.get(f"/console/sessions/{s['id']}").text}
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "vote"})
    pages["phone"] = phone.get(f"/s/{s['id']}").text
    pages["board-vote"] = board(console, s)
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "results"})
    pages["results"] = board(console, s)
    pages["phone-results"] = phone.get(f"/s/{s['id']}").text
    for name, html in pages.items():
        assert "<script>alert" not in html and "<img src=x" not in html, name
        assert XSS_ESCAPED in html, name


# --- participants grouping ------------------------------------------------------------------------

def test_participants_group_only_when_the_session_allows_it(console, new_phone):
    s, (phone,) = grouping_session(console, new_phone)
    html = board(console, s)
    target, mover = group_of(html, "Aplikasi antrean online RSUD"), idea_id_of(html, "Antrean online di RSUD")
    assert 'id="group-columns"' not in phone.get(f"/s/{s['id']}").text
    r = phone.post(f"/s/{s['id']}/ideas/{mover}/move", data={"group_id": str(target)})
    assert r.status_code == 403 and "Di sesi ini hanya fasilitator yang mengelompokkan ide." in r.text
    save_settings(console, s["id"], participants_can_group=True)
    page = phone.get(f"/s/{s['id']}").text
    assert 'id="group-columns"' in page and "Bantu kelompokkan ide" in page
    assert f'href="/s/{s["id"]}/ideas/{mover}/move?next=/s/{s["id"]}"' in page
    assert 'class="group-edit"' not in page and "group-handle" not in page  # moving only
    assert phone.get(f"/s/{s['id']}/ideas/{mover}/move").status_code == 200
    r = phone.post(f"/s/{s['id']}/ideas/{mover}/move", data={"group_id": str(target)})
    assert location(r) == f"/s/{s['id']}#gidea-{mover}"
    assert cards(board(console, s))[target] == ["Aplikasi antrean online RSUD", "Antrean online di RSUD"]


# --- live HTML renderer (unit) ------------------------------------------------------------------

def _ops(message: str) -> list[dict]:
    return json.loads(message)["ops"]


def _idea(idea_id: int, text: str = "Ide <b>", *, hidden=False, participant_id=3) -> dict:
    return {"id": idea_id, "group_id": 1, "text": text, "dimension": "living", "sub_element": None, "hidden": hidden,
            "participant_id": participant_id, "author": {"name": "Rina", "organization": "Bappeda", "organization_type": "opd"},
            "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z"}


def _moved(seq: int, *, merged: bool, votes: int = 4, hidden=False) -> EventRecord:
    return EventRecord(1, seq, "idea.moved", {
        "idea": _idea(9, hidden=hidden), "from_group_id": 5, "group": {"id": 7, "title": None, "dimension": "economy"},
        "merged": merged, "votes_moved": 2, "votes": votes}, None)


BOARD = {"anonymous": True, "phase": "group", "live_votes": False}
PHONE = {"idea_max_length": 280, "phase": "vote", "participants_can_group": False, "live_votes": False,
         "vote_budget": 5, "max_votes_per_group": 3}


def test_board_ops_for_a_move_keep_ideas_in_id_order_and_drop_merged_cards(app):
    live = app.state.live_html
    ops = _ops(live.message(_moved(20, merged=True), Viewer("board", 1, "id", variant=BOARD)))
    card, idea, removed = ops
    assert card["op"] == "upsert" and card["id"] == "group-7" and card["into"] == "#gcol-economy" and card["keep"]
    assert 'id="gideas-7"></ol>' in card["html"]  # an empty shell: the idea is never on the page twice
    assert idea == {**idea, "op": "upsert", "id": "gidea-9", "into": "#gideas-7", "where": "sorted"}
    assert 'data-order="9"' in idea["html"] and "Ide &lt;b&gt;" in idea["html"] and "Rina" not in idea["html"]
    assert "/board/1/ideas/9/move" in idea["html"]  # the facilitator's move control
    assert removed == {"op": "remove", "id": "group-5"}
    # in the vote phase with live votes: no controls, and the summed total
    voting = Viewer("board", 1, "id", variant={**BOARD, "phase": "vote", "live_votes": True})
    ops = _ops(live.message(_moved(20, merged=True), voting))
    assert "/move" not in ops[1]["html"] and ops[-1] == {"op": "text", "id": "group-7-votes", "text": "4"}
    # hidden ideas never reach the projector, but the console shows them
    assert _ops(live.message(_moved(21, merged=False, hidden=True), Viewer("board", 1, "id", variant=BOARD))) == [
        {"op": "remove", "id": "gidea-9"}]
    console_ops = _ops(live.message(_moved(21, merged=False, hidden=True), Viewer("console", 1, "id", variant={"phase": "group"})))
    assert "Disembunyikan" in console_ops[1]["html"] and "Rina" in console_ops[1]["html"]


def test_group_updated_ops_and_results_reload(app):
    live = app.state.live_html
    updated = EventRecord(1, 30, "group.updated", {"group": {"id": 7, "title": "<i>Pasar</i>", "dimension": "governance"}}, None)
    head, cls, move = _ops(live.message(updated, Viewer("board", 1, "id", variant=BOARD)))
    assert head["op"] == "upsert" and head["id"] == "group-7-head" and "into" not in head
    assert "&lt;i&gt;Pasar&lt;/i&gt;" in head["html"]
    assert cls == {"op": "attr", "id": "group-7", "name": "class", "value": "group-card dim-governance has-title"}
    assert move == {"op": "move", "id": "group-7", "into": "#gcol-governance", "where": "sorted"}
    results = Viewer("board", 1, "id", variant={**BOARD, "phase": "results"})
    assert _ops(live.message(updated, results)) == [{"op": "reload"}]
    phone = Viewer("phone", 1, "id", participant_id=3, variant=PHONE)
    assert _ops(live.message(updated, phone)) == [{"op": "reload"}]  # a fresh ballot


def test_vote_ops_render_once_the_voters_dots_and_totals_only_with_live_votes(app):
    live = app.state.live_html
    cast = EventRecord(1, 40, "vote.cast", {"group_id": 7, "votes": 12, "participant_id": 3,
                                              "my_votes_on_group": 2, "votes_left": 1}, None)
    phones = [Viewer("phone", 1, "id", participant_id=p, variant=PHONE) for p in range(1, 501)]
    before = live.renders
    messages = [_ops(live.message(cast, phone)) for phone in phones]
    assert live.renders == before + 2  # once for the room, once more for the owner's own part (not kept)
    own = messages[2]
    assert own[0]["id"] == "vg-7-mine" and own[0]["html"].count("dot is-full") == 2
    assert own[1]["id"] == "votes-left" and 'class="votes-left-num">1<' in own[1]["html"]
    assert own[2] == {"op": "attr", "id": "main", "name": "data-votes-left", "value": 1}
    assert all(m == [] for i, m in enumerate(messages) if i != 2)  # totals hidden, others' dots private
    shown = Viewer("phone", 1, "id", participant_id=1, variant={**PHONE, "live_votes": True})
    assert _ops(live.message(cast, shown)) == [{"op": "text", "id": "vg-7-votes", "text": "12"}]
    # the facilitator always sees the tally; the board only with live votes
    assert _ops(live.message(cast, Viewer("console", 1, "id", variant={"phase": "vote"}))) == [
        {"op": "text", "id": "group-7-votes", "text": "12"}]
    assert _ops(live.message(cast, Viewer("board", 1, "id", variant={**BOARD, "phase": "vote"}))) == []
    # settings changed while voting: phones reload into them
    updated = EventRecord(1, 41, "session.updated", {"session": {"title": "t", "prompt": "p", "idea_max_length": 280,
                                                                "phase": "vote", "live_votes": True}}, None)
    assert _ops(live.message(updated, phones[0])) == [{"op": "reload"}]


def test_sortablejs_is_vendored_pinned_and_licensed():
    from app.assets import STATIC_DIR
    from app.routes.pages import SORTABLE_VERSION

    script = STATIC_DIR / "vendor" / f"sortable-{SORTABLE_VERSION}.min.js"
    assert script.read_text(encoding="utf-8").startswith(f"/*! Sortable {SORTABLE_VERSION} - MIT")
    assert "Permission is hereby granted" in (STATIC_DIR / "vendor" / "sortable-LICENSE.txt").read_text(encoding="utf-8")


def test_a_burst_of_votes_reaches_each_phone_as_one_message_or_none(app):
    """The stream hands a screen a burst (one tick's events) at once: one message with
    the ops of all of them in order, so the last tally wins on the page; a phone for
    which the burst changes nothing (totals hidden, not its dots) gets one empty
    message that only moves its seq on, unnamed so the stream may hold it back."""
    live = app.state.live_html
    burst = [EventRecord(1, 50 + n, "vote.cast", {"group_id": 7 + n % 2, "votes": 10 + n, "participant_id": 3 + n % 3,
                                                   "my_votes_on_group": 1, "votes_left": 4}, None) for n in range(12)]
    bystander = Viewer("phone", 1, "id", participant_id=99, variant=dict(PHONE))
    [(name, data, seq)] = live.batch(burst, bystander)
    assert json.loads(data) == {"seq": 61, "ops": []} and seq == 61 and name is None
    watching = Viewer("phone", 1, "id", participant_id=99, variant={**PHONE, "live_votes": True})
    [(name, data, seq)] = live.batch(burst, watching)
    message = json.loads(data)
    assert (name, seq, message["seq"]) == ("ops", 61, 61)
    texts = [op for op in message["ops"] if op["op"] == "text"]
    assert len(texts) == 12
    last = {op["id"]: op["text"] for op in texts}  # what the page ends up showing
    assert last == {"vg-7-votes": "20", "vg-8-votes": "21"}
    voter = Viewer("phone", 1, "id", participant_id=3, variant=dict(PHONE))
    [(_name, data, _seq)] = live.batch(burst, voter)
    assert {op["id"] for op in json.loads(data)["ops"]} == {"vg-7-mine", "vg-8-mine", "votes-left", "main"}


def test_a_reload_the_whole_room_gets_comes_with_a_window_as_long_as_the_room_needs(app):
    """Opening the vote (or a new ballot) sends every phone back for its page: with many
    phones following, each reloads at a moment of its own within a window of
    ``REMBUK_RELOAD_SPREAD_MS_PER_PHONE`` per phone (at most 20 s); a few phones, a
    removed phone's own reload and the projector reload at once."""
    from app.realtime import live_phone
    from app.realtime.html_stream import LiveHtml

    following = {"phones": 300}
    live = LiveHtml(app.state.templates, reload_window=lambda sid: live_phone.reload_window_ms(following["phones"], 20))
    phase = EventRecord(1, 40, "session.phase_changed", {"session": {"id": 1, "phase": "vote"}}, None)
    phone = Viewer("phone", 1, "id", participant_id=3, variant={**PHONE, "phase": "brainstorm"})
    assert _ops(live.message(phase, phone)) == [{"op": "reload", "within_ms": 6000}]
    following["phones"] = 5_000
    renamed = EventRecord(1, 41, "group.updated", {"group": {"id": 7, "title": "Pasar", "dimension": "economy"}}, None)
    assert _ops(live.message(renamed, Viewer("phone", 1, "id", participant_id=3, variant=PHONE))) == [
        {"op": "reload", "within_ms": 20_000}]
    following["phones"] = 10  # 200 ms: not worth a wait
    assert _ops(live.message(EventRecord(1, 42, "session.phase_changed", {}, None), phone)) == [{"op": "reload"}]
    following["phones"] = 300
    removed = EventRecord(1, 43, "participant.removed", {"participant_id": 3}, None)
    assert _ops(live.message(removed, phone)) == [{"op": "reload"}]  # only its own phone, at once
    board = Viewer("board", 1, "id", variant={**BOARD, "phase": "vote"})
    assert _ops(live.message(EventRecord(1, 44, "session.phase_changed", {}, None), board)) == [{"op": "reload"}]

