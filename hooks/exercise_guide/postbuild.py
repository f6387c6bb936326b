"""What the MkDocs hook adds during a build, added to a finished site folder instead.

Why: Zensical (Material's successor, issue 15) reads mkdocs.yml but runs no hooks and no
plugins of ours, so everything the hook does in MkDocs' page events has to be done after the
build, on the written files, and give the same site:

- the builder's safety list, in place of its placeholder (render.SAFETY_PLACEHOLDER);
- the About page's reading grades, measured on each page's content as the reader sees it (the
  <article>, without the theme's header, menus and footer) with the same measure the hook uses
  (readability.measure), so both engines print the same numbers;
- the site's own search index (site_search.py), as the hook writes it in on_post_build;
- the Content-Security-Policy of every HTML file, hashed from the file as finally written
  (csp.protect_tree), last, after every other change.

It knows neither MkDocs nor Zensical, only the page layout both themes share (the content in
`<article class="md-content__inner md-typeset">`): it reads the site folder and the list of pages.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from . import csp, readability, render, site_paths, site_search
from .buildcache import digest

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


def fill_safety(site: Path, guide) -> None:
    """The builder's safety list, in the page that asks for it."""
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        if render.SAFETY_PLACEHOLDER in text:
            file.write_text(text.replace(render.SAFETY_PLACEHOLDER, render.safety_items(guide)), encoding="utf-8")


def grade_pages(site: Path, pages: list[str], nav: list, cache=None) -> list[dict]:
    """The About page's rows: every page's title, address (from About), grade and words,
    in the order of their paths, as the hook gives them."""
    titles = nav_titles(nav)
    rows = []
    for src_uri in sorted(pages):
        file = output_file(site, src_uri)
        if not file.is_file():
            continue
        html = content(file.read_text(encoding="utf-8"))
        measured = cache.get(readability.CACHE_KIND, digest(html)) if cache is not None else None
        if measured is None:
            measured = list(readability.measure(html))
            if cache is not None:
                cache.put(readability.CACHE_KIND, digest(html), measured)
        heading = _H1.search(html)
        title = titles.get(src_uri) or (readability.html_text(heading.group(1)) if heading else src_uri)
        url = "../" * page_url(render.Pages.about).count("/") + page_url(src_uri)
        rows.append({"title": unescape(title), "url": url, "grade": measured[0], "words": measured[1]})
    return rows


def fill_grades(site: Path, rows: list[dict] | None) -> None:
    about = output_file(site, render.Pages.about)
    if about.is_file():
        text = about.read_text(encoding="utf-8")
        about.write_text(text.replace(render.GRADES_PLACEHOLDER, render.grades_table(rows)), encoding="utf-8")


def finish(site: Path, guide, pages: list[str], nav: list, cache=None, grades: bool = True,
           styles: tuple[str, ...] = ()) -> None:
    """Everything above, in order; the policy last (`styles`: see csp.policy)."""
    site = Path(site)
    fill_safety(site, guide)
    # Grade before the table is in: the About page is measured as the hook measures it.
    fill_grades(site, grade_pages(site, pages, nav, cache) if grades else None)
    site_search.write_index(site, site_search.page_facts(guide))
    csp.protect_tree(site, styles=styles)
