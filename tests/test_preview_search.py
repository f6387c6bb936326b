"""The preview (`mkdocs serve`) has the site's own search, as a built site has (issue 24): its index
is made from the pages as written, after each rebuild (about 40 ms on the real site), so it
follows an edit of exercises.yml."""

from __future__ import annotations

import json
import time

from conftest import DATA, MKDOCS_ONLY, http_get, make_project, serving
from test_speed import wait_for

pytestmark = MKDOCS_ONLY  # the MkDocs hook's own events (the Zensical build has no preview of ours)

SEARCH_BUTTON = 'class="md-header__button site-search__open"'


def test_the_preview_has_search_and_it_follows_an_edit(tmp_path):
    # English only: the edit below changes an English title, whose Spanish would then be stale.
    project = make_project(tmp_path / "project", DATA.read_text(encoding="utf-8"))
    data = project / "exercises.yml"
    with serving(project) as base:
        home = wait_for(f"{base}/", "</html>")
        assert SEARCH_BUTTON in home
        walking = next(d for d in index_docs(base) if d["url"] == "exercises/walking/")
        assert walking["title"] == "Walking" and walking["kind"] == "exercise"
        data.write_text(data.read_text(encoding="utf-8").replace("title: Walking\n", "title: Brisk walking\n", 1),
                        encoding="utf-8")
        wait_for(f"{base}/exercises/walking/", "Brisk walking")
        deadline = time.monotonic() + 30  # the index is written at the end of the same rebuild
        while time.monotonic() < deadline:
            titles = {d["url"]: d["title"] for d in index_docs(base)}
            if titles.get("exercises/walking/") == "Brisk walking":
                break
            time.sleep(0.1)
        assert titles.get("exercises/walking/") == "Brisk walking", titles.get("exercises/walking/")


def index_docs(base: str) -> list[dict]:
    """The preview's English search index as served now ([] while a rebuild has not written it)."""
    status, text = http_get(f"{base}/assets/search/en.json")
    return json.loads(text)["docs"] if status == 200 else []


def test_a_built_site_has_search(built_site):
    assert SEARCH_BUTTON in (built_site / "index.html").read_text(encoding="utf-8")
    assert (built_site / "assets" / "search" / "en.json").stat().st_size > 10_000
