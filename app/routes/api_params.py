"""Path parameters shared by the JSON API routers.

Ids are bounded to what the database can hold (PostgreSQL ``integer``): an id like
``10**20`` in a URL used to reach the driver and come back as a 500 (integer out of
range on PostgreSQL, OverflowError on SQLite). Now it is a 422 with ``detail``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**31 - 1

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Database id")]
