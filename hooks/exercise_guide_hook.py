"""MkDocs hook: the thin adapter between MkDocs and the exercise_guide core.

- on_config: load and validate exercises.yml before MkDocs cleans site/, so a
  mistake stops the build with the old site intact; set the navigation.
- on_files:  add every generated page, redirect and data file with File.generated
             (nothing is written to docs/).
- on_page_content: fill the builder's safety list; send each page's HTML to be graded
             in a second process.
- on_page_context: the About page is built last; by then every grade is in, and
             its table goes into the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from exercise_guide import readability, render
from exercise_guide.problems import SourceError
from exercise_guide.validate import load

log = logging.getLogger("mkdocs.plugins.exercise_guide")
DATA_FILE = "exercises.yml"


class _Build:
    """What one build learns in on_config and uses in later events."""

    guide = None
    pages: dict[str, str] = {}
    files: dict[str, str] = {}
    grader: readability.BackgroundGrader | None = None
    all_files: Files | None = None


_build = _Build()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path = Path(config.config_file_path).parent / DATA_FILE
    try:
        guide, warnings = load(path)
    except SourceError as exc:
        raise PluginError(exc.report()) from None
    for warning in warnings:
        log.warning(str(warning))
    if warnings and config.strict:
        # --strict would fail only after site/ is rewritten; stop while it is untouched.
        raise PluginError(f"{len(warnings)} warning(s) in {DATA_FILE}; --strict stops before site/ is touched")
    _build.guide = guide
    _build.pages = render.render_pages(guide, config.site_url or None)
    _build.files = render.site_files(guide)
    config.nav = render.navigation(guide)
    _build.grader = readability.BackgroundGrader()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _build.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} is generated from {DATA_FILE}; remove the hand-written file")
        files.append(File.generated(config, src_uri, content=markdown))
    # The About page goes last, so that its grades table waits for no one.
    about = files.get_file_from_path(render.Pages.about)
    files.remove(about)
    files.append(about)
    for src_uri, text in _build.files.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{src_uri} is generated from {DATA_FILE} (an old slug or the builder data) "
                              f"but a page of that name exists already")
        files.append(File.generated(config, src_uri, content=text))
    _build.all_files = files
    return files


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    if render.SAFETY_PLACEHOLDER in html:
        html = html.replace(render.SAFETY_PLACEHOLDER, render.safety_items(_build.guide))
    _build.grader.submit(page.file.src_uri, html)
    return html


def on_page_context(context: dict, page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri != render.Pages.about:
        return context
    # A plugin may change a page after on_page_content (the tags index gets its
    # listing later): grade those again as they are now.
    for file in _build.all_files.documentation_pages():
        if file.page is not None and file.page is not page and file.page.content is not None:
            _build.grader.resubmit_if_changed(file.src_uri, file.page.content)
    grades = _build.grader.results()
    rows = []
    for src_uri, (grade, words) in sorted(grades.items()):
        file = _build.all_files.get_file_from_path(src_uri)
        rows.append({"title": file.page.title, "url": "../" * page.url.count("/") + file.page.url,
                     "grade": grade, "words": words})
    page.content = page.content.replace(render.GRADES_PLACEHOLDER, render.grades_table(rows))
    return context


def on_post_build(config: MkDocsConfig) -> None:
    _close_grader()


def on_build_error(error: Exception) -> None:
    _close_grader()


def _close_grader() -> None:
    if _build.grader is not None:
        _build.grader.close()
        _build.grader = None
