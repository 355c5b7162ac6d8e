"""A whole workshop as one file that another Rembuk (SQLite or PostgreSQL) imports
with the same board, results and downloads: ``export`` and ``import_archive``.

The file is a zip holding ``workshop.json`` (``archive_format``: ``format``,
``version``, the rows); a bare ``workshop.json`` is accepted too. A file that is
not an archive, is cut short, is damaged or was made by a newer Rembuk is refused
with a message that says what to do, before anything is written; the import itself
is one transaction, so a row the database refuses leaves nothing behind either.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError

from app.db import Db, write_transaction
from app.domain import Permission
from app.errors import Invalid, TooLarge
from app.models import Facilitator, Workshop
from app.services import archive_export, archive_import, workshops
from app.services.archive_format import FORMAT, VERSION, Archive
from app.services.archive_import import Imported

MEMBER = "workshop.json"
ZIP_MAGIC = b"PK\x03\x04"
# The limit (REMBUK_ARCHIVE_MAX_MB) is on workshop.json as unpacked, since that is
# what takes memory: reading and checking it held ~17 times its size at the peak
# (a 27.5 MB workshop.json of 16 sessions of 500 people: ~480 MB). The upload, zipped
# or not, is never larger; a small zip that unpacks past it ("zip bomb") stops there.

NOT_ARCHIVE = "This file is not a Rembuk workshop archive. Choose the .zip file that Rembuk exported."
DAMAGED = "The archive is damaged or incomplete (%(problem)s). Export the workshop again and import the new file."
NEWER = "The archive was made by a newer Rembuk (format %(version)s); update Rembuk to import it."
TOO_LARGE = "The archive is larger than %(limit)s MB; raise REMBUK_ARCHIVE_MAX_MB to import it."

__all__ = ["Imported", "check_size", "export", "export_for", "import_archive", "read"]


def export_for(db: Db, *, facilitator: Facilitator, workshop_id: int) -> tuple[Workshop, bytes]:
    """The archive of a workshop this facilitator owns or was added to (404 otherwise)."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.download
    )
    return workshop, export(db, workshop)


def export(db: Db, workshop: Workshop) -> bytes:
    """The zip file of ``workshop``."""
    text = json.dumps(archive_export.document(db, workshop), ensure_ascii=False, separators=(",", ":"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(MEMBER, text.encode())
    return out.getvalue()


def import_archive(db: Db, *, owner: Facilitator, data: bytes, max_bytes: int) -> Imported:
    """A new workshop of ``owner`` made from the archive ``data`` (a zip or its JSON)."""
    archive = read(data, max_bytes=max_bytes)
    try:
        with write_transaction(db):
            return archive_import.write(db, archive, owner=owner)
    except (IntegrityError, DataError) as exc:  # what the checks missed and the database refuses: nothing written
        raise Invalid(DAMAGED, problem=str(exc.orig).splitlines()[0]) from None


def check_size(size: int, *, max_bytes: int) -> None:
    """``TooLarge`` (413) for an upload over the limit (``REMBUK_ARCHIVE_MAX_MB``)."""
    if size > max_bytes:
        raise TooLarge(TOO_LARGE, limit=max_bytes // 2**20)


def read(data: bytes, *, max_bytes: int) -> Archive:
    """The archive in ``data``, checked, or ``Invalid``/``TooLarge`` saying why not."""
    check_size(len(data), max_bytes=max_bytes)
    document = _document(_unpack(data, max_bytes))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Invalid(NOT_ARCHIVE)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Invalid(DAMAGED, problem=f"its version is {json.dumps(version)}, not a whole number from 1")
    if version > VERSION:
        raise Invalid(NEWER, version=version)
    try:
        return Archive.model_validate(document)
    except ValidationError as exc:
        raise Invalid(DAMAGED, problem=_first_error(exc)) from None


def _unpack(data: bytes, limit: int) -> bytes:
    if not data.startswith(ZIP_MAGIC):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            try:
                info = zf.getinfo(MEMBER)
            except KeyError:
                raise Invalid(NOT_ARCHIVE) from None
            if info.file_size > limit:
                raise TooLarge(TOO_LARGE, limit=limit // 2**20)
            with zf.open(info) as member:
                body = member.read(limit + 1)  # the header's size may lie
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise Invalid(DAMAGED, problem=f"zip: {exc}") from None
    if len(body) > limit:
        raise TooLarge(TOO_LARGE, limit=limit // 2**20)
    return body


def _document(body: bytes) -> Any:
    if not body.lstrip()[:1] == b"{":
        raise Invalid(NOT_ARCHIVE)
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise Invalid(DAMAGED, problem="the text is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise Invalid(DAMAGED, problem=f"JSON ends or breaks at character {exc.pos}") from None
    except RecursionError:
        raise Invalid(DAMAGED, problem="JSON nested too deeply") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]
