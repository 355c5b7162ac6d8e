"""Every file of a session or a workshop goes through ``attachment``: the answer's
headers, and the audit log's ``export.downloaded`` entry (``app.services.audit.downloaded``)
in a small write transaction after the file was built and before it is sent. One place,
so a new download cannot forget its entry (tests/privacy/test_audit.py asks every route
of the app that answers with an attachment; a facilitator's own data, ``api_account``,
records its own action)."""

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
    headers: dict[str, str] | None = None,
) -> Response:
    """``file``: what the log calls it (``summary.xlsx``, ``archive.zip``); ``filename``:
    what the browser saves. ``session`` or ``workshop``: what the file is of;
    ``share_id``: fetched through a read-only link (no actor)."""
    audit.downloaded(
        db, actor=actor, file=file, workshop_id=workshop_id, session=session, workshop=workshop, share_id=share_id
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
