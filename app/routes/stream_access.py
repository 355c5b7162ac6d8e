"""Who may follow a session live, decided in one place for every stream and for the
board's JSON: the JSON stream and ``GET …/board`` (facilitators of the workshop and
the session's participants), the projector and the console (facilitators of the
workshop), and a phone's page stream (that session's participant on this phone).

Refusals follow the rule of every route (``app/deps.py``): 401 without a usable
credential, 403 for a valid one of the wrong kind or session, 404 for a session of a
workshop that is not the facilitator's (as if it did not exist).
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request

from app.db import Db
from app.deps import (
    bearer_token,
    holds_facilitator_login,
    holds_participant_token,
    optional_facilitator,
    participant_for_session,
    require_facilitator,
)
from app.domain import Permission
from app.errors import Forbidden, NotFound, Unauthorized
from app.models import Session
from app.services import sessions
from app.services.audience import FACILITATOR, Audience, phone

Watching = Literal["json", "board", "console", "phone"]


def watcher(request: Request, db: Db, session_id: int, watching: Watching) -> tuple[Session, Audience]:
    """The session and who is looking, or the refusal."""
    if watching in ("board", "console"):
        facilitator = require_facilitator(optional_facilitator(request, db), request)
        watched = sessions.get_for_facilitator(
            db, facilitator=facilitator, session_id=session_id, permission=Permission.read
        )
        return watched, FACILITATOR
    session = db.get(Session, session_id)
    if session is None:
        raise NotFound("Session not found.")
    if watching == "phone":
        participant = participant_for_session(request, db, session_id)
        if participant is not None:
            return session, phone(participant.id)
        if holds_participant_token(request):
            raise Forbidden("You can only follow the session you joined.")
        if holds_facilitator_login(request, db):
            raise Forbidden("This is for participants: join the session from a phone.")
        raise Unauthorized("Join the session first.")
    signed_in = optional_facilitator(request, db)
    if signed_in is not None:
        sessions.get_for_facilitator(db, facilitator=signed_in, session_id=session_id, permission=Permission.read)
        return session, FACILITATOR
    participant = participant_for_session(request, db, session_id)
    if participant is not None:
        return session, phone(participant.id)
    # 403 only for a real participant token (of another session, or removed); an
    # unreadable or expired one is 401 like everywhere else, so the phone re-joins.
    token = bearer_token(request)
    if token and request.app.state.signer.read_participant(token) is not None:
        raise Forbidden("You can only follow the session you joined.")
    raise Unauthorized("Join the session first.")
