"""`exercise-guide`: check, render and describe exercises.yml without MkDocs.

    exercise-guide check [FILE] [--strict]   report every mistake; exit 1 if any
    exercise-guide render DIR [--data FILE] [--site-url URL] [--raw-links page|source]
                                             write the generated pages (and redirects, builder data) into DIR
    exercise-guide schema                     print the JSON Schema of exercises.yml
    exercise-guide translate LANG [--data FILE] [--write]
                                             what a translator must do for exercises.LANG.yml (missing and
                                             changed texts, with their English); --write adds them to it
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jinja2

from .pages import render, site_paths, template_problems
from .data.model import Guide
from .data.problems import SourceError
from .data.validate import load
from .data import translation
from .data.source import read

DEFAULT_DATA = "exercises.yml"


def json_schema() -> str:
    """The JSON Schema of exercises.yml, as committed in exercises.schema.json."""
    schema = Guide.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exercise-guide", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate exercises.yml and print what is wrong")
    check.add_argument("data", nargs="?", default=DEFAULT_DATA)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors, as `mkdocs build --strict` does")
    rend = sub.add_parser("render", help="write every generated Markdown page into DIR")
    rend.add_argument("dir")
    rend.add_argument("--data", default=DEFAULT_DATA)
    rend.add_argument("--site-url", default=None, help="the public address, as site_url in mkdocs.yml (adds QR codes)")
    rend.add_argument("--raw-links", choices=render.RAW_LINKS, default="page",
                      help="how the generator reads links in raw HTML: 'page' (MkDocs: as written, relative to "
                           "the page's address) or 'source' (Zensical: relative to the Markdown file)")
    sub.add_parser("schema", help="print the JSON Schema of exercises.yml")
    trans = sub.add_parser("translate", help="list the texts of exercises.yml still to translate into LANG")
    trans.add_argument("lang", choices=[lang for lang in translation.LANGUAGES if lang != "en"])
    trans.add_argument("--data", default=DEFAULT_DATA)
    trans.add_argument("--write", action="store_true",
                       help="write exercises.LANG.yml with an entry for each of them (its English, marked TODO), "
                            "keeping the translations already made")
    args = parser.parse_args(argv)

    if args.command == "schema":
        sys.stdout.write(json_schema())
        return 0
    if args.command == "translate":
        return _translate(args.data, args.lang, args.write)

    data = args.data
    try:
        # Messages name the file as typed, for jump-to-line; docs/ beside it holds the hand-written pages.
        guide, warnings = load(data, name=data, docs=site_paths.hand_written(Path(data).parent / "docs"))
    except SourceError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)

    if args.command == "check":
        problems = _translation_problems(data, guide)
        for warning in problems[1]:
            print(f"warning: {warning}", file=sys.stderr)
        if problems[0]:
            print(SourceError(problems[0]).report(), file=sys.stderr)
            return 1
        if (warnings or problems[1]) and args.strict:
            return 1
        print(f"{data}: OK: {len(guide.exercises)} exercises, {len(guide.categories)} categories, "
              f"{len(guide.references)} references")
        return 0

    out = Path(args.dir)
    try:
        pages = render.render_pages(guide, args.site_url, raw_links=args.raw_links)
        files = render.site_files(guide)
    except jinja2.TemplateError as exc:  # a template's path and line, not a traceback
        print(template_problems.problem_of(exc, render.TEMPLATES, lambda name: f"templates/{name}"), file=sys.stderr)
        return 1
    for rel, text in {**pages, **files}.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} Markdown pages and {len(files)} other files into {out}")
    return 0


def _translation_problems(data: str, guide: Guide) -> tuple[list, list]:
    """(errors, warnings) of the translation files of the languages exercises.yml turns on."""
    errors, warnings = [], []
    for lang in guide.languages[1:]:
        file = translation.translation_file(data, lang)
        try:
            catalog = translation.read_catalog(file, lang, name=str(file))
            found = translation.problems(read(data, name=data), catalog)
        except SourceError as exc:
            errors += exc.problems
            continue
        errors += found[0]
        warnings += found[1]
    return errors, warnings


def _translate(data: str, lang: str, write: bool) -> int:
    """Print what a translator must do (exit 1 if anything); with --write, the skeleton too."""
    file = translation.translation_file(data, lang)
    try:
        located = read(data, name=data)
        catalog = translation.read_catalog(file, lang, name=str(file))
    except SourceError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(translation.report(located, catalog))
    todo = translation.todo(located, catalog)
    if write and todo:
        file.write_text(translation.skeleton(located, catalog), encoding="utf-8")
        print(f"\nwrote {file}: replace each `{lang}: TODO ...` with the translation.")
    return 1 if todo else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
