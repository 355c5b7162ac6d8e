"""Jinja2 templates with autoescape and the translation layer.

Pages live in ``templates/pages``; fragments (prefixed ``_``) in
``templates/fragments`` are the only copy of each piece of markup, used both by
pages and by the live stream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from starlette.requests import Request

from app import assets
from app.domain import DIMENSIONS, ORGANIZATION_TYPE_LABELS, PHASE_LABELS, PHASE_ORDER, TYPICAL_ORGANIZATIONS
from app.i18n import configure_jinja, i18n_context
from app.localtime import jinja_filters
from app.settings import HtmxSource, Settings
from app.static_files import static_url

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept for every environment of the process. The app makes one
    environment, so a server compiles each template once either way; the test suite
    makes an app per test and compiled every page again (~0.1–0.3 s a test). Jinja
    checks each entry against its template's source before using it."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def make_templates(settings: Settings) -> Jinja2Templates:
    def site_context(request: Request) -> dict[str, Any]:
        return {
            "settings": settings,
            "htmx_cdn": settings.htmx_source is HtmxSource.cdn,
            "HTMX_CDN_URL": assets.HTMX_CDN_URL,
            "HTMX_SRI": assets.HTMX_SRI,
            "HTMX_LOCAL_PATH": assets.HTMX_LOCAL_PATH,
            "DIMENSIONS": DIMENSIONS,
            "ORGANIZATION_TYPE_LABELS": ORGANIZATION_TYPE_LABELS,
            "TYPICAL_ORGANIZATIONS": TYPICAL_ORGANIZATIONS,
            "PHASE_LABELS": PHASE_LABELS,
            "PHASE_ORDER": PHASE_ORDER,
        }

    # Autoescape everything: ideas come from phones and end up on a projector.
    # No auto_reload: it stats every included file on every render (a ballot includes
    # several per group); templates change only with a new release and a restart.
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, auto_reload=False, bytecode_cache=COMPILED
    )
    # A global, not a context value: fragments are also rendered outside a request.
    env.globals["static_url"] = static_url
    templates = Jinja2Templates(env=env, context_processors=[i18n_context, site_context])
    configure_jinja(templates.env)
    templates.env.filters.update(jinja_filters(settings.timezone))  # times and numbers (app/localtime.py)
    return templates
