"""Every point of the source article reaches the site, in plain language.

The reading grade is the one the About page shows: Flesch-Kincaid over the
page's visible content (exercise_guide.finish.readability), navigation excluded.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from exercise_guide.finish import readability

MAX_GRADE = 8.0

# One entry per point of ../shared/source/README.md: (the point, the page that makes it, sentences
# or parts of sentences that say it there). A point is checked on its own page, in its own words:
# a word of it on some other page (a "rest" between sets) does not count.
WHY, STRETCHING, STRENGTHENING, CARDIO, AVOID = ("why-exercise", "categories/stretching", "categories/strengthening",
                                                 "categories/cardio", "avoid")
POINTS = [
    ("rest short-term, but staying sedentary too long delays healing and can lead to more pain", WHY,
     [r"a short rest may be needed", r"if you rest and sit still for too long, your back can take longer to heal",
      r"it can even hurt more"]),
    ("gradual, progressive exercise moves nutrients to soft tissues and discs", WHY,
     [r"exercise that starts slow and builds up step by step",
      r"moves food and water to the soft parts of your back and the discs"]),
    ("keeps muscles, joints, discs and ligaments healthy", WHY, [r"keeps your muscles, joints, discs,? and ligaments healthy"]),
    ("a routine helps avoid weakness and stiffness", WHY, [r"if you exercise your back often, it will not get as weak or stiff"]),
    ("shortens pain and makes it less severe", WHY, [r"the pain may not last as long and may not be as bad"]),
    ("less likely to come back", WHY, [r"it is also less likely to come back"]),
    ("strengthen the lower back and core", WHY, [r"make the muscles of your low back and your core strong"]),
    ("choose exercises that do not jar the discs", WHY, [r"pick exercises that do not jolt the discs of your spine"]),
    ("talk to your doctor before starting, especially in pain", WHY,
     [r"talk to your doctor before you start any exercise\. this matters most when you are in pain"]),
    ("a doctor and/or physical therapist decides the best strength exercises", WHY,
     [r"your doctor or physical therapist will choose the best strength exercises for you"]),
    ("if pain occurs at any time, stop immediately", WHY, [r"stop at once if it hurts or makes your pain worse"]),
    ("the spine and its soft tissues are made for movement; less movement can worsen pain", STRETCHING,
     [r"your spine is made to move\. so are the muscles and the bands of tissue around it",
      r"when you move less, back pain can get worse"]),
    ("stretch every day, sometimes many times a day", STRETCHING,
     [r"stretch every day\. some days you may stretch many times"]),
    ("relief, flexibility and mobility take several months, but come", STRETCHING,
     [r"it often takes a few months of stretching to feel real relief and move more easily",
      r"it does come"]),
    ("stretch the lower back muscles", STRETCHING, [r"stretch the muscles of your low back"]),
    ("stretch the hamstrings", STRETCHING, [r"hamstring stretch:"]),
    ("stretch the psoas major", "exercises/hip-flexor-stretch", [r"\(psoas major\)"]),
    ("stretch the piriformis", STRETCHING, [r"piriformis stretch:"]),
    ("stretch the gluteus muscles", "exercises/glute-stretch", [r"\(gluteus muscles\)"]),
    ("strength: heel slides", STRENGTHENING, [r"heel slides:"]),
    ("strength: wall squats", STRENGTHENING, [r"wall squats:"]),
    ("strength: ankle pumps", STRENGTHENING, [r"ankle pumps:"]),
    ("strength: abdominal contraction", STRENGTHENING, [r"abdominal contraction: tighten your belly muscles"]),
    ("strength: straight leg raises", STRENGTHENING, [r"straight leg raises:"]),
    ("strength: heel raises", STRENGTHENING, [r"heel raises:"]),
    ("cardio: walking", CARDIO, [r"walking:"]),
    ("cardio: swimming", CARDIO, [r"swimming:"]),
    ("cardio: bike riding, a stationary bike too", CARDIO,
     [r"bike riding:", r"a (stationary )?bike that stays in one place counts too"]),
    ("avoid jumping and running", AVOID, [r"do not jump\.", r"do not run\."]),
    ("each foot strike sends force up the leg into the back and compresses the discs", AVOID,
     [r"each time your foot hits the ground, a jolt goes up your leg and into your back",
      r"presses on the discs of your spine"]),
    ("avoid anything that may compress the discs or strain muscles, ligaments or tendons", AVOID,
     [r"stay away from anything that may press on the discs of your spine",
      r"stay away from anything that may strain your muscles, ligaments,? or tendons"]),
]


def content_pages(site):
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "<article" not in html or "http-equiv=\"refresh\"" in html:
            continue
        yield page, html[html.index("<article"):html.index("</article>")]


@pytest.fixture(scope="module")
def page_text(built_site) -> dict[str, str]:
    """Each page's visible text, lower case, by its folder in the site ("why-exercise", ...)."""
    return {p.parent.relative_to(built_site).as_posix(): readability.html_text(a).lower()
            for p, a in content_pages(built_site)}


@pytest.mark.parametrize("point,page,phrases", POINTS, ids=[p for p, _, _ in POINTS])
def test_every_point_of_the_article_is_on_its_page(page_text, point, page, phrases):
    assert page in page_text, f"no page /{page}/ on the site (it should say: {point!r})"
    text = " ".join(page_text[page].split())
    for phrase in phrases:
        assert re.search(phrase, text), f"/{page}/ does not say {point!r} (looked for /{phrase}/)"


def test_no_page_reads_above_grade_8(built_site):
    grades = {str(p.relative_to(built_site)): readability.grade(readability.html_text(a))
              for p, a in content_pages(built_site)}
    too_hard = {page: g for page, g in grades.items() if g > MAX_GRADE}
    assert grades and not too_hard, f"pages above grade {MAX_GRADE}: {too_hard}"


def test_about_page_lists_every_page_with_its_grade(built_site):
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><td><a href="([^"]+)">(.*?)</a></td><td>([\d.]+)</td>', about)
    listed = {href: float(grade) for href, _, grade in rows}
    pages = [p for p, _ in content_pages(built_site) if p.name == "index.html" and p.parent != built_site / "404"]
    assert len(listed) == len(pages), f"About lists {len(listed)} pages, the site has {len(pages)}"
    for page, art in content_pages(built_site):
        if page.name != "index.html":
            continue
        rel = page.parent.relative_to(built_site).as_posix()
        href = "../" + (rel + "/" if rel != "." else "")
        if href not in listed:
            continue
        if rel == "about":  # its own grade was taken before the table was added
            continue
        measured = readability.grade(readability.html_text(art))
        assert abs(listed[href] - measured) <= 0.1, f"{rel}: About says {listed[href]}, the page reads {measured}"


def test_medical_terms_are_explained(built_site, guide):
    """Every medical muscle name on an exercise page comes with its everyday name."""
    for ex in guide.exercises:
        html = unescape((built_site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8"))
        for muscle in ex.muscles:
            assert f"{muscle.name} ({muscle.medical})" in html
