"""The site as a patient uses it, in a real browser (issue 5).

Headless Chromium (the session's `browser` fixture, conftest.py) opens the built site from the
local server (`site_url`). Every page is opened once, in one tab, and checked for:
accessibility (axe-core, WCAG 2.0/2.1/2.2 A and AA), requests to any host but the local
server, JavaScript errors, and, at a 375 px phone width, sideways scrolling and text under
16 px. Then the flows a patient or a clinician follows: search, a deep link to a section,
the keyboard alone, and print (a PDF is saved and read back).

Screenshots at phone and desktop width and the printout, for people to look at, are a script:
`make pictures` (bench/pictures.py) writes them to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

import search_ui
from conftest import ENGINE, build_site, make_project


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
MIN_TEXT_PX = 16
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no wcag22a tag: its 2.2 A rules carry wcag2a/wcag21a).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# The stable section anchors of an exercise page (hooks/exercise_guide/pages/templates/exercise.md.j2).
SECTIONS = ["why-this-helps", "safety", "how-to-do-it", "how-much", "do-and-avoid", "sources"]
MAX_PRINTED_SHEETS = 2


# --- the pages of the built site ---------------------------------------------------------------

def is_redirect(html: str) -> bool:
    """The small pages that send an exercise's old address to its new one (issue 7)."""
    return 'http-equiv="refresh"' in html


def site_pages(site: Path) -> list[str]:
    """The address of every real page of the built site, '/' first; redirect pages left out."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        if file.name not in ("index.html", "404.html") or is_redirect(file.read_text(encoding="utf-8")):
            continue
        rel = file.relative_to(site).as_posix()
        paths.append("/" + (rel[: -len("index.html")] if file.name == "index.html" else rel))
    return sorted(paths, key=lambda p: (p != "/", p))


def exercise_for(guide, word: str):
    """The exercise a patient searching for `word` wants: by its title, else by a muscle it works."""
    word = word.lower()
    for matches in (
        lambda ex: word in ex.title.lower(),
        lambda ex: any(word in f"{m.name} {m.medical}".lower() for m in ex.muscles),
    ):
        found = [ex for ex in guide.exercises if matches(ex)]
        if found:
            return found[0]
    pytest.fail(f"no exercise in exercises.yml has {word!r} in its title or muscles")


def squash(text: str) -> str:
    """Text without any whitespace, to compare what a PDF holds with what the page says
    (PDF text comes back with its line breaks wherever the lines wrapped, and with
    typographic ligatures such as U+FB02 for "fl", which NFKC spells out again)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- one tab for the whole module ----------------------------------------------------------------

def one_of_each_kind(site) -> list[str]:
    """The site's pages, with only the largest of the pages each template makes (exercises, categories),
    in each language (the Spanish edition's under /es/)."""
    largest: dict[tuple[str, str], str] = {}
    kept = []
    for path in site_pages(site):
        language, rest = ("es", path[3:]) if path.startswith("/es/") else ("en", path)
        # /exercises/<slug>/, /categories/<key>/ (and /es/exercises/<slug>/ ...)
        kind = (language, rest.split("/")[1]) if rest.count("/") == 3 else None
        if kind is None:
            kept.append(path)
        elif kind not in largest or page_size(site, path) > page_size(site, largest[kind]):
            largest[kind] = path
    return kept + sorted(largest.values())


def page_size(site, path: str) -> int:
    return (site / path.strip("/") / "index.html").stat().st_size


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


class Tab:
    """One browser tab that records what every page loaded in it does."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def open(self, url: str, viewport: dict = DESKTOP, media: str = "screen", wait_until: str = "load") -> None:
        self.requests.clear()
        self.errors.clear()
        self.page.set_viewport_size(viewport)
        self.page.emulate_media(media=media)
        self.page.goto(url, wait_until=wait_until)


@pytest.fixture(scope="module")
def tab(context) -> Tab:
    t = Tab(context)
    yield t
    t.page.close()


@pytest.fixture(scope="module")
def pages(built_site) -> list[str]:
    return site_pages(built_site)


def test_every_page_of_the_site_is_checked(pages, guide):
    assert "/" in pages and "/404.html" in pages
    for ex in guide.exercises:
        assert f"/exercises/{ex.slug}/" in pages
    for alias in (a for ex in guide.exercises for a in ex.aliases):
        assert f"/exercises/{alias}/" not in pages, "a redirect page was taken for a page"


# --- every page: opened once, everything recorded --------------------------------------------------

_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width && r.right > width + 0.5 && getComputedStyle(el).visibility !== "hidden";
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " (to " + Math.round(el.getBoundingClientRect().right) + "px)");
  return {scrollWidth: document.documentElement.scrollWidth, wide};
}"""

_SMALL_TEXT_JS = """min => {
  const article = document.querySelector("article");
  if (!article) return ["no <article> on the page"];
  return [...article.querySelectorAll("p, li, td")]
    .filter(el => el.getClientRects().length && el.textContent.trim())
    .map(el => [el, parseFloat(getComputedStyle(el).fontSize)])
    .filter(([el, size]) => size < min)
    .map(([el, size]) => `<${el.tagName.toLowerCase()}${el.className ? ' class="' + el.className + '"' : ""}> `
                         + `"${el.textContent.trim().slice(0, 40)}": ${size}px`);
}"""


@pytest.fixture(scope="module")
def audit(tab, site_url, pages, built_site) -> dict[str, dict]:
    """Every page opened once: at desktop width, then the same page narrowed to a phone. axe-core
    reads every page at desktop width; at phone width, where what changes is the layout, one page
    of each kind (one_of_each_kind: every exercise page has the same layout, as has every category)."""
    at_phone_width = set(one_of_each_kind(built_site))
    axe_script = Axe().axe_script
    run_axe = "options => axe.run(document, options).then(results => results.violations)"
    found = {}
    for path in pages:
        tab.open(site_url + path)
        tab.page.evaluate(axe_script)  # once per page, for both widths
        violations = tab.page.evaluate(run_axe, AXE_OPTIONS)
        tab.page.set_viewport_size(PHONE)
        tab.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        if path in at_phone_width:
            violations += [dict(v, at="375 px") for v in tab.page.evaluate(run_axe, AXE_OPTIONS)]
        # Every request made: no request for half a second.
        tab.page.wait_for_load_state("networkidle")
        found[path] = {
            "violations": violations,
            "requests": list(tab.requests),
            "errors": list(tab.errors),
            "overflow": tab.page.evaluate(_OVERFLOW_JS),
            "small_text": tab.page.evaluate(_SMALL_TEXT_JS, MIN_TEXT_PX),
        }
    return found


def test_axe_finds_no_wcag_a_or_aa_violation(audit):
    problems = [
        f"{path}{' at ' + v['at'] if 'at' in v else ''}: {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in v["nodes"][:5])
        for path, found in audit.items() for v in found["violations"]
    ]
    assert not problems, "axe-core found WCAG violations:\n" + "\n".join(problems)


def test_no_request_leaves_the_local_server(audit, site_url):
    local = urlsplit(site_url).hostname
    foreign = [
        f"{path}: {url}" for path, found in audit.items() for url in found["requests"]
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != local
    ]
    # The recording sees everything, the site's search script too (its index: test_search.py).
    assert any(urlsplit(url).path == "/assets/search.js" for url in audit["/"]["requests"])
    assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)


def test_no_javascript_errors(audit):
    errors = [f"{path}: {e}" for path, found in audit.items() for e in found["errors"]]
    assert not errors, "JavaScript errors:\n" + "\n".join(errors)


def test_nothing_scrolls_sideways_on_a_phone(audit):
    wide = [
        f"{path}: {found['overflow']['scrollWidth']} px wide; {', '.join(found['overflow']['wide'])}"
        for path, found in audit.items() if found["overflow"]["scrollWidth"] > PHONE["width"]
    ]
    assert not wide, f"pages wider than a {PHONE['width']} px phone:\n" + "\n".join(wide)


def test_text_is_at_least_16px_on_a_phone(audit):
    small = [f"{path}: {s}" for path, found in audit.items() for s in found["small_text"]]
    assert not small, f"text under {MIN_TEXT_PX} px at {PHONE['width']} px:\n" + "\n".join(small)


# --- flows -------------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["piriformis", "bike", "hamstring"])
def test_search_opens_the_exercise(tab, site_url, guide, word):
    expected = exercise_for(guide, word)
    tab.open(site_url + "/")
    search_ui.open_search(tab.page)
    tab.page.locator(search_ui.BOX).press_sequentially(word, delay=20)
    first = tab.page.locator(search_ui.RESULT_LINKS).first
    first.wait_for()
    first.click()
    tab.page.wait_for_load_state()
    url = urlsplit(tab.page.url)
    assert url.path == f"/exercises/{expected.slug}/", f"searching {word!r} opened {tab.page.url}"
    assert tab.page.locator("article h1").inner_text().rstrip("#").strip() == expected.title
    # A printed page gives the plain address.
    assert tab.page.locator(".print-address__url").text_content() == f"{site_url}/exercises/{expected.slug}/"


def test_a_deep_link_opens_its_section(tab, site_url, guide):
    slug = guide.exercises[0].slug
    for section in SECTIONS:
        # A phone: the longest page to scroll, and a header that could hide the heading.
        tab.open(f"{site_url}/exercises/{slug}/#{section}", viewport=PHONE)
        where = tab.page.evaluate("""id => {
          const h = document.getElementById(id), r = h.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
          return {top: r.top, bottom: r.bottom, height: innerHeight, scrollY, shown: h.contains(top)};
        }""", section)
        assert 0 <= where["top"] and where["bottom"] <= where["height"], f"#{section} is not on screen: {where}"
        assert where["shown"], f"#{section} is hidden under something (the header?): {where}"
    assert where["scrollY"] > 0, "the page did not scroll to the last section"


def focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement, r = el.getBoundingClientRect();
      return {tag: el.tagName.toLowerCase(), cls: el.className, text: el.innerText || el.value || "",
              skip: el.matches("a.md-skip"),
              search: el.matches(".site-search__open"),
              in_article: !!el.closest("article"), on_screen: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight};
    }""")


def test_keyboard_skip_link_goes_to_the_content(tab, site_url, guide):
    slug = guide.exercises[0].slug
    tab.open(f"{site_url}/exercises/{slug}/")
    page = tab.page
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["skip"], f"the first Tab reached {first}, not the skip link"
    assert first["text"].strip() == "Skip to content"
    # Material fades the focused skip link in (a quarter of a second).
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'", timeout=2_000)
    assert focused(page)["on_screen"], f"the skip link is not shown when focused: {focused(page)}"
    target = page.locator("a.md-skip").get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_function("h => location.hash === h", arg=target)
    heading = page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                            " return r.top >= 0 && r.bottom <= innerHeight; }", target.lstrip("#"))
    assert heading, f"the skip link's target {target} is not on screen"
    page.keyboard.press("Tab")
    after = focused(page)
    assert after["in_article"], f"after the skip link, Tab went to {after}, not into the page's content"


def test_keyboard_reaches_search_and_opens_a_result(tab, site_url, guide):
    expected = exercise_for(guide, "hamstring")
    tab.open(site_url + "/")
    page = tab.page
    path = []
    for _ in range(10):
        page.keyboard.press("Tab")
        path.append(focused(page))
        if path[-1]["search"]:
            break
    assert path[-1]["search"], "ten Tabs never reached the search button: " + " > ".join(
        f"{f['tag']}.{f['cls']} {f['text'][:20]!r}" for f in path)
    page.keyboard.press("Enter")  # opens the search with the box focused
    page.keyboard.type("hamstring", delay=20)
    page.locator(search_ui.RESULT_LINKS).first.wait_for()
    page.keyboard.press("ArrowDown")  # the arrow keys move the focus into the results
    assert page.evaluate("!!document.activeElement.closest('.site-search__results')"), focused(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/exercises/{expected.slug}/"))


def test_an_exercise_prints_as_a_clean_handout(tab, site_url, guide):
    ex = guide.exercises[0]
    address = f"{site_url}/exercises/{ex.slug}/"
    tab.open(address, media="print")
    page = tab.page
    for clutter in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".site-search",
                    ".md-footer", ".md-top", ".md-skip", ".md-tags", "button.copy-link"):
        shown = [i for i in range(page.locator(clutter).count()) if page.locator(clutter).nth(i).is_visible()]
        assert not shown, f"{clutter} is printed"
    article = page.locator("article")
    for keep, what in (("ol", "the steps"), ("xpath=//h2[@id='how-much']/following-sibling::ul[1]", "the dosage"),
                       ("table", "the do/avoid table"), (".admonition.warning", "the safety box"),
                       ("xpath=//h2[@id='sources']/following-sibling::ul[1]", "the sources")):
        assert article.locator(keep).first.is_visible(), f"{what} ({keep}) is not printed"
    steps = article.locator("ol").first.locator("li").all_inner_texts()
    assert [s.strip() for s in steps] == list(ex.steps)
    assert page.locator(".print-address").is_visible(), "the page's address is not printed"
    assert address in page.locator(".print-address").inner_text()


def test_the_printed_pdf_holds_the_exercise_on_two_sheets(tab, site_url, guide):
    ex = max(guide.exercises, key=lambda e: len(" ".join(e.steps + e.do + e.avoid)))  # the longest
    tab.open(f"{site_url}/exercises/{ex.slug}/", media="print")
    reader = PdfReader(io.BytesIO(tab.page.pdf(format="A4")))
    text = squash("\n".join(p.extract_text() for p in reader.pages))
    missing = [s for s in ex.steps if squash(s) not in text]
    missing += [p.text for p in guide.safety if squash(p.text) not in text]
    for key in ex.cites:
        ref = guide.reference(key)
        missing += [s for s in (ref.label, ref.title) if squash(s) not in text]
    missing += [a for a in [f"{site_url}/exercises/{ex.slug}/"] if squash(a) not in text]
    assert not missing, f"the printed {ex.slug} lacks: {missing}"
    assert len(reader.pages) <= MAX_PRINTED_SHEETS, f"{ex.slug} prints on {len(reader.pages)} A4 pages"


def test_the_printed_address_is_the_permanent_one_once_the_site_has_one(tmp_path_factory, guide):
    """With `site_url` set (the published site), the page's permanent address is written in at
    build time, not taken from wherever the page was opened."""
    project = make_project(tmp_path_factory.mktemp("published") / "project",
                           config_changes={"site_url": "https://guide.example.org/"})
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    slug = guide.exercises[0].slug
    html = (project / "site" / "exercises" / slug / "index.html").read_text(encoding="utf-8")
    address = re.search(r'<p class="print-address">(.*?)</p>', html, re.S)
    assert address, "no print address on the page"
    assert f'<span class="print-address__url">https://guide.example.org/exercises/{slug}/</span>' in address.group(1)
    assert "location.href" not in html


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_exercise_prints_on_two_sheets_at_most(tab, site_url, guide, paper):
    too_long = {}
    for ex in guide.exercises:
        tab.open(f"{site_url}/exercises/{ex.slug}/", media="print")
        sheets = len(PdfReader(io.BytesIO(tab.page.pdf(format=paper))).pages)
        if sheets > MAX_PRINTED_SHEETS:
            too_long[ex.slug] = sheets
    assert not too_long, f"exercises printing on more than {MAX_PRINTED_SHEETS} {paper} sheets: {too_long}"
