"""Tables. Import order matters only for the naming convention (set in ``base``).

Every ``id`` is typed ``int`` though it defaults to None: it is None only between
creating a row and flushing it, and the code reads it only after the flush. Typed
``int | None`` it would need a check at each of hundreds of reads that cannot fail.
The columns are the same either way (a primary key is NOT NULL and autoincrements).
"""

from app.models.audit import AuditEntry
from app.models.base import iso, utcnow  # noqa: F401  (sets the naming convention first)
from app.models.event import Event
from app.models.facilitator import Facilitator, SetupToken
from app.models.idea import Idea, IdeaGroup, Reaction
from app.models.participant import Participant
from app.models.score import Commitment, Score
from app.models.session import Session
from app.models.share import SessionShare
from app.models.vote import Vote, VoteReceipt
from app.models.workshop import Dimension, Stage, SubElement, Workshop, WorkshopMember

__all__ = [
    "AuditEntry",
    "Commitment",
    "Dimension",
    "Event",
    "Facilitator",
    "Idea",
    "IdeaGroup",
    "Participant",
    "Reaction",
    "Score",
    "Session",
    "SessionShare",
    "SetupToken",
    "Stage",
    "SubElement",
    "Vote",
    "VoteReceipt",
    "Workshop",
    "WorkshopMember",
]
