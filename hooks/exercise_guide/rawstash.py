"""The generated pages' inline SVG kept out of Markdown's way while it converts them.

Why: each exercise page carries its drawn figures and, when published, its QR code as inline
SVG, kilobytes of raw HTML that Python-Markdown copies through unchanged, but only after
reading it twice (MkDocs scans all raw HTML for anchor ids, and Markdown's own HTML parser reads
each raw block): about a tenth of converting an exercise page. So the hook hands Markdown each
`<svg>…</svg>` as a short placeholder of the same kind (`<svg data-stash="N"></svg>`) and puts
the drawing back into the HTML Markdown gives, which is then the same, byte for byte, as if
Markdown had copied it (a test converts every generated page both ways).

Only what needs no reading is stashed: an SVG with an `id` or `name` (an anchor that a link could
check) or holding another `<svg>` stays in the Markdown. `unstash` returns None when a
placeholder did not come through exactly once (Markdown would have changed it): the caller then
converts the page as it is.
"""

from __future__ import annotations

import re

SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
ANCHOR = re.compile(r"\s(?:id|name)\s*=", re.I)
MIN_SIZE = 200  # smaller drawings cost less than their placeholder's round trip


def _placeholder(n: int) -> str:
    return f'<svg data-stash="{n}"></svg>'


def stash(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with its larger inline SVG replaced by placeholders, and the SVG in order."""
    if "<svg" not in markdown or "data-stash=" in markdown:
        return markdown, []
    pieces: list[str] = []

    def keep(match: re.Match) -> str:
        svg = match.group(0)
        if len(svg) < MIN_SIZE or svg.count("<svg") != 1 or ANCHOR.search(svg):
            return svg
        pieces.append(svg)
        return _placeholder(len(pieces) - 1)

    return SVG.sub(keep, markdown), pieces


def unstash(html: str, pieces: list[str]) -> str | None:
    """The converted HTML with the stashed SVG back in place; None if a placeholder was changed."""
    if not pieces:
        return html
    parts = re.split(r'<svg data-stash="(\d+)"></svg>', html)
    found = [int(n) for n in parts[1::2]]
    if sorted(found) != list(range(len(pieces))):
        return None
    parts[1::2] = [pieces[n] for n in found]
    return "".join(parts)
