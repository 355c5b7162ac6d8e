"""A small, pure reducer: board JSON + stream events -> board JSON.

It does what a client of ``GET /api/v1/sessions/{id}/events`` has to do, and nothing
it could not know from the events themselves. The invariant the tests check is
``reduce(board at seq N, events after N) == board fetched fresh``.

Rules (the shape of ``GET …/board``):
- groups sorted by id, a group's ideas sorted by id, empty groups dropped;
- a group's title is its own title, or its first idea's text when it has none;
- a group's ``votes`` is null where this audience may not see tallies, and its
  ``my_votes`` null but for a phone; only a phone's board has ``votes_left``;
- an event whose (trimmed) ``idea`` is null removes that idea: this audience may not
  see it (hidden, for a phone);
- every ``group`` an event carries is the group as the board shows it (title,
  dimension, votes, my_votes): take it as it comes;
- ``idea.moved`` moves the idea into ``group``; when ``merged`` the group it left
  is gone and its votes (and my votes) now count on the target. The reducer checks
  the sum wherever it could see both groups before;
- ``group.updated`` renames a group or sets its dimension;
- ``vote.cast`` / ``vote.removed`` carry the group's new ``votes`` (null where hidden);
  the voter's own copy also ``my_votes_on_group`` and ``votes_left``;
- ``session.phase_changed`` and a ``session.updated`` that switches ``live_votes``
  carry ``tallies``: null hides every count, a dict sets every group's (missing → 0);
- ``participant.joined`` and ``participant.removed`` carry the new ``participant_count``;
- ``groups.imported`` adds carried-forward groups with their ideas;
- ``score.set`` carries the group's new means, raters and quadrant (null where
  hidden); the rater's own copy also ``my_score``;
- ``session.phase_changed`` and a ``session.updated`` that switches ``live_votes``
  or the quick-win threshold carry ``scores``: null hides every mean, a dict sets
  every group's (missing → no raters);
- ``commitment.signed`` adds (or corrects) one signature, kept in id order;
- ``participant.erased`` blanks the name and office of the author of ``idea_ids``
  and of the signatures ``commitment_ids`` (the type of organisation stays);
- a change of the session's anonymity carries the authors this audience may now see;
- a change of ``vote_budget`` carries this phone's new ``votes_left``;
- an event type declared with ``board=False`` (``app.services.event_types``: the
  timer, the focus, the projector's page) does not change the board.
"""

from __future__ import annotations

import copy
from typing import Any

from app.services import event_types

Board = dict[str, Any]
GROUP_KEYS = (
    "id",
    "title",
    "dimension",
    "swot",
    "sub_element",
    "horizon",
    "owner",
    "budget_source",
    "quick_win",
    "origin",
    "votes",
    "my_votes",
    "impact",
    "feasibility",
    "raters",
    "quadrant",
    "my_score",
)
SCORE_KEYS = ("impact", "feasibility", "raters", "quadrant")


class State:
    """A board held as dicts by id, so events can be applied in place."""

    def __init__(self, board: Board) -> None:
        board = copy.deepcopy(board)
        self.session: dict[str, Any] = board["session"]
        self.participant_count: int = board["participant_count"]
        self.last_seq: int = board["last_seq"]
        self.votes_left: int | None = board.get("votes_left")  # a phone's only
        self.commitments: dict[int, dict[str, Any]] = {c["id"]: c for c in board["commitments"]}
        self.groups: dict[int, dict[str, Any]] = {}
        self.ideas: dict[int, dict[str, Any]] = {}
        self.idea_group: dict[int, int] = {}
        for group in board["groups"]:
            first = group["ideas"][0]["text"] if group["ideas"] else None
            # The board shows the derived title; a group of its own has none stored.
            own_title = None if group["title"] == first else group["title"]
            self.groups[group["id"]] = {**{k: group[k] for k in GROUP_KEYS}, "title": own_title}
            for idea in group["ideas"]:
                self.ideas[idea["id"]] = idea
                self.idea_group[idea["id"]] = group["id"]

    # --- applying events ------------------------------------------------------------
    def apply(self, name: str, data: dict[str, Any], seq: int) -> None:
        assert seq == self.last_seq + 1 or name == "snapshot", f"gap: at {self.last_seq}, got {seq}"
        if name == "snapshot" or event_types.get(name).board:
            handler = getattr(self, "_" + name.replace(".", "_"), None)
            assert handler is not None, f"no rule for event {name!r}"
            handler(data)
        if name != "snapshot":
            self.last_seq = seq

    def _snapshot(self, data: dict[str, Any]) -> None:
        self.__init__(data)

    def _participant_joined(self, data: dict[str, Any]) -> None:
        self.participant_count = data["participant_count"]

    _participant_removed = _participant_joined

    def _participant_erased(self, data: dict[str, Any]) -> None:
        for idea_id in data["idea_ids"]:
            author = (self.ideas.get(idea_id) or {}).get("author")
            if author is not None:
                author.update(name="", organization="")
        for commitment_id in data["commitment_ids"]:
            if commitment_id in self.commitments:
                self.commitments[commitment_id].update(name="", position="", organization="")

    def _set_group(self, group: dict[str, Any]) -> None:
        assert set(group) == set(GROUP_KEYS), group
        self.groups[group["id"]] = dict(group)

    def _put_idea(self, data: dict[str, Any]) -> None:
        idea_id = data["idea_id"]
        self._drop_idea(idea_id)
        self._set_group(data["group"])
        if data["idea"] is not None:
            assert data["idea"]["id"] == idea_id
            self.ideas[idea_id] = self._keep_reacted(idea_id, data["idea"])
            self.idea_group[idea_id] = data["group"]["id"]

    # A held idea's ``idea.created`` is null for all but the facilitator and its author;
    # ``idea.approved`` brings it to everyone as a new idea would.
    _idea_created = _idea_updated = _idea_hidden = _idea_approved = _put_idea

    def _idea_deleted(self, data: dict[str, Any]) -> None:
        self._drop_idea(data["idea_id"])

    def _keep_reacted(self, idea_id: int, idea: dict[str, Any]) -> dict[str, Any]:
        """A phone's own "+1" on an idea stays through the idea's other events (a new
        idea has none): only ``idea.reacted`` changes it."""
        if "mine" not in idea:  # the console and the projector: nobody's "+1"
            return idea
        before = self.ideas.get(idea_id, {})
        return {**idea, "reacted": before.get("reacted", False)}

    def _idea_reacted(self, data: dict[str, Any]) -> None:
        idea = self.ideas.get(data["idea_id"])
        assert idea is not None, "a reaction to an idea this screen cannot see"
        idea["reactions"] = data["reactions"]
        if "reacted" in data:  # the reactor's own copy
            idea["reacted"] = data["reacted"]

    def _drop_idea(self, idea_id: int) -> None:
        self.ideas.pop(idea_id, None)
        self.idea_group.pop(idea_id, None)

    def _visible(self, group_id: int) -> bool:
        return group_id in self.idea_group.values()

    def _idea_moved(self, data: dict[str, Any]) -> None:
        idea_id, source_id, target = data["idea_id"], data["from_group_id"], data["group"]
        assert source_id != target["id"], data  # a move to where it is records nothing
        if data["merged"]:
            # The source's last idea left: the group is gone, its votes went along.
            source, known = self.groups.get(source_id), self.groups.get(target["id"])
            if source and known and self._visible(source_id) and self._visible(target["id"]):
                for key in ("votes", "my_votes"):
                    if source[key] is not None and known[key] is not None:
                        assert target[key] == source[key] + known[key], (key, source, known, target)
            self.groups.pop(source_id, None)
            assert not any(g == source_id for i, g in self.idea_group.items() if i != idea_id), data
        self._put_idea(data)

    def _group_updated(self, data: dict[str, Any]) -> None:
        self._set_group(data["group"])

    def _vote(self, data: dict[str, Any]) -> None:
        group = self.groups.get(data["group_id"])
        assert group is not None and self._visible(data["group_id"]), "a vote on a group this screen cannot see"
        group["votes"] = data["votes"]
        if "my_votes_on_group" in data:  # the voter's own copy
            group["my_votes"] = data["my_votes_on_group"]
            self.votes_left = data["votes_left"]

    _vote_cast = _vote_removed = _vote

    def _groups_imported(self, data: dict[str, Any]) -> None:
        for entry in data["groups"]:
            self._set_group(entry["group"])
            for idea in entry["ideas"]:
                if idea is not None:
                    self.ideas[idea["id"]] = self._keep_reacted(idea["id"], idea)
                    self.idea_group[idea["id"]] = entry["group"]["id"]

    def _score_set(self, data: dict[str, Any]) -> None:
        group = self.groups.get(data["group_id"])
        assert group is not None and self._visible(data["group_id"]), "a rating of a group this screen cannot see"
        for key in SCORE_KEYS:
            group[key] = data[key]
        if "my_score" in data:  # the rater's own copy
            group["my_score"] = data["my_score"]

    def _scores(self, scores: dict[str, Any] | None) -> None:
        for group_id, group in self.groups.items():
            if scores is None:
                group.update(dict.fromkeys(SCORE_KEYS))
            else:
                entry = scores.get(str(group_id)) or {
                    "impact": None,
                    "feasibility": None,
                    "raters": 0,
                    "quadrant": None,
                }
                group.update({k: entry[k] for k in SCORE_KEYS})

    def _commitment_signed(self, data: dict[str, Any]) -> None:
        self.commitments[data["commitment"]["id"]] = data["commitment"]

    def _tallies(self, tallies: dict[str, int] | None) -> None:
        for group_id, group in self.groups.items():
            group["votes"] = None if tallies is None else tallies.get(str(group_id), 0)

    def _session_phase_changed(self, data: dict[str, Any]) -> None:
        self.session["phase"] = data["phase"]
        if data["join_code"] != self.session["join_code"]:
            base = self.session["join_url"][: -len(self.session["join_code"])]
            self.session["join_code"] = data["join_code"]
            self.session["join_url"] = base + data["join_code"]
        self._tallies(data["tallies"])
        self._scores(data["scores"])

    def _session_updated(self, data: dict[str, Any]) -> None:
        self.session.update(data["session"])
        for change in data.get("authors", ()):
            idea = self.ideas.get(change["idea_id"])
            if idea is None:
                continue
            if change["author"] is None:
                idea.pop("author", None)
            else:
                idea["author"] = change["author"]
        if "tallies" in data:
            self._tallies(data["tallies"])
        if "scores" in data:
            self._scores(data["scores"])
        if "votes_left" in data:
            self.votes_left = data["votes_left"]

    _session_created = _session_updated
    # An imported session's first event: its rows came with the archive, so a client
    # with nothing before it reads the board (no stream can start before seq 1 but
    # one that asks from 0, and a page reloads on it).
    _session_imported = _session_updated

    # --- reading the result ---------------------------------------------------------
    def board(self) -> Board:
        members: dict[int, list[dict[str, Any]]] = {}
        for idea_id in sorted(self.ideas):
            members.setdefault(self.idea_group[idea_id], []).append(self.ideas[idea_id])
        groups = []
        for group_id in sorted(self.groups):
            ideas = members.get(group_id)
            if not ideas:
                continue
            group = self.groups[group_id]
            groups.append({**group, "title": group["title"] or ideas[0]["text"], "ideas": ideas})
        out = {
            "session": self.session,
            "participant_count": self.participant_count,
            "last_seq": self.last_seq,
            "groups": groups,
            "commitments": [self.commitments[k] for k in sorted(self.commitments)],
        }
        if self.votes_left is not None:
            out["votes_left"] = self.votes_left
        return out


def reduce(board: Board, events: list[tuple[str, dict[str, Any], int]]) -> Board:
    """Apply ``(event name, data, seq)`` in order to a board; returns a new board."""
    state = State(board)
    for name, data, seq in events:
        state.apply(name, data, seq)
    return copy.deepcopy(state.board())
