"""A rated Tahap III session (and an empty one) built through the API, shared by the
figure and print tests: every dimension's marker, a quick win, each quadrant, two
groups on the same spot, a group nobody rated, and a tie that the board breaks by
impact, not by votes."""

from __future__ import annotations

from contextlib import contextmanager

from tests.builders import Api

FACILITATOR = "dewi.figures@kominfo.go.id"
TITLE = "Quick win Tahap III"
EMPTY_TITLE = "Sesi kosong"

# text, dimension, votes, ratings (impact, feasibility) per rater
IDEAS = [
    ("Perizinan online terpadu", "governance", 3, [(5, 4), (4, 4), (5, 5)]),  # 4.67 / 4.33: quick win
    ("Festival budaya Tabuik", "branding", 0, [(5, 4), (4, 3)]),  # 4.5 / 3.5: quick win, before the next two
    ("Antrean online RSUD", "living", 4, [(4, 4), (4, 5), (4, 3)]),  # 4.0 / 4.0: quick win
    ("Bank sampah digital", "environment", 1, [(3, 5), (5, 3)]),  # 4.0 / 4.0: the same spot
    ("QRIS di pasar nagari", "economy", 2, [(2, 5), (3, 4)]),  # 2.5 / 4.5: fill-in
    ("Jembatan gantung baru", "living", 1, [(5, 1), (4, 2)]),  # 4.5 / 1.5: major project
    ("Ronda malam digital", "society", 0, []),  # nobody rated it
    ("Papan informasi desa", None, 0, [(1, 2), (2, 1)]),  # 1.5 / 1.5: low priority, uncategorised
]
PEOPLE = [("Rina Marlina", "rsud", "RSUD Pariaman"), ("Budi Santoso", "opd", "Dinas Kependudukan dan Pencatatan Sipil"),
          ("Sari Lestari", "opd", "Bappeda")]


@contextmanager
def module_api(request, tmp_path_factory, name: str):
    """One app and SQLite database for a test module, through a TestClient."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from tests.support.databases import SECRET, fresh_database

    folder = tmp_path_factory.mktemp(name)
    url = fresh_database(request, "sqlite", folder)
    app = create_app(Settings(database_url=url, secret_key=SECRET, var_dir=folder, public_url="http://rembuk.test",
                              htmx_source="local"))
    with TestClient(app) as client:
        yield Api(client)


def rated_room(api: Api) -> dict:
    client = api.client
    fac = api.facilitator(FACILITATOR, name="Dewi Fasilitator")
    workshop = api.workshop(fac, title="Bimtek Smart City Kota Pariaman", region="Kota Pariaman")
    stages = {s["number"]: s["id"] for s in workshop["stages"]}
    empty = api.session(fac, stages[1], title=EMPTY_TITLE, prompt="Belum ada yang menulis")
    session = api.session(fac, stages[3], title=TITLE, prompt="Mana yang bisa selesai dalam satu tahun?")
    phones = [api.join(session["join_code"], *person) for person in PEOPLE]
    groups = {}
    for n, (text, dimension, _votes, _ratings) in enumerate(IDEAS):
        groups[text] = api.idea(phones[n % len(phones)], text=text, dimension=dimension)["group_id"]
    api.phase(fac, session["id"], "vote")
    cast = 0  # round the room, so nobody spends more than their five votes
    for text, _dimension, votes, _ratings in IDEAS:
        for _ in range(votes):
            r = client.post(f"/api/v1/groups/{groups[text]}/votes", headers=phones[cast % len(phones)].headers)
            assert r.status_code == 201, r.text
            cast += 1
    api.phase(fac, session["id"], "score")
    for text, _dimension, _votes, ratings in IDEAS:
        for phone, (impact, feasibility) in zip(phones, ratings, strict=False):
            r = client.put(f"/api/v1/groups/{groups[text]}/score", json={"impact": impact, "feasibility": feasibility},
                           headers=phone.headers)
            assert r.status_code == 200, r.text
    api.phase(fac, session["id"], "results")
    return {"fac": fac, "workshop": workshop, "session": session, "empty": empty, "groups": groups}


def download(api: Api, headers: dict, path: str) -> bytes:
    r = api.client.get(path, headers=headers)
    assert r.status_code == 200, r.text
    return r.content
