"""What several test folders share: builders of browser sessions, page forms, downloads,
rooms of groups and dots, the event log's reader, stream clients and faults. Fixtures
live in ``tests/conftest.py``; these are plain functions and constants."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
