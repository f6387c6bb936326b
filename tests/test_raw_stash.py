"""Issue 14: the generated pages' inline SVG set aside while Markdown converts them (rawstash.py)
changes nothing: every generated page of the real site, with its QR code, converts to the same
HTML, table of contents and anchor ids either way."""

from __future__ import annotations

import markdown
from mkdocs.config import load_config
from mkdocs.structure.pages import _RawHTMLPreprocessor

from conftest import MKDOCS_ONLY, ROOT, build_env
from exercise_guide import rawstash
from exercise_guide.pages import render

pytestmark = MKDOCS_ONLY  # the MkDocs hook's own events (the Zensical build has its own)


def convert(text: str, config) -> tuple[str, list, set]:
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    raw = _RawHTMLPreprocessor()
    raw._register(md)  # what MkDocs reads from raw HTML: anchor ids
    html = md.convert(text)
    return html, md.toc_tokens, raw.present_anchor_ids


def test_every_generated_page_converts_the_same_with_its_svg_set_aside(guide, monkeypatch):
    for name, value in build_env().items():
        monkeypatch.setenv(name, value)
    config = load_config(str(ROOT / "mkdocs.yml"))
    pages = render.render_pages(guide, "https://guide.example.org/")
    stashed_any = 0
    for src_uri, text in pages.items():
        body = text.split("\n---\n", 1)[-1]  # after the front matter, as MkDocs converts it
        stashed, svg = rawstash.stash(body)
        stashed_any += bool(svg)
        expected = convert(body, config)
        html, toc, anchors = convert(stashed, config)
        assert (rawstash.unstash(html, svg), toc, anchors) == expected, src_uri
    assert stashed_any >= len(guide.exercises)  # every exercise page has its figures and QR code set aside


def test_what_is_not_set_aside_and_a_changed_placeholder():
    drawing = '<svg viewBox="0 0 10 10"><title>x</title>' + "<path d='M0 0L1 1'/>" * 20 + "</svg>"
    anchored = drawing.replace("<title>", '<g id="part"></g><title>')
    text, svg = rawstash.stash(f"<div>{drawing}</div>\n\n<div>{anchored}</div>\n")
    assert svg == [drawing] and anchored in text  # an id could be a link's target: MkDocs must read it
    html = text.replace('data-stash="0"', 'data-stash="0" class="x"')
    assert rawstash.unstash(html, svg) is None
    assert rawstash.unstash(text, svg) == f"<div>{drawing}</div>\n\n<div>{anchored}</div>\n"
