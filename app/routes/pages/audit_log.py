"""A workshop's audit log for its owner ("Log audit"): the newest entries as a table
in the venue's time, each action under its translated label, and the whole log as CSV
(``GET /api/v1/workshops/{id}/audit.csv``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Permission
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.rendering import render
from app.services import audit, workshops

router = APIRouter(prefix="/console/workshops/{workshop_id}")


@router.get("/audit")
def audit_page(workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    entries = audit.for_workshop(db, workshop_id=workshop.id)
    return render(
        request,
        "pages/audit_log.html",
        {
            "facilitator": facilitator,
            "workshop": workshop,
            "entries": entries,
            "listed": audit.LISTED,
            "action_labels": audit.ACTION_LABELS,
        },
    )
