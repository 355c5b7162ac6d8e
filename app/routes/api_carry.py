"""Carrying groups forward: a later stage's session starts from the groups an earlier
session of the same workshop produced (``app.services.carry``; the console's form is
``app.routes.pages.carry_forward``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import ImportIn, ImportOut
from app.services import carry

router = APIRouter(prefix="/api/v1", tags=["masterplan"], responses=errors(401, 403, 404, 409))


@router.post("/sessions/{session_id}/import", status_code=status.HTTP_201_CREATED, response_model=ImportOut)
def import_groups(session_id: Id, body: ImportIn, db: DbDep, facilitator: CurrentFacilitator) -> ImportOut:
    """Carry groups forward from an earlier session of the same workshop: all of
    them, the ``top`` N by votes, or the ``group_ids`` picked. A group already
    carried into this session is not copied twice (its entry names the copy)."""
    imported, seq = carry.import_groups(
        db,
        facilitator=facilitator,
        session_id=session_id,
        source_session_id=body.source_session_id,
        group_ids=body.group_ids,
        top=body.top,
    )
    return ImportOut(imported=[i.__dict__ for i in imported], seq=seq)
