"""Build speed and page weight of the guide: prints Markdown tables. Not a test.

    python bench/build_bench.py [--sizes 10 100 1000] [--runs 5] [--baseline REV]   (or `make bench`)

For each library size N it makes a synthetic exercises.yml (the real entries
again and again, with new slugs, titles and picture captions, so that no cache
takes one for another) and times builds of the same pages, as the published
site is built (`site_url` set, so every exercise page carries its QR code),
alternating them, one of each kind per round:
  - warm:  `mkdocs build` with the hook, its .cache/ kept from the round before
           (what `make site` and CI with a kept cache do);
  - cold:  the same with .cache/ removed first (a first build);
  - base:  the hook as it is at git revision REV (default: main), when given, with its .cache/
           kept; and `base cold`, the same with its .cache/ removed first;
  - plain: the pages written beforehand with `exercise-guide render`, built with
           the hook turned off and the same navigation.
It reports median wall times, peak memory (max RSS of the mkdocs process), the
ratios and the time per page. Then it weighs a real exercise page: its HTML and
everything a browser loads on a first visit, raw and gzipped.
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

from exercise_guide.pages import render  # noqa: E402
from exercise_guide.data.validate import load  # noqa: E402

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
        for frame in ex.get("figure", {}).get("frames", []):
            frame["caption"] = f"{frame['caption']} ({i + 1})"
        ex.pop("aliases", None)
        for option in ("easier", "harder"):
            if isinstance(ex.get(option), dict):
                ex[option] = {k: v for k, v in ex[option].items() if k != "exercise"}
        made.append(ex)
    data["exercises"] = made
    # The English edition alone: the made-up exercises have no Spanish (exercises.es.yml), and the
    # plain build they are compared with is the English pages (issue 27's figures).
    data["languages"] = ["en"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


SITE_URL = "https://guide.example.org/"


def make_projects(n: int, work: Path, baseline: Path | None = None) -> dict[str, Path]:
    """Projects with the same pages: built by the hook (today's, and the baseline's when given),
    and from pre-rendered Markdown."""
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
    (hook / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n" + yaml.safe_dump({"strict": False, "site_url": SITE_URL}, sort_keys=False),
        encoding="utf-8")

    guide, _ = load(hook / "exercises.yml")
    subprocess.run([BIN / "exercise-guide", "render", str(plain / "docs"), "--data", str(hook / "exercises.yml"),
                    "--site-url", SITE_URL], check=True, capture_output=True)
    plain_config = {"strict": False, "site_url": SITE_URL, "hooks": [], "watch": [], "nav": render.navigation(guide)}
    (plain / "mkdocs.yml").write_text("INHERIT: base.yml\n" + yaml.safe_dump(plain_config, sort_keys=False),
                                      encoding="utf-8")
    projects = {"warm": hook, "cold": hook, "plain": plain}
    if baseline is not None:
        base = work / f"base-{n}"
        shutil.copytree(hook, base, ignore=shutil.ignore_patterns("hooks", "site", ".cache"))
        shutil.copytree(baseline / "hooks", base / "hooks")
        shutil.copy(baseline / "mkdocs.yml", base / "base.yml")  # its own settings (`watch:` names its folders)
        projects["base"] = base
        projects["base cold"] = base
    return projects


def page_count(project: Path) -> int:
    return len(list((project / "docs").rglob("*.md")))


def baseline_tree(rev: str, work: Path) -> Path:
    """The project's files at git revision `rev` (its hooks and settings are what `base` builds with)."""
    out = work / "baseline"
    out.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "hooks", "mkdocs.yml"], check=True,
                             capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def timed_build(project: Path, cold: bool = False) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `mkdocs build` of `project`; `cold`: without its .cache/."""
    site = project / "site"
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    env = ENV
    if (project / "hooks").is_dir() and project.name.startswith("base-"):
        # The baseline's own core, ahead of the installed (editable) one.
        env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(project / "hooks"), ENV.get("PYTHONPATH")]))}
    start = time.perf_counter()
    proc = subprocess.Popen([BIN / "mkdocs", "build", "-q", "--site-dir", str(site)], cwd=project, env=env,
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
    index = site / "assets" / "search" / "en.json"  # the site's own search (issue 24), fetched when it is opened
    if index.is_file() and index.resolve() not in seen:
        data = index.read_bytes()
        rows.append(("assets/search/en.json", len(data), gz(data)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=5, help="rounds at each size (one build of each kind per round)")
    parser.add_argument("--baseline", default=None, metavar="REV",
                        help="also build with the hook as at this git revision (e.g. main), for 'x of before'")
    args = parser.parse_args()

    print(f"Benchmark, {time.strftime('%Y-%m-%d')}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"site_url set; median of {args.runs} rounds, kinds alternating within each round\n")
    kinds = ["warm", "cold"] + (["base", "base cold"] if args.baseline else []) + ["plain"]
    head = ["N exercises", "pages"] + [f"{k} (s)" for k in kinds] + ["warm/plain", "cold/plain"]
    if args.baseline:
        head += ["warm/base", "cold/base", "base/plain", "base cold/plain"]
    head += [f"{k} peak MB" for k in kinds] + ["ms per page (warm)", "ms per page (cold)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    per_page: dict[int, tuple[float, float]] = {}
    index_sizes: dict[int, tuple[int, int]] = {}
    html_sizes: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        baseline = baseline_tree(args.baseline, Path(tmp)) if args.baseline else None
        for n in args.sizes:
            projects = make_projects(n, Path(tmp), baseline)
            pages = page_count(projects["plain"])
            for kind in kinds:  # warm the file cache, Python's bytecode and the hook's .cache/
                timed_build(projects[kind], cold=kind.endswith("cold"))
            results: dict[str, list] = {k: [] for k in kinds}
            for _ in range(args.runs):
                for kind in kinds:
                    results[kind].append(timed_build(projects[kind], cold=kind.endswith("cold")))
            t = {k: statistics.median(r[0] for r in results[k]) for k in kinds}
            # The ratio of medians and the median of each round's ratio agree when the load is steady;
            # the round ratios are what "alternating" buys, so those are reported.
            ratio = lambda a, b: statistics.median(x[0] / y[0] for x, y in zip(results[a], results[b]))  # noqa: E731
            mem = {k: max(m for _, m in results[k]) for k in kinds}
            per_page[n] = (t["warm"] / pages * 1000, t["cold"] / pages * 1000)
            row = [str(n), str(pages)] + [f"{t[k]:.2f}" for k in kinds]
            row += [f"{ratio('warm', 'plain'):.2f}", f"{ratio('cold', 'plain'):.2f}"]
            if args.baseline:
                row += [f"{ratio('warm', 'base'):.2f}", f"{ratio('cold', 'base'):.2f}",
                        f"{ratio('base', 'plain'):.2f}", f"{ratio('base cold', 'plain'):.2f}"]
            row += [f"{mem[k]:.0f}" for k in kinds] + [f"{per_page[n][0]:.1f}", f"{per_page[n][1]:.1f}"]
            print("| " + " | ".join(row) + " |", flush=True)
            index = (projects["warm"] / "site" / "assets" / "search" / "en.json").read_bytes()  # the site's own search (issue 24)
            index_sizes[n] = (len(index), gz(index))
            page = next((projects["warm"] / "site" / "exercises").glob("*/index.html"))
            html_sizes[n] = page.stat().st_size
        sizes = sorted(per_page)
        print()
        for a, b in zip(sizes, sizes[1:]):
            print(f"Time per page at N={b} is {per_page[b][0] / per_page[a][0]:.2f}x (warm), "
                  f"{per_page[b][1] / per_page[a][1]:.2f}x (cold) that at N={a}.")
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
