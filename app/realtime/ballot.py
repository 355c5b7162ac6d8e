"""The phones' ballot, rendered once for the whole room.

Opening the vote sends every phone a ``reload``: 500 phones GET their page within a
second or two, and each page lists every group. Read and rendered per phone that was
~0.2 s of CPU each (1,000 groups: 2,000 ORM rows and 1,000 Jinja cards), which
stalled the server for minutes (bench/RESULTS.md). Almost all of that page is the
same for everyone; what differs is small:

- the phone's own dots on each group and its "dots left" bar;
- the totals, when ``live_votes`` shows them (they change with every vote);
- after a refused dot without JavaScript, that group's error message.

So the ballot is rendered once per (session, ``content_seq``, locale, phone variant)
with markers (HTML comments, which escaped participant text can never contain)
where those parts go, split at the markers and encoded once. A phone's page then
costs two small queries (its dots, the totals) and a list of byte strings that
mostly point at the shared ones: the page is streamed from that list
(``app.routes.pages.rendering.render_spliced``), never joined into one text. Joined,
each of the room's simultaneous reloads held several copies of a ~1 MB page
(the list's join, Markup's copy, the template's join, the UTF-8 encoding; as 2-byte
text because of the "−" sign), and the allocator kept that peak: +23 MB for good
after one reload storm (bench/reload_storm.py). ``content_seq`` moves
with every event except votes, ratings, signatures and joins
(``app.services.events``), so a cached ballot is exactly what a fresh read would
render. A lock per key makes a room that reloads at once build it once.

The phones that have no dot yet (all of them, the moment the vote opens) get the very
same ballot: that one is also kept compressed (``app.gzip_runs``), so their pages
compress only their own head and tail.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache

from app.db import Db
from app.gzip_runs import DeflatedRun
from app.models import Session
from app.realtime.html_stream import LiveHtml
from app.realtime.screens import vote_cards
from app.realtime.viewer import variant_for
from app.services import board as board_service
from app.services import sessions as session_service
from app.services import tallies
from app.services.audience import PROJECTOR

CACHE_SIZE = 16  # a ballot of 1,000 groups is ~1 MB of text
# Where the per-phone parts go (written by fragments/_vote_card.html and _ballot.html).
_MARKER = re.compile(r"<!--rb:(mine|votes|left):(\d*)-->")
# A participant that is nobody: the ballot as every phone sees it, without own dots.
_ROOM = PROJECTOR


@dataclass(frozen=True)
class SharedBallot:
    """The ballot cut at its markers, as UTF-8: ``pieces[i]``, followed (except after
    the last one) by the per-phone part ``slots[i]`` = (kind, group id)."""

    pieces: tuple[bytes, ...]
    slots: tuple[tuple[str, int], ...]
    empty_controls: dict[int, bytes]  # each group's "−/+" form with no dots of mine
    # The ballot of a phone with no dot (totals hidden, no error), as parts (read only:
    # shared by every such page) and compressed, by the settings its "dots left" line
    # shows: built by the first such phone.
    undotted: dict[tuple[int, int], tuple[list[bytes], DeflatedRun]] = field(default_factory=dict, compare=False)
    undotted_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


@dataclass(frozen=True)
class PhoneBallot:
    """One phone's ballot: ``parts`` (UTF-8, in order, mostly shared with the room), its
    dots left, and ``run``, the same bytes already compressed when they are the room's
    ballot for a phone without dots."""

    parts: list[bytes]
    votes_left: int
    run: DeflatedRun | None


class BallotCache:
    def __init__(self, live: LiveHtml, size: int = CACHE_SIZE) -> None:
        self.live = live
        self._entries: LRUCache[tuple, SharedBallot] = LRUCache(maxsize=size)
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()
        self.builds = 0  # how many times a ballot was rendered (tests check sharing)

    def forget(self, session_id: int) -> None:
        """Drop a deleted session's ballots (its id may be given to a new session)."""
        with self._guard:
            for key in [key for key in self._entries if key[0] == session_id]:
                self._entries.pop(key, None)

    def render(
        self, db: Db, *, session: Session, participant_id: int, locale: str, vote_errors: dict[int, str] | None = None
    ) -> PhoneBallot:
        """This phone's ballot, read in the caller's (consistent) read transaction."""
        public = session_service.public(session)
        shared = self._shared(db, session, public, locale)
        mine = tallies.for_participant(db, participant_id)
        left = tallies.votes_left(session.vote_budget, sum(mine.values()))
        shown = tallies.votes_visible(phase=session.phase, live_votes=session.live_votes, facilitator=False)
        counts = tallies.for_session(db, session.id) if shown else {}
        errors = vote_errors or {}
        context = {
            "session_id": session.id,
            "max_per_group": session.max_votes_per_group,
            "vote_budget": session.vote_budget,
            "votes_left": left,
        }
        if any(mine.values()) or shown or errors:
            return PhoneBallot(self._parts(shared, locale, context, mine, counts, errors), left, None)
        # The room's ballot, as every phone without a dot gets it: assembled and
        # compressed by the first such phone, while the room waits for it.
        settings = (session.vote_budget, session.max_votes_per_group)
        with shared.undotted_lock:
            found = shared.undotted.get(settings)
            if found is None:
                parts = self._parts(shared, locale, context, mine, counts, errors)
                found = shared.undotted[settings] = (parts, DeflatedRun.of(b"".join(parts)))
        parts, run = found
        return PhoneBallot(parts, left, run)

    def _parts(
        self,
        shared: SharedBallot,
        locale: str,
        context: dict[str, Any],
        mine: dict[str, int],
        counts: dict[str, int],
        errors: dict[int, str],
    ) -> list[bytes]:
        out: list[bytes] = []
        for piece, slot in zip(shared.pieces, shared.slots, strict=False):  # one piece more: the last, after the loop
            out.append(piece)
            kind, group_id = slot
            if kind == "mine":
                dots, error = mine.get(str(group_id), 0), errors.get(group_id)
                if dots or error:
                    out.append(
                        self.live.fragment(
                            "_vote_controls.html", locale, group_id=group_id, mine=dots, error=error, **context
                        ).encode()
                    )
                else:
                    out.append(shared.empty_controls[group_id])
            elif kind == "votes":
                out.append(str(counts.get(str(group_id), 0)).encode())
            else:
                out.append(self.live.fragment("_votes_left.html", locale, **context).encode())
        out.append(shared.pieces[-1])
        return out

    def _shared(self, db: Db, session: Session, public: dict[str, Any], locale: str) -> SharedBallot:
        key = (session.id, session.content_seq, locale, tuple(sorted(variant_for("phone", public).items())))
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None:
                return entry
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # the first phone builds it; the rest of the room waits for it
            with self._guard:
                entry = self._entries.get(key)
            if entry is None:
                try:
                    entry = self._build(db, session, public, locale)
                    with self._guard:
                        self._entries[key] = entry
                finally:
                    with self._guard:
                        self._locks.pop(key, None)
        return entry

    def _build(self, db: Db, session: Session, public: dict[str, Any], locale: str) -> SharedBallot:
        self.builds += 1
        board = board_service.board(db, session=session, audience=_ROOM, public_url="")
        html = self.live.fragment(
            "_ballot.html", locale, vote_columns=vote_cards(board), session=public, session_id=session.id
        )
        parts = _MARKER.split(html)
        pieces = tuple(piece.encode() for piece in parts[0::3])
        slots = tuple((kind, int(number or 0)) for kind, number in zip(parts[1::3], parts[2::3], strict=True))
        context = {
            "session_id": session.id,
            "max_per_group": session.max_votes_per_group,
            "vote_budget": session.vote_budget,
            "votes_left": 0,
        }
        empty = {
            group["id"]: self.live.fragment(
                "_vote_controls.html", locale, group_id=group["id"], mine=0, error=None, **context
            ).encode()
            for group in board["groups"]
        }
        return SharedBallot(pieces, slots, empty)
