"""Spreadsheet formula injection: a cell starting with = + - @ tab or CR is run by Excel
as a formula. Prefixing an apostrophe makes it text (OWASP's advice)."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
