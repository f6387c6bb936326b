"""Build speed and page weight of the guide: prints a Markdown table. Not a test.

    python bench/build_bench.py [--sizes 10 100 1000] [--runs 3]    (or `make bench`)

For each library size N it makes a synthetic exercises.yml (the real entries
again and again, with new slugs and titles) and times two builds of the same
pages, alternating them:
  - hook:  `mkdocs build` with the hook, from exercises.yml (what `make site` does);
  - plain: the pages written beforehand with `exercise-guide render`, built with
           the hook turned off and the same navigation.
It reports the median wall time, peak memory (max RSS of the mkdocs process),
the ratio hook/plain and the time per page. Then it weighs a real exercise page:
its HTML and everything a browser loads on a first visit, raw and gzipped.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from exercise_guide import render  # noqa: E402
from exercise_guide.validate import load  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


def synthetic_data(n: int) -> str:
    """exercises.yml with n exercises made from the real ones, new slugs and titles."""
    data = yaml.safe_load((ROOT / "exercises.yml").read_text(encoding="utf-8"))
    real = data["exercises"]
    made = []
    for i in range(n):
        ex = copy.deepcopy(real[i % len(real)])
        ex["slug"] = f"{ex['slug']}-{i + 1}"
        ex["title"] = f"{ex['title']} {i + 1}"
        ex.pop("aliases", None)
        for option in ("easier", "harder"):
            if isinstance(ex.get(option), dict):
                ex[option] = {k: v for k, v in ex[option].items() if k != "exercise"}
        made.append(ex)
    data["exercises"] = made
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def make_projects(n: int, work: Path) -> tuple[Path, Path, int]:
    """Two projects with the same pages: one built by the hook, one from pre-rendered Markdown."""
    hook = work / f"hook-{n}"
    plain = work / f"plain-{n}"
    for project in (hook, plain):
        project.mkdir(parents=True)
        shutil.copytree(ROOT / "docs", project / "docs")
        for extra in ("overrides",):
            if (ROOT / extra).is_dir():
                shutil.copytree(ROOT / extra, project / extra)
    shutil.copytree(ROOT / "hooks", hook / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (hook / "exercises.yml").write_text(synthetic_data(n), encoding="utf-8")
    # mkdocs.yml holds `!!python/name:` tags (pymdownx.emoji) that safe_load refuses: each
    # project keeps it whole as its base and states its changes over it (MkDocs' INHERIT).
    for project in (hook, plain):
        shutil.copy(ROOT / "mkdocs.yml", project / "base.yml")
    (hook / "mkdocs.yml").write_text("INHERIT: base.yml\nstrict: false\n", encoding="utf-8")

    guide, _ = load(hook / "exercises.yml")
    subprocess.run([BIN / "exercise-guide", "render", str(plain / "docs"), "--data", str(hook / "exercises.yml")],
                   check=True, capture_output=True)
    plain_config = {"strict": False, "hooks": [], "watch": [], "nav": render.navigation(guide)}
    (plain / "mkdocs.yml").write_text("INHERIT: base.yml\n" + yaml.safe_dump(plain_config, sort_keys=False),
                                      encoding="utf-8")
    pages = len(list((plain / "docs").rglob("*.md")))
    return hook, plain, pages


def timed_build(project: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `mkdocs build` of `project`."""
    site = project / "site"
    start = time.perf_counter()
    proc = subprocess.Popen([BIN / "mkdocs", "build", "-q", "--site-dir", str(site)], cwd=project, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {project} failed:\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(site: Path, page: Path) -> list[tuple[str, int, int]]:
    """What a first visit to `page` loads: the HTML and every stylesheet, script, image and icon it
    names, plus the search worker and index that Material's search fetches on load."""
    html = page.read_text(encoding="utf-8")
    rows = [("HTML", len(html.encode()), gz(html.encode()))]
    seen = set()
    refs = re.findall(r'<(?:link|script|img)\b[^>]*?(?:href|src)="([^"#?]+)', html)
    refs += re.findall(r'"search":\s*"([^"]+)"', html)
    for ref in refs:
        if ref.startswith(("http:", "https:", "data:")) or ref.endswith("/"):
            continue
        target = (page.parent / ref).resolve()
        if target in seen or not target.is_file():
            continue
        seen.add(target)
        data = target.read_bytes()
        rows.append((str(target.relative_to(site)), len(data), gz(data)))
    index = site / "search" / "search_index.json"
    if index.is_file() and index.resolve() not in seen:
        data = index.read_bytes()
        rows.append(("search/search_index.json", len(data), gz(data)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind at each size (alternating)")
    args = parser.parse_args()

    print(f"Benchmark, {time.strftime('%Y-%m-%d')}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}\n")
    print("| N exercises | pages | hook build (s) | plain build (s) | hook/plain | hook peak MB | plain peak MB | ms per page (hook) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_page: dict[int, float] = {}
    index_sizes: dict[int, tuple[int, int]] = {}
    html_sizes: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        for n in args.sizes:
            hook, plain, pages = make_projects(n, Path(tmp))
            timed_build(hook), timed_build(plain)  # warm the file cache and Python's bytecode
            results = {"hook": [], "plain": []}
            for _ in range(args.runs):
                for kind, project in (("hook", hook), ("plain", plain)):
                    results[kind].append(timed_build(project))
            h = statistics.median(t for t, _ in results["hook"])
            p = statistics.median(t for t, _ in results["plain"])
            hm = max(m for _, m in results["hook"])
            pm = max(m for _, m in results["plain"])
            per_page[n] = h / pages * 1000
            print(f"| {n} | {pages} | {h:.2f} | {p:.2f} | {h / p:.3f} | {hm:.0f} | {pm:.0f} | {per_page[n]:.1f} |",
                  flush=True)
            index = (hook / "site" / "search" / "search_index.json").read_bytes()
            index_sizes[n] = (len(index), gz(index))
            page = next((hook / "site" / "exercises").glob("*/index.html"))
            html_sizes[n] = page.stat().st_size
        sizes = sorted(per_page)
        print()
        for a, b in zip(sizes, sizes[1:]):
            print(f"Time per page at N={b} is {per_page[b] / per_page[a]:.2f}x that at N={a}.")
        for n in sizes:
            print(f"N={n}: search index {index_sizes[n][0] / 1024:.0f} KB raw, {index_sizes[n][1] / 1024:.0f} KB "
                  f"gzipped; an exercise page's HTML {html_sizes[n] / 1024:.1f} KB.")

    # The real site: one exercise page's first visit.
    with tempfile.TemporaryDirectory(prefix="guide-weight-") as tmp:
        site = Path(tmp) / "site"
        subprocess.run([BIN / "mkdocs", "build", "-q", "--site-dir", str(site)], cwd=ROOT, env=ENV, check=True,
                       capture_output=True)
        guide, _ = load(ROOT / "exercises.yml")
        slug = guide.exercises[0].slug
        rows = page_weight(site, site / "exercises" / slug / "index.html")
        print(f"\nFirst visit to /exercises/{slug}/ (real site, {len(guide.exercises)} exercises):\n")
        print("| file | bytes | gzipped |")
        print("|---|---:|---:|")
        for name, raw, zipped in rows:
            print(f"| {name} | {raw:,} | {zipped:,} |")
        print(f"| **total** | **{sum(r[1] for r in rows):,}** | **{sum(r[2] for r in rows):,}** |")
        fonts = [p for p in site.rglob("*") if p.suffix in {".woff", ".woff2", ".ttf"}]
        print(f"\nWeb fonts in the site: {len(fonts)} (theme.font is false: the system font is used).")


if __name__ == "__main__":
    main()
