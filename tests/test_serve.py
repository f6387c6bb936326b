"""The preview (`mkdocs serve`, as `make serve` runs it) while exercises.yml or a template is
broken (issue 13): a real server on 127.0.0.1 keeps answering with the last good site, every
page carries the terminal's `file:line:col: path: message` in a banner at the top, the reason is
printed every time (not only "Aborted with a BuildError!"), and the first good build removes the
banner. Started broken, it still serves the hand-written pages, with the banner.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import MKDOCS_ONLY, free_port, http_get, make_project, start_preview, stop_preview
from test_bad_input import BASE, edit

SLUG = re.search(r"^  - slug: (\S+)$", BASE, re.M).group(1)
BAD = edit("      hold_seconds: 20\n", "      hold_seconds: five\n")
BAD_LINE = next(n for n, ln in enumerate(BAD.splitlines(), 1) if "hold_seconds: five" in ln)
REPORT = (f'exercises.yml:{BAD_LINE}:21: exercises[0].dosage.hold_seconds: '
          'must be a whole number of seconds, got "five"')
pytestmark = MKDOCS_ONLY  # `make serve` is MkDocs' preview, whatever builds the published site

BANNER = re.compile(r'<div class="preview-error" role="alert">.*?<pre class="preview-error__text">(.*?)</pre>', re.S)


class Preview:
    """`mkdocs serve --strict` of a project copy, on 127.0.0.1; its output goes to a file.
    Stopped (Ctrl-C) by `stop()`, and at once if it does not start."""

    def __init__(self, project: Path):
        self.project = project
        self.port = free_port()
        self.log = project / "serve.log"
        self.out = self.log.open("w")
        self.process = start_preview(project, ["--strict", "--dev-addr", f"127.0.0.1:{self.port}"],
                                     stdout=self.out, stderr=subprocess.STDOUT)
        try:
            self.wait_for(lambda: "Serving on" in self.output(), 120, "the server to start")
        except BaseException:
            self.stop()
            raise

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        """One request; a preview that holds requests fails here (15 s) rather than hang the tests."""
        return http_get(f"http://127.0.0.1:{self.port}{path}", timeout=15)

    def banner(self, path: str) -> str | None:
        status, text = self.get(path)
        assert status == 200, (path, status)
        found = BANNER.search(text)
        return html.unescape(found.group(1)) if found else None

    def wait_for(self, condition, seconds: float, what: str):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            assert self.process.poll() is None, f"mkdocs serve stopped:\n{self.output()}"
            result = condition()
            if result:
                return result
            time.sleep(0.3)
        pytest.fail(f"waited {seconds} s for {what}:\n{self.output()[-3000:]}")

    def write(self, relative: str, text: str) -> None:
        """Save a file in one step, as an editor does (no half-written file for the watcher to see).
        exercises.yml is saved English-only: these tests change English texts, whose Spanish would be
        stale (the Spanish edition's checks are tests/test_spanish.py's)."""
        if relative == "exercises.yml":
            text = text.replace("languages: [en, es]", "languages: [en]", 1)
        target = self.project / relative
        temporary = target.with_name(target.name + ".saving")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)

    def stop(self) -> None:
        try:
            stop_preview(self.process, self.project)
        finally:
            self.out.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One preview for the tests below that start from good data; each leaves it good again."""
    started = Preview(make_project(tmp_path_factory.mktemp("serve") / "project", BASE))
    yield started
    started.stop()


def test_a_broken_file_keeps_the_last_good_site_with_the_error_on_every_page(server):
    status, page = server.get(f"/exercises/{SLUG}/")
    assert status == 200 and "preview-error" not in page
    good_title = re.search(r"<h1[^>]*>(.*?)<", page).group(1)

    server.write("exercises.yml", BAD)
    report = server.wait_for(lambda: REPORT in (server.banner(f"/exercises/{SLUG}/") or "") and
                             server.banner(f"/exercises/{SLUG}/"), 60, "the error banner")
    assert report.splitlines() == ["1 problem in exercises.yml:", f"  {REPORT}"], report
    # The last good pages, each with the banner, and the rest of the site too.
    status, page = server.get(f"/exercises/{SLUG}/")
    assert re.search(r"<h1[^>]*>(.*?)<", page).group(1) == good_title
    assert page.index('class="preview-error"') < page.index('class="md-header')
    for path in ("/", "/builder/", "/about/", "/categories/"):
        if server.get(path)[0] == 200:
            assert REPORT in server.banner(path), path
    printed = server.output().count(REPORT)
    assert printed >= 1

    # The same mistake saved again: the reason is printed again, not only "Aborted ...".
    time.sleep(1)
    server.write("exercises.yml", BAD + "\n# saved again\n")
    server.wait_for(lambda: server.output().count(REPORT) > printed, 60, "the report a second time")
    assert "Aborted with a BuildError" not in server.output()
    assert "Traceback" not in server.output()

    # Fixed: the banner goes at the first good build.
    server.write("exercises.yml", BASE)
    server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/") is None, 60, "the banner to go")
    assert "preview-error" not in server.get("/")[1]


def test_warnings_that_stop_a_strict_build_show_on_the_current_pages(server):
    date = re.search(r"^      date: (\S+)$", BASE, re.M).group(1)
    title = re.search(r"^    title: (.+)$", BASE[BASE.index("\nexercises:"):], re.M).group(1)
    stale = edit(f"      date: {date}\n", "      date: 2001-02-03\n")
    stale = edit(f"    title: {title}\n", f"    title: {title} again\n", stale)
    server.write("exercises.yml", stale)
    report = server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/"), 60, "the warning banner")
    assert re.search(rf"exercises\.yml:\d+:\d+: exercises\[0\]\.reviewed\.date: '{SLUG}' was last reviewed on "
                     r"2001-02-03", report), report
    page = server.get(f"/exercises/{SLUG}/")[1]
    assert f"{title} again" in page and "This preview has warnings" in page
    server.write("exercises.yml", BASE)
    server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/") is None, 60, "the banner to go")


def test_a_template_syntax_error_shows_its_template_and_line(server):
    template = "hooks/exercise_guide/pages/templates/category.md.j2"
    text = (server.project / template).read_text(encoding="utf-8")
    broken = text + "{% if %}\n"
    line = len(broken.splitlines())
    server.write(template, broken)
    report = server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/"), 60, "the error banner")
    assert re.search(rf"^  {re.escape(template)}:{line}: template syntax error: ", report, re.M), report
    assert re.search(rf"{re.escape(template)}:{line}: template syntax error: ", server.output())
    assert "Traceback" not in server.output()
    server.write(template, text)
    server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/") is None, 60, "the banner to go")

    # The theme's own override (overrides/main.html): the preview goes on with Material's templates.
    theme = "overrides/main.html"
    text = (server.project / theme).read_text(encoding="utf-8")
    server.write(theme, text + "{% endif %}\n")
    line = len((text + "{% endif %}\n").splitlines())
    report = server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/"), 60, "the error banner")
    assert f"  {theme}:{line}: template syntax error: Encountered unknown tag 'endif'." in report, report
    server.write(theme, text)
    server.wait_for(lambda: server.banner(f"/exercises/{SLUG}/") is None, 60, "the banner to go")
    assert "Traceback" not in server.output()


def test_started_broken_it_serves_the_hand_written_pages_with_the_error(tmp_path):
    server = Preview(make_project(tmp_path / "project", BAD))
    try:
        started_broken(server)
    finally:
        server.stop()


def started_broken(server: Preview) -> None:
    report = server.banner("/")
    assert report and REPORT in report
    status, page = server.get("/")
    assert "pages made from exercises.yml are missing" in page
    server.write("exercises.yml", BASE)
    server.wait_for(lambda: server.get(f"/exercises/{SLUG}/")[0] == 200 and server.banner("/") is None,
                    60, "the generated pages")


def test_the_preview_allows_its_live_reload_script_and_nothing_from_elsewhere(server, new_context):
    status, page = server.get("/")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert "script-src 'self' 'unsafe-inline'" in policy and "default-src 'self'" in policy
    tab = new_context().new_page()
    messages: list[str] = []
    tab.on("console", lambda m: messages.append(m.text))
    # The live-reload script says so in the console once it runs (a refused script never does).
    try:
        with tab.expect_console_message(lambda m: m.text == "Enabled live reload", timeout=10_000):
            tab.goto(f"http://127.0.0.1:{server.port}/")
    except PlaywrightTimeout:
        pytest.fail(f"the live-reload script never ran (10 s); the console said: {messages}")
    assert not [m for m in messages if "Content Security Policy" in m], messages
