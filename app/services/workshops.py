"""Workshops, their four stages and six dimensions, and who may see them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import DIMENSIONS, ROLE_PERMISSIONS, STAGES, Permission, Role
from app.errors import Forbidden, Invalid, NotFound
from app.models import Dimension, Facilitator, Stage, SubElement, Workshop, WorkshopMember
from app.services.text import clean_text

# What a role that lacks the permission is told: what they may do, and who can do the rest.
REFUSALS = {
    Role.scribe: "A scribe (notulis) can only enter ideas and read the console; "
    "ask the workshop's owner or a co-facilitator to do this.",
    Role.co_facilitator: "Only the workshop's owner can do this (its team and deleting).",
}


def create_workshop(db: Db, *, owner: Facilitator, title: str, region: str, year: int) -> Workshop:
    title = clean_text(title, field="Title", max_length=200)
    region = clean_text(region, field="Region", max_length=120)
    if not 2000 <= int(year) <= 2100:
        raise Invalid("Year must be between 2000 and 2100.")
    with write_transaction(db):
        workshop = Workshop(title=title, region=region, year=int(year), owner_id=owner.id)
        db.add(workshop)
        db.flush()
        for stage_spec in STAGES:
            db.add(Stage(workshop_id=workshop.id, number=stage_spec.number, title=stage_spec.title))
        for position, spec in enumerate(DIMENSIONS):
            dim = Dimension(
                workshop_id=workshop.id, code=spec.code, name=spec.name, letter=spec.letter, position=position
            )
            db.add(dim)
            db.flush()
            for sub_pos, sub in enumerate(spec.sub_elements):
                db.add(
                    SubElement(
                        dimension_id=dim.id, code=sub.code, name_id=sub.name_id, name_en=sub.name_en, position=sub_pos
                    )
                )
    return workshop


def _visible_to(facilitator: Facilitator):
    member_of = select(col(WorkshopMember.workshop_id)).where(col(WorkshopMember.facilitator_id) == facilitator.id)
    return or_(col(Workshop.owner_id) == facilitator.id, col(Workshop.id).in_(member_of))


def list_workshops(db: Db, *, facilitator: Facilitator) -> list[Workshop]:
    return list(db.scalars(select(Workshop).where(_visible_to(facilitator)).order_by(col(Workshop.id).desc())))


def permit(role: Role | None, permission: Permission, *, missing: str = "Workshop not found.") -> Role:
    """The one decision of who may do what in a workshop (``app.domain.ROLE_PERMISSIONS``):
    not in the team, 404 with ``missing`` (a 403 would confirm that the id exists); in
    the team without ``permission``, 403 saying what their role may do."""
    if role is None:
        raise NotFound(missing)
    if permission not in ROLE_PERMISSIONS[role]:
        raise Forbidden(REFUSALS.get(role, "Only the workshop's owner can do this (its team and deleting)."))
    return role


def require(
    db: Db, *, facilitator: Facilitator, workshop_id: int, permission: Permission, missing: str = "Workshop not found."
) -> Role:
    """The caller's role in the workshop if it allows ``permission``; 404 or 403 otherwise
    (``permit``). Every facilitator route and service asks here, directly or through
    ``get_workshop``, ``get_stage`` and ``sessions.get_for_facilitator``."""
    return permit(role_of(db, facilitator=facilitator, workshop_id=workshop_id), permission, missing=missing)


def may(db: Db, *, facilitator: Facilitator, workshop_id: int) -> frozenset[Permission]:
    """What the caller may do in the workshop (nothing outside its team): for pages that
    show only the controls a role can use."""
    role = role_of(db, facilitator=facilitator, workshop_id=workshop_id)
    return ROLE_PERMISSIONS[role] if role is not None else frozenset()


def refusal_for(permissions: frozenset[Permission]) -> str:
    """What a page tells a member whose role cannot run sessions (a msgid)."""
    role = next((r for r, granted in ROLE_PERMISSIONS.items() if granted == permissions), Role.scribe)
    return REFUSALS.get(role, REFUSALS[Role.scribe])


def get_workshop(
    db: Db, *, facilitator: Facilitator, workshop_id: int, permission: Permission = Permission.run
) -> Workshop:
    """The workshop if this facilitator is in its team with ``permission`` (``require``)."""
    require(db, facilitator=facilitator, workshop_id=workshop_id, permission=permission)
    workshop = db.get(Workshop, workshop_id)
    if workshop is None:  # deleted between the two reads
        raise NotFound("Workshop not found.")
    return workshop


def stages(db: Db, workshop_id: int) -> list[Stage]:
    return list(db.scalars(select(Stage).where(col(Stage.workshop_id) == workshop_id).order_by(col(Stage.number))))


def get_stage(db: Db, *, facilitator: Facilitator, stage_id: int, permission: Permission = Permission.run) -> Stage:
    stage = db.get(Stage, stage_id)
    if stage is None:
        raise NotFound("Stage not found.")
    require(
        db, facilitator=facilitator, workshop_id=stage.workshop_id, permission=permission, missing="Stage not found."
    )
    return stage


def dimensions(db: Db, workshop_id: int) -> list[tuple[Dimension, list[SubElement]]]:
    dims = list(
        db.scalars(select(Dimension).where(col(Dimension.workshop_id) == workshop_id).order_by(col(Dimension.position)))
    )
    subs = db.scalars(
        select(SubElement)
        .where(col(SubElement.dimension_id).in_([d.id for d in dims]))
        .order_by(col(SubElement.position))
    )
    by_dim: dict[int, list[SubElement]] = {d.id: [] for d in dims}
    for sub in subs:
        by_dim[sub.dimension_id].append(sub)
    return [(d, by_dim[d.id]) for d in dims]


def role_of(db: Db, *, facilitator: Facilitator, workshop_id: int) -> Role | None:
    """What this facilitator is in the workshop's team: its owner, a member with the
    role they were given, or None (not in the team: the workshop does not exist for
    them)."""
    owner_id = db.scalar(select(col(Workshop.owner_id)).where(col(Workshop.id) == workshop_id))
    if owner_id is None:
        return None
    if owner_id == facilitator.id:
        return Role.owner
    role = db.scalar(
        select(col(WorkshopMember.role)).where(
            col(WorkshopMember.workshop_id) == workshop_id, col(WorkshopMember.facilitator_id) == facilitator.id
        )
    )
    return Role(role) if role is not None else None


def add_member(db: Db, *, workshop: Workshop, facilitator: Facilitator, role: Role = Role.co_facilitator) -> None:
    """Add a facilitator to the workshop's team (nothing for its owner or a member);
    the team's own rules (who may invite, changing a role) are ``app.services.team``."""
    with write_transaction(db):
        if db.get(WorkshopMember, (workshop.id, facilitator.id)) is None and workshop.owner_id != facilitator.id:
            db.add(WorkshopMember(workshop_id=workshop.id, facilitator_id=facilitator.id, role=role.value))
