"""Facilitator accounts: the first one comes from a one-time setup link or the CLI."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from app.db import Db, write_transaction
from app.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorized
from app.models import Facilitator, SetupToken, utcnow
from app.security import digest, hash_password, new_setup_token, verify_password
from app.services.text import clean_text
from app.services.throttle import RateLimitStore, Throttle

MIN_PASSWORD_LENGTH = 10


def _normalise_email(email: str) -> str:
    email = clean_text(email, field="Email", max_length=254).lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise Invalid("Enter a valid email address.")
    return email


def create_facilitator(db: Db, *, email: str, password: str, name: str | None = None) -> Facilitator:
    email = _normalise_email(email)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    display = clean_text(name or email.split("@")[0], field="Name", max_length=120)
    with write_transaction(db):
        if db.scalar(select(col(Facilitator.id)).where(col(Facilitator.email) == email)) is not None:
            raise Conflict("A facilitator with this email already exists.")
        facilitator = Facilitator(email=email, name=display, password_hash=hash_password(password))
        db.add(facilitator)
    return facilitator


def authenticate(db: Db, *, email: str, password: str) -> Facilitator | None:
    try:
        email = _normalise_email(email)
    except Invalid:
        return None
    facilitator = db.scalar(select(Facilitator).where(col(Facilitator.email) == email))
    if facilitator is None or not facilitator.is_active:
        # Spend the same time as a real check so the response does not reveal accounts.
        verify_password(password or "", _dummy_hash())
        return None
    return facilitator if verify_password(password or "", facilitator.password_hash) else None


@cache
def _dummy_hash() -> str:
    """Made on the first unknown login, not at import: a production-cost argon2 hash
    takes ~0.6 s, which every process (each worker, each CLI command) paid at start-up."""
    return hash_password("not-a-real-password-just-timing")


# Failed logins: 5 per account and 20 per address in 15 minutes, then a wait.
LOGIN_WINDOW_SECONDS = 15 * 60


class LoginGuard:
    """The login rule: too many failures for an account or from an address, and
    the next try is refused before any password is checked (no guessing, and no
    argon2 work for the guesser)."""

    def __init__(self, store: RateLimitStore | None = None) -> None:
        store = store or RateLimitStore()
        self.by_account = Throttle("login-account", 5, LOGIN_WINDOW_SECONDS, store)
        self.by_address = Throttle("login-address", 20, LOGIN_WINDOW_SECONDS, store)

    def log_in(self, db: Db, *, email: str, password: str, address: str) -> Facilitator:
        account = (email or "").strip().lower()
        wait = max(self.by_account.retry_after(account), self.by_address.retry_after(address))
        if wait:
            raise TooManyRequests(
                "Too many failed logins. Wait %(minutes)s minutes, then try again.",
                retry_after=wait,
                minutes=max(1, round(wait / 60)),
            )
        facilitator = authenticate(db, email=email, password=password)
        if facilitator is None:
            self.by_account.fail(account)
            self.by_address.fail(address)
            raise Unauthorized("Wrong email or password.")
        self.by_account.reset(account)
        return facilitator


def get(db: Db, facilitator_id: int) -> Facilitator | None:
    facilitator = db.get(Facilitator, facilitator_id)
    return facilitator if facilitator is not None and facilitator.is_active else None


def log_out_everywhere(db: Db, *, facilitator: Facilitator) -> int:
    """End every login of this facilitator (every browser, every API token): bump
    ``token_epoch``, which every facilitator token carries. Returns the new epoch.
    One UPDATE, so two logouts at once both count and neither is lost."""
    with write_transaction(db):
        epoch = db.execute(
            update(Facilitator)
            .where(col(Facilitator.id) == facilitator.id)
            .values(token_epoch=col(Facilitator.token_epoch) + 1)
            .returning(col(Facilitator.token_epoch))
            .execution_options(synchronize_session=False)
        ).scalar_one()  # the facilitator's own row: always there
    set_committed_value(facilitator, "token_epoch", epoch)  # the database's value, not a second write
    return epoch


def count(db: Db) -> int:
    return db.scalar(select(func.count()).select_from(Facilitator)) or 0


def issue_setup_token(db: Db) -> str | None:
    """A one-time token to create the first facilitator, or None if one exists."""
    with write_transaction(db):
        if db.scalar(select(func.count()).select_from(Facilitator)):
            return None
        token = new_setup_token()
        db.add(SetupToken(token_hash=digest(token)))
    return token


def setup_token_valid(db: Db, token: str) -> bool:
    if count(db):
        return False
    row = db.scalar(select(SetupToken).where(col(SetupToken.token_hash) == digest(token or "")))
    return row is not None and row.used_at is None


def create_first_facilitator(db: Db, *, token: str, email: str, password: str, name: str | None) -> Facilitator:
    """Use the setup link once; afterwards facilitators are added by facilitators or the CLI."""
    if not setup_token_valid(db, token):
        raise NotFound("This setup link is invalid or was already used.")
    facilitator = create_facilitator(db, email=email, password=password, name=name)
    with write_transaction(db):
        row = db.scalar(select(SetupToken).where(col(SetupToken.token_hash) == digest(token)))
        if row is not None:
            row.used_at = utcnow()
    return facilitator


# An invited account's setup link: one use, for a week (then the owner invites again).
INVITE_DAYS = 7
NO_PASSWORD = ""  # nosec B105: the empty hash of an invited account until its setup link is used; no password matches it


def find_by_email(db: Db, email: str) -> Facilitator | None:
    return db.scalar(select(Facilitator).where(col(Facilitator.email) == _normalise_email(email)))


def normalise_email(email: str) -> str:
    return _normalise_email(email)


def awaiting_setup(facilitator: Facilitator) -> bool:
    """An account made by an invitation whose setup link was not used yet."""
    return facilitator.password_hash == NO_PASSWORD


def invite_account(db: Db, *, email: str) -> Facilitator:
    """An account for someone invited into a team who has none: no password, so nobody
    logs in with it until the setup link (``issue_invite_token``) sets one. The caller's
    write transaction holds it."""
    email = _normalise_email(email)
    if db.scalar(select(col(Facilitator.id)).where(col(Facilitator.email) == email)) is not None:
        raise Conflict("A facilitator with this email already exists.")
    facilitator = Facilitator(email=email, name=email.split("@")[0][:120], password_hash=NO_PASSWORD)
    db.add(facilitator)
    db.flush()
    return facilitator


def issue_invite_token(db: Db, *, facilitator: Facilitator) -> str:
    """A one-time setup link's token for an invited account (in the caller's write
    transaction). It names the account (``<id>.<random>``; only its digest is stored)
    and dies when used, after ``INVITE_DAYS``, or once the account has a password."""
    token = f"{facilitator.id}.{new_setup_token()}"
    db.add(SetupToken(token_hash=digest(token)))
    return token


def invited_by_token(db: Db, token: str) -> Facilitator | None:
    """The invited account a setup link is for, while the link holds."""
    account_id, dot, _rest = (token or "").partition(".")
    if not dot or not account_id.isdigit():
        return None
    row = db.scalar(select(SetupToken).where(col(SetupToken.token_hash) == digest(token)))
    if row is None or row.used_at is not None or utcnow() - row.created_at > timedelta(days=INVITE_DAYS):
        return None
    facilitator = get(db, int(account_id))
    return facilitator if facilitator is not None and awaiting_setup(facilitator) else None


def complete_invite(db: Db, *, token: str, password: str, name: str | None) -> Facilitator:
    """Use an invitation's setup link once: the account gets its name and password."""
    facilitator = invited_by_token(db, token)
    if facilitator is None:
        raise NotFound("This setup link is invalid, expired or was already used.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    display = clean_text(name or facilitator.name, field="Name", max_length=120)
    password_hash = hash_password(password)
    with write_transaction(db):
        row = db.scalar(select(SetupToken).where(col(SetupToken.token_hash) == digest(token)))
        fresh = db.get(Facilitator, facilitator.id, populate_existing=True, with_for_update=True)
        if row is None or row.used_at is not None or fresh is None or not awaiting_setup(fresh):
            raise NotFound("This setup link is invalid, expired or was already used.")
        row.used_at = utcnow()
        fresh.name = display
        fresh.password_hash = password_hash
    return fresh


def owner_for_import(db: Db, *, email: str | None) -> Facilitator:
    """Who owns a workshop imported from the command line: the account named by
    ``email``, or the only active account when there is one."""
    if email:
        found = db.scalar(select(Facilitator).where(col(Facilitator.email) == _normalise_email(email)))
        if found is None or not found.is_active:
            raise NotFound("No active facilitator with this email.")
        return found
    active = list(db.scalars(select(Facilitator).where(col(Facilitator.is_active)).limit(2)))
    if len(active) != 1:
        raise Invalid(
            "Name the facilitator who will own the workshop with --owner EMAIL."
            if active
            else "No facilitator yet: create one with rembuk create-facilitator first."
        )
    return active[0]
