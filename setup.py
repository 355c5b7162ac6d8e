"""Packaging beyond what pyproject.toml can say: Alembic's top-level ``migrations/``
ships inside the wheel as ``app/migrations`` (``app/migrate.py`` looks there first),
so ``pip install .`` without ``-e`` can run ``rembuk migrate``. pyproject's
``packages.find`` cannot add a package from another folder under a new name; every
other setting stays in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["app*"]), "app.migrations", "app.migrations.versions"],
    package_dir={"app.migrations": "migrations"},
)
