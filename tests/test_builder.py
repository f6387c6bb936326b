"""The "Build a home program" page (docs/builder/index.md, docs/assets/builder.js), in a real browser.

A clinician picks three exercises, changes an amount and writes a note; the address then holds
the whole program, and opening it in a new tab shows the same program. That program prints as
one document, passes axe-core and fits a phone. A damaged address opens without errors.
The exercises are taken from exercises.yml (the `guide` fixture), whatever it holds.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from conftest import theirs
import pytest
from axe_playwright_python.sync_playwright import Axe

from exercise_guide.pages import render

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FIELDS = ["repetitions", "hold_seconds", "sets", "times_per_day", "minutes"]
NOTE = 'Go slowly & stop if it hurts: 50% effort, "Mon/Wed" only. Call us #2.'


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900},
                              permissions=["clipboard-read", "clipboard-write"])
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


class Recorder:
    """Every request and every console error or uncaught exception of the pages it watches."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []

    def watch(self, page):
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: theirs(e) or self.errors.append(f"uncaught: {e}"))
        return page


@pytest.fixture(scope="module")
def recorder(context) -> Recorder:
    rec = Recorder()
    context.on("page", rec.watch)
    return rec


def picks(guide) -> list:
    """Three exercises from the data: the first, one from the middle and the last."""
    exercises = guide.exercises
    if len(exercises) < 3:
        pytest.fail(f"the builder tests need three exercises in exercises.yml, which has {len(exercises)}")
    return [exercises[0], exercises[len(exercises) // 2], exercises[-1]]


def open_builder(page, url: str, items: int | None = None) -> None:
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('#builder-choices > li').length > 0")
    if items is not None:
        page.wait_for_function("n => document.querySelectorAll('#builder-program > li').length === n", arg=items)


def program_in(page) -> list[dict]:
    """The program as the page shows it: each exercise's slug and the amounts in its boxes."""
    return page.evaluate("""() => [...document.querySelectorAll('#builder-program > li')].map(li => {
        const dose = {};
        li.querySelectorAll('input[data-field]').forEach(i => { dose[i.dataset.field] = i.value; });
        return {slug: li.dataset.slug, dose};
    })""")


def expected_dose(ex, changes: dict | None = None) -> dict:
    dose = {f: str(getattr(ex.dosage, f) or "") for f in FIELDS}
    return {**dose, **(changes or {})}


@pytest.fixture(scope="module")
def built_program(context, recorder, site_url, guide):
    """Build a program with the keyboard and the mouse; return its address and what was set."""
    first, second, third = picks(guide)
    page = context.new_page()
    open_builder(page, f"{site_url}/builder/")
    assert page.locator("#builder-choices > li").count() == len(guide.exercises)
    assert page.locator("#builder-empty").is_visible()

    # 1. Find the first by typing its name, then add it with the keyboard alone.
    page.locator("#builder-text").fill(first.title)
    toggle = page.locator(f"#builder-choices button[data-slug='{first.slug}']")
    assert page.locator("#builder-choices > li:visible").count() >= 1
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.locator("#builder-status").inner_text() == f"{first.title} is now in your program."
    # the keyboard focus is visible on it
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"

    # 2. Filter by its kind, and add the second with a click.
    page.locator("#builder-text").fill("")
    page.locator("#builder-category").select_option(second.category)
    visible = page.locator("#builder-choices > li:visible")
    assert visible.count() == len(guide.exercises_in(second.category))
    page.locator(f"#builder-choices button[data-slug='{second.slug}']").click()

    # 3. Filter by start position and what is needed, and add the third with the space bar.
    page.locator("#builder-category").select_option("")
    page.locator("#builder-position").select_option(third.position)
    page.locator("#builder-equipment").select_option(third.equipment[0])
    assert page.locator(f"#builder-choices li:visible button[data-slug='{third.slug}']").count() == 1
    page.locator(f"#builder-choices button[data-slug='{third.slug}']").focus()
    page.keyboard.press("Space")

    # Change one amount of the second, and write a note.
    changes = {"sets": "3", "repetitions": "7"}
    for field, value in changes.items():
        box = page.locator(f"#builder-program li[data-slug='{second.slug}'] input[data-field='{field}']")
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        assert label.is_visible() and label.inner_text().strip()
        box.fill(value)
    page.locator("#builder-note").click()
    page.keyboard.type(NOTE)

    expected = [
        {"slug": first.slug, "dose": expected_dose(first)},
        {"slug": second.slug, "dose": expected_dose(second, changes)},
        {"slug": third.slug, "dose": expected_dose(third)},
    ]
    assert program_in(page) == expected
    url = page.url
    page.close()
    return url, expected, [first, second, third], changes


def test_the_link_opens_the_same_program(context, built_program):
    url, expected, exercises, _ = built_program
    assert "#p=" in url and "&note=" in url
    page = context.new_page()
    open_builder(page, url, items=3)
    assert program_in(page) == expected
    assert page.locator("#builder-note").input_value() == NOTE
    assert page.locator("#builder-empty").is_hidden()
    # nothing is kept anywhere but in the address
    assert page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]
    page.close()


def test_copy_link_puts_the_program_address_on_the_clipboard(context, site_url, built_program):
    url, *_ = built_program
    page = context.new_page()
    open_builder(page, url, items=3)
    page.locator("#builder-copy").focus()
    page.keyboard.press("Enter")
    status = page.locator("#builder-status[role='status']")
    status.wait_for()
    assert status.inner_text().startswith("The link is copied")
    assert page.evaluate("navigator.clipboard.readText()") == url
    # the copied address opens the program again, after the program changes and comes back
    page.locator("#builder-program .builder-remove").first.click()
    assert len(program_in(page)) == 2
    page.evaluate("u => { location.hash = new URL(u).hash; }", url)
    page.wait_for_function("() => document.querySelectorAll('#builder-program > li').length === 3")
    page.close()


def test_the_program_prints_as_one_document(context, built_program, guide):
    url, expected, exercises, changes = built_program
    page = context.new_page()
    open_builder(page, url, items=3)
    page.emulate_media(media="print")
    for hidden in ["#builder-text", "#builder-category", "#builder-choices", "#builder-program", "#builder-note",
                   "#builder-copy", "#builder-print-button", "h1", "#pick", ".md-header", ".md-sidebar"]:
        assert page.locator(hidden).first.is_hidden(), f"{hidden} shows on paper"
    sheet = page.locator("#builder-print")
    assert sheet.is_visible()
    text = sheet.inner_text()
    assert NOTE in text
    parts = sheet.locator(".builder-print__item")
    assert parts.count() == 3
    for i, (ex, item) in enumerate(zip(exercises, expected)):
        part = parts.nth(i).inner_text()
        assert ex.title in part
        for step in ex.steps:
            assert step in part, f"{ex.slug}: step missing on paper: {step}"
        for line in ex.do + ex.avoid:
            assert line in part
        assert f"How often: {ex.dosage.how_often}" in part
        dose = item["dose"]
        if dose["repetitions"]:
            assert re.search(rf"Repeat: {dose['repetitions']} times?", part)
        if dose["hold_seconds"]:
            assert re.search(rf"Hold: {dose['hold_seconds']} seconds?", part)
        if dose["sets"]:
            assert f"Sets: {dose['sets']}" in part
        if dose["minutes"]:
            assert re.search(rf"Time: about {dose['minutes']} minutes?", part)
    assert "Sets: 3" in parts.nth(1).inner_text() and "Repeat: 7 times" in parts.nth(1).inner_text()
    # the safety advice once, and the sources of the exercises chosen
    for point in guide.safety:
        assert text.count(point.text) == 1
    for key in {k for ex in exercises for k in ex.cites}:
        assert guide.reference(key).title in text
    assert url in " ".join(text.split())
    page.close()


def test_the_builder_with_a_program_passes_axe_and_fits_a_phone(context, built_program):
    url, *_ = built_program
    page = context.new_page()
    open_builder(page, url, items=3)
    axe = Axe()
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    page.set_viewport_size({"width": 375, "height": 812})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    violations += axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, "\n".join(f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                                     for v in violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    small = page.evaluate("""() => [...document.querySelectorAll(
        'article p, article li, article label, article input, article select, article textarea, article button, article legend')]
        .filter(el => el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 16)
        .map(el => el.tagName + ' ' + (el.textContent || el.id).trim().slice(0, 30))""")
    assert not small, f"text under 16 px: {small}"
    page.close()


def test_what_an_exercise_needs_reads_as_the_exercise_page_says_it(context, site_url, guide):
    """Two things needed read "A mat or a folded towel and a chair", as on the exercise page, not
    as a list with a capital after a comma; in the list to pick from and in the printed program."""
    several = [e for e in guide.exercises if len(e.equipment) > 1]
    if not several:
        pytest.skip("no exercise in exercises.yml needs two things")
    ex = several[0]
    phrase = render.join_items(ex.equipment, "and")
    page = context.new_page()
    open_builder(page, f"{site_url}/builder/#p={ex.slug}:::::", items=1)
    shown = page.locator(f"#builder-choices li:has(button[data-slug='{ex.slug}']) [data-slot='equipment']")
    assert shown.inner_text() == phrase
    page.emulate_media(media="print")
    assert phrase in page.locator("main").inner_text()
    page.close()


def test_a_damaged_link_opens_without_errors(context, recorder, site_url, guide):
    ex = guide.exercises[0]
    other = guide.exercises[-1]
    bad = (f"#p=no-such-exercise:1:2:3:4,{ex.slug}:abc:-5:99999:%ZZ:7,{ex.slug}:1:1:1:1:1,"
           f"__proto__:1,constructor::,:::,{other.slug}&note=%E0%A4%A&junk&=x")
    errors_before = len(recorder.errors)
    page = context.new_page()
    open_builder(page, f"{site_url}/builder/{bad}", items=2)
    default = expected_dose(ex)
    assert program_in(page) == [
        {"slug": ex.slug, "dose": {**default, "minutes": "7"}},
        {"slug": other.slug, "dose": expected_dose(other)},
    ]
    assert page.locator("#builder-note").input_value() == ""
    # a new program in the address (a pasted link) replaces the one shown; empty boxes stay empty
    page.evaluate("s => { location.hash = '#p=' + s + ':::::&note=' + encodeURIComponent('Hi'); }", other.slug)
    page.wait_for_function("() => document.querySelectorAll('#builder-program > li').length === 1")
    assert program_in(page) == [{"slug": other.slug, "dose": {f: "" for f in FIELDS}}]
    assert page.locator("#builder-note").input_value() == "Hi"
    # a jump to a heading of the page is not a program: the program stays
    page.evaluate("""() => new Promise(done => {
        addEventListener("hashchange", () => setTimeout(done, 0), {once: true});
        location.hash = "#pick";
    })""")
    assert len(program_in(page)) == 1
    page.close()
    assert recorder.errors[errors_before:] == []


def test_nothing_leaves_the_local_server(recorder, site_url, built_program):
    assert recorder.requests, "no request was recorded"
    data = [u for u in recorder.requests if urlsplit(u).path == "/" + render.PROGRAM_DATA]
    assert data, "the builder did not load its data"
    foreign = [u for u in recorder.requests
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert recorder.errors == [], recorder.errors


def test_builder_loads_only_on_its_page(built_site):
    builder = (built_site / "builder" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/builder.js"' in builder and 'href="../assets/builder.css"' in builder
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "builder.js" not in home and "builder.css" not in home
    assert 'href="builder/"' in home, "the builder is not in the navigation"
    data = json.loads((built_site / render.PROGRAM_DATA).read_text(encoding="utf-8"))
    assert not re.search(r"(?<![\w.])(['\"])[A-Z][a-z]+ [a-z]+[^'\"]*\1",
                         (built_site / "assets" / "builder.js").read_text(encoding="utf-8")), \
        "a sentence in builder.js: patient-facing words belong in builder/index.md"
    assert data["exercises"]


def test_the_builder_keeps_working_offline_once_loaded(new_context, site_url, guide):
    """A clinic's Wi-Fi drops after the page has loaded: picking, the link and printing still work."""
    first, _, third = picks(guide)
    ctx = new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    open_builder(page, f"{site_url}/builder/")
    # Loaded means its pictures too (they are fetched once the list is built).
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    ctx.set_offline(True)
    failed = []
    # (Chromium may fetch the tab's icon late; that is the browser's, not the builder's.)
    page.on("requestfailed", lambda r: r.url.endswith("/favicon.png") or failed.append(r.url))
    for ex in (first, third):
        page.locator(f"#builder-choices button[data-slug='{ex.slug}']").click()
    assert [item["slug"] for item in program_in(page)] == [first.slug, third.slug]
    assert f"#p={first.slug}:" in page.url and f",{third.slug}:" in page.url
    page.emulate_media(media="print")
    sheet = page.locator("#builder-print")
    assert sheet.is_visible() and sheet.locator(".builder-print__item").count() == 2
    assert first.steps[0] in sheet.inner_text()
    assert failed == [], f"the builder needed the network: {failed}"
