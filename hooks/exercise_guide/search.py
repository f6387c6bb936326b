"""How the site's search ranks pages, for patients who type their own words (issue 16).

Material's search (lunr, in a web worker) scores each page section by its title, text and
tags. Left alone it put the wrong page first for many patient queries: a tag match weighs
a million times a word of text, so "stretch" ranked every page tagged Stretching alike,
and the About, tags and References pages, which name every other page, came up for
everything. Two settings fix that:

- the field weights, `plugins: search: fields:` in mkdocs.yml (a tag now counts like ten
  words of text, a title word like a thousand);
- BOOST here: each kind of page's `search.boost`, which its template prints in its front
  matter.

Patients' other words (also_called, body_words) are not shown on exercise pages as lists
(issue 23: a reader saw lists of search words); they go into a field of their own, `names`
(weighted in mkdocs.yml), on the entry of the page or section they name: with the drawn
figures' descriptions on the page, "Back of thigh stretch" otherwise found the piriformis
stretch (whose picture shows the back of the thigh) before the hamstring stretch. Material's
search plugin cannot add a field, so the hook adds it to the written index (add_names).
Stemming and one-letter misspellings are the browser's part: docs/assets/search-worker.js.
"""

from __future__ import annotations

import json

# Exercise pages first; "When to get help" above pages that merely mention a symptom; pages
# that list or cite every other page (About, References) last.
BOOST = {"exercise": 2.0, "get_help": 5.0, "category": 1.0, "about": 0.2, "references": 0.3}


def other_names(guide) -> dict[tuple[str, str], list[str]]:
    """(page path under docs/, anchor or "") -> the other names of what it is about."""
    from .render import Pages  # render imports this module for BOOST

    names: dict[tuple[str, str], list[str]] = {}
    for e in guide.exercises:
        if e.also_called or e.body_words:
            names[(Pages.exercise(e.slug), "")] = list(e.also_called) + list(e.body_words)
    for c in guide.categories:
        if c.also_called:
            names[(Pages.category(c.key), "")] = list(c.also_called)
    for a in guide.activities_to_avoid:
        if a.also_called:
            names[(Pages.avoid, a.key)] = list(a.also_called)
    return names


def add_names(index_json: str, names_at: dict[str, list[str]]) -> str:
    """Material's search_index.json with a `names` field on the entries at the given locations
    (as the index writes them: "exercises/bridge/", "avoid/#running"). Written the way
    Material writes it, so two builds stay byte-identical."""
    data = json.loads(index_json)
    for doc in data.get("docs", []):
        names = names_at.get(doc.get("location"))
        if names:
            doc["names"] = ", ".join(names)
    return json.dumps(data, separators=(",", ":"), default=str)
