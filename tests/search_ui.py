"""The site's search as a patient uses it, whichever generator built the site (conftest.ENGINE).

Material (MkDocs) has a search box in the header and lists one result per page; Zensical opens
a dialog (in a shadow root, which Playwright's locators enter), lists one result per section and
shows them a batch at a time as the list scrolls.
Tests ask for what a patient sees: the pages found, best first, each once. The index files
differ too: Material's search/search_index.json ("docs"), Zensical's search.json ("items").
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ENGINE

if ENGINE == "zensical":
    INDEX = "search.json"
    BOX = "dialog input[role=combobox]"
    RESULT_LINKS = "dialog ol[role=listbox] a[role=option]"
    STATUS = "dialog [role=status]"
else:
    INDEX = "search/search_index.json"
    BOX = "input[data-md-component=search-query]"
    RESULT_LINKS = ".md-search-result__item > a"
    STATUS = ".md-search-result__meta"


def index_entries(site: Path) -> list[dict]:
    """The search index's entries: each with `location`, `title`, `text` (and `names`, if any)."""
    data = json.loads((site / INDEX).read_text(encoding="utf-8"))
    return data["items"] if ENGINE == "zensical" else data["docs"]


def open_search(page) -> None:
    """Open the search as a mouse user does: a click on the header's search."""
    if ENGINE == "zensical":
        page.locator(".md-search__button").click()
    else:
        page.locator(BOX).click()
    page.locator(BOX).wait_for()


def result_pages(page) -> list[str]:
    """The pages the results lead to (paths), best first, each once."""
    paths = page.locator(RESULT_LINKS).evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    return list(dict.fromkeys(paths))


def search(page, query: str) -> list[str]:
    """Type `query` into the open search; the pages found once the results stop changing."""
    box = page.locator(BOX)
    box.fill("")
    box.press_sequentially(query, delay=5)
    last, same = None, 0
    for _ in range(100):
        page.wait_for_timeout(60)
        status = page.locator(STATUS).first.text_content() or ""
        now = (tuple(result_pages(page)), status)
        ready = not any(word in status for word in ("Initializing", "Type"))
        same = same + 1 if ready and now == last else 0
        last = now
        if same >= 3:
            break
    if ENGINE == "zensical":
        # Zensical shows its results a batch at a time, more as the list is scrolled: scroll to
        # the last until no more come, so the pages found do not depend on how far it got.
        links = page.locator(RESULT_LINKS)
        for _ in range(20):
            count = links.count()
            if not count:
                break
            links.nth(count - 1).scroll_into_view_if_needed()
            page.wait_for_timeout(100)
            if links.count() == count:
                break
    return result_pages(page)
