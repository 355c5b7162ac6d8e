"""The phone's service worker, served from ``/s/`` so that it may keep the phone
pages (``/s/<session>``) for a reload without network (app/static/sw.js)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.assets import STATIC_DIR

router = APIRouter()


@router.get("/s/sw.js", include_in_schema=False)
def service_worker() -> Response:
    # no-cache: the browser asks again on every visit, so a new release reaches
    # phones at once (its URL carries the assets' version besides, see phone.html).
    return Response(
        (STATIC_DIR / "sw.js").read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/s/"},
    )
