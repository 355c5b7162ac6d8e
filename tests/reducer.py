"""A small, pure reducer: board JSON + stream events -> board JSON.

It does what a client of ``GET /api/v1/sessions/{id}/events`` has to do, and nothing
it could not know from the events themselves. The invariant the tests check is
``reduce(board at seq N, events after N) == board fetched fresh``.

Rules (the shape of ``GET …/board``):
- groups sorted by id, a group's ideas sorted by id, empty groups dropped;
- a group's title is its own title, or its first idea's text when it has none;
- an event whose (trimmed) ``idea`` is null removes that idea: this audience may not
  see it (hidden, for a phone);
- ``participant.joined`` carries the new ``participant_count``;
- a change of the session's anonymity carries the authors this audience may now see.
"""

from __future__ import annotations

import copy
from typing import Any

Board = dict[str, Any]


class State:
    """A board held as dicts by id, so events can be applied in place."""

    def __init__(self, board: Board) -> None:
        board = copy.deepcopy(board)
        self.session: dict[str, Any] = board["session"]
        self.participant_count: int = board["participant_count"]
        self.last_seq: int = board["last_seq"]
        self.groups: dict[int, dict[str, Any]] = {}
        self.ideas: dict[int, dict[str, Any]] = {}
        self.idea_group: dict[int, int] = {}
        for group in board["groups"]:
            first = group["ideas"][0]["text"] if group["ideas"] else None
            # The board shows the derived title; a group of its own has none stored.
            own_title = None if group["title"] == first else group["title"]
            self.groups[group["id"]] = {"id": group["id"], "title": own_title, "dimension": group["dimension"]}
            for idea in group["ideas"]:
                self.ideas[idea["id"]] = idea
                self.idea_group[idea["id"]] = group["id"]

    # --- applying events ------------------------------------------------------------
    def apply(self, name: str, data: dict[str, Any], seq: int) -> None:
        assert seq == self.last_seq + 1 or name == "snapshot", f"gap: at {self.last_seq}, got {seq}"
        handler = getattr(self, "_" + name.replace(".", "_"), None)
        assert handler is not None, f"no rule for event {name!r}"
        handler(data)
        if name != "snapshot":
            self.last_seq = seq

    def _snapshot(self, data: dict[str, Any]) -> None:
        self.__init__(data)

    def _participant_joined(self, data: dict[str, Any]) -> None:
        self.participant_count = data["participant_count"]

    def _put_idea(self, data: dict[str, Any]) -> None:
        group = data["group"]
        idea_id = data["idea_id"]
        self._drop_idea(idea_id)
        if group["id"] in self.groups or data["idea"] is not None:
            self.groups[group["id"]] = {"id": group["id"], "title": group["title"], "dimension": group["dimension"]}
        if data["idea"] is not None:
            assert data["idea"]["id"] == idea_id
            self.ideas[idea_id] = data["idea"]
            self.idea_group[idea_id] = group["id"]

    _idea_created = _idea_updated = _idea_hidden = _put_idea

    def _idea_deleted(self, data: dict[str, Any]) -> None:
        self._drop_idea(data["idea_id"])

    def _drop_idea(self, idea_id: int) -> None:
        self.ideas.pop(idea_id, None)
        self.idea_group.pop(idea_id, None)

    def _session_phase_changed(self, data: dict[str, Any]) -> None:
        self.session["phase"] = data["phase"]
        if data["join_code"] != self.session["join_code"]:
            base = self.session["join_url"][: -len(self.session["join_code"])]
            self.session["join_code"] = data["join_code"]
            self.session["join_url"] = base + data["join_code"]

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

    _session_created = _session_updated

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
            groups.append(
                {
                    "id": group_id,
                    "title": group["title"] or ideas[0]["text"],
                    "dimension": group["dimension"],
                    "ideas": ideas,
                }
            )
        return {
            "session": self.session,
            "participant_count": self.participant_count,
            "last_seq": self.last_seq,
            "groups": groups,
        }


def reduce(board: Board, events: list[tuple[str, dict[str, Any], int]]) -> Board:
    """Apply ``(event name, data, seq)`` in order to a board; returns a new board."""
    state = State(board)
    for name, data, seq in events:
        state.apply(name, data, seq)
    return copy.deepcopy(state.board())
