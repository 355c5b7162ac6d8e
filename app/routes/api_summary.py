"""Summary downloads for the facilitator."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from app.deps import CurrentFacilitator, DbDep
from app.exports import basic
from app.routes.api_params import Id
from app.services import sessions, summary

router = APIRouter(prefix="/api/v1", tags=["facilitator"])

FORMATS: dict[str, tuple[Callable[[dict], bytes], str]] = {
    "md": (basic.to_markdown, "text/markdown; charset=utf-8"),
    "csv": (basic.to_csv, "text/csv; charset=utf-8"),
    "json": (basic.to_json, "application/json"),
}


def filename_for(title: str, session_id: int, ext: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "sesi"
    return f"rembuk-{session_id}-{slug}.{ext}"


def summary_response(fmt: str, session_id: int, db, facilitator, request: Request) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    data = summary.session_summary(db, session=session, public_url=request.app.state.settings.public_url)
    render, media_type = FORMATS[fmt]
    return Response(
        render(data),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename_for(session.title, session.id, fmt)}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/sessions/{session_id}/summary.md", response_class=Response)
def summary_md(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    return summary_response("md", session_id, db, facilitator, request)


@router.get("/sessions/{session_id}/summary.csv", response_class=Response)
def summary_csv(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    return summary_response("csv", session_id, db, facilitator, request)


@router.get("/sessions/{session_id}/summary.json")
def summary_json(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
    return summary_response("json", session_id, db, facilitator, request)
