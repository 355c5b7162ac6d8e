"""Passwords, signed tokens and the cookies that carry them.

Tokens are signed, not stored: a participant's phone keeps its identity in a signed
cookie (the same value works as a Bearer token for the API). A facilitator's token
also carries the facilitator's ``token_epoch``; logging out bumps the epoch, so every
token signed before is refused (``app.deps.optional_facilitator``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from pwdlib import PasswordHash
from starlette.requests import Request
from starlette.responses import Response

_password_hash = PasswordHash.recommended()  # argon2id

FACILITATOR_SALT = "rembuk.facilitator.v1"
PARTICIPANT_SALT = "rembuk.participant.v1"
# A Bimtek runs for weeks: groups keep adding items for about a month after a stage.
PARTICIPANT_TOKEN_MAX_AGE = 60 * 24 * 3600

FACILITATOR_COOKIE = "rembuk_fac"


def participant_cookie_name(session_id: int) -> str:
    return f"rembuk_p{session_id}"


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _password_hash.verify(password, password_hash)
    except Exception:  # a malformed hash must not become a 500
        return False


def new_setup_token() -> str:
    return secrets.token_urlsafe(24)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cookie_is_secure(request: Request) -> bool:
    """Whether a cookie may travel only over HTTPS: when this request came over HTTPS
    (behind a reverse proxy uvicorn takes the scheme from X-Forwarded-Proto, from the
    addresses in FORWARDED_ALLOW_IPS only), or when ``REMBUK_PUBLIC_URL`` is https,
    which says the site is served over HTTPS whatever this request looked like."""
    if request.url.scheme == "https":
        return True
    settings = getattr(request.app.state, "settings", None)
    return settings is not None and settings.public_url.lower().startswith("https://")


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int) -> None:
    """The one place that decides a cookie's flags. HttpOnly: no script of
    ours reads a cookie, so none may. SameSite=Lax: other sites' forms and frames do
    not carry it (the CSRF check in ``app.csrf`` also covers sites on the same domain).
    Secure: see ``cookie_is_secure``."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=cookie_is_secure(request)
    )


def delete_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=cookie_is_secure(request))


@dataclass(frozen=True)
class FacilitatorClaim:
    facilitator_id: int
    epoch: int


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def joined_mark(joined_at: datetime) -> int:
    """When a participant joined, in whole microseconds (exact, whatever the zone)."""
    if joined_at.tzinfo is None:
        joined_at = joined_at.replace(tzinfo=UTC)
    return (joined_at - EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class ParticipantClaim:
    participant_id: int
    session_id: int
    # When the participant joined. A database restored from a backup hands the ids of
    # people who joined after the copy to the next people who join: the id alone would
    # let an old phone act as a newcomer. Tokens signed before this was added carry none.
    joined: int | None = None

    def names(self, joined_at: datetime) -> bool:
        """Whether this token was given to the participant who joined at ``joined_at``."""
        return self.joined is None or self.joined == joined_mark(joined_at)


class TokenSigner:
    def __init__(self, secret_key: str, facilitator_max_age: int) -> None:
        self._fac = URLSafeTimedSerializer(secret_key, salt=FACILITATOR_SALT)
        self._par = URLSafeTimedSerializer(secret_key, salt=PARTICIPANT_SALT)
        self.facilitator_max_age = facilitator_max_age

    def facilitator_token(self, facilitator_id: int, epoch: int = 0) -> str:
        """Signed for the facilitator at their current ``token_epoch``."""
        return self._fac.dumps({"f": facilitator_id, "e": epoch})

    def read_facilitator_claim(self, token: str) -> FacilitatorClaim | None:
        """Who signed in and at which epoch; the caller compares the epoch with the
        facilitator's current one (a token from before a logout is dead)."""
        try:
            data = self._fac.loads(token, max_age=self.facilitator_max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        fid, epoch = data.get("f"), data.get("e", 0)  # tokens from before epochs existed: 0
        if isinstance(fid, int) and isinstance(epoch, int) and not isinstance(epoch, bool):
            return FacilitatorClaim(fid, epoch)
        return None

    def read_facilitator(self, token: str) -> int | None:
        """The facilitator id in a valid signature (not whether the login is still current)."""
        claim = self.read_facilitator_claim(token)
        return claim.facilitator_id if claim else None

    def participant_token(self, participant_id: int, session_id: int, joined_at: datetime | None = None) -> str:
        claims: dict[str, int] = {"p": participant_id, "s": session_id}
        if joined_at is not None:
            claims["j"] = joined_mark(joined_at)
        return self._par.dumps(claims)

    def read_participant(self, token: str) -> ParticipantClaim | None:
        try:
            data = self._par.loads(token, max_age=PARTICIPANT_TOKEN_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        pid, sid, joined = data.get("p"), data.get("s"), data.get("j")
        if isinstance(pid, int) and isinstance(sid, int) and (joined is None or type(joined) is int):
            return ParticipantClaim(pid, sid, joined)
        return None
