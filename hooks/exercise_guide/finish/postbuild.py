"""The finish step: what needs the built HTML, done to the site folder after either engine built it.

Why after the build: Zensical runs no hooks, and what a page finally is (the theme's inline
scripts, another plugin's changes) is known only once it is written. So for both engines:

- the builder's safety list, in place of its placeholder (render.SAFETY_PLACEHOLDER; the MkDocs
  hook fills it earlier, with fill_safety_html);
- the About page's reading grades, measured on each page's content as the reader sees it (the
  <article>, without the theme's header, menus and footer; readability.measure);
- the site's own search index (site_search.py);
- in the preview, the error banner (preview.py) while the data or a template is broken;
- the Content-Security-Policy of every HTML file, hashed from the file as finally written
  (csp.protect_tree), last, after every other change.

It knows neither MkDocs nor Zensical, only the page layout both themes share (the content in
`<article class="md-content__inner md-typeset">`): it reads the site folder and the list of pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import csp, preview, readability, site_search
from ..pages import render, site_paths
from ..cache import digest

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def page_url(src_uri: str) -> str:
    """A page's address under the site, with directory URLs (use_directory_urls: true)."""
    return site_paths.output_of(src_uri).removesuffix("index.html")


def output_file(site: Path, src_uri: str) -> Path:
    return site / site_paths.output_of(src_uri)


def nav_titles(nav: list) -> dict[str, str]:
    """Page path -> its title in the navigation (which names a page before its <h1> does)."""
    titles: dict[str, str] = {}
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = title
                elif isinstance(value, list):
                    titles.update(nav_titles(value))
    return titles


def content(html: str) -> str:
    """The page's content as the theme shows it: its <article>."""
    found = _ARTICLE.search(html)
    return found.group(1) if found else ""


def fill_safety_html(html: str, guide) -> str:
    """A page's HTML with the builder's safety list in place of its placeholder, if it has one."""
    if render.SAFETY_PLACEHOLDER not in html:
        return html
    return html.replace(render.SAFETY_PLACEHOLDER, render.safety_items(guide))


def fill_safety(site: Path, guide, others: dict | None = None) -> None:
    """The builder's safety list, in the page that asks for it (in its language: `others` are the
    other languages' editions, whose pages are under their folder)."""
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        folder = file.relative_to(site).parts[0]
        filled = fill_safety_html(text, (others or {}).get(folder, guide))
        if filled != text:
            file.write_text(filled, encoding="utf-8")


def grade_pages(site: Path, pages: list[str], nav: list, cache=None, lang: str = "en") -> list[dict]:
    """The About page's rows: every page's title, address (from About), grade and words,
    in the order of their paths, as the hook gives them."""
    titles = nav_titles(nav)
    rows = []
    for src_uri in sorted(pages):
        file = output_file(site, src_uri)
        if not file.is_file():
            continue
        html = content(file.read_text(encoding="utf-8"))
        kind = readability.CACHE_KIND if lang == "en" else f"{readability.CACHE_KIND}:{lang}"
        measured = cache.get(kind, digest(html)) if cache is not None else None
        if measured is None:
            measured = list(readability.measure(html, lang))
            if cache is not None:
                cache.put(kind, digest(html), measured)
        heading = _H1.search(html)
        title = titles.get(src_uri) or (readability.html_text(heading.group(1)) if heading else src_uri)
        url = "../" * page_url(render.Pages.about).count("/") + page_url(src_uri)
        if lang != "en":  # from the About page of that language, one folder down
            url = "../" * page_url(render.Pages.about).count("/") + page_url(src_uri.removeprefix(render.lang_prefix(lang)))
        # html_text gives the text as shown (entities read): not unescaped again, nor the nav's plain title.
        rows.append({"title": title, "url": url, "grade": measured[0], "words": measured[1]})
    return rows


def grade_tables(site: Path, pages: list[str], nav: list, cache=None, others: dict | None = None) -> dict:
    """Language -> the rows of its pages (grade_pages): English graded in US school years, each other
    language with its own scale (readability.SCALES)."""
    others = others or {}
    prefixes = {lang: render.lang_prefix(lang) for lang in others}
    english = [p for p in pages if not any(p.startswith(prefix) for prefix in prefixes.values())]
    tables = {"en": grade_pages(site, english, nav, cache)}
    for lang, prefix in prefixes.items():
        tables[lang] = grade_pages(site, [p for p in pages if p.startswith(prefix)], nav, cache, lang)
    return tables


def fill_grades(site: Path, tables: dict | None, others: dict | None = None) -> None:
    """Each About page's tables: its own language's pages first, then the others'. With English
    only, the one table as it always was."""
    for lang in ["en", *(others or {})]:
        about = output_file(site, render.lang_prefix(lang) + render.Pages.about)
        if not about.is_file():
            continue
        if tables is None or len(tables) == 1:
            html = render.grades_table(None if tables is None else tables[lang], lang)
        else:
            order = [lang, *(other for other in tables if other != lang)]
            html = "\n".join(render.grades_table(tables[other], lang, other, lang_of_url=lang) for other in order)
        text = about.read_text(encoding="utf-8")
        about.write_text(text.replace(render.GRADES_PLACEHOLDER, html), encoding="utf-8")


def add_banner(site: Path, report: str, shown: str) -> None:
    """The preview's error banner first in every page's <body> (preview.py)."""
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
        if csp.MARKER in text:
            continue  # a redirect the engine copied as it was made: not a page of the guide
        depth = len(file.relative_to(site).parts) - 1
        file.write_text(preview.insert(text, preview.banner(report, depth, shown)), encoding="utf-8",
                        errors="surrogateescape")


def finish(site: Path, guide, pages: list[str], nav: list, cache=None, grades: bool = True,
           styles: tuple[str, ...] = (), allow_inline: bool = False, banner: tuple[str, str] | None = None,
           others: dict | None = None) -> None:
    """Everything above, in order; the policy last (`styles`: see csp.policy; `allow_inline`: the
    preview, whose live-reload script is added as each page is served). `guide` is None only in
    the preview before exercises.yml was ever good; `banner` is the preview's (report, shown)."""
    site = Path(site)
    others = others or {}
    if guide is not None:
        fill_safety(site, guide, others)
    # Grade before the table is in: the About page is measured as it is without it.
    fill_grades(site, grade_tables(site, pages, nav, cache, others) if grades else None, others)
    if guide is not None:
        facts = site_search.page_facts(guide)
        for lang, edition in others.items():
            facts.update({f"{lang}/{url}": fact for url, fact in site_search.page_facts(edition).items()})
        site_search.write_index(site, facts)
    if banner is not None:
        add_banner(site, *banner)
    csp.protect_tree(site, allow_inline=allow_inline, styles=styles)
