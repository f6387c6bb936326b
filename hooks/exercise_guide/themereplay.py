"""The theme's page template output, replayed in the preview when nothing it reads has changed.

Why: after `pagecache.py` replays the converted Markdown, the biggest part of a preview rebuild
at 300 exercises was Material's page template (about a third in a profile): the navigation is on
every page, so every page is rendered again, though an edit to one exercise changes one or two
pages. A page's template output depends on what the template reads:
  - the page: its address, title, HTML, table of contents, metadata, its neighbours (previous
    and next), its source file;
  - the whole navigation (every title, address and page's metadata: Material's menu reads page
    icons and status from it) and the list of pages;
  - the settings (mkdocs.yml with every plugin's settings) and the template sources: the theme's
    own are named by the installed versions, a theme folder of the project (overrides/) by a
    hash of its files;
  - whatever plugins added to the page's context (the tags plugin's tags);
  - our own code's version.
All of them together are the key; a value that cannot be written down the same way each time
(`pagecache.Unstable`) means the page is rendered. Only the preview (`mkdocs serve`, one
process) replays, from memory, what the rebuild before rendered: published builds render every
page. The rendering Jinja does is not changed: `ReplayingTemplate` is the Jinja environment's
template class, and it renders as Jinja does whenever a context carries no key.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import jinja2

from .buildcache import code_version
from .pagecache import Replay, Unstable, fingerprint

KEY = "exercise_guide_output_key"  # the context variable that carries a page's key
STANDARD = frozenset({"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                      "build_date_utc", "config", "page"})  # MkDocs' own context (get_context)
THEME_PACKAGES = ("mkdocs", "mkdocs-material", "Jinja2", "MarkupSafe", "Babel")

OUTPUT = Replay()
"""The page template output of the preview's rebuild before."""


class ReplayingTemplate(jinja2.Template):
    """A Jinja template whose `render` returns the output kept under the context's KEY, if any,
    and keeps what it renders under that key."""

    def render(self, *args, **kwargs) -> str:
        variables = dict(*args, **kwargs)
        key = variables.get(KEY)
        if key is None:
            return super().render(variables)
        kept = OUTPUT.get(key)
        if kept is not None:
            return kept
        output = super().render(variables)
        OUTPUT.put(key, output)
        return output


def shape(config: dict, plugins: dict, theme: dict, theme_dirs: list[str], local_dirs: list[str],
          nav: list, pages: list, code: list[Path]) -> str | None:
    """What every page's template output depends on, or None when part of it cannot be named.

    `config`: the settings without plugins; `plugins`: each plugin's name and settings; `theme`:
    the theme's settings; `theme_dirs`: its template folders in order; `local_dirs`: those of them
    that are the project's (hashed file by file); `nav`: `nav_state`'s; `pages`: (source, address)
    of every page; `code`: our source files."""
    try:
        versions = {}
        for name in THEME_PACKAGES:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "-"
        return fingerprint([config, plugins, theme, theme_dirs, [_folder(d) for d in local_dirs], nav, pages,
                            versions, code_version(*code)])
    except Unstable:
        return None


def _folder(directory: str) -> list:
    root = Path(directory)
    return sorted((p.relative_to(root).as_posix(), code_version(p)) for p in root.rglob("*") if p.is_file())


def nav_state(items) -> list:
    """The navigation as the menu shows it: each entry's kind, title, address, and a page's
    source and metadata, with its children."""
    state = []
    for item in items:
        file = getattr(item, "file", None)
        state.append([type(item).__name__, item.title, getattr(item, "url", None),
                      file.src_uri if file is not None else None, getattr(item, "meta", None),
                      nav_state(getattr(item, "children", None) or [])])
    return state


def context_extras(context: dict) -> list:
    """What plugins added to a page's context, as text that names it (Unstable if it cannot)."""
    return [[name, _named(context[name])] for name in sorted(context) if name not in STANDARD and name != KEY]


def _named(value):
    """Plain data as it is; another object by its type, its text and the addresses it links to
    (a tag reference: its name and its listing)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, dict):
        return {str(k): _named(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_named(v) for v in value]
    text = repr(value)
    if " at 0x" in text or " object at " in text:
        raise Unstable(text)
    links = [[getattr(link, "title", None), getattr(link, "url", None)] for link in getattr(value, "links", None) or []]
    return [f"{type(value).__module__}.{type(value).__qualname__}", text, getattr(value, "url", None), links]


def page_key(page, toc: list, context: dict, template: str) -> str | None:
    """The key of a page's template output in this build (OUTPUT.begin named the rest), or None."""
    try:
        neighbours = [[p.url, p.title] if p is not None else None for p in (page.previous_page, page.next_page)]
        parts = fingerprint([page.url, page.canonical_url, page.edit_url, page.title, page.file.src_uri,
                             page.meta, page.is_homepage, neighbours, toc, context_extras(context), template])
    except Unstable:
        return None
    return OUTPUT.key(parts, page.content or "")
