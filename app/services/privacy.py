"""A workshop's privacy settings and the notice its join page shows (UU PDP: people
are told what is kept about them, who sees it, for how long and whom to ask, before
they give it; joining is the acknowledgement).

The notice has four parts. Three are always Rembuk's own words, because only Rembuk
knows them for sure at the moment someone joins: *what* is stored, *who sees* it
(this session's ``anonymous`` flag, as it is now), *how long* (``retention_days``).
The fourth, the purpose and whom to ask, is the organiser's to say: the workshop's
``privacy_notice`` replaces it when set (plain text, line breaks kept, never HTML);
otherwise the default names the workshop and its owner (``default_notice``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.db import Db, known, write_transaction
from app.domain import Permission
from app.errors import Invalid
from app.i18n import gettext
from app.models import Facilitator, Session, Workshop
from app.services import audit, sessions, workshops
from app.services.text import clean_text

NOTICE_MAX_LENGTH = 2000
RETENTION_MIN_DAYS = 1
RETENTION_MAX_DAYS = 3650  # ten years: a masterplan's horizon
SETTINGS = ("privacy_notice", "retention_days")

DEFAULT_NOTICE = (
    "Your data is used to run the workshop “%(title)s” and to write its report for the regional Smart City "
    "masterplan. To see, correct or erase your data, ask the workshop's organiser, %(organiser)s, "
    "or a facilitator in the room."
)
DEFAULT_NOTICE_NO_ORGANISER = (
    "Your data is used to run the workshop “%(title)s” and to write its report for the regional Smart City "
    "masterplan. To see, correct or erase your data, ask the workshop's organiser or a facilitator in the room."
)


def organiser_name(db: Db, workshop: Workshop) -> str | None:
    """Whom the default notice names: the workshop's owner (not an erased account)."""
    owner = db.get(Facilitator, workshop.owner_id)
    if owner is None or owner.erased_at is not None or not owner.name.strip():
        return None
    return owner.name


def default_notice(locale: str | None, *, title: str, organiser: str | None) -> str:
    """The purpose and whom to ask, when the workshop has no text of its own."""
    if organiser is None:
        return gettext(locale, DEFAULT_NOTICE_NO_ORGANISER, title=title)
    return gettext(locale, DEFAULT_NOTICE, title=title, organiser=organiser)


def effective_notice(db: Db, workshop: Workshop, locale: str | None) -> str:
    """What the join page says about purpose and whom to ask: the workshop's own text,
    or the default in ``locale``."""
    if workshop.privacy_notice:
        return workshop.privacy_notice
    return default_notice(locale, title=workshop.title, organiser=organiser_name(db, workshop))


@dataclass(frozen=True)
class JoinNotice:
    """What the join page tells someone about to join ``session`` (the template words it)."""

    anonymous: bool  # the room sees ideas without names now
    retention_days: int | None  # None: kept until the organiser erases them
    text: str  # purpose and whom to ask: the workshop's own, or the default
    custom: bool  # ``text`` is the organiser's


def join_notice(db: Db, session: Session, locale: str | None) -> JoinNotice:
    workshop = known(db, Workshop, sessions.workshop_id_of(db, session))
    return JoinNotice(
        anonymous=session.anonymous,
        retention_days=workshop.retention_days,
        text=effective_notice(db, workshop, locale),
        custom=bool(workshop.privacy_notice),
    )


def check_notice(value: Any) -> str | None:
    """The organiser's text, cleaned (line breaks kept), or None for the default
    (None, or nothing but spaces)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid("The privacy notice must be text.")
    text = clean_text(value, field="Privacy notice", max_length=NOTICE_MAX_LENGTH, required=False, multiline=True)
    return text or None


def check_retention(value: Any) -> int | None:
    """Days to keep names after the last session ends, or None to keep them."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not RETENTION_MIN_DAYS <= value <= RETENTION_MAX_DAYS:
        raise Invalid(
            "Keep names between %(min)s and %(max)s days after the last session, or keep them (no erasure).",
            min=RETENTION_MIN_DAYS,
            max=RETENTION_MAX_DAYS,
        )
    return value


def update(db: Db, *, facilitator: Facilitator, workshop_id: int, **changes: Any) -> Workshop:
    """Change the notice and retention (``SETTINGS``; one left out stays as it is).
    The owner's alone (``Permission.manage``): what the workshop promises the people
    in it. A real change is written to the audit log."""
    workshops.require(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage)
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not privacy settings: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "privacy_notice" in changes:
        values["privacy_notice"] = check_notice(changes["privacy_notice"])
    if "retention_days" in changes:
        values["retention_days"] = check_retention(changes["retention_days"])
    with write_transaction(db):
        workshop = known(db, Workshop, workshop_id, populate_existing=True, with_for_update=True)
        changed = [key for key, value in values.items() if getattr(workshop, key) != value]
        for key in changed:
            setattr(workshop, key, values[key])
        if changed:
            audit.record(
                db,
                actor=facilitator,
                action=audit.Action.privacy_changed,
                target=_describe(workshop, changed),
                workshop_id=workshop.id,
            )
    db.refresh(workshop)
    return workshop


def _describe(workshop: Workshop, changed: list[str]) -> str:
    parts = []
    if "retention_days" in changed:
        days = workshop.retention_days
        parts.append("names kept" if days is None else f"names erased {days} days after the last session")
    if "privacy_notice" in changed:
        parts.append("default notice" if workshop.privacy_notice is None else "own notice")
    return f"workshop {workshop.id} “{workshop.title}”: {', '.join(parts)}"
