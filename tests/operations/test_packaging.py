"""``pip install .`` without ``-e`` gives a Rembuk that can migrate: the wheel carries
Alembic's ``migrations/`` (as ``app/migrations``), and the installed ``rembuk
migrate`` finds it there and creates the schema of a fresh SQLite file, with no
source tree in sight."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT

SOURCES = ("app", "migrations", "pyproject.toml", "setup.py", "README.md", "LICENSE")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of a clean copy of the sources (building in the repository would
    leave build/ behind), offline: setuptools comes from this environment."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    # What `pip install .` runs (setuptools' PEP 517 backend), without pip's own start-up.
    subprocess.run(
        [sys.executable, "-c", f"import setuptools.build_meta as b; b.build_wheel({str(out)!r})"],
        cwd=src, check=True, capture_output=True, timeout=120,
    )
    (built,) = out.glob("rembuk-*.whl")
    return built


def test_the_wheel_carries_every_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = ROOT / "migrations"
    shipped = {
        f"app/migrations/{p.relative_to(sources).as_posix()}"
        for p in sources.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    assert {"app/migrations/env.py", "app/migrations/script.py.mako"} <= shipped
    assert shipped <= names, sorted(shipped - names)
    assert not [n for n in names if n.startswith("migrations/")]  # no top-level package named "migrations"


def test_an_installed_rembuk_migrates_a_fresh_sqlite_file(wheel, tmp_path):
    """Installed as pip installs a pure-Python wheel (unpacked into a folder on the
    path), run from a folder with no migrations beside it."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    database = tmp_path / "fresh.sqlite3"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The installed package first; its dependencies from this environment.
    env = {**os.environ, "PYTHONPATH": str(site), "REMBUK_DATABASE_URL": f"sqlite:///{database}",
           "REMBUK_VAR_DIR": str(tmp_path / "var")}
    rembuk_migrate = (  # what the `rembuk` console script runs
        "import app, app.migrate, app.cli; print(app.__file__); print(app.migrate.MIGRATIONS_DIR); "
        "raise SystemExit(app.cli.main(['migrate']))"
    )
    done = subprocess.run([sys.executable, "-c", rembuk_migrate], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    package, migrations = done.stdout.splitlines()[:2]
    assert Path(package).is_relative_to(site) and Path(migrations) == site / "app" / "migrations"
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"facilitator", "session", "idea"} <= tables
    newest = sorted((ROOT / "migrations" / "versions").glob("*.py"))[-1]
    assert version == newest.name.split("_")[0]


def test_the_image_copies_what_the_wheel_is_built_from():
    copied = " ".join(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("COPY "))
    assert [name for name in SOURCES if name not in copied.split()] == []
    assert "PYTHONPATH" not in (ROOT / "Dockerfile").read_text()  # the installed package runs, not the sources
