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
from pathlib import Path

# Script types a browser runs; JSON data blocks (application/json, application/ld+json) are inert.
_RUNNABLE = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
             "application/ecmascript", "text/jscript", "text/livescript", "application/x-javascript"}
# What every page may load, besides its hashed inline scripts. Images may be data: URIs
# (Material's icons in CSS); nothing may come from another host.
POLICY = ("default-src 'self'; script-src 'self'{hashes}; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'none'")
# A theme whose script adds a fixed <style> (Zensical's search, in a shadow root) names its hash:
# then that stylesheet, and no other inline style, is allowed.
STYLE_POLICY = "; style-src 'self'{hashes}"
MARKER = '<meta http-equiv="Content-Security-Policy"'
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.IGNORECASE)


# HTML's own order of reading: a comment outside a script hides a <script> in it, and a
# script's text runs to the first </script>. One regular expression pass: on an 18 KB page it
# took 0.03 ms where html.parser took 1.4 ms (a page takes about 8 ms to build).
_TOKENS = re.compile(r"<!--.*?-->|<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def inline_scripts(html: str) -> list[str]:
    """The inline scripts of a page that a browser would run (not src=, not JSON data), as written."""
    texts = []
    for match in _TOKENS.finditer(html):
        attrs, text = match.group(1), match.group(2)
        if attrs is None or _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        kind = next((g for g in kind.groups() if g is not None), "") if kind else ""
        if kind.split(";")[0].strip().lower() in _RUNNABLE:
            texts.append(text)
    return texts


def source_hash(script: str) -> str:
    """'sha256-…' of a script's text as the browser sees it (its HTML parser makes CRLF and CR LF)."""
    text = script.replace("\r\n", "\n").replace("\r", "\n")
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(html: str, allow_inline: bool = False, styles: tuple[str, ...] = ()) -> str:
    """The policy for a page: a hash per inline script, in page order, each once; and the hashes
    of `styles`, the texts of stylesheets the theme's scripts add, if any.

    `allow_inline` is for the preview (`mkdocs serve`), whose live-reload script is added to
    each page as it is served, after the build: then inline scripts are allowed, unhashed."""
    extra = STYLE_POLICY.format(hashes="".join(" " + source_hash(s) for s in styles)) if styles else ""
    if allow_inline:
        return POLICY.format(hashes=" 'unsafe-inline'") + extra
    hashes = dict.fromkeys(source_hash(s) for s in inline_scripts(html))
    return POLICY.format(hashes="".join(" " + h for h in hashes)) + extra


def protect(html: str, allow_inline: bool = False, styles: tuple[str, ...] = ()) -> str:
    """The page with its CSP and referrer <meta> tags first in <head> (a CSP <meta> only
    governs what comes after it). A page that has them already, or has no <head>, is returned as is."""
    if MARKER in html:
        return html
    head = _HEAD.search(html)
    if head is None:
        return html
    tags = (f'\n<meta http-equiv="Content-Security-Policy" content="{policy(html, allow_inline, styles)}">'
            '\n<meta name="referrer" content="no-referrer">')
    return html[:head.end()] + tags + html[head.end():]


def protect_tree(site_dir: str | Path, allow_inline: bool = False, styles: tuple[str, ...] = ()) -> int:
    """Protect every HTML file under `site_dir` that has no policy yet (static HTML copied from
    docs/ or written by another plugin); pages already protected are left as they are.
    Returns how many files were changed."""
    changed = 0
    for file in Path(site_dir).rglob("*.html"):
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
        if MARKER not in text:
            protected = protect(text, allow_inline, styles)
            if protected != text:
                file.write_text(protected, encoding="utf-8", errors="surrogateescape")
                changed += 1
    return changed
