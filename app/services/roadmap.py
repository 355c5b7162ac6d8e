"""The roadmap: a workshop's programmes on a 10-year timeline, by dimension and owner.

A programme is a group the facilitator gave a horizon (or marked a quick win).
A group carried forward into a later stage and planned again there is one
programme, not two: the latest plan (the descendant) stands for its ancestors.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from app.db import Db
from app.domain import DIMENSIONS, HORIZON_YEARS, ROADMAP_YEARS
from app.models import Idea, IdeaGroup, Session, Stage, Workshop
from app.services import lineage, ratings, tallies

HORIZON_ORDER = {"short": 0, "medium": 1, "long": 2, None: 3}
DIMENSION_ORDER = {d.code: n for n, d in enumerate(DIMENSIONS)}


def programmes(db: Db, workshop: Workshop) -> list[dict[str, Any]]:
    rows = db.execute(
        select(IdeaGroup, Session, Stage)
        .join(Session, col(Session.id) == col(IdeaGroup.session_id))
        .join(Stage, col(Stage.id) == col(Session.stage_id))
        .where(
            col(Stage.workshop_id) == workshop.id, or_(col(IdeaGroup.horizon).is_not(None), col(IdeaGroup.quick_win))
        )
    ).all()
    groups = {g.id: (g, s, st) for g, s, st in rows}
    # Groups that still show on their board (a group merged away has no ideas left).
    shown = (
        set(
            db.scalars(
                select(col(Idea.group_id)).where(
                    col(Idea.group_id).in_(list(groups)), ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending)
                )
            )
        )
        if groups
        else set()
    )
    superseded = set()
    for gid in groups:
        group = groups[gid][0]
        if gid in shown:
            for step in lineage.chain(db, group):
                superseded.add(step["group_id"])
    out = []
    sessions_seen: dict[int, tuple[dict, dict]] = {}
    for gid, (group, session, stage) in groups.items():
        if gid not in shown or gid in superseded:
            continue
        if session.id not in sessions_seen:
            sessions_seen[session.id] = (tallies.for_session(db, session.id), ratings.for_session(db, session.id))
        counts, rated = sessions_seen[session.id]
        title = group.title or db.scalar(
            select(col(Idea.text))
            .where(col(Idea.group_id) == gid, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
            .order_by(col(Idea.id))
            .limit(1)
        )
        score = rated.get(str(gid), {})
        years = HORIZON_YEARS.get(group.horizon or "", 0)
        out.append(
            {
                "group_id": gid,
                "session_id": session.id,
                "session_title": session.title,
                "stage_number": stage.number,
                "title": title,
                "dimension": group.dimension,
                "sub_element": group.sub_element,
                "horizon": group.horizon,
                "start_year": workshop.year if years else None,
                "end_year": workshop.year + years - 1 if years else None,
                "owner": group.owner,
                "budget_source": group.budget_source,
                "quick_win": group.quick_win,
                "votes": counts.get(str(gid), 0),
                "impact": score.get("impact"),
                "feasibility": score.get("feasibility"),
                "raters": score.get("raters", 0),
                "quadrant": ratings.quadrant(
                    score.get("impact"), score.get("feasibility"), session.quick_win_threshold
                ),
                "lineage": lineage.chain(db, group),
            }
        )
    out.sort(
        key=lambda p: (
            DIMENSION_ORDER.get(p["dimension"], 99),
            HORIZON_ORDER.get(p["horizon"], 3),
            -p["votes"],
            p["group_id"],
        )
    )
    return out


def for_workshop(db: Db, workshop: Workshop) -> dict[str, Any]:
    items = programmes(db, workshop)
    by_owner: dict[str, list[int]] = {}
    for p in items:
        by_owner.setdefault(p["owner"] or "", []).append(p["group_id"])
    return {
        "start_year": workshop.year,
        "end_year": workshop.year + ROADMAP_YEARS - 1,
        "programmes": items,
        "by_dimension": {d.code: [p["group_id"] for p in items if p["dimension"] == d.code] for d in DIMENSIONS},
        "by_owner": [
            {"owner": owner or None, "group_ids": ids}
            for owner, ids in sorted(by_owner.items(), key=lambda kv: (kv[0] == "", kv[0].casefold()))
        ],
    }
