"""MkDocs hook: the adapter between MkDocs and the pipeline (exercise_guide/pipeline.py).

Each event calls one step of the pipeline; the work is the core's, the same as under Zensical:

- on_config: check exercises.yml and the templates, and render the generated docs tree, before
  MkDocs cleans site/, so that a mistake stops the build with the old site intact; set the nav.
  In the preview (`mkdocs serve`) a mistake does not stop it: the last good pages are built
  again, with the report printed and shown in a banner on every page.
  It also adds the Markdown extension that gives MkDocs the pages converted before
  (exercise_guide/pages/converted.py), kept in .cache/ (in the preview: in memory, save to save).
- on_files: add every generated page and file with File.generated (nothing written to docs/); the
  site's files are part of what a kept page's conversion depends on.
- on_page_markdown: the hand-written pages' boxes, filled from exercises.yml; which page the
  extension sees next.
- on_page_content: the builder's safety list.
- on_env: the theme's templates compiled once, not on every build (Jinja's own bytecode cache,
  which the pipeline gives our templates too).
- on_post_build: finish the built site (grades, the site's own search index, banner, CSP), keep
  the cache.

In the preview there are no QR codes (the address is the preview's), no grades unless
EXERCISE_GUIDE_GRADES=1. Problems are PluginError;
messages go to the `mkdocs.plugins.exercise_guide` logger, so --strict counts its warnings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from exercise_guide import pipeline
from exercise_guide.cache import Cache
from exercise_guide.data.problems import SourceError
from exercise_guide.pages import render, snippets, template_problems

log = logging.getLogger("mkdocs.plugins.exercise_guide")


class _State:
    """What on_config made, for the later events of the same build; and the preview's state."""

    serving = False           # `mkdocs serve`: a mistake shows in the pages instead of stopping
    guide = None
    others: dict = {}         # the other languages' editions (pipeline.editions)
    generated = pipeline.Generated({}, {}, [])
    cache: Cache | None = None
    converted = None          # the Markdown extension that gives pages converted before (pages/converted.py)
    banner: tuple[str, str] | None = None      # the preview's (report, what it shows) while broken
    last_good: pipeline.Generated | None = None


_state = _State()


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    unsafe = pipeline.unsafe_extensions(config.markdown_extensions)
    if unsafe:  # an extension that would turn data into markup (issue 25)
        raise PluginError(unsafe)
    previewing = _previewing(config)
    root = Path(config.config_file_path).parent
    _state.banner = None
    if _state.serving:  # the preview keeps its cache in memory, from save to save
        _state.cache = _state.cache.next_build() if _state.cache else Cache(None)
    else:
        _state.cache = Cache(None) if previewing else pipeline.open_cache(root)
    _state.converted = pipeline.converter(_state.cache)
    config.markdown_extensions.append(_state.converted)
    try:
        guide, warnings = pipeline.check(root, Path(config.docs_dir), _theme_problems(config))
        others, translation_warnings = pipeline.editions(root, guide)
        warnings = [*warnings, *translation_warnings]
        generated = pipeline.render(guide, config.site_url or None, qr_codes=not previewing, cache=_state.cache,
                                    others=others, root=root, docs_dir=Path(config.docs_dir))
    except SourceError as exc:
        if not _state.serving:
            raise PluginError(exc.report()) from None
        _keep_serving(config, exc.report(), None)
    else:
        _state.guide, _state.generated, _state.last_good = guide, generated, generated
        _state.others = others
        config.nav = generated.nav
        if others:  # the templates' language switch and hreflang links (overrides/)
            config.extra["languages"] = list(guide.languages)
        if warnings and config.strict:  # --strict would fail only after site/ is rewritten
            if not _state.serving:
                raise PluginError(SourceError(warnings).report())
            _keep_serving(config, SourceError(warnings).report(), generated)
        for warning in warnings if not config.strict else ():
            log.warning(str(warning))
    return config


def _previewing(config: MkDocsConfig) -> bool:
    """`mkdocs serve`, or a build at its address (which is what serve sets site_url to)."""
    host, port = config.dev_addr
    return _state.serving or (config.site_url or "").startswith((f"http://{host}:{port}/",
                                                                 f"http://[{host}]:{port}/"))


def _theme_problems(config: MkDocsConfig) -> list:
    """Syntax errors in the theme's custom_dir (overrides/). The preview goes on with the theme's
    own templates (and Material's English words, which custom_dir holds); a build stops."""
    custom = config.theme.custom_dir
    if not custom:
        return []
    root = Path(config.config_file_path).parent.resolve()
    names = [p.relative_to(custom).as_posix() for p in Path(custom).rglob("*.html")]
    env = config.theme.get_env()
    env.bytecode_cache = _compiled_templates(config)  # as the build's own environment (on_env)
    problems = template_problems.syntax_problems(
        env, names, lambda name: Path(custom, name).resolve().relative_to(root).as_posix())
    if problems:
        config.theme.dirs[:] = [d for d in config.theme.dirs if Path(d).resolve() != Path(custom).resolve()]
        if config.theme.get("language") == "custom":
            config.theme["language"] = "en"
    return problems


def _keep_serving(config: MkDocsConfig, report: str, current: pipeline.Generated | None) -> None:
    """The preview with a mistake: the pages just made (`current`, when only --strict's warnings
    stop it), else the last good ones (or none); the report printed and shown on every page; and
    nothing that makes `serve --strict` hold every request."""
    shown = "current" if current else "last good" if _state.last_good else "none"
    _state.banner = (report, shown)
    if current is None:
        _state.generated = _state.last_good or pipeline.Generated({}, {}, [])
        config.nav = _state.generated.nav or None
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            handler.addFilter(lambda record: _state.banner is None)
    words = {"current": "the pages as they are", "last good": "the last good version",
             "none": "no pages made from exercises.yml"}[shown]
    log.error(f"{report}\nThe preview shows {words}, with this report at the top of each page, until it is fixed.")


def on_serve(server, config: MkDocsConfig, builder) -> None:
    """The preview rebuilds when a translation or a hand-written page of another language changes
    (exercises.es.yml, docs-es/: issue 26), where they exist (mkdocs.yml's `watch:` would refuse to
    start without them, and an English-only clinic has neither)."""
    root = Path(config.config_file_path).parent
    for path in pipeline.edition_sources(root):
        server.watch(str(path))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _state.generated.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} is generated from {pipeline.DATA_FILE}; remove the hand-written file")
        files.append(File.generated(config, src_uri, content=markdown))
    # The About page last, as it always was.
    about = files.get_file_from_path(render.Pages.about)
    if about is not None:
        files.remove(about)
        files.append(about)
    for src_uri, text in _state.generated.files.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{src_uri} is generated from {pipeline.DATA_FILE} (an old slug or the builder data) "
                              f"but a page of that name exists already")
        files.append(File.generated(config, src_uri, content=text))
    _state.converted.context = pipeline.conversion_context(
        sorted(file.src_uri for file in files), _conversion_settings(config), _CONVERSION_LIBRARIES)
    return files


# What else a page's conversion depends on (pages/converted.py): the settings MkDocs converts with,
# and the libraries that convert.
_CONVERSION_LIBRARIES = ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material")


def _conversion_settings(config: MkDocsConfig) -> dict:
    return {"extensions": [e for e in config.markdown_extensions if isinstance(e, str)],
            "configs": config.mdx_configs, "validation": config.validation, "site_url": config.site_url,
            "use_directory_urls": config.use_directory_urls}


@event_priority(-100)  # last, after every plugin's change to the Markdown (the tags plugin's)
def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    _state.converted.page = page.file.src_uri  # the page MkDocs converts next
    try:
        return pipeline.fill_markdown(markdown, _state.guide, page.file.src_uri)
    except snippets.UnknownSnippet as exc:
        raise PluginError(str(exc)) from None


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    return pipeline.fill_html(html, pipeline.edition_of(page.file.src_uri, _state.guide, _state.others))


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """MkDocs makes the theme's environment afresh for every build, and compiling Material's
    templates again was about a tenth of each preview rebuild: Jinja keeps them compiled, by each
    template's source, in .cache/ (Jinja's FileSystemBytecodeCache)."""
    env.bytecode_cache = _compiled_templates(config)
    return env


def _compiled_templates(config: MkDocsConfig) -> jinja2.BytecodeCache:
    return pipeline.compiled_templates(Path(config.config_file_path).parent)


def on_post_build(config: MkDocsConfig) -> None:
    grades = not _previewing(config) or os.environ.get("EXERCISE_GUIDE_GRADES") == "1"
    pipeline.finish(Path(config.site_dir), _state.guide, pipeline.page_sources(Path(config.docs_dir),
                    _state.generated), _state.generated.nav, _state.cache, grades=grades,
                    allow_inline=_state.serving, banner=_state.banner, others=_state.others)
    if not _strict_warnings(config):  # a strict build that warned stops after this event
        _state.cache.save()


def _strict_warnings(config: MkDocsConfig) -> bool:
    return bool(config.strict) and not _state.serving and any(
        isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)
