"""QR codes of page addresses for printed handouts: cheap, and made once per address.

Why its own module: a QR code is the costliest thing a page carries. segno tries all eight
masks and scores each (ISO/IEC 18004, 7.8.3) to pick the one easiest to scan; for the short
addresses of this site that search was three quarters of the cost, and at 1000 exercises the
published build spent seconds on it. A fixed mask is as valid a code, and every reader decodes
it; the URL, the error correction level (M) and the size stay the same. Codes are remembered by
address within the process (the preview rebuilds on every save) and, given a cache.Cache, from
one build to the next.
"""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup

# Mask pattern 0 ((row + column) mod 2): the checkerboard, which never leaves large blocks of
# one colour in the data area. Changing it changes every printed code (all stay valid).
MASK = 0
KEY = f"qr:segno-{segno.__version__}:mask-{MASK}:m:scale-3:border-2"


@functools.lru_cache(maxsize=8192)
def make(url: str) -> str:
    """A QR code of `url` as inline SVG markup (made at build time, no JavaScript)."""
    code = segno.make(url, error="m", mask=MASK, micro=False)
    return code.svg_inline(scale=3, border=2, omitsize=False, title=url, svgclass="handout-qr__code")


def qr_svg(url: str, cache=None) -> Markup:
    """`make(url)` as Markup, taken from `cache` (a cache.Cache) when it holds it."""
    if cache is None:
        return Markup(make(url))
    return Markup(cache.get_or_make(KEY, url, lambda: make(url)))
