"""i18n self-checks: Indonesian default, English fallback, params, catalogue completeness."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from starlette.requests import Request

from app import i18n


def make_request(query: str = "", cookie: str | None = None, path: str = "/join") -> Request:
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{i18n.LANG_COOKIE}={cookie}".encode()))
    scope = {
        "type": "http", "method": "GET", "scheme": "http", "server": ("testserver", 80),
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
        "headers": headers,
    }
    return Request(scope)


def load_catalog(locale: str):
    with i18n.po_path(locale).open("rb") as fp:
        return read_po(fp, locale=locale)


def test_indonesian_is_default():
    assert i18n.DEFAULT_LOCALE == "id"
    assert i18n.gettext("id", "Uncategorised") == "Belum dikategorikan"
    assert i18n.gettext(None, "Uncategorised") == "Belum dikategorikan"
    assert i18n.gettext("xx", "Join code") == "Kode gabung"
    assert i18n.gettext("id", "Regional office (OPD)") == "Perangkat Daerah (OPD)"
    assert i18n.gettext("id", "Public Service") == "Pelayanan Publik"


def test_english_returns_english():
    assert i18n.gettext("en", "Uncategorised") == "Uncategorised"
    assert i18n.gettext("en", "Join code") == "Join code"


def test_dimension_names_stay_english_in_both():
    for name in ("Smart Governance", "Smart Environment"):
        assert i18n.gettext("id", name) == name
        assert i18n.gettext("en", name) == name


def test_params_are_formatted():
    assert i18n.gettext("id", "Welcome, %(name)s", name="Budi") == "Selamat datang, Budi"
    assert i18n.gettext("en", "Welcome, %(name)s", name="Budi") == "Welcome, Budi"
    assert i18n.ngettext("en", "%(num)s idea", "%(num)s ideas", 1) == "1 idea"
    assert i18n.ngettext("en", "%(num)s idea", "%(num)s ideas", 3) == "3 ideas"
    assert i18n.ngettext("id", "%(num)s idea", "%(num)s ideas", 3) == "3 ide"
    # without params the text is returned as is (a literal % is safe)
    assert i18n.gettext("en", "100% done") == "100% done"


@pytest.mark.parametrize(
    ("query", "cookie", "expected"),
    [
        ("", None, "id"),
        ("lang=en", None, "en"),
        ("lang=EN-us", None, "en"),
        ("lang=xx", None, "id"),
        ("lang=xx", "en", "en"),
        ("", "en", "en"),
        ("", "fr", "id"),
        ("lang=id", "en", "id"),
    ],
)
def test_locale_from_request(query, cookie, expected):
    assert i18n.locale_from_request(make_request(query, cookie)) == expected


def test_accept_language_is_ignored():
    req = make_request()
    req.scope["headers"].append((b"accept-language", b"en-US,en;q=0.9"))
    assert i18n.locale_from_request(Request(req.scope)) == "id"


def test_context_and_switch_url():
    ctx = i18n.i18n_context(make_request("x=1&lang=en"))
    assert ctx["locale"] == "en" and ctx["other_locale"] == "id"
    assert ctx["lang_switch_url"] == "/join?x=1&lang=id"
    ctx = i18n.i18n_context(make_request())
    assert ctx["locale"] == "id" and ctx["lang_switch_url"] == "/join?lang=en"


def test_jinja_templates_translate_and_escape():
    env = i18n.configure_jinja(jinja2.Environment(autoescape=True))
    tpl = env.from_string(
        '{{ _("Uncategorised") }}|{% trans %}Join code{% endtrans %}|'
        '{{ _("Welcome, %(name)s", name=who) }}|{{ ngettext("%(num)s idea", "%(num)s ideas", n) }}'
    )
    # default (no request): Indonesian
    assert tpl.render(who="<b>", n=2) == "Belum dikategorikan|Kode gabung|Selamat datang, &lt;b&gt;|2 ide"
    # per-request context overrides the defaults
    ctx = i18n.i18n_context(make_request("lang=en"))
    assert tpl.render(who="Ani", n=2, **ctx) == "Uncategorised|Join code|Welcome, Ani|2 ideas"


def test_every_indonesian_msgid_is_translated():
    catalog = load_catalog("id")
    missing, fuzzy = [], []
    for msg in catalog:
        if not msg.id:
            continue
        strings = msg.string if isinstance(msg.string, (tuple, list)) else (msg.string,)
        if not all(s and s.strip() for s in strings):
            missing.append(msg.id)
        if msg.fuzzy:
            fuzzy.append(msg.id)
    assert not missing, f"untranslated in id: {missing}"
    assert not fuzzy, f"fuzzy (ignored at run time) in id: {fuzzy}"
    assert len(catalog) >= 80


def test_catalogues_have_the_same_msgids():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in load_catalog("id") if m.id}
    ens = {m.id if isinstance(m.id, str) else m.id[0] for m in load_catalog("en") if m.id}
    assert ids == ens


def test_catalogue_round_trips_without_compile_step():
    t = i18n.translations("id")
    assert t.gettext("Reconnecting…") == "Menyambung ulang…"
    assert i18n.translations("id") is t  # cached


def test_htmx_vendored_file_matches_sri():
    from app import assets

    assert assets.HTMX_VERSION in assets.HTMX_CDN_URL
    assert assets.sri_of(assets.htmx_local_file()) == assets.HTMX_SRI


ERROR_CALL = re.compile(
    r"\b(?:Invalid|Conflict|NotFound|Forbidden|Unauthorized|TooMany\w*|Unavailable\w*|participant_only)"
    r"\(\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)"  # one string literal, or several concatenated
)
LITERAL = re.compile(r"\"((?:[^\"\\]|\\.)*)\"")
FIELD_PARAM = re.compile(r"\bfield=\"([^\"]+)\"")


def test_every_error_message_in_the_code_is_translated():
    """Errors reach people in Indonesian (API and pages translate ``exc.message`` and
    its string params): a message added without its translation would show English."""
    ids = {m.id for m in load_catalog("id") if m.id}
    missing = set()
    for path in (Path(i18n.__file__).parent).rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in (ERROR_CALL, FIELD_PARAM):
            for match in pattern.finditer(source):
                literals = LITERAL.findall(match.group(1)) if pattern is ERROR_CALL else [match.group(1)]
                msgid = "".join(literals).encode().decode("unicode_escape")
                if msgid not in ids:
                    missing.add(f"{path.name}: {msgid}")
    assert not missing, "\n".join(sorted(missing))
