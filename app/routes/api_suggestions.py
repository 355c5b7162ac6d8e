"""Suggested groups and dimensions for a session's ideas (the facilitator accepts
them; nothing changes before). Accepting is ordinary moves and edits, recorded as
``idea.moved``, ``group.updated`` and ``idea.updated``: every screen follows live."""

from __future__ import annotations

from fastapi import APIRouter

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import (
    ClusterOut,
    ClustersIn,
    ClustersOut,
    GroupOut,
    GroupsOut,
    GuessesOut,
    GuessOut,
    PlacedOut,
    PlacementsIn,
    PlacementsOut,
)
from app.services import groups, suggestions

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404, 409))


@router.get("/sessions/{session_id}/suggestions/groups", response_model=ClustersOut)
def suggested_groups(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> ClustersOut:
    """Proposed groups of the ideas nobody has grouped yet (alone in their group,
    without a title given), per dimension and, on a SWOT board, per quadrant. A group
    somebody made is never broken up. Brainstorm to results, like grouping."""
    clusters = suggestions.proposed_groups(db, facilitator=facilitator, session_id=session_id)
    return ClustersOut(
        clusters=[
            ClusterOut(title=c.title, dimension=c.dimension, idea_ids=list(c.idea_ids), why=list(c.why))
            for c in clusters
        ]
    )


@router.post("/sessions/{session_id}/suggestions/groups/apply", response_model=GroupsOut, responses=errors(422))
def apply_groups(session_id: Id, body: ClustersIn, db: DbDep, facilitator: CurrentFacilitator) -> GroupsOut:
    """Accept proposed groups (renamed, or with ideas taken out, as the facilitator
    decided): the other ideas of each move into its first idea's group, which takes
    the title. All or nothing: an idea grouped, hidden or deleted since is a 409."""
    proposals = suggestions.check_proposals([(c.title, c.idea_ids) for c in body.clusters])
    made = suggestions.apply_groups(db, facilitator=facilitator, session_id=session_id, proposals=proposals)
    return GroupsOut(groups=[GroupOut(**groups.group_out(group, seq)) for group, seq in made])


@router.get("/sessions/{session_id}/suggestions/dimensions", response_model=GuessesOut)
def suggested_dimensions(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> GuessesOut:
    """A proposed dimension and sub-element, with a confidence from 0 to 1, for each
    visible idea without a dimension, learned from the workshop's placed ideas."""
    guesses = suggestions.proposed_dimensions(db, facilitator=facilitator, session_id=session_id)
    return GuessesOut(ideas=[GuessOut(**g.__dict__) for g in guesses])


@router.post("/sessions/{session_id}/suggestions/dimensions/apply", response_model=PlacementsOut, responses=errors(422))
def apply_dimensions(session_id: Id, body: PlacementsIn, db: DbDep, facilitator: CurrentFacilitator) -> PlacementsOut:
    """Give ideas the dimensions accepted (one ``idea.updated`` each; a group of one
    follows its idea). All or nothing: an idea that got a dimension since, or was
    hidden or deleted, is a 409."""
    placements = suggestions.check_placements([(p.idea_id, p.dimension, p.sub_element) for p in body.ideas])
    placed = suggestions.apply_dimensions(db, facilitator=facilitator, session_id=session_id, placements=placements)
    return PlacementsOut(
        ideas=[
            PlacedOut(
                idea_id=idea.id,
                dimension=idea.dimension or "",
                sub_element=idea.sub_element,
                group_id=idea.group_id,
                seq=seq,
            )
            for idea, seq in placed
        ]
    )
