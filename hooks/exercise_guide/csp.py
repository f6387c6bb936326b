"""A Content-Security-Policy and a referrer policy for each built HTML page, as <meta> tags.

Why: the site must send nothing to anyone else and run no script it did not ship. A strict
policy makes the browser enforce that, even if some text ever got through the escaping:
`script-src 'self'` runs only this site's files, plus each inline script that is in the
page as written, allowed by the sha256 hash of its text. The hashes are computed here,
from the finished HTML, so they follow every change of a template or a theme (Material's
head script differs with the page's depth) without anyone keeping a list.

`no-referrer`: a patient who follows a source link does not tell that site which page of
a back-pain guide they were reading.

Knows nothing of MkDocs: the hook calls `protect(html)` on each page as it is written.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

# Script types a browser runs; JSON data blocks (application/json, application/ld+json) are inert.
_RUNNABLE = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
             "application/ecmascript", "text/jscript", "text/livescript", "application/x-javascript"}
# What every page may load, besides its hashed inline scripts. Images may be data: URIs
# (Material's icons in CSS); nothing may come from another host.
POLICY = ("default-src 'self'; script-src 'self'{hashes}; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'none'")
MARKER = '<meta http-equiv="Content-Security-Policy"'
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.IGNORECASE)


class _Scripts(HTMLParser):
    """The text of each inline script a browser would run, exactly as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.texts: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "script":
            return
        attrs = dict(attrs)
        kind = (attrs.get("type") or "").split(";")[0].strip().lower()
        self._open = [] if "src" not in attrs and kind in _RUNNABLE else None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.texts.append("".join(self._open))
            self._open = None


def inline_scripts(html: str) -> list[str]:
    """The inline scripts of a page that a browser would run (not src=, not JSON data)."""
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return parser.texts


def source_hash(script: str) -> str:
    """'sha256-…' of a script's text as the browser sees it (its HTML parser makes CRLF and CR LF)."""
    text = script.replace("\r\n", "\n").replace("\r", "\n")
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(html: str, allow_inline: bool = False) -> str:
    """The policy for a page: a hash per inline script, in page order, each once.

    `allow_inline` is for the preview (`mkdocs serve`), whose live-reload script is added to
    each page as it is served, after the build: then inline scripts are allowed, unhashed."""
    if allow_inline:
        return POLICY.format(hashes=" 'unsafe-inline'")
    hashes = dict.fromkeys(source_hash(s) for s in inline_scripts(html))
    return POLICY.format(hashes="".join(" " + h for h in hashes))


def protect(html: str, allow_inline: bool = False) -> str:
    """The page with its CSP and referrer <meta> tags first in <head> (a CSP <meta> only
    governs what comes after it). A page that has them already, or has no <head>, is returned as is."""
    if MARKER in html:
        return html
    head = _HEAD.search(html)
    if head is None:
        return html
    tags = (f'\n<meta http-equiv="Content-Security-Policy" content="{policy(html, allow_inline)}">'
            '\n<meta name="referrer" content="no-referrer">')
    return html[:head.end()] + tags + html[head.end():]
