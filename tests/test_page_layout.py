"""An exercise page made for doing the exercise (issue 17).

From the session's real build (and, where a patient would notice it, a real browser): the order
of the page, the "At a glance" box and its figures, the safety rule before the steps and safety
words that fit the page, one copy-link control, tags after the content, key points, the printed
7-day log, "Add to my home program", the home and About pages, and the page-weight budget.
"""

from __future__ import annotations

import gzip
import re
from html import unescape
from urllib.parse import urlsplit

import pytest

import search_ui
from exercise_guide.pages import glance, render
from exercise_guide.data.model import Dosage
from test_bad_input import BASE, check, fails_with, pos, edit

# The page's parts, in the order a patient doing the exercise needs them.
ORDER = ["at-a-glance", "how-to-do-it", "how-much", "do-and-avoid", "safety", "why-this-helps",
         "sources", "key-points", "more"]
MAX_EXERCISE_HTML = 30_000     # bytes of one exercise page's HTML
MAX_FIRST_VISIT_GZIP = 150_000  # bytes, gzipped, of everything a first visit to it loads


def page_html(site, slug: str) -> str:
    return (site / "exercises" / slug / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def glance_items(html: str) -> dict[str, str]:
    """The "At a glance" box's items: label -> words; fails if an item has no icon."""
    box = re.search(r'<div class="glance">(.*?)</div>', html, re.S)
    assert box, "no At a glance box"
    items = {}
    for li in re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S):
        assert re.match(r'<span class="twemoji"><svg', li), f"an item without its icon: {li[:80]}"
        label, words = text(li).split(":", 1)
        assert words.strip(), f"an icon without words: {li[:80]}"
        items[label.strip()] = words.strip()
    return items


# --- the order of the page ----------------------------------------------------------------------

def test_every_exercise_page_is_in_the_order_for_doing_it(built_site, guide):
    for ex in guide.exercises:
        html = article(page_html(built_site, ex.slug))
        at = [html.index(f'id="{section}"') for section in ORDER]
        assert at == sorted(at), f"{ex.slug}: sections out of order: {sorted(ORDER, key=lambda s: at[ORDER.index(s)])}"
        title, summary = html.index("<h1"), html.index('<p class="lead">')
        rule = html.index('<p class="safety-line">')
        assert title < summary < rule < at[0], f"{ex.slug}: title, summary and safety rule must come first"
        # nothing but the title (and a handout's QR code) between the title and the summary
        between = re.sub(r'<div class="handout-qr">.*?</div>', "", html[html.index("</h1>") + 5:summary], flags=re.S)
        assert not between.strip(), f"{ex.slug}: {between.strip()[:80]!r} comes before the summary"


def test_the_figures_slot_stays_right_under_the_summary():
    template = (render.TEMPLATES / "exercise.md.j2").read_text(encoding="utf-8")
    after_summary = template[template.index("{{ ex.summary }}\n{ .lead }"):]
    assert after_summary.split("\n")[2:4] == ["{% if figures %}", ""], "the figures slot moved away from the summary"


# --- at a glance ------------------------------------------------------------------------------

def test_at_a_glance_says_what_to_get_ready_with_an_icon_and_words(built_site, guide):
    for ex in guide.exercises:
        items = glance_items(article(page_html(built_site, ex.slug)))
        # A time to start with (cardio) is the amount itself: under "How much", not here too.
        assert list(items) == ["Start", "You need"] + ([] if ex.dosage.minutes else ["Time"]), (ex.slug, items)
        assert items["Start"] == ex.position
        if not ex.dosage.minutes:
            minutes = glance.glance(ex.dosage).minutes_in_all
            assert re.fullmatch(rf"about {minutes} minutes? in all", items["Time"]), items["Time"]


def shown_text(html: str) -> str:
    """The words a reader sees on screen: without the hidden search words and the printed-only log."""
    html = re.sub(r'<p class="search-words" hidden>.*?</p>', " ", html, flags=re.S)
    html = re.sub(r'<div class="print-log">.*?</table>', " ", html, flags=re.S)
    html = re.sub(r'<script[^>]*>.*?</script>', " ", html, flags=re.S)
    return text(html)


def test_each_amount_is_shown_once_where_it_is_used(built_site, guide):
    """Issue 23: the amounts were shown three times (at a glance, how much, key points)."""
    for ex in guide.exercises:
        html = article(page_html(built_site, ex.slug))
        words = shown_text(html)
        d = ex.dosage
        for said in ([f"{d.repetitions} times"] if d.repetitions else []) + \
                     ([f"{d.hold_seconds} seconds"] if d.hold_seconds else []) + \
                     ([f"about {d.minutes} minutes"] if d.minutes else []) + [d.how_often]:
            assert words.count(said) == 1, f"{ex.slug}: {said!r} shown {words.count(said)} times"
        how_much = shown_text(html[html.index('id="how-much"'):html.index('id="do-and-avoid"')])
        assert d.how_often in how_much, ex.slug


def test_where_an_amount_comes_from_is_said_with_it(built_site, guide):
    for ex in guide.exercises:
        html = article(page_html(built_site, ex.slug))
        how_much = text(html[html.index('id="how-much"'):html.index('id="do-and-avoid"')])
        d = ex.dosage
        if not d.cites:
            assert "This amount is our editors' advice" in how_much, ex.slug
        elif d.how_often_cites:
            assert "How often comes from" in how_much and "editors" not in how_much.split("How often comes")[1], ex.slug
        else:
            assert "How often is our editors' advice." in how_much, ex.slug
        assert "Our sources give no amount" not in how_much


def test_what_you_need_reads_as_one_phrase(built_site, guide):
    ex = next(e for e in guide.exercises if len(e.equipment) > 1)
    items = glance_items(article(page_html(built_site, ex.slug)))
    assert items["You need"] == ex.equipment[0] + " and " + ex.equipment[1][0].lower() + ex.equipment[1][1:]
    assert ", A " not in text(article(page_html(built_site, ex.slug)))


def test_how_long_in_all_is_computed_from_the_amounts():
    per_side_hold = Dosage(repetitions=5, hold_seconds=20, per_side=True, how_often="Every day")
    assert glance.seconds_in_all(per_side_hold) == 5 * 2 * (20 + glance.SECONDS_IN_AND_OUT)
    assert glance.glance(per_side_hold).minutes_in_all == 4          # 250 s: about 4 minutes
    moves = Dosage(repetitions=10, how_often="Every day")
    assert glance.seconds_in_all(moves) == 10 * glance.SECONDS_PER_MOVE
    assert glance.glance(moves).minutes_in_all == 1                  # never "about 0 minutes"
    sets = Dosage(repetitions=10, hold_seconds=5, sets=3, how_often="Every day")
    assert glance.seconds_in_all(sets) == 3 * 10 * (5 + glance.SECONDS_IN_AND_OUT) + 2 * glance.SECONDS_BETWEEN_SETS
    walking = Dosage(minutes=5, how_often="Most days")
    assert glance.glance(walking).minutes_in_all == 5 and not glance.glance(walking).sides_apply
    assert [glance.minutes(s) for s in (29, 30, 89, 90, 150)] == [1, 1, 1, 2, 3]


def test_join_items_keeps_the_first_capital_and_abbreviations():
    assert render.join_items(["A mat or a folded towel", "A chair"], "and") == "A mat or a folded towel and a chair"
    assert render.join_items(["A mat", "A TV", "Shoes"], "and") == "A mat, a TV and shoes"
    assert render.join_items(["A wall"], "and") == "A wall"
    assert render.join_items(["A mat", "TV stand"], "or") == "A mat or TV stand"


# --- safety, small things, key points -----------------------------------------------------------

def test_safety_words_fit_the_page(built_site, guide):
    for ex in guide.exercises:
        safety = text(article(page_html(built_site, ex.slug)))
        says_strength = "best strength exercises" in safety
        assert says_strength == (ex.category == "strengthening"), f"{ex.slug} ({ex.category}): {says_strength=}"


def test_a_safety_point_names_only_real_categories(tmp_path, monkeypatch, capsys):
    data = edit("      stretching: Ask your doctor", "      stretches: Ask your doctor", BASE)
    line, col = pos(data, "      stretches: Ask your doctor", "stretches")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "safety[1].in_category.stretches",
               "'stretches' is not a key under categories (known: cardio, strengthening, stretching)")
    code, _, err = check(tmp_path, monkeypatch, capsys, BASE)
    assert code == 0, err


def test_review_line_has_no_capital_mid_sentence(built_site, guide):
    for ex in guide.exercises:
        words = text(article(page_html(built_site, ex.slug)))
        assert not re.search(r"\bby The\b", words), f"{ex.slug}: 'by The' in {words[-200:]!r}"
        assert f"Checked by: {ex.reviewed.by}." in words


def test_do_and_avoid_are_two_lists_said_to_be_the_editors_advice(built_site, guide):
    """Issue 23: the rows of a two-column table did not pair; the tips have no source."""
    for ex in guide.exercises:
        html = article(page_html(built_site, ex.slug))
        part = html[html.index('id="do-and-avoid"'):html.index('id="safety"')]
        assert "<table" not in part and "left to right" not in part, ex.slug
        assert "These tips are our editors' advice." in text(part), ex.slug
        lists = re.findall(r"<ul>(.*?)</ul>", part, re.S)
        assert [[text(i) for i in re.findall(r"<li>(.*?)</li>", ul, re.S)] for ul in lists] == [ex.do, ex.avoid]


def test_key_points_end_every_exercise_page_and_the_home_page(built_site, guide):
    for ex in guide.exercises:
        html = article(page_html(built_site, ex.slug))
        points = re.search(r'<p class="key-points">(.*?)</p>', html, re.S)
        assert points and html.index('id="key-points"') > html.index('id="sources"'), ex.slug
        words = text(points.group(1))
        assert "A gentle pull is normal. Stop if it hurts or makes your pain worse." in words, words
    home = article((built_site / "index.html").read_text(encoding="utf-8"))
    assert re.search(r'<p class="key-points">[^<]*A gentle pull is normal. Stop if it hurts or makes your pain worse',
                     home)


def test_sources_and_review_date_sit_low_and_small(tab, site_url, guide):
    tab.goto(f"{site_url}/exercises/{guide.exercises[0].slug}/")
    sizes = tab.evaluate("""() => ({sources: parseFloat(getComputedStyle(document.getElementById('sources')).fontSize),
        other: parseFloat(getComputedStyle(document.getElementById('how-to-do-it')).fontSize),
        reviewed: parseFloat(getComputedStyle(document.querySelector('.reviewed')).fontSize)})""")
    assert sizes["sources"] < sizes["other"], sizes
    assert sizes["reviewed"] >= 16, sizes  # smaller headings, but the text stays readable


# --- the home page and About -----------------------------------------------------------------------

def test_home_page_leads_to_the_builder_and_leaves_clinicians_to_about(built_site):
    home = article((built_site / "index.html").read_text(encoding="utf-8"))
    start = home[home.index('id="where-to-start"'):]
    assert re.search(r'<a href="builder/">Build a home program</a>', start)
    assert "doctors and physical therapists" not in home.lower().split("key points")[0].split("where to start")[0]
    assert not re.search(r"<h2[^>]*>For doctors", home)
    about = article((built_site / "about" / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"<h2[^>]*>For doctors and physical therapists", about)


# --- in a browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.set_default_timeout(10_000)
    yield page
    page.close()


def test_no_tag_chips_on_exercise_pages_and_the_index_stays(tab, site_url, guide, built_site):
    """Issue 23: the chips were clutter on the page a patient exercises from."""
    ex = guide.exercises[0]
    tab.goto(f"{site_url}/exercises/{ex.slug}/")
    assert tab.locator(".md-tags").count() == 0
    index = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert ex.position in unescape(index)


def test_add_to_my_home_program_opens_the_builder_with_this_exercise(tab, site_url, guide):
    ex = guide.exercises[-1]
    tab.goto(f"{site_url}/exercises/{ex.slug}/")
    tab.get_by_role("link", name="Add to my home program").click()
    tab.wait_for_url(re.compile(r"/builder/#p="))
    tab.locator("#builder-program .builder-item").first.wait_for()
    assert tab.locator("#builder-program .builder-item__title").all_inner_texts() == [ex.title]


def test_the_7_day_log_is_printed_but_not_on_screen(tab, site_url, guide):
    tab.goto(f"{site_url}/exercises/{guide.exercises[0].slug}/")
    log = tab.locator(".print-log")
    assert not log.is_visible()
    tab.emulate_media(media="print")
    try:
        assert log.is_visible()
        assert log.locator(".print-log__box").count() == 7
        assert [t.strip() for t in log.locator("thead th").all_inner_texts()][1:] == [str(d) for d in range(1, 8)]
        assert not tab.locator(".page-tools").is_visible()
    finally:
        tab.emulate_media(media="screen")


def test_no_palette_stylesheet_and_a_named_search_dialog(tab, site_url):
    tab.goto(site_url + "/")
    sheets = tab.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert not [s for s in sheets if "palette" in s], sheets
    assert tab.locator(".site-search__panel[role=dialog]").get_attribute("aria-label")


def test_page_weight_budget(new_context, site_url, built_site, guide):
    """Each exercise page's HTML under 30 KB; a first visit (every file it loads, gzipped as a
    server would send it) under 150 KB."""
    sizes = {ex.slug: len(page_html(built_site, ex.slug).encode()) for ex in guide.exercises}
    assert max(sizes.values()) < MAX_EXERCISE_HTML, sizes
    page = new_context(viewport={"width": 375, "height": 812}).new_page()
    loaded: list[str] = []
    page.on("requestfinished", lambda r: loaded.append(urlsplit(r.url).path))
    page.goto(f"{site_url}/exercises/{max(sizes, key=sizes.get)}/", wait_until="networkidle")
    total = 0
    for path in set(loaded):
        file = built_site / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        total += len(gzip.compress(file.read_bytes(), 9))
    assert any(p.endswith("/assets/search.js") for p in loaded), loaded  # the whole visit was seen (deferred too)
    assert total < MAX_FIRST_VISIT_GZIP, f"first visit: {total} bytes gzipped ({sorted(set(loaded))})"


def test_the_builder_safety_list_is_in_the_page_before_its_script_runs(built_site, guide):
    """Written at build time (it used to arrive with exercises.json and push the page down)."""
    html = (built_site / "builder" / "index.html").read_text(encoding="utf-8")
    listed = re.search(r'<ul id="builder-safety">(.*?)</ul>', html, re.S)
    assert listed and [unescape(t) for t in re.findall(r"<li>(.*?)</li>", listed.group(1))] == [
        p.text for p in guide.safety]


def test_steps_say_positions_in_body_terms(guide):
    """A reader cannot picture "45 degrees" or "one foot length" (PEMAT-P, issue 17)."""
    unpicturable = re.compile(r"\bdegrees?\b|°|\bfoot length\b|\bhalf as far\b", re.I)
    found = {ex.slug: step for ex in guide.exercises for step in ex.steps if unpicturable.search(step)}
    assert not found, found
