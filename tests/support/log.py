"""The event log as the stream serves it: the stored events after a seq, and their
rendering for one audience."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Event
from app.services import board as board_service
from app.services.audience import Audience


def events_after(app, session_id: int, seq: int) -> list[Event]:
    with app.state.sessions() as db:
        return list(
            db.scalars(select(Event).where(Event.session_id == session_id, Event.seq > seq).order_by(Event.seq))
        )


def rendered(rows: list[Event], snapshot: dict, audience: Audience) -> list[tuple[str, dict, int]]:
    """The stream's rendering of stored events for one audience (``app.routes.api_live``)."""
    view = board_service.EventView.for_session(audience, snapshot["session"])
    return [(row.type, {"seq": row.seq, **view.render(row.type, row.payload)}, row.seq) for row in rows]


def all_seqs(app, session_id: int) -> list[int]:
    with app.state.sessions() as db:
        return list(db.scalars(select(Event.seq).where(Event.session_id == session_id).order_by(Event.seq)))
