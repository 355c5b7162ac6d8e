"""The masterplan steps' live screens without a browser: the SWOT board, lineage on carried
groups, rating from the phone (forms first, Indonesian refusals, nothing saved on a
bad value), the impact × feasibility matrix, the commitment, and what the live
stream renders for the new events."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.realtime.feed import EventRecord
from app.realtime.viewer import Viewer
from app.services import matrix
from tests.builders import Api
from tests.support.forms import HTMX, XSS, XSS_ESCAPED, body_rows, join, location, send_idea
from tests.support.forms import create_session as console_session

EMAIL = "fasilitator@kominfo.go.id"  # tests.pages.test_pages.make_facilitator


# --- helpers ------------------------------------------------------------------------------

@pytest.fixture
def fac(console) -> dict:
    """The facilitator's API token (settings the console sets elsewhere: layout, import…)."""
    return Api(console).login(EMAIL)


def patch_session(console: TestClient, fac: dict, session_id: int, **values) -> None:
    r = console.patch(f"/api/v1/sessions/{session_id}", json=values, headers=fac)
    assert r.status_code == 200, r.text


def phase(console: TestClient, session_id: int, name: str) -> None:
    location(console.post(f"/console/sessions/{session_id}/phase", data={"phase": name}, follow_redirects=False))


def groups_of(console: TestClient, fac: dict, session_id: int) -> dict[str, dict]:
    """{first idea's text: group} from the facilitator's JSON board."""
    return {g["ideas"][0]["text"]: g for g in Api(console).board(fac, session_id)["groups"]}


def phones(new_phone, code: str, n: int) -> list[TestClient]:
    out = []
    for i in range(n):
        device = new_phone()
        join(device, code, name=f"Peserta {i}", organization=f"Dinas {i}")
        out.append(device)
    return out


def section(html: str, element_id: str) -> str:
    """The markup of the element with this id up to its quadrant's end (enough to look inside)."""
    return html.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def rate(phone: TestClient, session_id: int, group_id: int, impact, feasibility, *, htmx: bool = False):
    data = {k: str(v) for k, v in (("impact", impact), ("feasibility", feasibility)) if v is not None}
    return phone.post(f"/s/{session_id}/groups/{group_id}/score", data=data, headers=HTMX if htmx else {})


def scored_session(console, fac, new_phone, *, ideas, raters: int = 2) -> tuple[dict, list[TestClient], dict]:
    s = console_session(console)
    devices = phones(new_phone, s["code"], raters)
    for i, (text, dim) in enumerate(ideas):
        assert location(send_idea(devices[i % raters], s["id"], text, dim))
    phase(console, s["id"], "score")
    return s, devices, groups_of(console, fac, s["id"])


# --- SWOT board ---------------------------------------------------------------------------

SWOT_IDEAS = [("SDM TIK di OPD terbatas", "governance", "weakness"), ("Pantai Gandoriah terkenal", "branding", "strength"),
              ("Program nasional 100 Smart City", "governance", "opportunity"), ("Hoaks di media sosial", "society", "threat"),
              ("Belum ada satu data", "economy", "none")]


def swot_session(console, fac, new_phone) -> tuple[dict, TestClient]:
    """A SWOT session with SWOT_IDEAS sent from one phone (returned)."""
    s = console_session(console)
    patch_session(console, fac, s["id"], layout="swot")
    (phone,) = phones(new_phone, s["code"], 1)
    for text, dim, swot in SWOT_IDEAS:
        assert location(send_idea(phone, s["id"], text, dim, swot=swot)) == f"/s/{s['id']}"
    return s, phone


def test_swot_board_shows_quadrants_with_each_cards_dimension_and_filters(console, fac, new_phone):
    s, _phone = swot_session(console, fac, new_phone)
    html = console.get(f"/board/{s['id']}").text
    assert 'class="board-columns"' not in html and 'id="board-body" class="swot-grid"' in html
    for code, name in (("strength", "Kekuatan"), ("weakness", "Kelemahan"), ("opportunity", "Peluang"),
                       ("threat", "Ancaman"), ("none", "Belum dipilah")):
        assert f'id="col-title-{code}">{name}<span class="col-count"' in html  # the name, then its count
    weak = section(html, "col-weakness")
    assert "SDM TIK di OPD terbatas" in weak and "Pantai" not in weak
    # the card names its dimension: a letter badge and the name for screen readers, not colour alone
    card = weak.split('class="idea-card dim-governance"', 1)[1].split("</article>", 1)[0]
    assert '<span class="dim-badge dim-governance" aria-hidden="true">G</span>' in card and "Smart Governance" in card
    assert "Belum ada satu data" in section(html, "col-none")
    # One dimension, a plain link (no script needed).
    assert f'href="/board/{s["id"]}?dimension=governance"' in html
    only = console.get(f"/board/{s['id']}?dimension=governance").text
    assert "SDM TIK di OPD terbatas" in only and "Program nasional 100 Smart City" in only
    assert "Pantai Gandoriah" not in only and "Hoaks" not in only
    assert 'data-filter="governance"' in only and 'aria-current="page"><span class="dim-badge" aria-hidden="true">G' in only
    assert "Pantai Gandoriah" in console.get(f"/board/{s['id']}?dimension=bogus").text  # an unknown filter: all
    # Group phase: group cards in the quadrants, the quadrant set from the card's form.
    phase(console, s["id"], "group")
    html = console.get(f"/board/{s['id']}").text
    gid = groups_of(console, fac, s["id"])["Hoaks di media sosial"]["id"]
    assert f'id="group-{gid}"' in section(html, "gcol-threat") and "group-handle" not in html
    r = console.post(f"/board/{s['id']}/groups/{gid}/swot", data={"swot": "weakness", "next": f"/board/{s['id']}"},
                     follow_redirects=False)
    assert location(r) == f"/board/{s['id']}"
    assert f'id="group-{gid}"' in section(console.get(f"/board/{s['id']}").text, "gcol-weakness")
    r = console.post(f"/board/{s['id']}/groups/{gid}/swot", data={"swot": "kekuatan"}, headers=HTMX)
    assert r.status_code == 422 and "Kuadran SWOT kekuatan tidak dikenal." in r.text
    assert r.text.lstrip().startswith(f'<header class="group-head" id="group-{gid}-head">')
    r = console.post(f"/board/{s['id']}/groups/{gid}/swot", data={"swot": "kekuatan"})  # without JavaScript: a page
    assert r.status_code == 422 and "Kuadran SWOT kekuatan tidak dikenal." in r.text and "<!doctype html>" in r.text


def test_swot_results_rank_each_quadrant_by_votes_and_keep_the_dimension_filter(app, console, fac, new_phone):
    s, phone = swot_session(console, fac, new_phone)
    phase(console, s["id"], "vote")
    groups = groups_of(console, fac, s["id"])
    dots = {"Program nasional 100 Smart City": 2, "Hoaks di media sosial": 1, "SDM TIK di OPD terbatas": 1}
    for text, n in dots.items():
        for _ in range(n):
            location(phone.post(f"/s/{s['id']}/groups/{groups[text]['id']}/vote"))
    # the facilitator moves a group to another quadrant: the group's quadrant counts
    gid = groups["Pantai Gandoriah terkenal"]["id"]
    location(console.post(f"/board/{s['id']}/groups/{gid}/swot", data={"swot": "opportunity"}, follow_redirects=False))
    phase(console, s["id"], "results")
    html = console.get(f"/board/{s['id']}").text
    assert '<div id="swot-results" class="swot-grid swot-results" data-filter="">' in html
    assert 'class="results"' not in html  # not the plain dimension ranking
    for code, name in (("strength", "Kekuatan"), ("weakness", "Kelemahan"), ("opportunity", "Peluang"),
                       ("threat", "Ancaman"), ("none", "Belum dipilah")):
        assert re.search(rf'id="sres-title-{code}">{name}\s*<small>', html), code
    strength = section(html, "sres-strength")
    assert "Tidak ada kelompok" in strength and "Pantai" not in strength
    opportunity = section(html, "sres-opportunity")
    rows = re.findall(r'<li class="rank-row dim-(\w+)">.*?rank-title">([^<]+)<.*?<strong>(\d+)</strong>', opportunity, re.S)
    assert rows == [("governance", "Program nasional 100 Smart City", "2"), ("branding", "Pantai Gandoriah terkenal", "0")]
    assert '<span class="dim-badge dim-governance" aria-hidden="true">G</span>' in opportunity
    assert re.search(r'<strong>1</strong>', section(html, "sres-threat")) and "Belum ada satu data" in section(html, "sres-none")
    # one dimension, as before the results
    assert f'href="/board/{s["id"]}?dimension=governance"' in html
    only = console.get(f"/board/{s['id']}?dimension=governance").text
    assert 'data-filter="governance"' in only and 'aria-current="page"><span class="dim-badge" aria-hidden="true">G' in only
    assert "Program nasional 100 Smart City" in only and "SDM TIK di OPD terbatas" in only
    assert "Pantai Gandoriah" not in only and "Hoaks" not in only and "Belum ada satu data" not in only
    # the live stream: the page is current (no reload), a vote taken back reloads it
    live = app.state.live_html
    version = re.search(r'data-live-url="[^"]+\?v=(\w+)"', only).group(1)
    viewer = Viewer("board", s["id"], "id", page_version=version)
    seq, message = live.snapshot(app.state.sessions, viewer, "http://testserver")
    ops = _ops(message)  # no reload: the timer's state (stopped) and the count
    assert ops[-1] == {"op": "text", "id": "participant-count", "text": "1"}
    assert {(op["name"], op["value"]) for op in ops[:-1]} == {
        ("data-state", "stopped"), ("data-ends-at", ""), ("data-remaining", 0), ("data-duration", 0)}
    assert viewer.variant["layout"] == "swot" and viewer.variant["phase"] == "results"
    removed = EventRecord(s["id"], seq + 1, "vote.removed", {"group_id": gid, "participant_id": 1, "votes": 0,
                                                            "my_votes_on_group": 0, "votes_left": 5}, None)
    assert _ops(live.message(removed, viewer)) == [{"op": "reload"}]


def test_phone_asks_for_the_swot_quadrant_only_on_swot_sessions(console, fac, new_phone):
    s = console_session(console)
    (phone,) = phones(new_phone, s["code"], 1)
    page = phone.get(f"/s/{s['id']}").text
    assert '<fieldset class="swot-fieldset" id="swot-field" hidden disabled>' in page
    patch_session(console, fac, s["id"], layout="swot")
    page = phone.get(f"/s/{s['id']}").text
    assert '<fieldset class="swot-fieldset" id="swot-field">' in page and "Kuadran SWOT" in page
    assert 'name="swot" value="opportunity"' in page and ">Peluang</label>" in page
    # a refused quadrant: the message in Indonesian, what was typed kept
    r = send_idea(phone, s["id"], "Dana desa untuk digitalisasi", "economy", swot="peluang")
    assert r.status_code == 422 and "Kuadran SWOT peluang tidak dikenal." in r.text
    assert "Dana desa untuk digitalisasi</textarea>" in r.text
    assert location(send_idea(phone, s["id"], "Dana desa untuk digitalisasi", "economy", swot="opportunity"))
    group = groups_of(console, fac, s["id"])["Dana desa untuk digitalisasi"]
    assert (group["swot"], group["dimension"]) == ("opportunity", "economy")
    # the phone's own edit form asks again, with its quadrant chosen
    page = phone.get(f"/s/{s['id']}").text
    assert re.search(r'name="swot" value="opportunity" id="edit-\d+-swot-opportunity" checked', page)


# --- lineage -----------------------------------------------------------------------------------

def carried_session(console, fac, new_phone) -> dict:
    """A Tahap II session (in vote) holding both groups of a voted Tahap I session:
    "Antrean online RSUD" (4 votes there) and an XSS text (none)."""
    source = console_session(console)
    voters = phones(new_phone, source["code"], 2)
    assert location(send_idea(voters[0], source["id"], "Antrean online RSUD", "living"))
    assert location(send_idea(voters[1], source["id"], XSS, "governance"))
    phase(console, source["id"], "vote")
    gid = groups_of(console, fac, source["id"])["Antrean online RSUD"]["id"]
    for device in voters:
        for _ in range(2):
            location(device.post(f"/s/{source['id']}/groups/{gid}/vote"))
    phase(console, source["id"], "results")
    stage_two = re.findall(r'action="/console/stages/(\d+)/sessions"', console.get(source["workshop_url"]).text)[1]
    r = console.post(f"/api/v1/stages/{stage_two}/sessions", json={"title": "Program", "prompt": "Program apa?"},
                     headers=fac)
    target = r.json()
    r = console.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"]}, headers=fac)
    assert r.status_code == 201, r.text
    phase(console, target["id"], "vote")
    return target


def test_carried_groups_show_their_lineage_on_board_phone_and_console(console, fac, new_phone):
    target = carried_session(console, fac, new_phone)
    label = "dari Tahap I, 4 suara"
    board = console.get(f"/board/{target['id']}").text
    assert label in board and '<p class="lineage" title="Isu strategis">' in board
    assert label in console.get(f"/console/sessions/{target['id']}").text
    (phone,) = phones(new_phone, target["join_code"], 1)
    assert label in phone.get(f"/s/{target['id']}").text  # on the ballot
    # the other group was carried with no votes: its stage only, no "0 suara"
    assert re.search(r'<span aria-hidden="true">↳ </span>dari Tahap I</p>', board)
    assert XSS_ESCAPED in board and "<script>alert" not in board


def test_results_show_the_lineage_in_the_ranking_and_the_matrix_table(console, fac, new_phone):
    target = carried_session(console, fac, new_phone)
    label = "dari Tahap I, 4 suara"
    (phone,) = phones(new_phone, target["join_code"], 1)
    gid = groups_of(console, fac, target["id"])["Antrean online RSUD"]["id"]
    location(phone.post(f"/s/{target['id']}/groups/{gid}/vote"))
    phase(console, target["id"], "results")
    results = console.get(f"/board/{target['id']}").text.split('<div class="results">', 1)[1]
    overall = results.split('class="res-overall"', 1)[1].split("</section>", 1)[0]
    assert "Antrean online RSUD" in overall and label in overall
    per_dimension = results.split('class="res-dims"', 1)[1]
    assert label in per_dimension  # and the group nobody voted for there: its stage only
    assert re.search(r'<span aria-hidden="true">↳ </span>dari Tahap I</p>', per_dimension)
    mine = phone.get(f"/s/{target['id']}").text.split('class="phone-results"', 1)[1]
    assert label in mine.split("</ol>", 1)[0]  # the phone's overall ranking
    ranking = console.get(f"/console/sessions/{target['id']}").text.split('class="ranking"', 1)[1]
    assert label in ranking.split("</ol>", 1)[0]
    # rated: the matrix's table names where each rated (and unrated) group came from
    phase(console, target["id"], "score")
    location(rate(phone, target["id"], gid, 4, 4))
    phase(console, target["id"], "results")
    table = console.get(f"/board/{target['id']}").text.split('class="matrix-table"', 1)[1].split("</table>", 1)[0]
    rated_row, unrated_row = body_rows(table)
    assert "Antrean online RSUD" in rated_row and label in rated_row
    assert "is-unrated" in unrated_row and "dari Tahap I</p>" in unrated_row
    assert label in phone.get(f"/s/{target['id']}").text.split('class="matrix-table"', 1)[1].split("</table>")[0]


# --- scoring from the phone --------------------------------------------------------------------

RATED = [("Perizinan online terpadu", "governance"), ("Jembatan gantung baru", "living"),
         ("QRIS di pasar nagari", "economy")]


def test_rating_without_javascript_shows_and_changes_the_own_rating(console, fac, new_phone):
    s, (phone, _other), groups = scored_session(console, fac, new_phone, ideas=RATED)
    gid = groups["Perizinan online terpadu"]["id"]
    page = phone.get(f"/s/{s['id']}").text
    assert 'data-view="score"' in page and page.count('class="score-form"') == 3
    assert f'action="/s/{s["id"]}/groups/{gid}/score"' in page and "Dampak bagi warga" in page
    assert 'id="idea-form"' not in page  # the rating list, not the idea form
    assert location(rate(phone, s["id"], gid, 4, 3)) == f"/s/{s['id']}#sg-{gid}"
    page = phone.get(f"/s/{s['id']}").text
    form = page.split(f'id="sg-{gid}-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="impact" value="4" checked' in form and 'name="feasibility" value="3" checked' in form
    assert "Tersimpan: dampak 4, kelayakan 3" in form and "Ubah penilaian" in form
    assert 'class="score-form is-rated"' in page
    location(rate(phone, s["id"], gid, 5, 5))  # a second rating replaces the first
    group = groups_of(console, fac, s["id"])["Perizinan online terpadu"]
    assert (group["impact"], group["feasibility"], group["raters"]) == (5.0, 5.0, 1)
    # with htmx: the group's form again
    r = rate(phone, s["id"], gid, 2, 4, htmx=True)
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<form id="sg-{gid}-form" class="score-form is-rated"')
    assert "Tersimpan: dampak 2, kelayakan 4" in r.text


@pytest.mark.parametrize(("impact", "feasibility", "status", "message"), [
    (9, 3, 422, "Dampak harus bilangan bulat dari 1 sampai 5."),
    (3, 0, 422, "Kelayakan harus bilangan bulat dari 1 sampai 5."),
    ("tinggi", 3, 422, "Dampak harus berupa bilangan bulat."),
    (4, None, 422, "Pilih nilai Kelayakan dari 1 sampai 5."),
])
def test_a_bad_rating_is_refused_in_indonesian_and_nothing_is_saved(console, fac, new_phone, impact, feasibility,
                                                                    status, message):
    s, (phone, _other), groups = scored_session(console, fac, new_phone, ideas=RATED)
    gid = groups["Jembatan gantung baru"]["id"]
    location(rate(phone, s["id"], gid, 2, 2))
    r = rate(phone, s["id"], gid, impact, feasibility)  # without JavaScript: the page, the message at the card
    assert r.status_code == status and message in r.text
    card = r.text.split(f'id="sg-{gid}-form"', 1)[1].split("</form>", 1)[0]
    assert message in card and 'class="alert alert-error"' in card
    r = rate(phone, s["id"], gid, impact, feasibility, htmx=True)
    assert r.status_code == status and r.text.lstrip().startswith(f'<form id="sg-{gid}-form"') and message in r.text
    group = groups_of(console, fac, s["id"])["Jembatan gantung baru"]
    assert (group["impact"], group["feasibility"], group["raters"]) == (2.0, 2.0, 1)


def test_rating_outside_the_score_phase_or_session(console, fac, new_phone):
    s, (phone, _other), groups = scored_session(console, fac, new_phone, ideas=RATED)
    gid = groups["QRIS di pasar nagari"]["id"]
    phase(console, s["id"], "vote")
    r = rate(phone, s["id"], gid, 3, 3, htmx=True)
    assert r.status_code == 409 and "Penilaian belum dibuka" in r.text
    phase(console, s["id"], "score")
    r = rate(phone, s["id"], 999999, 3, 3)
    assert r.status_code == 404 and "Kelompok tidak ditemukan." in r.text
    assert location(rate(new_phone(), s["id"], gid, 3, 3)) == "/"  # not joined


def test_score_phase_board_shows_candidates_and_keeps_means_for_the_results(console, fac, new_phone):
    s, devices, groups = scored_session(console, fac, new_phone, ideas=RATED)
    gid = groups["QRIS di pasar nagari"]["id"]
    location(rate(devices[0], s["id"], gid, 4, 4))
    board = console.get(f"/board/{s['id']}").text
    assert f'id="group-{gid}"' in board and "Nilai setiap kelompok di ponsel Anda" in board
    assert f'id="group-{gid}-score"' not in board and 'id="participant-count">2<' in board
    # the facilitator's console sees the means live; the board with live votes too
    console_page = console.get(f"/console/sessions/{s['id']}").text
    assert re.search(rf'id="group-{gid}-score">\s*<span>Dampak <strong>4,0</strong>', console_page)
    patch_session(console, fac, s["id"], live_votes=True)
    assert re.search(rf'id="group-{gid}-score">.*?Penilai: 1', console.get(f"/board/{s['id']}").text, re.S)
    assert f'id="sg-{gid}-means"' in devices[1].get(f"/s/{s['id']}").text


# --- results: the matrix -------------------------------------------------------------------------

def test_results_show_the_matrix_with_each_group_where_its_means_put_it(console, fac, new_phone):
    s, devices, groups = scored_session(console, fac, new_phone, ideas=RATED, raters=2)
    plan = {"Perizinan online terpadu": [(5, 4), (4, 4)],  # 4.5 / 4.0: quick win
            "Jembatan gantung baru": [(5, 1), (4, 2)],     # 4.5 / 1.5: major project
            "QRIS di pasar nagari": [(2, 5), None]}         # 2.0 / 5.0: fill-in, one rater
    for text, ratings in plan.items():
        for device, pair in zip(devices, ratings):
            if pair:
                location(rate(device, s["id"], groups[text]["id"], *pair))
    phase(console, s["id"], "results")
    html = console.get(f"/board/{s['id']}").text
    svg = html.split('<svg class="matrix-svg"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img" aria-labelledby="matrix-title matrix-desc"' in svg and "<title id=\"matrix-title\">" in svg
    dots = {int(m["gid"]): m for m in re.finditer(
        r'<g class="m-dot dim-(?P<dim>\w+) q-(?P<q>\w+)" id="dot-(?P<gid>\d+)".*?<circle cx="(?P<cx>[\d.]+)" '
        r'cy="(?P<cy>[\d.]+)" r="(?P<r>[\d.]+)"/>\s*<text class="m-letter"[^>]*>(?P<letter>\w)</text>', svg, re.S)}
    expect = {"Perizinan online terpadu": (4.5, 4.0, "quick_win", "governance", "G"),
              "Jembatan gantung baru": (4.5, 1.5, "major_project", "living", "L"),
              "QRIS di pasar nagari": (2.0, 5.0, "fill_in", "economy", "E")}
    assert len(dots) == 3
    for text, (impact, feasibility, quadrant, dim, letter) in expect.items():
        dot = dots[groups[text]["id"]]
        assert float(dot["cx"]) == matrix.x_of(feasibility) and float(dot["cy"]) == matrix.y_of(impact), text
        assert (dot["q"], dot["dim"], dot["letter"]) == (quadrant, dim, letter)
    # the quick-win quadrant: shaded from the threshold lines, and named
    threshold = matrix.x_of(3.5)
    assert f'<rect class="m-quick-win" x="{threshold}" y="{matrix.MARGIN_TOP}"' in svg
    assert f'<line x1="{threshold}" y1="{matrix.MARGIN_TOP}"' in svg
    assert ">Quick win</text>" in svg and ">Proyek besar</text>" in svg
    # quick wins per dimension, and the table with raters
    quick = html.split('id="qw-title"', 1)[1].split("</aside>", 1)[0]
    assert "Perizinan online terpadu" in quick and "Jembatan" not in quick and "Penilai: 2" in quick
    table = html.split('class="matrix-table"', 1)[1].split("</table>", 1)[0]
    row = table.split("QRIS di pasar nagari", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2,00", "5,00", "1", "0"] and "Pelengkap" in row
    # the phone shows the same matrix
    phone_page = devices[0].get(f"/s/{s['id']}").text
    assert phone_page.count('class="m-dot ') == 3 and "Quick win per dimensi" in phone_page
    # raising the threshold moves the group out of the quick-win quadrant
    patch_session(console, fac, s["id"], quick_win_threshold=4.5)
    again = console.get(f"/board/{s['id']}").text
    assert f'id="dot-{groups["Perizinan online terpadu"]["id"]}"' in again
    assert 'q-quick_win" id="dot-' not in again and "Belum ada kelompok di kuadran quick win." in again


def test_matrix_geometry_is_pure_and_sizes_dots_by_votes():
    groups = [{"id": 1, "title": "A", "dimension": "governance", "votes": 9, "impact": 5.0, "feasibility": 5.0, "raters": 3},
              {"id": 2, "title": "B", "dimension": None, "votes": 1, "impact": 1.0, "feasibility": 3.5, "raters": 1},
              {"id": 3, "title": "C", "dimension": "living", "votes": 0, "impact": None, "feasibility": None, "raters": 0}]
    m = matrix.layout(groups, threshold=3.5)
    a, b = m.dots
    assert (a.number, a.quadrant, a.letter, b.quadrant, b.letter) == (1, "quick_win", "G", "fill_in", "?")
    assert a.r == matrix.R_MAX and matrix.R_MIN < b.r < a.r
    assert (a.cx, a.cy) == (matrix.x_of(5), matrix.y_of(5))
    assert matrix.x_of(1) < matrix.x_of(5) and matrix.y_of(1) > matrix.y_of(5)  # impact grows upwards
    assert [g["id"] for g in m.unrated] == [3]
    assert list(matrix.quick_wins_by_dimension(m)) == ["governance"]


# --- commitment ------------------------------------------------------------------------------------

def test_commitment_from_the_phone_and_the_board_shows_who_signed(console, fac, new_phone):
    s, (phone, other), groups = scored_session(console, fac, new_phone, ideas=RATED)
    patch_session(console, fac, s["id"], commitment_open=True)
    page = phone.get(f"/s/{s['id']}").text
    assert "Belum ada quick win yang ditandai." in page
    gid = groups["Perizinan online terpadu"]["id"]
    r = console.patch(f"/api/v1/groups/{gid}", json={"quick_win": True, "owner": "DPMPTSP"}, headers=fac)
    assert r.status_code == 200
    page = phone.get(f"/s/{s['id']}").text
    assert 'data-view="commitment"' in page and "Daftar quick win final" in page
    final = page.split('class="fqw-dim', 1)[1].split("</section>", 1)[0]
    assert "Perizinan online terpadu" in final and "DPMPTSP" in final and "Jembatan" not in final
    # prefilled from how the phone joined
    assert 'name="name" maxlength="120" required autocomplete="name" value="Peserta 0"' in page
    assert 'value="Dinas 0"' in page and "Saya berkomitmen" in page
    r = phone.post(f"/s/{s['id']}/commitment", data={"name": "Peserta 0", "position": "", "organization": "Dinas 0"})
    assert r.status_code == 422 and "Jabatan tidak boleh kosong." in r.text and 'value="Dinas 0"' in r.text
    r = phone.post(f"/s/{s['id']}/commitment", data={"name": "Rina", "position": "Kepala Bidang", "organization": XSS})
    assert location(r) == f"/s/{s['id']}#commitment-form"
    page = phone.get(f"/s/{s['id']}").text
    assert "Anda sudah menandatangani komitmen." in page and "Perbaiki tanda tangan saya" in page
    board = console.get(f"/board/{s['id']}").text
    signatures = board.split('id="signatures"', 1)[1].split("</ol>", 1)[0]
    assert '<strong class="sig-name">Rina</strong> <span class="sig-position">Kepala Bidang</span>' in signatures
    assert XSS_ESCAPED in signatures and "<script>alert" not in board
    # a correction with htmx: the block again; the board keeps one row
    r = phone.post(f"/s/{s['id']}/commitment", data={"name": "Rina M.", "position": "Kabid TIK",
                                                     "organization": "Diskominfo"}, headers=HTMX)
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="commitment-form" class="card commitment-card is-signed">')
    signatures = console.get(f"/board/{s['id']}").text.split('id="signatures"', 1)[1].split("</ol>", 1)[0]
    assert signatures.count('class="signature"') == 1 and "Kabid TIK" in signatures
    # closed again: the phone cannot sign, in Indonesian
    patch_session(console, fac, s["id"], commitment_open=False)
    r = other.post(f"/s/{s['id']}/commitment", data={"name": "Eko", "position": "Staf", "organization": "Bappeda"},
                   headers=HTMX)
    assert r.status_code == 409 and "Komitmen belum dibuka: tunggu fasilitator." in r.text


# --- live HTML renderer (unit) ------------------------------------------------------------------------

def _ops(message: str) -> list[dict]:
    return json.loads(message)["ops"]


def _group(gid: int, **extra) -> dict:
    return {"id": gid, "title": None, "dimension": "living", "swot": None, "sub_element": None, "horizon": None,
            "owner": None, "budget_source": None, "quick_win": False, "origin": None, **extra}


def _idea(idea_id: int, gid: int, text: str = "Antrean <online>", **extra) -> dict:
    return {"id": idea_id, "group_id": gid, "text": text, "dimension": "living", "sub_element": None, "swot": None,
            "hidden": False, "participant_id": None, "author": None, "created_at": "2026-11-27T10:00:00Z",
            "updated_at": "2026-11-27T10:00:00Z", **extra}


ORIGIN = {"group_id": 3, "session_id": 1, "session_title": "Isu", "stage_number": 2, "votes": 14}
BOARD = {"anonymous": True, "phase": "vote", "live_votes": False, "layout": "dimensions", "quick_win_threshold": 3.5,
         "commitment_open": False}
PHONE = {"idea_max_length": 280, "phase": "score", "participants_can_group": False, "live_votes": False,
         "vote_budget": 5, "max_votes_per_group": 3, "anonymous": True, "layout": "dimensions",
         "quick_win_threshold": 3.5, "commitment_open": False}
SCORES = {"impact": 4.5, "feasibility": 3.0, "raters": 2, "by": {"7": [5, 3], "8": [4, 3]}}


def test_carried_groups_arrive_live_with_their_lineage(app):
    live = app.state.live_html
    imported = EventRecord(2, 10, "groups.imported", {"groups": [
        {"group": _group(20, title="Antrean online", origin=ORIGIN), "tally": {"votes": 0, "voters": {}},
         "scores": {"impact": None, "feasibility": None, "raters": 0, "by": {}}, "ideas": [_idea(30, 20)]}]}, None)
    card, idea = _ops(live.message(imported, Viewer("board", 2, "id", variant=BOARD)))
    assert card["id"] == "group-20" and card["into"] == "#gcol-living" and "dari Tahap II, 14 suara" in card["html"]
    assert idea["id"] == "gidea-30" and "Antrean &lt;online&gt;" in idea["html"]
    console_ops = _ops(live.message(imported, Viewer("console", 2, "id", variant={"phase": "vote"})))
    assert console_ops[0]["id"] == "mod-idea-30" and "dari Tahap II, 14 suara" in console_ops[1]["html"]
    # while ideas come in: idea cards, with the lineage, in the SWOT quadrant of a SWOT board
    swot = Viewer("board", 2, "id", variant={**BOARD, "phase": "brainstorm", "layout": "swot"})
    record = EventRecord(2, 11, "groups.imported", {"groups": [
        {**imported.payload["groups"][0], "ideas": [_idea(31, 20, swot="threat")]}]}, None)
    (op,) = _ops(live.message(record, swot))
    assert op["into"] == "#col-threat" and "dari Tahap II" in op["html"] and 'class="dim-badge dim-living"' in op["html"]
    # a phone on the ballot or the rating list gets a fresh one
    assert _ops(live.message(imported, Viewer("phone", 2, "id", participant_id=7, variant=PHONE))) == [{"op": "reload"}]


def test_a_rating_reaches_the_raters_form_only_and_the_means_where_visible(app):
    live = app.state.live_html
    scored = EventRecord(2, 12, "score.set", {"group_id": 20, "participant_id": 7, "group": _group(20),
                                                "tally": {"votes": 0, "voters": {}}, "scores": SCORES}, None)
    phones = [Viewer("phone", 2, "id", participant_id=p, variant=PHONE) for p in range(1, 301)]
    before = live.renders
    messages = [_ops(live.message(scored, phone)) for phone in phones]
    assert live.renders == before + 2  # once for the room, once more for the owner's own part (not kept)
    (own,) = messages[6]
    assert own["id"] == "sg-20-form" and 'name="impact" value="5" checked' in own["html"]
    assert "Tersimpan: dampak 5, kelayakan 3" in own["html"]
    assert all(m == [] for i, m in enumerate(messages) if i != 6)  # means hidden until the results
    shown = _ops(live.message(scored, Viewer("phone", 2, "id", participant_id=1, variant={**PHONE, "live_votes": True})))
    assert shown[0]["id"] == "sg-20-means" and "4,5" in shown[0]["html"] and "Penilai: 2" in shown[0]["html"]
    console = _ops(live.message(scored, Viewer("console", 2, "id", variant={"phase": "score"})))
    assert console[0]["id"] == "group-20-score" and "Proyek besar" in console[0]["html"]
    assert _ops(live.message(scored, Viewer("board", 2, "id", variant={**BOARD, "phase": "score"}))) == []
    results = Viewer("board", 2, "id", variant={**BOARD, "phase": "results"})
    assert _ops(live.message(scored, results)) == [{"op": "reload"}]


def test_signatures_reach_the_board_and_the_signers_phone(app):
    live = app.state.live_html
    signed = EventRecord(2, 13, "commitment.signed", {"commitment": {
        "id": 4, "participant_id": 7, "name": "Rina <b>", "position": "Kabid", "organization": "Diskominfo",
        "signed_at": "2026-11-27T10:00:00Z"}}, None)
    open_board = Viewer("board", 2, "id", variant={**BOARD, "phase": "results", "commitment_open": True})
    (row,) = _ops(live.message(signed, open_board))
    assert row["id"] == "sig-4" and row["into"] == "#signatures" and "Rina &lt;b&gt;" in row["html"]
    committing = {**PHONE, "phase": "results", "commitment_open": True}
    (own,) = _ops(live.message(signed, Viewer("phone", 2, "id", participant_id=7, variant=committing)))
    assert own["id"] == "commitment-form" and "Anda sudah menandatangani komitmen." in own["html"]
    assert _ops(live.message(signed, Viewer("phone", 2, "id", participant_id=8, variant=committing))) == []
    # the quick-win list changes: the board and phones reload into it
    updated = EventRecord(2, 14, "group.updated", {"group": _group(20, quick_win=True)}, None)
    assert _ops(live.message(updated, open_board)) == [{"op": "reload"}]


def test_settings_while_ideas_are_typed_switch_the_swot_question_without_reload(app):
    live = app.state.live_html
    session = {"title": "Analisis SWOT", "prompt": "Apa kekuatan kita?", "idea_max_length": 280, "phase": "brainstorm",
               "layout": "swot", "live_votes": False, "commitment_open": False}
    updated = EventRecord(2, 15, "session.updated", {"session": session}, None)
    phone = Viewer("phone", 2, "id", participant_id=7, variant={**PHONE, "phase": "brainstorm"})
    from app.realtime.viewer import track_settings

    track_settings(phone, updated)
    ops = _ops(live.message(updated, phone))
    assert ops[0] == {"op": "check", "id": "main", "name": "data-view", "value": "ideas"}
    assert {"op": "attr", "id": "swot-field", "name": "hidden", "value": None} in ops
    assert {"op": "attr", "id": "swot-field", "name": "disabled", "value": None} in ops
    # the commitment opened: the phone's page shows another view, so it reloads (check)
    opened = EventRecord(2, 16, "session.updated", {"session": {**session, "commitment_open": True}}, None)
    track_settings(phone, opened)
    assert _ops(live.message(opened, phone))[0] == {"op": "check", "id": "main", "name": "data-view",
                                                    "value": "commitment"}
