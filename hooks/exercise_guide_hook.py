"""MkDocs hook: the thin adapter between MkDocs and the exercise_guide core.

- on_config: load and validate exercises.yml before MkDocs cleans site/, so a
  mistake stops the build with the old site intact; set the navigation.
- on_files:  add every generated page, redirect and data file with File.generated
             (nothing is written to docs/).
- on_env:    every page's HTML exists now; measure reading grades for the About page.
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
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _build.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} is generated from {DATA_FILE}; remove the hand-written file")
        files.append(File.generated(config, src_uri, content=markdown))
    for src_uri, text in _build.files.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{src_uri} is generated from {DATA_FILE} (an old slug or the builder data) "
                              f"but a page of that name exists already")
        files.append(File.generated(config, src_uri, content=text))
    return files


def on_env(env, config: MkDocsConfig, files: Files):
    about = files.get_file_from_path(render.Pages.about)
    rows = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is None:
            continue
        text = readability.html_text(page.content)
        rows.append({"title": page.title, "url": page.url, "path": file.src_uri,
                     "grade": readability.grade(text), "words": readability.words(text)})
    rows.sort(key=lambda r: r["path"])
    if about is not None and about.page is not None and about.page.content:
        base = "../" * about.page.url.count("/")
        for row in rows:
            row["url"] = base + row["url"]
        about.page.content = about.page.content.replace(render.GRADES_PLACEHOLDER, render.grades_table(rows))
    return env
