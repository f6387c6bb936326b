"""Content-Security-Policy and referrer policy (issue 13): every page carries both as <meta>
tags, the policy allows exactly the inline scripts the page has (by hash, computed at build
time), and a real browser that loads every page, searches, builds a program and copies links
reports no CSP violation. And the policy does bite: a script that is not in the page as
built does not run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import search_ui
from conftest import wait_until
from local import Requests
from exercise_guide.finish import csp
from test_browser import exercise_for, site_pages

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# Collects every violation the page reports, from before its first script runs.
WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"""


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_html_file_has_the_policy_and_no_referrer(built_site):
    files = html_files(built_site)
    assert len(files) > 20
    for file in files:
        html = file.read_text(encoding="utf-8")
        head = html[: html.index("</head>")] if "</head>" in html else html
        policies = CSP_META.findall(head)
        assert len(policies) == 1, f"{file}: {len(policies)} CSP <meta> tags"
        directives = dict((d.split(" ", 1) + [""])[:2] for d in policies[0].split("; "))
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["form-action"] == "'none'"
        assert "unsafe" not in policies[0], f"{file}: {policies[0]}"
        assert '<meta name="referrer" content="no-referrer">' in head, file
        # The policy governs only what comes after it: nothing that loads may come first.
        before = head[: head.index("Content-Security-Policy")]
        assert not re.search(r"<(script|link|style|base)\b", before), f"{file}: something loads before the CSP"


def test_the_policy_hashes_exactly_the_inline_scripts_of_each_page(built_site):
    hashed = 0
    for file in html_files(built_site):
        html = file.read_text(encoding="utf-8")
        policy = CSP_META.search(html).group(1)
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
        allowed = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", script_src))
        needed = {csp.source_hash(s) for s in csp.inline_scripts(html)}
        assert allowed == needed, f"{file}: policy {sorted(allowed)} but scripts {sorted(needed)}"
        hashed += len(needed)
    assert hashed > 0


def test_scripts_are_found_as_the_browser_sees_them():
    page = ('<html><head><script>a()</script><script type="application/ld+json">{"x":1}</script>'
            '<script src="x.js"></script><script type="module">b()</script>'
            '<!-- <script>c()</script> --></head><body><script>\r\nd("</p>")\r\n</script></body></html>')
    assert csp.inline_scripts(page) == ["a()", "b()", '\r\nd("</p>")\r\n']
    protected = csp.protect(page)
    assert protected.index("Content-Security-Policy") < protected.index("<script")
    assert csp.protect(protected) == protected
    # The hash of a known text (the same as `printf 'a()' | openssl dgst -sha256 -binary | base64`).
    assert csp.source_hash("a()") == "'sha256-" + __import__("base64").b64encode(
        __import__("hashlib").sha256(b"a()").digest()).decode() + "'"


@pytest.fixture
def watched(new_context):
    """A page in a browser context of its own that records CSP violations, from console messages
    and from the page's own event; closed after the test, passed or failed."""
    context = new_context(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    context.add_init_script(WATCH)
    console: list[str] = []

    def on_page(page):
        page.on("console", lambda m: "Content Security Policy" in m.text and console.append(f"{page.url}: {m.text}"))

    context.on("page", on_page)
    return context.new_page(), console


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_no_csp_violation_on_any_page_nor_in_search_builder_and_copy_links(watched, site_url, built_site, guide):
    page, console = watched
    found: dict[str, list[str]] = {}
    paths = site_pages(built_site)
    assert "/builder/" in paths
    loading = Requests(page)
    for path in paths:
        # Every script has run and every request is answered: what the policy would refuse has
        # been refused by then.
        page.goto(site_url + path)
        loading.settle()
        if violations(page):
            found[path] = violations(page)

    # Search: the worker and its index load under the policy, and a result opens.
    page.goto(site_url + "/")
    ex = exercise_for(guide, "walk")
    search_ui.open_search(page)
    page.locator(search_ui.BOX).press_sequentially("walking", delay=20)
    page.locator(search_ui.RESULT_LINKS).first.wait_for()
    page.locator(search_ui.RESULT_LINKS).first.click()
    page.wait_for_url(re.compile(rf"/exercises/{ex.slug}/"))
    found["search"] = violations(page)

    # Every control of the exercise page (the pictures' movement, ...), each used twice (on, off);
    # then its copy-link control(s), however the page lays them out.
    copy = re.compile("copy", re.I)
    for button in page.locator("article button:visible").all():
        name = (button.get_attribute("aria-label") or "") + button.inner_text()
        if not copy.search(name) and not re.search("print", name, re.I):
            button.click()
            page.wait_for_timeout(300)
            if page.locator("dialog[open]").count():   # a control that opens a mode ("Do it with me"): close it
                page.keyboard.press("Escape")
            else:
                button.click()
    found["exercise page controls"] = violations(page)
    copies = page.locator("article").get_by_role("button", name=copy)
    assert copies.count() > 0, "no copy-link control on the exercise page"
    copies.first.click()
    page.wait_for_function("""() => [...document.querySelectorAll('[role=status]')]
        .some(el => /\\S/.test(el.textContent))""")
    found["copy link"] = violations(page)

    # The builder: add an exercise, write a note, copy the link.
    page.goto(site_url + "/builder/")
    page.wait_for_function("() => document.querySelectorAll('#builder-choices > li').length > 0")
    page.locator("#builder-choices button").first.click()
    page.locator("#builder-note").fill("Twice a day.")
    page.locator("#builder-copy").click()
    page.wait_for_function("""() => { const said = document.querySelector('#builder-status').textContent;
        const words = document.getElementById('builder-words').dataset;
        return said === words.copied || said === words.copyFailed; }""")
    assert "note=" in page.url
    found["builder"] = violations(page)

    found = {k: v for k, v in found.items() if v}
    assert not found, f"CSP violations: {found}"
    assert not console, f"CSP messages in the console: {console}"


def test_a_script_that_is_not_in_the_built_page_does_not_run(watched, site_url):
    """The policy bites: an inline script added after the build is refused and reported."""
    page, console = watched
    page.goto(site_url + "/", wait_until="networkidle")
    try:
        with page.expect_console_message(lambda m: "Content Security Policy" in m.text, timeout=10_000):
            page.evaluate("""() => { const s = document.createElement('script');
                s.textContent = 'window.__ran = true'; document.head.appendChild(s); }""")
    except PlaywrightTimeout:
        pytest.fail("no Content Security Policy message in the console within 10 s of adding a script")
    wait_until(page, "() => (window.__csp || []).some(v => v.startsWith('script-src'))",
               "the page's report of the refused script (securitypolicyviolation)")
    assert page.evaluate("window.__ran === undefined"), "the added script ran"


def test_static_html_from_docs_gets_the_policy_too(tmp_path):
    """An HTML file that no page event sees (copied from docs/ as it is) is protected after the build."""
    from conftest import make_project, build_site

    project = make_project(tmp_path / "project")
    (project / "docs" / "leaflet.html").write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>x</title></head>"
        "<body><script>document.title = 'ok'</script></body></html>", encoding="utf-8")
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "leaflet.html").read_text(encoding="utf-8")
    policy = CSP_META.search(html).group(1)
    assert csp.source_hash("document.title = 'ok'") in policy
    assert html.index("Content-Security-Policy") < html.index("<script")
