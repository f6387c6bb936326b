"""MkDocs hook: the thin adapter between MkDocs and the exercise_guide core.

- on_startup: note whether this is the preview (`mkdocs serve`).
- on_config: load and validate exercises.yml and compile the templates before MkDocs
  cleans site/, so a mistake stops the build with the old site intact; set the
  navigation. In the preview a mistake does not stop it: the last good pages are
  built again, with the report in a banner on every page (preview.py), and printed.
- on_files:  add every generated page, redirect and data file with File.generated
             (nothing is written to docs/).
- on_nav: in a published build, a copy of the build (fork) converts the generated pages from
             the last backwards while MkDocs converts them from the first (ahead.py); on_env
             stops it.
- on_page_markdown: fill the placeholders of hand-written pages (the home page's
             "Get help now if…" box) from exercises.yml; a generated page converted before
             (or by the copy) is replayed (pagecache.py), one that is not goes to Markdown
             with its inline SVG set aside (rawstash.py).
- on_page_content: put the SVG back, keep or replay the page; fill the builder's safety
             list; send each page's HTML to be graded in a second process.
- on_page_context: the About page is built last; by then every grade is in, and
             its table goes into the page.
- on_post_page / on_post_template: the Content-Security-Policy and referrer <meta> tags,
  hashed from each page as written (csp.py); the preview's banner. on_post_build: the same
  tags for any other HTML file in site/, and the site's own search index (site_search.py).

In the preview (`mkdocs serve`) there are no QR codes (the address is the preview's), no grades
unless EXERCISE_GUIDE_GRADES=1; unchanged pages are
replayed from the rebuild before (pagecache.py: their Markdown's HTML; themereplay.py, on_env and
on_page_context: their whole page from the theme's template), and on_serve makes it look for
saved files every 0.1 s; builds keep QR codes, grades, figures,
compiled templates and the generated pages' HTML in .cache/ for the next (buildcache.py,
pagecache.py).
"""

from __future__ import annotations

import gc
import logging
import os
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import CountHandler

from exercise_guide import (ahead, csp, pagecache, preview, rawstash, readability, render, site_paths, site_search,
                            snippets, template_problems, themereplay)
from exercise_guide.buildcache import BuildCache
from exercise_guide.later import Later
from exercise_guide.memo import Recent
from exercise_guide.sidework import SideworkError
from exercise_guide.templatecache import TemplateCache
from exercise_guide.problems import SourceError
from exercise_guide.validate import load

log = logging.getLogger("mkdocs.plugins.exercise_guide")
_CODE = [Path(__file__), Path(themereplay.__file__)]
_PREVIEW_PAGES = Recent()  # the preview's exercise pages as Markdown, by what they show (render.py)
DATA_FILE = "exercises.yml"


class _Build:
    """What one build learns in on_config and uses in later events."""

    guide = None
    pages: dict[str, str] = {}
    files: dict[str, str] = {}
    grader: readability.BackgroundGrader | None = None
    all_files: Files | None = None
    serving = False       # `mkdocs serve`: a mistake shows in the pages instead of stopping
    broken: str | None = None   # the preview's current report, None when all is well
    shown = "current"     # what the preview's pages are while broken (preview.banner)
    last_good: tuple | None = None  # (pages, files, nav) of the preview's last good build
    cache: BuildCache | None = None
    replay: pagecache.Replay | None = None
    replaying: dict[str, tuple] = {}
    later: Later | None = None        # QR codes made beside the build (later.py)
    later_files: Later | None = None  # figure files made beside the build
    nav = None            # MkDocs' navigation of this build (on_nav)
    ahead: ahead.Ahead | None = None  # a copy of the build converting pages from the back (ahead.py)
    converted_ahead = 0   # generated pages the copy converted in this build
    theme_replay = False  # the preview replays page template output (themereplay.py)


_build = _Build()


def on_startup(command: str, dirty: bool) -> None:
    _build.serving = command == "serve"


# How often the preview looks for saved files. MkDocs looks every 0.5 s, so a save waited 0.25 s
# on average before the rebuild began (half of a rebuild of the real site); a look at the few
# watched files every 0.1 s costs about a millisecond.
PREVIEW_POLL_SECONDS = 0.1


def on_serve(server, config: MkDocsConfig, builder):
    """The preview looks for saved files every PREVIEW_POLL_SECONDS. MkDocs' server has no
    setting for it: its observer is replaced before it starts, with the same watches. (MkDocs 1.x
    is frozen, so these names stay; if they are not there, MkDocs' own interval stays.)"""
    from watchdog.observers.polling import PollingObserver

    watched, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    observer = getattr(server, "observer", None)
    if not (isinstance(observer, PollingObserver) and isinstance(watched, dict) and isinstance(refs, dict)) \
            or observer.is_alive():
        return server
    paths = dict(watched)
    server.observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    watched.clear()
    refs.clear()
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    return server


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _build.broken = None
    previewing = _previewing(config)
    _build.cache = BuildCache(None if previewing else Path(config.config_file_path).parent / ".cache" / "exercise-guide")
    # Python's cycle collector walked every object of the guide again and again while it was made,
    # and each page's objects after (2.1 s of a first build at 1000 exercises, 0.4 s of the plain
    # build): the guide is made with it run less often, then it runs once, and what is left is
    # kept out of its way (gc.freeze: 0.8 s in all, the same peak memory). Not in the preview,
    # which builds again and again in one process (frozen objects stay).
    frozen = not _build.serving and gc.isenabled()
    # The grader starts first: its process loads its word lists on the second core while this one
    # reads exercises.yml.
    _close_grader()
    grades = not previewing or os.environ.get("EXERCISE_GUIDE_GRADES") == "1"
    _build.grader = readability.BackgroundGrader(_build.cache) if grades else None
    if frozen:
        threshold = gc.get_threshold()
        gc.set_threshold(20000, *threshold[1:])
    try:
        warnings = _load(config)
    except SourceError as exc:
        if not _build.serving:
            raise PluginError(exc.report()) from None
        _keep_serving(config, exc.report(), current=False)
    else:
        if warnings and config.strict:
            # --strict would fail only after site/ is rewritten; stop while it is untouched.
            if not _build.serving:
                raise PluginError(SourceError(warnings).report())
            _keep_serving(config, SourceError(warnings).report(), current=True)
        else:
            for warning in warnings:
                log.warning(str(warning))
    finally:
        if frozen:
            gc.collect()  # once, for what making it left behind (frozen, it would stay)
            gc.freeze()
            gc.set_threshold(*threshold)
    _build.replay = pagecache.PREVIEW if previewing else pagecache.StoredReplay(_build.cache)
    return config


def _previewing(config: MkDocsConfig) -> bool:
    """`mkdocs serve`, or a build at its address (which is what serve sets site_url to)."""
    host, port = config.dev_addr
    return _build.serving or (config.site_url or "").startswith((f"http://{host}:{port}/",
                                                                 f"http://[{host}]:{port}/"))


def _load(config: MkDocsConfig) -> list:
    """Validate the data and the templates and render every page; return the data's warnings.
    SourceError if anything is wrong."""
    path = Path(config.config_file_path).parent / DATA_FILE
    # A build's QR codes and figure files not kept in .cache/ are made in second processes while
    # MkDocs goes on (later.py): the codes are needed at the first page, the files only once every
    # page is converted. The preview makes them in place. The QR codes' process starts now, to be
    # ready (segno imported) by the time the pages are rendered.
    _close_later()
    laters = ((Later("QR codes", warm="exercise_guide.qr" if config.site_url else None),
               Later("figures", spool=True)) if _build.cache.directory is not None else (None, None))
    codes, drawings = laters
    try:
        guide, warnings = load(path, docs=site_paths.hand_written(config.docs_dir))
        problems = _template_problems(config)
        if problems:
            raise SourceError(problems)
        previewing = _previewing(config)
        pages = render.render_pages(guide, config.site_url or None, qr_codes=not previewing, cache=_build.cache,
                                    kept=_PREVIEW_PAGES if previewing else None, later=codes)
        if codes is not None:
            codes.start()  # every code is handed over: its process may finish while the figures are
        files = render.site_files(guide, _build.cache, later=drawings)
        nav = render.navigation(guide)
    except (SourceError, jinja2.TemplateError) as exc:
        for later in filter(None, laters):
            later.close()
        if isinstance(exc, SourceError):
            raise
        raise SourceError([template_problems.problem_of(exc, render.TEMPLATES, _template_path)]) from None
    if drawings is not None:
        drawings.start()
    _build.later, _build.later_files = laters
    _build.guide = guide
    _build.pages, _build.files, config.nav = pages, files, nav
    _build.last_good = (pages, files, nav)
    return warnings


def _template_path(name: str) -> str:
    return f"hooks/exercise_guide/templates/{name}"


def _template_problems(config: MkDocsConfig) -> list:
    """Syntax errors in our templates and in the theme's custom_dir (overrides/)."""
    env = render.environment()
    problems = template_problems.syntax_problems(env, env.list_templates(extensions=["j2"]), _template_path)
    custom = config.theme.custom_dir
    if custom:
        theme_env = config.theme.get_env()
        names = [p.relative_to(custom).as_posix() for p in Path(custom).rglob("*.html")]
        root = Path(config.config_file_path).parent
        shown = lambda name: Path(custom, name).resolve().relative_to(root.resolve()).as_posix()  # noqa: E731
        bad = template_problems.syntax_problems(theme_env, names, shown)
        if bad:
            # The preview goes on with the theme's own templates; a build stops below.
            config.theme.dirs[:] = [d for d in config.theme.dirs if Path(d).resolve() != Path(custom).resolve()]
            # Our words for Material's labels live there too (partials/languages/custom.html).
            if "language" in config.theme and config.theme["language"] == "custom":
                config.theme["language"] = "en"
        problems += bad
    return problems


def _keep_serving(config: MkDocsConfig, report: str, current: bool) -> None:
    """The preview with a mistake: the pages just made (`current`, when only --strict's warnings
    stop it), else the last good ones (or none); the report printed every time and shown on every
    page; and nothing that makes `serve --strict` hold every request."""
    _build.broken = report
    _build.shown = "current" if current else "last good" if _build.last_good else "none"
    if not current:
        _build.pages, _build.files, config.nav = _build.last_good or ({}, {}, None)
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            handler.addFilter(lambda record: _build.broken is None)
    shown = {"current": "the pages as they are", "last good": "the last good version",
             "none": "no pages made from exercises.yml"}[_build.shown]
    log.error(f"{report}\nThe preview shows {shown}, with this report at the top of each page, until it is fixed.")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _build.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} is generated from {DATA_FILE}; remove the hand-written file")
        files.append(File.generated(config, src_uri, content=markdown))
    # The About page goes last, so that its grades table waits for no one.
    about = files.get_file_from_path(render.Pages.about)
    if about is not None:
        files.remove(about)
        files.append(about)
    for src_uri, text in _build.files.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{src_uri} is generated from {DATA_FILE} (an old slug or the builder data) "
                              f"but a page of that name exists already")
        if src_uri.endswith(".html"):
            text = csp.protect(text)
        files.append(File.generated(config, src_uri, content=text))
    _build.all_files = files
    if _build.replay is not None:
        _build.replay.begin(_shape(files, config))
        _build.replaying = {}
    return files


def _shape(files: Files, config: MkDocsConfig) -> str | None:
    """What every generated page's conversion depends on besides its own Markdown and address
    (pagecache.py), or None when a setting cannot be named the same way in the next build."""
    try:
        return pagecache.fingerprint([
            sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files), config.markdown_extensions,
            config.mdx_configs, config.validation, config.use_directory_urls,
            log.getEffectiveLevel() > logging.DEBUG,  # MkDocs keeps links to anchors only then
            pagecache.versions(Path(__file__))])
    except pagecache.Unstable as exc:
        log.info(f"Pages are converted afresh: a setting has no stable form ({exc})")
        return None


@event_priority(-100)  # last, after every plugin's change to the Markdown (the tags plugin's)
def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    """Hand-written pages get their boxes made from exercises.yml (snippets.py). A generated page
    converted identically before is replayed, not converted again (pagecache.py); one that is
    converted goes to Markdown with its inline SVG set aside (rawstash.py)."""
    if _build.later is not None:
        markdown = _filled(_build.later, markdown, "QR codes")
    if _build.guide is not None:  # None: the preview, before exercises.yml was ever good
        try:
            markdown = snippets.fill(markdown, _build.guide, page.file.src_uri)
        except snippets.UnknownSnippet as exc:
            raise PluginError(str(exc)) from None
    if _build.replay is None or page.file.src_uri not in _build.pages:
        return markdown  # hand-written pages (the tags index is filled in later) are always converted
    key = _build.replay.key(page.file.src_uri, page.url, markdown)
    offered = _build.ahead.take(page.file.src_uri) if _build.ahead is not None else None
    state = _build.replay.get(key)
    stored = state is not None
    if state is None and offered is not None and key is not None and offered[0] == key:
        state = offered[1]  # converted by the copy of the build, from this very Markdown (ahead.py)
    kept = None
    if state is not None:
        try:
            kept = _page_from_state(state, files)
        except (KeyError, TypeError, ValueError, AttributeError):
            if stored:
                _build.replay.unusable()  # a damaged entry: convert the page again
        else:
            if not stored:
                _build.replay.put(key, state)  # kept for the next build, as if converted here
                _build.converted_ahead += 1
    if kept is not None:
        _build.replaying[page.file.src_uri] = _Converting(key, markdown, kept, None, [])
        return ""
    # What MkDocs says while converting (a broken link) it must say again next time: a page
    # it said anything about is not kept.
    heard = _Heard()
    for logger in _HEARD_ON:
        logging.getLogger(logger).addHandler(heard)
    stashed, svg = rawstash.stash(markdown)
    _build.replaying[page.file.src_uri] = _Converting(key, markdown, None, heard, svg)
    return stashed


class _Converting(NamedTuple):
    key: str | None
    markdown: str         # as the page is, before the SVG were set aside
    kept: tuple | None    # what is replayed (_page_from_state), or None: the page is converted
    heard: "_Heard | None"
    svg: list[str]        # rawstash.stash's


def _filled(later: Later, text: str, what: str) -> str:
    try:
        return later.fill(text)
    except SideworkError as exc:
        raise PluginError(f"{what}: {exc}") from None


def on_nav(nav, config: MkDocsConfig, files: Files):
    _build.nav = nav
    _start_ahead(config, files)
    return nav


def _start_ahead(config: MkDocsConfig, files: Files) -> None:
    """MkDocs converts the pages next: a copy of the build converts the generated ones from the
    last backwards, beside it (ahead.py). Only in a published build (the preview runs threads, and
    rebuilds few pages), and once the QR codes are in: the copy reads them where the build does."""
    _close_ahead()
    _build.converted_ahead = 0
    if _build.serving or _build.cache.directory is None:
        return
    if _build.later is not None:
        try:
            _build.later.wait()
        except SideworkError:
            return  # the first page that needs them says so
    names = [f.src_uri for f in files.documentation_pages() if f.src_uri in _build.pages and f.page is not None]
    _build.ahead = ahead.Ahead(names, _converter(config, files))


def _converter(config: MkDocsConfig, files: Files):
    """In the copy of the build: a generated page as MkDocs would convert it (its `_populate_page`
    up to the conversion), with this hook's events; its state (`_page_state`) with its cache key,
    or None when the build would replay it from .cache/ or must convert it itself (something was
    said while converting it, or a stashed drawing did not come through)."""
    def convert(src_uri: str):
        page = files.get_file_from_path(src_uri).page
        config._current_page = page
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        converting = _build.replaying.pop(src_uri, None)
        if converting is None or converting.kept is not None or converting.key is None:
            return None
        page.render(config, files)
        _stop_hearing(converting.heard)
        html = rawstash.unstash(page.content, converting.svg)
        if html is None or converting.heard.heard:
            return None
        return converting.key, _page_state(html, page)
    return convert


def _close_ahead() -> None:
    if _build.ahead is not None:
        _build.ahead.close()
        _build.ahead = None


def on_env(env, config: MkDocsConfig, files: Files):
    _close_ahead()  # every page is converted
    # Figure files made beside the build (later.py) get their text before MkDocs copies them.
    if _build.later_files is not None:
        for src_uri, text in _build.files.items():
            if "\0" in text:
                files.get_file_from_path(src_uri).content_string = _filled(_build.later_files, text, "Figures")
    # The theme's templates compiled once, not on every build (see templatecache.py).
    env.bytecode_cache = TemplateCache(_build.cache.directory / "jinja" if _build.cache.directory else None)
    _build.theme_replay = False
    if _previewing(config) and _build.nav is not None:
        # Pages whose template reads what it read in the rebuild before are not rendered again.
        shape = _theme_shape(config, files)
        themereplay.OUTPUT.begin(shape)
        if shape is not None:
            env.template_class = themereplay.ReplayingTemplate
            _build.theme_replay = True
    return env


def _theme_shape(config: MkDocsConfig, files: Files) -> str | None:
    """What every page's template output depends on in this build (themereplay.shape)."""
    installed = [Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")]
    dirs = [str(d) for d in config.theme.dirs]
    local = [d for d in dirs if not any(Path(d).resolve().is_relative_to(p) for p in installed)]
    settings = {name: value for name, value in config.items() if name not in ("plugins", "hooks", "theme")}
    plugins = {name: dict(plugin.config) if isinstance(getattr(plugin, "config", None), Mapping) else None
               for name, plugin in config.plugins.items()}
    pages = [(f.src_uri, f.url) for f in files.documentation_pages()]
    shape = themereplay.shape(settings, plugins, {"name": config.theme.name, **dict(config.theme)}, dirs, local,
                              themereplay.nav_state(_build.nav.items), pages, _CODE)
    if shape is None:
        log.info("Every page's template is rendered afresh: a setting has no stable form")
    return shape


@event_priority(100)  # first: what is kept or replayed is Markdown's own output
def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    if _build.replay is not None and page.file.src_uri in _build.replaying:
        html = _replay(html, page, config, files)
    # While exercises.yml is broken (`make serve` goes on with the hand-written pages) there is
    # no guide: the builder's list stays empty (a comment) until the file is fixed.
    if _build.guide is not None and render.SAFETY_PLACEHOLDER in html:
        html = html.replace(render.SAFETY_PLACEHOLDER, render.safety_items(_build.guide))
    if _build.grader is not None:
        _build.grader.submit(page.file.src_uri, html)
    return html


def on_page_context(context: dict, page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri == render.Pages.about:
        _about_grades(page)
    if _build.theme_replay:
        template = page.meta.get("template", "main.html")
        context[themereplay.KEY] = themereplay.page_key(page, _toc_state(page.toc), context, template)
    return context


def _about_grades(page) -> None:
    if _build.grader is None:
        page.content = page.content.replace(render.GRADES_PLACEHOLDER, render.grades_table(None))
        return
    # A plugin may change a page after on_page_content (the tags index gets its
    # listing later): grade those again as they are now.
    for file in _build.all_files.documentation_pages():
        if file.page is not None and file.page is not page and file.page.content is not None:
            _build.grader.resubmit_if_changed(file.src_uri, file.page.content)
    try:
        grades = _build.grader.results()
    except SideworkError as exc:
        raise PluginError(f"Reading grades: {exc}") from None
    rows = []
    for src_uri, (grade, words) in sorted(grades.items()):
        file = _build.all_files.get_file_from_path(src_uri)
        rows.append({"title": file.page.title, "url": "../" * page.url.count("/") + file.page.url,
                     "grade": grade, "words": words})
    page.content = page.content.replace(render.GRADES_PLACEHOLDER, render.grades_table(rows))


def _replay(html: str, page, config: MkDocsConfig, files: Files) -> str:
    key, markdown, kept, heard, svg = _build.replaying.pop(page.file.src_uri)
    page.markdown = markdown
    if kept is not None:
        html, page.toc, page._title_from_render, page.present_anchor_ids, page.links_to_anchors = kept
        return html
    if svg:
        html = rawstash.unstash(html, svg)
        if html is None:  # Markdown changed a placeholder: convert the page as it is
            page.render(config, files)
            html = page.content
    _stop_hearing(heard)
    if not heard.heard:
        _build.replay.put(key, _page_state(html, page))
    return html


# A generated page as MkDocs' conversion left it, as JSON and back (pagecache.py keeps it).
def _page_state(html: str, page) -> dict:
    links = page.links_to_anchors
    return {"html": html, "toc": _toc_state(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids),
            "links": None if links is None else [[f.src_uri, anchors] for f, anchors in links.items()]}


def _toc_state(items) -> list:
    return [{**{k: v for k, v in vars(a).items() if k != "children"}, "children": _toc_state(a.children)}
            for a in items]


def _page_from_state(state: dict, files: Files) -> tuple:
    """(html, toc, title, anchors, links to anchors); KeyError, TypeError, ValueError if damaged."""
    links = None
    if state["links"] is not None:
        links = {}
        for src_uri, anchors in state["links"]:
            file = files.get_file_from_path(src_uri)
            if file is None or not isinstance(anchors, dict):
                raise ValueError(src_uri)
            links[file] = anchors
    html, title = state["html"], state["title"]
    if not isinstance(html, str) or not isinstance(title, (str, type(None))):
        raise TypeError("html, title")
    return html, TableOfContents(_toc_from_state(state["toc"])), title, set(state["anchors"]), links


def _toc_from_state(items: list) -> list:
    toc = []
    for item in items:
        link = AnchorLink(item["title"], item["id"], item["level"])
        for name, value in item.items():
            if name not in ("title", "id", "level", "children"):
                setattr(link, name, value)  # `active`, set on the first entry
        link.children = _toc_from_state(item["children"])
        toc.append(link)
    return toc


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True


_HEARD_ON = ("mkdocs", "")  # MkDocs' loggers (which `mkdocs` stops at) and the rest (Markdown's)


def _stop_hearing(heard: _Heard | None) -> None:
    for logger in _HEARD_ON:
        logging.getLogger(logger).removeHandler(heard)


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    return _finish(output, page.url.count("/"))


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _finish(output_content, 0) if template_name.endswith(".html") else output_content


def _finish(html: str, depth: int) -> str:
    """The preview's banner, if any; then the CSP, hashed from the page as it now is. The preview
    adds its live-reload script to each page after the build: there inline scripts are allowed."""
    if _build.broken is not None:
        html = preview.insert(html, preview.banner(_build.broken, depth, _build.shown))
    return csp.protect(html, allow_inline=_build.serving)


def on_post_build(config: MkDocsConfig) -> None:
    # HTML that no page event saw (a static .html from docs/, another plugin's file) gets its policy too.
    csp.protect_tree(config.site_dir, allow_inline=_build.serving)
    _close_grader()
    _close_later()
    if _build.guide is not None:  # the site's own search index, from the pages as written (site_search.py)
        site_search.write_index(config.site_dir, site_search.page_facts(_build.guide))
    if _build.theme_replay:
        themereplay.OUTPUT.end()
    if _build.replay is not None:
        _build.replay.end()
        if not _build.serving:
            log.info(f"{_build.replay.hits} of {len(_build.pages)} generated pages replayed from .cache/ "
                     "(unchanged since the build before)")
            log.info(f"{_build.converted_ahead} generated pages converted by a copy of the build beside it")
    if _build.cache is not None:
        if _strict_warnings(config):
            _build.cache.discard()  # the build stops after this event: only a good build saves
        else:
            _build.cache.save()


def _strict_warnings(config: MkDocsConfig) -> bool:
    return bool(config.strict) and not _build.serving and any(
        isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def on_build_error(error: Exception) -> None:
    _close_ahead()
    _close_grader()
    _close_later()
    for converting in _build.replaying.values():
        _stop_hearing(converting.heard)
    _build.replaying = {}
    if _build.cache is not None:
        _build.cache.discard()


def _close_later() -> None:
    for later in filter(None, (_build.later, _build.later_files)):
        later.close()
    _build.later = _build.later_files = None


def _close_grader() -> None:
    if _build.grader is not None:
        _build.grader.close()
        _build.grader = None
