"""The site's own search as a patient uses it, the same whichever engine built the site (issue 24).

A button in the header (or the `/` key) opens a panel with a box; results are links, best first,
one per page. Tests ask for what a patient sees (the pages found), or, for the ranking tables,
call the page's search directly (window.siteSearch.find: the same function the box calls) with
one call per query in one page, which checks a table of queries without typing each one.
The index is assets/search/<language>.json (hooks/exercise_guide/finish/site_search.py).
"""

from __future__ import annotations

import json
from pathlib import Path

INDEX = "assets/search/en.json"
BUTTON = ".site-search__open"
BOX = "#site-search-input"
RESULT_LINKS = ".site-search__results a"
STATUS = "#site-search-status"
NONE = ".site-search__none"


def index_entries(site: Path, lang: str = "en") -> list[dict]:
    """The search index's entries: each with `url`, `title`, `kind`, `names`, `words`, `text`."""
    return json.loads((site / "assets" / "search" / f"{lang}.json").read_text(encoding="utf-8"))["docs"]


def open_search(page) -> None:
    """Open the search as a mouse user does: a click on the header's search button."""
    page.locator(BUTTON).click()
    page.locator(BOX).wait_for()


def result_pages(page) -> list[str]:
    """The pages the results lead to (paths), best first, each once."""
    paths = page.locator(RESULT_LINKS).evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    return list(dict.fromkeys(paths))


def search(page, query: str) -> list[str]:
    """Type `query` into the open search; the pages found once the results are shown for it."""
    box = page.locator(BOX)
    box.fill("")
    box.press_sequentially(query, delay=5)
    # The results are for the box's text once the status (said after typing stops) is set.
    page.wait_for_function("() => document.querySelector('#site-search-status').textContent.trim() !== ''"
                           " && document.querySelector('#site-search-status').textContent"
                           " !== document.querySelector('[data-site-search]').dataset.loading")
    return result_pages(page)


def find_all(page, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result pages (paths), best first, from the page's search function: one call
    per query, all in one page (the page must be of the site)."""
    return page.evaluate("""async queries => {
        const out = {};
        for (const q of queries) {
            out[q] = (await window.siteSearch.find(q)).map(r => new URL(r.url, new URL('../../', 
                new URL(document.querySelector('[data-site-search]').dataset.indexDir + 'x', document.baseURI))).pathname);
        }
        return out;
    }""", queries)
