"""What ``rembuk demo`` puts in the sample Bimtek (``app/demo.py`` plays it through the
services): who comes to which stage, the Tahap I SWOT statements, how the
facilitator groups them, which programmes they become, how the room votes and
rates. Kabupaten Padang Pariaman is real; the people and numbers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

WORKSHOP_TITLE = "Bimtek Smart City Kabupaten Padang Pariaman"
REGION = "Kabupaten Padang Pariaman"
FACILITATOR_NAME = "Fasilitator Demo"


@dataclass(frozen=True)
class Person:
    name: str
    organization_type: str
    organization: str


# Key -> who is in the room. Names typical of West Sumatra (Minang clan names, adat
# titles) next to names from elsewhere in Indonesia, as in a real Bimtek.
PEOPLE: dict[str, Person] = {
    "kominfo": Person("Rahmat Hidayat", "opd", "Diskominfo Kabupaten Padang Pariaman"),
    "bappeda": Person("Yulia Rahmawati", "opd", "Bappeda"),
    "dinkes": Person("Afrizal Chaniago", "opd", "Dinas Kesehatan"),
    "rsud": Person("dr. Nofriyanti Syafitri", "rsud", "RSUD Padang Pariaman"),
    "rsud2": Person("Elfi Sahara", "rsud", "RSUD Padang Pariaman"),
    "pdam": Person("Zulkifli Tanjung", "pdam", "Perumda Air Minum Kabupaten Padang Pariaman"),
    "pdam2": Person("Rahmi Yanti", "pdam", "Perumda Air Minum Kabupaten Padang Pariaman"),
    "pokdarwis": Person("Dedi Saputra", "pokdarwis", "Pokdarwis Pantai Gandoriah"),
    "pokdarwis2": Person("Mira Susanti", "pokdarwis", "Pokdarwis Pantai Tiram"),
    "relawan": Person("Rini Marlina", "komunitas_it", "Relawan TIK Padang Pariaman"),
    "developer": Person("Roni Putra Koto", "komunitas_it", "Komunitas Developer Piaman"),
    "unand": Person("Dr. Ahmad Fauzi", "lainnya", "Universitas Andalas"),
    "bank": Person("Fitri Handayani", "lainnya", "Bank Nagari"),
    "dprd": Person("H. Syafrudin Dt. Rajo Bandaro", "lainnya", "DPRD Kabupaten Padang Pariaman"),
    "kadin": Person("Andre Firmansyah", "lainnya", "KADIN Padang Pariaman"),
    "pariwisata": Person("Indra Gunawan", "opd", "Dinas Pariwisata, Pemuda dan Olahraga"),
    "dpmptsp": Person("Suci Ramadhani", "opd", "DPMPTSP"),
    "dukcapil": Person("Ferdinal Piliang", "opd", "Disdukcapil"),
    "pendidikan": Person("Nurhayati", "opd", "Dinas Pendidikan dan Kebudayaan"),
    "dlh": Person("Hendri Sikumbang", "opd", "Dinas Lingkungan Hidup"),
    "dishub": Person("Yusril Mahendra", "opd", "Dinas Perhubungan"),
    "bpbd": Person("Asrul Jambak", "opd", "BPBD"),
    "koperasi": Person("Budi Santoso", "opd", "Dinas Koperasi, UKM dan Perdagangan"),
    "bpkad": Person("Welly Anggraini", "opd", "BPKAD"),
    "nagari": Person("Yoserizal", "opd", "Pemerintah Nagari Ketaping"),
    # Later stages: offices that send someone else ("hadir tanpa diwakilkan" is the
    # programme's known pain), and the signatories of Tahap IV.
    "dinkes_b": Person("dr. Lisa Marlina", "opd", "Dinas Kesehatan"),
    "pariwisata_b": Person("Silvia Anggraini", "opd", "Dinas Pariwisata, Pemuda dan Olahraga"),
    "dlh_b": Person("Novi Yanti", "opd", "Dinas Lingkungan Hidup"),
    "bupati": Person("H. Zainal Abidin Dt. Bagindo", "opd", "Pemerintah Kabupaten Padang Pariaman"),
    "sekda": Person("Ir. Anwar Sulaiman", "opd", "Sekretariat Daerah"),
}

# The same people at every stage (kominfo, bappeda, rsud, pdam, unand, dprd, dpmptsp,
# dukcapil, bpbd, koperasi, bpkad, nagari); Dinas Kesehatan, Dinas Pariwisata and DLH
# send different people to different stages.
_EVERY_STAGE = (
    "kominfo",
    "bappeda",
    "rsud",
    "pdam",
    "unand",
    "dprd",
    "dpmptsp",
    "dukcapil",
    "bpbd",
    "koperasi",
    "bpkad",
    "nagari",
)
ATTENDANCE: dict[int, tuple[str, ...]] = {
    1: tuple(key for key in PEOPLE if not key.endswith("_b") and key not in ("bupati", "sekda")),
    2: (*_EVERY_STAGE, "dinkes", "pokdarwis", "relawan", "bank", "pariwisata_b", "pendidikan", "dlh", "dishub"),
    3: (*_EVERY_STAGE, "dinkes_b", "pokdarwis", "relawan", "pariwisata_b", "dlh_b", "dishub", "developer"),
    4: (*_EVERY_STAGE, "dinkes_b", "pariwisata", "dlh", "dishub", "relawan", "bupati", "sekda"),
}


@dataclass(frozen=True)
class SessionSpec:
    title: str
    prompt: str
    layout: str = "dimensions"


SESSIONS = {
    1: SessionSpec(
        "Analisis SWOT per dimensi",
        "Apa kekuatan, kelemahan, peluang dan ancaman daerah kita di setiap dimensi smart city?",
        "swot",
    ),
    2: SessionSpec(
        "Strategi dan program prioritas",
        "Program mana yang paling penting untuk menjawab isu Tahap I? Beri titik pada pilihan Anda.",
    ),
    3: SessionSpec(
        "Roadmap dan penilaian quick win",
        "Nilai setiap program: seberapa besar dampaknya bagi warga, dan seberapa siap dijalankan dalam satu tahun?",
    ),
    4: SessionSpec(
        "Finalisasi quick win dan komitmen bersama", "Urutkan quick win final, lalu tandatangani komitmen bersama."
    ),
}

# Tahap I: (key, author, dimension, sub-element, SWOT, text). The key is the idea's
# client_id suffix: a second run finds the idea instead of sending it again. Nobody
# speaks to "Sarana Transportasi" (mobility): the coverage view shows the gap.
STATEMENTS: tuple[tuple[str, str, str | None, str | None, str | None, str], ...] = (
    (
        "g1",
        "dpmptsp",
        "governance",
        "public_service",
        "strength",
        "Mal Pelayanan Publik sudah berjalan dan terhubung dengan OSS",
    ),
    (
        "g2",
        "kominfo",
        "governance",
        "bureaucracy",
        "strength",
        "Tanda tangan elektronik sudah dipakai untuk sebagian surat dinas",
    ),
    (
        "g3",
        "dukcapil",
        "governance",
        "public_service",
        "weakness",
        "Warga nagari yang jauh harus ke kantor kabupaten untuk mengurus adminduk",
    ),
    (
        "g4",
        "bappeda",
        "governance",
        "bureaucracy",
        "weakness",
        "Data antar-OPD belum terpadu; setiap OPD membuat aplikasi sendiri",
    ),
    (
        "g5",
        "kominfo",
        "governance",
        "public_service",
        "weakness",
        "Pengaduan warga tersebar di banyak kanal dan lambat ditindaklanjuti",
    ),
    (
        "g6",
        "dprd",
        "governance",
        "public_policy",
        "opportunity",
        "Perpres SPBE dan Gerakan Menuju 100 Smart City memberi payung hukum dan pendampingan",
    ),
    (
        "g7",
        "nagari",
        "governance",
        "public_service",
        "opportunity",
        "Banyak nagari ingin punya website dan layanan surat daring",
    ),
    (
        "g8",
        "dprd",
        "governance",
        "public_policy",
        "threat",
        "Program digital bisa berhenti saat ganti pimpinan karena belum ada Perbup",
    ),
    (
        "b1",
        "pokdarwis",
        "branding",
        "tourism",
        "strength",
        "Pantai Gandoriah dan Pantai Tiram ramai dikunjungi setiap akhir pekan",
    ),
    ("b2", "pariwisata", "branding", "tourism", "strength", "Festival Tabuik di Pariaman dikenal secara nasional"),
    ("b3", "koperasi", "branding", "business", "strength", "Produk UMKM unggulan: sala lauak, kerupuk jangek, sulaman"),
    (
        "b4",
        "pokdarwis2",
        "branding",
        "tourism",
        "weakness",
        "Informasi destinasi, homestay dan akses jalan belum tersedia daring",
    ),
    ("b5", "koperasi", "branding", "business", "weakness", "UMKM belum memakai katalog dan pembayaran digital"),
    (
        "b6",
        "dishub",
        "branding",
        "city_appearance",
        "opportunity",
        "Bandara Internasional Minangkabau (BIM) berada di wilayah kabupaten",
    ),
    (
        "b7",
        "pariwisata",
        "branding",
        "tourism",
        "opportunity",
        "Wisata religi Makam Syekh Burhanuddin di Ulakan menarik peziarah dari luar daerah",
    ),
    ("b8", "kominfo", "branding", "city_appearance", "threat", "Citra daerah di media sosial tidak seragam antar-OPD"),
    (
        "e1",
        "bank",
        "economy",
        "financial_transactions",
        "strength",
        "Bank Nagari dan agen laku pandai sudah menjangkau banyak nagari",
    ),
    ("e2", "kadin", "economy", "industry", "strength", "Hasil laut dan kelapa melimpah di pesisir"),
    (
        "e3",
        "bpkad",
        "economy",
        "financial_transactions",
        "weakness",
        "Pajak daerah dan retribusi pasar masih banyak dibayar tunai",
    ),
    (
        "e4",
        "dprd",
        "economy",
        "welfare",
        "weakness",
        "Data DTKS belum mutakhir sehingga bantuan sosial kurang tepat sasaran",
    ),
    (
        "e5",
        "unand",
        "economy",
        "industry",
        "weakness",
        "Olahan kelapa dan ikan belum bersertifikat sehingga sulit masuk pasar modern",
    ),
    ("e6", "koperasi", "economy", "financial_transactions", "opportunity", "QRIS makin dikenal pedagang pasar nagari"),
    ("e7", "kadin", "economy", "industry", "opportunity", "Kawasan sekitar Bandara BIM menarik minat investor"),
    ("e8", "koperasi", "economy", "welfare", "threat", "Harga komoditas naik-turun; petani bergantung pada tengkulak"),
    ("l1", "dinkes", "living", "health", "strength", "Semua puskesmas sudah tersambung internet"),
    ("l2", "dishub", "living", None, "strength", "Kereta Bandara BIM melayani rute ke Kota Padang"),
    ("l3", "rsud", "living", "health", "weakness", "Antrean pendaftaran RSUD panjang sejak subuh"),
    (
        "l4",
        "rsud2",
        "living",
        "health",
        "weakness",
        "Dokter spesialis hanya ada di RSUD; warga nagari yang jauh sulit dirujuk",
    ),
    ("l5", "dinkes", "living", "health", "weakness", "Stunting di beberapa nagari masih tinggi dan datanya terlambat"),
    ("l6", "pdam", "living", None, "weakness", "Kebocoran pipa PDAM lambat diketahui dan ditangani"),
    ("l7", "pdam2", "living", None, "strength", "Pelanggan PDAM sudah bisa membayar tagihan lewat bank"),
    (
        "l8",
        "rsud",
        "living",
        "health",
        "opportunity",
        "Mobile JKN dan SATUSEHAT membuka jalan integrasi layanan kesehatan",
    ),
    ("l9", "bpbd", "living", "spatial_harmony", "threat", "Permukiman pesisir berada di zona rawan tsunami"),
    (
        "s1",
        "developer",
        "society",
        "community",
        "strength",
        "Relawan TIK dan komunitas developer lokal aktif berkegiatan",
    ),
    ("s2", "pendidikan", "society", "learning", "strength", "Surau dan sekolah menjadi pusat belajar masyarakat"),
    (
        "s3",
        "relawan",
        "society",
        "learning",
        "weakness",
        "Literasi digital perangkat nagari dan kader posyandu masih rendah",
    ),
    (
        "s4",
        "bpbd",
        "society",
        "security",
        "weakness",
        "Sirene peringatan dini tsunami belum menjangkau semua nagari pesisir",
    ),
    (
        "s5",
        "unand",
        "society",
        "learning",
        "opportunity",
        "Universitas Andalas siap bekerja sama melatih SDM TIK daerah",
    ),
    ("s6", "kominfo", "society", "security", "opportunity", "Layanan darurat 112 bisa diadopsi daerah"),
    ("s7", "relawan", "society", "security", "threat", "Hoaks menyebar cepat saat gempa dan banjir"),
    ("v1", "unand", "environment", "environmental_protection", "strength", "Kawasan mangrove di pesisir masih luas"),
    ("v2", "dlh", "environment", "waste", "strength", "Sudah ada beberapa bank sampah nagari"),
    ("v3", "dlh", "environment", "waste", "weakness", "Jadwal dan rute truk sampah tidak diketahui warga"),
    ("v4", "pokdarwis", "environment", "waste", "weakness", "Sampah plastik menumpuk di kawasan wisata pantai"),
    (
        "v5",
        "bpkad",
        "environment",
        "energy",
        "opportunity",
        "Potensi tenaga surya tinggi untuk kantor pemerintahan dan lampu jalan",
    ),
    ("v6", "unand", "environment", "environmental_protection", "threat", "Abrasi mengikis garis pantai setiap tahun"),
    ("v7", "dlh", "environment", "environmental_protection", "threat", "Kualitas air Sungai Batang Anai menurun"),
    # Typed before choosing a dimension; one is left "belum dikategorikan".
    (
        "u1",
        "relawan",
        None,
        None,
        "weakness",
        "Jaringan internet belum merata; masih ada blank spot di nagari perbukitan",
    ),
    (
        "u2",
        "developer",
        None,
        None,
        "weakness",
        "Biaya pemeliharaan aplikasi sering tidak dianggarkan setelah tahun pertama",
    ),
    ("u3", "unand", None, None, "weakness", "SDM TIK di OPD masih kurang"),
    (
        "u4",
        "kominfo",
        None,
        None,
        None,
        "Aplikasi OPD jangan jalan sendiri-sendiri, perlu integrasi dan interoperabilitas",
    ),
)


@dataclass(frozen=True)
class GroupSpec:
    """A Tahap I group the facilitator makes: the anchor statement's group takes the
    members; then it may get a title and (for an uncategorised anchor) a dimension."""

    anchor: str
    members: tuple[str, ...] = ()
    title: str | None = None
    dimension: str | None = None


# Keyed by a short name that follows the group through the stages (its programme).
GROUPS: dict[str, GroupSpec] = {
    "satu_data": GroupSpec("g4", ("u4",), "Data dan aplikasi OPD belum terpadu"),
    "adminduk": GroupSpec("g3", ("g7",), "Adminduk dan layanan surat belum sampai ke nagari"),
    "pengaduan": GroupSpec("g5"),
    "perbup": GroupSpec("g8", ("g6",), "Payung hukum smart city dan SPBE"),
    "antrean_rsud": GroupSpec("l3", ("l8",), "Antrean RSUD panjang, padahal Mobile JKN tersedia"),
    "rujukan": GroupSpec("l4", (), "Rujukan dan dokter spesialis untuk nagari yang jauh"),
    "stunting": GroupSpec("l5"),
    "pdam": GroupSpec("l6", ("l7",), "Layanan air minum PDAM"),
    "tsunami": GroupSpec("s4", ("l9", "s7"), "Peringatan dini dan informasi bencana di pesisir"),
    "nontunai": GroupSpec("e3", ("e6", "e1"), "Transaksi pajak, retribusi dan pasar masih tunai"),
    "dtks": GroupSpec("e4"),
    "umkm": GroupSpec("b5", ("b3", "e5"), "UMKM dan produk olahan belum go digital"),
    "wisata": GroupSpec("b4", ("b1", "b7"), "Informasi dan reservasi wisata belum daring"),
    "sampah": GroupSpec("v3", ("v4", "v2"), "Pengelolaan sampah nagari dan kawasan wisata"),
    "literasi": GroupSpec("s3", ("s5", "u3"), "Literasi digital dan SDM TIK"),
    "internet": GroupSpec("u1", (), "Blank spot internet di nagari perbukitan", dimension="governance"),
    "surya": GroupSpec("v5"),
    "abrasi": GroupSpec("v6", ("v1",), "Abrasi pantai dan mangrove"),
}

# Dots: the earlier a group in the list, the more dots it gets (app.demo.ballots). The
# top 8 of Tahap II hold every rating profile, so Tahap III shows all four quadrants;
# its short vote round before the rating sizes the matrix's dots (size = votes).
VOTE_PREFERENCE = {
    1: (
        "antrean_rsud",
        "satu_data",
        "tsunami",
        "nontunai",
        "adminduk",
        "sampah",
        "wisata",
        "literasi",
        "umkm",
        "internet",
        "rujukan",
        "stunting",
        "perbup",
        "pdam",
        "pengaduan",
        "dtks",
        "surya",
        "abrasi",
    ),
    2: (
        "antrean_rsud",
        "nontunai",
        "adminduk",
        "satu_data",
        "sampah",
        "tsunami",
        "literasi",
        "wisata",
        "umkm",
        "internet",
        "rujukan",
        "stunting",
    ),
    3: ("antrean_rsud", "adminduk", "nontunai", "tsunami", "satu_data", "sampah", "wisata", "literasi"),
    4: ("antrean_rsud", "adminduk", "nontunai", "sampah"),
}
CARRY_TOP = {2: 12, 3: 8}  # Tahap II takes the top 12 of Tahap I, Tahap III the top 8 of Tahap II


@dataclass(frozen=True)
class Programme:
    """What a Tahap I group becomes from Tahap II on: a programme with its plan, and
    how the room rates it in Tahap III (the means it is rated around: impact for
    citizens, feasibility within a year)."""

    title: str
    owner: str
    budget_source: str
    sub_element: str | None
    horizon: str  # as planned in Tahap II; a quick win moves to "short" in Tahap III
    rating: tuple[float, float]


# Ratings around 3.5 on both sides: the Tahap III matrix shows all four quadrants.
PROGRAMMES: dict[str, Programme] = {
    "antrean_rsud": Programme(
        "Antrean online RSUD terhubung Mobile JKN", "RSUD", "apbd", "health", "short", (4.5, 4.1)
    ),
    "satu_data": Programme(
        "Portal Satu Data dan integrasi aplikasi OPD", "Diskominfo", "apbd", "bureaucracy", "medium", (4.3, 2.7)
    ),
    "tsunami": Programme(
        "Sistem peringatan dini tsunami dan kanal informasi bencana", "BPBD", "apbn", "security", "long", (4.6, 1.9)
    ),
    "nontunai": Programme(
        "Elektronifikasi pajak daerah, retribusi dan pasar nagari dengan QRIS",
        "BPKAD",
        "apbd",
        "financial_transactions",
        "short",
        (4.0, 4.4),
    ),
    "adminduk": Programme(
        "Adminduk jemput bola dan layanan surat daring di nagari",
        "Disdukcapil",
        "apbd",
        "public_service",
        "short",
        (4.3, 3.9),
    ),
    "sampah": Programme(
        "Bank sampah nagari dan rute truk sampah yang bisa dipantau warga",
        "Dinas Lingkungan Hidup",
        "csr",
        "waste",
        "medium",
        (3.9, 4.0),
    ),
    "wisata": Programme(
        "Portal wisata dan reservasi homestay Pokdarwis", "Dinas Pariwisata", "kpbu", "tourism", "medium", (2.8, 4.3)
    ),
    "literasi": Programme(
        "Literasi digital dan pelatihan SDM TIK bersama kampus", "Diskominfo", "csr", "learning", "long", (2.6, 2.9)
    ),
    "umkm": Programme(
        "Katalog digital dan sertifikasi produk UMKM unggulan",
        "Dinas Koperasi, UKM dan Perdagangan",
        "apbd",
        "business",
        "medium",
        (3.0, 4.2),
    ),
    "internet": Programme(
        "Penuntasan blank spot internet di nagari perbukitan",
        "Diskominfo",
        "apbn",
        "public_service",
        "long",
        (4.2, 1.8),
    ),
    "rujukan": Programme(
        "Telemedisin puskesmas ke dokter spesialis RSUD", "Dinas Kesehatan", "apbn", "health", "medium", (4.0, 2.4)
    ),
    "stunting": Programme(
        "Pemantauan stunting per nagari dari data posyandu", "Dinas Kesehatan", "apbd", "health", "short", (4.1, 3.9)
    ),
}


def rating(target: float, rater: int, salt: int) -> int:
    """One rater's whole-number rating around ``target``: spread over about ±1 from
    person to person, while the room's mean stays close to the target."""
    dither = ((rater * 7 + salt * 3) % 10) / 10
    spread = (-1, 0, 1, 0)[(rater + salt) % 4]
    return max(1, min(5, int(target + dither + spread)))


# Tahap IV signatories: key -> position.
SIGNATORIES: dict[str, str] = {
    "bupati": "Bupati Padang Pariaman",
    "sekda": "Sekretaris Daerah",
    "kominfo": "Kepala Dinas Komunikasi dan Informatika",
    "bappeda": "Kepala Bappeda",
    "dinkes_b": "Kepala Dinas Kesehatan",
    "rsud": "Direktur RSUD Padang Pariaman",
    "dukcapil": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    "bpkad": "Kepala BPKAD",
    "dlh": "Kepala Dinas Lingkungan Hidup",
    "dprd": "Ketua Komisi I DPRD",
}
