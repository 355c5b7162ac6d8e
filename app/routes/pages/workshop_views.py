"""A workshop across its four stages, for the facilitator: the roadmap
(programmes on the 10-year timeline, by dimension and by owner), attendance (who
came to which stage) and participation and coverage (who is heard, what is still
empty). Read-only pages built from the same services as the JSON API and the
masterplan download, so the three always agree.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import DIMENSIONS, Permission
from app.models import Workshop
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.rendering import MASTERPLAN_LABELS, render
from app.services import attendance, participation, roadmap, sessions, workshops

router = APIRouter(prefix="/console/workshops/{workshop_id}")


def _context(facilitator, workshop: Workshop, **extra: Any) -> dict[str, Any]:
    return {"facilitator": facilitator, "workshop": workshop, **MASTERPLAN_LABELS, **extra}


# --- roadmap -----------------------------------------------------------------------------------


@router.get("/roadmap")
def roadmap_page(workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    data = roadmap.for_workshop(db, workshop)
    years = list(range(data["start_year"], data["end_year"] + 1))
    programmes = [_with_bar(p, years) for p in data["programmes"]]
    by_id = {p["group_id"]: p for p in programmes}
    by_dimension: list[dict[str, Any]] = [
        {"code": spec.code, "programmes": [by_id[g] for g in data["by_dimension"][spec.code]]} for spec in DIMENSIONS
    ]
    uncategorised = [p for p in programmes if p["dimension"] is None]
    if uncategorised:
        by_dimension.append({"code": None, "programmes": uncategorised})
    by_owner = [{"owner": row["owner"], "programmes": [by_id[g] for g in row["group_ids"]]} for row in data["by_owner"]]
    return render(
        request,
        "pages/roadmap.html",
        _context(
            facilitator,
            workshop,
            years=years,
            programmes=programmes,
            by_dimension=by_dimension,
            by_owner=by_owner,
            quick_wins=sum(1 for p in programmes if p["quick_win"]),
        ),
    )


def _with_bar(programme: dict[str, Any], years: list[int]) -> dict[str, Any]:
    """Where the programme's bar sits on the timeline: empty years before it, its
    length, empty years after (table cells, so it prints as it shows). The trail of
    stages it came through, oldest first, for the lineage label."""
    out = dict(programme)
    start, end = programme["start_year"], programme["end_year"]
    if start is None or end is None:
        out["bar"] = None
    else:
        first = max(0, min(len(years), start - years[0]))
        last = max(first, min(len(years) - 1, end - years[0]))
        out["bar"] = {"before": first, "span": last - first + 1, "after": len(years) - last - 1}
    out["trail"] = list(reversed(programme["lineage"]))
    return out


# --- attendance -----------------------------------------------------------------------------------


@router.get("/attendance")
def attendance_page(workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    data = attendance.for_workshop(db, workshop)
    return render(
        request,
        "pages/attendance.html",
        _context(
            facilitator,
            workshop,
            data=data,
            different_offices=sum(1 for office in data["organizations"] if office["different_people"]),
        ),
    )


# --- participation and coverage ----------------------------------------------------------------------


@router.get("/participation")
def participation_page(
    workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, session: str = ""
) -> Response:
    """The whole workshop, or one session (``?session=<id>``); below, every session's
    ideas per dimension so a gap in one stage shows next to the others."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    stages: list[dict[str, Any]] = [
        {"stage": stage, "sessions": sessions.list_for_stage(db, stage.id)}
        for stage in workshops.stages(db, workshop.id)
    ]
    all_sessions = [s for block in stages for s in block["sessions"]]
    chosen = next((s for s in all_sessions if str(s.id) == session.strip()), None)
    status_code = 404 if session.strip() and chosen is None else 200
    data = participation.for_sessions(db, [chosen.id]) if chosen else participation.for_workshop(db, workshop)
    per_session = []
    for block in stages:
        for item in block["sessions"]:
            coverage = participation.for_sessions(db, [item.id])["coverage"]
            per_session.append(
                {
                    "session": item,
                    "stage": block["stage"],
                    "ideas": {row["dimension"]: row["ideas"] for row in coverage},
                }
            )
    return render(
        request,
        "pages/participation.html",
        _context(
            facilitator,
            workshop,
            data=data,
            stages=stages,
            chosen=chosen,
            per_session=per_session,
            unknown_session=status_code == 404,
        ),
        status_code=status_code,
    )
