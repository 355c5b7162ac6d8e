"""The Content-Security-Policy: one strict policy for every page, and the few
additions a page may ask for (the API docs' inline start-up script, by its hash)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable


def content_security_policy(
    *, scripts: Iterable[str] = (), styles: Iterable[str] = (), images: Iterable[str] = (), workers: Iterable[str] = ()
) -> str:
    """Our own files only, plus the given sources: no other origin, no inline script
    or style unless a hash names it, no plugin, no framing (clickjacking the console)."""

    def sources(extra: Iterable[str]) -> str:
        return " ".join(("'self'", *extra))

    worker_src = f"worker-src {sources(workers)}; " if workers else ""
    return (
        f"default-src 'self'; script-src {sources(scripts)}; style-src {sources(styles)}; "
        f"img-src {sources(('data:', *images))}; font-src 'self'; connect-src 'self'; {worker_src}"
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def inline_hashes(html: str, tag: str) -> list[str]:
    """CSP sources (``'sha256-…'``) for each inline ``<tag>`` of a page we generate."""
    bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in bodies]
