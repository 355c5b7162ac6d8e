"""One session in the console: phase controls, join details, settings, downloads,
carrying groups forward (``carry_forward``), the groups (with duplicate suggestions)
or the ranking, each group's roadmap, and moderation."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.db import known
from app.deps import DbDep
from app.domain import Permission, Phase
from app.errors import DomainError, NotFound
from app.localtime import Clock
from app.models import Participant, Session, Stage, Workshop
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.viewer import variant_for
from app.routes.api_params import Id
from app.routes.pages import carry_forward, remote
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.forms import SessionSettings, form_int
from app.routes.pages.qr import qr_inline_svg
from app.routes.pages.rendering import MASTERPLAN_LABELS, error_text, is_htmx, lang_url, render, see_other
from app.services import board as board_service
from app.services import (
    duplicates,
    erasure,
    groups,
    ideas,
    participants,
    payloads,
    sessions,
    shares,
    suggestions,
    workshops,
)
from app.services.audience import FACILITATOR
from app.services.groups import Actor
from app.snapshots import after_erasure_in

# The summary downloads (app/routes/api_summary.py): label, extension.
SESSION_DOWNLOADS = (
    ("Word", "docx"),
    ("Excel", "xlsx"),
    ("PDF", "pdf"),
    ("Markdown", "md"),
    ("CSV", "csv"),
    ("JSON", "json"),
)

# Accept every proposed dimension at least this sure (percent), unless changed.
REVIEW_THRESHOLD = 60

router = APIRouter(prefix="/console")


@router.get("/sessions/{session_id}")
def session_page(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    return page_response(request, db, facilitator, session_id)


def page_response(
    request: Request, db, facilitator, session_id: int, *, error: str | None = None, status_code: int = 200, **extra
) -> Response:
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    may = workshops.may(db, facilitator=facilitator, workshop_id=workshop.id)
    db.rollback()  # the live part below is read in a fresh, consistent transaction
    with screens.consistent_read(request.app.state.sessions) as read:
        state = screens.console_screen(read, session_id=session.id, public_url=request.app.state.settings.public_url)
        duplicate_pairs = (
            duplicates.suggest(read, session_id=session.id) if state["session"]["phase"] == Phase.group.value else []
        )
        review = suggestions.review(read, known(read, Session, session.id))
        # Every group with its roadmap, votes and ratings (the facilitator sees them all).
        programme_groups = board_service.board(
            read, session=known(read, Session, session.id), audience=FACILITATOR, public_url=""
        )["groups"]
    carry = carry_forward.card_context(db, facilitator, session, request.query_params)
    review_context = _review_context(
        review,
        extra.pop("dismissed", None) or request.query_params.getlist("dismissed"),
        extra.pop("threshold", None) or request.query_params.get("threshold"),
    )
    version = screens.page_version(state["session"])
    card = card_context("console", session.id, variant_for("console", state["session"]))
    context = {
        "facilitator": facilitator,
        "workshop": workshop,
        "stage": stage,
        **state,
        "card": card,
        **card.as_context(),
        "suggestions": duplicate_pairs,
        **review_context,
        "downloads": SESSION_DOWNLOADS,
        "programme_groups": programme_groups,
        "people": participants.active(db, session.id),
        "removed_people": participants.removed_from(db, session.id),
        **carry,
        **MASTERPLAN_LABELS,
        "qr_svg": qr_inline_svg(state["session"]["join_url"]),
        "remote_qr": remote.remote_qr(request.app.state.settings.public_url, session.id),
        "remote_next": f"/console/sessions/{session.id}",
        "live_url": f"/console/sessions/{session.id}/stream?v={version}",
        "live_seq": state["last_seq"],
        "error": error,
        # Beyond the hall: the deadline for late ideas (the venue's time) and the links.
        "open_until_input": Clock.of(request.app.state.settings.timezone).input_value(state["session"]["open_until"]),
        "share_count": shares.active_count(db, session.id),
        "may": {permission.value for permission in may},
        "read_only_note": None if Permission.run in may else workshops.refusal_for(may),
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/console/sessions/{session.id}")
    return render(request, "pages/console_session.html", context, status_code=status_code)


def _review_context(review: suggestions.Review | None, dismissed: list[str], threshold: str | None) -> dict:
    """The review list of suggested groups and dimensions (``review.py`` takes its
    forms): what the facilitator has not dismissed in this view."""
    if review is None:
        return {"review": None}
    keys = set(dismissed)
    try:
        percent = form_int(threshold, field="Threshold", default=REVIEW_THRESHOLD)
    except DomainError:
        percent = REVIEW_THRESHOLD  # a hand-edited address: the default, not an error page
    return {
        "review": review,
        "review_clusters": [
            (suggestions.dismissal_key(c.idea_ids), c)
            for c in review.clusters
            if suggestions.dismissal_key(c.idea_ids) not in keys
        ],
        "review_guesses": [g for g in review.guesses if f"d{g.idea_id}" not in keys],
        "review_dismissed": sorted(keys),
        "review_threshold": min(max(percent, 0), 100),
    }


@router.post("/sessions/{session_id}/settings")
def update_settings(
    session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, settings: SessionSettings
) -> Response:
    try:
        sessions.update_session(db, facilitator=facilitator, session_id=session_id, **settings.values())
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        db.rollback()
        return page_response(
            request,
            db,
            facilitator,
            session_id,
            settings_error=error_text(request, exc),
            typed=settings.typed(),
            status_code=exc.status_code,
        )
    return see_other(f"/console/sessions/{session_id}#settings")


@router.post("/sessions/{session_id}/participants/{participant_id}/remove")
def remove_participant(
    session_id: Id,
    participant_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    hide_ideas: str = Form(""),
) -> Response:
    """Take someone out (a prankster with the code), with all their ideas hidden when
    asked (one action); lock joining in the settings so they cannot come back."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != session.id:
        raise NotFound("Participant not found.")
    participants.remove(
        db, facilitator=facilitator, participant_id=participant_id, hide_ideas=hide_ideas not in ("", "0", "false")
    )
    return see_other(f"/console/sessions/{session_id}#join")


@router.post("/sessions/{session_id}/participants/{participant_id}/erase")
def erase_participant(
    session_id: Id, participant_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator
) -> Response:
    """Erase someone's name and office (their request under UU PDP): the confirmation
    is the form inside "Hapus data pribadi" (no script needed); the console reloads
    with the person nameless, their ideas and dots still counted."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != session.id:
        raise NotFound("Participant not found.")
    erasure.erase_participant(db, participant_id=participant_id, actor=facilitator)
    after_erasure_in(request.app.state)
    return see_other(f"/console/sessions/{session_id}#join")


@router.post("/sessions/{session_id}/merge")
def merge_groups(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    group_id: str = Form(""),
    into: str = Form(""),
) -> Response:
    """Accept a duplicate suggestion: the ideas of ``group_id`` join ``into``."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    try:
        source, target = form_int(group_id, field="Group to merge"), form_int(into, field="Target group")
        if source is None or target is None:
            raise NotFound("Group not found.")
        for gid in (source, target):
            if groups.get(db, gid).session_id != session_id:
                raise NotFound("Group not found.")
        groups.merge(db, actor=Actor(facilitator=facilitator), group_id=source, into_group_id=target)
    except DomainError as exc:
        db.rollback()
        return page_response(
            request, db, facilitator, session_id, error=error_text(request, exc), status_code=exc.status_code
        )
    return see_other(f"/console/sessions/{session_id}#duplicates")


@router.post("/sessions/{session_id}/phase")
def change_phase(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    phase: str = Form(""),
    next: str = Form(""),
) -> Response:
    try:
        sessions.change_phase(db, facilitator=facilitator, session_id=session_id, phase=phase)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        db.rollback()
        return page_response(
            request, db, facilitator, session_id, error=error_text(request, exc), status_code=exc.status_code
        )
    return see_other(remote.back_to(session_id, next))


@router.post("/ideas/{idea_id}/visibility")
def set_visibility(
    idea_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, hidden: str = Form("1")
) -> Response:
    """Hide an idea from the board and the phones (kept for the facilitator), or show it again."""
    idea, _seq = ideas.set_hidden(db, facilitator=facilitator, idea_id=idea_id, hidden=hidden not in ("0", "false", ""))
    if is_htmx(request):
        author = db.get(Participant, idea.participant_id) if idea.participant_id else None
        return render(
            request,
            "fragments/_moderation_row.html",
            {"idea": payloads.idea_public(idea, author), "session_id": idea.session_id},
        )
    return see_other(f"/console/sessions/{idea.session_id}#mod-idea-{idea.id}")


@router.post("/ideas/{idea_id}/approve")
def approve_idea(idea_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    """Let a held idea onto the board: the queue's "approve" (key a). With htmx the row
    simply leaves the queue (the live stream updates the rest of the page)."""
    idea, _seq = ideas.approve(db, facilitator=facilitator, idea_id=idea_id)
    if is_htmx(request):
        return Response(status_code=200)
    return see_other(f"/console/sessions/{idea.session_id}#held-queue")
