"""How hard a page is to read: the Flesch-Kincaid grade of its visible text.

One measure for the About page (computed at build time), the tests and anyone
who asks: `grade(html_text(main_content_html))`. Text is taken from the HTML a
reader sees in the page body; menus, header and footer are not part of it.
Headings, list items and table cells count as sentences of their own, as a
reader takes them, so a list of short steps is not scored as one long sentence.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import textstat

from ..buildcache import code_version, digest
from ..sidework import Sidework

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


def warm_up() -> None:
    """textstat loads its word lists at its first grade (about a second)."""
    grade("Load the word lists.")


# Grades depend on textstat and on this file's rules (which text counts, what is a sentence).
CACHE_KIND = f"grade:textstat-{textstat.__version__}:{code_version(Path(__file__))}"


class BackgroundGrader:
    """Measures pages in a second process while the build goes on; remembers grades by page.

    textstat spends about a second loading its word lists before the first grade, and a build
    has a second core: so the lists load there while MkDocs starts, and each page is handed over
    as soon as its HTML exists (sidework.py: straight into the process's pipe, with no thread in
    the build, which a copy of the build made by fork, ahead.py, could not have). A page whose
    HTML has not changed since a build that used the same `cache` (a BuildCache) keeps its grade,
    and no process is started until a page needs grading. The process imports textstat and this
    module, not MkDocs.
    """

    def __init__(self, cache=None) -> None:
        self._cache = cache
        self._work = Sidework("exercise_guide.finish.readability:measure", "reading grades",
                              warm="exercise_guide.finish.readability:warm_up")
        self._jobs: list[str] = []             # each job's HTML digest, superseded ones too
        self._waiting: dict[str, int] = {}     # page -> its job
        self._done: dict[str, tuple[float, int]] = {}
        self._submitted: dict[str, str] = {}
        if cache is None or not cache.has(CACHE_KIND):
            self._work.start()  # every page will need grading: load the word lists while MkDocs starts

    def submit(self, key: str, html: str) -> None:
        self._submitted[key] = html
        self._done.pop(key, None)
        self._waiting.pop(key, None)
        hashed = digest(html)
        known = self._cache.get(CACHE_KIND, hashed) if self._cache is not None else None
        if known is not None:
            self._done[key] = (known[0], known[1])
            return
        self._waiting[key] = len(self._jobs)
        self._jobs.append(hashed)
        self._work.submit(html)

    def resubmit_if_changed(self, key: str, html: str) -> None:
        if self._submitted.get(key) != html:
            self.submit(key, html)

    def results(self) -> dict[str, tuple[float, int]]:
        """Every page's (grade, words). Call once, after the last submit (sidework.SideworkError
        if the process stopped before it graded them all)."""
        answers = self._work.results()
        for key, job in self._waiting.items():
            self._done[key] = tuple(answers[job])
        if self._cache is not None:
            for hashed, answer in zip(self._jobs, answers):
                self._cache.put(CACHE_KIND, hashed, list(answer))
        self._waiting, self._jobs = {}, []
        return dict(self._done)

    def close(self) -> None:
        self._work.close()
