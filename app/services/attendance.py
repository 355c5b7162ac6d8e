"""Attendance across a workshop's stages: who joined any session of each stage,
and a person × stage matrix showing who came to every stage and which
organisations sent different people to different stages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import Participant, Session, Stage, Workshop, iso
from app.services import people
from app.services.people import type_label


def for_workshop(db: Db, workshop: Workshop) -> dict[str, Any]:
    rows = db.execute(
        select(Participant, col(Stage.number))
        .join(Session, col(Session.id) == col(Participant.session_id))
        .join(Stage, col(Stage.id) == col(Session.stage_id))
        .where(col(Stage.workshop_id) == workshop.id, ~col(Participant.removed))
        .order_by(col(Participant.joined_at), col(Participant.id))
    ).all()
    stages = list(db.scalars(select(Stage).where(col(Stage.workshop_id) == workshop.id).order_by(col(Stage.number))))
    persons: dict[tuple[str, str], dict[str, Any]] = {}
    per_stage: dict[int, dict[tuple[str, str], dict[str, Any]]] = {s.number: {} for s in stages}
    for participant, number in rows:
        pkey = people.person_key(participant.name, participant.organization)
        if participant.erased_at is not None:  # nameless now: never one person with every other erased one
            pkey = ("", f"#{participant.id}")
        person = persons.setdefault(
            pkey,
            {
                "name": participant.name,
                "organization": participant.organization,
                "organization_type": participant.organization_type,
                "organization_type_label": type_label(participant.organization_type),
                "first_seen": iso(participant.joined_at),
                "stages": [],
            },
        )
        if number not in person["stages"]:
            person["stages"].append(number)
        per_stage[number].setdefault(
            pkey,
            {
                "name": participant.name,
                "organization": participant.organization,
                "organization_type": participant.organization_type,
                "organization_type_label": type_label(participant.organization_type),
                "first_seen": iso(participant.joined_at),
            },
        )
    held = [s.number for s in stages if per_stage[s.number]]  # stages anyone attended
    for person in persons.values():
        person["stages"].sort()
        person["every_stage"] = bool(held) and person["stages"] == held
    return {
        "stages": [
            {
                "id": s.id,
                "number": s.number,
                "title": s.title,
                "count": len(per_stage[s.number]),
                "people": list(per_stage[s.number].values()),
            }
            for s in stages
        ],
        "stage_numbers": [s.number for s in stages],
        "people": sorted(persons.values(), key=lambda p: (people.key(p["organization"]), people.key(p["name"]))),
        "every_stage_count": sum(1 for p in persons.values() if p["every_stage"]),
        "organizations": _organizations(persons, per_stage),
    }


def _organizations(persons: dict, per_stage: dict) -> list[dict[str, Any]]:
    """Per office: who it sent to each stage, and whether those were different
    people (continuity matters: the Tahap IV signatory should know Tahap I)."""
    offices: dict[str, dict[str, Any]] = {}
    for number, attendees in per_stage.items():
        for (_name_key, org_key), person in attendees.items():
            office = offices.setdefault(org_key, {"organization": person["organization"], "people_by_stage": {}})
            office["people_by_stage"].setdefault(str(number), []).append(person["name"])
    out = []
    for office in offices.values():
        sets = [frozenset(people.key(n) for n in names) for names in office["people_by_stage"].values()]
        office["stages"] = sorted(int(n) for n in office["people_by_stage"])
        office["different_people"] = len(sets) > 1 and len(set(sets)) > 1
        out.append(office)
    return sorted(out, key=lambda o: people.key(o["organization"]))
