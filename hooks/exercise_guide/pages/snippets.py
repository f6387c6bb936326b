"""Generated pieces inside hand-written pages.

The home page is written by hand in docs/, but some of what it must show lives in
exercises.yml: the "Get help now if…" box carries the emergency number and the signs,
which a clinic sets once there. A hand-written page marks the spot with a comment,

    <!-- exercise-guide: get-help-box -->

and the hook replaces it with the snippet's template (templates/<name with _>.md.j2),
rendered like every generated page. A name with no template is an error, so a typo
does not ship a page with the box silently missing.
"""

from __future__ import annotations

import re

from . import render
from ..data.model import Guide

PLACEHOLDER = re.compile(r"^<!-- exercise-guide: ([a-z][a-z-]*) -->[ \t]*$", re.MULTILINE)
SNIPPETS = {"get-help-box": "get_help_box.md.j2", "not-covered": "not_covered.md.j2",
            "keep-active": "keep_active.md.j2", "kinds": "kinds.md.j2"}


class UnknownSnippet(ValueError):
    """A placeholder names a snippet that does not exist."""


def fill(markdown: str, guide: Guide, page: str) -> str:
    """`markdown` of the page at `page` (its path under docs/) with each placeholder rendered."""
    if "<!-- exercise-guide:" not in markdown:
        return markdown
    env = render.environment()

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in SNIPPETS:
            raise UnknownSnippet(f"docs/{page}: <!-- exercise-guide: {name} --> names no snippet "
                                 f"(known: {', '.join(sorted(SNIPPETS))})")
        return env.get_template(SNIPPETS[name]).render(
            page=page, guide=guide, Pages=render.Pages, link=render.link,
            figure_file=render.figure_file).rstrip("\n")

    return PLACEHOLDER.sub(one, markdown)
