"""Summary downloads for the facilitator: a session's, or a whole workshop's stage by
stage, in every format of ``app.exports.formats`` (one route per format, so an
unknown extension is a plain 404 and each format is listed in the OpenAPI docs)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from app.deps import CurrentFacilitator, DbDep
from app.domain import Permission
from app.exports.formats import FORMATS, SESSION_FORMATS, WORKSHOP_FORMATS
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.routes.downloads import attachment
from app.services import sessions, summary, workshops

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))


def filename_for(title: str, item_id: int, ext: str, kind: str = "") -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "sesi"
    return f"rembuk-{kind}{item_id}-{slug}.{ext}"


def session_route(ext: str) -> Callable[..., Response]:
    def session_summary(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
        session = sessions.get_for_facilitator(
            db, facilitator=facilitator, session_id=session_id, permission=Permission.download
        )
        settings = request.app.state.settings
        data = summary.session_summary(db, session=session, public_url=settings.public_url, timezone=settings.timezone)
        return attachment(
            db,
            FORMATS[ext].session(data),
            media_type=FORMATS[ext].media_type,
            filename=filename_for(session.title, session.id, ext),
            file=f"summary.{ext}",
            actor=facilitator,
            workshop_id=sessions.workshop_id_of(db, session),
            session=session,
        )

    return session_summary


def workshop_route(ext: str) -> Callable[..., Response]:
    make_file = FORMATS[ext].workshop
    if make_file is None:
        raise ValueError(f"routes are made for WORKSHOP_FORMATS only, not {ext}")

    def workshop_summary(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> Response:
        workshop = workshops.get_workshop(
            db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.download
        )
        settings = request.app.state.settings
        data = summary.workshop_summary(
            db, workshop=workshop, public_url=settings.public_url, timezone=settings.timezone
        )
        return attachment(
            db,
            make_file(data),
            media_type=FORMATS[ext].media_type,
            filename=filename_for(workshop.title, workshop.id, ext, "bimtek-"),
            file=f"summary.{ext}",
            actor=facilitator,
            workshop_id=workshop.id,
            workshop=workshop,
        )

    return workshop_summary


ROUTES = (
    ("session", "/sessions/{session_id}", SESSION_FORMATS, session_route),
    ("workshop", "/workshops/{workshop_id}", WORKSHOP_FORMATS, workshop_route),
)
for _kind, _path, _formats, _route in ROUTES:
    for _ext in _formats:
        router.add_api_route(
            f"{_path}/summary.{_ext}",
            _route(_ext),
            methods=["GET"],
            response_class=Response,
            name=f"{_kind}_summary_{_ext}",
            summary=f"{_kind.capitalize()} summary ({_ext})",
            responses={
                200: {
                    "description": "The file, as an attachment",
                    "content": {FORMATS[_ext].media_type.split(";")[0]: {}},
                }
            },
        )
