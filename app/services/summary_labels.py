"""Indonesian names of the masterplan vocabulary for the downloads: SWOT quadrants,
impact × feasibility quadrants, horizons, budget sources.

The domain keeps English msgids; the documents read the same Indonesian
translations the screens show (``app/locale/id``), so "Proyek besar" on the board
is "Proyek besar" in the Word file.
"""

from __future__ import annotations

from app.domain import (
    BUDGET_SOURCE_LABELS,
    HORIZON_LABELS,
    HORIZON_YEARS,
    QUADRANT_LABELS,
    SWOT_CODES,
    SWOT_LABELS,
)
from app.i18n import gettext

YES, NO = "Ya", "Tidak"


def _label(labels: dict[str, str], code: str | None) -> str | None:
    if not code:
        return None
    return gettext("id", labels.get(code, code))


def swot(code: str | None) -> str | None:
    return _label(SWOT_LABELS, code)


def quadrant(code: str | None) -> str | None:
    return _label(QUADRANT_LABELS, code)


def horizon(code: str | None) -> str | None:
    return _label(HORIZON_LABELS, code)


def budget_source(code: str | None) -> str | None:
    return _label(BUDGET_SOURCE_LABELS, code)


def years(start_year: int, code: str | None) -> tuple[int | None, int | None]:
    """First and last year of a programme of this horizon, from the workshop's year
    (the same rule as ``services.roadmap``)."""
    span = HORIZON_YEARS.get(code or "", 0)
    return (start_year, start_year + span - 1) if span else (None, None)


def year_range(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return str(start) if start == end else f"{start}–{end}"


SWOT_ORDER = SWOT_CODES  # Kekuatan, Kelemahan, Peluang, Ancaman: the worksheet's order
