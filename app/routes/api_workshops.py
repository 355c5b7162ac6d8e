"""Facilitator API: workshops, stages' sessions, phases."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.deps import CurrentFacilitator, DbDep
from app.domain import Permission
from app.i18n import locale_from_request
from app.models import Session, Workshop
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import (
    PhaseChange,
    PhaseOut,
    SessionCreate,
    SessionOut,
    SessionUpdate,
    StageOut,
    WorkshopCreate,
    WorkshopOut,
    WorkshopUpdate,
)
from app.services import board as board_service
from app.services import deletion, focus, participants, privacy, retention, sessions, timer, workshops
from app.snapshots import after_erasure_in

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404, 409))


def workshop_out(db, request: Request, workshop: Workshop) -> WorkshopOut:
    return WorkshopOut(
        id=workshop.id,
        title=workshop.title,
        region=workshop.region,
        year=workshop.year,
        stages=[StageOut(id=s.id, number=s.number, title=s.title) for s in workshops.stages(db, workshop.id)],
        privacy_notice=workshop.privacy_notice,
        privacy_notice_effective=privacy.effective_notice(db, workshop, locale_from_request(request)),
        retention_days=workshop.retention_days,
        names_erased_on=retention.names_erased_on(db, workshop),
        names_erased_at=workshop.names_erased_at,
    )


def session_out(db, request: Request, session: Session) -> SessionOut:
    public_url = request.app.state.settings.public_url
    return SessionOut(
        **board_service.session_out(session, public_url),
        workshop_id=sessions.workshop_id_of(db, session),
        qr_url=f"{public_url.rstrip('/')}/j/{session.join_code}/qr.svg",
        timer=timer.public(session),
        focus=focus.public(db, session),
        participant_count=participants.count(db, session.id),
        last_seq=session.last_seq,
    )


@router.post("/workshops", status_code=status.HTTP_201_CREATED, response_model=WorkshopOut)
def create_workshop(body: WorkshopCreate, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> WorkshopOut:
    workshop = workshops.create_workshop(db, owner=facilitator, title=body.title, region=body.region, year=body.year)
    return workshop_out(db, request, workshop)


@router.get("/workshops", response_model=list[WorkshopOut])
def list_workshops(db: DbDep, facilitator: CurrentFacilitator, request: Request) -> list[WorkshopOut]:
    return [workshop_out(db, request, w) for w in workshops.list_workshops(db, facilitator=facilitator)]


@router.get("/workshops/{workshop_id}", response_model=WorkshopOut)
def get_workshop(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> WorkshopOut:
    return workshop_out(
        db,
        request,
        workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read),
    )


@router.delete("/workshops/{workshop_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_workshop(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    """Delete the workshop with every stage, session, participant, idea, vote, rating,
    signature, read-only link and its team; only its owner may (a co-facilitator or a
    scribe gets 403). It cannot be undone: download its archive first. Every open
    screen of its sessions ends (``event: end``, ``{"reason": "session_deleted"}``).
    The audit log keeps an entry of the deletion."""
    deletion.delete_workshop(db, facilitator=facilitator, workshop_id=workshop_id)
    after_erasure_in(request.app.state)  # older snapshots hold it still
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/workshops/{workshop_id}", response_model=WorkshopOut)
def update_workshop(
    workshop_id: Id, body: WorkshopUpdate, db: DbDep, facilitator: CurrentFacilitator, request: Request
) -> WorkshopOut:
    """The owner's privacy settings: the join page's notice and how long names are
    kept. A field left out stays as it is; a co-facilitator gets 403."""
    workshop = privacy.update(
        db, facilitator=facilitator, workshop_id=workshop_id, **body.model_dump(mode="json", exclude_unset=True)
    )
    return workshop_out(db, request, workshop)


@router.get("/stages/{stage_id}/sessions", response_model=list[SessionOut])
def list_sessions(stage_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> list[SessionOut]:
    stage = workshops.get_stage(db, facilitator=facilitator, stage_id=stage_id, permission=Permission.read)
    return [session_out(db, request, s) for s in sessions.list_for_stage(db, stage.id)]


@router.post("/stages/{stage_id}/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionOut)
def create_session(
    stage_id: Id, body: SessionCreate, db: DbDep, facilitator: CurrentFacilitator, request: Request
) -> SessionOut:
    session = sessions.create_session(
        db,
        facilitator=facilitator,
        stage_id=stage_id,
        **body.model_dump(mode="json"),
    )
    return session_out(db, request, session)


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> SessionOut:
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    return session_out(db, request, session)


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_session(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    """Delete the session with its participants, ideas, groups, votes, ratings,
    signatures, read-only links and event log; only the workshop's owner may. Groups a
    later session carried from it stay there, without the link back. Its join code
    stops working and every open screen of it ends (``event: end``,
    ``{"reason": "session_deleted"}``). The audit log keeps an entry of the deletion."""
    deletion.delete_session(db, facilitator=facilitator, session_id=session_id)
    after_erasure_in(request.app.state)  # older snapshots hold it still
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/sessions/{session_id}", response_model=SessionOut)
def update_session(
    session_id: Id, body: SessionUpdate, db: DbDep, facilitator: CurrentFacilitator, request: Request
) -> SessionOut:
    session, _seq = sessions.update_session(
        db, facilitator=facilitator, session_id=session_id, **body.model_dump(mode="json", exclude_unset=True)
    )
    return session_out(db, request, session)


@router.post("/sessions/{session_id}/phase", response_model=PhaseOut)
def change_phase(session_id: Id, body: PhaseChange, db: DbDep, facilitator: CurrentFacilitator) -> PhaseOut:
    session, seq = sessions.change_phase(db, facilitator=facilitator, session_id=session_id, phase=body.phase.value)
    return PhaseOut(id=session.id, phase=session.phase, seq=seq)
