"""What every session of one workshop shares when its summary is built: the
workshop, its facilitator, the dimension names and the lineage map, looked up once
per download. Its own module so that the session summary (``summary``) and the
masterplan parts (``masterplan``) both read it without depending on each other."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import Facilitator, Idea, Session, Stage, Workshop
from app.services import workshops
from app.services.summary_lineage import LineageMap

UNCATEGORISED = "Belum dikategorikan"


@dataclass(frozen=True)
class Context:
    """What every session of one workshop shares (looked up once per download)."""

    workshop: Workshop
    facilitator: str | None
    dimension_names: dict[str, str]  # code → name; "none" → "Belum dikategorikan"
    sub_element_names: dict[str, str]  # code → Indonesian name
    public_url: str
    lineage: LineageMap  # every carried group of the workshop, read once
    timezone: str  # the venue's IANA zone (REMBUK_TIMEZONE): the documents' times and dates
    # Who typed ideas for people without a phone (``Idea.entered_by_id`` → name).
    scribes: dict[int, str] = field(default_factory=dict)


ERASED_SCRIBE = "akun terhapus"  # the exports are Indonesian


def context_for(db: Db, workshop: Workshop, public_url: str, timezone: str) -> Context:
    owner = db.get(Facilitator, workshop.owner_id)
    dims = workshops.dimensions(db, workshop.id)
    return Context(
        workshop=workshop,
        facilitator=owner.name if owner else None,
        dimension_names={**{d.code: d.name for d, _subs in dims}, "none": UNCATEGORISED},
        sub_element_names={s.code: s.name_id for _d, subs in dims for s in subs},
        public_url=public_url,
        lineage=LineageMap(db, workshop.id),
        timezone=timezone,
        scribes=_scribes(db, workshop.id),
    )


def _scribes(db: Db, workshop_id: int) -> dict[int, str]:
    """The name (or e-mail) of everyone who entered an idea in this workshop for
    someone else, as the account is now: one query for every download. An erased
    account names nobody (its placeholder address is no name either)."""
    rows = db.execute(
        select(col(Facilitator.id), col(Facilitator.name), col(Facilitator.email), col(Facilitator.erased_at)).where(
            col(Facilitator.id).in_(
                select(col(Idea.entered_by_id))
                .join(Session, col(Session.id) == col(Idea.session_id))
                .join(Stage, col(Stage.id) == col(Session.stage_id))
                .where(col(Stage.workshop_id) == workshop_id, col(Idea.entered_by_id).is_not(None))
            )
        )
    ).all()
    return {fid: ERASED_SCRIBE if erased else (name or email) for fid, name, email, erased in rows}
