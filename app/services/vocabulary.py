"""The programme's words: a small lexicon of Indonesian smart-city concepts.

Participants say the same thing in different words ("antrean RSUD", "daftar poli",
"pendaftaran rumah sakit"); a concept gathers the words a facilitator would read as the
same subject, so two ideas that share a concept look alike although they share no word.
Each concept also points at the sub-element where it usually belongs, which is the first
evidence for a dimension guess before the workshop has placed any idea.

Written from general knowledge of the Gerakan Menuju 100 Smart City programme, its
offices (OPD) and how people type, never from the labelled sets that measure the
engines. A term is a word or a phrase as typed; it is matched on stems (Sastrawi), so
"pendaftaran", "daftar" and "mendaftar" are one term.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.domain import DIMENSIONS
from app.services.wording import words


@dataclass(frozen=True)
class Concept:
    code: str
    label: str  # shown to the facilitator as a reason ("rumah sakit")
    dimension: str | None
    sub_element: str | None
    terms: tuple[str, ...]


def _c(code: str, label: str, where: str | None, terms: str) -> Concept:
    dimension, _, sub = (where or "").partition("/")
    return Concept(code, label, dimension or None, sub or None, tuple(t.strip() for t in terms.split(",")))


CONCEPTS = (
    # Smart Governance: public service
    _c(
        "adminduk",
        "kependudukan",
        "governance/public_service",
        "ktpel, ektp, ktp, akta, akta kelahiran, kartu keluarga, kependudukan, adminduk, disdukcapil, kia, nik,"
        " identitas, surat pindah, akta kematian",
    ),
    _c(
        "izin",
        "perizinan",
        "governance/public_service",
        "izin, perizinan, oss, dpmptsp, perizinan terpadu, pbg, imb, nib, siup, rekomendasi",
    ),
    _c(
        "aduan",
        "pengaduan",
        "governance/public_service",
        "aduan, pengaduan, lapor, laporan, keluhan, komplain, hotline, sp4n, lapor, tindaklanjut, respon, tanggap",
    ),
    _c(
        "antre",
        "antrean",
        None,
        "antre, antrean, tunggu, menunggu, nomor antrean, loket, daftar, pendaftaran, registrasi, subuh, berjam",
    ),
    _c("mpp", "mal pelayanan publik", "governance/public_service", "mpp, mal pelayanan, satu pintu, gerai"),
    _c(
        "jemput",
        "layanan keliling",
        "governance/public_service",
        "keliling, jemput bola, mobil layanan, datang ke desa, pelosok, terpencil",
    ),
    # Smart Governance: bureaucracy
    _c(
        "surat",
        "persuratan",
        "governance/bureaucracy",
        "surat, persuratan, disposisi, tte, tanda tangan, tanda tangan elektronik, srikandi, eoffice, naskah dinas,"
        " arsip, kertas, paperless",
    ),
    _c(
        "data",
        "data terpadu",
        "governance/bureaucracy",
        "data, satu data, dashboard, statistik, basis data, database, interoperabilitas, integrasi, terintegrasi",
    ),
    _c(
        "asn",
        "pegawai",
        "governance/bureaucracy",
        "asn, pns, pegawai, presensi, absen, absensi, honorer, aparatur, ngantor, kantor kosong",
    ),
    _c(
        "anggaran",
        "anggaran",
        "governance/bureaucracy",
        "apbd, anggaran, realisasi anggaran, sipd, ebudgeting, pengadaan, lelang, ekatalog, belanja",
    ),
    _c(
        "jaringan",
        "internet",
        None,
        "internet, wifi, jaringan, sinyal, bandwidth, fiber, bts, blank spot, blankspot, kuota, koneksi",
    ),
    _c(
        "server",
        "pusat data",
        "governance/bureaucracy",
        "server, data center, pusat data, cloud, hosting, spbe, domain, keamanan siber, diretas, hacker",
    ),
    # Smart Governance: public policy
    _c(
        "regulasi",
        "peraturan",
        "governance/public_policy",
        "perda, perbup, perwal, regulasi, aturan, peraturan, kebijakan, payung hukum, diperbupkan, sk bupati",
    ),
    _c(
        "rencana",
        "perencanaan",
        "governance/public_policy",
        "musrenbang, rpjmd, perencanaan, aspirasi, jaring aspirasi, partisipasi, usulan warga, masterplan",
    ),
    _c(
        "terbuka",
        "keterbukaan",
        "governance/public_policy",
        "ppid, transparan, transparansi, keterbukaan, akuntabilitas, akuntabel, diawasi, awasi",
    ),
    # Smart Branding: tourism
    _c(
        "wisata",
        "wisata",
        "branding/tourism",
        "wisata, pariwisata, turis, wisatawan, destinasi, objek wisata, desa wisata, pokdarwis, tour, dispar,"
        " pengunjung, liburan",
    ),
    _c(
        "inap",
        "penginapan",
        "branding/tourism",
        "homestay, penginapan, hotel, nginap, menginap, booking, pemesanan, ota, traveloka, kamar",
    ),
    _c(
        "promosi",
        "promosi",
        "branding/tourism",
        "promosi, konten, media sosial, instagram, tiktok, influencer, video, youtube, viral, iklan, website resmi,"
        " portal",
    ),
    _c(
        "festival",
        "festival",
        "branding/tourism",
        "festival, event, kalender event, pagelaran, karnaval, perayaan, tahunan",
    ),
    _c(
        "budaya",
        "budaya",
        "branding/tourism",
        "budaya, adat, tari, tarian, seni, sanggar, tradisi, kesenian, cagar budaya, museum, sejarah, tenun, batik",
    ),
    _c("kuliner", "kuliner", "branding/business", "kuliner, makanan khas, oleh oleh, jajanan, kopi, rumah makan"),
    # Smart Branding: business
    _c(
        "umkm",
        "UMKM",
        "branding/business",
        "umkm, usaha kecil, pelaku usaha, ukm, ikm, wirausaha, usaha mikro, pengusaha, pedagang kecil",
    ),
    _c(
        "produk",
        "produk lokal",
        "branding/business",
        "produk, kemasan, packaging, merek, brand, label, halal, sertifikasi, pirt, produk lokal, khas",
    ),
    _c(
        "jualan",
        "pemasaran online",
        "branding/business",
        "marketplace, ecommerce, toko online, jualan, jual, pemasaran, shopee, tokopedia, pembeli, ekspor, pasarkan",
    ),
    _c("investasi", "investasi", "branding/business", "investasi, investor, penanaman modal, peluang investasi"),
    # Smart Branding: city appearance
    _c(
        "taman",
        "taman kota",
        "branding/city_appearance",
        "taman, ruang terbuka hijau, rth, alun alun, trotoar, pedestrian, gapura, tugu, mural, landmark, ikon kota,"
        " lampu hias, estetika, indah, kumuh",
    ),
    _c("pkl", "pedagang kaki lima", "branding/city_appearance", "pkl, kaki lima, lapak, penataan pedagang"),
    _c("reklame", "reklame", "branding/city_appearance", "baliho, spanduk, reklame, papan nama, billboard"),
    # Smart Economy: industry
    _c(
        "tani",
        "pertanian",
        "economy/industry",
        "tani, petani, pertanian, sawah, padi, pupuk, panen, gapoktan, kelompok tani, jagung, sayur, hortikultura,"
        " kebun, perkebunan, sawit, karet, kakao, cengkeh, bibit, irigasi",
    ),
    _c(
        "ikan",
        "perikanan",
        "economy/industry",
        "nelayan, ikan, perikanan, budidaya, tambak, rumput laut, tpi, cold storage, tangkapan, melaut, udang",
    ),
    _c("ternak", "peternakan", "economy/industry", "ternak, peternak, peternakan, sapi, kambing, ayam, unggas, pakan"),
    _c(
        "industri",
        "industri",
        "economy/industry",
        "industri, pabrik, olahan, pengolahan, hilirisasi, kawasan industri, manufaktur, nilai tambah",
    ),
    _c(
        "harga",
        "harga",
        "economy/industry",
        "harga, komoditas, stok, inflasi, pasokan, distribusi, sembako, tengkulak, pengepul, anjlok",
    ),
    # Smart Economy: welfare
    _c(
        "bansos",
        "bantuan sosial",
        "economy/welfare",
        "bansos, bantuan sosial, penerima, dtks, pkh, blt, miskin, kemiskinan, dinsos, tepat sasaran, layak",
    ),
    _c(
        "kerja",
        "lapangan kerja",
        "economy/welfare",
        "kerja, pekerjaan, lowongan, pengangguran, loker, tenaga kerja, bursa kerja, disnaker, blk, nganggur, pencari"
        " kerja",
    ),
    _c("jaminan", "jaminan sosial", "economy/welfare", "bpjs, jaminan, asuransi, jkn, kis, iuran"),
    _c("pangan", "pangan", "economy/welfare", "pangan, beras, lumbung, ketahanan pangan"),
    # Smart Economy: financial transactions
    _c(
        "nontunai",
        "pembayaran nontunai",
        "economy/financial_transactions",
        "qris, nontunai, cashless, transfer, pembayaran digital, ewallet, dompet digital, uang elektronik, emoney,"
        " bayar, pembayaran, tunai, scan",
    ),
    _c(
        "pajak",
        "pajak dan retribusi",
        "economy/financial_transactions",
        "pajak, retribusi, pbb, bphtb, pad, tagihan, wajib pajak, bapenda",
    ),
    _c("pasar", "pasar", "economy/financial_transactions", "pasar, pasar tradisional, los, kios, pedagang pasar"),
    _c(
        "modal",
        "permodalan",
        "economy/financial_transactions",
        "modal, kredit, pinjaman, kur, koperasi, pinjol, rentenir, bunga, permodalan",
    ),
    _c("bank", "bank", "economy/financial_transactions", "bank, perbankan, atm, laku pandai, rekening, bpd, agen"),
    _c("bumdes", "BUMDes", "economy/welfare", "bumdes, badan usaha milik desa, dana desa"),
    # Smart Living: spatial harmony
    _c(
        "ruang",
        "tata ruang",
        "living/spatial_harmony",
        "tata ruang, rtrw, rdtr, zonasi, zona, peta, gis, spasial, sig, pemetaan, geoportal, lahan, sertifikat tanah,"
        " alih fungsi",
    ),
    _c(
        "mukim",
        "permukiman",
        "living/spatial_harmony",
        "permukiman, pemukiman, rumah tidak layak huni, rtlh, bedah rumah, kumuh, bantaran",
    ),
    _c(
        "air",
        "air bersih",
        "living/spatial_harmony",
        "air bersih, pdam, air minum, air keruh, sumur, pipa, meteran air, perumda air, air mati, keruh",
    ),
    _c(
        "banjir",
        "banjir",
        "environment/environmental_protection",
        "banjir, drainase, genangan, gorong gorong, selokan, rob, luapan, tergenang, got",
    ),
    # Smart Living: health
    _c(
        "rs",
        "rumah sakit",
        "living/health",
        "rsud, rumah sakit, poli, poliklinik, pasien, dokter, igd, rawat inap, dokter spesialis, rujukan, berobat",
    ),
    _c(
        "puskesmas",
        "puskesmas",
        "living/health",
        "puskesmas, pustu, posyandu, bidan, kader, klinik, polindes, poskesdes",
    ),
    _c(
        "gizi",
        "stunting",
        "living/health",
        "stunting, gizi, balita, ibu hamil, bumil, tumbuh kembang, imunisasi, bayi, timbang, kurang gizi",
    ),
    _c("medis", "rekam medis", "living/health", "rekam medis, rme, riwayat penyakit, medis, kartu berobat"),
    _c(
        "ambulans",
        "ambulans",
        "living/health",
        "ambulans, ambulance, gawat darurat, psc, 119, kegawatdaruratan",
    ),
    _c("obat", "obat", "living/health", "obat, apotek, farmasi, resep"),
    _c("sehat", "kesehatan", "living/health", "kesehatan, sehat, sakit, penyakit, dbd, tbc, nakes, tenaga kesehatan"),
    # Smart Living: mobility
    _c(
        "angkutan",
        "angkutan umum",
        "living/mobility",
        "angkutan, angkutan kota, bus, transportasi umum, trayek, halte, terminal, brt, ojek, travel, jadwal bus,"
        " penumpang, armada",
    ),
    _c(
        "jalan",
        "jalan rusak",
        "living/mobility",
        "jalan rusak, lubang, berlubang, aspal, jalan, perbaikan jalan, jembatan, jalan desa",
    ),
    _c(
        "macet",
        "kemacetan",
        "living/mobility",
        "macet, kemacetan, lalu lintas, traffic light, lampu merah, apill, simpang, persimpangan, atcs",
    ),
    _c("parkir", "parkir", "living/mobility", "parkir, juru parkir, jukir, eparking, parkir liar"),
    _c(
        "pju",
        "penerangan jalan",
        "living/mobility",
        "penerangan jalan umum, lampu jalan, gelap, penerangan, lampu mati",
    ),
    _c(
        "kapal",
        "kapal",
        "living/mobility",
        "kapal, perahu, speedboat, pelabuhan, dermaga, penyeberangan, feri, kapal cepat, tiket kapal",
    ),
    # Smart Society: community
    _c(
        "warga",
        "interaksi warga",
        "society/community",
        "forum warga, grup, komunitas, gotong royong, musyawarah, rt, rw, karang taruna, pemuda, relawan, kerja bakti",
    ),
    _c(
        "inklusi",
        "disabilitas dan lansia",
        "society/community",
        "disabilitas, difabel, lansia, inklusi, inklusif, kursi roda, tunanetra, penyandang",
    ),
    _c(
        "hoaks",
        "hoaks",
        "society/community",
        "hoaks, hoax, berita bohong, literasi digital, melek digital, cek fakta, provokasi",
    ),
    # Smart Society: learning
    _c(
        "sekolah",
        "sekolah",
        "society/learning",
        "sekolah, siswa, murid, pelajar, guru, sd, smp, sma, smk, ppdb, kelas, belajar, pembelajaran, disdik, rapor",
    ),
    _c(
        "baca",
        "perpustakaan",
        "society/learning",
        "perpustakaan, buku, baca, membaca, literasi, pustaka, taman baca, ebook",
    ),
    _c(
        "latih",
        "pelatihan",
        "society/learning",
        "pelatihan, latih, workshop, bimtek, kursus, keterampilan, coding, sertifikasi keahlian, magang",
    ),
    _c("beasiswa", "beasiswa", "society/learning", "beasiswa, putus sekolah, biaya sekolah, kuliah, mahasiswa"),
    # Smart Society: security
    _c("cctv", "CCTV", "society/security", "cctv, kamera, kamera pengawas, rekaman"),
    _c(
        "ronda",
        "keamanan lingkungan",
        "society/security",
        "ronda, pos ronda, siskamling, linmas, maling, pencurian, kriminal, begal, keamanan, aman, preman,"
        " kejahatan, curi, satpol pp, polisi",
    ),
    _c("darurat", "panggilan darurat", "society/security", "darurat, 112, panic button, tombol darurat, call center"),
    _c(
        "bencana",
        "bencana",
        "society/security",
        "bencana, bpbd, gempa, longsor, tsunami, evakuasi, peringatan dini, ews, mitigasi, siaga, sirine, tanggap"
        " darurat",
    ),
    _c("api", "kebakaran", "society/security", "kebakaran, damkar, pemadam, terbakar, hydrant"),
    _c("narkoba", "kenakalan remaja", "society/security", "narkoba, tawuran, kenakalan remaja, geng motor, miras"),
    # Smart Environment: protection
    _c(
        "cemar",
        "pencemaran",
        "environment/environmental_protection",
        "cemar, pencemaran, tercemar, limbah pabrik, limbah industri, polusi, kualitas air, kualitas udara, udara,"
        " asap, bau, ispu",
    ),
    _c(
        "hijau",
        "penghijauan",
        "environment/environmental_protection",
        "tanam pohon, pohon, penghijauan, reboisasi, mangrove, hutan, hijau, tanam",
    ),
    _c(
        "pesisir",
        "pesisir",
        "environment/environmental_protection",
        "abrasi, pesisir, terumbu karang, pantai, laut",
    ),
    _c("sungai", "sungai", "environment/environmental_protection", "sungai, kali, danau, bantaran sungai, das"),
    # Smart Environment: waste
    _c(
        "sampah",
        "sampah",
        "environment/waste",
        "sampah, limbah rumah tangga, rongsok, tps, tpa, tong sampah, buang sampah, pilah, pilah sampah, daur ulang,"
        " plastik, organik, kompos, bank sampah, truk sampah, angkut sampah, tps3r, sampah liar, dlh",
    ),
    # Smart Environment: energy
    _c(
        "energi",
        "energi",
        "environment/energy",
        "plts, surya, matahari, tenaga surya, genset, panel surya, solar panel, energi, listrik, hemat energi,"
        " biogas, mikrohidro, pltmh, terbarukan, pln, hemat listrik, kendaraan listrik",
    ),
)

# Words present in ideas of every dimension: they say "digital" or "do something", not
# what. They still count, but much less than a subject word.
_GENERIC_WORDS = (
    "aplikasi online sistem digital program layan pelayanan informasi masyarakat warga kota kabupaten daerah desa"
    " pemerintah dinas opd kantor baik tingkat tingkatkan bangun adakan sedia sediakan kembang butuh fasilitas"
    " mudah cepat lambat lama susah sulit ribet kurang banyak sering jarang manual berbasis smart website web"
    " kelola kelurahan kecamatan nagari kampung orang semua satu tiap buat guna pakai kerja sama jadi hari bulan"
    " tahun jam ada punya bikin urus proses akses gratis mahal khusus baru terpadu lebih maksimal optimal"
)
GENERIC = frozenset(_GENERIC_WORDS.split())


@dataclass(frozen=True)
class Lexicon:
    by_stem: dict[str, tuple[str, ...]]  # one-word terms: stem → concept codes
    by_pair: dict[tuple[str, str], tuple[str, ...]]  # two-word terms: stems → concept codes
    concepts: dict[str, Concept]
    generic: frozenset[str]  # stems


@cache
def lexicon() -> Lexicon:
    """The concepts keyed by their terms' stems, built once."""
    by_stem: dict[str, set[str]] = {}
    by_pair: dict[tuple[str, str], set[str]] = {}
    for concept in CONCEPTS:
        for term in concept.terms:
            stems = [w.stem for w in words(term)]
            if len(term.split()) == 1 and len(stems) == 1:
                by_stem.setdefault(stems[0], set()).add(concept.code)
            elif len(stems) >= 2:
                # Longer phrases are matched on their first two content words.
                by_pair.setdefault((stems[0], stems[1]), set()).add(concept.code)
    generic = frozenset(w.stem for w in words(" ".join(sorted(GENERIC))))
    return Lexicon(
        {k: tuple(sorted(v)) for k, v in by_stem.items()},
        {k: tuple(sorted(v)) for k, v in by_pair.items()},
        {c.code: c for c in CONCEPTS},
        generic,
    )


def concepts_of(stems: list[str]) -> list[str]:
    """The concept codes that a sequence of stems mentions, each once, in order."""
    lex = lexicon()
    found: list[str] = []
    for i, root in enumerate(stems):
        hits = list(lex.by_stem.get(root, ()))
        if i + 1 < len(stems):
            hits += lex.by_pair.get((root, stems[i + 1]), ())
        for code in hits:
            if code not in found:
                found.append(code)
    return found


def sub_element_names() -> dict[tuple[str, str], str]:
    """Each (dimension, sub-element) with its Indonesian name: its words are evidence too."""
    return {(d.code, s.code): s.name_id for d in DIMENSIONS for s in d.sub_elements}
