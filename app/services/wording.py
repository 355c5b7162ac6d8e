"""Indonesian phone text made comparable: one normalisation, one stemmer, one tokeniser,
shared by the duplicate detector and the suggestion engines.

Participants type in a hurry on weak Wi-Fi: abbreviations ("yg", "utk", "dgn"), slang
("bgt", "gak"), typos, ALL CAPS, emoji. ``normalise`` keeps what the duplicate detector
has always compared (lower case ASCII words, abbreviations spelled out, a few stopwords
dropped); ``words`` goes further for the engines: each content word with its stem
(Sastrawi: "pendaftaran" → "daftar", "pelayanannya" → "layan") and the word as typed, so
that a reason shown to the facilitator can say "pendaftaran" rather than "daftar".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

ABBREVIATIONS = {
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "u/": "untuk",
    "tdk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "dlm": "dalam",
    "pd": "pada",
    "krn": "karena",
    "sdh": "sudah",
    "blm": "belum",
    "bs": "bisa",
    "jg": "juga",
    "tsb": "tersebut",
    "org": "orang",
    "masy": "masyarakat",
    "msy": "masyarakat",
    "pemda": "pemerintah daerah",
    "pemkab": "pemerintah kabupaten",
    "pemkot": "pemerintah kota",
    "kab": "kabupaten",
    "apk": "aplikasi",
    "app": "aplikasi",
    "apps": "aplikasi",
    "info": "informasi",
    "sdm": "sumber daya manusia",
    "umkm": "umkm",
    "ol": "online",
    "onlen": "online",
    "daring": "online",
    "dr": "dari",
    "sbg": "sebagai",
    "spt": "seperti",
    "bbrp": "beberapa",
    "thd": "terhadap",
    "ttg": "tentang",
    "sos": "sosial",
    "yanlik": "pelayanan publik",
}

# Only the engines use these (``words``): the duplicate detector's ``normalise`` keeps
# its own list above so its scores, and the thresholds tuned on them, do not move.
# Phone slang and the programme's abbreviations, from general knowledge of how
# Indonesian officials and citizens type.
MORE_ABBREVIATIONS = {
    "bgt": "banget",
    "bngt": "banget",
    "jd": "jadi",
    "jdi": "jadi",
    "hrs": "harus",
    "sy": "saya",
    "kl": "kalau",
    "klo": "kalau",
    "kalo": "kalau",
    "tp": "tapi",
    "dll": "",
    "dsb": "",
    "dst": "",
    "sm": "sama",
    "lg": "lagi",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "blum": "belum",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "tak": "tidak",
    "bkn": "bukan",
    "sj": "saja",
    "aja": "saja",
    "trs": "terus",
    "byk": "banyak",
    "bnyk": "banyak",
    "skrg": "sekarang",
    "krg": "kurang",
    "kpd": "kepada",
    "dpt": "dapat",
    "tgl": "tanggal",
    "sblm": "sebelum",
    "stlh": "setelah",
    "sampe": "sampai",
    "ampe": "sampai",
    "nunggu": "tunggu",
    "ngantri": "antri",
    "ngantre": "antre",
    "ngurus": "urus",
    "pake": "pakai",
    "bikin": "buat",
    "kasih": "beri",
    "gimana": "bagaimana",
    "emg": "memang",
    "tlg": "tolong",
    "mhn": "mohon",
    "sgt": "sangat",
    "ckp": "cukup",
    "kmrn": "kemarin",
    "rs": "rumah sakit",
    "pkm": "puskesmas",
    "faskes": "fasilitas kesehatan",
    "nakes": "tenaga kesehatan",
    "dukcapil": "disdukcapil",
    "capil": "disdukcapil",
    "ktp": "ktpel",
    "ekatepe": "ktpel",
    "kk": "kartu keluarga",
    "pju": "penerangan jalan umum",
    "angkot": "angkutan kota",
    "ojol": "ojek online",
    "medsos": "media sosial",
    "sosmed": "media sosial",
    "wa": "whatsapp",
    "hp": "ponsel",
    "handphone": "ponsel",
    "wifi": "wifi",
    "inet": "internet",
    "jar": "jaringan",
    "sinyal": "sinyal",
    "bansos": "bantuan sosial",
    "pln": "listrik pln",
    "lingk": "lingkungan",
    "pemdes": "pemerintah desa",
    "kades": "kepala desa",
    "sekda": "sekretaris daerah",
    "ptsp": "perizinan terpadu",
    "ijin": "izin",
    "antrian": "antrean",
    "antri": "antre",
    "anteran": "antrean",
    "antrin": "antrean",
    "pelayana": "pelayanan",
    "aplikas": "aplikasi",
    "aplkasi": "aplikasi",
    "aplikasih": "aplikasi",
    "sampha": "sampah",
    "smpah": "sampah",
    "sampa": "sampah",
    "pariwisaya": "pariwisata",
    "onlie": "online",
    "onine": "online",
    "onlien": "online",
    "dgital": "digital",
    "digitl": "digital",
    "e": "",
    "ke2": "",
    # Emergency numbers: digits are dropped, the service they name is not.
    "112": "panggilan darurat",
    "119": "psc ambulans",
    # Offices, programmes and subjects as typed on a phone.
    "puskes": "puskesmas",
    "rsu": "rsud",
    "satpolpp": "satpol pp",
    "jln": "jalan",
    "jl": "jalan",
    "sklh": "sekolah",
    "skolah": "sekolah",
    "smph": "sampah",
    "kesehtan": "kesehatan",
    "transport": "transportasi",
    "trnsportasi": "transportasi",
    "cashles": "cashless",
    "intrnet": "internet",
    "internt": "internet",
    "wfi": "wifi",
    "sinyl": "sinyal",
    "listrk": "listrik",
    "ambulan": "ambulans",
    "ambulance": "ambulans",
    "perpus": "perpustakaan",
    "perpusda": "perpustakaan",
    "ig": "instagram",
    "yt": "youtube",
    "fb": "facebook",
    "bumil": "ibu hamil",
    "ebook": "ebook",
    "ecommerce": "ecommerce",
    "mbanking": "mobile banking",
    "ewallet": "ewallet",
}

# Words that carry no meaning for "is this the same idea?"
STOPWORDS = {
    "yang",
    "dan",
    "di",
    "ke",
    "untuk",
    "dengan",
    "dari",
    "pada",
    "dalam",
    "agar",
    "bagi",
    "atau",
    "itu",
    "ini",
    "serta",
    "oleh",
    "sebagai",
    "the",
    "of",
    "and",
    "perlu",
    "adanya",
    "membuat",
    "pembuatan",
}

# The engines drop these too: function words, fillers and the words of wanting and
# complaining that any idea may carry ("harus", "tolong", "banget", "masih").
FILLER_WORDS = STOPWORDS | {
    "ada",
    "adalah",
    "akan",
    "aku",
    "amat",
    "antara",
    "apa",
    "bagaimana",
    "banget",
    "bahwa",
    "baru",
    "belum",
    "beberapa",
    "biar",
    "bisa",
    "buat",
    "bukan",
    "cukup",
    "dapat",
    "dong",
    "dulu",
    "gitu",
    "guna",
    "hal",
    "hanya",
    "harap",
    "harus",
    "hingga",
    "ia",
    "jadi",
    "jangan",
    "juga",
    "kalau",
    "kami",
    "karena",
    "kita",
    "kepada",
    "lagi",
    "lah",
    "maka",
    "masih",
    "mau",
    "melalui",
    "memang",
    "mohon",
    "mungkin",
    "nya",
    "pak",
    "bu",
    "per",
    "pun",
    "saja",
    "sama",
    "sampai",
    "sangat",
    "saya",
    "secara",
    "sehingga",
    "sekali",
    "sekarang",
    "selalu",
    "semua",
    "setiap",
    "sih",
    "sudah",
    "supaya",
    "tapi",
    "tentang",
    "terhadap",
    "tersebut",
    "terus",
    "tidak",
    "tolong",
    "tuh",
    "usul",
    "usulan",
    "ya",
    "yuk",
    "deh",
    "kok",
    "kan",
    "nih",
    "mana",
    "para",
    "seperti",
    "sesuai",
    "the",
    "a",
    "to",
    "for",
    "in",
    "lewat",
    "via",
    "apalagi",
    "gak",
}

# Words whose Sastrawi root is a filler ("pengadaan" → "ada", "terbarukan" → "baru",
# "pendapatan" → "dapat"): the engines keep them whole, else the subject is lost.
KEEP_WHOLE = frozenset(["pengadaan", "terbarukan", "pendapatan", "pendapat", "kebersamaan"])

_WORD = re.compile(r"[a-z0-9]+")
_REDUPLICATED = re.compile(r"^[a-z]{3,}2$")
# Phone text runs words together after punctuation ("antrean,panjang") and splits
# compounds with hyphens ("non-tunai", "Wi-Fi", "e-KTP"): hyphens join, the rest splits.
_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")


def ascii_lower(text: str) -> str:
    """Lower case ASCII: accents and emoji dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def normalise(text: str) -> str:
    """The duplicate detector's normal form: lower case words, its abbreviations
    spelled out, its stopwords dropped. Kept exactly as it was: its thresholds are
    tuned on it."""
    text = ascii_lower(text)
    text = text.replace("u/", "untuk ")
    words = _WORD.findall(text)
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in words).split()
    return " ".join(w for w in expanded if w not in STOPWORDS)


@cache
def _stemmer() -> Any:
    # Sastrawi loads its root-word list (~30,000 words) once: ~0.03 s and ~3 MB.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The root of one lower case word ("pendaftaran" → "daftar"). Sastrawi tries its
    affix rules against a dictionary for each word, ~0.1 ms a word: cached."""
    if len(word) <= 3 or word.isdigit():
        return word
    root: str = _stemmer().stem(word)
    return root or word


@dataclass(frozen=True)
class Word:
    stem: str
    typed: str  # the word as typed (after abbreviations), for reasons a person reads


def words(text: str) -> list[Word]:
    """The content words of an idea, in order, stemmed; fillers dropped."""
    text = ascii_lower(text).replace("u/", "untuk ")
    text = _HYPHEN.sub("", text)
    found: list[Word] = []
    for raw in _WORD.findall(text):
        if _REDUPLICATED.match(raw):
            raw = raw[:-1]  # "ibu2", "pulau2": the plural written with a 2
        expanded = MORE_ABBREVIATIONS.get(raw, ABBREVIATIONS.get(raw, raw))
        for word in expanded.split():
            if word in FILLER_WORDS or len(word) < 2 or word.isdigit():
                continue
            root = word if word in KEEP_WHOLE else stem(word)
            if root in FILLER_WORDS:
                continue
            found.append(Word(root, word))
    return found
