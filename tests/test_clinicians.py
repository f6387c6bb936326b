"""For clinicians: permanent links, the copy-link control and section links, handout QR codes, machine-readable pages."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import yaml

from conftest import build_site, make_project, serve_directory
from exercise_guide.pages import render
from exercise_guide.data.source import parse

# `browser` (one headless Chromium for the session) comes from conftest.py.


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory, guide):
    """The real data with the first exercise renamed, its old slug kept under `aliases`."""
    old = guide.exercises[0].slug
    new = old + "-renamed"
    data = yaml.safe_load((make_project.__globals__["DATA"]).read_text(encoding="utf-8"))
    data["exercises"][0]["slug"] = new
    data["exercises"][0]["aliases"] = [old]
    for ex in data["exercises"]:
        for option in ("easier", "harder"):
            if isinstance(ex.get(option), dict) and ex[option].get("exercise") == old:
                ex[option]["exercise"] = new
    project = make_project(tmp_path_factory.mktemp("renamed") / "project", yaml.safe_dump(data, sort_keys=False))
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    with serve_directory(project / "site") as url:
        yield url, old, new, guide.exercises[0].title


def test_old_link_of_a_renamed_exercise_still_opens_it(new_context, renamed_site):
    base, old, new, title = renamed_site
    page = new_context().new_page()
    page.goto(f"{base}/exercises/{old}/#how-much")
    page.wait_for_url(f"{base}/exercises/{new}/#how-much")
    assert page.locator("article h1").inner_text().rstrip("#").strip() == title
    assert page.locator("#how-much").is_visible()


def test_one_copy_link_control_works_with_a_keyboard(new_context, site_url, guide):
    """One "Copy link to this exercise" button per page (issue 17), not one per section."""
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    slug = guide.exercises[0].slug
    page.goto(f"{site_url}/exercises/{slug}/#how-much")
    buttons = page.locator("button.copy-link")
    assert buttons.count() == 1
    assert buttons.inner_text().strip() == "Copy link to this exercise"
    buttons.focus()
    page.keyboard.press("Enter")
    expect_url = f"{site_url}/exercises/{slug}/"  # the page, not the section it was opened at
    page.wait_for_function("t => document.querySelector('.copy-link-status').textContent.includes(t)", arg=expect_url)
    assert page.evaluate("navigator.clipboard.readText()") == expect_url


def test_each_section_link_shows_on_keyboard_focus(new_context, site_url, guide):
    """Section addresses stay: each heading's "#" permalink, unseen until pointed at or focused."""
    page = new_context().new_page()
    slug = guide.exercises[0].slug
    page.goto(f"{site_url}/exercises/{slug}/")
    for section in ("how-to-do-it", "how-much", "do-and-avoid", "safety", "sources"):
        link = page.locator(f"h2#{section} a.headerlink")
        assert link.get_attribute("href") == f"#{section}"
        assert link.evaluate("a => getComputedStyle(a).opacity") == "0", f"#{section}: link shown unasked"
        link.focus()
        page.wait_for_function("a => getComputedStyle(a).opacity === '1'", arg=link.element_handle())
        page.keyboard.press("Enter")
        page.wait_for_function("h => location.hash === h", arg=f"#{section}")


def test_exercise_pages_describe_themselves_for_machines(built_site, guide):
    for ex in guide.exercises:
        html = (built_site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert description and unescape(description.group(1)) == ex.summary
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, f"{ex.slug}: expected one JSON-LD block"
        data = json.loads(blocks[0])
        assert data["@type"] == "MedicalWebPage"
        assert data["audience"]["@type"] == "Patient"
        assert data["about"]["name"] == ex.title
        assert data["lastReviewed"] == ex.reviewed.date.isoformat()
        assert [c["name"] for c in data["citation"]] == [guide.reference(k).title for k in ex.cites]
        assert ex.reviewed.by in unescape(html)


def test_json_ld_cannot_break_out_of_its_script():
    text = render.json_ld.__doc__  # the promise under test
    assert "safe inside <script>" in text
    guide_text = (make_project.__globals__["DATA"]).read_text(encoding="utf-8")
    from exercise_guide.data.model import Guide

    guide = Guide.model_validate(parse(guide_text.encode(), "exercises.yml").data)
    ex = guide.exercises[0].model_copy(update={"summary": "</script><script>alert(1)</script>"})
    out = render.json_ld(guide, ex)
    assert "</script" not in out and json.loads(out)["description"] == ex.summary


def test_handouts_carry_a_qr_code_only_when_the_site_address_is_known(tmp_path, built_site, guide, new_context):
    slug = guide.exercises[0].slug
    without = (built_site / "exercises" / slug / "index.html").read_text(encoding="utf-8")
    assert "handout-qr" not in without
    project = make_project(tmp_path / "project", config_changes={"site_url": "https://guide.example.org/"})
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "exercises" / slug / "index.html").read_text(encoding="utf-8")
    qr = re.search(r'<div class="handout-qr">\s*(<svg.*?</svg>)', html, re.S)
    assert qr, "no QR code on the page"
    assert f"https://guide.example.org/exercises/{slug}/" in qr.group(1)  # its title names the address
    assert "<script" not in qr.group(1)

    # On paper and on a clinician's screen (a patient scans it there); a phone cannot scan its own
    # screen, so there it would only push the pictures down.
    with serve_directory(project / "site") as url:
        for width, media, shown in ((375, "screen", False), (1280, "screen", True), (1280, "print", True)):
            page = new_context(viewport={"width": width, "height": 900}).new_page()
            page.emulate_media(media=media)
            page.goto(f"{url}/exercises/{slug}/")
            assert page.locator(".handout-qr svg").is_visible() is shown, f"{width} px, {media}"


def test_builder_data_follows_exercises_yml(built_site, guide):
    data = json.loads((built_site / render.PROGRAM_DATA).read_text(encoding="utf-8"))
    assert [e["slug"] for e in data["exercises"]] == [e.slug for e in guide.exercises]
    first = data["exercises"][0]
    assert first["steps"] == list(guide.exercises[0].steps)
    assert data["safety"] == [p.text for p in guide.safety]
    for key in first["cites"]:  # a printed program names its sources in full
        ref = guide.reference(key)
        assert data["references"][key] == {"label": ref.label, "authors": ref.authors, "year": ref.year,
                                           "title": ref.title, "publisher": ref.publisher}
