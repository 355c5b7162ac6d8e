"""Times, dates and numbers as people read them: in the venue's time zone
(``REMBUK_TIMEZONE``) with its Indonesian name (WIB, WITA, WIT), in the reader's
language, through Babel.

Only text for people goes through here. What programs read keeps its contract: the
API and the JSON download carry ISO 8601 in UTC (``app.models.iso``); the CSV keeps
its UTC ``waktu`` column and gains a local one. Screens format in the UI language
(the Jinja filters of ``jinja_filters``); the documents in Indonesian, because they
go into Indonesian masterplan books.

Why the zone's own name and not "UTC+9": a Bappeda reader in Jayapura writes "WIT"
in a letter; the IANA database gives these names (``tzname()``), so a region that
changes its clock needs a ``tzdata`` update, not a release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent
from jinja2 import pass_context
from jinja2.runtime import Context

DEFAULT_ZONE = "Asia/Jakarta"
DOCUMENT_LOCALE = "id"  # the downloads are Indonesian whatever the facilitator's screen says

# Said when the setting names no zone: the three a Rembuk in Indonesia chooses from.
ZONE_HINT = "Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"

Moment = datetime | str | None  # an aware datetime or ISO 8601 as the API writes it ("…Z")


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ``ValueError`` saying what to set for anything else."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"REMBUK_TIMEZONE={name!r} is not a time zone: use an IANA name such as {ZONE_HINT}") from None


def as_utc(value: datetime | str) -> datetime:
    """An aware UTC datetime from a datetime (naive means UTC, as the database keeps
    it) or from ISO 8601 text."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Clock:
    """Formats moments in one zone and one language (``id`` or ``en``)."""

    zone: ZoneInfo
    locale: str = DOCUMENT_LOCALE

    @classmethod
    def of(cls, zone_name: str | None, locale: str | None = None) -> Clock:
        return cls(zone(zone_name or DEFAULT_ZONE), locale or DOCUMENT_LOCALE)

    def local(self, value: datetime | str) -> datetime:
        return as_utc(value).astimezone(self.zone)

    def zone_name(self, value: datetime | str) -> str:
        """The zone's name at that moment ("WIB", "WITA", "WIT"); a zone without a
        name of its own ("+07") as "UTC+07"."""
        name = self.local(value).tzname() or ""
        return f"UTC{name}" if name[:1] in "+-" else name

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def local_date(self, value: datetime | str) -> date:
        return self.local(value).date()

    def day(self, value: date | Moment, form: str = "long") -> str:
        """A day as "21 November 2026" (``form``: Babel's ``long``, ``medium``,
        ``short``). A date is already local (a session's day); a moment is converted."""
        if value is None or value == "":
            return ""
        if isinstance(value, str) and len(value) == 10:
            value = date.fromisoformat(value)
        day = value if isinstance(value, date) and not isinstance(value, datetime) else self.local_date(value)
        return _day_text(day, form, self.locale)

    def time(self, value: Moment) -> str:
        """The time of day: "08.30 WIT" in Indonesian, "8:30 AM WIT" in English."""
        if not value:
            return ""
        local = self.local(value)
        return f"{_time_text(local.hour, local.minute, self.locale)} {self.zone_name(local)}"

    def stamp(self, value: Moment) -> str:
        """Date and time on one line: "21 Nov 2026 08.30 WIT" ("Nov 21, 2026, 8:30 AM WIT")."""
        if not value:
            return ""
        local = self.local(value)
        day = _day_text(local.date(), "medium", self.locale)
        clock = _time_text(local.hour, local.minute, self.locale)
        joined = _date_and_time(self.locale).replace("{1}", day).replace("{0}", clock)
        return f"{joined} {self.zone_name(local)}"

    def input_value(self, value: Moment) -> str:
        """For an ``<input type="datetime-local">``: "2026-12-14T17:00", the venue's time."""
        if not value:
            return ""
        return self.local(value).strftime("%Y-%m-%dT%H:%M")

    def from_input(self, text: str) -> datetime | None:
        """What a ``datetime-local`` input sent (the venue's time, no zone) as aware UTC;
        None for nothing typed; ``ValueError`` for text that is no date and time."""
        text = (text or "").strip()
        if not text:
            return None
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(UTC)

    def decimal(self, value: float | None, digits: int = 2, *, trim: bool = False) -> str:
        return decimal(value, digits, trim=trim, locale=self.locale)

    def percent(self, value: float | None) -> str:
        return percent(value, locale=self.locale)


# Babel takes ~20 µs a call; a workshop's idea table stamps thousands of rows, most on
# a handful of days and minutes, so the pieces are kept (a few KB).
@lru_cache(maxsize=512)
def _day_text(day: date, form: str, locale: str) -> str:
    return format_date(day, form, locale=locale)


@lru_cache(maxsize=4096)
def _time_text(hour: int, minute: int, locale: str) -> str:
    return format_time(time_of_day(hour, minute), "short", locale=locale)


@cache
def _date_and_time(locale: str) -> str:
    """Babel's own way of joining a date and a time in the language: "{1} {0}", "{1}, {0}"."""
    return str(get_datetime_format("medium", locale=locale))


def decimal(value: float | None, digits: int = 2, *, trim: bool = False, locale: str = DOCUMENT_LOCALE) -> str:
    """A mean: "4,33" in Indonesian, "4.33" in English; ``trim`` drops trailing zeros
    (a threshold: "3,5", "3")."""
    if value is None:
        return ""
    decimals = ("#" if trim else "0") * digits
    pattern = "#,##0" + (f".{decimals}" if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def percent(value: float | None, *, locale: str = DOCUMENT_LOCALE) -> str:
    """A share: 0.87 → "87%"."""
    return "" if value is None else format_percent(value, locale=locale)


def jinja_filters(zone_name: str) -> dict[str, Callable[..., str]]:
    """``stamp``, ``local_date``, ``local_time``, ``decimal`` and ``percent`` for the
    templates, in the zone of the settings and the language of the page being drawn
    (its ``locale``: a request's, or the live stream's)."""

    def clock(ctx: Context) -> Clock:
        return _clock(zone_name, ctx.get("locale") or DOCUMENT_LOCALE)

    @pass_context
    def stamp(ctx: Context, value: Moment) -> str:
        return clock(ctx).stamp(value)

    @pass_context
    def local_date(ctx: Context, value: Any, form: str = "long") -> str:
        return clock(ctx).day(value, form)

    @pass_context
    def local_time(ctx: Context, value: Moment) -> str:
        return clock(ctx).time(value)

    @pass_context
    def decimal(ctx: Context, value: float | None, digits: int = 2, trim: bool = False) -> str:
        return clock(ctx).decimal(value, digits, trim=trim)

    @pass_context
    def percent(ctx: Context, value: float | None) -> str:
        return clock(ctx).percent(value)

    return {"stamp": stamp, "local_date": local_date, "local_time": local_time, "decimal": decimal, "percent": percent}


@cache
def _clock(zone_name: str, locale: str) -> Clock:
    return Clock.of(zone_name, locale)
