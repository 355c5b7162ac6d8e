"""``rembuk demo``: a sample Bimtek so a newcomer sees a full board at once.

Everything goes through the services (``workshops``, ``sessions``, ``participants``,
``ideas``), so every change records its event exactly as in production and the
board, phones and exports read it the normal way. Running it again changes
nothing: each step first looks for what an earlier run made (ideas carry a fixed
``client_id``, so even a half-finished run is completed without duplicates).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.db import Db
from app.domain import Phase
from app.models import Facilitator, Idea, Participant, Session, Workshop
from app.services import board, facilitators, ideas, participants, sessions, workshops

WORKSHOP_TITLE = "Bimtek Smart City Kabupaten Padang Pariaman"
REGION = "Kabupaten Padang Pariaman"
SESSION_TITLE = "Isu dan potensi daerah"
SESSION_PROMPT = "Apa isu utama dan potensi daerah kita untuk setiap dimensi smart city?"
FACILITATOR_NAME = "Fasilitator Demo"
CLIENT_ID_PREFIX = "demo-"

# Where the HTML pages live (app/routes/pages); printed for the newcomer.
LOGIN_PATH = "/login"
CONSOLE_PATH = "/console/sessions/{session_id}"
BOARD_PATH = "/board/{session_id}"


@dataclass(frozen=True)
class Person:
    name: str
    organization_type: str
    organization: str


# Key -> who is in the room. Names typical of West Sumatra (Minang clan names,
# adat titles) next to names from elsewhere in Indonesia, as in a real Bimtek.
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
}

# (author key, dimension code or None, sub-element code or None, text)
IDEAS: tuple[tuple[str, str | None, str | None, str], ...] = (
    # Smart Governance
    ("dpmptsp", "governance", "public_service", "Integrasi layanan perizinan di Mal Pelayanan Publik dengan OSS"),
    ("dukcapil", "governance", "public_service", "Layanan adminduk jemput bola ke nagari, dokumen langsung dicetak dengan TTE"),
    ("kominfo", "governance", "public_service", "Kanal pengaduan warga terpadu yang terhubung ke SP4N-LAPOR!"),
    ("nagari", "governance", "public_service", "Website setiap nagari berisi profil, layanan surat dan APB Nagari"),
    ("bappeda", "governance", "bureaucracy", "Satu Data Padang Pariaman: portal data terbuka untuk semua OPD"),
    ("kominfo", "governance", "bureaucracy", "Tanda tangan elektronik untuk seluruh surat dinas dan naskah dinas"),
    ("bappeda", "governance", "bureaucracy", "Hubungkan perencanaan di SIPD dengan e-monev agar capaian program terpantau"),
    ("dprd", "governance", "public_policy", "Perbup masterplan smart city dan tata kelola SPBE supaya program tidak berhenti saat ganti pimpinan"),
    ("nagari", "governance", "public_policy", "Musrenbang nagari online agar usulan warga bisa dilacak sampai APBD"),
    # Smart Branding
    ("pokdarwis2", "branding", "tourism", "Peta digital destinasi wisata Pantai Tiram lengkap dengan fasilitas dan akses jalan"),
    ("pariwisata", "branding", "tourism", "Paket wisata terpadu saat Festival Tabuik di Pariaman, dipesan lewat satu aplikasi"),
    ("pariwisata", "branding", "tourism", "Tur virtual 360° wisata religi Makam Syekh Burhanuddin di Ulakan"),
    ("pokdarwis", "branding", "tourism", "Reservasi homestay dan perahu wisata Pokdarwis dengan pembayaran QRIS"),
    ("koperasi", "branding", "business", "Katalog digital produk UMKM unggulan: sala lauak, kerupuk jangek, sulaman"),
    ("kadin", "branding", "business", "Promosi peluang investasi di kawasan sekitar Bandara Internasional Minangkabau (BIM)"),
    ("dishub", "branding", "city_appearance", "Papan informasi digital dan gerbang selamat datang di jalur keluar Bandara BIM"),
    ("bappeda", "branding", "city_appearance", "Penataan wajah ibu kota kabupaten di Parit Malintang"),
    ("kominfo", "branding", None, "Logo dan tagline daerah yang seragam di semua media sosial OPD"),
    # Smart Economy
    ("koperasi", "economy", "financial_transactions", "Pasar nagari non-tunai dengan QRIS"),
    ("bpkad", "economy", "financial_transactions", "Elektronifikasi transaksi pemda: pajak daerah dan retribusi non-tunai"),
    ("bank", "economy", "financial_transactions", "Bayar PBB dan retribusi pasar lewat aplikasi Bank Nagari dan agen laku pandai"),
    ("kadin", "economy", "industry", "Sentra pengolahan ikan nelayan dengan cold storage bersama di pesisir"),
    ("unand", "economy", "industry", "Hilirisasi kelapa: pelatihan dan sertifikasi produk olahan kelapa untuk IKM"),
    ("koperasi", "economy", "welfare", "Pasar tani online untuk padi, kelapa dan kakao langsung dari kelompok tani"),
    ("nagari", "economy", "welfare", "Pencatatan usaha BUMNag secara digital supaya laporan keuangan transparan"),
    ("dprd", "economy", "welfare", "Pemutakhiran DTKS dari nagari agar bantuan sosial tepat sasaran"),
    ("bank", "economy", None, "Kredit usaha rakyat dengan pengajuan online untuk pelaku UMKM muda"),
    # Smart Living
    ("rsud", "living", "health", "Aplikasi antrean online RSUD terhubung Mobile JKN"),
    ("dinkes", "living", "health", "Rekam medis elektronik di semua puskesmas terhubung SATUSEHAT"),
    ("rsud2", "living", "health", "Telemedisin puskesmas ke dokter spesialis RSUD untuk nagari yang jauh"),
    ("dinkes", "living", "health", "Pemantauan stunting per nagari dengan data posyandu yang diinput dari HP"),
    ("dishub", "living", "mobility", "Jadwal terpadu kereta Bandara BIM dan angkutan pedesaan dalam satu aplikasi"),
    ("dishub", "living", "mobility", "Lampu lalu lintas adaptif di simpang padat jalur Padang–Bukittinggi"),
    ("bappeda", "living", "spatial_harmony", "Peta digital RTRW dan izin pemanfaatan ruang yang bisa dilihat publik"),
    ("bpbd", "living", "spatial_harmony", "Zona rawan tsunami dimasukkan ke rencana tata ruang pesisir"),
    ("pdam", "living", None, "Meter air pintar dan bayar tagihan PDAM secara online"),
    ("pdam2", "living", None, "Aplikasi laporan pipa bocor dan gangguan air dengan foto dan lokasi"),
    # Smart Society
    ("bpbd", "society", "security", "Sistem peringatan dini tsunami berbasis sirene dan SMS"),
    ("bpbd", "society", "security", "Peta jalur evakuasi dan shelter tsunami di aplikasi dan papan QR di pantai"),
    ("kominfo", "society", "security", "CCTV di simpang dan pasar terhubung ke command center dan call center 112"),
    ("relawan", "society", "learning", "Literasi digital untuk perangkat nagari dan kader posyandu"),
    ("pendidikan", "society", "learning", "Wi-Fi publik di sekolah dan surau untuk belajar daring"),
    ("pendidikan", "society", "learning", "Perpustakaan digital daerah dan pojok baca di setiap nagari"),
    ("developer", "society", "community", "Ruang kreatif dan co-working untuk anak muda dan komunitas developer"),
    ("relawan", "society", "community", "Grup informasi nagari resmi untuk melawan hoaks saat bencana"),
    # Smart Environment
    ("dlh", "environment", "waste", "Bank sampah nagari terhubung aplikasi"),
    ("dlh", "environment", "waste", "Jadwal dan rute truk sampah yang bisa dipantau warga"),
    ("pokdarwis", "environment", "waste", "Pengelolaan sampah plastik di kawasan wisata pantai bersama Pokdarwis"),
    ("unand", "environment", "environmental_protection", "Pemantauan abrasi pantai dan penanaman mangrove berbasis data"),
    ("dlh", "environment", "environmental_protection", "Sensor kualitas air sungai Batang Anai yang datanya terbuka"),
    ("bpkad", "environment", "energy", "PLTS atap di kantor pemerintahan dan puskesmas"),
    ("nagari", "environment", "energy", "Penerangan jalan umum tenaga surya di jalan nagari"),
    # Belum dikategorikan: what people type before choosing a dimension
    ("kominfo", None, None, "Aplikasi OPD jangan jalan sendiri-sendiri, perlu integrasi dan interoperabilitas"),
    ("relawan", None, None, "Jaringan internet belum merata, masih ada blank spot di nagari perbukitan"),
    ("developer", None, None, "Biaya pemeliharaan aplikasi sering tidak dianggarkan setelah tahun pertama"),
    ("unand", None, None, "SDM TIK di OPD masih kurang, perlu kerja sama dengan kampus"),
)


def seed_demo(db: Db, *, email: str, password: str | None, public_url: str | None = None) -> str:
    """Create (or complete) the demo workshop; return the text for the console."""
    if public_url is None:
        from app.settings import Settings

        public_url = Settings().public_url
    created: list[str] = []  # what this run added, for the headline
    facilitator, shown_password = _facilitator(db, email=email, password=password, created=created)
    workshop = _workshop(db, facilitator, created)
    session = _session(db, facilitator, workshop, created)
    if session.phase == Phase.brainstorm.value:
        # Someone moved the demo on (group, vote, closed…): leave their session alone.
        _ideas(db, _participants(db, session, created), created)
    db.refresh(session)
    idea_count = db.scalar(
        select(func.count()).select_from(Idea).where(Idea.session_id == session.id, ~Idea.deleted)
    )
    return _report(
        facilitator=facilitator,
        password=shown_password,
        session=session,
        participant_count=participants.count(db, session.id),
        idea_count=idea_count or 0,
        created=created,
        public_url=public_url,
    )


def _facilitator(db: Db, *, email: str, password: str | None, created: list[str]) -> tuple[Facilitator, str | None]:
    existing = db.scalar(select(Facilitator).where(Facilitator.email == email.strip().lower()))
    if existing is not None:
        return existing, None  # never change a real account's password
    password = password or secrets.token_urlsafe(12)
    facilitator = facilitators.create_facilitator(db, email=email, password=password, name=FACILITATOR_NAME)
    created.append("facilitator")
    return facilitator, password


def _workshop(db: Db, facilitator: Facilitator, created: list[str]) -> Workshop:
    existing = db.scalar(
        select(Workshop)
        .where(Workshop.owner_id == facilitator.id, Workshop.title == WORKSHOP_TITLE)
        .order_by(Workshop.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    created.append("workshop")
    return workshops.create_workshop(
        db, owner=facilitator, title=WORKSHOP_TITLE, region=REGION, year=date.today().year
    )


def _session(db: Db, facilitator: Facilitator, workshop: Workshop, created: list[str]) -> Session:
    stage = workshops.stages(db, workshop.id)[0]  # Tahap I – Analisis Strategis
    session = next((s for s in sessions.list_for_stage(db, stage.id) if s.title == SESSION_TITLE), None)
    if session is None:
        session = sessions.create_session(
            db, facilitator=facilitator, stage_id=stage.id, title=SESSION_TITLE, prompt=SESSION_PROMPT
        )
        created.append("session")
    if session.phase == Phase.draft.value:
        session, _seq = sessions.change_phase(
            db, facilitator=facilitator, session_id=session.id, phase=Phase.brainstorm.value
        )
    return session


def _participants(db: Db, session: Session, created: list[str]) -> dict[str, Participant]:
    joined = {
        (p.name, p.organization): p
        for p in db.scalars(select(Participant).where(Participant.session_id == session.id))
    }
    out: dict[str, Participant] = {}
    for key, person in PEOPLE.items():
        participant = joined.get((person.name, person.organization))
        if participant is None:
            participant, _seq = participants.join(
                db,
                join_code=session.join_code,
                name=person.name,
                organization_type=person.organization_type,
                organization=person.organization,
            )
            created.append("participant")
        out[key] = participant
    return out


def _ideas(db: Db, people: dict[str, Participant], created: list[str]) -> None:
    for number, (author, dimension, sub_element, text) in enumerate(IDEAS, start=1):
        _idea, _seq, is_new = ideas.submit(
            db,
            participant=people[author],
            text=text,
            dimension=dimension,
            sub_element=sub_element,
            client_id=f"{CLIENT_ID_PREFIX}{number}",  # a second run finds it instead of adding it
        )
        if is_new:
            created.append("idea")


def _report(
    *,
    facilitator: Facilitator,
    password: str | None,
    session: Session,
    participant_count: int,
    idea_count: int,
    created: list[str],
    public_url: str,
) -> str:
    base = public_url.rstrip("/")
    if "workshop" in created:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" created.'
    elif created:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" already existed; completed what was missing.'
    else:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" already exists; nothing changed.'
    if password is not None:
        password_line = f"{password}   (shown only this once: note it down)"
    else:
        password_line = "(unchanged: this account already existed)"
    lines = [
        headline,
        f'Tahap I, session "{session.title}": phase {session.phase}, '
        f"{participant_count} participants, {idea_count} ideas.",
        "",
        f"  Log in:    {base}{LOGIN_PATH}",
        f"  Email:     {facilitator.email}",
        f"  Password:  {password_line}",
        f"  Console:   {base}{CONSOLE_PATH.format(session_id=session.id)}",
        f"  Board:     {base}{BOARD_PATH.format(session_id=session.id)}   (for the projector)",
        f"  Join:      {board.join_url(base, session.join_code)}   (code {session.join_code}, for phones)",
    ]
    return "\n".join(lines)
