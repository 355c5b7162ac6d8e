"""The word cloud: how idea texts become words (plain functions, no database), and
what the facilitator's endpoint shows of a real session."""

from __future__ import annotations

import pytest

from app.services.stopwords import ENGLISH, INDONESIAN
from app.services.wordcloud import count, tokens


def url(session_id: int) -> str:
    return f"/api/v1/sessions/{session_id}/wordcloud"


# tokens ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Aplikasi antrean online di RSUD", {"aplikasi", "antrean", "online", "rsud"}),
    ("Layanan perizinan online di Mal Pelayanan Publik",
     {"layanan", "perizinan", "online", "mal", "pelayanan", "publik"}),
    ("Data bantuan sosial terpadu per nagari", {"data", "bantuan", "sosial", "terpadu", "nagari"}),
    ("QRIS di pasar nagari dan objek wisata", {"qris", "pasar", "nagari", "objek", "wisata"}),
    ("Perlu adanya integrasi data antar OPD agar layanan lebih cepat dan tidak lambat",
     {"integrasi", "data", "opd", "layanan", "cepat", "lambat"}),
    ("We need a smart city dashboard for the people of this region",
     {"smart", "city", "dashboard", "people", "region"}),
])
def test_realistic_ideas(text, expected):
    assert tokens(text) == expected


def test_abbreviations_survive_lower_cased_and_short_or_numeric_tokens_do_not():
    assert tokens("OPD, RSUD, PDAM, UMKM & QRIS; ASN/SDM") == {"opd", "rsud", "pdam", "umkm", "qris", "asn", "sdm"}
    assert tokens("RT RW 5G di Industri 4.0 tahun 2026, 112 call center") == {"industri", "tahun", "call", "center"}


def test_enclitics_are_stripped_but_nothing_else_is_stemmed():
    assert tokens("layanannya aplikasinya datanya dinasnya") == {"layanan", "aplikasi", "data", "dinas"}
    assert tokens("pelayanan perizinan pengelolaan") == {"pelayanan", "perizinan", "pengelolaan"}
    # Not an enclitic: fewer than 4 letters would remain, or the ending is the root's.
    assert tokens("jumlah sekolah masalah langkah bertanya") == {"jumlah", "sekolah", "masalah", "langkah", "bertanya"}
    assert tokens("masalahnya sekolahlah") == {"masalah", "sekolah"}


def test_reduplication_counts_as_the_base_word():
    assert tokens("anak-anak data-data kupu-kupu") == {"anak", "data", "kupu"}
    assert tokens("anak-anaknya lampu2 jalan") == {"anak", "lampu", "jalan"}
    assert tokens("anak\u2011anak") == {"anak"}  # a phone's non-breaking hyphen
    # Other hyphenated runs are separate words.
    assert tokens("e-KTP sayur-mayur Covid-19") == {"ktp", "sayur", "mayur", "covid"}
    assert tokens("CO2 emisi") == {"co2", "emisi"}


def test_punctuation_and_apostrophes_separate_words():
    assert tokens("wifi/internet,desa;(gratis)!!! #digital @kominfo snake_case") == {
        "wifi", "internet", "desa", "gratis", "digital", "kominfo", "snake", "case"}
    assert tokens("don't isn't Jum'at") == {"jum"}


def test_unicode_is_normalised_and_any_script_kept():
    assert tokens("ＯＰＤ Straße STRASSE") == {"opd", "strasse"}
    assert tokens("Cafe\u0301 café") == {"café"}
    # Vowel signs are combining marks: the word must not fall apart around them.
    assert tokens("हिन्दी ꦗꦮꦶ") == {"हिन्दी", "ꦗꦮꦶ"}
    assert tokens("🚀🚀 ide 👍") == {"ide"}


def test_stop_words_of_both_languages_are_left_out():
    assert tokens("yang dan di ke dari untuk dengan pada dalam ini itu atau juga akan bisa dapat ada tidak") == set()
    assert tokens("belum sudah agar bagi oleh serta karena sebagai lebih masih harus perlu para setiap") == set()
    assert tokens("meskipun bagaimanapun apapun adalah sebaiknya yg dgn utk tsb dll dsb") == set()
    assert tokens("the and of with from about would could should their which") == set()
    assert tokens(" ".join(INDONESIAN | ENGLISH)) == set()


def test_workshop_words_are_not_stop_words():
    kept = {"smart", "city", "digital", "data", "masyarakat", "pemerintah", "layanan", "masalah", "baru",
            "besar", "online", "satu", "desa", "kota", "warga", "opd", "rsud", "umkm"}
    assert not kept & (INDONESIAN | ENGLISH)
    assert tokens(" ".join(kept)) == kept


def test_stop_word_lists_are_lower_case_single_words():
    for word in INDONESIAN | ENGLISH:
        assert word == word.casefold() and word.isalpha(), word


# count ----------------------------------------------------------------------------

def test_a_word_counts_once_per_idea():
    texts = ["data data data", "Data terpadu, data terbuka", "Satu data desa", "Aplikasi desa"]
    assert count(texts) == [
        {"word": "data", "count": 3},
        {"word": "desa", "count": 2},
        {"word": "aplikasi", "count": 1},
        {"word": "satu", "count": 1},
        {"word": "terbuka", "count": 1},
        {"word": "terpadu", "count": 1},
    ]


def test_most_frequent_first_ties_alphabetical_at_most_limit():
    texts = [f"kata{i:03d}" for i in range(150)] + ["zebra"] * 3 + ["antrean"] * 3 + ["wifi"] * 2
    top = count(texts)
    assert len(top) == 100
    assert top[:3] == [{"word": "antrean", "count": 3}, {"word": "zebra", "count": 3}, {"word": "wifi", "count": 2}]
    assert [w["word"] for w in top[3:]] == [f"kata{i:03d}" for i in range(97)]
    assert count(texts, limit=2) == top[:2]
    assert count(texts, limit=0) == []
    assert count([]) == [] and count(["", "   ", "di ke yang"]) == []


# the endpoint ---------------------------------------------------------------------

def test_endpoint_counts_visible_ideas_per_idea(api, client):
    me = api.facilitator()
    session = api.session(me)
    rina = api.join(session["join_code"], "Rina")
    budi = api.join(session["join_code"], "Budi", "rsud", "RSUD Pariaman")
    api.idea(rina, "Aplikasi antrean online di RSUD")
    api.idea(budi, "Layanan perizinan online di Mal Pelayanan Publik")
    api.idea(rina, "Data bantuan sosial terpadu per nagari, data data data")
    api.idea(budi, "QRIS di pasar nagari dan objek wisata")
    hidden = api.idea(budi, "Rahasia online yang tidak pantas")
    deleted = api.idea(rina, "Salah ketik online online")
    assert client.get(url(session["id"]), headers=me).json()["words"][0] == {"word": "online", "count": 4}

    r = client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=me)
    assert r.status_code == 200, r.text
    r = client.delete(f"/api/v1/ideas/{deleted['id']}", headers=rina.headers)
    assert r.status_code == 200, r.text

    r = client.get(url(session["id"]), headers=me)
    assert r.status_code == 200, r.text
    words = {w["word"]: w["count"] for w in r.json()["words"]}
    assert words == {
        "online": 2, "nagari": 2, "aplikasi": 1, "antrean": 1, "rsud": 1, "layanan": 1, "perizinan": 1,
        "mal": 1, "pelayanan": 1, "publik": 1, "data": 1, "bantuan": 1, "sosial": 1, "terpadu": 1,
        "qris": 1, "pasar": 1, "objek": 1, "wisata": 1,
    }
    assert [w["word"] for w in r.json()["words"][:3]] == ["nagari", "online", "antrean"]
    # Another session of the same facilitator starts empty: words are per session.
    other = api.session(me)
    assert client.get(url(other["id"]), headers=me).json() == {"words": []}


def test_endpoint_shows_the_top_100_in_order(api, client):
    me = api.facilitator()
    session = api.session(me, idea_max_length=2000)
    phone = api.join(session["join_code"])
    api.idea(phone, " ".join(f"kata{i:03d}" for i in range(120)) + " wifi desa")
    api.idea(phone, "Wifi gratis di balai desa")
    api.idea(phone, "Wifi desa untuk sekolah")
    words = client.get(url(session["id"]), headers=me).json()["words"]
    assert len(words) == 100
    assert words[:4] == [{"word": "desa", "count": 3}, {"word": "wifi", "count": 3},
                         {"word": "balai", "count": 1}, {"word": "gratis", "count": 1}]
    assert [w["word"] for w in words[4:]] == [f"kata{i:03d}" for i in range(96)]


def test_endpoint_is_for_the_sessions_facilitator_only(api, client):
    me = api.facilitator()
    session = api.session(me)
    phone = api.join(session["join_code"])
    api.idea(phone, "Aplikasi antrean online di RSUD")
    assert client.get(url(session["id"])).status_code == 401
    r = client.get(url(session["id"]), headers=phone.headers)
    assert r.status_code == 403 and r.json()["detail"]
    other = api.facilitator()
    r = client.get(url(session["id"]), headers=other)
    assert r.status_code == 404 and r.json()["detail"]
    # The same answer as for a session that does not exist.
    assert client.get(url(424242), headers=other).status_code == 404
