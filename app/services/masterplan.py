"""The workshop download shaped like the masterplan books: Tahap I
analysis (issues and SWOT per dimension), programmes per dimension, the roadmap
table, one profile per quick win, attendance across the stages, the "Lembar
Komitmen Bersama" and participation and coverage.

Built from the session summaries already gathered (``services.summary``) and the
workshop views of ``roadmap``, ``attendance`` and ``participation``, so every
number is the one the board and the API show. Labels are Indonesian.

Rules a reader of the books would expect:

- A group carried into a later stage and planned again there is one programme
  (``roadmap.programmes``: the latest plan stands for its ancestors); so is a
  quick win. Its ratings are the nearest ones on its line: a quick win carried
  into Tahap IV for the signing was rated in Tahap III.
- A quick win's ideas are the ones still visible in it; a carried copy has no
  author of its own, so it names the author of the idea it was copied from. That
  author is left out when either session has ``anonymous_exports``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, known
from app.domain import ROADMAP_YEARS
from app.models import Idea, Participant, Session
from app.services import attendance, participation, ratings, roadmap
from app.services import summary_labels as labels
from app.services.people import type_label
from app.services.summary_context import Context
from app.services.summary_lineage import MAX_DEPTH, chain_text

ANALYSIS_STAGE = 1  # Tahap I – Analisis Strategis


def build(db: Db, ctx: Context, stages: list[dict[str, Any]]) -> dict[str, Any]:
    programmes = [_programme(ctx, p) for p in roadmap.programmes(db, ctx.workshop)]
    years = list(range(ctx.workshop.year, ctx.workshop.year + ROADMAP_YEARS))
    return {
        "analysis": _analysis(ctx, stages),
        "programmes_by_dimension": [
            {"code": code, "name": name, "programmes": [p for p in programmes if (p["dimension"] or "none") == code]}
            for code, name in ctx.dimension_names.items()
        ],
        "roadmap": {"start_year": years[0], "end_year": years[-1], "years": years, "programmes": programmes},
        "quick_wins": _Profiles(db, ctx).build([p for p in programmes if p["quick_win"]]),
        "attendance": attendance.for_workshop(db, ctx.workshop),
        "commitments": _commitments(db, stages),
        "participation": _participation(db, ctx),
        "timezone": ctx.timezone,  # for the signing times (the parts are drawn on their own)
    }


def _participation(db: Db, ctx: Context) -> dict[str, Any]:
    out = participation.for_workshop(db, ctx.workshop)
    for row in out["by_organization"]:
        row["organization_type_label"] = type_label(row["organization_type"])
    return out


# --- Tahap I: issues and SWOT per dimension -------------------------------------------------


def _analysis(ctx: Context, stages: list[dict[str, Any]]) -> dict[str, Any]:
    """Every group of the Tahap I sessions, per dimension, most votes first; and those
    placed in a SWOT quadrant (a ``swot`` board) as the four-quadrant worksheet."""
    issues: dict[str, list[dict[str, Any]]] = {code: [] for code in ctx.dimension_names}
    sessions = [s for stage in stages if stage["number"] == ANALYSIS_STAGE for s in stage["sessions"]]
    for s in sessions:
        for dim in s["dimensions"]:
            for g in dim["groups"]:
                issues.setdefault(dim["code"], []).append(
                    {
                        "id": g["id"],
                        "title": g["title"],
                        "session_title": s["session"]["title"],
                        "swot": g["swot"],
                        "swot_name": g["swot_name"],
                        "idea_count": len(g["ideas"]),
                        "votes": g["votes"],
                    }
                )
    for rows in issues.values():
        rows.sort(key=lambda r: -r["votes"])  # stable: sessions in order, each already ranked
        for n, row in enumerate(rows, 1):
            row["rank"] = n
    swot = []
    for code, rows in issues.items():
        placed = [r for r in rows if r["swot"]]
        if placed:
            swot.append(
                {
                    "code": code,
                    "name": ctx.dimension_names.get(code, code),
                    "quadrants": [
                        {"code": q, "name": labels.swot(q), "issues": [r for r in placed if r["swot"] == q]}
                        for q in labels.SWOT_ORDER
                    ],
                }
            )
    return {
        "stage_number": ANALYSIS_STAGE,
        "sessions": [s["session"]["title"] for s in sessions],
        "issues_by_dimension": [
            {"code": code, "name": ctx.dimension_names.get(code, code), "issues": rows} for code, rows in issues.items()
        ],
        "swot_by_dimension": swot,
    }


# --- programmes and quick wins -----------------------------------------------------------------


def _programme(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    chain = ctx.lineage.chain(p["group_id"])
    return {
        **{
            k: p[k]
            for k in (
                "group_id",
                "session_id",
                "session_title",
                "stage_number",
                "title",
                "dimension",
                "sub_element",
                "horizon",
                "start_year",
                "end_year",
                "owner",
                "budget_source",
                "quick_win",
                "votes",
            )
        },
        "dimension_name": ctx.dimension_names.get(p["dimension"] or "none"),
        "sub_element_name": ctx.sub_element_names.get(p["sub_element"] or ""),
        "horizon_name": labels.horizon(p["horizon"]),
        "years": labels.year_range(p["start_year"], p["end_year"]),
        "budget_source_name": labels.budget_source(p["budget_source"]),
        "lineage": chain,
        "lineage_text": chain_text(chain) or None,
    }


class _Profiles:
    """One profile per quick win: its plan, the nearest ratings on its line, its ideas."""

    def __init__(self, db: Db, ctx: Context) -> None:
        self.db = db
        self.ctx = ctx
        self.rated: dict[int, dict[str, dict[str, Any]]] = {}  # session id → ratings.for_session

    def build(self, quick_wins: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**p, "number": n, **self._rating(p), "last_vote": _last_vote(p), "ideas": self._ideas(p)}
            for n, p in enumerate(quick_wins, 1)
        ]

    def _rating(self, p: dict[str, Any]) -> dict[str, Any]:
        line = [(p["group_id"], p["session_id"])] + [(s["group_id"], s["session_id"]) for s in p["lineage"]]
        for group_id, session_id in line:
            if session_id not in self.rated:
                self.rated[session_id] = ratings.for_session(self.db, session_id)
            rated = self.rated[session_id].get(str(group_id))
            if rated and rated["raters"]:
                session = known(self.db, Session, session_id)
                quadrant = ratings.quadrant(rated["impact"], rated["feasibility"], session.quick_win_threshold)
                title, number = self.ctx.lineage.sessions.get(session_id, (None, None))
                return {
                    "impact": rated["impact"],
                    "feasibility": rated["feasibility"],
                    "raters": rated["raters"],
                    "quadrant": quadrant,
                    "quadrant_name": labels.quadrant(quadrant),
                    "rated_in": {"session_id": session_id, "session_title": title, "stage_number": number},
                }
        return {
            "impact": None,
            "feasibility": None,
            "raters": 0,
            "quadrant": None,
            "quadrant_name": None,
            "rated_in": None,
        }

    def _ideas(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        db = self.db
        ideas = list(
            db.scalars(
                select(Idea)
                .where(col(Idea.group_id) == p["group_id"], ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
                .order_by(col(Idea.id))
            )
        )
        roots = _roots(db, ideas)
        authors = {
            a.id: a
            for a in db.scalars(
                select(Participant).where(
                    col(Participant.id).in_({r.participant_id for r in roots.values() if r.participant_id})
                )
            )
        }
        session_ids = {r.session_id for r in roots.values()} | {p["session_id"]}
        anonymous = dict(
            db.execute(
                select(col(Session.id), col(Session.anonymous_exports)).where(col(Session.id).in_(session_ids))
            ).all()
        )
        out = []
        for idea in ideas:
            root = roots.get(idea.id)
            if root is None:  # its original was moderated out (hidden or deleted) since
                continue
            author = authors.get(root.participant_id) if root.participant_id else None
            if anonymous.get(root.session_id) or anonymous.get(p["session_id"]):
                author = None
            _title, stage_number = self.ctx.lineage.sessions.get(root.session_id, (None, None))
            out.append(
                {
                    "id": idea.id,
                    "text": idea.text,
                    "sub_element_name": self.ctx.sub_element_names.get(idea.sub_element or ""),
                    "author": author.name if author else None,
                    "organization": author.organization if author else None,
                    "organization_type_label": type_label(author.organization_type) if author else None,
                    "stage_number": stage_number,
                }
            )
        return out


def _last_vote(p: dict[str, Any]) -> dict[str, Any]:
    """The latest vote on a quick win's line: its own session's, or, where nobody
    voted there (Tahap IV carries the list only to sign it), the stage before."""
    line = [
        {"votes": p["votes"], "stage_number": p["stage_number"], "session_title": p["session_title"]},
        *p["lineage"],
    ]
    step = next((s for s in line if s["votes"]), line[0])
    return {k: step[k] for k in ("votes", "stage_number", "session_title")}


def _roots(db: Db, ideas: list[Idea]) -> dict[int, Idea]:
    """Each idea's first submission (a copy's original, followed back stage by stage);
    an idea whose original is hidden or deleted has no entry."""
    roots = {i.id: i for i in ideas}
    pending = {i.id for i in ideas if i.source_idea_id is not None}
    for _step in range(MAX_DEPTH):
        if not pending:
            break
        wanted = {roots[iid].source_idea_id for iid in pending}
        # Keyed for look-ups by an optional source id (only pending ideas have one).
        found: dict[int | None, Idea] = {i.id: i for i in db.scalars(select(Idea).where(col(Idea.id).in_(wanted)))}
        for iid in list(pending):
            source = found.get(roots[iid].source_idea_id)
            if source is not None:
                roots[iid] = source
            if source is None or source.source_idea_id is None:
                pending.discard(iid)
    return {iid: r for iid, r in roots.items() if not (r.hidden or r.deleted or r.pending)}


# --- commitment ----------------------------------------------------------------


def _commitments(db: Db, stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each session someone signed in, with the quick-win list on its board."""
    out = []
    for stage in stages:
        for s in stage["sessions"]:
            if not s["commitments"]:
                continue
            quick_wins = [
                {
                    "title": g["title"],
                    "dimension_name": dim["name"],
                    "owner": g["owner"],
                    "years": labels.year_range(g["start_year"], g["end_year"]),
                    "lineage_text": g["lineage_text"],
                }
                for dim in s["dimensions"]
                for g in dim["groups"]
                if g["quick_win"]
            ]
            out.append(
                {
                    "session": {
                        "id": s["session"]["id"],
                        "title": s["session"]["title"],
                        "stage_number": stage["number"],
                        "date": s["date"],
                    },
                    "quick_wins": quick_wins,
                    "signers": s["commitments"],
                }
            )
    return out
