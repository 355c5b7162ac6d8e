"""Grouping and dot voting (facilitator, and participants where the session allows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status

from app.deps import CurrentFacilitator, DbDep, any_participant, optional_facilitator, participant_only
from app.domain import Permission
from app.errors import Unauthorized
from app.models import Participant
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import DuplicateOut, GroupOut, GroupUpdate, IdeaMove, MoveOut, VoteIn, VoteOut
from app.services import duplicates, groups, sessions, votes
from app.services.groups import Actor

router = APIRouter(prefix="/api/v1", tags=["group and vote"], responses=errors(401, 403, 404, 409))

# One key per tap, made by the phone (a UUID does): printable ASCII, no spaces.
TapKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description="One key per tap (e.g. a UUID). The same key again, with the same group and action, "
        "gets the first answer (header `Idempotent-Replayed: true`) and gives or takes nothing; "
        "with another group or action it is a 422.",
    ),
]
REPLAYED = "Idempotent-Replayed"


def acting(request: Request, db) -> Actor:
    """The facilitator if logged in, else the participant behind the Bearer token."""
    facilitator = optional_facilitator(request, db)
    if facilitator is not None:
        return Actor(facilitator=facilitator)
    participant = any_participant(request, db)
    if participant is None:
        raise Unauthorized("Log in as a facilitator or join the session first.")
    return Actor(participant=participant)


Voter = Annotated[Participant, Depends(participant_only("Only participants vote; the facilitator has no dots."))]


@router.post("/ideas/{idea_id}/move", response_model=MoveOut)
def move_idea(idea_id: Id, body: IdeaMove, db: DbDep, request: Request) -> MoveOut:
    """Move an idea into another group (merge) or, with ``group_id: null``, into a
    new group of its own. Votes stay on the group they were cast on; a group left
    empty hands its votes to the target (merging two voted groups sums them)."""
    _idea, target, seq = groups.move_idea(db, actor=acting(request, db), idea_id=idea_id, group_id=body.group_id)
    return MoveOut(seq=seq, group_id=target.id)


@router.patch("/groups/{group_id}", response_model=GroupOut)
def update_group(group_id: Id, body: GroupUpdate, db: DbDep, request: Request) -> GroupOut:
    """Rename a group, set its dimension or SWOT quadrant, or (facilitator) its
    roadmap. Fields not sent stay as they are; null clears one."""
    group, seq = groups.update_group(
        db, actor=acting(request, db), group_id=group_id, **body.model_dump(mode="json", exclude_unset=True)
    )
    return GroupOut(**groups.group_out(group, seq))


@router.post(
    "/groups/{group_id}/votes",
    status_code=status.HTTP_201_CREATED,
    response_model=VoteOut,
    responses={200: {"model": VoteOut, "description": "`expected` did not match: no dot given, the current state"}},
)
def cast_vote(
    group_id: Id,
    db: DbDep,
    participant: Voter,
    response: Response,
    body: VoteIn | None = None,
    idempotency_key: TapKey = None,
) -> VoteOut:
    """Give one dot to this group: 201 and my dots after it.

    Without a body every request gives a dot. To retry safely (an answer lost to the
    network), send `{"expected": n}`, n = my dots on this group as I last saw them:
    if the server counts another number, the dot was already given (by the first
    try, or another tab), so nothing is written and the answer is 200 with the
    current state (`seq` = the session's newest event). Checked under the same lock
    as the budget: many identical requests at once give one dot.

    A phone that queued the tap offline cannot know what the server counts: it sends
    an `Idempotency-Key` header instead, one per tap. The same key again gets the
    first answer (201, the same body, `Idempotent-Replayed: true`) and gives no dot."""
    result = votes.cast(
        db,
        participant=participant,
        group_id=group_id,
        expected=body.expected if body else None,
        key=idempotency_key,
    )
    if not result.applied:
        response.status_code = status.HTTP_200_OK
    return _vote_out(result, response)


@router.delete("/groups/{group_id}/votes", response_model=VoteOut)
def retract_vote(
    group_id: Id,
    db: DbDep,
    participant: Voter,
    response: Response,
    body: VoteIn | None = None,
    idempotency_key: TapKey = None,
) -> VoteOut:
    """Take back one of my dots from this group.

    With `{"expected": n}` (my dots here as I last saw them, before taking one back)
    and another count on the server, nothing is taken back: the answer is the
    current state, so a retried take-back removes one dot, not two. An
    `Idempotency-Key` works as for giving a dot."""
    result = votes.retract(
        db,
        participant=participant,
        group_id=group_id,
        expected=body.expected if body else None,
        key=idempotency_key,
    )
    return _vote_out(result, response)


def _vote_out(result: votes.VoteResult, response: Response) -> VoteOut:
    if result.replayed:
        response.headers[REPLAYED] = "true"
    return VoteOut(
        group_id=result.group_id,
        my_votes_on_group=result.my_votes_on_group,
        votes_left=result.votes_left,
        seq=result.seq,
    )


@router.get("/sessions/{session_id}/duplicates", response_model=list[DuplicateOut], tags=["facilitator"])
def duplicate_suggestions(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> list[DuplicateOut]:
    """Likely duplicates (same dimension, similar text) to merge with one click."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id, permission=Permission.read)
    return [DuplicateOut(**s.__dict__) for s in duplicates.suggest(db, session_id=session_id)]
