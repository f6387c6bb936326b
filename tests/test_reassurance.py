"""What a patient still stumbled on (issue 23): reassurance before warnings, a picture on the way
in, and exercise pages without lists of search words.

The reassuring facts are checked against the source brief (../shared/source/keep-active.md),
written out below as phrases with the source each must cite, so a fact dropped from exercises.yml,
or cited to a source that does not say it, fails here.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT
from exercise_guide.finish import readability

BRIEF = ROOT.parent / "shared" / "source" / "keep-active.md"

# Each fact of the brief: (the fact as the brief says it, phrases that say it, the references the brief names).
FACTS = [
    ("back pain is very common and usually gets better within weeks or months; rarely serious",
     [r"very common", r"not caused by anything serious", r"better within a few weeks or months"], {"nhs-back-pain"}),
    ("serious causes are rare; pain does not mean the back is damaged; the back is strong",
     [r"serious causes are rare", r"does not usually mean", r"damaged", r"your back is strong"], {"north-bristol-back"}),
    ("stay active, keep up the routine; gentle exercise helps; bed rest makes it last longer",
     [r"stay as active as you can", r"daily routine", r"walking or swimming", r"last longer"],
     {"nhs-back-pain", "sussex-msk-back"}),
    ("some discomfort when you start to be more active is normal, not damage",
     [r"normal to feel some discomfort", r"not mean you are doing damage"], {"sussex-msk-back"}),
    ("people who stay positive and expect to get better recover sooner",
     [r"stay positive", r"expect to get better", r"sooner"], {"nhs-back-pain"}),
]


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def page(site: Path, path: str) -> str:
    return article((site / path / "index.html").read_text(encoding="utf-8"))


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace("’", "'")


def test_the_brief_names_the_sources_used_here(guide):
    brief = BRIEF.read_text(encoding="utf-8")
    for key in ("north-bristol-back", "sussex-msk-back"):
        url = str(guide.reference(key).url)
        assert url.rstrip("/") in brief, f"{key}: {url} is not a source the brief gives"


@pytest.mark.parametrize("fact,phrases,keys", FACTS, ids=[f for f, _, _ in FACTS])
def test_every_fact_of_the_brief_is_said_and_cites_its_source(guide, fact, phrases, keys):
    points = guide.keep_active.points
    said = [p for p in points if all(re.search(ph, " ".join(p.text.split()), re.I) for ph in phrases)]
    assert said, f"no point of keep_active says: {fact}"
    assert keys <= set(said[0].cites), f"{fact}: cites {said[0].cites}, the brief gives {sorted(keys)}"


def test_the_home_page_reassures_before_any_warning(built_site, guide):
    home = page(built_site, ".")
    box = re.search(r'<div class="admonition success">(.*?)</div>', home, re.S)
    assert box, "no 'Most back pain gets better' box on the home page"
    warnings = [home.index(w) for w in ('class="admonition warning"', 'class="admonition danger"')]
    assert box.start() < min(warnings), "the reassurance comes after a warning"
    said = text(box.group(1))
    assert said.startswith("Most back pain gets better")
    for point in guide.keep_active.points:
        assert " ".join(point.text.split()) in said, point.text
    sources = re.search(r"<p>From (.*?)</p>", box.group(1), re.S)
    assert sources, "the box does not say where its facts come from"
    for key in {k for p in guide.keep_active.points for k in p.cites}:
        assert f'href="references/#{key}"' in sources.group(1), f"the box does not cite {key}"


def test_the_safety_rule_is_said_as_the_brief_says_it(built_site, guide):
    """Stop if it hurts or makes your pain worse; a gentle pull where the page says is expected."""
    home = text(page(built_site, "."))
    assert "A gentle pull or stretch where the page says you should feel it is normal." in home
    assert "Stop at once if an exercise hurts or makes your pain worse." in home
    assert "If you feel pain at any time, stop at once" not in home
    assert "walking around your home, is fine" in home  # the doctor rule is about these exercises
    for ex in guide.exercises:
        html = page(built_site, f"exercises/{ex.slug}")
        rule = text(re.search(r'<p class="safety-line">(.*?)</p>', html, re.S).group(1))
        assert "A gentle pull is normal. Stop if it hurts or makes your pain worse." in rule, ex.slug
        start = html.index('id="safety"')
        box = html[html.index('class="admonition', start):]
        box = box[:box.index("</div>")]
        items = [text(i) for i in re.findall(r"<li>(.*?)</li>", box, re.S)]
        assert items[0] == guide.keep_active.short.text, f"{ex.slug}: the box does not open with reassurance"
        sources = re.search(r"<p>From (.*?)</p>", box, re.S)
        assert sources, f"{ex.slug}: the safety box does not say where it comes from"
        for key in set(guide.keep_active.short.cites) | {k for p in guide.safety for k in p.cites}:
            assert f'references/#{key}"' in sources.group(1), f"{ex.slug}: the safety box does not cite {key}"


def test_why_exercise_helps_says_most_back_pain_gets_better(built_site, guide):
    html = page(built_site, "why-exercise")
    part = html[html.index('id="gets-better"'):html.index('id="stay-safe"')]
    for point in guide.keep_active.points:
        item = next((i for i in re.findall(r"<li>(.*?)</li>", part, re.S)
                     if text(i).startswith(" ".join(point.text.split()))), None)
        assert item, point.text
        for key in point.cites:
            assert f'href="../references/#{key}"' in item, f"{point.text[:40]}: no {key}"


def test_the_new_pages_read_at_grade_6_or_below(built_site):
    for path in (".", "get-help", "why-exercise"):
        grade = readability.grade(readability.html_text(page(built_site, path)))
        assert grade <= 6.0, f"/{path}: grade {grade}"


# ----------------------------------------------------------------------------- a picture on the way in

def test_the_home_page_shows_a_picture_for_each_kind_of_exercise(built_site, guide):
    home = page(built_site, ".")
    kinds = re.search(r'<div class="kinds">(.*?)</div>', home, re.S)
    assert kinds, "no pictures of the kinds of exercise on the home page"
    links = re.findall(r'<a href="([^"]+)"><img alt="" [^>]*src="([^"]+)"[^>]*/?>\s*(.*?)</a>', kinds.group(1), re.S)
    assert [href for href, _, _ in links] == [f"categories/{c.key}/" for c in guide.categories]
    for (href, src, words), c in zip(links, guide.categories):
        first = guide.exercises_in(c.key)[0]
        assert src == f"assets/figures/{first.slug}.svg" and (built_site / src).is_file(), src
        assert text(words).startswith(c.title), words


def test_the_pictures_on_the_way_in_are_large_enough_on_a_phone(browser, site_url):
    tab = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        tab.goto(site_url + "/")
        sizes = tab.evaluate("""() => [...document.querySelectorAll('.kinds img')].map(i => {
            const r = i.getBoundingClientRect(); return [r.width, r.height, i.complete && i.naturalWidth > 0]; })""")
        assert len(sizes) == 3 and all(w >= 120 and h >= 80 and ok for w, h, ok in sizes), sizes
    finally:
        tab.close()


# ----------------------------------------------------------------------------- less on an exercise page

def test_search_words_are_not_shown_as_lists(built_site, guide):
    for ex in guide.exercises:
        html = page(built_site, f"exercises/{ex.slug}")
        hidden = re.search(r'<p class="search-words" hidden>(.*?)</p>', html, re.S)
        shown = text(re.sub(r'<p class="search-words" hidden>.*?</p>', "", html, flags=re.S))
        assert "Works your" not in shown, ex.slug
        # the words are still in the page for a search index that reads only text, never shown
        for word in ex.also_called[1:] + ex.body_words:
            assert hidden and word in unescape(hidden.group(1)), f"{ex.slug}: {word!r} gone from the page"
        # at most one other name, in one natural line
        assert shown.count("Also called") <= 1, ex.slug
        for name in ex.also_called[1:]:
            assert f"Also called: {name}" not in shown, ex.slug
        if ex.also_called:
            assert f"Also called: {ex.also_called[0]}." in shown, ex.slug


def test_wall_squats_never_name_the_deep_held_position(built_site):
    """'Wall sit' names the position the page tells people not to go down to."""
    html = page(built_site, "exercises/wall-squats")
    shown = text(re.sub(r'<p class="search-words" hidden>.*?</p>', "", html, flags=re.S))
    assert "wall sit" not in shown.lower()


def test_the_words_patients_search_with_are_in_the_search_index(built_site, guide):
    """Not shown, still found: each exercise's other names and body words are in its entries."""
    import json
    index = built_site / "search" / "search_index.json"
    if not index.is_file():
        pytest.skip("Material's index only; Zensical's search reads the page (the hidden words, tested above)")
    data = json.loads(index.read_text(encoding="utf-8"))
    for ex in guide.exercises:
        entries = " ".join(doc.get("text", "") + " " + doc.get("names", "") for doc in data["docs"]
                           if doc["location"].startswith(f"exercises/{ex.slug}/")).lower()
        for word in ex.also_called + ex.body_words:
            assert word.lower() in entries, f"{ex.slug}: {word!r} is not in the search index"


def test_no_markup_shows_as_text(built_site):
    """An attribute list that missed its line ('{ .dose-source }') shows to the reader as text."""
    for file in built_site.rglob("index.html"):
        html = file.read_text(encoding="utf-8")
        if "<article" not in html:
            continue
        said = text(re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", article(html), flags=re.S))
        assert not re.search(r"\{:? ?[.#][a-z]", said), f"{file.relative_to(built_site)}: {said[:0]}markup as text"
