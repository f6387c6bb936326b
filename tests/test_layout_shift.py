"""Nothing moves while a page loads: layout shift 0 on every page, as Lighthouse rounds it (issue 17).

Chromium records each layout shift (a `PerformanceObserver` for `layout-shift`, buffered, set up
before the page's first byte) while the page loads and settles. The CPU is slowed four times and
every response comes late, as on a phone on a slow network: a control added after the page is
drawn, or a list filled once its data arrives, then shows up as a shift that a fast run would
hide. Phone and desktop sizes are those Lighthouse uses.

One page of each kind is loaded, in each language: every page made from one template (each
exercise, each category) has the same layout and the same scripts, so the largest of them stands
for the rest; each other page (hand-written or made once, English and Spanish) is loaded itself.
"""

from __future__ import annotations

import pytest

from local import Requests
from test_browser import one_of_each_kind

VIEWPORTS = {"phone": {"width": 412, "height": 823}, "desktop": {"width": 1350, "height": 940}}
# After `load`, the page's own requests (the builder's data) have come, the page has drawn what
# they change (local.Requests.settle), and this long more passes for the browser to report a shift.
REPORT_MS = 100
# Lighthouse reports layout shift to three decimals, so anything under 0.001 is its "0". Under
# the slowed CPU, Material's navigation list on the home page at desktop size moved by 0.0004 in
# about one run of four (2026-11-26): below what any measure shows, and not ours to fix.
UNNOTICED = 0.001

RECORD = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.__shifts.push({value: e.value, moved: e.sources.map(s => {
      const n = s.node;
      return n ? n.nodeName.toLowerCase() + (n.id ? "#" + n.id : "") +
                 (typeof n.className === "string" && n.className ? "." + n.className.split(" ").join(".") : "") +
                 " " + [s.previousRect, s.currentRect].map(r => [r.x, r.y, r.width, r.height].map(Math.round).join(",")).join(" -> ")
             : "?";
    }), at: Math.round(e.startTime)});
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("size", VIEWPORTS)
def test_no_page_moves_while_it_loads(browser, site_url, built_site, size):
    context = browser.new_context(viewport=VIEWPORTS[size])
    context.add_init_script(RECORD)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 150, "downloadThroughput": -1, "uploadThroughput": -1})
    moved = {}

    loading = Requests(page)

    def shifted(path: str) -> tuple | None:
        page.goto(site_url + path, wait_until="load")
        loading.settle()
        page.wait_for_timeout(REPORT_MS)
        shifts = page.evaluate("window.__shifts")
        total = sum(s["value"] for s in shifts)
        return (round(total, 4), [[s["at"], *s["moved"]] for s in shifts][:3]) if total >= UNNOTICED else None

    try:
        builders = [b for b in ("/builder/", "/es/builder/") if (built_site / b.strip("/") / "index.html").is_file()]
        for path in one_of_each_kind(built_site) + [b + "#p=" + builder_program(built_site) for b in builders]:
            found = shifted(path)
            # What we add late moves the page on every load. A page that moved once is loaded
            # twice more and fails if it moves again: once in a loaded test run, Material's footer
            # moved by 0.004 on a short page, and did not in 32 loads after.
            if found is not None:
                again = [f for f in (shifted(path), shifted(path)) if f is not None]
                if again:
                    moved[path] = [found, *again]
    finally:
        context.close()
    assert not moved, f"layout shift at {size} size (total, what moved):\n" + "\n".join(
        f"  {path}: {found}" for path, found in moved.items())


def builder_program(site) -> str:
    """A program of two exercises, as the builder's link holds it: the page opened with one."""
    slugs = sorted(p.name for p in (site / "exercises").iterdir() if (p / "index.html").is_file()
                   and 'http-equiv="refresh"' not in (p / "index.html").read_text(encoding="utf-8"))
    return ",".join(slugs[:2])
