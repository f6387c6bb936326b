"""How hard a page is to read: the Flesch-Kincaid grade of its visible text.

One measure for the About page (computed at build time), the tests and anyone
who asks: `grade(html_text(main_content_html))`. Text is taken from the HTML a
reader sees in the page body; menus, header and footer are not part of it.
Headings, list items and table cells count as sentences of their own, as a
reader takes them, so a list of short steps is not scored as one long sentence.
"""

from __future__ import annotations

import multiprocessing
import re
from multiprocessing.pool import AsyncResult
from html.parser import HTMLParser

import textstat

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
           "div", "section", "article", "br", "tr", "caption", "figcaption", "blockquote", "summary"}
_SKIP = {"script", "style", "nav", "header", "footer", "svg", "noscript", "template", "button"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML fragment, one block (paragraph, item, cell, heading) a line."""
    parser = _Text()
    parser.feed(re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def sentences(text: str) -> str:
    """Each line ends as a sentence, so textstat counts blocks as a reader does."""
    return " ".join(line if line[-1] in ".!?:" else line + "." for line in text.splitlines() if line)


def grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (as from html_text)."""
    return round(float(textstat.flesch_kincaid_grade(sentences(text))), 1)


def words(text: str) -> int:
    return textstat.lexicon_count(text)


def measure(html: str) -> tuple[float, int]:
    """Grade and word count of an HTML fragment: the one measure the About page and the tests use."""
    text = html_text(html)
    return grade(text), words(text)


def _warm_up() -> None:
    grade("Load the word lists.")


class BackgroundGrader:
    """Measures pages in a second process while the build goes on.

    textstat spends about a second loading its word lists before the first
    grade, and a build has a second core with nothing to do: so the lists load
    there while MkDocs renders, each page is graded as soon as its HTML exists,
    and the results are collected once all pages are rendered.
    """

    def __init__(self) -> None:
        # spawn, not fork: the build may run threads (mkdocs serve) that fork would copy mid-flight.
        self._pool = multiprocessing.get_context("spawn").Pool(1)
        self._pool.apply_async(_warm_up)
        self._jobs: dict[str, AsyncResult] = {}
        self._submitted: dict[str, str] = {}

    def submit(self, key: str, html: str) -> None:
        self._submitted[key] = html
        self._jobs[key] = self._pool.apply_async(measure, (html,))

    def resubmit_if_changed(self, key: str, html: str) -> None:
        if self._submitted.get(key) != html:
            self.submit(key, html)

    def results(self) -> dict[str, tuple[float, int]]:
        return {key: job.get() for key, job in self._jobs.items()}

    def close(self) -> None:
        # terminate, not close: a worker tearing down its word lists costs a third of a second.
        self._pool.terminate()
