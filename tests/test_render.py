"""Unit tests of loading and rendering, without MkDocs."""

from __future__ import annotations

import sys

from conftest import DATA
from exercise_guide.pages import render
from exercise_guide.data.validate import load


def test_core_does_not_import_mkdocs():
    import subprocess

    code = ("import sys; sys.path.insert(0, 'hooks'); "
            "from exercise_guide import cli, pipeline; from exercise_guide.data import validate; "
            "from exercise_guide.pages import render; from exercise_guide.finish import readability; "
            "validate.load('exercises.yml'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'mkdocs', 'material'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=DATA.parent, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_load_gives_typed_data():
    guide, warnings = load(DATA)
    assert warnings == []
    assert {r.label for r in guide.references} >= {"Ullrich (2009)", "AAOS (2010)"}
    for ex in guide.exercises:
        assert ex.steps and ex.cites and ex.do and ex.avoid


def test_one_page_per_exercise_and_per_category():
    guide, _ = load(DATA)
    pages = render.render_pages(guide)
    for ex in guide.exercises:
        assert f"exercises/{ex.slug}.md" in pages
    for c in guide.categories:
        assert f"categories/{c.key}.md" in pages


def test_plain_text_is_escaped_for_markdown_and_html():
    assert render.md_text("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert render.md_text("[a](b)") == r"\[a\](b)"
    assert render.md_text("{: onclick=x }") == r"\{: onclick=x \}"
    assert render.md_text("- not a list") == r"\- not a list"
    assert render.md_text("1. not a list") == r"1\. not a list"
    assert render.md_text("a | b") == r"a \| b"
    assert render.md_text("line\nbreak") == "line break"


def test_sibling_links_are_bounded(guide):
    """A category of thousands must not make every page list thousands of links."""
    big = guide.model_copy(update={"exercises": [
        ex.model_copy(update={"slug": f"{ex.slug}-{i}"}) for i in range(50) for ex in guide.exercises
    ]})
    first = big.exercises[0]
    assert len(render.siblings(big, first)) == render.SIBLING_LINKS
    assert first not in render.siblings(big, first)


def test_navigation_lists_categories_not_exercises(guide):
    nav = render.navigation(guide)
    flat = str(nav)
    for c in guide.categories:
        assert f"categories/{c.key}.md" in flat
    assert not any(f"exercises/{e.slug}.md" in flat for e in guide.exercises)
