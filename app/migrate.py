"""Alembic, driven from code: ``rembuk migrate`` and the start-up check."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.settings import Settings


def migrations_dir() -> Path:
    """Alembic's scripts: ``app/migrations`` in an installed wheel (setup.py ships the
    top-level folder there), ``migrations/`` beside ``app/`` in a source tree or an
    editable install."""
    here = Path(__file__).resolve().parent
    installed = here / "migrations"
    return installed if (installed / "env.py").is_file() else here.parent / "migrations"


MIGRATIONS_DIR = migrations_dir()


class NotMigrated(RuntimeError):
    pass


def alembic_config(settings: Settings) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", settings.resolved_database_url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), revision)


@cache
def code_head() -> str | None:
    """The newest migration this code ships. Read once per process: the migrations
    change only with the code, and reading them compiles every script (~20 ms, paid
    by each app the test suite makes)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def check_migrated(engine: Engine, settings: Settings) -> None:
    """Refuse to serve an old schema: say which command fixes it."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = code_head()
    if current != head:
        raise NotMigrated(
            f"The database at {engine.url.render_as_string(hide_password=True)} is not migrated "
            f"(at {current or 'nothing'}, code needs {head}). Run `rembuk migrate` (or `make run`, which migrates)."
        )
