"""Domain errors: raised by services, turned into HTTP by one handler in ``app.main``.

Each carries an English msgid translated for the caller (Indonesian by default),
so the same rule gives the same message in the API and on the phone.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class Gone(DomainError):
    """It existed and was ended on purpose (a revoked read-only link)."""

    status_code = 410


class Conflict(DomainError):
    """The request is valid but the session's state does not allow it (e.g. wrong phase)."""

    status_code = 409


class Invalid(DomainError):
    status_code = 422


class TooManyRequests(DomainError):
    """Someone is going faster than a person in a workshop does; ``retry_after`` seconds."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int = 60, **params: Any) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


class TooLarge(DomainError):
    """An upload bigger than the server accepts (its setting is named in the message)."""

    status_code = 413
