"""The site's own search index, made from the finished site (issue 24): the same on both engines.

Why: Material's search and Zensical's rank pages differently, and neither knows what the core
knows (which page is an exercise, its other names, the everyday words for what it works). This
module runs after the engine has written the HTML, in the pipeline's finish step, whatever the
engine: it reads each page's content as the reader sees it (the <article>) and adds the page's
facts from exercises.yml. It writes one small JSON file per language of the pages,
`assets/search/<lang>.json`, which docs/assets/search.js loads into lunr in the browser.

What counts how much (the browser's part is in search.js):
- each page's kind, with a weight (KIND_WEIGHT): exercise pages above the lists of them, "When to
  get help" above pages that merely mention a symptom, About and References (which name every
  other page) last;
- the title, the other names (also_called) and the body words (body_words) are fields of their
  own, weighted alike in search.js: a patient's word for an exercise is as good as its title; an
  exercise's tags (its category, position and equipment) are a field too, so "strengthening"
  finds the strengthening exercises before the list of them.

Pure Python: no MkDocs, no Zensical. `write_index(site_dir, page_facts(guide))`.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

# How much a page of each kind counts (multiplies its score). Pages the core does not know
# (hand-written ones) are "page".
KIND_WEIGHT = {"exercise": 2.0, "get_help": 3.0, "home": 1.5, "category": 0.6, "avoid": 1.0, "why": 2.0,
               "exercises": 1.0, "page": 1.0, "tags": 0.3, "about": 0.2, "references": 0.3}
INDEX_DIR = "assets/search"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
# Not text a reader reads as the page: drawings (their descriptions name other body parts),
# scripts and data, styles, the "#" of heading links, buttons of the page's own tools.
_HIDDEN = re.compile(r"<(svg|script|style|template|button|noscript)\b.*?</\1\s*>|"
                     r'<a class="headerlink".*?</a>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def page_facts(guide) -> dict[str, dict]:
    """What the core knows of each page it makes, by address under the site ("exercises/walking/"):
    its kind, title, other names, body words and tags (as its tag chips: category, position,
    equipment). Avoided activities' other names are their page's."""
    facts: dict[str, dict] = {
        "": {"kind": "home"}, "get-help/": {"kind": "get_help"}, "about/": {"kind": "about"},
        "references/": {"kind": "references"}, "why-exercise/": {"kind": "why"}, "exercises/": {"kind": "exercises"},
        "tags/": {"kind": "tags"},
        "avoid/": {"kind": "avoid", "names": [n for a in guide.activities_to_avoid for n in a.also_called]},
    }
    for e in guide.exercises:
        facts[f"exercises/{e.slug}/"] = {"kind": "exercise", "title": e.title, "names": list(e.also_called),
                                         "words": list(e.body_words),
                                         "tags": [guide.category(e.category).title, e.position, *e.equipment]}
    for c in guide.categories:
        facts[f"categories/{c.key}/"] = {"kind": "category", "title": c.title, "names": list(c.also_called)}
    return facts


def text_of(html: str) -> str:
    """Markup to the plain text a reader reads, in one line (curly apostrophes made straight)."""
    text = unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html)))
    return _SPACE.sub(" ", text.replace("\u2019", "'")).strip()


def entry(url: str, html: str, facts: dict | None) -> dict | None:
    """The index's entry for one built page, or None if it shows no article (a redirect)."""
    article = _ARTICLE.search(html)
    if article is None:
        return None
    facts = facts or {}
    heading = _H1.search(article.group(1))
    title = facts.get("title") or (text_of(heading.group(1)) if heading else url)
    kind = facts.get("kind", "page")
    body = _H1.sub(" ", article.group(1), count=1)  # the title is a field of its own
    return {"url": url, "title": title, "kind": kind, "boost": KIND_WEIGHT.get(kind, 1.0),
            "names": ", ".join(facts.get("names", [])), "words": ", ".join(facts.get("words", [])),
            "tags": ", ".join(facts.get("tags", [])),
            "text": text_of(body)}


def build_index(site_dir: str | Path, facts: dict[str, dict]) -> dict[str, list[dict]]:
    """Language -> the entries of that language's pages, in the order of their addresses."""
    site = Path(site_dir)
    by_lang: dict[str, list[dict]] = {}
    for file in sorted(site.rglob("index.html")):
        url = file.relative_to(site).as_posix().removesuffix("index.html")
        html = file.read_text(encoding="utf-8")
        found = entry(url, html, facts.get(url))
        if found is not None:
            lang = _LANG.search(html)
            by_lang.setdefault(lang.group(1) if lang else "en", []).append(found)
    return by_lang


def write_index(site_dir: str | Path, facts: dict[str, dict]) -> list[Path]:
    """Write `assets/search/<lang>.json` for each language of the site; return the files."""
    written = []
    for lang, docs in build_index(site_dir, facts).items():
        target = Path(site_dir) / INDEX_DIR / f"{lang}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"lang": lang, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
        written.append(target)
    return written
