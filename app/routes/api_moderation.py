"""Facilitator API for moderation: approving a held idea, and a workshop's word filter.
(Hiding is ``POST /ideas/{id}/visibility``; removing someone with all their ideas is
``DELETE /participants/{id}?hide_ideas=true``, both in ``api_participation``.)"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_participation import idea_out
from app.routes.api_responses import errors
from app.schemas import IdeaOut
from app.services import ideas, moderation
from app.services.word_filter import MAX_WORD_LENGTH, MAX_WORDS

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404, 409))


class WordFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(
        max_length=MAX_WORDS,
        description=f"At most {MAX_WORDS} words or short phrases of at most {MAX_WORD_LENGTH} characters; an idea "
        "containing one (whatever its case, accents, digits for letters, repeated letters, or a common ending) waits "
        "for approval. Blank entries and repeats are dropped; an empty list holds nothing.",
    )


@router.post("/ideas/{idea_id}/approve", response_model=IdeaOut)
def approve_idea(idea_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> IdeaOut:
    """Let a held idea onto the board and the phones (owner and co-facilitators). `seq`
    is null when it was not held (approved already): nothing changed."""
    idea, seq = ideas.approve(db, facilitator=facilitator, idea_id=idea_id)
    return idea_out(idea, seq)


@router.get("/workshops/{workshop_id}/word-filter", response_model=WordFilter)
def get_word_filter(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> WordFilter:
    """The workshop's word filter (a short Indonesian and English list until edited)."""
    return WordFilter(words=moderation.filter_words(db, facilitator=facilitator, workshop_id=workshop_id))


@router.put("/workshops/{workshop_id}/word-filter", response_model=WordFilter)
def put_word_filter(workshop_id: Id, body: WordFilter, db: DbDep, facilitator: CurrentFacilitator) -> WordFilter:
    """Replace the word filter; it holds the ideas sent from now on."""
    words = moderation.set_filter_words(db, facilitator=facilitator, workshop_id=workshop_id, entries=body.words)
    return WordFilter(words=words)
