"""The error banner of the preview (`mkdocs serve`) while the data or a template is broken.

Why: MkDocs' preview answers no request until a build succeeds, so an editor who breaks
exercises.yml sees a tab that never loads and must find the terminal. Instead the hook
keeps serving the last good pages, and this module puts the same `file:line:col: path:
message` report the terminal prints at the top of every page. Only the preview does this:
`mkdocs build` still stops.
"""

from __future__ import annotations

import html
import re

import jinja2

from ..pages.render import _plain_env

CSS = "assets/preview-error.css"
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def banner(report: str, depth: int, shown: str) -> str:
    """The banner's HTML for a page `depth` folders below the site's root.

    `shown`: what the pages are: "current" (only --strict's warnings stop the build), "last good"
    (the last pages that built), or "none" (the pages made from exercises.yml are missing)."""
    try:
        return _plain_env(True).get_template("preview_banner.html.j2").render(
            report=report, css="../" * depth + CSS, shown=shown)
    except jinja2.TemplateError:  # the banner's own template is the broken one: the report alone
        return f'<pre class="preview-error" role="alert">{html.escape(report)}</pre>'


def insert(html: str, banner_html: str) -> str:
    """The page with the banner first in <body>."""
    body = _BODY.search(html)
    at = body.end() if body else 0
    return html[:at] + banner_html + html[at:]
