"""Passwords and signed tokens.

Tokens are signed, not stored: a participant's phone keeps its identity in a signed
cookie (the same value works as a Bearer token for the API).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from pwdlib import PasswordHash

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


@dataclass(frozen=True)
class ParticipantClaim:
    participant_id: int
    session_id: int


class TokenSigner:
    def __init__(self, secret_key: str, facilitator_max_age: int) -> None:
        self._fac = URLSafeTimedSerializer(secret_key, salt=FACILITATOR_SALT)
        self._par = URLSafeTimedSerializer(secret_key, salt=PARTICIPANT_SALT)
        self.facilitator_max_age = facilitator_max_age

    def facilitator_token(self, facilitator_id: int) -> str:
        return self._fac.dumps({"f": facilitator_id})

    def read_facilitator(self, token: str) -> int | None:
        try:
            data = self._fac.loads(token, max_age=self.facilitator_max_age)
        except BadSignature:
            return None
        value = data.get("f") if isinstance(data, dict) else None
        return value if isinstance(value, int) else None

    def participant_token(self, participant_id: int, session_id: int) -> str:
        return self._par.dumps({"p": participant_id, "s": session_id})

    def read_participant(self, token: str) -> ParticipantClaim | None:
        try:
            data = self._par.loads(token, max_age=PARTICIPANT_TOKEN_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        pid, sid = data.get("p"), data.get("s")
        if isinstance(pid, int) and isinstance(sid, int):
            return ParticipantClaim(pid, sid)
        return None
