"""The API's documentation, ``/docs`` (Swagger UI) and ``/redoc``, from vendored files.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (blank on a venue LAN, and
refused by our CSP anyway). These are the same pages with every URL local: the
scripts and the stylesheet under ``/static/vendor`` (app/assets.py pins them), our
favicon, no Google fonts for ReDoc, no Swagger validator badge (it would send the
schema to validator.swagger.io). Each page carries its own CSP: the strict one plus
the hash of the inline start-up script FastAPI writes (for ReDoc: the hashes of its
two fixed styles, and its search worker), so nothing else inline runs. ReDoc 2 always
shows "API docs by Redocly" with a logo from its CDN: the CSP refuses the image
before any request is made, and ReDoc hides it.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

from app.assets import REDOC_JS_PATH, REDOC_STYLE_HASHES, SWAGGER_UI_CSS_PATH, SWAGGER_UI_JS_PATH
from app.csp import content_security_policy, inline_hashes
from app.static_files import static_url

OPENAPI_URL = "/openapi.json"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
TITLE = "Rembuk API"

router = APIRouter(include_in_schema=False)


def _with_own_policy(page: HTMLResponse, *, styles: Sequence[str] = (), workers: Sequence[str] = ()) -> HTMLResponse:
    html = bytes(page.body).decode()
    policy = content_security_policy(
        scripts=inline_hashes(html, "script"), styles=[*inline_hashes(html, "style"), *styles], workers=workers
    )
    page.headers["content-security-policy"] = policy
    return page


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=OPENAPI_URL,
        title=f"{TITLE} · Swagger UI",
        swagger_js_url=static_url(SWAGGER_UI_JS_PATH),
        swagger_css_url=static_url(SWAGGER_UI_CSS_PATH),
        swagger_favicon_url=static_url("favicon.svg"),
        oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        swagger_ui_parameters={"validatorUrl": None},
    )
    return _with_own_policy(page)


@router.get(OAUTH2_REDIRECT_URL)
def swagger_ui_redirect() -> HTMLResponse:
    return _with_own_policy(get_swagger_ui_oauth2_redirect_html())


@router.get("/redoc")
def redoc() -> HTMLResponse:
    page = get_redoc_html(
        openapi_url=OPENAPI_URL,
        title=f"{TITLE} · ReDoc",
        redoc_js_url=static_url(REDOC_JS_PATH),
        redoc_favicon_url=static_url("favicon.svg"),
        with_google_fonts=False,
    )
    # Its search index runs in a worker that the script builds from a blob.
    return _with_own_policy(page, styles=REDOC_STYLE_HASHES, workers=("blob:",))
