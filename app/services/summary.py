"""The session summary: one data structure that every export format renders."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from app.db import Db
from app.domain import DIMENSIONS, ORGANIZATION_TYPE_LABELS, OrganizationType
from app.models import Facilitator, Participant, Session, Stage, Workshop, iso, utcnow
from app.services import board as board_service


def session_summary(db: Db, *, session: Session, public_url: str) -> dict[str, Any]:
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    owner = db.get(Facilitator, workshop.owner_id)
    rows = board_service.ideas_for_export(db, session)
    people = list(
        db.scalars(
            select(Participant).where(Participant.session_id == session.id, ~Participant.removed).order_by(Participant.id)
        )
    )
    by_type = Counter(p.organization_type for p in people)
    by_org = Counter(p.organization for p in people)
    dimensions = []
    for spec in (*DIMENSIONS, None):
        code = spec.code if spec else None
        sub_names = {s.code: s.name_id for s in spec.sub_elements} if spec else {}
        items = [
            {
                "id": idea.id,
                "text": idea.text,
                "sub_element": idea.sub_element,
                "sub_element_name": sub_names.get(idea.sub_element or "", None),
                "author": author.name if author else None,
                "organization": author.organization if author else None,
                "organization_type": author.organization_type if author else None,
                "created_at": iso(idea.created_at),
                "hidden": idea.hidden,
                "group_id": idea.group_id,
            }
            for idea, author in rows
            if idea.dimension == code
        ]
        dimensions.append({"code": code or "none", "name": spec.name if spec else "Belum dikategorikan", "ideas": items})
    return {
        "workshop": {"id": workshop.id, "title": workshop.title, "region": workshop.region, "year": workshop.year},
        "stage": {"id": stage.id, "number": stage.number, "title": stage.title},
        "session": board_service.session_out(session, public_url),
        "facilitator": owner.name if owner else None,
        "generated_at": iso(utcnow()),
        "idea_count": len(rows),
        "participant_count": len(people),
        "participants_by_type": [
            {"type": t.value, "label": ORGANIZATION_TYPE_LABELS[t.value], "count": by_type.get(t.value, 0)}
            for t in OrganizationType
        ],
        "participants_by_organization": [{"organization": o, "count": c} for o, c in sorted(by_org.items())],
        "participants": [
            {
                "name": p.name,
                "organization": p.organization,
                "organization_type": p.organization_type,
                "joined_at": iso(p.joined_at),
            }
            for p in people
        ],
        "dimensions": dimensions,
    }
