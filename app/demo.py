"""``rembuk demo``: a whole sample Bimtek, so a newcomer can open every view at once.

Four stages of Kabupaten Padang Pariaman (the content is in ``app/demo_data.py``):

- Tahap I: a SWOT session; 25 participants send 51 statements, the facilitator
  groups them, the room votes, results.
- Tahap II: the top 12 groups carried forward, renamed as programmes with an owner
  (OPD), budget source and horizon; a partly different room votes; results.
- Tahap III: the top 8 carried forward, a short vote (the matrix's dot sizes), then
  rated on impact and feasibility (all four quadrants appear); the quick wins marked
  and the roadmap set; results.
- Tahap IV: the quick wins carried forward, a final vote, the commitment opened and
  signed by the regent and the heads of office.

Everything goes through the services, so every change records its event exactly as
in production. Running it again changes nothing: each session only does the work
of the phase it is in and then moves on, and every step first looks for what an
earlier run made (ideas carry fixed ``client_id``s, a vote is only cast when the
participant has fewer than planned, a signature only when missing). A half-finished
run is completed; a session someone moved on by hand is left where it is.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, known
from app.demo_data import (
    ATTENDANCE,
    CARRY_TOP,
    FACILITATOR_NAME,
    GROUPS,
    PEOPLE,
    PROGRAMMES,
    REGION,
    SESSIONS,
    SIGNATORIES,
    STATEMENTS,
    VOTE_PREFERENCE,
    WORKSHOP_TITLE,
    rating,
)
from app.domain import Phase, roman
from app.models import Facilitator, IdeaGroup, Participant, Session, Stage, Workshop
from app.services import (
    board,
    carry,
    commitments,
    facilitators,
    groups,
    ideas,
    lineage,
    participants,
    ratings,
    scores,
    sessions,
    tallies,
    votes,
    workshops,
)
from app.services.audience import FACILITATOR
from app.services.groups import Actor
from app.settings import Settings

CLIENT_ID_PREFIX = "demo-t1-"

# Where the HTML pages live (app/routes/pages); printed for the newcomer.
LOGIN_PATH = "/login"
WORKSHOP_PATH = "/console/workshops/{workshop_id}"
CONSOLE_PATH = "/console/sessions/{session_id}"
BOARD_PATH = "/board/{session_id}"
DOWNLOAD_PATH = "/api/v1/workshops/{workshop_id}/summary.docx"


def seed_demo(db: Db, *, email: str, password: str | None, public_url: str | None = None) -> str:
    """Create (or complete) the demo workshop; return the text for the console."""
    if public_url is None:
        public_url = Settings().public_url
    created: list[str] = []  # what this run added, for the headline
    facilitator, shown_password = _facilitator(db, email=email, password=password, created=created)
    demo = Demo(db, facilitator, _workshop(db, facilitator, created), created)
    stage_sessions = [demo.tahap_one(), demo.tahap_two(), demo.tahap_three(), demo.tahap_four()]
    return _report(
        db,
        facilitator=facilitator,
        password=shown_password,
        workshop=demo.workshop,
        stage_sessions=stage_sessions,
        created=created,
        public_url=public_url,
    )


def _facilitator(db: Db, *, email: str, password: str | None, created: list[str]) -> tuple[Facilitator, str | None]:
    existing = db.scalar(select(Facilitator).where(col(Facilitator.email) == email.strip().lower()))
    if existing is not None:
        return existing, None  # never change a real account's password
    password = password or secrets.token_urlsafe(12)
    facilitator = facilitators.create_facilitator(db, email=email, password=password, name=FACILITATOR_NAME)
    created.append("facilitator")
    return facilitator, password


def _workshop(db: Db, facilitator: Facilitator, created: list[str]) -> Workshop:
    existing = db.scalar(
        select(Workshop)
        .where(col(Workshop.owner_id) == facilitator.id, col(Workshop.title) == WORKSHOP_TITLE)
        .order_by(col(Workshop.id))
        .limit(1)
    )
    if existing is not None:
        return existing
    created.append("workshop")
    return workshops.create_workshop(db, owner=facilitator, title=WORKSHOP_TITLE, region=REGION, year=date.today().year)


class Demo:
    """Plays the four stages. Each ``tahap_*`` takes its session from the phase it is
    in through the remaining steps, so a second run finds nothing left to do."""

    def __init__(self, db: Db, facilitator: Facilitator, workshop: Workshop, created: list[str]) -> None:
        self.db = db
        self.facilitator = facilitator
        self.actor = Actor(facilitator=facilitator)
        self.workshop = workshop
        self.created = created
        self.stages = {stage.number: stage for stage in workshops.stages(db, workshop.id)}

    # --- the stages ------------------------------------------------------------------------

    def tahap_one(self) -> Session:
        """SWOT statements, grouped, voted."""
        session = self._session(1)
        if self._at(session, Phase.draft):
            session = self._move(session, Phase.brainstorm)
        if self._at(session, Phase.brainstorm):
            self._statements(session)
            session = self._move(session, Phase.group)
        if self._at(session, Phase.group):
            self._group(session)
            session = self._move(session, Phase.vote)
        if self._at(session, Phase.vote):
            self._vote(session, VOTE_PREFERENCE[1])
            session = self._move(session, Phase.results)
        return session

    def tahap_two(self) -> Session:
        """The top groups of Tahap I, renamed as programmes with their plan, voted."""
        session = self._session(2)
        if self._at(session, Phase.draft):
            self._carry(session, self._session(1), top=CARRY_TOP[2])
            session = self._move(session, Phase.vote)
        if self._at(session, Phase.vote):
            self._plan(session)
            self._vote(session, VOTE_PREFERENCE[2])
            session = self._move(session, Phase.results)
        return session

    def tahap_three(self) -> Session:
        """The top programmes of Tahap II, voted (a short round: votes size the matrix's
        dots) and rated; the quick wins and the roadmap set."""
        session = self._session(3)
        if self._at(session, Phase.draft):
            self._carry(session, self._session(2), top=CARRY_TOP[3])
            session = self._move(session, Phase.vote)
        if self._at(session, Phase.vote):
            self._vote(session, VOTE_PREFERENCE[3])
            session = self._move(session, Phase.score)
        if self._at(session, Phase.score):
            self._rate(session)
            self._quick_wins(session)
            session = self._move(session, Phase.results)
        return session

    def tahap_four(self) -> Session:
        """The quick wins of Tahap III, a final vote, and the signed commitment."""
        session = self._session(4)
        if self._at(session, Phase.draft):
            source = self._session(3)
            picked = [g["id"] for g in self._groups(source) if g["quick_win"]]
            if picked:
                carry.import_groups(
                    self.db,
                    facilitator=self.facilitator,
                    session_id=session.id,
                    source_session_id=source.id,
                    group_ids=picked,
                )
            session = self._move(session, Phase.vote)
        if self._at(session, Phase.vote):
            self._vote(session, VOTE_PREFERENCE[4])
            session = self._move(session, Phase.results)
        if self._at(session, Phase.results):
            self._commitment(session)
        return session

    # --- steps -----------------------------------------------------------------------------

    def _session(self, number: int) -> Session:
        spec = SESSIONS[number]
        stage = self.stages[number]
        session = next((s for s in sessions.list_for_stage(self.db, stage.id) if s.title == spec.title), None)
        if session is None:
            session = sessions.create_session(
                self.db,
                facilitator=self.facilitator,
                stage_id=stage.id,
                title=spec.title,
                prompt=spec.prompt,
                layout=spec.layout,
            )
            self.created.append("session")
        return session

    @staticmethod
    def _at(session: Session, phase: Phase) -> bool:
        return session.phase == phase.value

    def _move(self, session: Session, phase: Phase) -> Session:
        session, _seq = sessions.change_phase(
            self.db, facilitator=self.facilitator, session_id=session.id, phase=phase.value
        )
        return session

    def _people(self, session: Session, number: int) -> dict[str, Participant]:
        """The stage's attendance, joined once (a second run finds them by name)."""
        joined = {
            (p.name, p.organization): p
            for p in self.db.scalars(select(Participant).where(col(Participant.session_id) == session.id))
        }
        out: dict[str, Participant] = {}
        for key in ATTENDANCE[number]:
            person = PEOPLE[key]
            participant = joined.get((person.name, person.organization))
            if participant is None:
                participant, _seq = participants.join(
                    self.db,
                    join_code=session.join_code,
                    name=person.name,
                    organization_type=person.organization_type,
                    organization=person.organization,
                )
                self.created.append("participant")
            out[key] = participant
        return out

    def _statements(self, session: Session) -> None:
        people = self._people(session, 1)
        for key, author, dimension, sub_element, swot, text in STATEMENTS:
            _idea, _seq, is_new = ideas.submit(
                self.db,
                participant=people[author],
                text=text,
                dimension=dimension,
                sub_element=sub_element,
                swot=swot,
                client_id=CLIENT_ID_PREFIX + key,
            )
            if is_new:
                self.created.append("idea")

    def _idea(self, session: Session, key: str):
        return ideas.find_by_client_id(self.db, session.id, CLIENT_ID_PREFIX + key)

    def _group(self, session: Session) -> None:
        """Put related statements together (a move to where an idea already is changes
        nothing), then name the groups."""
        for spec in GROUPS.values():
            anchor = self._idea(session, spec.anchor)
            for member in spec.members:
                groups.move_idea(
                    self.db, actor=self.actor, idea_id=self._idea(session, member).id, group_id=anchor.group_id
                )
            changes = {}
            if spec.title:
                changes["title"] = spec.title
            if spec.dimension:
                changes["dimension"] = spec.dimension
            if changes:
                groups.update_group(self.db, actor=self.actor, group_id=anchor.group_id, **changes)

    def _keys(self, session: Session) -> dict[int, str]:
        """Group id -> its key in ``GROUPS``, for a group of any stage: the Tahap I group
        at the start of its lineage names it."""
        tahap_one = self._session(1)
        origin = {self._idea(tahap_one, spec.anchor).group_id: key for key, spec in GROUPS.items()}
        out = {}
        for group in self.db.scalars(select(IdeaGroup).where(col(IdeaGroup.session_id) == session.id)):
            chain = lineage.chain(self.db, group)
            first = chain[-1]["group_id"] if chain else group.id
            if first in origin:
                out[group.id] = origin[first]
        return out

    def _groups(self, session: Session) -> list[dict]:
        return board.board(self.db, session=session, audience=FACILITATOR, public_url="")["groups"]

    def _vote(self, session: Session, preference: tuple[str, ...]) -> None:
        number = self._stage_number(session)
        people = self._people(session, number)
        by_key = {
            key: gid for gid, key in self._keys(session).items() if gid in {g["id"] for g in self._groups(session)}
        }
        wanted = [key for key in preference if key in by_key]
        plan = ballots(len(people), wanted, session.vote_budget, session.max_votes_per_group)
        for participant, ballot in zip(people.values(), plan, strict=True):
            have = tallies.for_participant(self.db, participant.id)
            for key, count in ballot.items():
                gid = by_key[key]
                for _ in range(count - have.get(str(gid), 0)):
                    votes.cast(self.db, participant=participant, group_id=gid)

    def _carry(self, session: Session, source: Session, *, top: int) -> None:
        carry.import_groups(
            self.db, facilitator=self.facilitator, session_id=session.id, source_session_id=source.id, top=top
        )

    def _plan(self, session: Session) -> None:
        """Tahap II: each carried group becomes a programme with its plan."""
        for gid, key in self._keys(session).items():
            programme = PROGRAMMES.get(key)
            if programme is None:
                continue
            groups.update_group(
                self.db,
                actor=self.actor,
                group_id=gid,
                title=programme.title,
                owner=programme.owner,
                budget_source=programme.budget_source,
                sub_element=programme.sub_element,
                horizon=programme.horizon,
            )

    def _rate(self, session: Session) -> None:
        people = list(self._people(session, 3).values())
        keys = self._keys(session)
        for salt, group in enumerate(self._groups(session)):
            programme = PROGRAMMES.get(keys.get(group["id"], ""))
            if programme is None:
                continue
            for index, participant in enumerate(people):
                impact = rating(programme.rating[0], index, 2 * salt)
                feasibility = rating(programme.rating[1], index, 2 * salt + 1)
                mine = ratings.for_participant(self.db, participant.id).get(str(group["id"]))
                if mine != [impact, feasibility]:
                    scores.rate(
                        self.db, participant=participant, group_id=group["id"], impact=impact, feasibility=feasibility
                    )

    def _quick_wins(self, session: Session) -> None:
        """The room's quick wins (both means at or above the threshold) are marked, and
        a quick win is planned within a year."""
        rated = ratings.for_session(self.db, session.id)
        keys = self._keys(session)
        for group in self._groups(session):
            programme = PROGRAMMES.get(keys.get(group["id"], ""))
            mean = rated.get(str(group["id"]))
            if programme is None or mean is None:
                continue
            quick_win = (
                ratings.quadrant(mean["impact"], mean["feasibility"], session.quick_win_threshold) == "quick_win"
            )
            groups.update_group(
                self.db,
                actor=self.actor,
                group_id=group["id"],
                quick_win=quick_win,
                horizon="short" if quick_win else programme.horizon,
            )

    def _commitment(self, session: Session) -> None:
        """Opened once (not again if the facilitator closed it after the signatures)."""
        if not session.commitment_open and not commitments.for_session(self.db, session.id):
            session, _seq = sessions.update_session(
                self.db, facilitator=self.facilitator, session_id=session.id, commitment_open=True
            )
        if not session.commitment_open:
            return
        people = self._people(session, 4)
        for key, position in SIGNATORIES.items():
            participant = people.get(key)
            if participant is None or commitments.mine(self.db, participant.id, session.id) is not None:
                continue
            commitments.sign(
                self.db,
                participant=participant,
                name=participant.name,
                position=position,
                organization=participant.organization,
            )

    def _stage_number(self, session: Session) -> int:
        return known(self.db, Stage, session.stage_id).number


def ballots(voters: int, preference: list[str], budget: int, cap: int) -> list[Counter]:
    """Each voter's dots (a Counter of group keys, one per voter). The room's totals
    fall strictly with the ``preference`` order (t, t-1, t-2 … dots), so the
    ranking, and what the next stage carries forward, is the one planned. The dots
    are dealt round-robin, so nobody exceeds the budget or the cap per group."""
    out: list[Counter[str]] = [Counter() for _ in range(voters)]
    if not preference or not voters:
        return out

    def total(top: int) -> int:
        return sum(max(0, top - k) for k in range(len(preference)))

    top = 1
    while total(top + 1) <= voters * budget and top + 1 <= voters * cap:
        top += 1
    dots = [key for k, key in enumerate(preference) for _ in range(max(0, top - k))]
    for n, key in enumerate(dots):
        out[n % voters][key] += 1
    return out


def _report(
    db: Db,
    *,
    facilitator: Facilitator,
    password: str | None,
    workshop: Workshop,
    stage_sessions: list[Session],
    created: list[str],
    public_url: str,
) -> str:
    base = public_url.rstrip("/")
    if "workshop" in created:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" created.'
    elif created:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" already existed; completed what was missing.'
    else:
        headline = f'Demo workshop "{WORKSHOP_TITLE}" already exists; nothing changed.'
    if password is not None:
        password_line = f"{password}   (shown only this once: note it down)"
    else:
        password_line = "(unchanged: this account already existed)"  # nosec B105 - a message, not a password
    last = stage_sessions[-1]
    lines = [
        headline,
        "",
        f"  Log in:    {base}{LOGIN_PATH}",
        f"  Email:     {facilitator.email}",
        f"  Password:  {password_line}",
        f"  Workshop:  {base}{WORKSHOP_PATH.format(workshop_id=workshop.id)}   (roadmap, attendance, participation)",
        f"  Masterplan draft: {base}{DOWNLOAD_PATH.format(workshop_id=workshop.id)}",
        "",
    ]
    for number, session in enumerate(stage_sessions, start=1):
        lines.append(
            f"  Tahap {roman(number):<4} {session.title}: phase {session.phase}, "
            f"{participants.count(db, session.id)} participants   "
            f"{base}{CONSOLE_PATH.format(session_id=session.id)}"
        )
    lines += [
        "",
        f"  Board:     {base}{BOARD_PATH.format(session_id=last.id)}   (Tahap IV, for the projector)",
        f"  Join:      {board.join_url(base, last.join_code)}   (code {last.join_code}, for phones)",
    ]
    return "\n".join(lines)
