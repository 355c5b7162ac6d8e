"""The summaries the facilitator downloads: one data structure per session (and
one per workshop, made of its sessions') that every export format renders, so
Markdown, CSV, JSON, Excel, Word and PDF show the same content and numbers.

Decisions a Bappeda reader would expect:

- Vote counts and ranking are ``results.ranked_groups``: what the board shows.
- Hidden ideas were moderated out by the facilitator: they are left out of every
  table (and so is a group whose ideas are all hidden); only their number is
  given, so nobody pastes a moderated idea into the masterplan by mistake.
- ``session.anonymous_exports`` leaves the author *and* their organisation out of
  every idea (an organisation with one delegate names its author). The attendance
  list stays: who attended is an official record; who wrote what is not.
- Labels are Indonesian: the documents go into Indonesian masterplan books.

For the masterplan it also carries, per group, what the later stages give it (SWOT
quadrant, rating means and quadrant, the roadmap fields, the lineage back to Tahap
I), per session its commitment signatures, and per workshop the masterplan parts
(``services.masterplan``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db, known
from app.localtime import Clock
from app.models import (
    Idea,
    IdeaGroup,
    Participant,
    Session,
    Stage,
    Workshop,
    iso,
    utcnow,
)
from app.services import board as board_service
from app.services import commitments, masterplan, ratings, results, sessions, workshops
from app.services import summary_labels as labels
from app.services.people import type_label
from app.services.summary_context import Context, context_for
from app.services.summary_lineage import chain_text

TOP_GROUPS = 10


def session_summary(
    db: Db, *, session: Session, public_url: str, timezone: str, without_authors: bool = False
) -> dict[str, Any]:
    """``timezone`` (an IANA name) is the venue's: a session's ``date`` is its local
    day, and the documents drawn from the summary print its times there. The
    summary's own timestamps stay ISO 8601 UTC (the JSON download is for programs).
    ``without_authors``: as ``anonymous_exports`` whatever the session says (a
    read-only link to an anonymous session)."""
    stage = known(db, Stage, session.stage_id)
    ctx = context_for(db, known(db, Workshop, stage.workshop_id), public_url, timezone)
    return _session(db, ctx, stage, session, without_authors=without_authors)


def workshop_summary(db: Db, *, workshop: Workshop, public_url: str, timezone: str) -> dict[str, Any]:
    """The whole workshop, stage by stage, session by session (each as ``session_summary``)."""
    ctx = context_for(db, workshop, public_url, timezone)
    stages: list[dict[str, Any]] = [
        {
            "id": stage.id,
            "number": stage.number,
            "title": stage.title,
            "sessions": [_session(db, ctx, stage, s) for s in sessions.list_for_stage(db, stage.id)],
        }
        for stage in workshops.stages(db, workshop.id)
    ]
    every = [s for stage in stages for s in stage["sessions"]]
    chart = {
        code: {"dimension": code, "name": name, "groups": 0, "ideas": 0, "votes": 0}
        for code, name in ctx.dimension_names.items()
    }
    for s in every:
        for row in s["dimension_chart"]:
            total = chart.setdefault(row["dimension"], {**row, "groups": 0, "ideas": 0, "votes": 0})
            for key in ("groups", "ideas", "votes"):
                total[key] += row[key]
    return {
        "workshop": _workshop_out(workshop),
        "facilitator": ctx.facilitator,
        "generated_at": iso(utcnow()),
        "timezone": ctx.timezone,
        "session_count": len(every),
        "participant_count": sum(s["participant_count"] for s in every),
        "idea_count": sum(s["idea_count"] for s in every),
        "group_count": sum(s["group_count"] for s in every),
        "vote_count": sum(s["vote_count"] for s in every),
        "dimension_chart": list(chart.values()),
        "stages": stages,
        "masterplan": masterplan.build(db, ctx, stages),
    }


def _workshop_out(workshop: Workshop) -> dict[str, Any]:
    return {"id": workshop.id, "title": workshop.title, "region": workshop.region, "year": workshop.year}


def _session(db: Db, ctx: Context, stage: Stage, session: Session, *, without_authors: bool = False) -> dict[str, Any]:
    anonymous = session.anonymous_exports or without_authors
    people = list(
        db.scalars(
            select(Participant)
            .where(col(Participant.session_id) == session.id, ~col(Participant.removed))
            .order_by(col(Participant.id))
        )
    )
    out: dict[str, Any] = {
        "workshop": _workshop_out(ctx.workshop),
        "stage": {"id": stage.id, "number": stage.number, "title": stage.title},
        "session": board_service.session_out(session, ctx.public_url),
        "facilitator": ctx.facilitator,
        # The day the room met, at the venue: the first person joining (a session may be
        # prepared days ahead); a morning in Jayapura is still the previous day in UTC.
        "date": Clock.of(ctx.timezone)
        .local_date(min((p.joined_at for p in people), default=None) or session.created_at)
        .isoformat(),
        "generated_at": iso(utcnow()),
        "timezone": ctx.timezone,
        "anonymous_exports": anonymous,
        "voter_count": results.voters(db, session.id),
        "hidden_idea_count": _hidden_ideas(db, session.id),
        **_participation(db, session.id, people),
        **_ranking(ctx, results.ranked_groups(db, session), plan=_Plan(db, ctx, session), anonymous=anonymous),
        "commitments": [_signature(c) for c in commitments.for_session(db, session.id)],
    }
    if without_authors and session.anonymous:
        # A read-only link to an anonymous session names nobody: not even who attended
        # (the facilitator's own download keeps the attendance list).
        out["participants"] = []
        out["attendance_withheld"] = True
    out["after_session_count"] = sum(
        1 for dim in out["dimensions"] for g in dim["groups"] for idea in g["ideas"] if idea["after_session"]
    )
    return out


def _signature(commitment) -> dict[str, Any]:
    out = commitments.public(commitment)
    out.pop("participant_id")
    return out


class _Plan:
    """What the later stages add to a session's groups: SWOT quadrant, rating means
    and quadrant, the roadmap fields and the lineage (read once per session)."""

    def __init__(self, db: Db, ctx: Context, session: Session) -> None:
        self.ctx = ctx
        self.threshold = session.quick_win_threshold
        self.rows = {g.id: g for g in db.scalars(select(IdeaGroup).where(col(IdeaGroup.session_id) == session.id))}
        self.rated = ratings.for_session(db, session.id)

    def fields(self, group_id: int) -> dict[str, Any]:
        row = self.rows[group_id]
        rated = self.rated.get(str(group_id), {})
        impact, feasibility = rated.get("impact"), rated.get("feasibility")
        quadrant = ratings.quadrant(impact, feasibility, self.threshold)
        start, end = labels.years(self.ctx.workshop.year, row.horizon)
        chain = self.ctx.lineage.chain(group_id)
        return {
            "swot": row.swot,
            "swot_name": labels.swot(row.swot),
            "sub_element": row.sub_element,
            "sub_element_name": self.ctx.sub_element_names.get(row.sub_element or ""),
            "horizon": row.horizon,
            "horizon_name": labels.horizon(row.horizon),
            "start_year": start,
            "end_year": end,
            "owner": row.owner,
            "budget_source": row.budget_source,
            "budget_source_name": labels.budget_source(row.budget_source),
            "quick_win": bool(row.quick_win),
            "impact": impact,
            "feasibility": feasibility,
            "raters": rated.get("raters", 0),
            "quadrant": quadrant,
            "quadrant_name": labels.quadrant(quadrant),
            "lineage": chain,
            "lineage_text": chain_text(chain) or None,
        }


def _participation(db: Db, session_id: int, people: list[Participant]) -> dict[str, Any]:
    return {
        "participant_count": len(people),
        "participants_by_type": [
            {**row, "label": type_label(row["type"])} for row in results.participants_by_type(db, session_id)
        ],
        "participants_by_organization": _by_organization(people),
        "participants": [
            {
                "name": p.name,
                "organization": p.organization,
                "organization_type": p.organization_type,
                "organization_type_label": type_label(p.organization_type),
                "joined_at": iso(p.joined_at),
            }
            for p in people
        ],
    }


def _ranking(ctx: Context, ranked: list[dict[str, Any]], *, plan: _Plan, anonymous: bool) -> dict[str, Any]:
    """Groups by dimension (each ranked by votes), the overall top ten, the chart rows."""

    def name(code: str | None) -> str:
        return ctx.dimension_names.get(code or "none", code or "none")

    return {
        "idea_count": sum(len(g["ideas"]) for g in ranked),
        "group_count": len(ranked),
        "vote_count": sum(g["votes"] for g in ranked),
        "dimensions": [
            {
                "code": code,
                "name": name(code),
                "groups": [
                    _group(ctx, g, plan, rank_in_dimension=n, anonymous=anonymous) for n, g in enumerate(groups, 1)
                ],
            }
            for code, groups in results.by_dimension(ranked).items()
        ],
        "top_groups": [
            {
                "id": g["id"],
                "rank": g["rank"],
                "title": g["title"],
                "dimension": g["dimension"] or "none",
                "dimension_name": name(g["dimension"]),
                "idea_count": len(g["ideas"]),
                "votes": g["votes"],
            }
            # A group nobody voted for is not a "top" group: before the vote the list is empty.
            for g in ranked[:TOP_GROUPS]
            if g["votes"] > 0
        ],
        "dimension_chart": [{**row, "name": name(row["dimension"])} for row in results.dimension_chart(ranked)],
    }


def _group(
    ctx: Context, group: dict[str, Any], plan: _Plan, *, rank_in_dimension: int, anonymous: bool
) -> dict[str, Any]:
    return {
        "id": group["id"],
        "rank": group["rank"],
        "rank_in_dimension": rank_in_dimension,
        "title": group["title"],
        "dimension": group["dimension"] or "none",
        "votes": group["votes"],
        **plan.fields(group["id"]),
        "ideas": [_idea(ctx, idea, author, anonymous=anonymous) for idea, author in group["ideas"]],
    }


def _idea(ctx: Context, idea: Idea, author: Participant | None, *, anonymous: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": idea.id,
        "text": idea.text,
        "reactions": idea.reactions,  # "+1 setuju" from other participants
        "sub_element": idea.sub_element,
        "sub_element_name": ctx.sub_element_names.get(idea.sub_element or ""),
        "swot": idea.swot,
        # A copy carried from an earlier session (its author is named there, not here).
        "carried": idea.source_idea_id is not None,
        # Sent after the room session, before its ``open_until`` (between stages).
        "after_session": idea.after_session,
        "created_at": iso(idea.created_at),
        # Typed by the scribe (notulis) for someone without a phone: the scribe's name.
        "entered_by": _scribe_name(ctx, idea.entered_by_id),
    }
    if not anonymous:
        out["author"] = author.name if author else None
        out["organization"] = author.organization if author else None
        out["organization_type"] = author.organization_type if author else None
        out["organization_type_label"] = type_label(author.organization_type) if author else None
    return out


def _scribe_name(ctx: Context, facilitator_id: int | None) -> str | None:
    if facilitator_id is None:
        return None
    return ctx.scribes.get(facilitator_id) or "notulis"


def _by_organization(people: list[Participant]) -> list[dict[str, Any]]:
    """Most represented first. "Diskominfo" and "DISKOMINFO" are one office: counted
    together under the spelling seen first."""
    counts: dict[str, list] = {}
    for p in people:
        key = " ".join(p.organization.split()).casefold()
        counts.setdefault(key, [p.organization, 0])[1] += 1
    rows = [{"organization": name, "count": n} for name, n in counts.values()]
    return sorted(rows, key=lambda r: (-r["count"], r["organization"].casefold()))


def _hidden_ideas(db: Db, session_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Idea)
            .where(col(Idea.session_id) == session_id, col(Idea.hidden), ~col(Idea.deleted))
        )
        or 0
    )
