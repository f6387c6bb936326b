"""Text from exercises.yml cannot inject markup: `<script>`, `<img onerror>`, raw HTML and
Markdown links or images in the data show on the built pages as the characters typed,
or (in titles, which also reach <title>, the navigation and search) are refused.

One real `mkdocs build` of the real data with the payloads put into one exercise's text.
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest

import search_ui
from conftest import DATA, build_site, make_project, serve_directory
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
    with serve_directory(injected_site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.goto(f"{base}/")
            search_ui.open_search(page)
            assert search_ui.search(page, "alert onerror")[:1] == [f"/exercises/{SLUG}/"]
            shown = page.locator(search_ui.RESULT_LINKS).first
            assert "alert(1)" in shown.inner_text()
            tags = page.locator(".site-search__results *").evaluate_all("els => [...new Set(els.map(e => e.tagName))]")
            assert set(tags) <= {"LI", "A", "SPAN", "MARK"}, tags
            assert not dialogs
        finally:
            page.close()


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


# ----------------------------------------------------------------------------- issue 25: data as written

import yaml  # noqa: E402

from conftest import ENGINE  # noqa: E402

# Emoji and icon codes (pymdownx.emoji): `:hospital:` was an image from a CDN, `:material-alert:` an icon.
CODES = ":hospital: :material-alert: :+1:"
# Fields that are names or addresses, not text a reader sees.
NOT_TEXT = {"slug", "aliases", "exercise", "category", "key", "cites", "number", "urgent_line", "publisher_url",
            "url", "posture", "props", "moves", "lifted", "how_often_cites", "arrow", "$schema"}
PARENS_URL = "https://www.nhs.uk/a b)c/"
PARENS_PUBLISHER = "https://www.nhs.uk/(x)y"


def coded(value, key=None):
    """Every text value with CODES after it."""
    if isinstance(value, dict):
        return {k: coded(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [coded(v, key) for v in value]
    if isinstance(value, str) and key not in NOT_TEXT:
        return f"{value} {CODES}"
    return value


def coded_data() -> dict:
    data = coded(yaml.safe_load(BASE))
    data["exercises"][0]["title"] = f"Knee & chest stretch {CODES}"
    data["references"][-1]["url"] = PARENS_URL
    data["references"][-1]["publisher_url"] = PARENS_PUBLISHER
    return data


@pytest.fixture(scope="module")
def coded_site(tmp_path_factory):
    """A real build (this suite's engine) of data with an emoji and an icon code in every text field,
    a reference whose addresses have parentheses, and an `&` in a title; served on 127.0.0.1."""
    where = tmp_path_factory.mktemp("codes")
    data = coded_data()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    project = make_project(where / "project", text)
    result = build_site(where / "site", project / "mkdocs.yml")
    assert result.returncode == 0, f"{ENGINE} build failed:\n{result.stdout}\n{result.stderr}"
    with serve_directory(where / "site") as url:
        yield where / "site", url, data


def test_emoji_and_icon_codes_in_the_data_are_shown_as_typed(coded_site):
    site, _, data = coded_site
    built = pages(site)
    ex = data["exercises"][0]
    page = built[f"exercises/{ex['slug']}/index.html"]
    for field in ("summary", "why", "feel"):
        assert ex[field] in page.text, field
    for field in ("steps", "do", "avoid", "also_called", "body_words"):
        for item in ex[field]:
            assert item in page.text, (field, item)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", (site / f"exercises/{ex['slug']}/index.html").read_text(encoding="utf-8"), re.S)
    assert html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip().rstrip("#").strip() == ex["title"]
    place = data["emergency"]["place"]
    assert place in built["index.html"].text and place in built["get-help/index.html"].text
    for name, one in built.items():
        for tag, attrs in one.elements:
            assert not (tag == "img" and "://" in (attrs.get("src") or "")), f"{name}: <img src={attrs.get('src')}>"
    for file in site.rglob("*.html"):
        assert "cdn.jsdelivr" not in file.read_text(encoding="utf-8"), file


def test_codes_in_the_data_send_nothing_to_another_host(coded_site, browser):
    """The home page, "When to get help", an exercise page and About, in Chromium: no request
    leaves 127.0.0.1 and the page's CSP reports no violation."""
    _, url, data = coded_site
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_init_script("""window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    elsewhere = []
    context.on("request", lambda r: r.url.startswith(url) or r.url.startswith("data:") or elsewhere.append(r.url))
    for path in ("/", "/get-help/", f"/exercises/{data['exercises'][0]['slug']}/", "/about/", "/references/"):
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__csp") == [], path
        page.close()
    context.close()
    assert elsewhere == []


def test_reference_addresses_with_parentheses_are_linked_whole(coded_site):
    site, _, _ = coded_site
    from pydantic import TypeAdapter

    from exercise_guide.data.model import HttpsUrl

    page = Page((site / "references" / "index.html").read_text(encoding="utf-8"))
    hrefs = [a.get("href") for tag, a in page.elements if tag == "a"]
    for written in (PARENS_URL, PARENS_PUBLISHER):
        assert str(TypeAdapter(HttpsUrl).validate_python(written)) in hrefs, hrefs
    assert "c/)." not in page.text and "y))." not in page.text


def test_an_ampersand_in_a_title_is_escaped_once_on_about(coded_site):
    """MkDocs gave About "Knee &amp;amp; chest stretch"; Zensical did not: one rule for both."""
    site, _, data = coded_site
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "&amp;amp;" not in about
    rows = [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in
            re.findall(r"<tr><td><a [^>]*>(.*?)</a></td>", about)]
    assert data["exercises"][0]["title"] in rows, rows


@pytest.mark.parametrize("extension", ["abbr", "pymdownx.smartsymbols", "pymdownx.magiclink"])
def test_a_markdown_extension_that_would_turn_data_into_markup_stops_the_build(extension, tmp_path):
    config = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    project = make_project(tmp_path / "project")
    (project / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n", f"markdown_extensions:\n  - {extension}\n"),
                                        encoding="utf-8")
    site = tmp_path / "site"
    result = build_site(site, project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert (f"mkdocs.yml: markdown_extensions: {extension} would turn text from exercises.yml into markup; "
            "teach render.md_text its syntax and add it to render.DATA_SAFE_EXTENSIONS") in output, output
    assert not site.exists() or not any(site.iterdir())
