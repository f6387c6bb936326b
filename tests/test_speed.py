"""Issue 14: what is cached or left out for speed changes nothing a reader sees, except where meant.

- A build that reuses .cache/ (QR codes, grades, compiled templates) makes the same site, byte for
  byte, as a first build and as one whose cache is damaged.
- The preview (a real `mkdocs serve`) has no QR codes (its address is not the public one) and does
  not grade pages unless asked; an edit to exercises.yml, its text or a picture's caption, is served.
- Validation and rendering draw on one scene per figure.
- A page given to MkDocs as converted before (pages/converted.py) still has its links checked: a
  link to an anchor that has gone fails the strict build, as it would on a first build.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request

import pytest

from conftest import CACHE_DIR, ENGINE, MKDOCS, build_env, build_site, make_project, serving
from exercise_guide import figures
from exercise_guide.pages import render
from exercise_guide.figures import scene
from exercise_guide.data.validate import load
from test_reproducible import tree

SITE_URL = "https://guide.example.org/"


def test_a_build_from_the_cache_is_the_same_site(tmp_path, guide):
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL})
    cache = project / CACHE_DIR / "cache.json"
    sites = {}
    for kind in ("first", "cached", "damaged"):
        if kind == "damaged":
            cache.write_text('{"qr:segno": {"https://guide.example.org/exercises/', encoding="utf-8")
        result = build_site(project / kind, project / "mkdocs.yml")
        assert result.returncode == 0, result.stderr
        sites[kind] = tree(project / kind)
        if kind == "first":
            kept = json.loads(cache.read_text(encoding="utf-8"))
            grades = [g for k, v in kept.items() if k.startswith("grade:") for g in v]  # each language's
            codes = next(v for k, v in kept.items() if k.startswith("qr:"))
            assert len(codes) == len(guide.exercises) * len(guide.languages)  # one per exercise page, each language
            assert len(grades) >= len([p for p in sites[kind] if p.endswith("index.html")]) - len(
                [e for e in guide.exercises for _ in e.aliases])
    for kind in ("cached", "damaged"):
        differ = [name for name in sites["first"] if sites["first"][name] != sites[kind].get(name)]
        assert sorted(sites[kind]) == sorted(sites["first"]) and not differ, f"{kind}: {differ[:5]}"
    slug = guide.exercises[0].slug
    page = sites["cached"][f"exercises/{slug}/index.html"].decode()
    assert f"{SITE_URL}exercises/{slug}/" in re.search(r'<div class="handout-qr">(.*?)</div>', page, re.S).group(1)
    assert re.search(r"<td>\d+\.\d</td>", sites["cached"]["about/index.html"].decode()), "no grades in About"


@pytest.mark.skipif(ENGINE != "mkdocs", reason="pages converted before are given to MkDocs only")
def test_a_page_converted_before_still_has_its_links_checked(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "docs" / "linker.md").write_text("# Linker\n\nSee [the part](other.md#the-part).\n", encoding="utf-8")
    other = project / "docs" / "other.md"
    other.write_text("# Other\n\n## The part\n\nText.\n", encoding="utf-8")
    first = build_site(tmp_path / "first", project / "mkdocs.yml")
    assert first.returncode == 0, first.stderr
    kept = json.loads((project / CACHE_DIR / "cache.json").read_text(encoding="utf-8"))
    assert any(k.startswith("converted:") and len(v) > 20 for k, v in kept.items())  # every page kept

    other.write_text("# Other\n\n## Another part\n\nText.\n", encoding="utf-8")  # linker.md is as it was
    second = build_site(tmp_path / "second", project / "mkdocs.yml")
    assert second.returncode != 0
    assert "Doc file 'linker.md' contains a link 'other.md#the-part'" in second.stderr, second.stderr[-2000:]
    assert "does not contain an anchor '#the-part'" in second.stderr


def test_the_qr_code_is_segnos_code_of_the_address_with_a_fixed_mask():
    import segno

    from exercise_guide.pages import qr

    url = f"{SITE_URL}exercises/knee-to-chest/"
    chosen = segno.make(url, error="m")  # segno's own choice of mask
    fixed = segno.make(url, error="m", mask=qr.MASK)
    assert (fixed.version, fixed.error, fixed.mask) == (chosen.version, chosen.error, qr.MASK)
    assert str(qr.qr_svg(url)) == fixed.svg_inline(scale=3, border=2, omitsize=False, title=url,
                                                   svgclass="handout-qr__code")


def test_validation_and_rendering_build_each_figure_once(monkeypatch):
    from conftest import DATA

    figures.placed.cache_clear()
    figures.frames.cache_clear()
    figures.motion.cache_clear()
    built = []
    real = scene.build
    monkeypatch.setattr(scene, "build", lambda figure, tween=False: built.append(tween) or real(figure, tween))
    guide, _ = load(DATA)
    render.render_pages(guide)
    render.site_files(guide)
    assert built.count(False) == len(guide.exercises)  # once for check and page, not twice
    assert built.count(True) == len(guide.exercises)   # the animation's in-between poses


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = get(url)
        if page and text in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.fixture
def preview(tmp_path):
    """`mkdocs serve` of a project copy whose mkdocs.yml sets the public site_url."""
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL})
    with serving(project) as base:
        yield project, base


def test_the_preview_has_no_qr_codes_or_grades_and_shows_each_edit(preview, guide):
    project, base = preview
    ex = guide.exercises[0]
    page = wait_for(f"{base}/exercises/{ex.slug}/", ex.title)
    assert "handout-qr" not in page  # a code of http://127.0.0.1:…/ would be wrong on paper
    about = wait_for(f"{base}/about/", "About this guide")
    assert "This preview does not measure the grades" in about and "reading-grades\"" not in about
    assert not (project / ".cache" / "exercise-guide" / "cache.json").exists()

    data = project / "exercises.yml"
    text = data.read_text(encoding="utf-8")
    first_word = ex.summary.split()[0]
    caption = ex.figure.frames[0].caption
    at = text.index(f"slug: {ex.slug}")
    edited = text[at:].replace(f"summary: {first_word}", "summary: Gently", 1).replace(
        f"caption: {caption}", f"caption: {caption} now", 1)
    assert edited != text[at:]
    data.write_text(text[:at] + edited, encoding="utf-8")
    page = wait_for(f"{base}/exercises/{ex.slug}/", "Gently")
    assert f"{caption} now" in page, "the picture's caption was not redrawn"
