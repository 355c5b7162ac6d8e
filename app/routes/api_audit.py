"""A workshop's audit log for its owner (``app.services.audit``): who did what, and
when, to the workshop's personal data or outcome; as JSON, or all of it as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.deps import CurrentFacilitator, DbDep
from app.domain import Permission
from app.exports import audit_log
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.routes.api_summary import filename_for
from app.routes.downloads import attachment
from app.schemas import AuditLogOut
from app.services import audit, workshops

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))


@router.get("/workshops/{workshop_id}/audit", response_model=AuditLogOut)
def audit_entries(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> AuditLogOut:
    """The newest 500 entries, newest first: downloads, people removed, names revealed,
    phase changes, erasures and deletions. The owner only (co-facilitators and scribes
    403). ``actor`` names the account as it is now: an erased account has no name left."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    return AuditLogOut.model_validate(
        {"entries": [e.public() for e in audit.for_workshop(db, workshop_id=workshop.id)]}
    )


@router.get(
    "/workshops/{workshop_id}/audit.csv",
    response_class=Response,
    responses={200: {"description": "Every entry, newest first, as an attachment", "content": {"text/csv": {}}}},
)
def audit_csv(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    """Every entry as CSV (UTF-8 with BOM, as the other CSV downloads). Downloading it is
    itself an entry."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    entries = [e.public() for e in audit.for_workshop(db, workshop_id=workshop.id, limit=None)]
    body = audit_log.to_csv(entries, timezone=request.app.state.settings.timezone)
    return attachment(
        db,
        body,
        media_type="text/csv; charset=utf-8",
        filename=filename_for(workshop.title, workshop.id, "csv", "audit-"),
        file="audit.csv",
        actor=facilitator,
        workshop_id=workshop.id,
        workshop=workshop,
    )
