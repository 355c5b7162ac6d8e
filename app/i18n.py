"""Translations: Bahasa Indonesia first, English second (Babel + Jinja2 i18n).

Catalogues live in ``app/locale/<locale>/LC_MESSAGES/messages.po``; msgids are
English. ``id`` must translate every msgid (tests check it); ``en`` may leave
``msgstr ""`` (falls back to the msgid). No compile step: the ``.po`` is read with
Babel at first use, written to an in-memory ``.mo`` and cached per locale.

Adding a message: use ``_("Text")`` / ``{% trans %}Text{% endtrans %}`` and add
the msgid to both ``.po`` files; or, with the tools::

    pybabel extract -F babel.cfg -o app/locale/messages.pot .
    pybabel update -i app/locale/messages.pot -d app/locale --no-fuzzy-matching

then fill the new ``id`` msgstrs. (Fuzzy entries are not used at run time.)

Choosing the language: ``?lang=`` (if supported), else the ``rembuk_lang``
cookie, else Indonesian. Accept-Language is deliberately ignored: the default UI
is Indonesian. There is no middleware: the route layer persists a choice by
calling ``set_lang_cookie(response, request, lang)`` when ``requested_locale(request)``
returns a value (i.e. the request carried a supported ``?lang=``).

Formatting: Python code uses ``gettext(locale, "Hi %(name)s", name=...)``
(formats only when params are given). Templates use Jinja's *newstyle* gettext
(the same rules as ``{% trans %}``): the string is always %-formatted, so write a
literal percent sign as ``%%``, and variables are HTML-escaped under autoescape.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app.security import set_cookie  # the one place that decides cookie flags

SUPPORTED_LOCALES: tuple[str, ...] = ("id", "en")
DEFAULT_LOCALE = "id"
LANG_COOKIE = "rembuk_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_LANG_RE = re.compile(r"[-_]")


def normalize_locale(value: str | None) -> str | None:
    """Map ``"id"``, ``"ID"``, ``"id-ID"``, ``"en_GB"`` to a supported locale, else None."""
    if not value:
        return None
    base = _LANG_RE.split(value.strip().lower(), 1)[0]
    return base if base in SUPPORTED_LOCALES else None


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _load(locale: str) -> NullTranslations:
    path = po_path(locale)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=locale, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def translations(locale: str | None) -> NullTranslations:
    """Cached ``babel.support.Translations`` for a locale (unknown → Indonesian)."""
    return _load(normalize_locale(locale) or DEFAULT_LOCALE)


def gettext(locale: str | None, msgid: str, **params: Any) -> str:
    """Translate ``msgid``; ``%(name)s`` params are formatted when given."""
    text = translations(locale).gettext(msgid)
    return text % params if params else text


def ngettext(locale: str | None, singular: str, plural: str, num: int, **params: Any) -> str:
    """Plural-aware translate; ``num`` is available as ``%(num)s``."""
    params.setdefault("num", num)
    return translations(locale).ngettext(singular, plural, num) % params


# --- request helpers ---------------------------------------------------------


def requested_locale(request: Any) -> str | None:
    """The supported locale in ``?lang=``, or None (route layer then leaves the cookie)."""
    return normalize_locale(request.query_params.get("lang"))


def locale_from_request(request: Any) -> str:
    """``?lang=`` if supported, else the ``rembuk_lang`` cookie, else ``"id"``."""
    return requested_locale(request) or normalize_locale(request.cookies.get(LANG_COOKIE)) or DEFAULT_LOCALE


def set_lang_cookie(response: Any, request: Any, locale: str) -> None:
    """Persist a language choice (call when ``requested_locale(request)`` is not None)."""
    lang = normalize_locale(locale) or DEFAULT_LOCALE
    set_cookie(response, request, LANG_COOKIE, lang, max_age=LANG_COOKIE_MAX_AGE)


def other_locale(locale: str) -> str:
    return "en" if locale == "id" else "id"


def lang_switch_url(request: Any, locale: str) -> str:
    """Current path + query with ``lang=`` set to the other locale (relative URL)."""
    url = request.url.include_query_params(lang=other_locale(locale))
    return url.path + ("?" + url.query if url.query else "")


# --- Jinja -------------------------------------------------------------------


def _jinja_callables(locale: str) -> dict[str, Callable[..., str]]:
    """Newstyle callables (as jinja2.ext.i18n's): autoescape-safe, always %-formatted."""
    t = translations(locale)

    def _fmt(ctx: Context, text: str, variables: dict[str, Any]) -> str:
        if ctx.eval_ctx.autoescape:
            text = Markup(text)  # nosec B704 - our own catalogue's msgid; `%` escapes the variables
        return text % variables

    @pass_context
    def _gettext(__context: Context, __string: str, **variables: Any) -> str:
        return _fmt(__context, t.gettext(__string), variables)

    @pass_context
    def _ngettext(__context: Context, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("num", __num)
        return _fmt(__context, t.ngettext(__singular, __plural, __num), variables)

    @pass_context
    def _pgettext(__context: Context, __ctx: str, __string: str, **variables: Any) -> str:
        variables.setdefault("context", __ctx)
        # Babel annotates pgettext as ``str | object``; it returns the catalog's text or the msgid.
        return _fmt(__context, str(t.pgettext(__ctx, __string)), variables)

    @pass_context
    def _npgettext(__context: Context, __ctx: str, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("context", __ctx)
        variables.setdefault("num", __num)
        return _fmt(__context, t.npgettext(__ctx, __singular, __plural, __num), variables)

    return {"_": _gettext, "gettext": _gettext, "ngettext": _ngettext, "pgettext": _pgettext, "npgettext": _npgettext}


@cache
def _cached_callables(locale: str) -> dict[str, Callable[..., str]]:
    return _jinja_callables(locale)


def jinja_callables(locale: str | None) -> dict[str, Callable[..., str]]:
    """``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` for one locale."""
    return dict(_cached_callables(normalize_locale(locale) or DEFAULT_LOCALE))


def i18n_context(request: Any) -> dict[str, Any]:
    """Starlette ``Jinja2Templates(context_processors=[i18n_context])`` processor."""
    locale = locale_from_request(request)
    ctx: dict[str, Any] = jinja_callables(locale)
    ctx.update(
        locale=locale,
        other_locale=other_locale(locale),
        lang_switch_url=lang_switch_url(request, locale),
    )
    return ctx


def configure_jinja(env: Any) -> Any:
    """Add ``jinja2.ext.i18n`` and install Indonesian newstyle callables as defaults.

    Per-request callables from ``i18n_context`` override these (context beats globals).
    ``{% trans %}`` blocks are whitespace-trimmed (babel.cfg extracts with trimmed too).
    """
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    t = translations(DEFAULT_LOCALE)
    env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True, pgettext=t.pgettext, npgettext=t.npgettext)
    env.globals.setdefault("locale", DEFAULT_LOCALE)
    env.globals.setdefault("other_locale", other_locale(DEFAULT_LOCALE))
    return env
