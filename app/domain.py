"""The programme's own vocabulary: stages, dimensions, organisation types, phases.

These are the canonical values of the Gerakan Menuju 100 Smart City programme
(see ``shared/BRIEF.md``). A new workshop copies the stages and dimensions into its
own rows, so a region could later rename or extend them without touching code.
Names are English msgids; the UI translates them through ``app.i18n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Phase(str, Enum):
    draft = "draft"
    brainstorm = "brainstorm"
    group = "group"
    vote = "vote"
    score = "score"  # quick-win rating: impact × feasibility (Tahap III)
    results = "results"
    closed = "closed"


PHASE_ORDER = [p.value for p in Phase]

# msgids for the UI (translated in app/locale)
PHASE_LABELS = {
    "draft": "Draft",
    "brainstorm": "Brainstorm",
    "group": "Group",
    "vote": "Vote",
    "score": "Score",
    "results": "Results",
    "closed": "Closed",
}


@dataclass(frozen=True)
class StageSpec:
    number: int
    title: str


STAGES = (
    StageSpec(1, "Tahap I – Analisis Strategis"),
    StageSpec(2, "Tahap II – Strategi & Program"),
    StageSpec(3, "Tahap III – Roadmap & Quick Win"),
    StageSpec(4, "Tahap IV – Finalisasi & Komitmen"),
)

# Stages are numbered as the programme's documents number them ("Tahap IV"), on the
# board, the console and the downloads alike; a stage past X shows its plain number.
ROMAN_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def roman(number: int) -> str:
    """A stage's number as written after "Tahap": 2 → "II"."""
    return ROMAN_NUMERALS.get(number, str(number))


@dataclass(frozen=True)
class SubElementSpec:
    code: str
    name_id: str
    name_en: str


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    letter: str  # shown beside the colour so colour is never the only cue
    sub_elements: tuple[SubElementSpec, ...]


DIMENSIONS = (
    DimensionSpec(
        "governance",
        "Smart Governance",
        "G",
        (
            SubElementSpec("public_service", "Pelayanan Publik", "Public Service"),
            SubElementSpec("bureaucracy", "Tata Kelola Birokrasi", "Bureaucracy Management"),
            SubElementSpec("public_policy", "Kebijakan Publik", "Public Policy"),
        ),
    ),
    DimensionSpec(
        "branding",
        "Smart Branding",
        "B",
        (
            SubElementSpec("tourism", "Branding Ekosistem Pariwisata", "Tourism"),
            SubElementSpec("business", "Branding Ekosistem Bisnis", "Business"),
            SubElementSpec("city_appearance", "Branding Wajah Kota", "City Appearance"),
        ),
    ),
    DimensionSpec(
        "economy",
        "Smart Economy",
        "E",
        (
            SubElementSpec("industry", "Ekosistem Industri", "Industry"),
            SubElementSpec("welfare", "Kesejahteraan Rakyat", "Welfare"),
            SubElementSpec("financial_transactions", "Ekosistem Transaksi Keuangan", "Financial Transactions"),
        ),
    ),
    DimensionSpec(
        "living",
        "Smart Living",
        "L",
        (
            SubElementSpec("spatial_harmony", "Harmonisasi Tata Ruang", "Spatial Harmony"),
            SubElementSpec("health", "Sarana Prasarana Kesehatan", "Health"),
            SubElementSpec("mobility", "Sarana Transportasi", "Mobility"),
        ),
    ),
    DimensionSpec(
        "society",
        "Smart Society",
        "S",
        (
            SubElementSpec("community", "Interaksi Masyarakat", "Community"),
            SubElementSpec("learning", "Ekosistem Belajar", "Learning"),
            SubElementSpec("security", "Sistem Keamanan Masyarakat", "Security"),
        ),
    ),
    DimensionSpec(
        "environment",
        "Smart Environment",
        "V",
        (
            SubElementSpec("environmental_protection", "Proteksi Lingkungan", "Environmental Protection"),
            SubElementSpec("waste", "Tata Kelola Sampah dan Limbah", "Waste"),
            SubElementSpec("energy", "Tata Kelola Energi", "Energy"),
        ),
    ),
)

DIMENSION_CODES = tuple(d.code for d in DIMENSIONS)
DIMENSION_BY_CODE = {d.code: d for d in DIMENSIONS}


class OrganizationType(str, Enum):
    opd = "opd"
    rsud = "rsud"
    pdam = "pdam"
    pokdarwis = "pokdarwis"
    komunitas_it = "komunitas_it"
    lainnya = "lainnya"


ORGANIZATION_TYPE_LABELS = {
    "opd": "Regional office (OPD)",
    "rsud": "Regional hospital (RSUD)",
    "pdam": "Water utility (PDAM)",
    "pokdarwis": "Tourism awareness group (Pokdarwis)",
    "komunitas_it": "IT community",
    "lainnya": "Other",
}

# Suggestions for the organisation field (free text stays allowed).
TYPICAL_ORGANIZATIONS = (
    "Diskominfo",
    "Bappeda",
    "Dinas Kesehatan",
    "Dinas Pariwisata",
    "DPMPTSP",
    "Disdukcapil",
    "Dinas Pendidikan",
    "Dinas Lingkungan Hidup",
    "Dinas Perhubungan",
    "Dinas PUPR",
    "BPBD",
    "Sekretariat Daerah",
    "Inspektorat",
    "BPKAD",
    "Dinas Sosial",
    "Kecamatan",
    "Kelurahan / Nagari",
    "RSUD",
    "PDAM / Perumda Air Minum",
    "Pokdarwis",
    "Relawan TIK",
    "Universitas",
    "Bank Nagari / BPD",
    "DPRD",
    "KADIN / Pelaku Usaha",
)

# A join code avoids characters people confuse when reading a projector: 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


# --- Board layouts, SWOT, scoring and the roadmap: the masterplan's tools ---------


class Layout(str, Enum):
    dimensions = "dimensions"  # one column per dimension
    swot = "swot"  # four quadrants: the Tahap I "Kertas Kerja Analisis SWOT"


class Swot(str, Enum):
    strength = "strength"
    weakness = "weakness"
    opportunity = "opportunity"
    threat = "threat"


# Board order (internal factors first, as on the worksheet) and the Indonesian
# worksheet names as msgids' translations: Kekuatan, Kelemahan, Peluang, Ancaman.
SWOT_LABELS = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
SWOT_CODES = tuple(s.value for s in Swot)

# Ratings: impact for citizens and feasibility within one year, 1 (low) to 5 (high).
SCORE_MIN, SCORE_MAX = 1, 5
DEFAULT_QUICK_WIN_THRESHOLD = 3.5


class Quadrant(str, Enum):
    """Where a rated group falls on the impact × feasibility matrix."""

    quick_win = "quick_win"  # high impact, feasible within a year
    major_project = "major_project"  # high impact, needs more than a year
    fill_in = "fill_in"  # feasible, low impact
    low_priority = "low_priority"  # neither


QUADRANT_LABELS = {
    "quick_win": "Quick win",
    "major_project": "Major project",
    "fill_in": "Fill-in",
    "low_priority": "Low priority",
}


class Horizon(str, Enum):
    short = "short"  # within 1 year
    medium = "medium"  # up to 5 years
    long = "long"  # up to 10 years


HORIZON_LABELS = {
    "short": "Short term (1 year)",
    "medium": "Medium term (up to 5 years)",
    "long": "Long term (up to 10 years)",
}
# How many years, from the workshop's year, a programme of this horizon may run:
# the length of its bar on the roadmap's 10-year timeline.
HORIZON_YEARS = {"short": 1, "medium": 5, "long": 10}
ROADMAP_YEARS = 10


class BudgetSource(str, Enum):
    apbd = "apbd"
    apbn = "apbn"
    csr = "csr"
    kpbu = "kpbu"
    lainnya = "lainnya"


BUDGET_SOURCE_LABELS = {
    "apbd": "APBD (regional budget)",
    "apbn": "APBN (national budget)",
    "csr": "CSR",
    "kpbu": "KPBU (public-private partnership)",
    "lainnya": "Other",
}


# --- Running the room: what the projector shows and the session's timer ------------


class BoardView(str, Enum):
    """How the projector shows the session (the facilitator switches, V on the board)."""

    columns = "columns"  # the phase's own view: idea columns, group cards, results …
    cloud = "cloud"  # a word cloud of the session's ideas
    wall = "wall"  # every idea as a large card, page by page


BOARD_VIEW_LABELS = {"columns": "Columns", "cloud": "Word cloud", "wall": "Idea wall"}


class Role(str, Enum):
    """What a member of a workshop's team may do. The owner does everything, members
    and deletion included; a co-facilitator runs every session; a scribe (notulis)
    enters ideas on behalf of people and otherwise reads the console."""

    owner = "owner"
    co_facilitator = "co_facilitator"
    scribe = "scribe"


class Permission(str, Enum):
    """What a request needs of the caller's role in a workshop (``ROLE_PERMISSIONS``),
    checked in one place: ``app.services.workshops.require``."""

    read = "read"  # the console, the board, the results: looking only
    enter_ideas = "enter_ideas"  # ideas typed on behalf of people (the scribe's work)
    run = "run"  # sessions, phases, timer, grouping, settings, moderation
    download = "download"  # the summaries and the workshop's archive
    manage = "manage"  # the team (members) and deleting


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.owner: frozenset(Permission),
    Role.co_facilitator: frozenset(Permission) - {Permission.manage},
    Role.scribe: frozenset({Permission.read, Permission.enter_ideas}),
}

# Roles an owner can give a member (the owner is ``Workshop.owner_id``, never a member).
MEMBER_ROLES = (Role.co_facilitator, Role.scribe)
ROLE_LABELS = {"owner": "Workshop owner", "co_facilitator": "Co-facilitator", "scribe": "Scribe"}  # msgids


class Moderation(str, Enum):
    """Whether ideas wait for the facilitator before the board and other phones see
    them. A word-filter hit is held either way."""

    off = "off"
    pre = "pre"


class TimerState(str, Enum):
    running = "running"
    paused = "paused"
    stopped = "stopped"


# A timer runs from one second (tests, a countdown to a reveal) to four hours (a
# whole afternoon's group work); "add" gives up to an hour at a time.
TIMER_MAX_SECONDS = 4 * 3600
TIMER_ADD_MAX_SECONDS = 3600
TIMER_PRESET_MINUTES = (3, 5, 10)
