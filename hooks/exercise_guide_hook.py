"""MkDocs hook: the thin adapter between MkDocs and the exercise_guide core.

- on_config: load and validate exercises.yml before MkDocs cleans site/, so a
  mistake stops the build with the old site intact; set the navigation.
- on_files:  add every generated page, redirect and data file with File.generated
             (nothing is written to docs/).
- on_page_content: send each page's HTML to be graded in a second process.
- on_page_context: the About page is built last; by then every grade is in, and
             its table goes into the page.

In the preview (`mkdocs serve`) there are no QR codes (the address is the preview's)
and no grades unless EXERCISE_GUIDE_GRADES=1; builds keep both in .cache/ for the next.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from exercise_guide import pagecache, readability, render
from exercise_guide.buildcache import BuildCache
from exercise_guide.templatecache import TemplateCache
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
    cache: BuildCache | None = None
    replay: pagecache.Replay | None = None
    replaying: dict[str, tuple] = {}


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
    preview = _previewing(config)
    _build.cache = BuildCache(None if preview else Path(config.config_file_path).parent / ".cache" / "exercise-guide")
    _build.pages = render.render_pages(guide, config.site_url or None, qr_codes=not preview, cache=_build.cache)
    _build.files = render.site_files(guide, _build.cache)
    config.nav = render.navigation(guide)
    grades = not preview or os.environ.get("EXERCISE_GUIDE_GRADES") == "1"
    _build.grader = readability.BackgroundGrader(_build.cache) if grades else None
    _build.replay = pagecache.PREVIEW if preview else None
    return config


def _previewing(config: MkDocsConfig) -> bool:
    """`mkdocs serve` sets site_url to its own address before every rebuild (the hook is reloaded each time)."""
    host, port = config.dev_addr
    return (config.site_url or "").startswith((f"http://{host}:{port}/", f"http://[{host}]:{port}/"))


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
    if _build.replay is not None:
        _build.replay.begin(repr((sorted((f.src_uri, f.dest_uri, f.url) for f in files), config.markdown_extensions,
                                  config.mdx_configs, config.validation, config.use_directory_urls)))
        _build.replaying = {}
    return files


@event_priority(-100)  # last, after every plugin's change to the Markdown (the tags plugin's)
def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    """In the preview, a page rendered identically last time is not converted again (pagecache.py)."""
    if _build.replay is None or page.file.src_uri not in _build.pages:
        return markdown  # hand-written pages (the tags index is filled in later) are always converted
    key = _build.replay.key(page.file.src_uri, page.url, markdown)
    _build.replaying[page.file.src_uri] = (key, markdown, _build.replay.get(key))
    return markdown if _build.replaying[page.file.src_uri][2] is None else ""


def on_env(env, config: MkDocsConfig, files: Files):
    # The theme's templates compiled once, not on every build (see templatecache.py).
    env.bytecode_cache = TemplateCache(_build.cache.directory / "jinja" if _build.cache.directory else None)
    return env


@event_priority(100)  # first: what is kept or replayed is Markdown's own output
def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    if _build.replay is not None and page.file.src_uri in _build.replaying:
        html = _replay(html, page, files)
    if _build.grader is not None:
        _build.grader.submit(page.file.src_uri, html)
    return html


def on_page_context(context: dict, page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri != render.Pages.about:
        return context
    if _build.grader is None:
        page.content = page.content.replace(render.GRADES_PLACEHOLDER, render.grades_table(None))
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


def _replay(html: str, page, files: Files) -> str:
    key, markdown, kept = _build.replaying.pop(page.file.src_uri)
    if kept is None:
        links = {f.src_uri: v for f, v in (page.links_to_anchors or {}).items()}
        _build.replay.put(key, (html, page.toc, page._title_from_render, page.present_anchor_ids, links))
        return html
    html, page.toc, page._title_from_render, page.present_anchor_ids, links = kept
    page.markdown = markdown
    page.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}
    return html


def on_post_build(config: MkDocsConfig) -> None:
    if _build.replay is not None:
        _build.replay.end()
    if _build.cache is not None:
        _build.cache.save()


def on_build_error(error: Exception) -> None:
    _close_grader()


def _close_grader() -> None:
    if _build.grader is not None:
        _build.grader.close()
        _build.grader = None
