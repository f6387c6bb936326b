"""Issue 14: the preview (`mkdocs serve`) leaves out search, about a quarter of each rebuild,
unless EXERCISE_GUIDE_SEARCH=1; a built site always has it (the search tests use a built site)."""

from __future__ import annotations

import pytest

from conftest import MKDOCS_ONLY, http_get, make_project, serving
from test_speed import wait_for

pytestmark = MKDOCS_ONLY  # the MkDocs hook's own events (the Zensical build has its own)

SEARCH_BOX = 'for="__search"'


@pytest.mark.parametrize("asked", [False, True])
def test_the_preview_has_search_only_when_asked(tmp_path, asked):
    project = make_project(tmp_path / "project")
    with serving(project, {"EXERCISE_GUIDE_SEARCH": "1"} if asked else None) as base:
        home = wait_for(f"{base}/", "</html>")
        status, index = http_get(f"{base}/search/search_index.json")
    if asked:
        assert SEARCH_BOX in home and status == 200 and '"docs"' in index
    else:
        assert SEARCH_BOX not in home
        assert status == 404, f"the preview answered {status} for its search index, not 404 (no search)"


def test_a_built_site_has_search(built_site):
    assert SEARCH_BOX in (built_site / "index.html").read_text(encoding="utf-8")
    assert (built_site / "search" / "search_index.json").stat().st_size > 10_000
