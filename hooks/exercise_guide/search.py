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

Patients' other words (also_called, body_words) are on the pages themselves, so Material
indexes them like any text. Stemming and one-letter misspellings are the browser's part:
docs/assets/search-worker.js.
"""

from __future__ import annotations

# Exercise pages first; "When to get help" above pages that merely mention a symptom; pages
# that list or cite every other page (About, References) last.
BOOST = {"exercise": 2.0, "get_help": 3.0, "category": 1.0, "about": 0.2, "references": 0.3}
