"""Material's search entries of an unchanged page, taken from the cache instead of made again.

The one place that reaches into Material's search plugin (its `search_index` and the index's
`add_entry_from_context`, which are not a documented interface): the site's own search (a
separate issue) replaces Material's, and this file goes with it. The entries of a page depend on
what Material reads of it (address, title, metadata, table of contents, HTML) and on the plugin's
settings and code; with all of those the same, they are what the build before stored.

Beside the hook, not in the core: it imports Material.
"""

from __future__ import annotations

import json
from pathlib import Path

from material.plugins.search import plugin as search_plugin

from exercise_guide.cache import code_version, digest


def _toc(items) -> list:
    return [{**{k: v for k, v in vars(a).items() if k != "children"}, "children": _toc(a.children)} for a in items]


def replay_entries(config, cache) -> None:
    """Wrap the search index of this build so that a page read before gives its stored entries."""
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    add = getattr(index, "add_entry_from_context", None)
    if add is None or not isinstance(getattr(index, "entries", None), list) or cache.directory is None:
        return
    kind = "search:" + code_version(Path(__file__), Path(search_plugin.__file__)) + ":" + digest(
        json.dumps(dict(search.config), sort_keys=True, default=str))

    def add_entry_from_context(page) -> None:
        try:
            key = digest(json.dumps([page.url, page.title, page.meta, _toc(page.toc), page.content],
                                    sort_keys=True))
        except (TypeError, ValueError):  # metadata with no JSON form: read the page
            return add(page)
        stored = cache.get(kind, key)
        if stored is not None:
            index.entries.extend(stored)
            return None
        start = len(index.entries)
        add(page)
        cache.put(kind, key, index.entries[start:])
        return None

    index.add_entry_from_context = add_entry_from_context
