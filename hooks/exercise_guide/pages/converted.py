"""Pages converted by an earlier build, given to the engine again as its finished HTML (issue 27).

Why: converting Markdown is about half of what MkDocs does for a page, and from one build to the
next (a kept .cache/, each save in the preview) most pages are the same. This is a Python-Markdown
extension, on that library's public API only (a preprocessor, tree processors and a postprocessor),
which the MkDocs adapter adds to the site's Markdown settings (Zensical keeps its own cache):

- A page is known by its path, its Markdown and `context`: everything else its conversion depends
  on (the site's files, for the links; the Markdown settings; the libraries' versions; this code).
- Not found: the page is converted as always; its HTML, its table of contents and its *skeleton*
  (its title, and every id, link and image of the converted page) are kept in the build's Cache.
- Found: the page's Markdown is set aside and the skeleton is converted instead, so that the
  engine's own steps still read the page's title, collect its anchors, and check every link it has
  (a link to a page or an anchor that has gone is reported as on a first build); the result is the
  HTML and table of contents kept, byte for byte what the conversion made.

A page whose title holds markup (escaped characters, inline HTML, images) is not kept: its skeleton
could not give the engine the same title. Knows nothing of MkDocs.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..cache import Cache, code_version, digest

KIND = "converted:" + code_version(Path(__file__))
# What the engine reads from a converted page: ids (its anchors), links and images (to check them).
_KEPT = ("id", "href", "name", "src")


class Converted(Extension):
    """`cache`: where pages are kept (cache.Cache); `context`: see the module's docstring; `page`:
    the path of the page converted next (the adapter sets it before each page)."""

    def __init__(self, cache: Cache, context: str = "") -> None:
        super().__init__()
        self.cache = cache
        self.context = context
        self.page = ""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        state = _Page(self)
        md.preprocessors.register(_Lookup(md, state), "exercise_guide_lookup", 1000)  # first
        # After the inline patterns (20) and before the table of contents and the engine's anchors (5).
        md.treeprocessors.register(_Skeleton(md, state), "exercise_guide_skeleton", 6)
        # After the table of contents and anchors (5), before the title (1) and links (0) are read.
        md.treeprocessors.register(_Capture(md, state), "exercise_guide_capture", 3)
        md.treeprocessors.register(_Mark(md), "exercise_guide_mark", -1000)  # last
        md.postprocessors.register(_Result(md, state), "exercise_guide_result", -1000)  # last


# The end of the page's tree: postprocessors also run on parts of a page (a heading's text, for its
# title and its entry in the table of contents); only the whole page ends with this.
_MARK = "exercise-guide-converted"
_MARK_HTML = f"<{_MARK}></{_MARK}>"


class _Page:
    """One page's conversion: its key, and what was found for it or read from it."""

    def __init__(self, extension: Converted) -> None:
        self.extension = extension
        self.key: str | None = None
        self.found: dict | None = None
        self.skeleton: dict | None = None


class _Lookup(Preprocessor):
    def __init__(self, md: Markdown, state: _Page) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        ext = self.state.extension
        self.state.key = digest("\0".join((ext.context, ext.page, "\n".join(lines))))
        found = ext.cache.get(KIND, self.state.key)
        if isinstance(found, dict) and {"html", "toc", "skeleton"} <= found.keys():
            self.state.found = found
            return []
        return lines


class _Skeleton(Treeprocessor):
    """A page found: its skeleton in place of its content, for the engine's own tree processors."""

    def __init__(self, md: Markdown, state: _Page) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        if self.state.found is None:
            return
        skeleton = self.state.found["skeleton"]
        if skeleton["title"] is not None:
            title = etree.SubElement(root, "h1", skeleton["title_attrs"])
            title.text = skeleton["title"]
        for tag, attrs in skeleton["elements"]:
            etree.SubElement(root, tag, attrs)


class _Capture(Treeprocessor):
    """A page not found: its skeleton, read from the converted tree."""

    def __init__(self, md: Markdown, state: _Page) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        if self.state.found is not None:
            return
        title, title_attrs = None, {}
        first = next(iter(root), None)
        if first is not None and first.tag == "h1":
            links = [c for c in first if c.tag == "a" and "headerlink" in c.get("class", "").split()]
            if len(first) != len(links):
                return  # markup in the title: not kept (see the module's docstring)
            title = (first.text or "") + "".join(link.tail or "" for link in links)
            if util.STX in title or util.ETX in title:
                return
            title_attrs = {k: v for k, v in first.items() if k in _KEPT}
        # Links and images as they are; any other element with an id as a <span>, which no step
        # takes for a heading.
        elements = [(el.tag if el.tag in ("a", "img") else "span", {k: v for k, v in el.items() if k in _KEPT})
                    for el in root.iter() if el is not root and not (title is not None and el is first)
                    and any(k in el.attrib for k in _KEPT)]
        self.state.skeleton = {"title": title, "title_attrs": title_attrs, "elements": elements}


class _Mark(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        etree.SubElement(root, _MARK)


class _Result(Postprocessor):
    """The page's HTML: kept from before (found), or as converted now, and then kept."""

    def __init__(self, md: Markdown, state: _Page) -> None:
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        if _MARK_HTML not in text:
            return text  # a part of the page, not the page
        state = self.state
        if state.found is not None:
            self.md.toc_tokens = state.found["toc"]  # type: ignore[attr-defined]  (the toc extension's)
            return state.found["html"]
        text = text.replace(_MARK_HTML, "")
        if state.skeleton is not None:
            state.extension.cache.put(KIND, state.key, {"html": text, "toc": getattr(self.md, "toc_tokens", []),
                                                        "skeleton": state.skeleton})
        return text
