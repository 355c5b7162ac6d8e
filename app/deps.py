"""FastAPI dependencies: the database session and who is calling.

A facilitator is recognised by ``Authorization: Bearer`` (API) or the login cookie
(HTML); a participant by Bearer or the per-session cookie set when joining.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.db import Db
from app.errors import Forbidden, Unauthorized
from app.models import Facilitator, Participant
from app.security import FACILITATOR_COOKIE, TokenSigner, participant_cookie_name
from app.services import facilitators, participants
from app.settings import Settings


def get_db(request: Request) -> Iterator[Db]:
    with request.app.state.sessions() as db:
        yield db


DbDep = Annotated[Db, Depends(get_db)]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_signer(request: Request) -> TokenSigner:
    return request.app.state.signer


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def optional_facilitator(request: Request, db: DbDep) -> Facilitator | None:
    """The facilitator behind the Bearer token or the login cookie, if that login is
    still current: signed, not expired, and signed at the facilitator's present
    ``token_epoch`` (a logout bumps it). The epoch is on the row loaded anyway."""
    signer = get_signer(request)
    for token in (bearer_token(request), request.cookies.get(FACILITATOR_COOKIE)):
        if token:
            claim = signer.read_facilitator_claim(token)
            if claim is not None:
                facilitator = facilitators.get(db, claim.facilitator_id)
                if facilitator is None or facilitator.token_epoch != claim.epoch:
                    return None
                return facilitator
    return None


OptionalFacilitator = Annotated[Facilitator | None, Depends(optional_facilitator)]


def facilitator_login_current(request: Request) -> Callable[[], Awaitable[bool]]:
    """For a facilitator's live stream: whether the login it was opened with still
    holds (a logout anywhere bumps the epoch). One read per check, off the loop."""

    def check() -> bool:
        with request.app.state.sessions() as db:
            return holds_facilitator_login(request, db)

    async def still_current() -> bool:
        return await run_in_threadpool(check)

    return still_current


def holds_facilitator_login(request: Request, db: Db) -> bool:
    """Whether the request carries a current facilitator login (Bearer or cookie).
    A refusal on a participant's route is then a 403 (a valid credential of the wrong
    kind: logging in again would not help), not a 401; an expired or logged-out one
    counts as none. The facilitator's side of ``holds_participant_token``."""
    return optional_facilitator(request, db) is not None


def require_facilitator(facilitator: OptionalFacilitator, request: Request) -> Facilitator:
    if facilitator is None:
        if holds_participant_token(request):
            raise Forbidden("This needs a facilitator login.")
        raise Unauthorized("Log in as a facilitator first.")
    return facilitator


CurrentFacilitator = Annotated[Facilitator, Depends(require_facilitator)]


def holds_participant_token(request: Request) -> bool:
    """Whether the request carries a participant token that reads (Bearer, or a
    phone's cookie for the session it names), of any session, removed or not. A
    refusal on a facilitator's route (or another session's) is then a 403, so the
    phone does not offer a login; an unreadable or expired token counts as none (401)."""
    return bool(_participant_claims(request))


def _participant_claims(request: Request) -> list:
    signer = get_signer(request)
    claims = []
    token = bearer_token(request)
    if token:
        claim = signer.read_participant(token)
        if claim:
            claims.append(claim)
    for name, value in request.cookies.items():
        if name.startswith("rembuk_p") and name[8:].isdigit():
            claim = signer.read_participant(value)
            if claim and claim.session_id == int(name[8:]):
                claims.append(claim)
    return claims


def participant_for_session(request: Request, db: Db, session_id: int) -> Participant | None:
    """The caller's participant in this session, if they joined it."""
    signer = get_signer(request)
    token = bearer_token(request) or request.cookies.get(participant_cookie_name(session_id))
    if not token:
        return None
    claim = signer.read_participant(token)
    if claim is None or claim.session_id != session_id:
        return None
    participant = participants.get_active(db, claim.participant_id, session_id)
    return participant if participant is not None and claim.names(participant.joined_at) else None


def any_participant(request: Request, db: Db) -> Participant | None:
    """The participant behind a Bearer token (API calls that do not name a session)."""
    token = bearer_token(request)
    if not token:
        return None
    claim = get_signer(request).read_participant(token)
    if claim is None:
        return None
    participant = participants.get_active(db, claim.participant_id, claim.session_id)
    return participant if participant is not None and claim.names(participant.joined_at) else None


def claims_participant(request: Request) -> bool:
    """Whether the Bearer token is a participant's (signed as one), whether or not that
    participant may still act: a removed phone is a participant who must join again,
    never mistaken for the facilitator whose login cookie the same browser holds."""
    token = bearer_token(request)
    return token is not None and get_signer(request).read_participant(token) is not None


def participant_only(refusal: str) -> Callable[[Request, Db], Participant]:
    """A dependency for what only participants do (ideas, dots, ratings, the
    commitment): the participant behind the Bearer token. A facilitator's current
    login is a 403 with ``refusal``, no usable token a 401 (join again)."""

    def dependency(request: Request, db: DbDep) -> Participant:
        participant = any_participant(request, db)
        if participant is not None:
            return participant
        if holds_facilitator_login(request, db):
            raise Forbidden(refusal)
        raise Unauthorized("Join the session first.")

    return dependency


CurrentParticipant = Annotated[
    Participant, Depends(participant_only("This is for participants: join the session from a phone."))
]


def client_address(request: Request) -> str:
    """Who is calling, for rate limits: the peer address (behind a reverse proxy,
    uvicorn takes X-Forwarded-For only from the addresses in FORWARDED_ALLOW_IPS,
    127.0.0.1 by default, so a phone cannot pick its own address)."""
    return request.client.host if request.client else "unknown"
