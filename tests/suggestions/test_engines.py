"""The suggestion engines on hand-written ideas: what a facilitator would notice."""

from __future__ import annotations

import re

from app.services.dimension_guess import guess
from app.services.idea_clusters import IdeaText, propose

Idea = IdeaText


def clusters_of(ideas: list[IdeaText]) -> list[set[int]]:
    return [set(c.idea_ids) for c in propose(ideas)]


def test_the_hospital_queue_said_three_ways_is_one_cluster():
    ideas = [
        Idea(1, "antrean RSUD panjang", "living"),
        Idea(2, "daftar poli harus online", "living"),
        Idea(3, "pendaftaran rumah sakit masih manual", "living"),
        Idea(4, "bank sampah di tiap desa", "environment"),
    ]
    (cluster,) = propose(ideas)
    assert set(cluster.idea_ids) == {1, 2, 3}
    assert cluster.dimension == "living"
    assert "rumah sakit" in cluster.why


def test_near_misses_stay_apart():
    ideas = [
        Idea(1, "Aplikasi antrean online RSUD", "governance"),
        Idea(2, "Aplikasi pengaduan online Disdukcapil", "governance"),
        Idea(3, "sampah di sungai numpuk", "environment"),
        Idea(4, "sungai tercemar limbah pabrik", "environment"),
        Idea(5, "Sistem peringatan dini banjir", "environment"),
        Idea(6, "Satu data kependudukan untuk semua OPD", "governance"),
    ]
    assert propose(ideas) == []


def test_ideas_of_different_dimensions_are_not_clustered_together():
    ideas = [Idea(1, "bank sampah digital", "environment"), Idea(2, "bank sampah digital di desa", "economy")]
    assert propose(ideas) == []


def test_an_idea_without_a_dimension_joins_the_cluster_of_its_subject():
    ideas = [
        Idea(1, "bank sampah di tiap desa", "environment"),
        Idea(2, "tabungan bank sampah utk ibu2 PKK", "environment"),
        Idea(3, "bank sampah kelurahan, tukar plastik jadi saldo", None),
        Idea(4, "pos ronda dihidupkan lagi", "society"),
    ]
    assert clusters_of(ideas) == [{1, 2, 3}]


def test_the_reasons_are_words_a_person_reads_and_the_title_is_one_of_its_ideas():
    ideas = [
        Idea(1, "Pelayanan perizinan harus online!!! 😡", "governance"),
        Idea(2, "perizinan online biar tdk bolak balik ke kantor", "governance"),
        Idea(3, "izin usaha lewat OSS msh ribet, perlu pendampingan", "governance"),
    ]
    (cluster,) = propose(ideas)
    texts = {i.idea_id: i.text for i in ideas}
    assert any(cluster.title.lower() in re.sub(r"[^\w\s]", "", texts[k].lower()) for k in cluster.idea_ids)
    assert "😡" not in cluster.title and "!!!" not in cluster.title
    assert "perizinan" in cluster.why
    # Not Sastrawi's stems ("layan", "izin" for "perizinan" is fine only as a typed word).
    assert "layan" not in cluster.why
    assert all(re.fullmatch(r"[A-Za-z ]+", reason) for reason in cluster.why)


def test_every_idea_is_in_at_most_one_cluster_of_two_or_more():
    texts = [
        "antrean RSUD panjang",
        "antrian rumah sakit lama",
        "pendaftaran poli online",
        "daftar rsud dari rumah",
        "nomor antrean puskesmas lewat WA",
        "antre puskesmas dari subuh",
        "jalan berlubang di kecamatan",
        "aspal jalan desa hancur",
        "perbaikan jalan rusak",
        "angkot gak punya jadwal",
        "jadwal bus kota online",
        "halte bus rusak",
    ]
    ideas = [Idea(k, t, "living") for k, t in enumerate(texts)]
    seen: list[int] = []
    for cluster in propose(ideas):
        assert len(cluster.idea_ids) >= 2
        seen.extend(cluster.idea_ids)
    assert len(seen) == len(set(seen))


def test_empty_and_odd_input():
    assert propose([]) == []
    assert propose([Idea(1, "antrean RSUD panjang")]) == []
    assert guess([], []) == []
    odd = [
        Idea(1, "😀😀😀", "living"),
        Idea(2, "!!!", "living"),
        Idea(3, "", "living"),
        Idea(4, "jadwal bus kota " * 100, "living"),
        Idea(5, "Jadwal bus kota online 🚌🚌", "living"),
    ]
    clusters = propose(odd)
    assert [set(c.idea_ids) for c in clusters] == [{4, 5}]
    assert len(clusters[0].title) <= 81
    assert guess([Idea(9, "😀😀")], odd) == []


def test_a_guess_names_the_dimension_of_the_subject_with_a_confidence():
    placed = [
        Idea(1, "antrean RSUD panjang", "living", "health"),
        Idea(2, "bank sampah di tiap desa", "environment", "waste"),
        Idea(3, "pos ronda dihidupkan lagi", "society", "security"),
    ]
    guesses = {
        g.idea_id: g for g in guess([Idea(10, "antre di puskesmas lama"), Idea(11, "PLTS atap kantor dinas")], placed)
    }
    assert (guesses[10].dimension, guesses[10].sub_element) == ("living", "health")
    assert (guesses[11].dimension, guesses[11].sub_element) == ("environment", "energy")
    assert all(0.0 <= g.confidence <= 1.0 for g in guesses.values())


def test_the_programme_terms_guess_a_dimension_before_anything_is_placed():
    (g,) = guess([Idea(1, "pembayaran retribusi pasar pakai QRIS")], [])
    assert (g.dimension, g.sub_element) == ("economy", "financial_transactions")


def test_every_sub_element_has_its_own_words_and_every_term_points_at_a_real_one():
    from app.domain import DIMENSIONS
    from app.services.vocabulary import CONCEPTS, CUES

    real = {(d.code, s.code) for d in DIMENSIONS for s in d.sub_elements}
    placed = [(c.dimension, c.sub_element) for c in CONCEPTS + CUES if c.dimension is not None]
    assert set(placed) <= real
    for key in real:
        assert sum(1 for p in placed if p == key) >= 4, key  # three concepts and a cue at least


def test_an_office_or_an_emergency_number_is_enough_for_a_guess():
    unplaced = [Idea(1, "Dishub pasang ATCS di simpang"), Idea(2, "nomor 112 jarang diangkat")]
    guesses = {g.idea_id: g for g in guess(unplaced, [])}
    assert (guesses[1].dimension, guesses[1].sub_element) == ("living", "mobility")
    assert (guesses[2].dimension, guesses[2].sub_element) == ("society", "security")


def test_numpy_waits_for_the_first_suggestion():
    """A server worker or a ``rembuk`` command that never suggests anything does not pay
    for importing numpy at start-up; the first suggestion loads it and works."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import app.main\n"
        "before = 'numpy' in sys.modules\n"
        "from app.services.idea_clusters import IdeaText, propose\n"
        "found = propose([IdeaText(1, 'antrean RSUD panjang', 'living'), IdeaText(2, 'antrean RSUD lama', 'living')])\n"
        "print(before, 'numpy' in sys.modules, len(found))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "1"], out.stdout + out.stderr
