"""Lighthouse audit of the built site: `make audit` (a script that prints figures, not a test).

Serves site/ on 127.0.0.1 the way a static host does (gzip for text, a cache lifetime for
assets), then runs Lighthouse (pinned in package.json and package-lock.json) through Debian's
Chromium with its mobile settings, on the home page, one exercise page, the builder and About,
round-robin, RUNS times each. Prints the median of each score and of the layout shift, as a
Markdown table for the README. Lighthouse's performance score swings between runs on a shared
machine: trust the median, and layout shift and accessibility more than the score.

Usage: bench/audit.py [--runs 3] [--site site] [--page PATH ...]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = {"Home": "/", "Exercise (piriformis)": "/exercises/piriformis-stretch/",
         "Builder": "/builder/", "About": "/about/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Like a static host: gzip for text files when asked, and cache headers."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # its redirect to the address ending in "/"
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESS and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def end_headers(self) -> None:
        # Pages for ten minutes; assets (Material's have a hash in their names) for a year.
        page = self.path.split("?")[0].endswith((".html", "/"))
        self.send_header("Cache-Control", "max-age=600" if page else "max-age=31536000")
        super().end_headers()


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, its default): the four scores (0-100) and the layout shift."""
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"],
        check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["lost"] = sorted(a for c in CATEGORIES if c != "performance"
                            for a in (r["id"] for r in report["categories"][c]["auditRefs"])
                            if report["audits"][a]["score"] is not None and report["audits"][a]["score"] < 1
                            and report["audits"][a]["scoreDisplayMode"] == "binary")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--page", action="append", help="a path to audit instead of the four")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` (make audit does)")
    if not (args.site / "index.html").is_file():
        sys.exit(f"no built site in {args.site}: run `make site` first")
    pages = {p: p for p in args.page} if args.page else PAGES
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results: dict[str, list[dict]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for name, path in pages.items():  # round-robin: a slow moment hits every page alike
                results[name].append(lighthouse(base + path, Path(tmp) / "report.json"))
                print(f"run {run + 1}/{args.runs}: {name}: {results[name][-1]}", file=sys.stderr)
    server.shutdown()
    print("| Page | Performance | (each run) | Accessibility | Best practices | SEO | Layout shift |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        median = {k: statistics.median(r[k] for r in runs) for k in (*CATEGORIES, "cls")}
        each = ", ".join(str(r["performance"]) for r in runs)
        print(f"| {name} | {median['performance']:g} | {each} | {median['accessibility']:g} | "
              f"{median['best-practices']:g} | {median['seo']:g} | {median['cls']:.3f} |")
    lost = sorted({a for runs in results.values() for r in runs for a in r["lost"]})
    print(f"\nMedian of {args.runs} Lighthouse {lighthouse_version()} runs per page (mobile), Chromium "
          f"{chromium_version()}. Audits failed in any run: {', '.join(lost) or 'none'}.")
    return 0


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


def chromium_version() -> str:
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return next((w for w in out.split() if w[:1].isdigit()), "?")


if __name__ == "__main__":
    sys.exit(main())
