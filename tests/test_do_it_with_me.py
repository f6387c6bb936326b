""""Do it with me" (docs/assets/do-it-with-me.js), the guided mode on every exercise page.

In Chromium, on the real built site: a whole session driven by the keyboard alone, with the
hold counted down on Playwright's fake clock (no real waiting); each step, time ("2 of 5"),
side and countdown as the exercise's data says; what a screen reader hears; pause, go on,
back and stop; the sound and the buzz, and turning them off; nothing stored; the screen kept
on; reduced motion; offline; axe-core with the mode open; the page without JavaScript exactly
as it was; no layout shift; and the amounts a clinician set in a home program.

The expected sessions are worked out here from exercises.yml (the `guide` fixture), on their
own, not read from the page.
"""

from __future__ import annotations

import base64
import json
import re
import textwrap
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

import search_ui
from exercise_guide.data.problems import SourceError
from exercise_guide.data.validate import load

ROOT = Path(__file__).resolve().parent.parent
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FIELDS = ["repetitions", "hold_seconds", "sets", "times_per_day", "minutes"]

# Records, in the page, each note the mode plays, each buzz and each wake-lock request. The real
# APIs still run: these only count the calls (headless Chromium has no speaker or motor to check).
SPIES = """
window.__notes = 0; window.__buzz = []; window.__wake = 0; window.__granted = 0; window.__released = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...a) { window.__notes += 1; return start.apply(this, a); };
navigator.vibrate = function (pattern) { window.__buzz.push(pattern); return true; };
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = function (type) {
    window.__wake += 1;
    return request(type).then(lock => {
      window.__granted += 1;
      lock.addEventListener('release', () => { window.__released += 1; });
      return lock;
    });
  };
}
"""


# ----------------------------------------------------------------------------- the expected session

def session(ex, dose: dict | None = None) -> list[dict]:
    """The screens of a session, from exercises.yml alone: text, side, rep label and seconds."""
    d = {f: getattr(ex.dosage, f) for f in FIELDS}
    d.update(dose or {})
    w = ex.with_me
    steps = list(ex.steps)
    first, last = w.repeat
    remember = set(w.remember)
    before = [steps[i - 1] for i in range(1, first) if i not in remember]
    after = [steps[i - 1] for i in range(last + 1, len(steps) + 1) if i not in remember]
    seconds = d["hold_seconds"] or (d["minutes"] or 0) * 60
    reps = d["repetitions"] or 1
    sides = list(w.sides) if ex.dosage.per_side else [None]
    timer = w.timer_step or first   # a program's hold for an exercise without one: on its first repeated step
    out = [{"text": s, "side": None, "rep": None, "seconds": 0} for s in before]
    for k, side in enumerate(sides):
        if k:
            out += [{"text": s, "side": side, "rep": None, "seconds": 0} for s in after]
            # each side its own set-up (issue 23): the set-up steps that read differently on this side
            out += [{"text": w.other_side[i], "side": side, "rep": None, "seconds": 0}
                    for i in range(1, first) if i not in remember and i in w.other_side]
        for _ in range(d["sets"] or 1):
            for rep in range(1, reps + 1):
                for n in range(first, last + 1):
                    text = (w.other_side.get(str(n)) if k else None) or steps[n - 1]
                    out.append({"text": text, "side": side,
                                "rep": f"{rep} of {reps}" if d["repetitions"] else None,
                                "seconds": seconds if n == timer else 0})
    if len(sides) == 1:
        out += [{"text": s, "side": None, "rep": None, "seconds": 0} for s in after]
    return out


def pick(guide, per_side: bool, hold: bool, minutes: bool = False):
    for ex in guide.exercises:
        if (ex.with_me and ex.dosage.per_side == per_side and bool(ex.dosage.hold_seconds) == hold
                and bool(ex.dosage.minutes) == minutes):
            return ex
    # The real data has each kind; an edit that loses one must not leave its checks silently unrun.
    pytest.fail(f"exercises.yml has no exercise with 'Do it with me' that is per_side={per_side}, "
                f"holds={hold}, minutes={minutes}: these checks need one")


# ----------------------------------------------------------------------------- fixtures and helpers

@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 375, "height": 740})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def open_page(ctx, url: str, errors: list | None = None):
    page = ctx.new_page()
    page.add_init_script(SPIES)
    if errors is not None:
        page.on("console", lambda m: m.type in ("error", "warning") and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    page.goto(url)
    page.wait_for_function("() => !document.querySelector('.with-me__open').disabled")
    return page


def tab_to_button(page) -> None:
    """Reach the "Do it with me" button with the Tab key only, as a keyboard user does."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('with-me__open')"):
            return
    raise AssertionError("the Tab key never reached the 'Do it with me' button")


def shown(page) -> dict:
    return page.evaluate("""() => {
        const q = s => document.querySelector('#with-me-dialog ' + s);
        const text = el => el && !el.closest('[hidden]') ? el.textContent.trim() : '';
        const clock = q('.with-me__clock');
        return {text: text(q('.with-me__step')), side: text(q('.with-me__side')) || null,
                rep: text(q('.with-me__rep')) || null, label: text(q('.with-me__label')),
                count: clock && !clock.hidden && clock.style.visibility !== 'hidden' ? text(q('.with-me__count')) : '',
                live: q('.with-me__live').textContent, next: text(q('.with-me__next')),
                focus: document.activeElement.className};
    }""")


def notes(page) -> int:
    return page.evaluate("() => window.__notes")


# ----------------------------------------------------------------------------- the built pages

def test_every_exercise_page_carries_the_mode(built_site, guide):
    """Each page has the button (disabled until the script wires it), its data from exercises.yml,
    the words in data- attributes, a <noscript> stylesheet that hides it, and no word in the JS file."""
    for ex in guide.exercises:
        html = (built_site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<div class="with-me"[^>]*>(.*?)</div>', html, re.S)
        assert block, ex.slug
        assert '<button type="button" class="with-me__open" disabled>Do it with me</button>' in block.group(1)
        assert '<noscript><link rel="stylesheet" href="../../assets/do-it-with-me-nojs.css"></noscript>' \
            in block.group(1)
        data = json.loads(re.search(r'<script type="application/json" class="with-me__data">(.*?)</script>',
                                    block.group(1), re.S).group(1))
        assert data["slug"] == ex.slug and data["steps"] == list(ex.steps)
        assert data["dosage"]["repetitions"] == ex.dosage.repetitions
        assert data["dosage"]["hold_seconds"] == ex.dosage.hold_seconds
        assert data["sides"] == list(ex.with_me.sides)
        # right under the summary (and the figures), before the rest of the page
        assert html.index('class="lead"') < html.index('class="with-me"') < html.index('id="why-this-helps"')
    script = (built_site / "assets" / "do-it-with-me.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    strings = re.findall(r'"([^"\\]*)"', code)
    patient_words = [s for s in strings if re.search(r"[A-Z][a-z]+ [a-z]+", s)]
    assert not patient_words, f"words for patients belong in the template: {patient_words}"
    pages = [d for d in search_ui.index_entries(built_site) if d["url"].startswith("exercises/")]
    assert pages and not [d["url"] for d in pages if "Do it with me" in d["text"]], \
        "the button's words are not page content for search"


# ----------------------------------------------------------------------------- a whole session

def test_a_whole_session_by_keyboard(context, site_url, guide):
    """Per side, with a hold: every screen in order, the count, the sound, the buzz, what a screen
    reader hears at each time and at the end of each hold; Enter only."""
    ex = pick(guide, per_side=True, hold=True)
    errors: list[str] = []
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/", errors)
    tab_to_button(page)
    page.keyboard.press("Enter")
    dialog = page.locator("#with-me-dialog")
    assert dialog.is_visible()
    intro = page.locator("#with-me-dialog .with-me__intro").inner_text()
    assert f"Times: {ex.dosage.repetitions} on each side" in intro
    assert f"Seconds to hold: {ex.dosage.hold_seconds}" in intro
    assert "A gentle pull is normal. Stop if it hurts or makes your pain worse." in intro
    now = shown(page)
    assert now["next"] == "Start" and "with-me__next" in now["focus"]

    expected = session(ex)
    holds = 0
    for i, screen in enumerate(expected):
        page.keyboard.press("Enter") if i == 0 or not expected[i - 1]["seconds"] else None
        now = shown(page)
        assert now["text"] == screen["text"], f"screen {i}"
        assert now["side"] == screen["side"], f"screen {i}"
        assert now["rep"] == screen["rep"], f"screen {i}"
        if screen["rep"] and (expected[i - 1]["rep"], expected[i - 1]["side"]) != (screen["rep"], screen["side"]):
            assert screen["rep"] in now["live"], f"each time is announced (screen {i})"
        if screen["seconds"]:
            assert now["count"] == str(screen["seconds"])
            assert f"Hold for {screen['seconds']} seconds." in now["live"]
            page.clock.run_for(1000)
            assert shown(page)["count"] == str(screen["seconds"] - 1)
            assert "Hold for" in shown(page)["live"], "not every second: the count itself is not announced"
            before = notes(page)
            page.clock.run_for(screen["seconds"] * 1000)
            holds += 1
            after = shown(page)
            assert after["live"].startswith("Hold done."), after["live"]
            assert notes(page) == before + 2, "a two-note sound at the end of the hold"
            assert len(page.evaluate("() => window.__buzz")) == holds
        else:
            assert now["count"] == ""
        assert "with-me__next" in shown(page)["focus"], "the focus stays on Next"
    page.keyboard.press("Enter")
    end = shown(page)
    assert end["text"] == "All done. Well done!" and end["next"] == "Close"
    assert "All done" in end["live"]
    assert holds == ex.dosage.repetitions * 2
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('with-me__open')")
    assert errors == []


def test_steps_without_a_hold_and_things_to_remember(context, site_url, guide):
    """No hold: each time is its steps, by Next, with the reminders (how to breathe) under them."""
    ex = next((e for e in guide.exercises if e.with_me and e.with_me.remember and not e.dosage.hold_seconds
               and e.dosage.repetitions), None)
    if ex is None:
        pytest.fail("exercises.yml has no exercise without a hold that has reminders: this check needs one")
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    expected = session(ex)
    for i, screen in enumerate(expected):
        page.keyboard.press("ArrowRight")
        now = shown(page)
        assert (now["text"], now["rep"]) == (screen["text"], screen["rep"]), f"screen {i}"
        reminder = page.locator("#with-me-dialog .with-me__remember").inner_text()
        if screen["rep"]:
            assert all(ex.steps[n - 1] in reminder for n in ex.with_me.remember)
        assert not page.locator("#with-me-dialog .with-me__clock").is_visible()


def open_at_first(context, site_url, ex, key: str):
    """The mode of `ex`, opened and moved on to the first screen whose `key` is set; (page, screens, index)."""
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    expected = session(ex)
    index = next(i for i, s in enumerate(expected) if s[key])
    for _ in range(index + 1):
        page.keyboard.press("ArrowRight")
    return page, expected, index


def test_timed_cardio_counts_down_minutes(context, site_url, guide):
    ex = pick(guide, per_side=False, hold=False, minutes=True)
    page, expected, timed = open_at_first(context, site_url, ex, "seconds")
    now = shown(page)
    assert now["text"] == expected[timed]["text"] and now["rep"] is None
    assert now["count"] == f"{ex.dosage.minutes}:00"
    assert f"Minutes to go: {ex.dosage.minutes}." in now["live"]
    page.clock.run_for(60_000)
    assert shown(page)["count"] == f"{ex.dosage.minutes - 1}:00"
    if ex.dosage.minutes > 1:
        assert shown(page)["live"] == f"Minutes left: {ex.dosage.minutes - 1}.", "one message a minute"
    page.clock.run_for(ex.dosage.minutes * 60_000)
    assert shown(page)["live"].startswith("Time is up.")
    assert notes(page) == 2


def test_pause_go_on_back_and_stop(context, site_url, guide):
    ex = pick(guide, per_side=True, hold=True)
    expected = session(ex)
    hold = next(i for i, s in enumerate(expected) if s["seconds"])
    seconds = expected[hold]["seconds"]
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    tab_to_button(page)
    page.keyboard.press("Space")
    for _ in range(hold + 1):
        page.keyboard.press("ArrowRight")
    assert shown(page)["count"] == str(seconds)
    page.clock.run_for(2000)
    assert shown(page)["count"] == str(seconds - 2)

    # Pause with the key P: the count stands still.
    page.keyboard.press("p")
    assert shown(page)["live"] == "Paused."
    assert page.locator("#with-me-dialog .with-me__pause").inner_text() == "Go on"
    page.clock.run_for(30_000)
    assert shown(page)["count"] == str(seconds - 2) and notes(page) == 0
    # Go on with the button itself, reached with Tab and pressed with Space.
    page.locator("#with-me-dialog .with-me__pause").focus()
    page.keyboard.press("Space")
    assert shown(page)["live"] == "Going on."
    page.clock.run_for(1000)
    assert shown(page)["count"] == str(seconds - 3)

    # Back: the step before; Next again starts the hold from its full length.
    page.keyboard.press("ArrowLeft")
    assert shown(page)["text"] == expected[hold - 1]["text"] and shown(page)["count"] == ""
    page.clock.run_for(60_000)
    assert notes(page) == 0, "no count runs on a step without a hold"
    page.keyboard.press("ArrowRight")
    assert shown(page)["count"] == str(seconds)

    # Stop with Escape: the mode closes, its count stops, the focus is back on the button.
    page.keyboard.press("Escape")
    assert not page.locator("#with-me-dialog").is_visible()
    page.clock.run_for(120_000)
    assert notes(page) == 0
    assert page.evaluate("() => document.activeElement.classList.contains('with-me__open')")
    # Opened again, it starts from the beginning; the Stop button closes it too.
    page.keyboard.press("Enter")
    assert shown(page)["next"] == "Start"
    page.locator("#with-me-dialog .with-me__stop").focus()
    page.keyboard.press("Enter")
    assert not page.locator("#with-me-dialog").is_visible()


def test_sound_and_buzz_can_be_turned_off(context, site_url, guide):
    ex = pick(guide, per_side=True, hold=True)
    expected = session(ex)
    hold = next(i for i, s in enumerate(expected) if s["seconds"])
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    for name, word in (("sound", "Sound"), ("buzz", "Buzz")):
        toggle = page.locator(f"#with-me-dialog .with-me__{name}")
        assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == f"{word}: on"
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-pressed") == "false" and toggle.inner_text() == f"{word}: off"
    page.locator("#with-me-dialog .with-me__next").focus()
    for _ in range(hold + 1):
        page.keyboard.press("Enter")
    page.clock.run_for(expected[hold]["seconds"] * 1000 + 500)
    assert shown(page)["live"].startswith("Hold done."), "the screen reader still hears it"
    assert notes(page) == 0 and page.evaluate("() => window.__buzz") == []
    # On again: the next hold sounds.
    page.locator("#with-me-dialog .with-me__sound").click()
    page.locator("#with-me-dialog .with-me__next").focus()
    nxt = next(i for i in range(hold + 1, len(expected)) if expected[i]["seconds"])
    for _ in range(nxt - hold - 1):
        page.keyboard.press("Enter")
    page.clock.run_for(expected[nxt]["seconds"] * 1000 + 500)
    assert notes(page) == 2 and page.evaluate("() => window.__buzz") == []


def test_nothing_stored_screen_kept_on_and_offline(context, site_url, guide):
    """After loading, the network goes; a session with a hold still runs, asks for no file and
    stores nothing: no cookie, no localStorage or sessionStorage entry, no IndexedDB."""
    ex = pick(guide, per_side=True, hold=True)
    expected = session(ex)
    hold = next(i for i, s in enumerate(expected) if s["seconds"])
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.wait_for_load_state("networkidle")
    storage = "() => [JSON.stringify(localStorage), JSON.stringify(sessionStorage), document.cookie]"
    stored = page.evaluate(storage)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    context.set_offline(True)
    try:
        page.locator(".with-me__open").click()
        for _ in range(hold + 1):
            page.keyboard.press("ArrowRight")
        page.clock.run_for(expected[hold]["seconds"] * 1000 + 500)
        assert shown(page)["live"].startswith("Hold done.") and notes(page) == 2
        assert page.evaluate("() => window.__wake") == 1, "asks to keep the screen on"
        page.keyboard.press("Escape")
        page.wait_for_function("() => window.__released === window.__granted")   # and lets it go
    finally:
        context.set_offline(False)
    assert [r for r in requests if not r.endswith("/favicon.png")] == []   # the browser's own icon aside
    assert page.evaluate(storage) == stored
    assert stored[2] == "" and len(context.cookies()) == 0
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0


def test_reduced_motion(new_context, site_url, guide):
    ex = pick(guide, per_side=True, hold=True)
    durations = {}
    for motion in ("no-preference", "reduce"):
        ctx = new_context(viewport={"width": 375, "height": 740}, reduced_motion=motion)
        page = open_page(ctx, f"{site_url}/exercises/{ex.slug}/")
        page.locator(".with-me__open").click()
        durations[motion] = page.evaluate(
            "() => getComputedStyle(document.querySelector('#with-me-dialog .with-me__fill')).transitionDuration")
    assert durations["no-preference"] != "0s"
    assert durations["reduce"] == "0s"


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_and_touch_targets_with_the_mode_open(new_context, site_url, guide, width):
    ex = pick(guide, per_side=True, hold=True)
    ctx = new_context(viewport={"width": width, "height": 800})
    page = open_page(ctx, f"{site_url}/exercises/{ex.slug}/")
    button = page.locator(".with-me__open").bounding_box()
    assert button["height"] >= 44 and button["width"] >= 44
    page.locator(".with-me__open").click()
    for screen in range(3):
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.response["violations"] == [], results.generate_report()
        # every button shown (the pace buttons only where steps go on by themselves)
        for box in page.locator("#with-me-dialog button:visible").all():
            size = box.bounding_box()
            assert size["height"] >= 44 and size["width"] >= 44, box.inner_text()
        page.keyboard.press("ArrowRight")


# ----------------------------------------------------------------------------- the page itself

def test_without_javascript_the_page_is_as_before(new_context, site_url, guide):
    """Without JavaScript the page looks exactly as it does with the mode's block taken out of
    its HTML: no button, no gap."""
    ex = guide.exercises[0]
    url = f"{site_url}/exercises/{ex.slug}/"
    shots = []
    for strip in (False, True):
        ctx = new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
        page = ctx.new_page()
        if strip:
            def without(route):
                html = route.fetch().text()
                cut = re.sub(r'\n<div class="with-me".*?</div>\n', "\n", html, count=1, flags=re.S)
                assert cut != html
                route.fulfill(body=cut, content_type="text/html")
            page.route(url, without)
        page.goto(url)
        assert page.locator(".with-me__open").count() == (0 if strip else 1)
        if not strip:
            assert not page.locator(".with-me__open").is_visible()
        shots.append(page.screenshot(full_page=True))
    assert differing_pixels(new_context().new_page(), *shots) == 0


def differing_pixels(page, one: bytes, other: bytes, tolerance: int = 8) -> int:
    """How many pixels of two PNG pictures of one size differ by more than `tolerance` (of 255) in
    any colour: on a busy machine Chromium's edge smoothing of a rounded corner came out one shade
    apart between two drawings of the same page, which no eye can see. Read by the browser's canvas."""
    return page.evaluate("""async ([a, b, tolerance]) => {
        const load = src => new Promise((ok, no) => { const i = new Image(); i.onload = () => ok(i); i.onerror = no; i.src = src; });
        const [x, y] = await Promise.all([load(a), load(b)]);
        if (x.width !== y.width || x.height !== y.height) return x.width * x.height + 1;
        const pixels = img => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; };
        const p = pixels(x), q = pixels(y);
        let n = 0;
        for (let i = 0; i < p.length; i += 4)
            if (Math.abs(p[i] - q[i]) > tolerance || Math.abs(p[i + 1] - q[i + 1]) > tolerance || Math.abs(p[i + 2] - q[i + 2]) > tolerance) n++;
        return n;
    }""", ["data:image/png;base64," + base64.b64encode(one).decode(), "data:image/png;base64," + base64.b64encode(other).decode(), tolerance])


def test_the_button_moves_nothing_as_the_page_loads(new_context, site_url, guide):
    """Layout shift 0 from the mode on a slow phone: the button is drawn with the page, so nothing
    in or after the mode's block moves, and the page as a whole stays under 0.001 (Lighthouse's 0;
    Material's own navigation has moved by 0.0008 in a loaded run). (copy-link.js, whose buttons
    another change moves out of the way, is held back here.)"""
    ex = guide.exercises[0]
    # A phone width, and tall enough that the button is on the first screen: Chromium counts a shift
    # only where it can be seen (at 740 px the button is just below it, and this test saw nothing).
    ctx = new_context(viewport={"width": 375, "height": 1100})
    page = ctx.new_page()
    page.route(re.compile(r".*/copy-link\.js$"), lambda route: route.abort())
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.add_init_script("""window.__shifts = []; new PerformanceObserver(l => { for (const e of l.getEntries())
        if (!e.hadRecentInput) window.__shifts.push({value: e.value, mode: e.sources.some(s => s.node &&
          s.node.nodeType === 1 && (s.node.closest('.with-me') ||
          (document.querySelector('.with-me').compareDocumentPosition(s.node) & Node.DOCUMENT_POSITION_FOLLOWING)))});
      }).observe({type: 'layout-shift', buffered: true});""")
    page.goto(f"{site_url}/exercises/{ex.slug}/")
    page.wait_for_function("() => !document.querySelector('.with-me__open').disabled")
    page.wait_for_timeout(500)
    assert page.locator(".with-me__open").is_visible()
    shifts = page.evaluate("() => window.__shifts")
    assert not [s for s in shifts if s["mode"]], f"the mode or what follows it moved: {shifts}"
    assert sum(s["value"] for s in shifts) < 0.001, shifts


# ----------------------------------------------------------------------------- a home program

def test_amounts_from_a_home_program(context, site_url, guide):
    """The builder's program links each exercise's "Do it with me" with the amounts set there;
    the mode then uses them: 2 times, a 3-second hold."""
    ex = pick(guide, per_side=True, hold=True)
    page = context.new_page()
    page.add_init_script(SPIES)
    page.clock.install()
    page.goto(f"{site_url}/builder/#p={ex.slug}:2:3:::")
    link = page.locator(f"#builder-program li[data-slug='{ex.slug}'] a[data-slot='with-me']")
    link.wait_for()
    assert link.get_attribute("aria-label").startswith("Do it with me")
    # A clinician changes the hold in the program: the link follows.
    page.locator(f"#builder-program li[data-slug='{ex.slug}'] input[data-field='hold_seconds']").fill("4")
    assert link.get_attribute("href").endswith(f"#p={ex.slug}:2:4:::")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/exercises/{ex.slug}/#p={ex.slug}:2:4:::$"))
    page.wait_for_function("() => !document.querySelector('.with-me__open').disabled")
    page.locator(".with-me__open").click()
    intro = page.locator("#with-me-dialog .with-me__intro").inner_text()
    assert "Amounts from your home program:" in intro and "Times: 2" in intro and "Seconds to hold: 4" in intro
    expected = session(ex, {"repetitions": 2, "hold_seconds": 4})
    holds = 0
    for i, screen in enumerate(expected):
        if i == 0 or not expected[i - 1]["seconds"]:
            page.keyboard.press("ArrowRight")
        now = shown(page)
        assert (now["text"], now["side"], now["rep"]) == (screen["text"], screen["side"], screen["rep"]), i
        if screen["seconds"]:
            assert now["count"] == "4"
            page.clock.run_for(4000)
            holds += 1
    assert holds == 4   # 2 times on each of the 2 sides
    page.keyboard.press("ArrowRight")
    assert shown(page)["text"] == "All done. Well done!"


def test_a_program_can_add_a_hold(context, site_url, guide):
    """A clinician gives a hold to an exercise that has none: it is counted on its first repeated step."""
    ex = pick(guide, per_side=False, hold=False)
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/#p={ex.slug}:2:3:::")
    page.locator(".with-me__open").click()
    assert "Seconds to hold: 3" in page.locator("#with-me-dialog .with-me__intro").inner_text()
    expected = session(ex, {"repetitions": 2, "hold_seconds": 3})
    assert sum(1 for s in expected if s["seconds"]) == 2
    for i, screen in enumerate(expected):
        if i == 0 or not expected[i - 1]["seconds"]:
            page.keyboard.press("ArrowRight")
        now = shown(page)
        assert (now["text"], now["rep"]) == (screen["text"], screen["rep"]), i
        if screen["seconds"]:
            assert now["count"] == "3"
            page.clock.run_for(3000)
    assert notes(page) == 4


def test_a_program_link_for_another_exercise_or_a_damaged_one_keeps_the_page_amounts(context, site_url, guide):
    ex = pick(guide, per_side=True, hold=True)
    other = next(e for e in guide.exercises if e.slug != ex.slug)
    for hash_ in (f"#p={other.slug}:1:1:::", f"#p={ex.slug}:x:-3:::", "#how-much", "#p="):
        page = open_page(context, f"{site_url}/exercises/{ex.slug}/{hash_}")
        page.locator(".with-me__open").click()
        intro = page.locator("#with-me-dialog .with-me__intro").inner_text()
        assert f"Times: {ex.dosage.repetitions}" in intro, hash_
        assert f"Seconds to hold: {ex.dosage.hold_seconds}" in intro, hash_
        assert ("home program" in intro) == hash_.startswith(f"#p={ex.slug}"), hash_
        page.close()


# ----------------------------------------------------------------------------- bad input

def _problems(tmp_path, text: str) -> str:
    path = tmp_path / "exercises.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load(path)
    return caught.value.report()


@pytest.mark.parametrize("old, new, message", [
    ("      repeat: [3, 5]\n      timer_step: 4\n", "      repeat: [3, 9]\n      timer_step: 4\n",
     "there are only 6 steps, so the last repeated step cannot be step 9"),
    ("      repeat: [3, 5]\n      timer_step: 4\n", "      repeat: [3, 5]\n      timer_step: 2\n",
     "step 2 is not one of the repeated steps (3 to 5)"),
    ("      repeat: [3, 5]\n      timer_step: 4\n", "      repeat: [3, 5]\n",
     "say on which step the hold or the time is counted down (timer_step: N)"),
    ("      sides: [Right leg, Left leg]\n", "",
     "the dosage is per side: name the two sides (sides: [Right leg, Left leg])"),
    ("      sides: [Right leg, Left leg]\n", "      sides: [Right leg]\n",
     "name the two sides, in the order the steps do them"),
    ("      sides: [Right leg, Left leg]\n", "      sides: [Right leg, Left leg]\n      remember: [4]\n",
     "step 4 must be a step outside the repeated ones"),
    ("      sides: [Right leg, Left leg]\n", "      sides: [Right leg, Left leg]\n      other_side:\n        6: Lower it.\n",
     "step 6 is not a set-up or repeated step (1 to 5)"),
    ("      hold_seconds: 20\n", "",
     "the dosage has no hold_seconds or minutes to count down; remove timer_step or add one of them"),
])
def test_with_me_mistakes_are_named_with_their_line(tmp_path, old, new, message):
    text = (ROOT / "exercises.yml").read_text(encoding="utf-8")
    assert old in text
    report = _problems(tmp_path, text.replace(old, new, 1))
    line = text[:text.index(old)].count("\n") + 1
    block_line = text[:text.rindex("    with_me:\n", 0, text.index(old))].count("\n") + 1
    found = [row for row in report.splitlines() if message in row]
    assert len(found) == 1, report
    at = int(re.search(r"exercises\.yml:(\d+)", found[0]).group(1))
    assert block_line <= at <= line + max(1, new.count("\n")), found[0]   # in the with_me: block, at the field
    assert "exercises[0].with_me" in found[0]


def test_a_mode_without_with_me_uses_every_step(tmp_path):
    """An editor who writes no `with_me:` still gets a working button: every step each time,
    the count on the last one."""
    from exercise_guide.pages import with_me

    text = (ROOT / "exercises.yml").read_text(encoding="utf-8")
    block = textwrap.dedent("""\
        with_me:
          repeat: [3, 5]
          timer_step: 4
          sides: [Right leg, Left leg]
    """)
    indented = textwrap.indent(block, "    ")
    assert indented in text
    path = tmp_path / "exercises.yml"
    path.write_text(text.replace(indented, "", 1), encoding="utf-8")
    guide, _ = load(path)
    plan = with_me.plan(guide, guide.exercises[0])
    steps = len(guide.exercises[0].steps)
    assert plan["repeat"] == list(range(steps)) and plan["timer"] == steps - 1 and plan["sides"] == []


def test_the_mode_links_to_when_to_get_help(context, site_url, guide):
    """Issue 12: the guided mode, like every exercise page, says where the emergency signs are."""
    ex = guide.exercises[0]
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    link = page.locator("#with-me-dialog .with-me__help a")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/get-help/")
    assert page.locator("h1").inner_text().startswith("When to get help")


# ----------------------------------------------------------------------------- issue 23

def test_the_second_side_gets_its_own_set_up_and_sides_are_named_as_the_steps_name_them(context, site_url, guide):
    ex = next(e for e in guide.exercises if e.slug == "piriformis-stretch")
    assert ex.with_me.sides[0].lower().startswith("right ankle") and "right ankle" in ex.steps[1].lower()
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    seen = []
    for _ in range(len(session(ex)) + 1):
        page.keyboard.press("ArrowRight")
        now = shown(page)
        seen.append((now["side"], now["text"]))
    second = ex.with_me.sides[1]
    texts = [t for side, t in seen if side == second]
    assert "Cross your left ankle over your right knee." in texts, texts
    assert "Hold the back of your right thigh with both hands." in texts, texts
    assert texts.index("Hold the back of your right thigh with both hands.") < texts.index(ex.with_me.other_side["4"])


def test_each_step_shows_its_picture(context, site_url, guide):
    ex = next(e for e in guide.exercises if e.slug == "piriformis-stretch")
    page = open_page(context, f"{site_url}/exercises/{ex.slug}/")
    page.locator(".with-me__open").click()
    assert not page.locator("#with-me-dialog .with-me__picture").is_visible(), "no picture over the intro"
    pictures = page.eval_on_selector_all(".exercise-figure svg .fig-body", "gs => gs.map(g => g.innerHTML)")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        step = shown(page)["text"]
        number = ex.steps.index(step) + 1 if step in ex.steps else None
        if number is None:
            continue
        frame = next(k for k, f in enumerate(ex.figure.frames) if number in f.steps)
        box = page.locator("#with-me-dialog .with-me__picture")
        assert box.is_visible() and box.bounding_box()["height"] >= 120, step
        assert box.locator(".fig-body").inner_html() == pictures[frame], f"step {number}: not the picture of frame {frame + 1}"


def test_steps_without_a_hold_go_on_by_themselves_at_a_pace_the_reader_sets(context, site_url, guide):
    ex = next(e for e in guide.exercises if e.slug == "wall-squats")
    assert not ex.dosage.hold_seconds and ex.dosage.repetitions >= 10
    page, expected, first = open_at_first(context, site_url, ex, "rep")
    assert shown(page)["rep"] == expected[first]["rep"]
    pace = page.locator("#with-me-dialog .with-me__pace-says")
    assert pace.inner_text() == "Pace: 4 seconds a step"
    page.clock.run_for(4100)
    assert shown(page)["text"] == expected[first + 1]["text"], "the next step did not come by itself"
    page.locator("#with-me-dialog .with-me__slower").click()
    assert pace.inner_text() == "Pace: 5 seconds a step"
    page.clock.run_for(4100)
    assert shown(page)["text"] == expected[first + 1]["text"], "slower is not slower"
    page.clock.run_for(1000)
    assert shown(page)["text"] == expected[first + 2]["text"]
    page.keyboard.press("p")
    page.clock.run_for(30_000)
    assert shown(page)["text"] == expected[first + 2]["text"], "pause did not stop it"
    page.keyboard.press("ArrowRight")   # and a tap still goes on
    assert shown(page)["text"] == expected[first + 3]["text"]


def test_when_to_get_help_looks_like_a_link_in_the_mode(context, site_url, guide):
    page = open_page(context, f"{site_url}/exercises/{guide.exercises[0].slug}/")
    page.locator(".with-me__open").click()
    link = page.locator("#with-me-dialog .with-me__help a")
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    assert link.evaluate("a => getComputedStyle(a).color") != link.evaluate(
        "a => getComputedStyle(a.parentElement).color")
