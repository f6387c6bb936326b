"""The build, step by step, the same for both engines:

    exercises.yml -> check (load + validate, templates) -> render (the generated docs tree)
    -> the engine builds (MkDocs or Zensical: the adapters' part) -> finish (the built HTML)
    -> swap the new site in

The MkDocs hook (hooks/exercise_guide_hook.py) calls these functions from its events, the
Zensical script (hooks/zensical_build.py) calls them around `zensical build`, and neither does
any of the work itself. A mistake in the input is a SourceError (or snippets.UnknownSnippet),
whose text is the one message to show; the adapters turn it into their own kind of failure.
Knows nothing of MkDocs.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path
from typing import NamedTuple

import jinja2

from .cache import Cache, digest
from .data.model import Guide
from .data.problems import SourceError
from .data.validate import load
from .data import translation
from .data.source import read
from .finish import postbuild
from .pages import render as _render
from .pages import converted, site_paths, snippets, template_problems

DATA_FILE = "exercises.yml"
CACHE_DIR = ".cache"


def template_path(name: str) -> str:
    """How a problem names one of our templates: its path in the repository."""
    return f"hooks/exercise_guide/pages/templates/{name}"


def open_cache(root: Path, name: str = "exercise-guide") -> Cache:
    """The build's cache (cache.py) beside mkdocs.yml; each engine keeps its own folder."""
    return Cache(Path(root) / CACHE_DIR / name)


def compiled_templates(root: Path) -> jinja2.BytecodeCache:
    """Where compiled templates, ours and the theme's, are kept from build to build (.cache/jinja/):
    Jinja's own bytecode cache, which compiles a template again when its source changes."""
    folder = Path(root) / CACHE_DIR / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


# 1. Check ---------------------------------------------------------------------------------------

def check(root: Path, docs_dir: Path, theme_problems: list | tuple = ()) -> tuple[Guide, list]:
    """Read and validate exercises.yml and the syntax of our templates; `theme_problems` are the
    engine's own template checks (overrides/). Returns the guide and its warnings (an old review
    date); SourceError with every problem if anything is wrong."""
    guide, warnings = load(Path(root) / DATA_FILE, docs=site_paths.hand_written(docs_dir))
    kept = compiled_templates(root)
    for lang in guide.languages:
        _render.environment(lang).bytecode_cache = kept
    env = _render.environment()
    problems = template_problems.syntax_problems(env, env.list_templates(extensions=["j2"]), template_path)
    problems += list(theme_problems)
    if problems:
        raise SourceError(problems)
    return guide, warnings


def editions(root: Path, guide: Guide) -> tuple[dict[str, Guide], list]:
    """Each other language's edition of the guide (`languages:` in exercises.yml), from its
    translation file (exercises.es.yml), and the warnings (entries for texts that are gone).
    SourceError with every missing or stale translation (data/translation.py)."""
    out: dict[str, Guide] = {}
    warnings: list = []
    others = [lang for lang in guide.languages if lang != "en"]
    if not others:
        return out, warnings
    located = read(Path(root) / DATA_FILE)
    for lang in others:
        catalog = translation.read_catalog(translation.translation_file(Path(root) / DATA_FILE, lang), lang)
        errors, warned = translation.problems(located, catalog)
        if errors:
            raise SourceError(errors)
        warnings += warned
        out[lang] = translation.edition(located, catalog)
    return out, warnings


def edition_sources(root: Path) -> list[Path]:
    """The files of the other languages' editions that exist: translation files and hand-written
    pages (for the preview to watch)."""
    paths = [translation.translation_file(Path(root) / DATA_FILE, lang) for lang in HAND_WRITTEN]
    paths += [Path(root) / folder for folder in HAND_WRITTEN.values()]
    return [path for path in paths if path.exists()]


def unsafe_extensions(configured: list | dict | None) -> str | None:
    """The message for a configured Markdown extension that could turn data into markup (emoji
    codes, abbreviations, ...: issue 25), None when every one keeps data as text."""
    return _render.extensions_problem(configured)


# 2. Render --------------------------------------------------------------------------------------

class Generated(NamedTuple):
    """The generated part of the docs tree: pages (path under docs/ -> Markdown), other files
    (path under the site -> text: redirects, figure files, builder data) and the navigation."""

    pages: dict[str, str]
    files: dict[str, str]
    nav: list


# The hand-written pages of another language: docs/ is the English site's; the Spanish home, builder
# and tags pages are in docs-es/ and become es/... pages only when Spanish is on.
HAND_WRITTEN = {"es": "docs-es"}
# Browser features that find their data beside their own script (the builder fetches exercises.json
# from its folder and links pages from the folder above): each other language's edition gets a
# copy under its folder, so the same script reads that edition's data and links its pages.
EDITION_SCRIPTS = ("assets/builder.js",)


def render(guide: Guide, site_url: str | None, *, qr_codes: bool, cache: Cache | None,
           raw_links: str = "page", others: dict[str, Guide] | None = None, root: Path | None = None,
           docs_dir: Path | None = None) -> Generated:
    """Every generated page and file, and the navigation; with `others` (editions()), each other
    language's too, under its folder, with its hand-written pages from HAND_WRITTEN beside
    mkdocs.yml (`root`). SourceError for a template that fails."""
    try:
        pages = _render.render_pages(guide, site_url, qr_codes=qr_codes, cache=cache, raw_links=raw_links)
        files = _render.site_files(guide, cache)
        nav = _render.navigation(guide)
        for lang, edition in (others or {}).items():
            pages.update(_render.render_pages(edition, site_url, qr_codes=qr_codes, cache=cache,
                                              raw_links=raw_links, lang=lang))
            prefix = _render.lang_prefix(lang)
            own = Path(root or ".") / HAND_WRITTEN[lang]
            for src_uri in site_paths.hand_written(own):
                text = (own / src_uri).read_text(encoding="utf-8")
                if src_uri.endswith(".md"):
                    pages[prefix + src_uri] = snippets.fill(text, edition, prefix + src_uri, lang)
                else:
                    files[prefix + src_uri] = text
            for src_uri in [p for p in pages if p.startswith(prefix) and p.endswith(".md")]:
                pages[src_uri] = with_language(pages[src_uri], lang)
            files.update(_render.edition_files(edition, lang))
            for script in EDITION_SCRIPTS:
                files[prefix + script] = (Path(docs_dir or Path(root or ".") / "docs") / script).read_text(encoding="utf-8")
            nav.append({translation.NATIVE_NAMES[lang]: _render.navigation(edition, lang)})
        return Generated(pages, files, nav)
    except jinja2.TemplateError as exc:
        raise SourceError([template_problems.problem_of(exc, _render.TEMPLATES, template_path)]) from None


def with_language(markdown: str, lang: str) -> str:
    """A page of another language's edition, saying its language in its front matter (`lang: es`):
    the theme's templates (overrides/) read it for <html lang>, their words and the switch."""
    if markdown.startswith("---\n"):
        return f"---\nlang: {lang}\n" + markdown[4:]
    return f"---\nlang: {lang}\n---\n\n" + markdown


def fill_markdown(markdown: str, guide: Guide | None, src_uri: str) -> str:
    """A hand-written page with its boxes made from exercises.yml (snippets.UnknownSnippet if it
    names one that does not exist). Without a guide (the preview before exercises.yml was ever
    good) the page stays as written."""
    return markdown if guide is None else snippets.fill(markdown, guide, src_uri)


def hand_written(docs_dir: Path, guide: Guide) -> dict[str, bytes]:
    """docs/ as the engine must read it: every file, the Markdown pages' boxes filled in."""
    files = {}
    for src_uri in site_paths.hand_written(docs_dir):
        data = (Path(docs_dir) / src_uri).read_bytes()
        if src_uri.endswith(".md"):
            data = fill_markdown(data.decode("utf-8"), guide, src_uri).encode("utf-8")
        files[src_uri] = data
    return files


def page_sources(docs_dir: Path, generated: Generated) -> list[str]:
    """Every Markdown page of the site (hand-written and generated), by path under docs/."""
    return sorted({*(p for p in site_paths.hand_written(docs_dir) if p.endswith(".md")), *generated.pages})


# 3. Engine build (MkDocs: what its conversion of a page may reuse) -------------------------------

def converter(cache: Cache) -> converted.Converted:
    """The Markdown extension that gives the engine pages converted before (pages/converted.py)."""
    return converted.Converted(cache)


def conversion_context(files: list[str], settings: dict, libraries: tuple[str, ...]) -> str:
    """What a page's conversion depends on besides its path and Markdown: the site's files (where its
    links lead), the engine's Markdown settings, the converting libraries' versions."""
    versions = [f"{name}=={importlib.metadata.version(name)}" for name in libraries]
    named = lambda value: f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return digest(json.dumps([files, settings, versions], sort_keys=True, default=named))


# 4. Finish --------------------------------------------------------------------------------------

def edition_of(src_uri: str, guide: Guide | None, others: dict[str, Guide] | None) -> Guide | None:
    """The edition a page belongs to, by its folder (es/...)."""
    for lang, edition in (others or {}).items():
        if src_uri.startswith(_render.lang_prefix(lang)):
            return edition
    return guide


def fill_html(html: str, guide: Guide | None) -> str:
    """A page's converted HTML with what is written at build time (the builder's safety list), so
    that it is there when the page is first drawn."""
    return html if guide is None else postbuild.fill_safety_html(html, guide)


def finish(site: Path, guide: Guide | None, pages: list[str], nav: list | None, cache: Cache | None, *,
           grades: bool = True, styles: tuple[str, ...] = (), allow_inline: bool = False,
           banner: tuple[str, str] | None = None, others: dict[str, Guide] | None = None) -> None:
    """The built site made whole, in place: see finish/postbuild.py."""
    postbuild.finish(Path(site), guide, pages, nav or [], cache, grades=grades, styles=styles,
                     allow_inline=allow_inline, banner=banner, others=others or {})


# 5. Swap in -------------------------------------------------------------------------------------

def swap_in(built: Path, site_dir: Path) -> None:
    """Replace `site_dir` by the finished `built` folder (a failed build never gets here)."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, site_dir)
