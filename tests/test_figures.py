"""The drawn pictures of each exercise (issue 11): data, geometry, meaning, bad input, browser.

Geometry is asked of the core's placed poses (hooks/exercise_guide/figures/scene.py), the same
numbers the SVG is drawn from; what the pictures look like is judged by a person from the contact
sheet test-artifacts/figures.png that `make pictures` renders in Chromium (bench/pictures.py).
"""

from __future__ import annotations

import math
import re

import pytest

from conftest import DATA, wait_until
from exercise_guide.figures import body, scene
from exercise_guide.data.problems import SourceError
from exercise_guide.data.validate import load

BASE = DATA.read_text(encoding="utf-8")
MAX_SVG_BYTES = 6 * 1024
MAX_PAGE_BYTES = 30 * 1024


def placed(ex):
    return scene.build(ex.figure)


def by_slug(guide, slug):
    return next(e for e in guide.exercises if e.slug == slug)


# --- every exercise -------------------------------------------------------------------------

def test_every_exercise_has_two_frames_or_more_and_they_differ(guide):
    for ex in guide.exercises:
        frames = ex.figure.frames
        assert len(frames) >= 2, ex.slug
        poses = placed(ex).poses
        for a, b in zip(poses, poses[1:]):
            moved = max(math.dist(a.points[k], b.points[k]) for k in a.points)
            assert moved > 2, f"{ex.slug}: two pictures in a row show the same position"


def test_every_angle_is_inside_the_normal_adult_range(guide):
    for ex in guide.exercises:
        for frame in ex.figure.frames:
            for joint, value in frame.joints.model_dump().items():
                if value is not None:
                    low, high = body.RANGES[joint.split("_", 1)[-1]]
                    assert low <= value <= high, f"{ex.slug}: {joint} {value}"


def test_nothing_goes_below_the_floor_and_floor_postures_rest_on_it(guide):
    for ex in guide.exercises:
        posture = body.POSTURES[ex.figure.posture]
        if not posture.on_floor:
            continue
        for i, pose in enumerate(placed(ex).poses):
            assert pose.lowest() >= -scene.TOLERANCE, f"{ex.slug} picture {i + 1}: below the floor"
            if ex.figure.posture != "standing":
                for part in posture.rests_on:
                    assert abs(pose.lowest([part])) <= scene.RESTING, f"{ex.slug} {i + 1}: {part} not on the floor"


def test_standing_feet_are_on_the_floor_unless_lifted_on_purpose(guide):
    for ex in guide.exercises:
        if ex.figure.posture != "standing":
            continue
        for frame, pose in zip(ex.figure.frames, placed(ex).poses):
            for side in ("left", "right"):
                if f"{side}_foot" not in frame.lifted:
                    assert abs(pose.lowest([f"{side}_foot"])) <= scene.RESTING, f"{ex.slug}: {side} foot in the air"


def test_the_moving_side_faces_the_viewer(guide):
    """The part that moves is drawn near (dark or accent), not behind the body in grey."""
    for ex in guide.exercises:
        first = ex.figure.moves[0]
        if first.startswith(("left_", "right_")):
            assert scene.near_side(ex.figure) == first.split("_")[0]


# --- each picture shows what its steps say ----------------------------------------------------

def _start_end(guide, slug):
    poses = placed(by_slug(guide, slug)).poses
    return poses[0].points, poses[-1].points, poses


def test_knee_to_chest_brings_one_knee_to_the_chest_and_keeps_the_other_foot_down(guide):
    start, end, poses = _start_end(guide, "knee-to-chest")
    assert math.dist(end["left_knee"], end["shoulder"]) < 0.75 * math.dist(start["left_knee"], start["shoulder"])
    assert abs(poses[-1].lowest(["right_foot"])) <= scene.RESTING


def test_heel_raises_lift_the_heels_and_keep_the_toes_down(guide):
    start, end, poses = _start_end(guide, "heel-raises")
    for side in ("left", "right"):
        assert end[f"{side}_heel"][1] - start[f"{side}_heel"][1] > 4
        assert abs(end[f"{side}_toe"][0] - start[f"{side}_toe"][0]) < 1


def test_wall_squats_lower_the_hips_and_keep_the_back_on_the_wall(guide):
    ex = by_slug(guide, "wall-squats")
    built = placed(ex)
    start, end = built.poses[0].points, built.poses[-1].points
    assert start["pelvis"][1] - end["pelvis"][1] > 3
    wall = built.props["wall"]["x"]
    for pose in built.poses:
        back = min(pose.points["pelvis"][0], pose.points["shoulder"][0]) - body.TRUNK_WIDTH / 2
        assert abs(back - wall) < 1.5, "the back leaves the wall"


def test_hamstring_stretch_straightens_the_leg_up_with_the_towel(guide):
    start, end, poses = _start_end(guide, "hamstring-stretch")
    straight = body.THIGH + body.SHANK
    assert math.dist(end["pelvis"], end["left_ankle"]) > 0.97 * straight
    assert end["left_ankle"][1] > end["left_knee"][1] > end["pelvis"][1]
    assert "towel" in placed(by_slug(guide, "hamstring-stretch")).props


def test_heel_slides_slide_the_heel_out_along_the_floor(guide):
    start, end, poses = _start_end(guide, "heel-slides")
    assert abs(end["right_heel"][0] - start["right_heel"][0]) > 10
    assert poses[-1].points["right_heel"][1] - body.LIMB_WIDTH / 2 < scene.RESTING


def test_straight_leg_raise_lifts_the_straight_leg_6_to_12_inches(guide):
    start, end, _ = _start_end(guide, "straight-leg-raises")
    # H = 100 units stands for an adult of about 170 cm: 6 to 12 inches is about 9 to 18 units.
    lift = end["right_ankle"][1] - start["right_ankle"][1]
    assert 8 <= lift <= 19, lift
    assert math.dist(end["pelvis"], end["right_ankle"]) > 0.97 * (body.THIGH + body.SHANK)


def test_ankle_pumps_move_only_the_feet(guide):
    start, end, _ = _start_end(guide, "ankle-pumps")
    assert math.dist(start["left_knee"], end["left_knee"]) < 0.5
    assert end["left_toe"][0] > start["left_toe"][0] + 3, "the toes do not point away"


def test_piriformis_crosses_one_ankle_over_the_other_knee(guide):
    for points in _start_end(guide, "piriformis-stretch")[:2]:
        assert math.dist(points["right_ankle"], points["left_knee"]) < 6


def test_cardio_pictures(guide):
    walk_start, walk_end, _ = _start_end(guide, "walking")
    assert walk_start["left_ankle"][0] > walk_start["right_ankle"][0]
    assert walk_end["right_ankle"][0] > walk_end["left_ankle"][0]
    swim = placed(by_slug(guide, "swimming"))
    water = swim.props["water"]["y"]
    assert all(pose.points["pelvis"][1] < water for pose in swim.poses)
    bike = placed(by_slug(guide, "bike-riding"))
    wheel = bike.props["bike"]
    assert abs(wheel["rear"][1] - wheel["radius"]) < 0.01, "the wheels stand on the floor"


# --- bad input -----------------------------------------------------------------------------------

def _load_text(tmp_path, text):
    path = tmp_path / "exercises.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load(path, today=None)
    return [str(p) for p in caught.value.problems]


def _first_frame_joints_line() -> tuple[str, int]:
    match = re.search(r"^( +joints: \{left_hip: 45, left_knee: 97.*)$", BASE, re.MULTILINE)
    return match.group(1), BASE[: match.start()].count("\n") + 1


@pytest.mark.parametrize("old, new, expect", [
    ("posture: lying_on_back", "posture: lying_on_sofa", r"figure\.posture: must be .*got \"lying_on_sofa\""),
    ("props: [mat]", "props: [sofa]", r"figure\.props\[0\]: must be .*got \"sofa\""),
    ("moves: [left_leg]", "moves: [tail]", r"figure\.moves\[0\]: must be"),
    ("{left_hip: 45, left_knee: 97,", "{left_hip: 45, left_kne: 97,", r"joints\.left_kne: is not a known field; did you mean `left_knee`"),
    ("{left_hip: 45, left_knee: 97,", "{left_hip: 45, left_knee: 170,",
     r"joints\.left_knee: 170 degrees is outside the normal adult range of the left knee \(0 to 135; AAOS"),
    ("{left_hip: 45, left_knee: 97,", "{left_hip: -20, left_knee: 97,", r"goes through the floor"),
    ("steps: [1]\n", "steps: [9]\n", r"steps\[0\]: there is no step 9"),
])
def test_a_bad_figure_is_refused_at_its_line(tmp_path, old, new, expect):
    assert old in BASE
    problems = _load_text(tmp_path, BASE.replace(old, new, 1))
    found = [p for p in problems if re.search(expect, p)]
    assert found, problems
    assert re.match(r"^exercises\.yml:\d+:\d+: exercises\[\d+\]\.figure", found[0]), found[0]


def test_a_frame_through_the_wall_is_refused(tmp_path):
    old = "joints: {left_hip: 45, left_knee: 45, left_ankle: 0, right_hip: 45, right_knee: 45, right_ankle: 0}"
    assert old in BASE
    problems = _load_text(tmp_path, BASE.replace(old, old.replace("}", ", trunk: -30}"), 1))
    assert any("goes through the wall" in p and "wall" in p for p in problems), problems


def test_an_exercise_without_a_figure_is_refused(tmp_path):
    start = BASE.index("    figure:\n")
    end = BASE.index("    steps:\n", start)
    problems = _load_text(tmp_path, BASE[:start] + BASE[end:])
    assert any(re.match(r"exercises\.yml:\d+:\d+: exercises\[0\]\.figure: is required but missing", p)
               for p in problems), problems


def test_the_schema_covers_the_figure_block():
    from exercise_guide.cli import json_schema
    import json

    schema = json.loads(json_schema())
    assert "figure" in schema["$defs"]["Exercise"]["required"]
    assert "left_knee" in schema["$defs"]["Joints"]["properties"]


# --- in the browser ------------------------------------------------------------------------------

def test_each_exercise_page_shows_its_pictures_first_with_names_and_captions(built_site, guide):
    for ex in guide.exercises:
        html = (built_site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8")
        assert len(html.encode()) < MAX_PAGE_BYTES, f"{ex.slug}: {len(html.encode())} bytes"
        figures = re.findall(r'<figure class="exercise-figure">(.*?)</figure>', html, re.S)
        assert len(figures) == len(ex.figure.frames)
        for fig, frame in zip(figures, ex.figure.frames):
            svg = re.search(r"<svg.*?</svg>", fig, re.S).group(0)
            assert len(svg.encode()) <= MAX_SVG_BYTES, f"{ex.slug}: {len(svg.encode())} bytes"
            assert re.match(r'<svg viewBox="[-\d. ]+" role="img"><title>[^<]{20,}</title>', svg), svg[:120]
            assert frame.caption.split(",")[0].replace("'", "&#39;") in fig
        # Under the title and summary, before the first section.
        assert html.index('class="exercise-figures') < html.index('id="why-this-helps"')


@pytest.fixture(scope="module")
def page(browser, site_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    yield p
    ctx.close()


def _first_picture(page) -> str:
    return page.eval_on_selector_all(".exercise-figure:first-child .fig-body path", "ps => ps.map(p => p.getAttribute('d')).join('|')")


@pytest.fixture
def moving(new_context, site_url):
    """An exercise page on Playwright's clock: time moves only when the test says (no real waiting)."""
    def open_(reduced_motion: str):
        p = new_context(viewport={"width": 1280, "height": 900}, reduced_motion=reduced_motion).new_page()
        p.clock.install()
        p.goto(f"{site_url}/exercises/knee-to-chest/")
        return p
    return open_


def test_show_the_movement_works_by_keyboard_and_pauses(moving):
    page = moving("no-preference")
    button = page.get_by_role("button", name="Show the movement")
    assert button.is_visible()
    before = _first_picture(page)
    page.clock.run_for(5_000)
    page.wait_for_load_state("networkidle")  # whatever it fetched on its own has come
    page.clock.run_for(1_000)
    assert _first_picture(page) == before and button.get_attribute("aria-pressed") != "true", \
        "the movement started by itself"
    button.focus()
    page.keyboard.press("Enter")
    pause = page.get_by_role("button", name="Pause the movement")
    wait_until(page, "() => document.querySelector('.exercise-figures__play').getAttribute('aria-pressed') === 'true'",
               "the movement to start (its poses fetched)")
    page.clock.run_for(900)
    assert _first_picture(page) != before, "the picture did not move in 0.9 s of playing"
    assert pause.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    still = _first_picture(page)
    page.clock.run_for(2_000)
    assert _first_picture(page) == still, "pausing did not stop the movement"


def test_no_movement_for_a_reader_who_asked_for_less(moving):
    page = moving("reduce")
    assert not page.locator(".exercise-figures__play").is_visible()
    before = _first_picture(page)
    page.locator(".exercise-figures__play").dispatch_event("click")
    page.wait_for_load_state("networkidle")  # the movement's positions, had the click fetched them
    page.clock.run_for(5_000)
    assert _first_picture(page) == before, "the picture moved for a reader who asked for less motion"


def test_lists_show_a_small_picture_beside_each_exercise(page, site_url, guide):
    page.goto(f"{site_url}/categories/stretching/")
    stretches = [e for e in guide.exercises if e.category == "stretching"]
    pictures = page.locator("img.exercise-thumb")
    assert pictures.count() == len(stretches)
    assert all(pictures.nth(i).evaluate("i => i.complete && i.naturalWidth > 0") for i in range(pictures.count()))
    page.goto(f"{site_url}/builder/")
    page.wait_for_selector(".builder-choice img.exercise-thumb[src]")
    assert page.locator(".builder-choice img.exercise-thumb[src]").count() == len(guide.exercises)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_every_part_that_carries_meaning_has_3_to_1_contrast_and_stays_apart_in_grey():
    """WCAG 1.4.11 on the white page; and near, far and moving parts differ when printed in grey."""
    from exercise_guide.figures import svg

    white = 1.0
    for name in ("NEAR", "FAR", "ACCENT", "ACCENT_FAR", "PROP"):
        ratio = (white + 0.05) / (_luminance(getattr(svg, name)) + 0.05)
        assert ratio >= 3, f"{name} {getattr(svg, name)}: {ratio:.2f}:1"
    greys = sorted(_luminance(getattr(svg, n)) for n in ("NEAR", "ACCENT", "FAR"))
    assert all(b / a > 1.8 for a, b in zip(greys, greys[1:])), greys


# --- readable on a phone (issue 23) -----------------------------------------------------------

def test_every_picture_is_large_enough_to_read_at_375_px(browser, site_url, guide):
    """At 375 px each frame was about 150 px wide: the ankle on the knee could not be seen. Now each
    drawing is 300 px or more along its long side: a lying body fills the width; a standing one,
    taller than wide, is as tall (beside the other frame when it is very narrow)."""
    tab = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        for ex in guide.exercises:
            tab.goto(f"{site_url}/exercises/{ex.slug}/")
            boxes = tab.evaluate("""() => [...document.querySelectorAll('.exercise-figure svg')].map(s => {
                const r = s.getBoundingClientRect(), v = s.viewBox.baseVal; return [r.width, r.height, v.width, v.height]; })""")
            assert len(boxes) == len(ex.figure.frames)
            for width, height, vw, vh in boxes:
                scale = min(width / vw, height / vh)  # the drawing keeps its shape inside its box
                drawn = max(vw, vh) * scale
                assert drawn >= 300, f"{ex.slug}: a picture {vw * scale:.0f} x {vh * scale:.0f} px at 375 px"
                assert width <= 375 - 16, f"{ex.slug}: the picture is wider than the screen"
    finally:
        tab.close()


def _arrow_length(svg_path_d: str) -> float:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", svg_path_d)]
    (x0, y0), (x1, y1) = numbers[:2], numbers[-2:]
    return math.hypot(x1 - x0, y1 - y0)


def test_every_arrow_is_long_enough_to_read_as_an_arrow(built_site, guide):
    """The wall-squat end frame had a stray mark by the knee: a move too short to draw at its length."""
    from exercise_guide.figures import svg as figure_svg
    for ex in guide.exercises:
        html = (built_site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8")
        last = re.findall(r'<figure class="exercise-figure">(.*?)</figure>', html, re.S)[-1]
        shaft = re.search(r'<path d="(M[^"]+)" stroke="[^"]+" stroke-width="1.8" fill="none" stroke-dasharray', last)
        if shaft:
            assert _arrow_length(shaft.group(1)) >= figure_svg.MIN_DRAWN_ARROW - 5, f"{ex.slug}: arrow too short"


def test_the_wall_squat_arrow_points_down_beside_the_back(guide):
    from exercise_guide.figures import _built
    ex = by_slug(guide, "wall-squats")
    built, arrow = _built(ex.figure)
    assert arrow, "no arrow on wall squats"
    (fx, fy), (tx, ty) = arrow["from"], arrow["tip"]
    assert fy - ty >= 10 and abs(tx - fx) < 3, f"the arrow does not point down: {arrow}"
    back = built.poses[-1].points["pelvis"][0]
    assert abs(tx - back) < 12, "the arrow is not beside the back"
