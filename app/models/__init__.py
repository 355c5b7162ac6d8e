"""Tables. Import order matters only for the naming convention (set in ``base``)."""

from app.models.base import iso, utcnow  # noqa: F401  (sets the naming convention first)
from app.models.event import Event
from app.models.facilitator import Facilitator, SetupToken
from app.models.idea import Idea, IdeaGroup
from app.models.participant import Participant
from app.models.score import Commitment, Score
from app.models.session import Session
from app.models.vote import Vote
from app.models.workshop import Dimension, Stage, SubElement, Workshop, WorkshopMember

__all__ = [
    "Commitment",
    "Dimension",
    "Event",
    "Facilitator",
    "Idea",
    "IdeaGroup",
    "Participant",
    "Score",
    "Session",
    "SetupToken",
    "Stage",
    "SubElement",
    "Vote",
    "Workshop",
    "WorkshopMember",
]
