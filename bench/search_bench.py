"""Which search library (issue 24): the candidates measured on the real site. A script that prints
figures, not a test.

    .venv/bin/python bench/search_bench.py [--minisearch FILE] [--pagefind BINARY] [--site DIR]

- lunr 2.3.9, the site's own search as shipped (docs/assets/search.js, assets/search/en.json);
- MiniSearch 7.2.0 (`--minisearch`: its dist/umd/index.js, minified), on the same index file, with
  the same field weights, page weights and edit distance, prefix search on; it has no stemmer;
- Pagefind 1.5.2 (`--pagefind`: the binary of PyPI's pagefind-bin), on the built pages
  (`--root-selector article`), other names and body words added to each page with
  `data-pagefind-weight="10"`; its WebAssembly needs 'wasm-unsafe-eval' (the bench lifts the CSP).

For each: the ranking tables of tests/test_search.py (patient queries in the top three; titles,
other names first; titles one letter off in the top three; exercises before lists), the bytes a
first query loads (gzip -9 of what the server sends; Pagefind's index files are gzipped already),
the first query's time (loading included) and the median of 10 later queries. For lunr the time is
the real interface's: from the last letter typed to the first result in the panel, painted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "hooks")]

from exercise_guide.data.validate import load  # noqa: E402
from test_search import CONDITIONS, LIST_QUERIES, LISTS, QUERIES, one_letter_off  # noqa: E402

TIMED = ["walking", "hamstring strech", "tummy", "sciatica", "knee hug", "bum stretch", "excercise",
         "stationary bike", "pinched nerve", "lower back stretch"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def score(found: dict[str, list[str]], guide) -> dict[str, str]:
    table = sum(wanted in found[q][:3] for q, wanted in QUERIES)
    titles = sum(found[e.title][:1] == [f"/exercises/{e.slug}/"] for e in guide.exercises)
    names = [(n, e) for e in guide.exercises for n in e.also_called]
    named = sum(found[n][:1] == [f"/exercises/{e.slug}/"] for n, e in names)
    typos = one_letter_off(guide)
    slips = sum(f"/exercises/{slug}/" in found[t][:3] for t, slug in typos)

    def exercises_first(pages: list[str]) -> bool:
        lists = [p for p in pages if p in LISTS or p.startswith("/categories/")]
        ex = [p for p in pages if p.startswith("/exercises/") and p != "/exercises/"]
        return bool(ex) and (not lists or pages.index(ex[0]) < pages.index(lists[0]))

    ordered = sum(exercises_first(found[q]) for q in LIST_QUERIES)
    help_ = sum("/get-help/" in found[q][:3] and "/" in found[q][:3] for q in CONDITIONS)
    return {"patient queries (top 3)": f"{table}/{len(QUERIES)}", "titles first": f"{titles}/{len(guide.exercises)}",
            "other names first": f"{named}/{len(names)}", "title one letter off (top 3)": f"{slips}/{len(typos)}",
            "exercises before lists": f"{ordered}/{len(LIST_QUERIES)}",
            "conditions: get help + home (top 3)": f"{help_}/{len(CONDITIONS)}"}


def all_queries(guide) -> list[str]:
    return list(dict.fromkeys([q for q, _ in QUERIES] + [e.title for e in guide.exercises]
                              + [n for e in guide.exercises for n in e.also_called] + LIST_QUERIES + CONDITIONS
                              + [t for t, _ in one_letter_off(guide)]))


PATHS = "rs => rs.map(u => new URL(u, location.origin + '/').pathname)"

TYPE_LAST_LETTER = """([q, open]) => new Promise(done => {
  const t0 = performance.now();
  if (open) document.querySelector('.site-search__open').click();
  const input = document.querySelector('#site-search-input'), list = document.querySelector('.site-search__results');
  input.value = q.slice(0, -1); list.textContent = '';
  const seen = new MutationObserver(() => {
    if (list.querySelector('a')) { seen.disconnect(); requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0))); }
  });
  seen.observe(list, {childList: true});
  input.value = q; input.dispatchEvent(new Event('input'));
})"""


def bench_lunr(browser, base: str, site: Path, guide) -> dict:
    import search_ui

    page = browser.new_page()
    page.goto(base + "/")
    html = (site / "index.html").read_text(encoding="utf-8")
    scripts = re.search(r'data-scripts="([^"]+)"', html).group(1).split()
    files = [site / "assets" / "search.js", site / "assets" / "search" / "en.json"] + [site / s for s in scripts]
    size = sum(gz(f.read_bytes()) for f in files)
    first = page.evaluate(TYPE_LAST_LETTER, ["walking", True])  # the click that opens it loads lunr and the index
    times = [page.evaluate(TYPE_LAST_LETTER, [q, False]) for q in TIMED]
    found = search_ui.find_all(page, all_queries(guide))
    page.close()
    return {"found": found, "bytes": size, "first": first, "median": statistics.median(times)}


MINISEARCH = """async () => {
  const data = await (await fetch('/assets/search/en.json')).json();
  const t0 = performance.now();
  const ms = new MiniSearch({fields: ['title', 'names', 'words', 'tags', 'text'], idField: 'url',
                             storeFields: ['url', 'boost']});
  ms.addAll(data.docs);
  window.__ms = ms;
  return performance.now() - t0;
}"""
MINISEARCH_FIND = """q => { const t0 = performance.now();
  const r = window.__ms.search(q, {boost: {title: 10, names: 10, words: 10, tags: 5}, prefix: true,
    fuzzy: term => term.length >= 5 ? 1 : false, combineWith: 'OR',
    boostDocument: (id, term, stored) => stored.boost});
  return {ms: performance.now() - t0, urls: r.map(x => new URL(x.url, location.origin + '/').pathname)}; }"""


def bench_minisearch(browser, base: str, site: Path, guide, script: Path) -> dict:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(base + "/")
    page.add_script_tag(path=str(script))
    build = page.evaluate(MINISEARCH)
    first = build + page.evaluate(MINISEARCH_FIND, "walking")["ms"]
    times = [page.evaluate(MINISEARCH_FIND, q)["ms"] for q in TIMED]
    found = {q: page.evaluate(MINISEARCH_FIND, q)["urls"] for q in all_queries(guide)}
    context.close()
    size = gz(script.read_bytes()) + gz((site / "assets" / "search" / "en.json").read_bytes()) \
        + gz((site / "assets" / "search.js").read_bytes())  # an interface like ours
    return {"found": found, "bytes": size, "first": first, "median": statistics.median(times)}


PAGEFIND_FIND = """async q => { const t0 = performance.now();
  const r = await window.__pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return {ms: performance.now() - t0, urls: top.map(d => new URL(d.url, location.origin + '/').pathname)}; }"""


def bench_pagefind(browser, site: Path, guide, binary: Path) -> dict:
    from exercise_guide.finish import site_search

    work = Path(tempfile.mkdtemp(prefix="pagefind-")) / "site"
    shutil.copytree(site, work)
    facts = site_search.page_facts(guide)
    for file in work.rglob("index.html"):
        url = file.relative_to(work).as_posix().removesuffix("index.html")
        extra = facts.get(url, {})
        words = " ".join(extra.get("names", []) + extra.get("words", []) + extra.get("tags", []))
        if words:
            html = file.read_text(encoding="utf-8")
            html = html.replace('<article class="md-content__inner md-typeset">',
                                '<article class="md-content__inner md-typeset">'
                                f'<div data-pagefind-weight="10" hidden>{words}</div>', 1)
            file.write_text(html, encoding="utf-8")
    subprocess.run([str(binary), "--site", str(work), "--root-selector", "article"], check=True,
                   capture_output=True)
    server, base = serve(work)
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    loaded: dict[str, int] = {}

    def record(response):
        if "/pagefind/" in response.url:
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - a response without a body (redirect)
                return
            pre = response.url.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"))
            loaded[response.url] = len(body) if pre else gz(body)

    page.on("response", record)
    page.goto(base + "/")
    first = page.evaluate("""async () => { const t0 = performance.now();
        window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init();
        const r = await window.__pf.search('walking'); await Promise.all(r.results.slice(0, 10).map(x => x.data()));
        return performance.now() - t0; }""")
    size = sum(loaded.values())
    times = [page.evaluate(PAGEFIND_FIND, q)["ms"] for q in TIMED]
    found = {q: page.evaluate(PAGEFIND_FIND, q)["urls"] for q in all_queries(guide)}
    context.close()
    server.shutdown()
    shutil.rmtree(work.parent)
    return {"found": found, "bytes": size, "first": first, "median": statistics.median(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one with MkDocs)")
    parser.add_argument("--minisearch", type=Path)
    parser.add_argument("--pagefind", type=Path)
    args = parser.parse_args()
    guide = load(ROOT / "exercises.yml")[0]
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="search-bench-")) / "site"
        subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
                       cwd=ROOT, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    from playwright.sync_api import sync_playwright

    results = {}
    server, base = serve(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu"])
        results["lunr 2.3.9 (ours)"] = bench_lunr(browser, base, site, guide)
        if args.minisearch:
            results["MiniSearch 7.2.0"] = bench_minisearch(browser, base, site, guide, args.minisearch)
        if args.pagefind:
            results["Pagefind 1.5.2"] = bench_pagefind(browser, site, guide, args.pagefind)
        browser.close()
    server.shutdown()
    rows = {name: score(r["found"], guide) for name, r in results.items()}
    names = list(results)
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for key in next(iter(rows.values())):
        print(f"| {key} | " + " | ".join(rows[n][key] for n in names) + " |")
    print("| bytes for a first query (gzip) | " + " | ".join(f"{results[n]['bytes'] / 1000:.1f} KB" for n in names) + " |")
    print("| first query, loading included | " + " | ".join(f"{results[n]['first']:.0f} ms" for n in names) + " |")
    print("| later queries, median of 10 | " + " | ".join(f"{results[n]['median']:.1f} ms" for n in names) + " |")
    misses = {n: [f"{q!r} -> {results[n]['found'][q][:3]}" for q, w in QUERIES if w not in results[n]["found"][q][:3]]
              for n in names}
    print(json.dumps(misses, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
