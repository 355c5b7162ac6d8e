"""Facilitator API for running the room: the timer, the focus, the projector's pages
and the word cloud (the settings that lock input, hide the board or switch its view
are on ``PATCH /api/v1/sessions/{id}``, ``app.routes.api_workshops``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.deps import CurrentFacilitator, DbDep
from app.domain import Permission
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import FocusIn, FocusOut, PageTurnIn, SeqOut, TimerIn, TimerOut, WordCloudOut
from app.services import focus, sessions, timer, wordcloud

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404, 409))


@router.put("/sessions/{session_id}/timer", response_model=TimerOut)
def change_timer(session_id: Id, body: TimerIn, db: DbDep, facilitator: CurrentFacilitator) -> TimerOut:
    """Start (``seconds`` required), pause, resume, add time (``seconds``, default 60)
    or stop. One absolute end time: ``server_now`` lets a screen correct its clock. A
    repeat that changes nothing (pausing a paused timer) answers the same state."""
    shown, _seq = timer.change(
        db, facilitator=facilitator, session_id=session_id, action=body.action, seconds=body.seconds
    )
    return TimerOut(**shown)


@router.put("/sessions/{session_id}/focus", response_model=FocusOut)
def change_focus(session_id: Id, body: FocusIn, db: DbDep, facilitator: CurrentFacilitator) -> FocusOut:
    """Show one group or one idea large on the projector (phones show a banner);
    both null clears it."""
    shown, _seq = focus.set_focus(
        db, facilitator=facilitator, session_id=session_id, group_id=body.group_id, idea_id=body.idea_id
    )
    return FocusOut(**shown)


@router.post("/sessions/{session_id}/board/page", response_model=SeqOut)
def turn_page(session_id: Id, body: PageTurnIn, db: DbDep, facilitator: CurrentFacilitator) -> SeqOut:
    """The presenter remote's ‹ / ›: the projector shows its previous or next page."""
    return SeqOut(seq=focus.turn_page(db, facilitator=facilitator, session_id=session_id, step=body.step))


@router.get("/sessions/{session_id}/wordcloud", response_model=WordCloudOut)
def word_cloud(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> WordCloudOut:
    """The 100 most frequent words of the session's visible ideas (Indonesian and
    English stop words removed, words normalised), most frequent first."""
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    return WordCloudOut(words=wordcloud.words(db, session_id=session.id))
