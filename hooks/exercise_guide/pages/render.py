"""Rendering a validated guide into Markdown pages, through the Jinja2 templates.

Every value from exercises.yml is plain text: the environment's `finalize`
escapes each `{{ … }}` output for Markdown and HTML, so `<script>`, raw HTML,
`[link](…)` or `{: onclick=… }` in the data shows as the characters typed.
Values built here on purpose (links, front matter) are wrapped in Markup.

The result maps each page's path under docs/ (e.g. `exercises/bridge.md`) to
its Markdown: the hook hands these to MkDocs as generated files, and
`exercise-guide render DIR` writes the same text to disk.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import babel.dates
import jinja2
import yaml
from markupsafe import Markup

from .. import figures
from . import i18n, with_me
from ..cache import code_version
from .glance import glance
from .qr import qr_svg  # noqa: F401  (render.qr_svg, as before)
from ..data.model import LIMITS, Exercise, Guide

TEMPLATES = Path(__file__).parent / "templates"
# How many other exercises of the same category an exercise page links to. The
# category page lists all of them; a page listing every sibling would grow with
# the library and make the build quadratic.
SIBLING_LINKS = 6
GRADES_PLACEHOLDER = "<!-- exercise-guide: reading grades -->"
# In docs/builder/index.md: the safety list, written at build time so that it is there when the page
# is first drawn (filled only once assets/exercises.json had loaded, it pushed the page down).
SAFETY_PLACEHOLDER = "<!-- exercise-guide: safety list -->"

# One pass of str.translate: HTML's three, and Markdown's inline punctuation.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                          **{c: "\\" + c for c in "\\`*_{}[]|#"}})
_SPACES = re.compile(r"\s+")


def md_text(value: object) -> Markup:
    """Plain text to Markdown that renders as exactly that text, on one line.

    Used as the environment's `finalize`, so it sees every `{{ … }}` output;
    Markup (links built here, macro output) passes through unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    text = text.translate(_ESCAPES)
    if ":" in text:  # :hospital: and :material-alert: are emoji and icons to pymdownx.emoji
        text = _SHORTCODE.sub("&#58;", text)
    # Punctuation at the start can open a block: "- " a list, "> " a quote, "!!! danger" a
    # warning box, "???", "///", ":::", "~~~", "===" ... (each Markdown extension adds its own).
    # Escaped with a backslash where Markdown allows it, else written as a character reference:
    # the same character on the page, and it starts nothing. "1. " and "1) " start lists too.
    lead = len(text) - len(text.lstrip())
    first = text[lead:lead + 1]
    if first in _PUNCTUATION:
        text = text[:lead] + ("\\" + first if first in _BACKSLASHABLE else f"&#{ord(first)};") + text[lead + 1:]
    elif first.isdigit():
        text = _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return Markup(text)


_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
# The colon that opens an emoji or icon code (pymdownx.emoji reads `:[+\-\w]+:`), written as a
# character reference: the same ":" on the page, and no code starts there.
_SHORTCODE = re.compile(r":(?=[+\-\w]+:)")

# The Markdown extensions whose syntax md_text keeps as text (Python-Markdown's own are "markdown.
# extensions.<name>" too). Another one (abbr, smarty, pymdownx.smartsymbols, magiclink, caret,
# mark, tilde, keys, arithmatex ...) would turn data into markup: the build refuses it until
# md_text knows its syntax and it is added here, with a test (tests/test_injection.py).
DATA_SAFE_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html",
                                  "pymdownx.emoji"})


def extensions_problem(configured: list | None) -> str | None:
    """What is wrong with mkdocs.yml's markdown_extensions (names, or {name: options}) for data,
    or None: the extensions md_text does not know to keep as text, named."""
    names = [next(iter(item)) if isinstance(item, dict) else str(item) for item in configured or []]
    unsafe = [name for name in names if name.removeprefix("markdown.extensions.") not in DATA_SAFE_EXTENSIONS]
    if not unsafe:
        return None
    return (f"mkdocs.yml: markdown_extensions: {', '.join(unsafe)} would turn text from exercises.yml into "
            "markup; teach render.md_text its syntax and add it to render.DATA_SAFE_EXTENSIONS")
# ASCII punctuation except "\\" and "&", which the escapes above already made safe; and the part
# of it that Python-Markdown lets a backslash escape (others would show the backslash).
_BACKSLASHABLE = set("`*_{}[]()>#+-.!")
_PUNCTUATION = set("!\"#$%'()*+,-./:;<=>?@[]^_`{|}~")


def yaml_str(value: str) -> Markup:
    """A string as a YAML scalar (JSON is YAML), for front matter."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def attr_text(value: str) -> Markup:
    """Text for an HTML attribute value that MkDocs' theme prints unescaped (the meta description)."""
    return Markup(json.dumps(html.escape(" ".join(str(value).split()), quote=True), ensure_ascii=False))


def link_url(url: object) -> Markup:
    """A web address as the target of a Markdown link, whole: in <...>, where Python-Markdown reads
    parentheses as part of it (https://example.org/a_(b)), with the few characters that would
    end it or start code there percent-encoded."""
    text = str(url)
    for char in " <>`":
        text = text.replace(char, f"%{ord(char):02X}")
    return Markup(f"<{text}>")


def join_items(items: list[str], word: str) -> str:
    """A list as one phrase: ["A mat", "A chair"], "and" -> "A mat and a chair".

    Items are written as a list, each with a capital; in running text only the first keeps
    it. A word in capitals (an abbreviation such as "TV") keeps them."""
    items = [str(i) for i in items]
    rest = [_lower_first(i) for i in items[1:]]
    words = [*items[:1], *rest]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {word} " + words[-1]


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first[1:] == first[1:].lower() else text


def long_date(day, lang: str = "en") -> str:
    """A date as a reader says it: "24 November 2026", "24 de noviembre de 2026"."""
    if lang == "en":
        return day.strftime("%-d %B %Y")
    return babel.dates.format_date(day, "d 'de' MMMM 'de' y", locale=lang)


def environment(lang: str = "en") -> jinja2.Environment:
    """The Markdown environment of a language: every `{{ … }}` goes through md_text; the templates'
    own words through that language's gettext catalog (i18n.py). A translated message is Markup
    (the catalog is ours, like the templates), so md_text leaves its Markdown alone.

    One per language and process, so that a template is compiled once, not by the check and then
    by the pages again (`environment()` and `environment("en")` are the same one); Jinja compiles a
    template again when its file changes (the preview)."""
    return _environment(lang)


@functools.cache
def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader(TEMPLATES),
        finalize=md_text,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Autoescape only makes Jinja keep Markup apart from plain strings;
        # the escaping itself is md_text, applied first by finalize.
        autoescape=True,
    )
    env.filters["zip_longest"] = lambda a, b: list(itertools.zip_longest(a, b))
    env.filters["yaml_str"] = yaml_str
    env.filters["attr_text"] = attr_text
    env.filters["join_items"] = join_items
    env.filters["link_url"] = link_url
    env.filters["md"] = md_text
    env.filters["long_date"] = long_date
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)
    return env


@dataclass(frozen=True)
class Pages:
    """Paths of the generated pages, relative to docs/. One place, so links and nav agree."""

    @staticmethod
    def exercise(slug: str) -> str:
        return f"exercises/{slug}.md"

    @staticmethod
    def category(key: str) -> str:
        return f"categories/{key}.md"

    @staticmethod
    def redirect(alias: str) -> str:
        """The page at an old slug that sends a reader on (a file of the site, not Markdown)."""
        return f"exercises/{alias}/index.html"

    exercises_index = "exercises/index.md"
    why = "why-exercise.md"
    get_help = "get-help.md"  # When to get help: a stable address, /get-help/, linked from every page
    avoid = "avoid.md"
    references = "references.md"
    about = "about.md"

    @staticmethod
    def hand(path: str) -> str:
        """A hand-written page (docs/builder/index.md), as it is named from a generated one."""
        return path


class LangPages:
    """Pages (above) under a language's folder: `LangPages("es/").get_help` is `es/get-help.md`.
    The templates name pages through it, so the same templates make each language's edition."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix

    def exercise(self, slug: str) -> str:
        return self.prefix + Pages.exercise(slug)

    def category(self, key: str) -> str:
        return self.prefix + Pages.category(key)

    def redirect(self, alias: str) -> str:
        return self.prefix + Pages.redirect(alias)

    def hand(self, path: str) -> str:
        return self.prefix + path

    def __getattr__(self, name: str) -> str:
        return self.prefix + getattr(Pages, name)


def lang_prefix(lang: str) -> str:
    """The folder of a language's pages under the site: "" for English (the site's root), "es/"."""
    return "" if lang == "en" else f"{lang}/"


def link(from_page: str, to_page: str, anchor: str = "") -> Markup:
    """A relative Markdown link target from one generated page to another, so MkDocs can check it."""
    up = "../" * from_page.count("/")
    return Markup(up + to_page + (f"#{anchor}" if anchor else ""))


def siblings(guide: Guide, exercise: Exercise, limit: int = SIBLING_LINKS) -> list[Exercise]:
    """The next few exercises after this one in its category, wrapping round: stable and bounded."""
    same = guide.exercises_in(exercise.category)
    at = guide.position_in_category(exercise.slug)
    return [same[(at + k) % len(same)] for k in range(1, min(limit, len(same) - 1) + 1)]


@functools.cache
def _plain_env(autoescape: bool, lang: str = "en") -> jinja2.Environment:
    """A Jinja environment for HTML (autoescape) or JSON/YAML output, in a language; one each, so
    templates compile once."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)
    return env


def page_url(site_url: str | None, slug: str, lang: str = "en") -> str | None:
    """The permanent public address of an exercise page, when the site's address is known."""
    return f"{site_url.rstrip('/')}/{lang_prefix(lang)}exercises/{slug}/" if site_url else None


def json_ld(guide: Guide, exercise: Exercise, site_url: str | None = None, lang: str = "en") -> str:
    """schema.org MedicalWebPage JSON-LD of an exercise page, compact and safe inside <script>."""
    text = _plain_env(False, lang).get_template("jsonld.json.j2").render(
        guide=guide, ex=exercise, category=guide.category(exercise.category),
        url=page_url(site_url, exercise.slug, lang), lang=lang)
    return script_json(json.loads(text))


def script_json(value: object) -> str:
    """Compact JSON that is safe inside a <script> element (no <, > or & as written)."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return compact.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


FIGURES_DIR = "assets/figures"


def figure_file(slug: str, kind: str = "svg") -> str:
    """Where an exercise's small picture (`svg`) or its movement (`json`) is, under the site."""
    return f"{FIGURES_DIR}/{slug}.{kind}"


# What a drawing depends on besides its figure: the drawing code and its templates.
FIGURES_VERSION = code_version(*sorted((Path(__file__).parent.parent / "figures").glob("*.py")),
                               TEMPLATES / "figures.html.j2", TEMPLATES / "thumbnail.svg.j2")


def _drawn(cache, what: str, exercise: Exercise, make, *context: str) -> str:
    """A figure's drawing, from the cache when a build before made the same one."""
    if cache is None:
        return make()
    kind, key = f"figure-{what}:{FIGURES_VERSION}", "\0".join((exercise.figure.model_dump_json(), *context))
    return cache.get_or_make(kind, key, make)


def thumbnail_svg(figure) -> str:
    """An exercise's small picture (its end position), as an SVG file."""
    return _plain_env(True).get_template("thumbnail.svg.j2").render(f=figures.thumbnail(figure))


def figures_html(exercise: Exercise, page: str, cache=None, lang: str = "en") -> Markup:
    """The exercise's drawn positions, as the HTML block that goes under its summary."""
    # A data- attribute, which no generator rewrites: relative to the page's address (raw_root).
    motion_url = raw_root(page) + figure_file(exercise.slug, "json")
    context = (exercise.slug, motion_url) if lang == "en" else (exercise.slug, motion_url, lang)
    return Markup(_drawn(cache, "html", exercise, lambda: _plain_env(True, lang).get_template("figures.html.j2").render(
        frames=figures.frames(exercise.figure), slug=exercise.slug, motion_url=motion_url),
        *context))


RAW_LINKS = ("page", "source")


def raw_root(page: str, raw_links: str = "page") -> str:
    """The way from a page to the site's root, for links in raw HTML (a <link>, a <script>, an <a>
    that is not Markdown).

    Generators disagree on these: MkDocs leaves raw HTML as written, so its links are relative to
    the page's address (exercises/bridge.md is served at exercises/bridge/: "../../"); Zensical
    treats them like Markdown links, relative to the source file ("../"), and rewrites them."""
    if raw_links not in RAW_LINKS:
        raise ValueError(f"raw_links must be one of {RAW_LINKS}, not {raw_links!r}")
    depth = page.count("/") + (raw_links == "page" and not page.endswith("index.md"))
    return "../" * depth


def render_pages(guide: Guide, site_url: str | None = None, *, qr_codes: bool = True,
                 cache=None, raw_links: str = "page", lang: str = "en") -> dict[str, str]:
    """Every generated page: path under docs/ -> Markdown.

    With the site's public address, exercise pages also carry a QR code of their
    permanent address for the printed handout; without it, or with `qr_codes` off
    (the preview, whose address is not the public one), there is none. `cache`
    (a cache.Cache) keeps the codes and drawings from one build to the next. `raw_links` says how
    the generator reads links in raw HTML (see raw_root). `lang` other than English: `guide` is
    that language's edition (translation.py), and its pages are under its folder ("es/...")."""
    env = environment(lang)
    prefix = lang_prefix(lang)
    pages_of = LangPages(prefix)
    by_slug = {e.slug: e for e in guide.exercises}
    common = {"guide": guide, "Pages": pages_of, "link": link, "by_slug": by_slug, "figure_file": figure_file,
              "with_me_words": prefix + WITH_ME_WORDS, "lang": lang, "lang_root": Markup(prefix),
              "grades_placeholder": Markup(GRADES_PLACEHOLDER)}
    pages: dict[str, str] = {}

    def render(template: str, path: str, **context: object) -> None:
        pages[path] = env.get_template(template).render(page=path, raw_root=Markup(raw_root(path, raw_links)),
                                                        **common, **context)

    exercise_template = env.get_template("exercise.md.j2")

    def exercise_page(exercise: Exercise, path: str) -> str:
        url = page_url(site_url, exercise.slug, lang)
        return exercise_template.render(
            page=path, ex=exercise, category=guide.category(exercise.category), at=glance(exercise.dosage),
            jsonld=Markup(json_ld(guide, exercise, site_url, lang)), url=url,
            qr=(qr_svg(url, cache) if url and qr_codes else None),
            figures=figures_html(exercise, path, cache, lang), raw_root=Markup(raw_root(path, raw_links)),
            page_root=Markup(raw_root(path)),
            with_me=Markup(script_json(with_me.plan(guide, exercise))),
            siblings=siblings(guide, exercise), category_size=len(guide.exercises_in(exercise.category)),
            **common,
        )

    for exercise in guide.exercises:
        path = pages_of.exercise(exercise.slug)
        pages[path] = exercise_page(exercise, path)
    for category in guide.categories:
        render("category.md.j2", pages_of.category(category.key), category=category,
               exercises=guide.exercises_in(category.key))
    render("exercises_index.md.j2", pages_of.exercises_index)
    render("why_exercise.md.j2", pages_of.why)
    render("get_help.md.j2", pages_of.get_help)
    render("avoid.md.j2", pages_of.avoid)
    render("references.md.j2", pages_of.references)
    render("about.md.j2", pages_of.about)
    return pages


def edition_files(guide: Guide, lang: str) -> dict[str, str]:
    """The generated files of another language's edition (the pictures are the English edition's):
    redirects at old slugs under its folder, its builder data and its words of "Do it with me"."""
    prefix = lang_prefix(lang)
    redirect = _plain_env(True, lang).get_template("redirect.html.j2")
    files = {prefix + Pages.redirect(alias): redirect.render(ex=exercise, target=f"../{exercise.slug}/", lang=lang)
             for exercise in guide.exercises for alias in exercise.aliases}
    files[prefix + PROGRAM_DATA] = json.dumps(program_data(guide, lang), ensure_ascii=False, separators=(",", ":"))
    files[prefix + WITH_ME_WORDS] = json.dumps(
        json.loads(_plain_env(False, lang).get_template("with_me_words.json.j2").render()),
        ensure_ascii=False, separators=(",", ":"))
    return files


def site_files(guide: Guide, cache=None) -> dict[str, str]:
    """Generated files that are not Markdown pages: path under the site -> text.

    - a redirect page at each old slug of an exercise, so old links and handouts keep working;
    - exercises.json, the data the program builder reads (so it never goes out of date).
    """
    env = _plain_env(True)
    redirect = env.get_template("redirect.html.j2")
    files: dict[str, str] = {}
    for exercise in guide.exercises:
        for alias in exercise.aliases:
            files[Pages.redirect(alias)] = redirect.render(ex=exercise, target=f"../{exercise.slug}/", lang="en")
        files[figure_file(exercise.slug)] = _drawn(cache, "svg", exercise, lambda: thumbnail_svg(exercise.figure))
        files[figure_file(exercise.slug, "json")] = _drawn(cache, "json", exercise,
                                                           lambda: figures.motion(exercise.figure))
    files[PROGRAM_DATA] = json.dumps(program_data(guide), ensure_ascii=False, separators=(",", ":"))
    files[WITH_ME_WORDS] = json.dumps(json.loads(_plain_env(False).get_template("with_me_words.json.j2").render()),
                                      ensure_ascii=False, separators=(",", ":"))
    return files


PROGRAM_DATA = "assets/exercises.json"
WITH_ME_WORDS = "assets/do-it-with-me-words.json"


def program_data(guide: Guide, lang: str = "en") -> dict:
    """What the home-program builder (docs/assets/builder.js) needs, as plain JSON.

    Everything a printed program shows comes from here: each exercise's steps,
    dosage, do/avoid and sources, the safety advice once, and when to get help now. Lists keep the
    order of exercises.yml, so the same data always gives the same file."""
    # Addresses are relative to the edition's root (the folder above builder.js's copy, see
    # pipeline.EDITION_SCRIPTS); the pictures are the English edition's, at the site's root.
    to_root = "../" * lang_prefix(lang).count("/")
    and_word = i18n.translations(lang).gettext("and")  # the templates' own `_("and")`, in `lang`
    return {
        "safety": [p.text for p in guide.safety],
        # The printed program carries the emergency signs and number, and where to read more.
        "emergency": {
            "number": guide.emergency.number, "place": guide.emergency.place,
            "signs": [p.text for p in guide.red_flags.now.signs],
            "cites": list(dict.fromkeys(k for p in guide.red_flags.now.signs for k in p.cites)),
            "url": Pages.get_help.removesuffix(".md") + "/",
        },
        "categories": [{"key": c.key, "title": c.title} for c in guide.categories],
        # The most of each amount (model.LIMITS): the builder holds a link's and a typed amount to them.
        "limits": dict(LIMITS),
        "references": {
            r.key: {"label": r.label, "authors": r.authors, "year": r.year, "title": r.title,
                    "publisher": r.publisher}
            for r in guide.references
        },
        "exercises": [
            {
                "slug": e.slug, "title": e.title, "also_called": list(e.also_called),
                "body_words": list(e.body_words), "category": e.category, "summary": e.summary,
                "position": e.position, "equipment": list(e.equipment),
                # As the exercise page words it ("A mat and a chair"), for the builder's running text.
                "equipment_text": join_items(e.equipment, and_word), "steps": list(e.steps),
                "dosage": e.dosage.model_dump(mode="json", exclude_none=True),
                "do": list(e.do), "avoid": list(e.avoid), "cites": list(e.cites),
                "url": f"exercises/{e.slug}/", "picture": to_root + figure_file(e.slug),
            }
            for e in guide.exercises
        ],
    }


def tag_index(guide: Guide) -> list[tuple[str, list[Exercise]]]:
    """Each tag of the exercises (category title, start position, what you need), sorted, with its
    exercises in the order of exercises.yml: the same tags as the English pages' front matter."""
    tags: dict[str, list[Exercise]] = {}
    for e in guide.exercises:
        for tag in dict.fromkeys([guide.category(e.category).title, e.position, *e.equipment]):
            tags.setdefault(tag, []).append(e)
    return sorted(tags.items(), key=lambda item: item[0].casefold())


def navigation(guide: Guide, lang: str = "en") -> list:
    """The site navigation, as an MkDocs `nav` list, from templates/nav.yml.j2 (of a language's
    edition: its pages, in its words).

    Exercise pages are reached from their category page rather than listed: a nav
    with thousands of entries would be repeated in every page."""
    return yaml.safe_load(_yaml_env(lang).get_template("nav.yml.j2").render(
        guide=guide, Pages=LangPages(lang_prefix(lang))))


def safety_items(guide: Guide) -> str:
    """The builder's safety list (its <li> items), as HTML: the general words of each point,
    the same as assets/exercises.json gives builder.js, so nothing changes when it loads."""
    return _plain_env(True).get_template("safety_items.html.j2").render(points=program_data(guide)["safety"])


@functools.cache
def _yaml_env(lang: str = "en") -> jinja2.Environment:
    """Strings as JSON (valid YAML); one environment, so nav.yml.j2 compiles once per process."""
    return _plain_env(False, lang).overlay(finalize=lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, str) else v)


def grades_table(rows: list[dict] | None, lang: str = "en", of: str | None = None, lang_of_url: str = "en") -> str:
    """The About page's table of pages and reading grades, as HTML (it is inserted after Markdown).

    None: the grades were not measured (the preview), and the page says so. With a second
    language, the About page of `lang_of_url` has one table per language (`of`), captioned, each
    graded with its language's scale; rows' addresses are relative to their own About page."""
    env = _plain_env(True, lang)
    if of is None:
        return env.get_template("grades.html.j2").render(rows=rows, scale=None, caption=None)
    if of != lang_of_url:  # /about/ -> es/..., or /es/about/ -> the English pages one folder up
        shift = "../" if of == "en" else lang_prefix(of)
        rows = [{**row, "url": row["url"].replace("../", "../" + shift, 1)} for row in rows]
    return env.get_template("grades.html.j2").render(rows=rows, scale=None if of == "en" else "INFLESZ", caption=of)
