"""QR codes: the join link on the projector and the console, the remote's own link.

Generated here (segno), never fetched from a QR service: the venue may have no
internet.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


def qr_code(join_url: str) -> segno.QRCode:
    # Medium error correction survives a projector's glare and a bit of keystone.
    return segno.make(join_url, error="m")


# The projector and the console draw it on every load, and the projector reloads with
# every phase and settings change: ~3-6 ms each with segno, for the same few URLs.
@lru_cache(maxsize=256)
def qr_inline_svg(join_url: str) -> Markup:
    """A QR code as inline SVG. Markup because it is our own SVG built from a URL we
    made, never user text."""
    svg = qr_code(join_url).svg_inline(scale=10, dark="#000", light="#fff", omitsize=True, title=join_url)
    return Markup(svg)  # nosec B704 - segno's SVG; it escapes the title (our join URL)
