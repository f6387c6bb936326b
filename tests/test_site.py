"""The patient site, from a real `mkdocs build --strict` of the real exercises.yml.

Each check is something a patient or clinician would notice: a missing page or
section, a citation that leads nowhere, an exercise search cannot find, or a
request to a third party.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import search_ui
from conftest import ROOT, VENV_BIN
from exercise_guide.pages import render

SECTIONS = ["why-this-helps", "safety", "how-to-do-it", "how-much", "do-and-avoid", "sources", "more"]


class Ids(HTMLParser):
    """Every id in a page, and every link with its text."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def exercise_html(site: Path, slug: str) -> str:
    page = site / "exercises" / slug / "index.html"
    assert page.is_file(), f"no page for exercise {slug!r} at /exercises/{slug}/"
    return page.read_text(encoding="utf-8")


def test_every_exercise_page_has_every_section(built_site, guide):
    for ex in guide.exercises:
        html = article(exercise_html(built_site, ex.slug))
        ids = Ids(html).ids
        missing = [s for s in SECTIONS if s not in ids]
        assert not missing, f"{ex.slug}: sections missing: {missing}"
        assert f">{ex.title}<" in html or f">{ex.title}<a" in html, f"{ex.slug}: title not shown"
        # every step, in order, as a numbered list
        steps = re.search(r'id="how-to-do-it".*?<ol>(.*?)</ol>', html, re.S)
        assert steps, f"{ex.slug}: no numbered steps"
        assert steps.group(1).count("<li>") == len(ex.steps)
        # do and avoid: two lists under their names, every item (issue 23: the rows did not pair)
        part = html[html.index('id="do-and-avoid"'):html.index('id="safety"')]
        assert re.search(r"</svg></span> Do</strong>.*?</svg></span> Avoid</strong>", part, re.S), f"{ex.slug}: no Do/Avoid"
        assert part.count("<li>") == len(ex.do) + len(ex.avoid)
        # dosage figures appear in the how-much section
        how_much = html[html.index('id="how-much"'):html.index('id="do-and-avoid"')]
        for figure in (ex.dosage.repetitions, ex.dosage.hold_seconds, ex.dosage.minutes):
            if figure:
                assert f"{figure} " in how_much, f"{ex.slug}: dosage figure {figure} not shown"


def test_every_exercise_page_carries_the_safety_advice(built_site, guide):
    """The full safety box after do/avoid, in words that fit the page's category (issue 17), and
    the safety rule, with a link to that box, before the steps."""
    for ex in guide.exercises:
        html = article(exercise_html(built_site, ex.slug))
        safety = html[html.index('id="safety"'):html.index('id="why-this-helps"')]
        assert 'class="admonition' in safety, f"{ex.slug}: safety advice is not in a box"
        for point in guide.safety:
            assert point.text_for(ex.category) in safety, f"{ex.slug}: safety point missing: {point.text}"
        before_steps = html[:html.index('id="how-to-do-it"')]
        rule = re.search(r'<p class="safety-line">(.*?)</p>', before_steps, re.S)
        assert rule, f"{ex.slug}: no safety rule before the steps"
        assert "Stop if it hurts or makes your pain worse" in rule.group(1) and 'href="#safety"' in rule.group(1)


def test_citations_resolve_to_reference_entries(built_site, guide):
    references = Ids((built_site / "references" / "index.html").read_text()).ids
    for ex in guide.exercises:
        html = article(exercise_html(built_site, ex.slug))
        sources = html[html.index('id="sources"'):]
        cited = re.findall(r'href="\.\./\.\./references/#([^"]+)"', sources)
        assert sorted(set(cited)) == sorted(ex.cites), f"{ex.slug}: sources list {cited}, data cites {ex.cites}"
        for key in cited:
            assert key in references, f"{ex.slug} cites #{key}, which the References page does not have"
    for ref in guide.references:
        page = (built_site / "references" / "index.html").read_text()
        assert ref.title in page and str(ref.year) in page and "10 January 2011" in page


def test_exercise_links_point_to_pages_that_exist(built_site, guide):
    for ex in guide.exercises:
        page_dir = built_site / "exercises" / ex.slug
        for href in Ids(article(exercise_html(built_site, ex.slug))).links:
            if href.startswith(("#", "http://", "https://", "mailto:")):
                continue
            target = (page_dir / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{ex.slug}: broken link {href}"


def test_every_local_address_in_every_page_exists(built_site):
    """Every href and src of every HTML file (links, stylesheets, scripts, pictures, the theme's
    too) leads to a file of the site: each generator writes raw-HTML links its own way."""
    broken = []
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S | re.I) + "".join(
            re.findall(r"<script\b[^>]*src=[^>]*>", html, flags=re.I))  # script texts are code, not markup
        for address in re.findall(r'\b(?:href|src)="([^"]*)"', html):
            path = address.split("#")[0].split("?")[0]
            if not path or re.match(r"^[a-z][a-z0-9+.-]*:", path):
                continue  # same page, or another scheme (https:, tel:, data:)
            # The 404 page is served at any address: its links start at the site's root.
            target = (built_site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(built_site)}: {address}")
    assert not broken, "\n".join(sorted(set(broken))[:30])


def test_exercise_pages_link_their_category_and_siblings(built_site, guide):
    for ex in guide.exercises:
        html = article(exercise_html(built_site, ex.slug))
        more = html[html.index('id="more"'):]
        # Where each link leads, however the generator writes it ("../x/" or "../../exercises/x/").
        targets = {posixpath.normpath(posixpath.join(f"/exercises/{ex.slug}/", href)) + "/"
                   for href in re.findall(r'href="([^"#]+)"', more)}
        assert f"/categories/{ex.category}/" in targets
        others = [e for e in guide.exercises_in(ex.category) if e.slug != ex.slug]
        for other in others[: render.SIBLING_LINKS]:
            assert f"/exercises/{other.slug}/" in targets, f"{ex.slug}: no link to {other.slug}"


def test_category_pages_list_their_exercises(built_site, guide):
    for category in guide.categories:
        html = article((built_site / "categories" / category.key / "index.html").read_text())
        assert category.purpose in html
        for ex in guide.exercises_in(category.key):
            assert f'href="../../exercises/{ex.slug}/"' in html and ex.summary in html


def test_site_wide_pages_exist(built_site, guide):
    why = article((built_site / "why-exercise" / "index.html").read_text())
    for point in guide.why_exercise.points:
        assert point.text in why
    avoid = article((built_site / "avoid" / "index.html").read_text())
    for activity in guide.activities_to_avoid:
        assert f'id="{activity.key}"' in avoid and activity.why in avoid
    home = (built_site / "index.html").read_text()
    assert "stop at once" in article(home).lower()


class Menu(HTMLParser):
    """The links of the site's menu (Material's primary navigation), as (address from the site's
    root, text), in order; the page's own table of contents (the secondary navigation) left out."""

    def __init__(self, html: str, page: str):
        super().__init__()
        self.page, self.links, self.href, self.text = page, [], None, []
        self.navs: list[bool] = []  # the <nav> elements open here, each: is it a table of contents?
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "nav" and (self.navs or "md-nav--primary" in classes):
            self.navs.append("md-nav--secondary" in classes)
        elif tag == "a" and self.navs and not any(self.navs) and "md-nav__link" in classes:
            self.href, self.text = attrs["href"], []

    def handle_endtag(self, tag):
        if tag == "nav" and self.navs:
            self.navs.pop()
        elif tag == "a" and self.href is not None:
            where = posixpath.normpath(posixpath.join(self.page, self.href))
            self.links.append((where.rstrip("/") + "/", " ".join("".join(self.text).split())))
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.text.append(data)


def test_navigation_comes_from_the_data(built_site, guide):
    """The menu lists each category of exercises.yml, by its title, under Exercises; exercise pages are
    reached from their category, so the menu never repeats the whole library."""
    menu = Menu((built_site / "exercises" / "index.html").read_text(encoding="utf-8"), "/exercises/").links
    assert ("/exercises/", "Exercises") in menu, menu
    after = menu[menu.index(("/exercises/", "Exercises")) + 1:]
    categories = [(f"/categories/{c.key}/", c.title) for c in guide.categories]
    assert after[:len(categories)] == categories, f"the menu under Exercises: {after}"
    for page in ("index.html", "exercises/index.html", f"categories/{guide.categories[0].key}/index.html"):
        where = "/" + page[: -len("index.html")]
        links = Menu((built_site / page).read_text(encoding="utf-8"), where).links
        assert links, f"no menu on {where}"
        assert not [a for a, _ in links if a.startswith("/exercises/") and a != "/exercises/"], (where, links)


def test_search_index_holds_every_exercise(built_site, guide):
    entries = search_ui.index_entries(built_site)
    locations = {doc["url"] for doc in entries}
    texts = " ".join(doc["text"] + " " + doc["title"] for doc in entries).lower()
    for ex in guide.exercises:
        assert f"exercises/{ex.slug}/" in locations, f"{ex.slug} is not in the search index"
        for muscle in ex.muscles:
            assert muscle.medical.lower() in texts


def test_tags_index_lists_categories_positions_and_equipment(built_site, guide):
    tags = article((built_site / "tags" / "index.html").read_text())
    for ex in guide.exercises:
        for name in (guide.category(ex.category).title, ex.position, *ex.equipment):
            assert name in tags, f"tag {name!r} missing from the tag index"


def test_build_made_no_network_request(site_build):
    _, netlog = site_build
    lines = netlog.read_text().splitlines()
    assert any(line.startswith("watching ") for line in lines), "the network watcher (tests/netwatch) never loaded"
    calls = [line for line in lines if not line.startswith("watching ")]
    assert not calls, "the build tried the network:\n" + "\n".join(calls)


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="(https?:)?//([^"/]+)', html):
            pytest.fail(f"{page.relative_to(built_site)} loads from {match.group(2)}")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_cli_render_writes_what_the_hook_feeds_mkdocs(tmp_path, guide):
    out = tmp_path / "pages"
    result = subprocess.run([str(VENV_BIN / "exercise-guide"), "render", str(out)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    expected = render.render_pages(guide)
    written = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert written == expected
    assert {f"exercises/{e.slug}.md" for e in guide.exercises} <= set(written)


def test_cli_check_accepts_the_real_data():
    result = subprocess.run([str(VENV_BIN / "exercise-guide"), "check", "--strict"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
