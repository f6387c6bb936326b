"""Text from exercises.yml cannot inject markup: `<script>`, `<img onerror>`, raw HTML and
Markdown links or images in the data show on the built pages as the characters typed,
or (in titles, which also reach <title>, the navigation and search) are refused.

One real `mkdocs build` of the real data with the payloads put into one exercise's text.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

import search_ui
from conftest import DATA, _QuietHandler, build_site, make_project
from exercise_guide.cli import main

BASE = DATA.read_text(encoding="utf-8")
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "raw html": "<b>bold</b>",
    "markdown link": "[click](https://evil.example)",
    "markdown image": "![x](https://evil.example/x.png)",
}
ALL = " ".join(PAYLOADS.values())
START = BASE.index("\n  - slug: ", BASE.index("\nexercises:\n")) + 1
SLUG = BASE[START:].split("\n", 1)[0].removeprefix("  - slug: ")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text)


def in_first_exercise(pattern: str, new: str, text: str) -> str:
    """Replace the first match of `pattern` inside the first exercise's block."""
    end = text.index("\n  - slug: ", START)
    block, n = re.subn(pattern, new, text[START:end], count=1, flags=re.MULTILINE)
    assert n == 1, f"the first exercise no longer matches {pattern!r}; update this test"
    return text[:START] + block + text[end:]


def injected_data() -> tuple[str, list[str]]:
    """The real data with every payload in the first exercise's text fields; and those fields."""
    text, fields = BASE, []
    # Each payload alone in a step, and all of them in one do item, one avoid item and more.
    steps = "".join(f"      - {q(p)}\n" for p in PAYLOADS.values())
    text = in_first_exercise(r"^    steps:\n", "    steps:\n" + steps, text)
    fields += [f"steps: {name}" for name in PAYLOADS]
    for field, pattern in {
        "do": r"^(    do:\n      - ).*$",
        "avoid": r"^(    avoid:\n      - ).*$",
        "summary": r"^(    summary: ).*$",
        "feel": r"^(    feel: ).*$",
        "how_often": r"^(      how_often: ).*$",
        "easier": r"^(    easier:\n      text: ).*$",
    }.items():
        text = in_first_exercise(pattern, lambda m: m.group(1) + q(f"{field}: {ALL}"), text)
        fields.append(field)
    return text, fields


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("injection")
    data, _ = injected_data()
    project = make_project(where / "project", data)
    result = build_site(where / "site", project / "mkdocs.yml")
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return where / "site"


class Page(html.parser.HTMLParser):
    """Elements (tag, attributes, text of script elements) and the text a reader sees."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.visible: list[str] = []
        self._in: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in.append(tag)
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not self._in:
            self.visible.append(data)
        elif self._in[-1] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.visible).split())


def pages(site: Path) -> dict[str, Page]:
    return {str(p.relative_to(site)): Page(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def site_pages(injected_site) -> dict[str, Page]:
    return pages(injected_site)


def test_no_markup_from_the_data_anywhere(site_pages):
    assert f"exercises/{SLUG}/index.html" in site_pages
    for name, page in site_pages.items():
        for tag, attrs in page.elements:
            handlers = [a for a in attrs if a.startswith("on")]
            assert not handlers, f"{name}: <{tag}> has {handlers}"
            assert tag != "b", f"{name}: <b>bold</b> became markup"
            assert not (tag == "img" and attrs.get("src") == "x"), f"{name}: <img src=x> became markup"
            for attr in ("href", "src", "srcset", "action", "formaction", "data", "poster"):
                assert "evil.example" not in (attrs.get(attr) or ""), f"{name}: <{tag} {attr}=...evil.example>"
        for attrs, code in page.scripts:
            assert "alert(1)" != code.strip(), f"{name}: a <script> from the data runs"
            if attrs.get("type") in ("application/ld+json", "application/json"):
                json.loads(code)  # still valid JSON: the text did not break out of it
            else:
                assert "alert(" not in code, f"{name}: the data reached a script"


def test_the_exercise_page_shows_the_text_as_typed(site_pages):
    page = site_pages[f"exercises/{SLUG}/index.html"]
    _, fields = injected_data()
    for field in fields:
        if field.startswith("steps: "):
            assert PAYLOADS[field.removeprefix("steps: ")] in page.text
        else:
            assert f"{field}: {ALL}" in page.text, f"{field} is not shown as typed"


def test_json_ld_and_description_carry_the_text_not_markup(site_pages):
    page = site_pages[f"exercises/{SLUG}/index.html"]
    summary = f"summary: {ALL}"
    descriptions = [a.get("content") for tag, a in page.elements if tag == "meta" and a.get("name") == "description"]
    assert descriptions == [summary]
    ld = [json.loads(code) for attrs, code in page.scripts if attrs.get("type") == "application/ld+json"]
    assert ld and summary in json.dumps(ld, ensure_ascii=False)


def test_search_shows_it_as_text(injected_site, browser):
    """The search index holds each page's text as the reader reads it (the payloads as characters),
    and the search panel shows it as text: no element of the data's markup reaches the page."""
    texts = " ".join(doc["text"] + " " + doc["title"] for doc in search_ui.index_entries(injected_site))
    assert PAYLOADS["script"] in texts and PAYLOADS["img onerror"] in texts
    handler = functools.partial(_QuietHandler, directory=str(injected_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        search_ui.open_search(page)
        assert search_ui.search(page, "alert onerror")[:1] == [f"/exercises/{SLUG}/"]
        shown = page.locator(search_ui.RESULT_LINKS).first
        assert "alert(1)" in shown.inner_text()
        tags = page.locator(".site-search__results *").evaluate_all("els => [...new Set(els.map(e => e.tagName))]")
        assert set(tags) <= {"LI", "A", "SPAN", "MARK"}, tags
        assert not dialogs
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_builder_data_is_plain_json(injected_site):
    data = json.loads((injected_site / "assets" / "exercises.json").read_text(encoding="utf-8"))
    assert f"summary: {ALL}" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("name", PAYLOADS)
def test_markup_in_a_title_is_refused(name, tmp_path, monkeypatch, capsys):
    """Titles also reach <title>, the navigation and search, where MkDocs does not escape them."""
    data = in_first_exercise(r"^(    title: ).*$", lambda m: m.group(1) + q(PAYLOADS[name]), BASE)
    (tmp_path / "exercises.yml").write_text(data, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    line = data.count("\n", 0, data.index(q(PAYLOADS[name]))) + 1
    shown = PAYLOADS[name]
    assert err.splitlines()[1:] == [
        f"  exercises.yml:{line}:12: exercises[0].title: must be plain words without "
        f"< > [ ] {{ }} ` * _ # | \\, got \"{shown}\""
    ]
