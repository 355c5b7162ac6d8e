"""Settings, read once from the environment (prefix ``REMBUK_``).

Every setting has a default and a one-line help (the ``description``); the README's
configuration table is generated from this class and a test checks it is current.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import Enum
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.localtime import DEFAULT_ZONE, zone

VAR_DIR = Path("var")


class Environment(str, Enum):
    development = "development"
    production = "production"


class HtmxSource(str, Enum):
    cdn = "cdn"
    local = "local"


class LogFormat(str, Enum):
    text = "text"
    json = "json"


class LogLevel(str, Enum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(BaseSettings):
    # A `.env` file in the working directory is read too (`.env.example` lists every
    # variable); the process environment wins over it.
    model_config = SettingsConfigDict(env_prefix="REMBUK_", extra="ignore", env_file=".env", env_file_encoding="utf-8")

    env: Environment = Field(
        Environment.development,
        description="`development` or `production`; production refuses to start without a secret key.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL. Default: SQLite file `./var/rembuk.sqlite3` (WAL). "
        "PostgreSQL: `postgresql+psycopg://user@host/db`.",
    )
    broker_url: str = Field(
        "memory://",
        description="Where live events are signalled between processes: `memory://` (one process) or "
        "`redis://host:6379/0` (several workers or hosts; Redis signals and counts the login and join limits, "
        "the database keeps the events).",
    )
    secret_key: str = Field(
        "",
        description="Signs cookies and tokens. Unset in development: generated once into `./var/secret_key`.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base of join links and QR codes, as phones in the room reach the server "
        "(e.g. `http://192.168.1.10:8000`).",
    )
    htmx_source: HtmxSource = Field(
        HtmxSource.cdn,
        description="`cdn`: pinned htmx from the CDN with SRI, falling back to the vendored copy; "
        "`local`: vendored copy only (venue LAN without internet).",
    )
    var_dir: Path = Field(VAR_DIR, description="Folder for the SQLite file and the generated secret key.")
    sse_heartbeat_seconds: float = Field(
        15.0, description="Seconds between SSE heartbeat comments (keeps proxies and phones connected)."
    )
    joins_per_minute: int = Field(
        600,
        ge=0,
        description="Joins accepted per network address per minute (a ballroom behind one hotel NAT joins "
        "within a few minutes); 0 = no limit. Wrong join codes are limited separately (60 a minute).",
    )
    sse_tick_seconds: float = Field(
        0.1,
        ge=0,
        le=2,
        description="A live screen sends what happened at most once per tick: a burst of votes reaches a "
        "phone as one update, not hundreds (0 sends every event at once).",
    )
    max_concurrent_requests: int = Field(
        16,
        ge=1,
        le=35,
        description="Requests (not live streams) a worker serves at once; the rest wait their turn. Below the "
        "database pool (40), so a burst can never take every connection and stall the worker.",
    )
    reload_spread_ms_per_phone: int = Field(
        20,
        ge=0,
        le=5000,
        description="When the whole room must reload (the vote opens), each phone reloads at a moment of its own "
        "within a window of this many ms per phone following the session (at most 20 s), so one worker serves the "
        "pages in turn instead of turning some away; 0 = all at once.",
    )
    request_queue_seconds: float = Field(
        15.0,
        gt=0,
        description="How long a request waits for its turn before it gets 503 with Retry-After (the phone retries).",
    )
    sse_replay_limit: int = Field(
        1000,
        description="A reconnecting client more than this many events behind gets a full snapshot instead of a replay.",
    )
    facilitator_session_hours: int = Field(12, description="How long a facilitator stays logged in.")
    timezone: str = Field(
        DEFAULT_ZONE,
        description="Time zone of every time and date on screens and in downloads, written with its name: "
        "`Asia/Jakarta` (WIB), `Asia/Makassar` (WITA) or `Asia/Jayapura` (WIT); the API keeps UTC.",
    )

    # Backups: the rolling copies of the SQLite database a live session leaves behind (app/snapshots.py).
    backup_dir: str = Field(
        "", description="Folder of the live snapshots. Default: `backups` inside `REMBUK_VAR_DIR`."
    )  # a str, not a Path: an empty value in .env means the default, not the current folder
    backup_minutes: float = Field(
        5.0,
        ge=0,
        description="While a session is live (brainstorm to results), copy the SQLite database into "
        "`REMBUK_BACKUP_DIR` this often when something changed (fractions allowed); 0 = no snapshots.",
    )
    backup_keep: int = Field(12, ge=1, description="Live snapshots kept; older ones are deleted.")

    archive_max_mb: int = Field(
        64,
        ge=1,
        description="Largest workshop archive an import accepts, in MB of its unpacked `workshop.json` "
        "(16 sessions of 500 people, 24,000 ideas: 28 MB; importing takes about 17 times that in memory).",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        zone(name)  # an unknown zone stops the start with what to set, not a wrong hour in every document
        return name

    # --- logging (app/logs.py) ---
    log_format: LogFormat = Field(
        LogFormat.text,
        description="`text`: one readable line per record (UTC time, level, logger, message); `json`: one JSON "
        "object per line, for a log collector. uvicorn's lines go the same way.",
    )
    log_level: LogLevel = Field(
        LogLevel.INFO,
        description="The least important records written: `DEBUG`, `INFO` (each request, by uvicorn), `WARNING`, "
        "`ERROR`. `rembuk serve --log-level` overrides it.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Settings:
        # A public server must never run with a key anyone can read from a default.
        if self.env is Environment.production and not self.secret_key:
            raise ValueError("REMBUK_SECRET_KEY must be set when REMBUK_ENV=production")
        if self.env is Environment.production and len(self.secret_key) < 32:
            raise ValueError("REMBUK_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'rembuk.sqlite3').as_posix()}"

    @property
    def resolved_backup_dir(self) -> Path:
        return Path(self.backup_dir) if self.backup_dir.strip() else self.var_dir / "backups"

    @property
    def deployment_id(self) -> str:
        """Names what the processes of one deployment share (their database), e.g. the
        broker channel: workers on one database hear each other, another Rembuk on the
        same Redis does not. A digest: the URL may hold a password."""
        return hashlib.sha256(self.resolved_database_url.encode()).hexdigest()[:16]

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def resolved_secret_key(self) -> str:
        """The configured key, or in development one generated once and kept in ``var/``."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def settings_table() -> str:
    """Markdown table of every setting (used by the README and checked by a test)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Enum):
            default = default.value
        shown = f"`{default}`" if default not in ("", None) else "(see meaning)"
        rows.append(f"| `REMBUK_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)


def env_example() -> str:
    """``.env.example``: every setting, commented out at its default, with its help
    (generated like the README table and checked by the same test)."""
    lines = [
        "# Rembuk configuration. Copy to `.env` (read from the working directory) or set these",
        "# variables in the environment; the environment wins. Generated by `make settings-doc`.",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Enum):
            default = default.value
        lines += ["", f"# {field.description}", f"# REMBUK_{name.upper()}={'' if default is None else default}"]
    return "\n".join(lines) + "\n"
