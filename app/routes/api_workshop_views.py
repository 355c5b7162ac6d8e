"""A workshop across its stages, for the facilitator: attendance, participation and
the roadmap (``app.services.attendance``, ``participation``, ``roadmap``). The same
views as HTML pages are ``app.routes.pages.workshop_views``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.deps import CurrentFacilitator, DbDep
from app.domain import Permission
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.services import attendance, participation, roadmap, sessions, workshops

router = APIRouter(prefix="/api/v1", tags=["masterplan"], responses=errors(401, 403, 404, 409))


@router.get("/workshops/{workshop_id}/attendance")
def workshop_attendance(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Who came to which stage: per stage, and a person × stage matrix."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    return attendance.for_workshop(db, workshop)


@router.get("/workshops/{workshop_id}/participation")
def workshop_participation(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Ideas, votes and ratings by organisation type and organisation; ideas per
    dimension and sub-element (who and what is not heard yet)."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    return participation.for_workshop(db, workshop)


@router.get("/sessions/{session_id}/participation")
def session_participation(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    return participation.for_sessions(db, [session.id])


@router.get("/workshops/{workshop_id}/roadmap")
def workshop_roadmap(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Programmes (groups with a horizon) on a 10-year timeline, by dimension and owner."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    return roadmap.for_workshop(db, workshop)
