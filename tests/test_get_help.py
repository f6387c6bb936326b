"""When back pain is an emergency (issue 12): the page "When to get help", the "Get help now
if…" box on the home page, the links to it, and the emergency number set once in exercises.yml.

The signs are checked against the source brief (../shared/source/red-flags.md), written out
below as phrases, so a sign dropped from exercises.yml fails here rather than going unnoticed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import search_ui
from conftest import DATA, build_site, make_project
from exercise_guide.finish import readability
from test_bad_input import check, fails_with, pos

MAX_GRADE = 6.0
BASE = DATA.read_text(encoding="utf-8")

# Every sign of the source brief, by tier: (the sign as the brief says it, phrases that say it on the page).
NOW = [
    ("pain, tingling, weakness or numbness in both legs", [r"both legs", r"pain", r"tingl", r"weak", r"numb"]),
    ("numbness or tingling around your genitals or buttocks", [r"genitals", r"bottom", r"numb", r"tingle"]),
    ("difficulty peeing", [r"hard to pee|can't pee"]),
    ("loss of control of bladder or bowels, when new", [r"control your bladder or bowels", r"new for you"]),
    ("chest pain", [r"chest pain"]),
    ("pain after a serious accident (car accident, fall from a height)", [r"accident", r"car", r"fall"]),
    ("the first four can mean cauda equina syndrome: treatment in hospital within hours",
     [r"cauda equina", r"hospital within hours", r"bladder, bowels or legs"]),
]
TODAY = [
    ("a high temperature (fever)", [r"fever", r"high temperature"]),
    ("weight loss without trying", [r"lost weight without trying"]),
    ("a lump or swelling, or the back has changed shape", [r"lump or swelling", r"changed shape"]),
    ("pain not better with rest, or worse at night", [r"rest", r"worse at night"]),
    ("pain worse when you sneeze, cough or poo", [r"sneeze, cough or poo"]),
    ("pain in the top of the back, between the shoulders", [r"between your shoulders"]),
]
SOON = [
    ("not improved after a few weeks of home care", [r"few weeks", r"at home"]),
    ("stops you doing day-to-day activities", [r"everyday tasks"]),
    ("severe or getting worse", [r"very bad", r"getting worse"]),
    ("worried or struggling to cope", [r"worried", r"hard to cope"]),
]
TIERS = {"now": NOW, "today": TODAY, "soon": SOON}


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def page_html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def tier_html(html: str, tier: str) -> str:
    """The part of the page from the tier's heading to the next heading of its level."""
    start = html.index(f'<h2 id="{tier}"')
    end = html.find("<h2", start + 1)
    return html[start:end if end > 0 else None]


def text(html: str) -> str:
    return " ".join(readability.html_text(html).split()).replace("’", "'")


# ----------------------------------------------------------------------------- the page

@pytest.mark.parametrize("tier", TIERS)
def test_each_tier_has_every_sign_of_the_source(built_site, tier):
    html = page_html(built_site, "get-help")
    part = tier_html(html, tier)
    said = text(part).lower()
    for sign, phrases in TIERS[tier]:
        for phrase in phrases:
            assert re.search(phrase, said), f"{tier}: the sign {sign!r} is not on the page (looked for /{phrase}/)"


def test_the_tiers_come_most_urgent_first(built_site):
    html = article(page_html(built_site, "get-help"))
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)<a class="headerlink"', html)
    ids = [i for i, _ in headings]
    assert ids[:3] == ["now", "today", "soon"], headings
    titles = [t for _, t in headings[:3]]
    assert titles == ["Get help now", "See a doctor today", "See a doctor soon"]


def card_html(html: str, tier: str) -> str:
    """The care card of a level (issue 23): from its <div class="care-card …"> to the next one."""
    start = html.index(f'<div class="care-card care-card--{tier}">')
    end = html.find('<div class="care-card', start + 1)
    return html[start:end if end > 0 else html.index('id="keep"')]


def test_each_level_gives_its_sources_once_not_inside_the_list(built_site, guide):
    """Issue 23: about 20 source links inside the lists doubled their length on a phone."""
    html = article(page_html(built_site, "get-help"))
    for tier in ("now", "today", "soon"):
        card = card_html(html, tier)
        level = getattr(guide.red_flags, tier)
        for item in re.findall(r"<li>(.*?)</li>", card, re.S):
            assert "references/" not in item, f"{tier}: a source link inside the list: {text(item)}"
        for point in level.signs:
            said = " ".join(point.text.split())
            assert any(text(i) == said for i in re.findall(r"<li>(.*?)</li>", card, re.S)), f"{tier}: {said}"
        line = re.search(r'<p class="care-sources">(.*?)</p>', card, re.S)
        assert line and text(line.group(1)).startswith("Sources:"), f"{tier}: no sources line"
        for key in {k for p in level.signs + level.more for k in p.cites}:
            label = guide.reference(key).label
            assert f'href="../references/#{key}">{label}</a>' in line.group(1), f"{tier}: does not cite {label}"
            assert line.group(1).count(f"#{key}\"") == 1, f"{tier}: {label} twice"


def test_a_summary_comes_first_with_a_way_to_each_level(built_site, guide):
    html = article(page_html(built_site, "get-help"))
    summary = re.search(r'<div class="care-summary">(.*?)</div>', html, re.S)
    assert summary and summary.start() < html.index('id="now"'), "no summary before the levels"
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    assert [re.search(r'href="#(\w+)"', i).group(1) for i in items] == ["now", "today", "soon"]
    assert [text(i).split(":")[0] for i in items] == ["Emergency", "Urgent", "Not urgent"]
    assert f"call {guide.emergency.number} now" in text(items[0])
    # reassurance before any warning: the page opens with "most back pain is not serious"
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    assert lead and lead.start() < summary.start() and "not caused by anything serious" in text(lead.group(1))


def test_terms_the_guide_names_get_a_plain_meaning(built_site, guide):
    """sciatica, herniated disc, pinched nerve: named on the home page and here, meant in plain words."""
    for path in ("get-help", "."):
        said = text(article(page_html(built_site, path)))
        assert "our editors' words, not from our sources" in said, path
        for term in guide.terms:
            assert f"{term.name}: {' '.join(term.meaning.split())}" in said, (path, term.name)
        for name in ("sciatica", "herniated disc", "pinched nerve"):
            assert any(name in t.name.lower() for t in guide.terms), name


def test_the_new_sources_are_on_the_references_page(built_site, guide):
    html = page_html(built_site, "references")
    for key in ("nhs-back-pain", "northern-trust-lbp"):
        ref = guide.reference(key)
        assert f'id="{key}"' in html, f"no entry for {key} on the References page"
        assert str(ref.url) in html, f"{key}: no link to the page itself"


def test_the_page_reads_at_grade_6_or_below(built_site):
    grade = readability.grade(readability.html_text(article(page_html(built_site, "get-help"))))
    assert grade <= MAX_GRADE, f"When to get help reads at grade {grade}"


def test_the_emergency_number_is_a_phone_link(built_site, guide):
    number = guide.emergency.number
    for path in ("get-help", "."):
        html = article(page_html(built_site, path))
        assert f'href="tel:{number}"' in html, f"/{path}: the number is not a tel: link"
        assert re.search(rf'<a[^>]*href="tel:{number}"[^>]*>Call {number}</a>', html), f"/{path}: no Call button"


# ----------------------------------------------------------------------------- links to it

def test_every_exercise_page_links_to_it_from_the_safety_box(built_site, guide):
    for ex in guide.exercises:
        html = page_html(built_site, f"exercises/{ex.slug}")
        start = html.index('id="safety"')
        safety = html[start:html.index("<h2", start + 1)]
        box = safety[safety.index('class="admonition'):safety.index("</div>")]
        assert 'href="../../get-help/"' in box, f"{ex.slug}: the safety box does not link to When to get help"


def test_the_home_page_box_comes_before_where_to_start(built_site, guide):
    html = article(page_html(built_site, "."))
    box = re.search(r'<div class="admonition danger">(.*?)</div>', html, re.S)
    assert box, "no Get help now box on the home page"
    assert box.start() < html.index('id="where-to-start"'), "the box is not before Where to start"
    said = text(box.group(1))
    assert said.startswith("Get help now if"), said[:60]
    for point in guide.red_flags.now.signs:
        assert " ".join(point.text.split()) in said, f"home page box misses: {point.text}"
    assert f"Call {guide.emergency.number} or go to {guide.emergency.place} now" in said
    assert 'href="get-help/"' in box.group(1), "the box does not link to When to get help"


def test_the_builder_links_to_it(built_site):
    html = article(page_html(built_site, "builder"))
    box = html[html.index('class="admonition warning builder-safety"'):]
    box = box[:box.index("</div>")]
    assert 'href="../get-help/"' in box, "the builder's safety box does not link to When to get help"


def test_the_printed_program_says_when_to_get_help(browser, site_url, guide):
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/builder/#p={guide.exercises[0].slug}")
        page.wait_for_function("() => document.querySelectorAll('[data-slot=emergency] li').length > 0")
        page.emulate_media(media="print")
        sheet = page.locator("#builder-print")
        assert sheet.is_visible()
        said = " ".join(sheet.inner_text().split())
        assert f"Call {guide.emergency.number} or go to {guide.emergency.place} now" in said
        for point in guide.red_flags.now.signs:
            assert " ".join(point.text.split()) in said, f"printed program misses: {point.text}"
        assert f"When to get help: {site_url}/get-help/" in said
        for key in {k for p in guide.red_flags.now.signs for k in p.cites}:
            assert guide.reference(key).title in said, f"printed program does not name its source {key}"
    finally:
        page.close()


HELP_QUERIES = ["numb", "bladder", "emergency", "can't pee"]


@pytest.fixture(scope="module")
def help_found(browser, site_url) -> dict[str, list[str]]:
    """What the site's search finds for each word of HELP_QUERIES, in one page (search_ui.find_all:
    the function the box calls; typing is tested once, below, and in test_search.py)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + "/")
        return search_ui.find_all(page, HELP_QUERIES)
    finally:
        page.close()


@pytest.mark.parametrize("query", HELP_QUERIES)
def test_search_finds_it_first(help_found, query):
    # The test asks for the top three; the page is first.
    assert help_found[query][:1] == ["/get-help/"], f"searching {query!r} gave {help_found[query][:5]}"


def test_typing_a_warning_sign_shows_the_page_first(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + "/")
        search_ui.open_search(page)
        pages = search_ui.search(page, "numb")  # the pages found, best first, each once
        assert pages[:1] == ["/get-help/"], f"typing 'numb' gave {pages[:5]}"
    finally:
        page.close()


# ----------------------------------------------------------------------------- one number everywhere

def numbers_in(site: Path) -> dict[str, set[str]]:
    """Every number a page offers to call (tel: links, "Call N"), and where."""
    found: dict[str, set[str]] = {}
    for file in site.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        for n in re.findall(r'href="tel:([^"]*)"', html) + re.findall(r"\bCall (\d+)", html):
            found.setdefault(n, set()).add(file.relative_to(site).as_posix())
    data = json.loads((site / "assets" / "exercises.json").read_text(encoding="utf-8"))
    found.setdefault(data["emergency"]["number"], set()).add("assets/exercises.json")
    return found


def test_the_site_offers_one_number(built_site, guide):
    found = numbers_in(built_site)
    assert set(found) == {guide.emergency.number}, found
    # the home page, the page itself, and the builder's data
    assert {"index.html", "get-help/index.html", "assets/exercises.json"} <= found[guide.emergency.number]


def test_changing_the_number_changes_it_everywhere(tmp_path):
    old = 'emergency:\n  number: "911"\n  place: the emergency room\n'
    assert old in BASE, "the real exercises.yml no longer sets 911 as written here; update this test"
    data = BASE.replace(old, 'emergency:\n  number: "999"\n  place: A&E\n  urgent_line: "111"\n'
                        '  out_of_hours: Call our clinic\'s after-hours nurse. The number is on your appointment card.\n', 1)
    project = make_project(tmp_path / "uk", data)
    site = tmp_path / "site"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    found = numbers_in(site)
    assert set(found) == {"999", "111"}, found
    assert found["111"] == {"get-help/index.html"}, "the urgent line belongs with 'see a doctor today'"
    # No page and no data file holds the old number or place any more.
    for file in list(site.rglob("*.html")) + list(site.rglob("*.json")):
        raw = file.read_text(encoding="utf-8")
        assert not re.search(r"\b911\b", raw), f"{file.relative_to(site)} still holds 911"
        assert "emergency room" not in raw, f"{file.relative_to(site)} still says 'the emergency room'"
    home = text(article(page_html(site, ".")))
    assert "Call 999 or go to A&E now" in home
    today = text(tier_html(page_html(site, "get-help"), "today"))
    assert "Call your doctor today, or call 111, if you have back pain" in today
    # the clinic's own words for a reader with no doctor or out of hours, instead of the guide's
    assert ("No doctor, or is it after hours? Call our clinic's after-hours nurse. "
            "The number is on your appointment card.") in today
    assert "urgent care center" not in today and "editors" not in today


def test_a_reader_with_no_doctor_or_out_of_hours_is_told_where_to_go(built_site, guide):
    """Unset (the guide as shipped), the page says the editors' general wording, as their advice."""
    assert guide.emergency.out_of_hours is None
    today = text(tier_html(page_html(built_site, "get-help"), "today"))
    assert (f"No doctor, or is it after hours? Call an urgent care center or a walk-in clinic today. "
            f"If you can't get seen today, go to {guide.emergency.place}. (Our editors' advice.)") in today


# ----------------------------------------------------------------------------- bad settings

EMERGENCY = 'emergency:\n  number: "911"\n  place: the emergency room\n'


def bad(new: str) -> str:
    assert EMERGENCY in BASE, "the real exercises.yml no longer has this emergency block; update this test"
    return BASE.replace(EMERGENCY, new, 1)


@pytest.mark.parametrize("new,line_has,col_at,path,message", [
    ('emergency:\n  number: "9l1"\n  place: the emergency room\n', '"9l1"', '"9l1"', "emergency.number",
     'must be a phone number in digits only, in quotes (like "911"), got "9l1"'),
    ('emergency:\n  number: "call 911"\n  place: the emergency room\n', '"call 911"', '"call', "emergency.number",
     'must be a phone number in digits only, in quotes (like "911"), got "call 911"'),
    ('emergency:\n  number: 911\n  place: the emergency room\n', "number: 911", "911", "emergency.number",
     "must be text, got 911; put it in quotes to keep it as text"),
    ('emergency:\n  number: "911"\n  place: ""\n', 'place: ""', '""', "emergency.place", "must not be empty"),
    ('emergency:\n  number: "911"\n  place: "   "\n', 'place: "   "', '"', "emergency.place", "must not be empty"),
    ('emergency:\n  number: "911"\n  place: the emergency room\n  urgent_line: "one one one"\n',
     "one one one", '"one', "emergency.urgent_line",
     'must be a phone number in digits only, in quotes (like "911"), got "one one one"'),
    ('emergency:\n  place: the emergency room\n', "  place: the emergency room", "place", "emergency.number",
     "is required but missing"),
    ('emergency:\n  numbr: "911"\n  place: the emergency room\n', "numbr", "numbr", "emergency.numbr",
     "is not a known field; did you mean `number`?"),
], ids=["letters", "words", "unquoted", "empty place", "blank place", "bad urgent line", "no number", "misspelt"])
def test_a_bad_emergency_setting_is_refused_at_its_line(tmp_path, monkeypatch, capsys,
                                                        new, line_has, col_at, path, message):
    data = bad(new)
    line, col = pos(data, line_has, col_at)
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, path, message)


def test_no_emergency_setting_is_refused(tmp_path, monkeypatch, capsys):
    data = bad("")
    code, out, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1 and "Traceback" not in err
    assert re.search(r"^  exercises\.yml:\d+(:\d+)?: emergency: is required but missing$", err, re.M), err


def test_a_missing_tier_is_refused(tmp_path, monkeypatch, capsys):
    start = BASE.index("  soon:\n", BASE.index("red_flags:"))
    end = BASE.index("\n\n", start)
    data = BASE[:start] + BASE[end + 1:]
    code, out, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1 and "Traceback" not in err
    assert re.search(r"^  exercises\.yml:\d+:\d+: red_flags\.soon: is required but missing$", err, re.M), err


def test_a_bad_number_stops_the_build_and_keeps_the_site(tmp_path):
    project = make_project(tmp_path / "p", bad('emergency:\n  number: "9ll"\n  place: the emergency room\n'))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the old site")
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode != 0
    assert "exercises.yml:" in result.stderr and "emergency.number: must be a phone number" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"] and (site / "index.html").read_text() == "the old site"


# ----------------------------------------------------------------------------- the cards as a patient sees them

CARD_STYLE = """() => [...document.querySelectorAll('.care-card')].map(card => {
    const s = getComputedStyle(card), h = card.querySelector('h2'), level = card.querySelector('.care-level');
    return {border: s.borderTopStyle + ' ' + s.borderTopWidth, colour: s.borderTopColor, bg: s.backgroundColor,
            heading: h.textContent.replace('#', '').trim(), level: level.innerText.trim(),
            icon: !!level.querySelector('svg') && level.querySelector('svg').getBoundingClientRect().width >= 16};
})"""


def test_the_levels_look_different_on_screen_and_in_black_and_white_print(browser, site_url):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        page.goto(f"{site_url}/get-help/")
        screen = page.evaluate(CARD_STYLE)
        assert [c["heading"] for c in screen] == ["Get help now", "See a doctor today", "See a doctor soon"]
        assert [c["level"] for c in screen] == ["Emergency", "Urgent", "Not urgent"]  # read by a screen reader too
        assert all(c["icon"] for c in screen), screen
        assert len({c["colour"] for c in screen}) == 3 and len({c["bg"] for c in screen}) == 3, screen
        page.emulate_media(media="print")
        paper = page.evaluate(CARD_STYLE)
        assert len({c["border"] for c in paper}) == 3, f"the levels look alike on paper: {paper}"
        # the button is plain text on paper: no coloured box, dark words, the number in them
        for path in ("/get-help/", "/"):   # the home page's box has the button too
            if path == "/":
                page.goto(site_url + "/")
            button = page.evaluate("""() => { const b = document.querySelector('.call-button'), s = getComputedStyle(b);
                return {text: b.innerText.trim(), bg: s.backgroundColor, colour: s.color}; }""")
            assert button["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), (path, button)
            assert button["colour"] == "rgb(0, 0, 0)" and button["text"] == "Call 911", (path, button)
    finally:
        page.close()


def test_the_page_prints_on_one_sheet_with_room_for_my_numbers(browser, site_url, guide, tmp_path):
    import pypdf
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/get-help/")
        page.emulate_media(media="print")
        blanks = page.evaluate("""() => [...document.querySelectorAll('.my-numbers li')].map(li => ({
            words: li.innerText.trim(), line: li.querySelector('.write-here') ?
              [li.querySelector('.write-here').getBoundingClientRect().width,
               getComputedStyle(li.querySelector('.write-here')).borderBottomStyle] : null}))""")
        assert blanks[0]["words"] == f"Emergency: {guide.emergency.number}"
        for row, name in zip(blanks[1:], ("My doctor:", "My clinic:")):
            assert row["words"] == name and row["line"][0] >= 150 and row["line"][1] == "solid", row
        said = " ".join(page.locator("article").inner_text().split())
        assert "When you call, tell them" in said and "which signs on this page you have" in said
        for size in ("Letter", "A4"):
            pdf = tmp_path / f"get-help-{size}.pdf"
            page.pdf(path=str(pdf), format=size)
            assert len(pypdf.PdfReader(str(pdf)).pages) == 1, f"When to get help takes more than one {size} sheet"
    finally:
        page.close()
