"""Pictures of the built site for a person to look at: `make pictures` (a script, not a test).

Opens site/ in headless Chromium (the tests' Chromium: tests/local.py) and writes to
test-artifacts/ (ignored by git):

- phone-home.png, phone-<exercise>.png at 375 px; desktop-home.png, desktop-<exercise>.png at 1280 px;
- print-<exercise>.pdf (A4) and print-<exercise>.png, the exercise page as it prints;
- figures.png, a contact sheet: every exercise's pictures with their names and captions;
- with-me-intro-<width>.png, with-me-step-<width>.png: "Do it with me" open, at 375 and 1280 px;
- builder-note-print.png: a home program with a clinician's note, as it prints.

The exercise is the longest one (the most to fit on a phone and on paper). Prints each file's path.

Usage: bench/pictures.py [--site site] [--out test-artifacts]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))

from exercise_guide.data.validate import load  # noqa: E402
from local import launch_chromium, serve_directory  # noqa: E402

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SHEET_STYLE = ("body{font-family:sans-serif;margin:12px} section{break-inside:avoid} h2{font-size:15px;margin:8px 0 0}"
               ".exercise-figures{display:flex;gap:12px} figure{margin:0;width:300px} svg{width:300px;height:140px}"
               "figcaption{font-size:12px} button{display:none}")


def contact_sheet(site: Path, guide) -> str:
    """One page holding each exercise's title and its pictures block, as the built pages have them."""
    rows = []
    for ex in guide.exercises:
        html = (site / "exercises" / ex.slug / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<div class="exercise-figures[ "].*?</div>', html, re.S).group(0)
        rows.append(f"<section><h2>{ex.title}</h2>{block}</section>")
    return (f"<html><head><link rel='stylesheet' href='/assets/extra.css'><style>{SHEET_STYLE}</style></head>"
            f"<body class='md-typeset'>{''.join(rows)}</body></html>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"No built site in {args.site}: run 'make site' first.", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    guide = load(ROOT / "exercises.yml")[0]
    ex = max(guide.exercises, key=lambda e: len(" ".join(e.steps + e.do + e.avoid)))
    args.out.mkdir(exist_ok=True)
    written = []
    with serve_directory(args.site) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                page = browser.new_page(viewport=viewport)
                for name, path in (("home", "/"), (ex.slug, f"/exercises/{ex.slug}/")):
                    page.goto(url + path, wait_until="networkidle")
                    written.append(args.out / f"{size}-{name}.png")
                    page.screenshot(path=str(written[-1]), full_page=True)
                page.close()
            page = browser.new_page(viewport=DESKTOP)
            page.emulate_media(media="print")
            page.goto(f"{url}/exercises/{ex.slug}/", wait_until="networkidle")
            written.append(args.out / f"print-{ex.slug}.pdf")
            page.pdf(path=str(written[-1]), format="A4")
            written.append(args.out / f"print-{ex.slug}.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.goto(f"{url}/builder/#p={ex.slug}&note=Twice%20a%20day%2C%20slowly.")
            page.wait_for_selector("#builder-print .builder-print__note", state="attached")
            written.append(args.out / "builder-note-print.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.close()
            with_me = next(e for e in guide.exercises if e.with_me and e.dosage.per_side and e.dosage.hold_seconds)
            for width in (375, 1280):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(f"{url}/exercises/{with_me.slug}/")
                page.wait_for_function("() => !document.querySelector('.with-me__open').disabled")
                page.locator(".with-me__open").click()
                for name in ("intro", "step"):
                    written.append(args.out / f"with-me-{name}-{width}.png")
                    page.screenshot(path=str(written[-1]))
                    page.keyboard.press("Enter")
                page.close()
            page = browser.new_page(viewport=DESKTOP)
            page.goto(url + "/")
            page.set_content(contact_sheet(args.site, guide))
            page.set_viewport_size({"width": 1000, "height": 800})
            written.append(args.out / "figures.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.close()
        finally:
            browser.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
