"""The error answers of the JSON API, documented once for the OpenAPI schema.

Every error is ``{"detail": …}`` (``app.main``'s handlers): a translated message for
the rules the services enforce (``app.errors``) and for a busy database (503), or
FastAPI's list of field errors when the request does not parse (422). Routers list
the statuses they can answer, so ``/docs`` tells an integration what to expect and
``tests/security/test_api_fuzz.py`` can check that nothing else ever comes back.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, in the caller's language (Indonesian by default)")


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(BaseModel):
    detail: str | list[FieldError] = Field(
        description="A rule of the session (a message), or the fields that do not parse (a list)"
    )


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}

ERRORS: dict[int, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body could not be read (not UTF-8 JSON)"},
    401: {"model": ErrorOut, "description": "No valid login or participant token"},
    403: {"model": ErrorOut, "description": "Logged in, but not allowed to do this"},
    404: {"model": ErrorOut, "description": "Not found, or not yours to see"},
    409: {"model": ErrorOut, "description": "Not possible in the session's current state (e.g. its phase)"},
    413: {
        "model": ErrorOut,
        "description": "The upload is larger than the server accepts (the message names the setting)",
    },
    422: {"model": InvalidOut, "description": "Invalid request"},
    429: {"model": ErrorOut, "description": "Too many requests from this caller", "headers": _RETRY_AFTER},
    503: {
        "model": ErrorOut,
        "description": "The server is busy (app/admission.py, or the database); nothing was written",
        "headers": _RETRY_AFTER,
    },
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router: the given error statuses, and always those any
    request may meet (a body that is not JSON, invalid fields, a busy database)."""
    return {code: ERRORS[code] for code in sorted({*codes, 400, 422, 503})}
