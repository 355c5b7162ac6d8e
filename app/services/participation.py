"""Participation and coverage: who is heard and what is covered.

Per session or workshop: ideas, votes and ratings by organisation type and by
organisation, and ideas per dimension and sub-element, so the facilitator sees
which dimension or which group of participants is not heard yet. Ideas are the
participants' own submissions (carried-forward copies have no author and would
count a Tahap I voice twice); hidden and deleted ideas do not count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import DIMENSIONS, OrganizationType
from app.models import Idea, Participant, Score, Session, Stage, Vote, Workshop
from app.services import people
from app.services.people import type_label

COUNTS = ("participants", "ideas", "votes", "ratings")


def for_workshop(db: Db, workshop: Workshop) -> dict[str, Any]:
    session_ids = list(
        db.scalars(
            select(col(Session.id))
            .join(Stage, col(Stage.id) == col(Session.stage_id))
            .where(col(Stage.workshop_id) == workshop.id)
        )
    )
    return for_sessions(db, session_ids)


def for_sessions(db: Db, session_ids: list[int]) -> dict[str, Any]:
    participants = list(
        db.scalars(select(Participant).where(col(Participant.session_id).in_(session_ids), ~col(Participant.removed)))
    )
    per_participant = {p.id: dict.fromkeys(COUNTS[1:], 0) for p in participants}
    for column, participant_id, session_id, extra in (
        (
            "ideas",
            col(Idea.participant_id),
            col(Idea.session_id),
            (~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending)),
        ),
        ("votes", col(Vote.participant_id), col(Vote.session_id), ()),
        ("ratings", col(Score.participant_id), col(Score.session_id), ()),
    ):
        rows = db.execute(
            select(participant_id, func.count())
            .where(session_id.in_(session_ids), participant_id.is_not(None), *extra)
            .group_by(participant_id)
        ).all()
        for pid, n in rows:
            if pid in per_participant:
                per_participant[pid][column] = n

    by_type = {t.value: dict.fromkeys(COUNTS, 0) for t in OrganizationType}
    by_org: dict[str, dict[str, Any]] = {}
    for p in participants:
        counts = per_participant[p.id]
        for target in (
            by_type.setdefault(p.organization_type, dict.fromkeys(COUNTS, 0)),
            by_org.setdefault(
                people.key(p.organization),
                {"organization": p.organization, "organization_type": p.organization_type, **dict.fromkeys(COUNTS, 0)},
            ),
        ):
            target["participants"] += 1
            for key, n in counts.items():
                target[key] += n
    return {
        "totals": {key: sum(row[key] for row in by_type.values()) for key in COUNTS},
        "by_type": [{"type": code, "label": type_label(code), **row} for code, row in by_type.items()],
        "by_organization": sorted(
            by_org.values(), key=lambda r: (-r["ideas"], -r["participants"], people.key(r["organization"]))
        ),
        "coverage": _coverage(db, session_ids),
    }


def _coverage(db: Db, session_ids: list[int]) -> list[dict[str, Any]]:
    """Ideas per dimension and sub-element; every dimension and sub-element is
    listed, with 0 where nobody spoke, since the gaps are the point."""
    rows = db.execute(
        select(col(Idea.dimension), col(Idea.sub_element), func.count())
        .where(
            col(Idea.session_id).in_(session_ids),
            ~col(Idea.deleted),
            ~col(Idea.hidden),
            ~col(Idea.pending),
            col(Idea.participant_id).is_not(None),
        )
        .group_by(col(Idea.dimension), col(Idea.sub_element))
    ).all()
    counts = {(d, s): n for d, s, n in rows}
    out = []
    for spec in DIMENSIONS:
        subs = [
            {"code": sub.code, "name": sub.name_id, "ideas": counts.get((spec.code, sub.code), 0)}
            for sub in spec.sub_elements
        ]
        total = sum(n for (d, _s), n in counts.items() if d == spec.code)
        out.append(
            {
                "dimension": spec.code,
                "name": spec.name,
                "letter": spec.letter,
                "ideas": total,
                "without_sub_element": counts.get((spec.code, None), 0),
                "sub_elements": subs,
            }
        )
    out.append(
        {
            "dimension": "none",
            "name": "Belum dikategorikan",
            "letter": "–",
            "ideas": sum(n for (d, _s), n in counts.items() if d is None),
            "without_sub_element": 0,
            "sub_elements": [],
        }
    )
    return out
