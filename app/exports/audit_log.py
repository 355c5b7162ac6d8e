"""The audit log as CSV (``app.services.audit``): one row per entry, newest first, as
the API lists them, with the venue's time beside UTC as the other CSV downloads have it
(UTF-8 with BOM for Excel, formulas neutralised: a target quotes titles people typed)."""

from __future__ import annotations

from typing import Any

from app.exports.basic import render_csv
from app.exports.model import Column, Row, Table
from app.localtime import Clock

COLUMNS = (
    Column("Waktu (UTC)", 21, "waktu"),
    Column("Waktu setempat", 22, "waktu_setempat"),
    Column("Pelaku", 30, "pelaku"),
    Column("ID pelaku", 10, "pelaku_id", numeric=True),
    Column("Tindakan", 26, "tindakan"),
    Column("Sasaran", 60, "sasaran"),
    Column("ID sesi", 8, "sesi_id", numeric=True),
)


def to_csv(entries: list[dict[str, Any]], *, timezone: str) -> bytes:
    """``entries``: ``Entry.public()`` of each entry."""
    clock = Clock.of(timezone)
    rows = [
        Row(
            (
                e["at"],
                clock.stamp(e["at"]),
                e["actor"],
                e["actor_id"],
                e["action"],
                e["target"],
                e["session_id"],
            )
        )
        for e in entries
    ]
    return render_csv(Table("Log audit", COLUMNS, rows))
