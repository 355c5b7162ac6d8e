"""The impact × feasibility matrix as plain geometry (quick-win scoring).

Pure functions, no database and no markup: the board and the phones draw it as
server-rendered SVG (``fragments/_score_matrix.html``) and an export can draw the
same numbers (a chart in Excel, a figure in Word) without a browser.

Feasibility within one year runs along x, impact for citizens up y, both 1–5, so
the quick-win quadrant (both means at or above the threshold) is the top right.
A dot's *area* grows with the group's votes (radius ∝ √votes), so a group with
twice the votes looks twice as big, not four times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.domain import DIMENSION_BY_CODE, SCORE_MAX, SCORE_MIN, Quadrant
from app.services.ratings import quadrant

# Drawing box (SVG user units; the SVG scales to its container).
WIDTH, HEIGHT = 800, 640
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 96, 24, 24, 84
# Half a step of room beyond 1 and 5, so a dot on the edge is not cut in half.
PAD = 0.5
R_MIN, R_MAX = 14.0, 28.0
QUADRANT_ORDER = tuple(q.value for q in Quadrant)  # quick wins first


@dataclass(frozen=True)
class Dot:
    number: int  # the group's number in the matrix table (and beside its dot)
    group_id: int
    title: str
    dimension: str | None
    letter: str  # the dimension's letter, drawn in the dot: colour is never the only cue
    impact: float
    feasibility: float
    votes: int
    raters: int
    quadrant: str
    cx: float
    cy: float
    r: float
    origin: dict[str, Any] | None = None  # where a carried-forward group came from (services.lineage)


@dataclass(frozen=True)
class Tick:
    value: int
    x: float  # position on the feasibility axis
    y: float  # position on the impact axis


@dataclass(frozen=True)
class Matrix:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    threshold: float
    threshold_x: float
    threshold_y: float
    ticks: tuple[Tick, ...]
    dots: tuple[Dot, ...]  # in table order (quick wins first)
    unrated: tuple[dict[str, Any], ...] = field(default=())  # candidates nobody rated

    @property
    def drawing_order(self) -> tuple[Dot, ...]:
        """Big dots first, so a small dot on top of a big one stays visible."""
        return tuple(sorted(self.dots, key=lambda d: (-d.r, d.number)))

    @property
    def quick_win_box(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the shaded quick-win quadrant."""
        return (self.threshold_x, self.top, self.right - self.threshold_x, self.threshold_y - self.top)


def x_of(feasibility: float) -> float:
    """Where a feasibility mean sits on the x axis."""
    return _scale(feasibility, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)


def y_of(impact: float) -> float:
    """Where an impact mean sits on the y axis (SVG y grows downwards)."""
    return _scale(impact, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)


def _scale(value: float, start: float, end: float) -> float:
    low, high = SCORE_MIN - PAD, SCORE_MAX + PAD
    return round(start + (end - start) * (value - low) / (high - low), 1)


def radius(votes: int, max_votes: int) -> float:
    if max_votes <= 0 or votes <= 0:
        return R_MIN
    return round(R_MIN + (R_MAX - R_MIN) * math.sqrt(votes / max_votes), 1)


def _order(group: dict[str, Any]) -> tuple:
    return (
        QUADRANT_ORDER.index(group["quadrant"]),
        -(group["impact"] + group["feasibility"]),
        -group["impact"],
        group["id"],
    )


def layout(groups: Iterable[dict[str, Any]], *, threshold: float) -> Matrix:
    """The matrix of ``groups`` (dicts with id, title, dimension, votes, impact,
    feasibility and raters, optionally origin; impact None = nobody rated it)."""
    groups = list(groups)
    rated = [
        {**g, "quadrant": quadrant(g["impact"], g["feasibility"], threshold)}
        for g in groups
        if g.get("impact") is not None and g.get("feasibility") is not None
    ]
    rated.sort(key=_order)
    max_votes = max((g.get("votes") or 0 for g in rated), default=0)
    dots = []
    for number, g in enumerate(rated, 1):
        spec = DIMENSION_BY_CODE.get(g.get("dimension") or "")
        dots.append(
            Dot(
                number=number,
                group_id=g["id"],
                title=g["title"],
                dimension=g.get("dimension"),
                letter=spec.letter if spec else "?",
                impact=g["impact"],
                feasibility=g["feasibility"],
                votes=g.get("votes") or 0,
                raters=g.get("raters") or 0,
                quadrant=g["quadrant"],
                cx=x_of(g["feasibility"]),
                cy=y_of(g["impact"]),
                r=radius(g.get("votes") or 0, max_votes),
                origin=g.get("origin"),
            )
        )
    return Matrix(
        width=WIDTH,
        height=HEIGHT,
        left=MARGIN_LEFT,
        top=MARGIN_TOP,
        right=WIDTH - MARGIN_RIGHT,
        bottom=HEIGHT - MARGIN_BOTTOM,
        threshold=threshold,
        threshold_x=x_of(threshold),
        threshold_y=y_of(threshold),
        ticks=tuple(Tick(v, x_of(v), y_of(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)),
        dots=tuple(dots),
        unrated=tuple(g for g in groups if g.get("impact") is None or g.get("feasibility") is None),
    )


def quick_wins_by_dimension(matrix: Matrix) -> dict[str, list[Dot]]:
    """The quick-win quadrant per dimension ('none' for uncategorised), best first;
    dimensions without a quick win are left out."""
    out: dict[str, list[Dot]] = {}
    for dot in matrix.dots:
        if dot.quadrant == Quadrant.quick_win.value:
            out.setdefault(dot.dimension or "none", []).append(dot)
    order = [*DIMENSION_BY_CODE, "none"]
    return {code: out[code] for code in order if code in out}
