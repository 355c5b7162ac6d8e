"""Summary downloads (Markdown, CSV, JSON): complete, grouped by dimension, safe to
open in Excel and to paste into the masterplan documents. (Word, Excel and PDF,
and groups with votes: tests/exports/test_office.py.)"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from app.domain import DIMENSIONS
from app.exports.basic import md_escape, to_csv
from app.exports.safety import neutralise_cell

XSS = "<script>alert(1)</script>"
FORMULAS = ["=1+2", "+cmd", "-2", "@SUM(A1)", '=HYPERLINK("http://x")']
FORMATS = ["md", "csv", "json"]


@pytest.fixture
def workshop(api):
    """A session with people from several kinds of organisation and ideas in several dimensions."""
    fac = api.facilitator(name="Dewi Fasilitator")
    w = api.workshop(fac, title="Bimtek Smart City", region="Kabupaten Padang Pariaman")
    session = api.session(fac, w["stages"][0]["id"], title="Isu strategis", prompt="Apa masalah utama?")
    rina = api.join(session["join_code"], name="Rina", organization_type="rsud", organization="RSUD Parit Malintang")
    budi = api.join(session["join_code"], name="Budi", organization_type="opd", organization="Diskominfo")
    sari = api.join(session["join_code"], name="Sari", organization_type="opd", organization="Bappeda")
    tono = api.join(session["join_code"], name="Tono", organization_type="pokdarwis", organization="Pokdarwis Tiram")
    ideas = [
        api.idea(rina, text="Rekam medis elektronik", dimension="living", sub_element="health"),
        api.idea(budi, text="Satu data kependudukan", dimension="governance", sub_element="public_service"),
        api.idea(sari, text="Rp 1.000.000 (APBD) - tahap #1", dimension="economy"),
        api.idea(tono, text="Paket wisata bahari", dimension="branding", sub_element="tourism"),
        api.idea(tono, text=XSS, dimension=None),
        api.idea(budi, text="*tebal* _miring_ [tautan](http://x) a|b", dimension="governance"),
    ]
    return {"fac": fac, "session": session, "ideas": ideas, "people": [rina, budi, sari, tono]}


def download(client, headers, session_id, fmt):
    return client.get(f"/api/v1/sessions/{session_id}/summary.{fmt}", headers=headers)


def exported_ideas(summary):
    """{idea id: (dimension code, idea)} from a JSON summary (dimensions → groups → ideas)."""
    return {i["id"]: (d["code"], i) for d in summary["dimensions"] for g in d["groups"] for i in g["ideas"]}


# --- who may download ------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_only_the_facilitator_downloads(api, client, workshop, fmt):
    sid = workshop["session"]["id"]
    phone = workshop["people"][0]
    assert download(client, phone.headers, sid, fmt).status_code == 403
    assert download(client, api.facilitator(), sid, fmt).status_code == 404
    r = download(client, {}, sid, fmt)
    assert r.status_code == 401 and r.json()["detail"]
    assert download(client, workshop["fac"], 999999, fmt).status_code == 404
    r = download(client, workshop["fac"], sid, fmt)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="rembuk-{sid}-isu-strategis.{fmt}"'


# --- JSON ------------------------------------------------------------------------

def test_json_matches_the_board(api, client, workshop):
    sid = workshop["session"]["id"]
    fac = workshop["fac"]
    hidden = workshop["ideas"][3]
    client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=fac)
    r = download(client, fac, sid, "json")
    assert r.headers["content-type"].startswith("application/json")
    summary = json.loads(r.content)
    board = api.board(fac, sid)
    # The facilitator's board still shows the hidden idea (marked); the summary leaves
    # moderated ideas out and only counts them.
    on_board = {i["id"]: i for g in board["groups"] for i in g["ideas"] if not i["hidden"]}

    assert summary["participant_count"] == board["participant_count"] == 4
    assert summary["idea_count"] == len(on_board) == 5
    assert summary["hidden_idea_count"] == 1
    assert summary["workshop"]["region"] == "Kabupaten Padang Pariaman"
    assert summary["stage"]["number"] == 1
    assert summary["facilitator"] == "Dewi Fasilitator"
    assert [d["code"] for d in summary["dimensions"]] == [d.code for d in DIMENSIONS] + ["none"]
    exported = exported_ideas(summary)
    assert set(exported) == set(on_board)
    assert hidden["id"] not in exported
    for idea_id, (code, idea) in exported.items():
        shown = on_board[idea_id]
        assert code == (shown["dimension"] or "none")
        assert idea["text"] == shown["text"]
        assert idea["author"] == shown["author"]["name"]
        assert idea["organization"] == shown["author"]["organization"]
        assert idea["created_at"] == shown["created_at"]
    assert exported[workshop["ideas"][0]["id"]][1]["sub_element_name"] == "Sarana Prasarana Kesehatan"
    by_type = {row["type"]: row for row in summary["participants_by_type"]}
    assert {t: row["count"] for t, row in by_type.items()} == {
        "opd": 2, "rsud": 1, "pdam": 0, "pokdarwis": 1, "komunitas_it": 0, "lainnya": 0,
    }
    assert by_type["opd"]["label"] == "Perangkat Daerah (OPD)"  # Indonesian, like the rest of the summary
    assert by_type["lainnya"]["label"] == "Lainnya"
    assert {(row["organization"], row["count"]) for row in summary["participants_by_organization"]} == {
        ("RSUD Parit Malintang", 1), ("Diskominfo", 1), ("Bappeda", 1), ("Pokdarwis Tiram", 1),
    }
    assert exported[workshop["ideas"][4]["id"]][1]["text"] == XSS  # data stays data


def test_deleted_ideas_are_not_exported(api, client, workshop):
    phone = workshop["people"][0]
    gone = workshop["ideas"][0]
    assert client.delete(f"/api/v1/ideas/{gone['id']}", headers=phone.headers).status_code == 200
    summary = download(client, workshop["fac"], workshop["session"]["id"], "json").json()
    assert gone["id"] not in exported_ideas(summary)
    assert summary["idea_count"] == 5
    md = download(client, workshop["fac"], workshop["session"]["id"], "md").text
    assert "Rekam medis elektronik" not in md


def test_empty_session_exports(api, client):
    fac = api.facilitator()
    session = api.session(fac)
    for fmt in FORMATS:
        assert download(client, fac, session["id"], fmt).status_code == 200
    rows = list(csv.reader(io.StringIO(download(client, fac, session["id"], "csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1  # the header only
    assert "Belum ada ide" in download(client, fac, session["id"], "md").text


# --- CSV ---------------------------------------------------------------------------

def csv_rows(client, headers, session_id) -> list[dict[str, str]]:
    r = download(client, headers, session_id, "csv")
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


def test_csv_has_every_idea_with_author_organisation_and_time(client, workshop):
    rows = csv_rows(client, workshop["fac"], workshop["session"]["id"])
    assert [int(r["id"]) for r in rows] == [
        # grouped by dimension in the programme's order, "belum dikategorikan" last
        workshop["ideas"][i]["id"] for i in (1, 5, 3, 2, 0, 4)
    ]
    first = next(r for r in rows if int(r["id"]) == workshop["ideas"][0]["id"])
    assert first["dimensi"] == "Smart Living"
    assert first["sub_elemen"] == "Sarana Prasarana Kesehatan"
    assert first["ide"] == "Rekam medis elektronik"
    assert (first["pengusul"], first["organisasi"], first["jenis_organisasi"]) == (
        "Rina", "RSUD Parit Malintang", "Rumah Sakit Umum Daerah (RSUD)"
    )
    # Each idea is its own group until grouped; nobody has voted yet.
    assert (first["kelompok_id"], first["kelompok"], first["suara"], first["peringkat"]) == (
        str(workshop["ideas"][0]["group_id"]), "Rekam medis elektronik", "0", "1"
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["waktu"])
    xss = next(r for r in rows if int(r["id"]) == workshop["ideas"][4]["id"])
    assert (xss["ide"], xss["dimensi"]) == (XSS, "Belum dikategorikan")


def test_every_download_of_an_idea_says_how_many_agreed(api, client, workshop):
    """The room's "+1 setuju" go into the masterplan files with each idea."""
    session = workshop["session"]
    budi, sari = (api.join(session["join_code"], name=n) for n in ("Budi", "Sari"))
    target = workshop["ideas"][0]
    for phone in (budi, sari):
        r = client.post(f"/api/v1/ideas/{target['id']}/reactions", headers=phone.headers)
        assert r.status_code == 201, r.text
    rows = {int(r["id"]): r for r in csv_rows(client, workshop["fac"], session["id"])}
    assert rows[target["id"]]["setuju"] == "2"
    assert {r["setuju"] for i, r in rows.items() if i != target["id"]} == {"0"}
    summary = download(client, workshop["fac"], session["id"], "json").json()
    assert exported_ideas(summary)[target["id"]][1]["reactions"] == 2


def test_csv_neutralises_formulas(api, client):
    fac = api.facilitator()
    session = api.session(fac)
    phone = api.join(session["join_code"], name="=cmd|' /C calc'!A0", organization="@Dinas")
    for text in FORMULAS:
        api.idea(phone, text=text)
    rows = csv_rows(client, fac, session["id"])
    assert [r["ide"] for r in rows] == ["'" + t for t in FORMULAS]
    assert {r["pengusul"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert {r["organisasi"] for r in rows} == {"'@Dinas"}
    # What a phone cannot send (clean_text drops tabs and carriage returns) is still
    # neutralised should it ever reach an export.
    for value in ("\tSUM(A1)", "\r=1", "=1"):
        assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("Biasa saja") == "Biasa saja" and neutralise_cell(12) == 12


def test_csv_renderer_neutralises_tab_and_cr_cells():
    idea = {"id": 1, "sub_element_name": None, "text": "\t=cmd", "reactions": 0, "author": "\rBudi", "organization": "-Dinas",
            "organization_type_label": "+OPD", "created_at": "2026-01-01T00:00:00Z"}
    group = {"id": 7, "rank_in_dimension": 1, "title": "@grup", "votes": 2, "ideas": [idea]}
    summary = {"anonymous_exports": False, "dimensions": [{"name": "Smart Living", "groups": [group]}]}
    (row,) = list(csv.DictReader(io.StringIO(to_csv(summary).decode("utf-8-sig"), newline="")))
    assert (row["ide"], row["pengusul"], row["organisasi"]) == ("'\t=cmd", "'\rBudi", "'-Dinas")
    assert (row["kelompok"], row["jenis_organisasi"], row["suara"]) == ("'@grup", "'+OPD", "2")


# --- Markdown ------------------------------------------------------------------------

def md_sections(text: str) -> dict[str, str]:
    """Sections and sub-sections (## and ###) by heading."""
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_markdown_groups_ideas_by_dimension(client, workshop):
    r = download(client, workshop["fac"], workshop["session"]["id"], "md")
    assert r.headers["content-type"].startswith("text/markdown")
    text = r.text
    assert text.startswith("# Isu strategis\n")
    assert "Kabupaten Padang Pariaman" in text and "Dewi Fasilitator" in text
    sections = md_sections(text)
    names = [d.name for d in DIMENSIONS] + ["Belum dikategorikan"]
    assert [h for h in sections if h.rsplit(" (", 1)[0] in names] == [
        f"{name} ({n})" for name, n in zip(names, (2, 1, 1, 1, 0, 0, 1))
    ]
    living = sections["Smart Living (1)"]
    (row,) = [line for line in living.splitlines() if line.startswith("| 1 |")]
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert cells[1:5] == ["Rekam medis elektronik", "Sarana Prasarana Kesehatan", "Rina", "RSUD Parit Malintang"]
    assert cells[5] == "0"  # the group's votes
    assert "Smart Environment (0)" in sections and "_Belum ada ide._" in sections["Smart Environment (0)"]
    # Plain text stays readable for whoever pastes it into Word: no needless backslashes.
    assert "| Rp 1.000.000 (APBD) - tahap #1 |" in sections["Smart Economy (1)"]
    # Participants by organisation type, in Indonesian.
    by_type = sections["Peserta menurut jenis organisasi"]
    assert "| Perangkat Daerah (OPD) | 2 |" in by_type
    assert "| Lainnya | 0 |" in by_type
    assert "Regional office" not in text
    attendance = sections["Daftar hadir"]
    assert "| Rina | RSUD Parit Malintang |" in attendance
    assert len([line for line in attendance.splitlines() if line.startswith("| ") and "---" not in line]) == 5


def test_markdown_keeps_odd_text_inert(client, workshop):
    text = download(client, workshop["fac"], workshop["session"]["id"], "md").text
    assert "<script>" not in text and "</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    governance = md_sections(text)["Smart Governance (2)"]
    # Emphasis, links and a pipe inside a cell do not become formatting or new columns.
    assert r"\*tebal\* \_miring\_ \[tautan\](http://x) a\|b" in governance
    row = next(line for line in governance.splitlines() if "tebal" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # six columns


def test_markdown_leaves_hidden_ideas_out_and_counts_them(client, workshop):
    """A hidden idea was moderated out: it must not reach the masterplan by a paste."""
    hidden = workshop["ideas"][3]
    client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=workshop["fac"])
    text = download(client, workshop["fac"], workshop["session"]["id"], "md").text
    assert "Paket wisata bahari" not in text
    sections = md_sections(text)
    assert "_Belum ada ide._" in sections["Smart Branding (0)"]
    assert "1 gagasan disembunyikan oleh fasilitator" in sections["Hasil per dimensi"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Rp 1.000.000 (APBD) - #1!", "Rp 1.000.000 (APBD) - #1!"),
        (XSS, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<http://x>", "&lt;http://x&gt;"),
        ("a & b", "a & b"),
        ("&lt; &#60;", "&amp;lt; &amp;#60;"),
        ("![gambar](http://x/y.png)", r"!\[gambar\](http://x/y.png)"),
        ("`kode` ~~coret~~ \\", r"\`kode\` \~\~coret\~\~ \\"),
        ("Isu #", r"Isu \#"),
        ("dua\nbaris", "dua baris"),
        (None, ""),
    ],
)
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped
