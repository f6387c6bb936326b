"""Every file the build makes from exercises.yml, and the field each one comes from.

Two things landing on one address lose one of them without a word: `slug: index` made
the exercise page `exercises/index.md`, the list of all exercises, so the Walking page was
gone and the builder linked to nothing. So each generated path (exercise and category
pages, their picture files, the redirects at old slugs, the fixed pages in render.Pages, the
builder's data) is listed with its origin, turned into the file it becomes in site/ (with
MkDocs' directory URLs, `a/b.md` becomes `a/b/index.html`), and checked against every other
one and against the hand-written files under docs/. Works on the plain data, so it runs even
when some other field is wrong. (tests/test_robustness.py checks that every file render.py
makes is listed here.)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from posixpath import dirname, join, splitext

from .render import PROGRAM_DATA, WITH_ME_WORDS, Pages, figure_file

Origin = tuple  # the field path in exercises.yml, or () for a page the site always makes


def hand_written(docs_dir: str | Path) -> list[str]:
    """The files under docs/ (as `a/b.md`), leaving out hidden ones as MkDocs does."""
    root = Path(docs_dir)
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


def output_of(src: str, directory_urls: bool = True) -> str:
    """Where a file under docs/ ends up in site/: `exercises/walk.md` -> `exercises/walk/index.html`."""
    stem, ext = splitext(src)
    if ext != ".md":
        return src
    name = stem.rsplit("/", 1)[-1]
    if name in ("index", "README"):
        return join(dirname(stem), "index.html")
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


def fixed_pages() -> dict[str, str]:
    """The pages the site always makes (render.Pages' plain names), with their attribute names."""
    pages = {value: name for name, value in vars(Pages).items()
             if not name.startswith("_") and isinstance(value, str) and value.endswith(".md")}
    pages[PROGRAM_DATA] = "builder's data"
    pages[WITH_ME_WORDS] = "words of Do it with me"
    return pages


def generated(data: dict) -> list[tuple[str, Origin, str]]:
    """(path under docs/, field it comes from, what it is) for every file the build makes."""
    out: list[tuple[str, Origin, str]] = [
        (path, (), f"the {name.replace('_', ' ')} {'file' if path.endswith('.json') else 'page'} the site makes")
        for path, name in fixed_pages().items()]

    def blocks(name: str) -> Iterable[tuple[int, dict]]:
        value = data.get(name)
        return ((i, v) for i, v in enumerate(value) if isinstance(v, dict)) if isinstance(value, list) else ()

    for i, ex in blocks("exercises"):
        if isinstance(ex.get("slug"), str):
            out.append((Pages.exercise(ex["slug"]), ("exercises", i, "slug"), f"the page of exercises[{i}]"))
            out += [(figure_file(ex["slug"], kind), ("exercises", i, "slug"), f"the picture file of exercises[{i}]")
                    for kind in ("svg", "json")]
        for j, alias in enumerate(ex.get("aliases") if isinstance(ex.get("aliases"), list) else []):
            if isinstance(alias, str):
                out.append((Pages.redirect(alias), ("exercises", i, "aliases", j),
                            f"the old address of exercises[{i}]"))
    for i, category in blocks("categories"):
        if isinstance(category.get("key"), str):
            out.append((Pages.category(category["key"]), ("categories", i, "key"), f"the page of categories[{i}]"))
    return out


def collisions(data: dict, docs: Iterable[str] = ()) -> list[tuple[Origin, str | None, str]]:
    """(field, hand-written file, message) for each generated file whose place in site/ is taken.

    The field is () and the file is set when a hand-written file takes the place of a page the
    site always makes: then that file is the one to rename."""
    taken: dict[str, tuple[str, str | None]] = {
        output_of(src): (f"docs/{src}, a hand-written file", f"docs/{src}") for src in docs}
    found: list[tuple[Origin, str | None, str]] = []
    # Fixed pages first: the field of exercises.yml is the one to change, never the site's own page.
    for src, origin, what in sorted(generated(data), key=lambda g: bool(g[1])):
        out = output_of(src)
        if out not in taken:
            taken[out] = (what, None)
        elif origin:
            found.append((origin, None, f"makes the file {out}, which is already {taken[out][0]}; "
                                        "choose another name"))
        else:
            found.append(((), taken[out][1], f"this file takes the place of {what} ({out}); rename it"))
    return found
