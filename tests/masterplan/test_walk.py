"""The masterplan's acceptance test: one Bimtek walked through all four stages
through the JSON API only, then every part of the masterplan-shaped download read
back with the library a Bappeda reader's software would use.

Tahap I: a SWOT board, five phones from five organisations, grouping, dot votes.
Tahap II: the top three groups carried forward, a new idea joins one, votes.
Tahap III: the top two carried again, votes, ratings from four phones, the
facilitator marks the quick win and plans the programmes.
Tahap IV: the quick win carried for the signing, the commitment opened, three
phones sign. Then the downloads.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document
from pypdf import PdfReader

from tests.builders import Api, Phone
from tests.support.documents import sheet_dicts, xlsx_sheets

FORMULA = '=HYPERLINK("http://x","klik")'
HIDDEN = "Gagasan rahasia yang disembunyikan"
QUICK_WIN = "Antrean online RSUD dan telemedisin"
PERIZINAN = "Perizinan belum daring"
WISATA = "Wisata bahari Pantai Tiram"
LINEAGE = "dari Tahap III, 10 suara ← dari Tahap II, 8 suara ← dari Tahap I, 9 suara"
SIGNERS = [
    ("Rina Marlina", "Kepala Bidang Aplikasi Informatika", "Diskominfo"),
    ("Andi Saputra", "Direktur", "RSUD Pariaman"),
    ("Eko Prasetyo", "Kepala Dinas", "Dinas Kesehatan"),
]


# --- the walk, through the API ------------------------------------------------------------------

class Room:
    """One facilitator's calls, failing loudly on anything but the expected status."""

    def __init__(self, api: Api, client) -> None:
        self.api, self.client = api, client
        self.fac = api.facilitator(name="Dewi Fasilitator")

    def call(self, method: str, url: str, status: int = 200, headers=None, **body):
        r = self.client.request(method, url, headers=headers or self.fac, **({"json": body} if body else {}))
        assert r.status_code == status, (url, r.text)
        return r.json()

    def votes(self, *spread: tuple[Phone, dict[int, int]]) -> None:
        for phone, dots in spread:
            for group_id, n in dots.items():
                for _ in range(n):
                    self.call("POST", f"/api/v1/groups/{group_id}/votes", 201, phone.headers)

    def carry(self, session_id: int, source_id: int, **how) -> list[int]:
        body = self.call("POST", f"/api/v1/sessions/{session_id}/import", 201, source_session_id=source_id, **how)
        return [i["group_id"] for i in body["imported"]]

    def groups(self, session_id: int) -> dict[str, dict]:
        return {g["title"]: g for g in self.api.board(self.fac, session_id)["groups"]}


def tahap_one(room: Room, stage_id: int) -> dict:
    api = room.api
    session = api.session(room.fac, stage_id, title="Analisis SWOT", prompt="Kekuatan, kelemahan, peluang, ancaman?",
                          layout="swot")
    code = session["join_code"]
    rina = api.join(code, "Rina Marlina", "opd", "Diskominfo")
    budi = api.join(code, "Budi Santoso", "rsud", "RSUD Pariaman")
    sari = api.join(code, "Sari Lestari", "opd", "Bappeda")
    tono = api.join(code, "Tono Sutrisno", "pdam", "PDAM Tirta Anai")
    dedi = api.join(code, "Dedi Kurnia", "pokdarwis", "Pokdarwis Tiram")
    ideas = {
        "manual": api.idea(rina, "Layanan perizinan masih manual", "governance", swot="weakness",
                           sub_element="public_service"),
        "oss": api.idea(sari, "Perizinan belum terintegrasi OSS", "governance", swot="weakness"),
        "hidden": api.idea(sari, HIDDEN, "governance", swot="weakness"),
        "formula": api.idea(rina, FORMULA, "governance", swot="strength"),
        "antrean": api.idea(budi, "Antrean RSUD panjang", "living", swot="weakness", sub_element="health"),
        "simrs": api.idea(budi, "SIMRS sudah ada di RSUD", "living", swot="strength"),
        "pipa": api.idea(tono, "Jaringan pipa PDAM tua", "living", swot="threat"),
        "wisata": api.idea(dedi, WISATA, "branding", swot="opportunity"),
        "relawan": api.idea(dedi, "Relawan TIK aktif", "society", swot="strength"),
    }
    room.call("POST", f"/api/v1/ideas/{ideas['hidden']['id']}/visibility", hidden=True)
    api.phase(room.fac, session["id"], "group")
    perizinan = ideas["manual"]["group_id"]
    for key in ("oss", "hidden"):
        room.call("POST", f"/api/v1/ideas/{ideas[key]['id']}/move", group_id=perizinan)
    room.call("PATCH", f"/api/v1/groups/{perizinan}", title=PERIZINAN)
    api.phase(room.fac, session["id"], "vote")
    antrean, wisata, pipa = (ideas[k]["group_id"] for k in ("antrean", "wisata", "pipa"))
    room.votes((rina, {perizinan: 3, antrean: 2}), (budi, {antrean: 3, perizinan: 2}),
               (sari, {perizinan: 3, wisata: 2}), (tono, {antrean: 2, pipa: 3}), (dedi, {wisata: 3, antrean: 2}))
    api.phase(room.fac, session["id"], "results")
    return {"session": session, "ideas": ideas, "phones": [rina, budi, sari, tono, dedi]}


def tahap_two(room: Room, stage_id: int, source: dict) -> dict:
    api = room.api
    session = api.session(room.fac, stage_id, title="Program dan inovasi", prompt="Program apa per dimensi?")
    carried = room.carry(session["id"], source["session"]["id"], top=3)
    code = session["join_code"]
    rina = api.join(code, "Rina Marlina", "opd", "Diskominfo")
    andi = api.join(code, "Andi Saputra", "rsud", "RSUD Pariaman")  # RSUD sends someone else
    eko = api.join(code, "Eko Prasetyo", "opd", "Dinas Kesehatan")
    tele = api.idea(eko, "Telemedisin puskesmas", "living", sub_element="health")
    api.phase(room.fac, session["id"], "group")
    antrean, perizinan, wisata = carried
    room.call("POST", f"/api/v1/ideas/{tele['id']}/move", group_id=antrean)
    # A programme planned here and not carried further stays on the roadmap.
    room.call("PATCH", f"/api/v1/groups/{wisata}", horizon="long", owner="Dinas Pariwisata", budget_source="kpbu",
              sub_element="tourism")
    api.phase(room.fac, session["id"], "vote")
    room.votes((rina, {antrean: 3, perizinan: 2}), (andi, {antrean: 3, wisata: 2}), (eko, {perizinan: 3, antrean: 2}))
    api.phase(room.fac, session["id"], "results")
    return {"session": session, "groups": carried, "phones": [rina, andi, eko]}


def tahap_three(room: Room, stage_id: int, source: dict) -> dict:
    api = room.api
    session = api.session(room.fac, stage_id, title="Roadmap dan quick win", prompt="Mana yang bisa satu tahun?")
    antrean, perizinan = room.carry(session["id"], source["session"]["id"], top=2)
    code = session["join_code"]
    rina = api.join(code, "Rina Marlina", "opd", "Diskominfo")
    andi = api.join(code, "Andi Saputra", "rsud", "RSUD Pariaman")
    eko = api.join(code, "Eko Prasetyo", "opd", "Dinas Kesehatan")
    tono = api.join(code, "Tono Sutrisno", "pdam", "PDAM Tirta Anai")
    room.call("PATCH", f"/api/v1/groups/{antrean}", title=QUICK_WIN)
    api.phase(room.fac, session["id"], "vote")
    room.votes((rina, {antrean: 3, perizinan: 1}), (andi, {antrean: 3, perizinan: 2}),
               (eko, {antrean: 1, perizinan: 3}), (tono, {antrean: 3}))
    api.phase(room.fac, session["id"], "score")
    ratings = [(rina, antrean, 5, 4), (andi, antrean, 4, 4), (eko, antrean, 2, 2), (tono, antrean, 4, 4),
               (eko, antrean, 5, 3),  # Eko changes his mind: the second rating replaces the first
               (rina, perizinan, 4, 3), (andi, perizinan, 3, 2), (eko, perizinan, 4, 3)]
    for phone, group_id, impact, feasibility in ratings:
        room.call("PUT", f"/api/v1/groups/{group_id}/score", 200, phone.headers, impact=impact,
                  feasibility=feasibility)
    api.phase(room.fac, session["id"], "results")
    room.call("PATCH", f"/api/v1/groups/{antrean}", quick_win=True, horizon="short", owner="Dinas Kesehatan",
              budget_source="apbd", sub_element="health")
    room.call("PATCH", f"/api/v1/groups/{perizinan}", horizon="medium", owner="DPMPTSP", budget_source="apbn",
              sub_element="public_service")
    return {"session": session, "antrean": antrean, "perizinan": perizinan}


def tahap_four(room: Room, stage_id: int, source: dict) -> dict:
    api = room.api
    session = api.session(room.fac, stage_id, title="Finalisasi dan komitmen", prompt="Kita sepakati quick win.")
    (quick_win,) = room.carry(session["id"], source["session"]["id"], group_ids=[source["antrean"]])
    code = session["join_code"]
    phones = [api.join(code, name, "opd" if org != "RSUD Pariaman" else "rsud", org) for name, _pos, org in SIGNERS]
    room.call("PATCH", f"/api/v1/sessions/{session['id']}", commitment_open=True)
    for phone, (name, position, org) in zip(phones, SIGNERS):
        room.call("POST", f"/api/v1/sessions/{session['id']}/commitments", 201, phone.headers, name=name,
                  position=position, organization=org)
    return {"session": session, "quick_win": quick_win}


@pytest.fixture
def walk(api, client) -> dict:
    room = Room(api, client)
    workshop = api.workshop(room.fac, title="Bimtek Smart City Kabupaten Padang Pariaman",
                            region="Kabupaten Padang Pariaman", year=2026)
    stage = {s["number"]: s["id"] for s in workshop["stages"]}
    one = tahap_one(room, stage[1])
    two = tahap_two(room, stage[2], one)
    three = tahap_three(room, stage[3], two)
    four = tahap_four(room, stage[4], three)
    return {"room": room, "workshop": workshop, "one": one, "two": two, "three": three, "four": four}


def download(walk: dict, fmt: str):
    r = walk["room"].client.get(f"/api/v1/workshops/{walk['workshop']['id']}/summary.{fmt}",
                                headers=walk["room"].fac)
    assert r.status_code == 200, r.text
    return r


# --- the walk itself, as the API reports it ----------------------------------------------------------

def test_lineage_means_and_quadrant_through_the_api(walk):
    room = walk["room"]
    three = room.groups(walk["three"]["session"]["id"])
    quick, perizinan = three[QUICK_WIN], three[PERIZINAN]
    assert quick["origin"]["stage_number"] == 2 and quick["origin"]["votes"] == 8
    assert perizinan["origin"]["votes"] == 5
    assert (quick["impact"], quick["feasibility"], quick["raters"], quick["quadrant"]) == (4.5, 3.75, 4, "quick_win")
    assert (perizinan["impact"], perizinan["feasibility"], perizinan["raters"], perizinan["quadrant"]) == (
        3.67, 2.67, 3, "major_project")
    assert (quick["votes"], perizinan["votes"]) == (10, 6)
    # Tahap II: the carried group holds the Tahap I copy and the new Tahap II idea.
    two = room.groups(walk["two"]["session"]["id"])
    assert [i["text"] for i in two["Antrean RSUD panjang"]["ideas"]] == ["Antrean RSUD panjang",
                                                                          "Telemedisin puskesmas"]
    assert two["Antrean RSUD panjang"]["origin"]["votes"] == 9
    # The hidden idea stayed in Tahap I.
    assert all(HIDDEN not in i["text"] for g in two.values() for i in g["ideas"])

    road = room.call("GET", f"/api/v1/workshops/{walk['workshop']['id']}/roadmap")
    by_title = {p["title"]: p for p in road["programmes"]}
    assert set(by_title) == {QUICK_WIN, PERIZINAN, WISATA}  # one programme per line, its latest plan
    line = by_title[QUICK_WIN]
    assert line["group_id"] == walk["four"]["quick_win"]
    assert [(s["stage_number"], s["votes"]) for s in line["lineage"]] == [(3, 10), (2, 8), (1, 9)]
    assert (line["start_year"], line["end_year"]) == (2026, 2026)
    assert (by_title[PERIZINAN]["start_year"], by_title[PERIZINAN]["end_year"]) == (2026, 2030)


# --- Word -----------------------------------------------------------------------------------------

class Head(str):
    """A Word heading (by its paragraph style), with its section number."""


def docx_outline(content: bytes) -> list:
    """The body in order: headings as ``Head``, other paragraphs as text, tables as rows of cell texts."""
    doc = Document(io.BytesIO(content))
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: [[c.text for c in row.cells] for row in t.rows] for t in doc.tables}
    out = []
    for el in doc.element.body.iterchildren():
        if el in paragraphs:
            p = paragraphs[el]
            out.append(Head(p.text) if p.style.name.startswith("Heading") else p.text)
        elif el in tables:
            out.append(tables[el])
    return out


def headed(blocks: list) -> dict[str, list]:
    """Every heading (without its number) → the blocks up to the next heading. A title
    that comes again later (a dimension in the stages' own sections) keeps its first
    place: the masterplan parts come first."""
    out: dict[str, list] = {}
    current = None
    for block in blocks:
        if isinstance(block, Head):
            title = block.split(" ", 1)[1]
            current = None if title in out else title
            if current is not None:
                out[current] = []
        elif current is not None:
            out[current].append(block)
    return out


def tables_in(blocks: list) -> list[list[list[str]]]:
    return [b for b in blocks if isinstance(b, list)]


def as_dicts(table: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(table[0], row)) for row in table[1:]]


def test_word_has_every_part_of_the_masterplan(walk):
    content = download(walk, "docx").content
    blocks = docx_outline(content)
    heads = [b for b in blocks if isinstance(b, Head) and re.fullmatch(r"\d+ .+", b)]
    assert heads[:9] == [
        "1 Ringkasan per sesi", "2 Rekap per dimensi (semua sesi)", "3 Analisis Strategis (Tahap I)",
        "4 Program per dimensi", "5 Roadmap 2026–2035", "6 Profil Quick Win", "7 Kehadiran per tahap",
        "8 Lembar Komitmen Bersama", "9 Partisipasi dan cakupan",
    ]
    assert heads[9:] == ["10 Tahap I – Analisis Strategis", "11 Tahap II – Strategi & Program",
                         "12 Tahap III – Roadmap & Quick Win", "13 Tahap IV – Finalisasi & Komitmen"]
    part = headed(blocks)

    # Tahap I: issues per dimension, ranked, with their SWOT quadrant.
    (living_issues,) = tables_in(part["Smart Living (3)"])
    assert [(r["Isu"], r["SWOT"], r["Suara"]) for r in as_dicts(living_issues)] == [
        ("Antrean RSUD panjang", "Kelemahan", "9"), ("Jaringan pipa PDAM tua", "Ancaman", "3"),
        ("SIMRS sudah ada di RSUD", "Kekuatan", "0")]
    (gov_issues,) = tables_in(part["Smart Governance (2)"])
    assert as_dicts(gov_issues)[0]["Isu"] == PERIZINAN and as_dicts(gov_issues)[0]["Gagasan"] == "2"

    # SWOT per dimension: the four quadrants as columns.
    (living_swot,) = tables_in(part["Smart Living"])
    assert living_swot[0] == ["Kekuatan", "Kelemahan", "Peluang", "Ancaman"]
    assert living_swot[1] == ["SIMRS sudah ada di RSUD", "Antrean RSUD panjang (9 suara)", "",
                              "Jaringan pipa PDAM tua (3 suara)"]
    (gov_swot,) = tables_in(part["Smart Governance"])
    assert gov_swot[1] == [FORMULA, f"{PERIZINAN} (8 suara)", "", ""]  # Word shows a formula as text
    (branding_swot,) = tables_in(part["Smart Branding"])
    assert branding_swot[1][2] == f"{WISATA} (5 suara)"

    # Programmes per dimension.
    (living_programmes,) = tables_in(part["Smart Living (1)"])
    assert as_dicts(living_programmes) == [{
        "No": "1", "Program": QUICK_WIN, "Sub-elemen": "Sarana Prasarana Kesehatan",
        "Horizon": "Jangka pendek (1 tahun)", "Pemilik (OPD)": "Dinas Kesehatan", "Sumber anggaran": "APBD",
        "Quick win": "Ya"}]

    # The roadmap with its years.
    (road,) = tables_in(part["Roadmap 2026–2035"])
    rows = {r["Program"]: r for r in as_dicts(road)}
    assert (rows[QUICK_WIN]["Tahun"], rows[QUICK_WIN]["Pemilik (OPD)"], rows[QUICK_WIN]["Quick win"]) == (
        "2026", "Dinas Kesehatan", "Ya")
    assert (rows[PERIZINAN]["Tahun"], rows[PERIZINAN]["Horizon"], rows[PERIZINAN]["Sumber anggaran"]) == (
        "2026–2030", "Jangka menengah (hingga 5 tahun)", "APBN")
    assert (rows[WISATA]["Tahun"], rows[WISATA]["Sumber anggaran"], rows[WISATA]["Dimensi"]) == (
        "2026–2035", "KPBU", "Smart Branding")

    # One quick-win profile, on a page of its own.
    profile = part[f"Quick Win 1: {QUICK_WIN}"]
    facts = dict(tuple(row) for row in tables_in(profile)[0])
    assert facts == {
        "Dimensi": "Smart Living", "Sub-elemen": "Sarana Prasarana Kesehatan", "Pemilik (OPD)": "Dinas Kesehatan",
        "Horizon": "Jangka pendek (1 tahun)", "Tahun": "2026", "Sumber anggaran": "APBD",
        "Dampak bagi warga (rata-rata 1–5)": "4,50", "Kelayakan dalam satu tahun (rata-rata 1–5)": "3,75",
        "Penilai": "4 orang (Tahap III, Roadmap dan quick win)", "Kuadran": "Quick win",
        # Nobody voted in Tahap IV (it met to sign): the latest vote is Tahap III's.
        "Suara": "10 (Tahap III, Roadmap dan quick win)", "Asal-usul": LINEAGE,
    }
    ideas = as_dicts(part["Gagasan di dalamnya"][0])
    assert [(i["Gagasan"], i["Pengusul"], i["Organisasi"], i["Diusulkan di"]) for i in ideas] == [
        ("Antrean RSUD panjang", "Budi Santoso", "RSUD Pariaman", "Tahap I"),
        ("Telemedisin puskesmas", "Eko Prasetyo", "Dinas Kesehatan", "Tahap II"),
    ]
    doc = Document(io.BytesIO(content))
    heading = next(p for p in doc.paragraphs if p.text.endswith(f"Quick Win 1: {QUICK_WIN}"))
    before = heading._p.getprevious()
    assert before.xpath('.//w:br[@w:type="page"]'), "the profile starts a new page"

    # Attendance: the person × stage matrix and the offices that sent different people.
    matrix = {r["Nama"]: r for r in as_dicts(tables_in(part["Matriks kehadiran"])[0])}
    assert [matrix["Rina Marlina"][f"Tahap {n}"] for n in ("I", "II", "III", "IV")] == ["✓"] * 4
    assert matrix["Rina Marlina"]["Semua tahap"] == "Ya"
    assert [matrix["Budi Santoso"][f"Tahap {n}"] for n in ("I", "II", "III", "IV")] == ["✓", "", "", ""]
    assert [matrix["Tono Sutrisno"][f"Tahap {n}"] for n in ("I", "II", "III", "IV")] == ["✓", "", "✓", ""]
    assert matrix["Eko Prasetyo"]["Semua tahap"] == ""
    assert len(matrix) == 7
    offices = {r["Organisasi"]: r for r in as_dicts(tables_in(part["Kehadiran per organisasi"])[0])}
    assert (offices["RSUD Pariaman"]["Tahap I"], offices["RSUD Pariaman"]["Tahap II"]) == ("Budi Santoso",
                                                                                           "Andi Saputra")
    assert offices["RSUD Pariaman"]["Orang berbeda"] == "Ya" and offices["Diskominfo"]["Orang berbeda"] == "Tidak"

    # The commitment sheet: the quick-win list they signed, and who signed, with room for a signature.
    commitment = part["Tahap IV: Finalisasi dan komitmen"]
    assert any("berkomitmen" in b for b in commitment if isinstance(b, str))
    assert [r["Quick win"] for r in as_dicts(part["Daftar quick win"][0])] == [QUICK_WIN]
    signed = as_dicts(part["Penanda tangan (3)"][0])
    assert [(r["Nama"], r["Jabatan"], r["Organisasi"], r["Tanda tangan"].strip()) for r in signed] == [
        (*s, "") for s in SIGNERS]
    assert signed[0]["Tanda tangan"].count("\n") == 2  # room to sign on paper
    # When each signed, at the venue (WIB by default), as Babel writes it in Indonesian.
    assert all(re.fullmatch(r"\d{1,2} \w{3} \d{4} \d\d\.\d\d WIB", r["Waktu"]) for r in signed)

    # Participation and coverage.
    by_type = {r["Jenis organisasi"]: r for r in as_dicts(tables_in(part["Menurut jenis organisasi"])[0])}
    # OPD: Rina ×4, Sari, Eko ×3 (joins per session); ideas: Rina 2, Sari 1 (one hidden), Eko 1.
    assert {k: by_type["Perangkat Daerah (OPD)"][k] for k in ("Peserta", "Gagasan")} == {"Peserta": "8",
                                                                                          "Gagasan": "4"}
    coverage = as_dicts(part["Cakupan dimensi dan sub-elemen"][0])
    living = next(r for r in coverage if r["Dimensi"] == "Smart Living")
    assert living["Gagasan"] == "4"  # three in Tahap I, the telemedicine idea in Tahap II (copies not again)
    health = next(r for r in coverage if r["Sub-elemen"] == "Sarana Prasarana Kesehatan")
    assert health["Gagasan"] == "2"

    text = "\n".join(b if isinstance(b, str) else "\n".join(" | ".join(r) for r in b) for b in blocks)
    assert HIDDEN not in text


# --- Excel ----------------------------------------------------------------------------------------

def test_excel_has_a_sheet_per_part(walk):
    sheets = xlsx_sheets(download(walk, "xlsx").content)
    rows = {name: sheet_dicts(data) for name, data in sheets.items()}

    analysis = {(r["Dimensi"], r["Isu"]): r for r in rows["Analisis Tahap I"]}
    assert (analysis[("Smart Living", "Antrean RSUD panjang")]["Suara"],
            analysis[("Smart Living", "Antrean RSUD panjang")]["SWOT"]) == (9, "Kelemahan")
    assert analysis[("Smart Governance", PERIZINAN)]["Gagasan"] == 2

    swot = {(r["Dimensi"], r["Kuadran"], r["Isu"]): r["Suara"] for r in rows["SWOT"]}
    assert swot == {
        ("Smart Governance", "Kekuatan", "'" + FORMULA): 0,
        ("Smart Governance", "Kelemahan", PERIZINAN): 8,
        ("Smart Branding", "Peluang", WISATA): 5,
        ("Smart Living", "Kekuatan", "SIMRS sudah ada di RSUD"): 0,
        ("Smart Living", "Kelemahan", "Antrean RSUD panjang"): 9,
        ("Smart Living", "Ancaman", "Jaringan pipa PDAM tua"): 3,
        ("Smart Society", "Kekuatan", "Relawan TIK aktif"): 0,
    }

    programmes = {r["Program"]: r for r in rows["Program"]}
    assert (programmes[WISATA]["Tahap"], programmes[WISATA]["Pemilik (OPD)"], programmes[WISATA]["Asal"]) == (
        "Tahap II", "Dinas Pariwisata", "dari Tahap I, 5 suara")
    assert programmes[QUICK_WIN]["Asal"] == LINEAGE

    road = {r["Program"]: r for r in rows["Roadmap"]}
    quick = road[QUICK_WIN]
    assert (quick["Mulai"], quick["Selesai"], quick["Horizon"], quick["Sumber anggaran"], quick["Quick win"]) == (
        2026, 2026, "Jangka pendek (1 tahun)", "APBD", "Ya")
    assert [quick[str(y)] for y in (2026, 2027)] == ["■", None]
    assert (road[PERIZINAN]["Mulai"], road[PERIZINAN]["Selesai"]) == (2026, 2030)
    assert [road[PERIZINAN][str(y)] for y in range(2026, 2036)] == ["■"] * 5 + [None] * 5
    assert road[WISATA]["2035"] == "■"

    (profile,) = rows["Quick Win"]
    assert {k: profile[k] for k in ("Quick win", "Dimensi", "Sub-elemen", "Pemilik (OPD)", "Tahun",
                                    "Sumber anggaran", "Dampak", "Kelayakan", "Penilai", "Kuadran", "Suara",
                                    "Suara di", "Asal-usul", "Gagasan")} == {
        "Quick win": QUICK_WIN, "Dimensi": "Smart Living", "Sub-elemen": "Sarana Prasarana Kesehatan",
        "Pemilik (OPD)": "Dinas Kesehatan", "Tahun": "2026", "Sumber anggaran": "APBD", "Dampak": 4.5,
        "Kelayakan": 3.75, "Penilai": 4, "Kuadran": "Quick win", "Suara": 10, "Suara di": "Tahap III",
        "Asal-usul": LINEAGE, "Gagasan": 2,
    }
    assert [(r["Gagasan"], r["Pengusul"], r["Diusulkan di"]) for r in rows["Gagasan Quick Win"]] == [
        ("Antrean RSUD panjang", "Budi Santoso", "Tahap I"), ("Telemedisin puskesmas", "Eko Prasetyo", "Tahap II")]

    attendance = {r["Nama"]: r for r in rows["Kehadiran"]}
    assert [attendance["Andi Saputra"][f"Tahap {n}"] for n in ("I", "II", "III", "IV")] == [None, "✓", "✓", "✓"]
    assert attendance["Rina Marlina"]["Semua tahap"] == "Ya"
    offices = {r["Organisasi"]: r for r in rows["Kehadiran per organisasi"]}
    assert offices["RSUD Pariaman"]["Orang berbeda"] == "Ya"

    assert [(r["Tahap"], r["Nama"], r["Jabatan"], r["Organisasi"]) for r in rows["Komitmen"]] == [
        ("Tahap IV", *s) for s in SIGNERS]

    by_org = {r["Organisasi"]: r for r in rows["Partisipasi per organisasi"]}
    assert (by_org["Diskominfo"]["Peserta"], by_org["Diskominfo"]["Gagasan"]) == (4, 2)  # the hidden idea is out
    assert by_org["Dinas Kesehatan"]["Penilaian"] == 2
    coverage = [r for r in rows["Cakupan"] if r["Dimensi"] == "Smart Living"]
    assert coverage[0]["Gagasan"] == 4

    # Per session: the rating columns where a session rated, the SWOT quadrant where it had a SWOT board.
    ideas = rows["Gagasan"]
    rated = next(r for r in ideas if r["Sesi"] == "Roadmap dan quick win" and r["Gagasan"] == "Antrean RSUD panjang")
    assert (rated["Dampak"], rated["Kelayakan"], rated["Kuadran"], rated["Pemilik (OPD)"]) == (
        4.5, 3.75, "Quick win", "Dinas Kesehatan")
    assert rated["Asal"] == "dari Tahap II, 8 suara ← dari Tahap I, 9 suara"
    swot_idea = next(r for r in ideas if r["Gagasan"] == "Jaringan pipa PDAM tua")
    assert swot_idea["SWOT"] == "Ancaman" and swot_idea["Dampak"] is None
    assert [r["Kuadran"] for r in rows["Penilaian"]] == ["Quick win", "Proyek besar"]

    # Every cell that looks like a formula is text; nothing hidden is anywhere.
    cells = [str(v) for data in sheets.values() for row in data for v in row if v is not None]
    assert [c for c in cells if "HYPERLINK" in c] and all(c.startswith("'=") for c in cells if "HYPERLINK" in c)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert not any(HIDDEN in c for c in cells)


# --- Markdown, JSON, PDF -----------------------------------------------------------------------------

def test_markdown_json_and_pdf_carry_the_same_facts(walk):
    md = download(walk, "md")
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    text = md.text
    for fact in ("## Lembar Komitmen Bersama", f"### Quick Win 1: {QUICK_WIN}", LINEAGE, "Andi Saputra",
                 "| 2026–2030 |", "Jangka pendek (1 tahun)", "Antrean RSUD panjang (9 suara)", "4,50"):
        assert fact in text, fact
    assert HIDDEN not in text

    js = download(walk, "json")
    assert js.headers["content-type"] == "application/json"
    mp = json.loads(js.content)["masterplan"]
    (profile,) = mp["quick_wins"]
    assert (profile["title"], profile["impact"], profile["feasibility"], profile["raters"], profile["quadrant"]) == (
        QUICK_WIN, 4.5, 3.75, 4, "quick_win")
    assert profile["lineage_text"] == LINEAGE
    assert [(s["stage_number"], s["votes"]) for s in profile["lineage"]] == [(3, 10), (2, 8), (1, 9)]
    assert [i["author"] for i in profile["ideas"]] == ["Budi Santoso", "Eko Prasetyo"]
    assert [s["name"] for s in mp["commitments"][0]["signers"]] == [s[0] for s in SIGNERS]
    assert mp["attendance"]["every_stage_count"] == 1
    assert HIDDEN not in js.text

    pdf = download(walk, "pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 6
    profile_pages = [n for n, page in enumerate(pages) if f"Quick Win 1: {QUICK_WIN}" in page]
    assert profile_pages and pages[profile_pages[-1]].startswith(f"6.1 Quick Win 1: {QUICK_WIN}")  # its own page
    whole = " ".join(pages)
    for fact in ("Lembar Komitmen Bersama", LINEAGE, "Rina Marlina Kepala Bidang Aplikasi Informatika",
                 "Matriks kehadiran", "Kekuatan Kelemahan Peluang Ancaman", "2026–2030"):
        assert fact in whole, fact
    assert HIDDEN not in whole


def test_session_downloads_gain_the_later_stage_fields(walk):
    room = walk["room"]
    sid = walk["three"]["session"]["id"]
    r = room.client.get(f"/api/v1/sessions/{sid}/summary.json", headers=room.fac)
    groups = {g["title"]: g for d in r.json()["dimensions"] for g in d["groups"]}
    quick = groups[QUICK_WIN]
    assert (quick["impact"], quick["quadrant"], quick["owner"], quick["horizon"], quick["quick_win"]) == (
        4.5, "quick_win", "Dinas Kesehatan", "short", True)
    assert quick["lineage_text"] == "dari Tahap II, 8 suara ← dari Tahap I, 9 suara"
    docx = room.client.get(f"/api/v1/sessions/{sid}/summary.docx", headers=room.fac).content
    part = headed(docx_outline(docx))
    ratings = as_dicts(tables_in(part["Penilaian dampak × kelayakan"])[0])
    assert [(r["Kelompok gagasan"], r["Dampak"], r["Kelayakan"], r["Kuadran"]) for r in ratings] == [
        (QUICK_WIN, "4,50", "3,75", "Quick win"), (PERIZINAN, "3,67", "2,67", "Proyek besar")]
    living = as_dicts(tables_in(part["Smart Living (2)"])[0])
    assert "Quick win terpilih" in living[0]["Keterangan"] and "dari Tahap II, 8 suara" in living[0]["Keterangan"]

    four = walk["four"]["session"]["id"]
    sheets = xlsx_sheets(room.client.get(f"/api/v1/sessions/{four}/summary.xlsx", headers=room.fac).content)
    assert [r["Nama"] for r in sheet_dicts(sheets["Komitmen"])] == [s[0] for s in SIGNERS]

    one = walk["one"]["session"]["id"]
    md = room.client.get(f"/api/v1/sessions/{one}/summary.md", headers=room.fac).text
    assert "## Analisis SWOT" in md and "| Kekuatan | Kelemahan | Peluang | Ancaman |" in md


# --- anonymity carries along the line ---------------------------------------------------------------

def test_a_quick_win_from_an_anonymous_session_names_nobody(api, client):
    room = Room(api, client)
    workshop = api.workshop(room.fac, year=2027)
    stage = {s["number"]: s["id"] for s in workshop["stages"]}
    first = api.session(room.fac, stage[1], title="Isu", anonymous_exports=True)
    phone = api.join(first["join_code"], "Rahasia Orangnya", "opd", "Bappeda")
    idea = api.idea(phone, "Satu data kependudukan", "governance")
    later = api.session(room.fac, stage[3], title="Quick win")
    (copy,) = room.carry(later["id"], first["id"], group_ids=[idea["group_id"]])
    room.call("PATCH", f"/api/v1/groups/{copy}", quick_win=True, horizon="short", owner="Disdukcapil")
    r = client.get(f"/api/v1/workshops/{workshop['id']}/summary.json", headers=room.fac)
    (profile,) = r.json()["masterplan"]["quick_wins"]
    assert [(i["text"], i["author"], i["organization"]) for i in profile["ideas"]] == [
        ("Satu data kependudukan", None, None)]
    # Nobody voted on it in Tahap I: the lineage names the stage only.
    assert profile["lineage_text"] == "dari Tahap I" and profile["years"] == "2027"
    for fmt in ("docx", "xlsx", "md", "pdf"):
        body = client.get(f"/api/v1/workshops/{workshop['id']}/summary.{fmt}", headers=room.fac)
        assert body.status_code == 200
    docx = client.get(f"/api/v1/workshops/{workshop['id']}/summary.docx", headers=room.fac).content
    part = headed(docx_outline(docx))
    (ideas,) = tables_in(part["Gagasan di dalamnya"])
    assert ideas[0] == ["No", "Gagasan", "Diusulkan di"]  # no author columns at all
    # The attendance list stays: who attended is an official record.
    assert "Rahasia Orangnya" in [r["Nama"] for r in as_dicts(tables_in(part["Matriks kehadiran"])[0])]
