"""The same site built by MkDocs (with the hook) and by Zensical (hooks/zensical_build.py): prints
a Markdown table. Not a test.

    python bench/engine_bench.py [--sizes 100 1000] [--runs 3]   (part of `make bench`)

For each library size N (the synthetic library of build_bench.py, `site_url` set, so every
exercise page has its QR code) one project is built by each engine in turn, one of each per
round, both with their .cache/ kept from the round before (as `make site` builds); it reports
median wall times, the median of the rounds' ratios, and peak memory (the largest RSS of any one
process of the build: the Zensical adapter runs `zensical` as a child process).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import BIN, ENV, ROOT, SITE_URL, synthetic_data  # noqa: E402

ENGINES = ("mkdocs", "zensical")


def make_project(n: int, work: Path) -> Path:
    project = work / f"project-{n}"
    project.mkdir(parents=True)
    for folder in ("docs", "overrides", "hooks"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "exercises.yml").write_text(synthetic_data(n), encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", project / "base.yml")
    (project / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n" + yaml.safe_dump({"strict": False, "site_url": SITE_URL}, sort_keys=False),
        encoding="utf-8")
    return project


def timed_build(project: Path, engine: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one build of `project` by `engine`."""
    site = project / f"site-{engine}"
    if engine == "mkdocs":
        command = [str(BIN / "mkdocs"), "build", "-q", "--site-dir", str(site)]
    else:
        command = [sys.executable, str(project / "hooks" / "zensical_build.py"), "--site-dir", str(site)]
    start = time.perf_counter()
    # A child of its own, so that RUSAGE_CHILDREN of that child counts only this build's processes.
    probe = ("import resource,subprocess,sys; r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
             "stderr=subprocess.PIPE); sys.stderr.write(r.stderr.decode()) if r.returncode else None; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    result = subprocess.run([sys.executable, "-c", probe, *command], cwd=project, env=ENV,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{engine} build of {project} failed:\n{result.stderr}")
    return elapsed, int(result.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Engines, {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; site_url set; .cache/ kept; median of {args.runs} rounds\n")
    head = ["N exercises", "MkDocs (s)", "Zensical (s)", "Zensical/MkDocs", "MkDocs peak MB", "Zensical peak MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    with tempfile.TemporaryDirectory(prefix="guide-engines-") as tmp:
        for n in args.sizes:
            project = make_project(n, Path(tmp))
            for engine in ENGINES:  # fill the caches (ours and Zensical's) and the file cache
                timed_build(project, engine)
            results = {e: [] for e in ENGINES}
            for _ in range(args.runs):
                for engine in ENGINES:
                    results[engine].append(timed_build(project, engine))
            t = {e: statistics.median(r[0] for r in results[e]) for e in ENGINES}
            ratio = statistics.median(z[0] / m[0] for m, z in zip(results["mkdocs"], results["zensical"]))
            mem = {e: max(r[1] for r in results[e]) for e in ENGINES}
            print(f"| {n} | {t['mkdocs']:.2f} | {t['zensical']:.2f} | {ratio:.2f} | {mem['mkdocs']:.0f} | "
                  f"{mem['zensical']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
