"""`exercise-guide`: check, render and describe exercises.yml without MkDocs.

    exercise-guide check [FILE] [--strict]   report every mistake; exit 1 if any
    exercise-guide render DIR [--data FILE] [--site-url URL] [--raw-links page|source]
                                             write the generated pages (and redirects, builder data) into DIR
    exercise-guide schema                     print the JSON Schema of exercises.yml
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
    args = parser.parse_args(argv)

    if args.command == "schema":
        sys.stdout.write(json_schema())
        return 0

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
        if warnings and args.strict:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
