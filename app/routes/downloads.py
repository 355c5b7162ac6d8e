"""Every file Rembuk hands out goes through ``attachment``: the answer's headers, and
exactly one audit entry (``app.services.audit.downloaded``) in a small write transaction
after the file was built and before it is sent. One place, so a new download cannot
forget its entry (tests/privacy/test_audit.py asks every route of the app that answers
with an attachment). A file of a session or a workshop is ``export.downloaded``; a
person's own data says whose: ``participant.data_downloaded`` (the right of access,
``api_participant_data``), ``facilitator.data_downloaded`` (one's account, ``api_account``)."""

from __future__ import annotations

from fastapi import Response

from app.db import Db
from app.models import Facilitator, Session, Workshop
from app.services import audit


def attachment(
    db: Db,
    body: bytes,
    *,
    media_type: str,
    filename: str,
    file: str,
    actor: Facilitator | None,
    workshop_id: int | None,
    session: Session | None = None,
    workshop: Workshop | None = None,
    share_id: int | None = None,
    action: audit.Action = audit.Action.export_downloaded,
    target: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """``file``: what the log calls it (``summary.xlsx``, ``archive.zip``); ``filename``:
    what the browser saves. ``session`` or ``workshop``: what the file is of;
    ``share_id``: fetched through a read-only link (no actor). ``action`` and
    ``target``: a person's own data, logged as whose it is (``audit.downloaded``)."""
    audit.downloaded(
        db,
        actor=actor,
        file=file,
        workshop_id=workshop_id,
        session=session,
        workshop=workshop,
        share_id=share_id,
        action=action,
        target=target,
    )
    return Response(
        body,
        media_type=media_type,
        headers={
            **(headers or {}),
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
