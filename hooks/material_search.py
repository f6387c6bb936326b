"""Material's search entries of a page, made in a second process (exercise_guide/sidework.py).

Why: Material's search plugin reads every page's HTML to cut it into the search index's entries,
on the build's one busy core (about a third of a first build at 1000 exercises), while the
machine's second core had little to do. The hook hands each page that is not replayed from
.cache/ over to this module instead, and appends the entries it gives in page order, so the index
is what Material makes in-process, byte for byte: the same Material code
(`SearchIndex.add_entry_from_context`) reads the same fields of the page (`fields`), taken when
Material would have read them.

Beside the hook (not in the core): it imports Material.
"""

from __future__ import annotations

from types import SimpleNamespace

from material.plugins.search.plugin import SearchIndex

TARGET = "material_search:entries"


def fields(page) -> dict:
    """What add_entry_from_context reads of a page, as it is now."""
    return {"url": page.url, "title": page.title, "meta": page.meta, "toc": page.toc, "content": page.content}


def entries(page_fields: dict) -> list[dict]:
    """The search entries of a page given as `fields` gives it."""
    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(**page_fields))
    return index.entries
