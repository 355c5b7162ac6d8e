"""A whole workshop as one file: download its archive, import one into this Rembuk
(``app.services.archive``; the format is in ``docs/archive.md``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.routes.api_summary import filename_for
from app.routes.api_workshops import workshop_out
from app.routes.downloads import attachment
from app.schemas import WorkshopOut
from app.services import archive

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))

ZIP = "application/zip"


def max_bytes(request: Request) -> int:
    return request.app.state.settings.archive_max_mb * 2**20


async def archive_upload(request: Request, facilitator: CurrentFacilitator) -> bytes:
    """The request's body, read no further than the limit (a declared length over it
    is refused before reading). After the login check: a stranger uploads nothing."""
    limit = max_bytes(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        archive.check_size(int(declared), max_bytes=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        archive.check_size(size, max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


ArchiveUpload = Annotated[bytes, Depends(archive_upload)]


@router.get(
    "/workshops/{workshop_id}/archive",
    response_class=Response,
    responses={
        200: {"description": "The archive (a zip holding workshop.json), as an attachment", "content": {ZIP: {}}}
    },
)
def export_workshop(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> Response:
    """The whole workshop (stages, sessions with every setting, participants, ideas,
    groups, votes, ratings, roadmap, signatures, lineage) for another Rembuk to import."""
    workshop, body = archive.export_for(db, facilitator=facilitator, workshop_id=workshop_id)
    return attachment(
        db,
        body,
        media_type=ZIP,
        filename=filename_for(workshop.title, workshop.id, "zip", "arsip-"),
        file="archive.zip",
        actor=facilitator,
        workshop_id=workshop.id,
        workshop=workshop,
    )


@router.post(
    "/workshops/import",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkshopOut,
    responses={
        201: {
            "description": "The new workshop, owned by the caller",
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        **errors(413),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The file `GET /api/v1/workshops/{id}/archive` gave (or the workshop.json inside it)",
            "content": {
                ZIP: {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
def import_workshop(
    facilitator: CurrentFacilitator, data: ArchiveUpload, db: DbDep, request: Request, response: Response
) -> WorkshopOut:
    """A new workshop from an archive, with new ids; the caller owns it. A file that is
    not an archive, is damaged or cut short, or comes from a newer Rembuk gets a 422
    saying why, and nothing is written."""
    imported = archive.import_archive(db, owner=facilitator, data=data, max_bytes=max_bytes(request))
    response.headers["Location"] = f"/api/v1/workshops/{imported.workshop.id}"
    return workshop_out(db, request, imported.workshop)
