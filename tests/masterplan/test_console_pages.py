"""The facilitator's side of the masterplan in HTML, without a browser: session
settings (one fragment for both forms), carrying groups forward, each group's
roadmap, and the workshop views (roadmap, attendance, participation). Forms first,
Indonesian by default, nothing saved on a refusal, nobody else's workshop."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from fastapi.testclient import TestClient

from tests.builders import PASSWORD, Api
from tests.support.forms import body_rows, create_session, location, login, make_facilitator

FACILITATOR = "fasilitator@kominfo.go.id"


@pytest.fixture
def console(app, client) -> TestClient:
    login(client, make_facilitator(app, FACILITATOR))
    return client


@pytest.fixture
def fac(api, console) -> dict:
    """The same facilitator's API headers (for building data quickly)."""
    return api.login(FACILITATOR, PASSWORD)


@pytest.fixture
def stranger(app):
    """Another facilitator's browser."""
    other = TestClient(app, follow_redirects=False)
    login(other, make_facilitator(app, "lain@kominfo.go.id"))
    yield other
    other.close()


def session_json(client, fac, session_id: int) -> dict:
    r = client.get(f"/api/v1/sessions/{session_id}", headers=fac)
    assert r.status_code == 200, r.text
    return r.json()


def text_of(html: str) -> str:
    """The page as a reader sees it: tags out, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def voted_source(api: Api, client, fac: dict, stage_id: int, title: str = "Isu Tahap I") -> tuple[dict, list[dict]]:
    """A session with three groups voted 3, 2 and 0, in results."""
    session, ideas, _phones = api.voted_session(fac, stage_id, title)
    return session, ideas


# --- session settings ----------------------------------------------------------------------

def test_new_session_form_carries_every_setting_and_the_settings_round_trip(console, fac):
    s = create_session(console, phase=None)
    workshop = console.get(s["workshop_url"]).text
    # one fragment in all four stage forms: the new settings are there with their defaults
    assert workshop.count('name="layout"') == 4 and workshop.count('name="quick_win_threshold"') == 4
    assert 'id="s{}-threshold"'.format(s["stage_id"]) in workshop and 'value="3.5"' in workshop
    form = {"title": "Analisis SWOT", "prompt": "Apa kekuatan dan kelemahan daerah?", "layout": "swot",
            "quick_win_threshold": "4", "commitment_open": "1", "anonymous": "1", "idea_max_length": "300",
            "vote_budget": "6", "max_votes_per_group": "2"}
    url = location(console.post(f"/console/stages/{s['stage_id']}/sessions", data=form, follow_redirects=False))
    created = session_json(console, fac, int(url.rsplit("/", 1)[1]))
    assert (created["layout"], created["quick_win_threshold"], created["commitment_open"]) == ("swot", 4.0, True)
    assert (created["idea_max_length"], created["vote_budget"], created["max_votes_per_group"]) == (300, 6, 2)

    page = console.get(url).text
    assert re.search(r'<option value="swot" selected>', page)
    assert 'name="quick_win_threshold" min="1" max="5" step="0.5"' in page and 'value="4.0"' in page
    assert 'name="commitment_open" value="1" checked>' in page
    # the stepper: score sits between vote and results, each phase with its hint
    steps = re.findall(r'name="phase" value="(\w+)"', page)
    assert steps.index("score") == steps.index("vote") + 1 == steps.index("results") - 1
    assert "Penilaian" in page and "Peserta menilai dampak dan kelayakan, 1 sampai 5" in page

    # edit: an Indonesian decimal comma is a decimal; unticked = off
    r = console.post(f"{url}/settings", data={"layout": "dimensions", "quick_win_threshold": "4,5",
                                             "vote_budget": "6", "max_votes_per_group": "2"}, follow_redirects=False)
    assert location(r) == f"{url}#settings"
    saved = session_json(console, fac, created["id"])
    assert (saved["layout"], saved["quick_win_threshold"], saved["commitment_open"]) == ("dimensions", 4.5, False)


@pytest.mark.parametrize(("threshold", "message"), [
    ("7", "Ambang quick win harus antara 1 dan 5."),
    ("0,5", "Ambang quick win harus antara 1 dan 5."),
    ("tinggi", "Ambang quick win harus berupa angka."),
])
def test_a_bad_threshold_is_refused_in_indonesian_and_nothing_is_saved(console, fac, threshold, message):
    s = create_session(console)
    before = session_json(console, fac, s["id"])
    r = console.post(f"/console/sessions/{s['id']}/settings",
                     data={"layout": "swot", "quick_win_threshold": threshold, "commitment_open": "1",
                           "vote_budget": "9", "max_votes_per_group": "3"})
    assert r.status_code == 422 and message in r.text
    assert f'value="{threshold}"' in r.text and '<option value="swot" selected>' in r.text  # what was typed stays
    after = session_json(console, fac, s["id"])
    for key in ("layout", "quick_win_threshold", "commitment_open", "vote_budget"):
        assert after[key] == before[key], key
    # the new-session form refuses it the same way, and creates nothing
    r = console.post(f"/console/stages/{s['stage_id']}/sessions",
                     data={"title": "Sesi baru", "prompt": "Apa?", "quick_win_threshold": threshold})
    assert r.status_code == 422 and message in r.text and 'value="Sesi baru"' in r.text
    assert "Sesi baru" not in console.get(s["workshop_url"]).text.split("</table>", 1)[0]


# --- carrying groups forward -----------------------------------------------------------------

def test_carry_groups_forward_through_the_forms(api, console, fac):
    workshop = api.workshop(fac)
    stages = workshop["stages"]
    source, ideas = voted_source(api, console, fac, stages[0]["id"])
    target = api.session(fac, stages[1]["id"], phase="draft", title="Strategi Tahap II")
    page = console.get(f"/console/sessions/{target['id']}").text
    card = page.split('id="import"', 1)[1].split("</section>", 1)[0]
    assert f'<optgroup label="{stages[0]["title"].replace("&", "&amp;")}">' in card
    assert f'<option value="{source["id"]}">Isu Tahap I (3 kelompok)</option>' in card

    chooser = console.get(f"/console/sessions/{target['id']}/import?source={source['id']}").text
    rows = re.findall(r'name="group_ids" value="(\d+)"', chooser)
    assert rows == [str(i["group_id"]) for i in ideas]  # most votes first
    assert re.search(r"Antrean online RSUD</label>.*?<td class=\"num\">1</td>\s*<td class=\"num\">3</td>",
                     chooser, re.S)

    r = console.post(f"/console/sessions/{target['id']}/import",
                     data={"source_session_id": str(source["id"]), "mode": "top", "top": "2"}, follow_redirects=False)
    result_url = location(r)
    assert result_url.startswith(f"/console/sessions/{target['id']}?from={source['id']}&carried=")
    shown = text_of(console.get(result_url).text)
    stage_one = "Tahap I · Isu Tahap I"
    assert f"2 kelompok dibawa dari {stage_one}." in shown
    assert "Antrean online RSUD" in shown and "Satu data kependudukan" in shown
    board = api.board(fac, target["id"])
    assert sorted(g["origin"]["votes"] for g in board["groups"]) == [2, 3]

    # hand-picked (ticking boxes is picking, even with the radio left on "all"), one
    # already here: named, not copied again
    r = console.post(f"/console/sessions/{target['id']}/import",
                     data={"source_session_id": str(source["id"]), "mode": "all",
                           "group_ids": [str(ideas[0]["group_id"]), str(ideas[2]["group_id"])]},
                     follow_redirects=False)
    shown = text_of(console.get(location(r)).text)
    assert f"1 kelompok dibawa dari {stage_one}." in shown
    assert "Sudah ada di sesi ini, tidak disalin lagi: Antrean online RSUD" in shown
    assert len(api.board(fac, target["id"])["groups"]) == 3
    chooser = console.get(f"/console/sessions/{target['id']}/import?source={source['id']}").text
    assert chooser.count("sudah ada di sesi ini") == 3

    # and the console's roadmap table shows where each came from
    table = console.get(f"/console/sessions/{target['id']}").text.split('id="roadmap"', 1)[1]
    assert "dari Tahap I, 3 suara" in table
    assert table.count("dari Tahap I") == 3 and not re.search(r"\b0 suara", table)  # no votes there: the stage only


def test_carry_forward_errors_are_indonesian_and_import_nothing(api, console, fac, stranger):
    workshop = api.workshop(fac)
    source, ideas = voted_source(api, console, fac, workshop["stages"][0]["id"])
    target = api.session(fac, workshop["stages"][1]["id"], phase="draft")
    url = f"/console/sessions/{target['id']}/import"
    cases = [
        ({"mode": "pick"}, 422, "Pilih paling sedikit satu kelompok untuk diimpor."),
        ({"mode": "top", "top": "0"}, 422, "Jumlah kelompok harus antara 1 dan 500."),
        ({"mode": "top", "top": "banyak"}, 422, "Jumlah kelompok harus berupa bilangan bulat."),
        ({"mode": "top", "top": ""}, 422, "Isi berapa kelompok teratas yang dibawa."),
        ({"source_session_id": str(target["id"])}, 422, "Sesi tidak dapat mengimpor kelompoknya sendiri."),
        ({"source_session_id": ""}, 422, "Pilih sesi asal kelompok."),
        ({"source_session_id": "99999999999"}, 404, "Sesi sumber tidak ditemukan."),
    ]
    for data, status, message in cases:
        r = console.post(url, data={"source_session_id": str(source["id"]), **data})
        assert r.status_code == status and message in r.text, (data, r.status_code)
    # another facilitator's session is no source (and does not exist for this one)
    other_api = Api(stranger)
    other_fac = other_api.login("lain@kominfo.go.id")
    theirs = other_api.session(other_fac)
    r = console.post(url, data={"source_session_id": str(theirs["id"]), "mode": "all"})
    assert r.status_code == 404 and "Sesi sumber tidak ditemukan." in r.text
    assert console.get(f"{url}?source={theirs['id']}").status_code == 404
    # a closed session takes nothing
    api.phase(fac, target["id"], "closed")
    r = console.post(url, data={"source_session_id": str(source["id"]), "mode": "all"})
    assert r.status_code == 409 and "Sesi ini sudah ditutup: buka kembali untuk mengimpor kelompok." in r.text
    assert api.board(fac, target["id"])["groups"] == []


def test_carry_forward_offers_and_takes_only_earlier_sessions(api, console, fac):
    workshop = api.workshop(fac)
    stages = workshop["stages"]
    source, _ideas = voted_source(api, console, fac, stages[0]["id"])
    target = api.session(fac, stages[1]["id"], phase="draft", title="Strategi Tahap II")
    later = api.session(fac, stages[2]["id"], title="Prioritas Tahap III")
    sibling = api.session(fac, stages[1]["id"], title="Strategi Tahap II, ruang 2")  # same stage, made after
    api.idea(api.join(later["join_code"]), "Program dari Tahap III", "governance")

    def offered(session: dict) -> list[str]:
        card = console.get(f"/console/sessions/{session['id']}").text.split('id="import"', 1)[1].split("</section>")[0]
        return re.findall(r'<option value="(\d+)">', card)

    assert offered(target) == [str(source["id"])]
    assert offered(sibling) == [str(source["id"]), str(target["id"])]
    assert offered(later) == [str(source["id"]), str(target["id"]), str(sibling["id"])]
    assert offered(source) == []  # Tahap I: nothing before it
    chooser = console.get(f"/console/sessions/{target['id']}/import").text
    assert re.findall(r'<option value="(\d+)"', chooser) == [str(source["id"])]
    # a later session typed into the URL or posted: refused in Indonesian, nothing imported
    message = "Kelompok hanya dapat dibawa dari sesi yang lebih awal dalam lokakarya ini."
    url = f"/console/sessions/{target['id']}/import"
    for bad in (later, sibling):
        r = console.get(f"{url}?source={bad['id']}")
        assert r.status_code == 422 and message in r.text
        r = console.post(url, data={"source_session_id": str(bad["id"]), "mode": "all"})
        assert r.status_code == 422 and message in r.text
    assert api.board(fac, target["id"])["groups"] == []


# --- the roadmap of a group --------------------------------------------------------------------

def test_roadmap_form_sets_every_field_in_any_phase(api, console, fac):
    s = create_session(console)
    phone = api.join(s["code"], "Rina", "opd", "Diskominfo")
    idea = api.idea(phone, "Antrean online RSUD", "living", sub_element="health")
    gid = idea["group_id"]
    console.post(f"/console/sessions/{s['id']}/phase", data={"phase": "closed"})  # even a closed session
    table = console.get(f"/console/sessions/{s['id']}").text.split('id="roadmap"', 1)[1]
    link = re.search(rf'href="(/board/{s["id"]}/groups/{gid}/edit\?next=[^"]+)"', table).group(1)
    page = console.get(html_lib.unescape(link)).text
    for field in ("horizon", "owner", "budget_source", "sub_element", "quick_win"):
        input_id = re.search(rf'id="([^"]+)" name="{field}"|name="{field}"[^>]*id="([^"]+)"', page)
        assert input_id, field
        assert f'<label for="{input_id.group(1) or input_id.group(2)}">' in page, field  # labelled: keyboard and readers
    assert '<option value="Dinas Kesehatan">' in page  # typical OPD names to pick from
    assert '<option value="mobility">Sarana Transportasi</option>' in page  # the group's dimension's sub-elements
    assert 'name="title"' not in page  # renaming waits for an open phase; the roadmap does not

    form = {"horizon": "medium", "owner": "Dinas Kesehatan", "budget_source": "apbd", "sub_element": "mobility",
            "quick_win": "1", "next": f"/console/sessions/{s['id']}#programme-{gid}"}
    r = console.post(f"/board/{s['id']}/groups/{gid}/roadmap", data=form, follow_redirects=False)
    assert location(r) == f"/console/sessions/{s['id']}#programme-{gid}"
    [group] = api.board(fac, s["id"])["groups"]
    assert {k: group[k] for k in ("horizon", "owner", "budget_source", "sub_element", "quick_win")} == {
        "horizon": "medium", "owner": "Dinas Kesehatan", "budget_source": "apbd", "sub_element": "mobility",
        "quick_win": True}
    row = text_of(console.get(f"/console/sessions/{s['id']}").text.split(f'id="programme-{gid}"', 1)[1]
                  .split("</tr>", 1)[0])
    for badge in ("Quick win", "Jangka menengah (hingga 5 tahun)", "Dinas Kesehatan", "APBD", "Sarana Transportasi"):
        assert badge in row, badge
    # clearing: empty choices and an unticked box
    location(console.post(f"/board/{s['id']}/groups/{gid}/roadmap", data={"horizon": "", "owner": ""},
                          follow_redirects=False))
    [group] = api.board(fac, s["id"])["groups"]
    assert (group["horizon"], group["owner"], group["quick_win"], group["sub_element"]) == (None, None, False, None)


def test_bad_roadmap_values_are_refused_in_indonesian_and_nothing_is_saved(api, console, fac):
    s = create_session(console)
    phone = api.join(s["code"], "Rina", "opd", "Diskominfo")
    gid = api.idea(phone, "Bank sampah digital", "environment")["group_id"]
    url = f"/board/{s['id']}/groups/{gid}/roadmap"
    cases = [
        ({"horizon": "besok"}, "jangka waktu besok tidak dikenal"),
        ({"budget_source": "hibah"}, "sumber anggaran hibah tidak dikenal"),
        ({"sub_element": "health"}, "Subelemen health tidak termasuk dalam dimensi ini."),
        ({"owner": "x" * 161}, "Penanggung jawab terlalu panjang"),
    ]
    for bad, message in cases:
        r = console.post(url, data={"horizon": "short", "owner": "Dinas Lingkungan Hidup", "quick_win": "1", **bad})
        assert r.status_code == 422 and message in r.text, (bad, r.text[-2000:])
        assert 'value="Dinas Lingkungan Hidup"' in r.text or "x" * 161 in r.text  # what was typed stays
    [group] = api.board(fac, s["id"])["groups"]
    assert (group["horizon"], group["owner"], group["quick_win"]) == (None, None, False)
    # a group of another session is not found through this session
    other = create_session(console)
    assert console.post(f"/board/{other['id']}/groups/{gid}/roadmap", data={"horizon": "short"}).status_code == 404


# --- the workshop views ---------------------------------------------------------------------------

@pytest.fixture
def two_stages(api, console, fac) -> dict:
    """Tahap I (Rina of Diskominfo, Budi of RSUD; ideas in two dimensions, voted) and
    Tahap II (Rina again, Sari also from Diskominfo): one programme carried and planned."""
    workshop = api.workshop(fac, year=2026)
    stages = workshop["stages"]
    source, ideas = voted_source(api, console, fac, stages[0]["id"])
    target = api.session(fac, stages[1]["id"], phase="brainstorm", title="Program Tahap II")
    rina = api.join(target["join_code"], "Rina", "opd", "Diskominfo")
    api.join(target["join_code"], "Sari", "opd", "DISKOMINFO ")
    api.idea(rina, "Tanda tangan elektronik untuk surat dinas", "governance", sub_element="bureaucracy")
    r = console.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"], "top": 1},
                     headers=fac)
    copy_id = r.json()["imported"][0]["group_id"]
    r = console.patch(f"/api/v1/groups/{copy_id}", json={"horizon": "medium", "owner": "Bappeda",
                                                          "budget_source": "apbd", "quick_win": True}, headers=fac)
    assert r.status_code == 200, r.text
    return {"workshop": workshop, "source": source, "target": target, "ideas": ideas, "copy_id": copy_id}


def test_roadmap_view_puts_programmes_on_the_timeline_by_dimension_and_owner(console, two_stages):
    page = console.get(f"/console/workshops/{two_stages['workshop']['id']}/roadmap")
    assert page.status_code == 200
    html = page.text
    assert "Roadmap 2026–2035" in html
    assert re.findall(r'<th scope="col" class="year">(\d{4})</th>', html)[:10] == [str(y) for y in range(2026, 2036)]
    by_dimension, by_owner = html.split('id="by-owner"', 1)
    living = by_dimension.split('<tbody class="dim-living">', 1)[1].split("</tbody>", 1)[0]
    row = text_of(living)
    assert "Antrean online RSUD" in row and "Bappeda" in row and "APBD" in row and "Quick win" in row
    assert "Tahap I (3 suara) → Tahap II" in row  # the lineage back to Tahap I
    bar = re.search(r'<td class="year-cell bar-cell" colspan="(\d+)"><span class="bar horizon-medium">([^<]+)<', living)
    assert bar.groups() == ("5", "2026–2030")  # medium: up to five years
    # every dimension has its row group; an empty one says so
    assert by_dimension.count('class="timeline-group"') == 6
    assert "Belum ada program di dimensi ini." in by_dimension.split('<tbody class="dim-branding">', 1)[1]
    assert "Bappeda" in text_of(by_owner) and "Antrean online RSUD" in text_of(by_owner)
    assert '<link rel="stylesheet" href="/static/console.css?v=' in html


def test_attendance_view_shows_the_matrix_and_offices_that_sent_different_people(console, two_stages):
    html = console.get(f"/console/workshops/{two_stages['workshop']['id']}/attendance").text
    matrix = html.split('class="attendance-matrix"', 1)[1].split("</table>", 1)[0]
    rows = body_rows(matrix)
    rina = next(r for r in rows if text_of(r).startswith("Rina"))
    assert rina.count('class="mark is-present"') == 2 and "semua tahap" in rina and 'class="is-every-stage"' in rina
    budi = next(r for r in rows if text_of(r).startswith("Budi"))
    assert budi.count('class="mark is-present"') == 1 and budi.count('class="mark is-absent"') == 3
    assert re.search(r'id="every-stage-count">Hadir di semua tahap: <strong>1</strong>', html)
    offices = html.split('class="attendance-offices"', 1)[1].split("</table>", 1)[0]
    diskominfo = next(r for r in body_rows(offices) if text_of(r).startswith("Diskominfo"))
    assert 'class="is-different"' in diskominfo and "orang berbeda" in diskominfo
    assert "Rina, Sari" in text_of(diskominfo)
    per_stage = text_of(html.split('id="stages-title"', 1)[1])
    assert "Tahap II – Strategi & Program 2 peserta" in per_stage and " WIB" in per_stage  # the venue's time


def test_participation_view_keeps_zero_rows_and_filters_by_session(console, two_stages):
    workshop_id = two_stages["workshop"]["id"]
    html = console.get(f"/console/workshops/{workshop_id}/participation").text
    by_type = html.split('id="by-type"', 1)[1].split("</table>", 1)[0]
    rows = [text_of(r) for r in body_rows(by_type)]
    assert len(rows) == 6  # every organisation type, even with nobody
    # Rina twice (Tahap I and II) and Sari: 3 participants, 3 ideas, Rina's 2 dots
    assert "Perangkat Daerah (OPD) 3 3 2 0" in rows, rows
    assert any(r.startswith("Kelompok Sadar Wisata (Pokdarwis) belum terdengar 0 0 0 0") for r in rows), rows
    coverage = html.split('id="coverage"', 1)[1].split("</table>", 1)[0]
    assert coverage.count('class="coverage-dimension') == 7  # six dimensions and uncategorised
    branding = text_of(coverage.split('<tbody class="dim-branding">', 1)[1].split("</tbody>", 1)[0])
    assert branding.startswith("B Smart Branding kosong 0")
    living = text_of(coverage.split('<tbody class="dim-living">', 1)[1].split("</tbody>", 1)[0])
    assert "Sarana Prasarana Kesehatan 1" in living and "Sarana Transportasi kosong 0" in living
    matrix = html.split('id="per-session"', 1)[1].split("</table>", 1)[0]
    assert "Tahap I · Isu Tahap I" in text_of(matrix) and "Tahap II · Program Tahap II" in text_of(matrix)
    # carried copies are not counted again: the workshop has 4 ideas, not 5
    assert re.search(r"Ide: <strong>4</strong>", html)

    one = console.get(f"/console/workshops/{workshop_id}/participation?session={two_stages['target']['id']}").text
    assert re.search(r"Peserta: <strong>2</strong>", one) and re.search(r"Ide: <strong>1</strong>", one)
    assert f'<option value="{two_stages["target"]["id"]}" selected>' in one
    missing = console.get(f"/console/workshops/{workshop_id}/participation?session=999999")
    assert missing.status_code == 404 and "Sesi tidak ditemukan." in missing.text


# --- who may see them -------------------------------------------------------------------------------

def test_another_facilitator_gets_404_and_nobody_gets_in_without_login(app, console, two_stages, stranger):
    workshop_id = two_stages["workshop"]["id"]
    target, copy_id = two_stages["target"]["id"], two_stages["copy_id"]
    pages = [f"/console/workshops/{workshop_id}/roadmap", f"/console/workshops/{workshop_id}/attendance",
             f"/console/workshops/{workshop_id}/participation", f"/console/sessions/{target}/import",
             f"/board/{target}/groups/{copy_id}/edit"]
    for path in pages:
        assert console.get(path).status_code == 200, path
        assert stranger.get(path).status_code == 404, path
    posts = [(f"/console/sessions/{target}/import", {"source_session_id": str(two_stages["source"]["id"])}),
             (f"/board/{target}/groups/{copy_id}/roadmap", {"horizon": "long"}),
             (f"/console/sessions/{target}/settings", {"quick_win_threshold": "2"})]
    for path, data in posts:
        assert stranger.post(path, data=data).status_code == 404, path
    with TestClient(app, follow_redirects=False) as anonymous:
        for path in pages:
            assert location(anonymous.get(path)) == f"/login?next={path}"
        for path, data in posts:
            assert location(anonymous.post(path, data=data)).startswith("/login")


# --- taking someone out, locking the door ----------------------------------------------------

def test_console_removes_a_participant_and_locks_joining(api, console, fac, stranger):
    session = api.session(fac)
    rina = api.join(session["join_code"], "Rina")
    prank = api.join(session["join_code"], "Iseng <b>")
    page = console.get(f"/console/sessions/{session['id']}").text
    assert "Yang sudah bergabung" in page and "Iseng &lt;b&gt;" in page
    path = f"/console/sessions/{session['id']}/participants/{prank.participant_id}/remove"
    assert stranger.post(path).status_code == 404  # not their workshop
    r = console.post(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#join")
    page = console.get(f"/console/sessions/{session['id']}").text
    assert "Iseng &lt;b&gt;" not in page.split('id="join"', 1)[1].split("</details>", 1)[0]
    assert api.client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "x"},
                           headers=prank.headers).status_code in (401, 403)
    form = {"join_locked": "1", "idea_max_length": "280", "vote_budget": "5", "max_votes_per_group": "3",
            "layout": "dimensions", "quick_win_threshold": "3.5", "anonymous": "1"}
    assert console.post(f"/console/sessions/{session['id']}/settings", data=form,
                        follow_redirects=False).status_code == 303
    assert session_json(console, fac, session["id"])["join_locked"] is True
    refused = console.post("/join", data={"join_code": session["join_code"], "name": "Lagi",
                                          "organization_type": "opd", "organization": "X"})
    assert refused.status_code == 409 and "dikunci" in refused.text
    assert api.idea(rina, "Tetap jalan")["id"]
