"""Ideas: submitted from phones during brainstorm, each in a group of its own.

Lock order: every write locks the session row first (``sessions.locked``) and only
then reads and changes ideas. Writers to one session queue on that row, each sees
what the previous one committed, and none deadlocks. (Found on PostgreSQL: a hide
that updated the idea before the session deadlocked with a delete, and an edit
that read the idea before the lock wrote an ``idea.updated`` after its
``idea.deleted``; tests/live/test_event_log.py.)
"""

from __future__ import annotations

from datetime import timedelta
from types import EllipsisType

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import DIMENSION_BY_CODE, SWOT_CODES, Permission, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from app.models import Facilitator, Idea, IdeaGroup, Participant, Session, utcnow
from app.services import events, input_lock, moderation, sessions
from app.services.payloads import group_state, idea_public, new_group_state
from app.services.text import clean_text, shown

CLIENT_ID_MAX = 64
# Nobody in a room writes more than 30 ideas a minute by hand; a script does.
IDEAS_PER_MINUTE = 30


def check_swot(swot: str | None) -> str | None:
    swot = swot or None
    if swot is not None and swot not in SWOT_CODES:
        raise Invalid("Unknown SWOT quadrant %(code)s.", code=shown(swot))
    return swot


def check_dimension(dimension: str | None, sub_element: str | None) -> tuple[str | None, str | None]:
    dimension = dimension or None
    sub_element = sub_element or None
    if dimension is None:
        if sub_element is not None:
            raise Invalid("Choose a dimension before a sub-element.")
        return None, None
    spec = DIMENSION_BY_CODE.get(dimension)
    if spec is None:
        raise Invalid("Unknown dimension %(code)s.", code=shown(dimension))
    if sub_element is not None and sub_element not in {s.code for s in spec.sub_elements}:
        raise Invalid("Sub-element %(code)s does not belong to this dimension.", code=shown(sub_element))
    return dimension, sub_element


def _check_phase(session: Session, phase: Phase) -> None:
    if session.phase != phase.value:
        raise Conflict("Brainstorming is not open: ideas can only be sent during the brainstorm phase.")


def check_submit_open(session: Session) -> bool:
    """Whether an idea may be sent now (from a phone or by the scribe); returns whether
    it comes after the room session. In brainstorm the room's input lock applies; after it (see
    ``sessions.AFTER_SESSION_PHASES``) only the deadline does: the room's lock and
    timer ran the room, which has moved on, and clearing ``open_until`` is how the
    facilitator stops late ideas."""
    if session.phase == Phase.brainstorm.value:
        input_lock.check(session)
        return False
    if sessions.late_open(session):
        return True
    if session.open_until is not None and session.phase in sessions.AFTER_SESSION_PHASES:
        raise Conflict("The deadline for late ideas has passed.")
    _check_phase(session, Phase.brainstorm)
    return False


def find_by_client_id(db: Db, session_id: int, client_id: str) -> Idea | None:
    return db.scalar(select(Idea).where(col(Idea.session_id) == session_id, col(Idea.client_id) == client_id))


def submit(
    db: Db,
    *,
    participant: Participant,
    text: str,
    dimension: str | None = None,
    sub_element: str | None = None,
    client_id: str | None = None,
    swot: str | None = None,
    entered_by: Facilitator | None = None,
) -> tuple[Idea, int | None, bool]:
    """Returns (idea, seq, created). A repeated ``client_id`` returns the first idea
    unchanged with ``created=False``: a phone retrying on bad Wi-Fi never makes two.
    ``entered_by``: the scribe typing it for ``participant``, who has no phone
    (``app.services.scribe``); every other rule is the phone's."""
    if client_id is not None:
        client_id = client_id.strip()[:CLIENT_ID_MAX] or None
        if client_id is not None and not client_id.isprintable():
            # NUL or a lone surrogate cannot be stored (PostgreSQL refuses NUL): a 422,
            # not a 500. Clients send UUIDs; nothing legitimate is refused.
            raise Invalid("client_id must be printable text.")
    if client_id:
        existing = find_by_client_id(db, participant.session_id, client_id)
        if existing is not None:
            return _same_author(existing, participant, entered_by), None, False
    dimension, sub_element = check_dimension(dimension, sub_element)
    swot = check_swot(swot)
    try:
        with write_transaction(db):
            # Lock the session first, then look for the client id: a racing copy of this
            # submit waits on the lock and then finds the idea the winner committed.
            locked = sessions.locked(db, participant.session_id)
            if client_id:
                existing = find_by_client_id(db, participant.session_id, client_id)
                if existing is not None:
                    return _same_author(existing, participant, entered_by), None, False
            text = clean_text(text, field="Idea", max_length=locked.idea_max_length, multiline=True)
            after_session = check_submit_open(locked)
            _check_pace(db, participant)
            held_for = moderation.hold_reason(db, session=locked, text=text)
            group = IdeaGroup(session_id=participant.session_id, dimension=dimension, swot=swot)
            db.add(group)
            # Numbered before the idea is written, so its row carries its seq from the
            # INSERT on (one statement fewer than an UPDATE after the event).
            seq = events.number(db, session_id=participant.session_id, type="idea.created")
            idea = Idea(
                pending=held_for is not None,
                held_for=held_for,
                session_id=participant.session_id,
                group_id=group.id,
                participant_id=participant.id,
                client_id=client_id,
                text=text,
                dimension=dimension,
                sub_element=sub_element,
                swot=swot,
                after_session=after_session,
                entered_by_id=entered_by.id if entered_by else None,
                created_seq=seq,
            )
            db.add(idea)
            db.flush()
            events.append(
                db,
                session_id=participant.session_id,
                seq=seq,
                type="idea.created",
                payload={"idea": idea_public(idea, participant), **new_group_state(group)},
            )
    except IntegrityError:
        # Backstop: the unique (session_id, client_id) refused a second copy. With the
        # session row locked before the look-up above this should not happen, but if
        # it does the answer is still the idea that won, never a 500.
        existing = find_by_client_id(db, participant.session_id, client_id) if client_id else None
        if existing is None:
            raise
        return _same_author(existing, participant, entered_by), None, False
    return idea, seq, True


def _check_pace(db: Db, participant: Participant) -> None:
    """At most IDEAS_PER_MINUTE new ideas per participant (retries of one idea by
    client_id never count: they return before this)."""
    since = utcnow() - timedelta(minutes=1)
    recent = (
        db.scalar(
            select(func.count())
            .select_from(Idea)
            .where(col(Idea.participant_id) == participant.id, col(Idea.created_at) >= since)
        )
        or 0
    )
    if recent >= IDEAS_PER_MINUTE:
        raise TooManyRequests("You are sending ideas very fast. Wait a minute, then send the next one.", retry_after=60)


def _same_author(idea: Idea, participant: Participant, entered_by: Facilitator | None = None) -> Idea:
    if entered_by is not None:
        # A scribe's retry: the same scribe sent this client id before (for whichever
        # person: the form's id belongs to the attempt, not to the name typed).
        if idea.entered_by_id != entered_by.id:
            raise Conflict("This client_id was already used for another idea.")
        return idea
    if idea.participant_id != participant.id:
        # Another phone used this client id: never hand over someone else's idea.
        raise Conflict("This client_id was already used for another idea.")
    return idea


def _own_idea(db: Db, participant: Participant, idea_id: int) -> Idea:
    idea = db.get(Idea, idea_id, populate_existing=True)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    if idea.session_id != participant.session_id:
        raise Forbidden("You can only change ideas in the session you joined.")
    if idea.participant_id != participant.id:
        raise Forbidden("You can only change your own ideas.")
    return idea


def edit(
    db: Db,
    *,
    participant: Participant,
    idea_id: int,
    text: str | None = None,
    dimension: str | None | EllipsisType = ...,  # ...: unchanged
    sub_element: str | None | EllipsisType = ...,
    swot: str | None | EllipsisType = ...,
) -> tuple[Idea, int]:
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        idea = _own_idea(db, participant, idea_id)
        _check_phase(session, Phase.brainstorm)
        input_lock.check(session)
        if text is not None:
            new_text = clean_text(text, field="Idea", max_length=session.idea_max_length, multiline=True)
            if new_text != idea.text:
                # A new text is reviewed like a new idea: an approved idea edited into an
                # insult (or, under pre-moderation, edited at all) waits again.
                held_for = moderation.hold_reason(db, session=session, text=new_text)
                if held_for is not None:
                    idea.pending, idea.held_for = True, held_for
            idea.text = new_text
        new_dim = idea.dimension if dimension is ... else dimension
        new_sub = (idea.sub_element if new_dim == idea.dimension else None) if sub_element is ... else sub_element
        idea.dimension, idea.sub_element = check_dimension(new_dim, new_sub)
        if swot is not ...:
            idea.swot = check_swot(swot)
        idea.updated_at = utcnow()
        group = known(db, IdeaGroup, idea.group_id)
        if _group_size(db, group.id) == 1:
            group.dimension = idea.dimension  # a group of one follows its idea
            group.swot = idea.swot
        db.flush()
        seq = events.record(
            db,
            session_id=idea.session_id,
            type="idea.updated",
            payload={"idea": idea_public(idea, participant), **group_state(db, group)},
        )
    return idea, seq


def place_locked(db: Db, *, session: Session, idea: Idea, dimension: str, sub_element: str | None) -> int:
    """The facilitator gives an idea its dimension (and sub-element), inside a write
    transaction the caller holds with the session locked: an accepted suggestion.
    The same change and ``idea.updated`` as an edit from the phone, so every screen
    moves the idea as it does then; a group of one follows its idea."""
    idea.dimension, idea.sub_element = check_dimension(dimension, sub_element)
    idea.updated_at = utcnow()
    group = known(db, IdeaGroup, idea.group_id)
    if _group_size(db, group.id) == 1:
        group.dimension = idea.dimension
    return _record_change(db, idea, "idea.updated")


def _record_change(db: Db, idea: Idea, kind: str, author: Participant | None = None) -> int:
    """Flush a facilitator's change to one idea and record it: the idea whole (with
    its author) and its group's state, the payload every idea event carries."""
    db.flush()
    if author is None and idea.participant_id:
        author = db.get(Participant, idea.participant_id)
    group = known(db, IdeaGroup, idea.group_id)
    return events.record(
        db, session_id=idea.session_id, type=kind, payload={"idea": idea_public(idea, author), **group_state(db, group)}
    )


def _group_size(db: Db, group_id: int) -> int:
    return (
        db.scalar(select(func.count()).select_from(Idea).where(col(Idea.group_id) == group_id, ~col(Idea.deleted))) or 0
    )


def delete(db: Db, *, participant: Participant, idea_id: int) -> int:
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        idea = _own_idea(db, participant, idea_id)
        _check_phase(session, Phase.brainstorm)
        input_lock.check(session)
        idea.deleted = True
        idea.updated_at = utcnow()
        db.flush()
        return events.record(
            db, session_id=idea.session_id, type="idea.deleted", payload={"idea_id": idea.id, "group_id": idea.group_id}
        )


def set_hidden(db: Db, *, facilitator: Facilitator, idea_id: int, hidden: bool) -> tuple[Idea, int]:
    """Moderation: the facilitator hides an idea from the board (kept, and reversible).
    Hiding a held idea takes it off the queue; showing it again puts it back there
    (it is still not approved)."""
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=idea.session_id, permission=Permission.run)
    with write_transaction(db):
        sessions.locked(db, idea.session_id)
        idea = known(db, Idea, idea_id, populate_existing=True)
        if idea.deleted:  # deleted while we were checking access
            raise NotFound("Idea not found.")
        idea.hidden = hidden
        idea.updated_at = utcnow()
        seq = _record_change(db, idea, "idea.hidden")
    return idea, seq


def approve(db: Db, *, facilitator: Facilitator, idea_id: int) -> tuple[Idea, int | None]:
    """The facilitator lets a held idea onto the board: ``idea.approved`` carries it
    whole, so the projector and the phones add it as they add a new idea (its
    ``idea.created`` showed it to nobody but the facilitator and its author).
    Approving an idea that is not held changes nothing (seq None): two facilitators
    pressing at once, or a key pressed twice."""
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=idea.session_id, permission=Permission.run)
    with write_transaction(db):
        sessions.locked(db, idea.session_id)
        idea = known(db, Idea, idea_id, populate_existing=True)
        if idea.deleted:
            raise NotFound("Idea not found.")
        if not idea.pending:
            return idea, None
        idea.pending = False  # ``held_for`` stays: why it was held, for the record
        idea.updated_at = utcnow()
        seq = _record_change(db, idea, "idea.approved")
    return idea, seq


def hide_all_locked(db: Db, *, session_id: int, participant_id: int) -> list[int]:
    """Hide every idea of one participant that the room can still see, inside a write
    transaction the caller holds with the session locked (removing a prankster): one
    ``idea.hidden`` each, the same the console's hide records. Returns their seqs."""
    seqs = []
    author = known(db, Participant, participant_id)
    shown_ideas = db.scalars(
        select(Idea)
        .where(
            col(Idea.session_id) == session_id,
            col(Idea.participant_id) == participant_id,
            ~col(Idea.deleted),
            ~col(Idea.hidden),
        )
        .order_by(col(Idea.id))
    ).all()
    for idea in shown_ideas:
        idea.hidden = True
        idea.updated_at = utcnow()
        seqs.append(_record_change(db, idea, "idea.hidden", author))
    return seqs


def for_participant(db: Db, participant: Participant) -> list[Idea]:
    return list(
        db.scalars(
            select(Idea)
            .where(col(Idea.participant_id) == participant.id, ~col(Idea.deleted))
            .order_by(col(Idea.id).desc())
        )
    )


def get_in_session(db: Db, idea_id: int) -> Idea:
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    return idea
