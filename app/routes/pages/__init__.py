"""HTML pages (htmx): console, board, phone. Each module has its own router."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
