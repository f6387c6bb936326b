"""How hard a page is to read: the Flesch-Kincaid grade of its visible text.

One measure for the About page (computed at build time), the tests and anyone
who asks: `grade(html_text(main_content_html))`. Text is taken from the HTML a
reader sees in the page body; menus, header and footer are not part of it.
Headings, list items and table cells count as sentences of their own, as a
reader takes them, so a list of short steps is not scored as one long sentence.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import textstat

from .buildcache import code_version, digest

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


# Grades depend on textstat and on this file's rules (which text counts, what is a sentence).
CACHE_KIND = f"grade:textstat-{textstat.__version__}:{code_version(Path(__file__))}"


class BackgroundGrader:
    """Measures pages in a second process while the build goes on; remembers grades by page.

    textstat spends about a second loading its word lists before the first grade, and a build
    has a second core with nothing to do: so the lists load there while MkDocs renders, and each
    page is graded as soon as its HTML exists. A page whose HTML has not changed since a build
    that used the same `cache` (a BuildCache) keeps its grade, and no process is started until a
    page needs grading. The process is `python -m exercise_guide.readability`: it imports
    textstat and this module, not MkDocs (multiprocessing's spawn would run MkDocs' entry point
    again), and reads one JSON line per page.
    """

    def __init__(self, cache=None) -> None:
        self._cache = cache
        self._process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._answers: dict[int, tuple[float, int]] = {}
        self._waiting: dict[str, tuple[int, str]] = {}  # key -> (job, digest)
        self._hashes: dict[int, str] = {}  # every job, superseded ones too: all are kept for the next build
        self._done: dict[str, tuple[float, int]] = {}
        self._submitted: dict[str, str] = {}
        self._jobs = 0
        self._error = ""
        if cache is None or not cache.has(CACHE_KIND):
            self._start()  # every page will need grading: load the word lists while MkDocs starts

    def submit(self, key: str, html: str) -> None:
        self._submitted[key] = html
        self._done.pop(key, None)
        self._waiting.pop(key, None)
        hashed = digest(html)
        known = self._cache.get(CACHE_KIND, hashed) if self._cache is not None else None
        if known is not None:
            self._done[key] = (known[0], known[1])
            return
        self._start()
        self._jobs += 1
        self._waiting[key] = (self._jobs, hashed)
        self._hashes[self._jobs] = hashed
        self._queue.put(json.dumps([self._jobs, html]) + "\n")

    def resubmit_if_changed(self, key: str, html: str) -> None:
        if self._submitted.get(key) != html:
            self.submit(key, html)

    def results(self) -> dict[str, tuple[float, int]]:
        """Every page's (grade, words). Call once, after the last submit."""
        if self._process is not None:
            self._queue.put(None)
            self._reader.join()
            self._process.wait()
            missing = [key for key, (job, _) in self._waiting.items() if job not in self._answers]
            if missing:
                raise RuntimeError(f"the reading-grade process stopped before grading {missing[0]}: "
                                   f"{self._error.strip() or 'exit ' + str(self._process.returncode)}")
        for key, (job, _) in self._waiting.items():
            self._done[key] = self._answers[job]
        if self._cache is not None:
            for job, hashed in self._hashes.items():
                if job in self._answers:
                    self._cache.put(CACHE_KIND, hashed, list(self._answers[job]))
        self._waiting = {}
        return dict(self._done)

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def _start(self) -> None:
        if self._process is not None:
            return
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen([sys.executable, "-m", "exercise_guide.readability"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True, encoding="utf-8")
        self._reader = threading.Thread(target=self._talk, daemon=True)
        self._reader.start()

    def _talk(self) -> None:
        """Feed the pages to the process as they come (a writer thread), read its answers here."""
        process = self._process

        def feed() -> None:
            try:
                while (line := self._queue.get()) is not None:
                    process.stdin.write(line)
                    process.stdin.flush()
            except OSError:
                pass
            finally:
                try:
                    process.stdin.close()
                except OSError:
                    pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        for line in process.stdout:
            job, value, count = json.loads(line)
            self._answers[job] = (value, count)
        self._error = process.stderr.read()
        writer.join()


def _serve() -> None:
    """The grading process: one JSON line [job, html] in, one line [job, grade, words] out."""
    _warm_up()
    for line in sys.stdin:
        job, html = json.loads(line)
        value, count = measure(html)
        sys.stdout.write(json.dumps([job, value, count]) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    _serve()
