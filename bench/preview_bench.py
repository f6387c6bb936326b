"""The editor's preview: from saving a one-word change in exercises.yml to the new text served.
Prints a Markdown table. Not a test.

    python bench/preview_bench.py [--sizes 0 300] [--runs 5] [--baseline REV] [--serve make|mkdocs]

For each size (0: the real exercises.yml; N: the synthetic library of bench/build_bench.py) it
copies the project into a temporary folder and starts a real `mkdocs serve` on 127.0.0.1 (a free
port). Then, `--runs` times, it saves exercises.yml with one word of the first exercise's summary
changed, and polls that exercise's page over HTTP until the new word is in it. `mkdocs serve`
holds every HTML request while a rebuild runs, and its live-reload script reloads the open page
when the rebuild ends, so the time the new word is first served is when a browser can show it
(plus the reload itself, a few tens of milliseconds). With `--baseline REV` a second server runs
the hook as at that git revision on its own copy, and the two are saved alternately (each waits
while the other rebuilds). Every wait is bounded; the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from build_bench import BIN, ENV, ROOT, baseline_tree, synthetic_data  # noqa: E402
from exercise_guide.data.translation import digest  # noqa: E402

START_TIMEOUT = 600  # seconds for the first build of a 300-exercise library on a loaded machine
CHANGE_TIMEOUT = 120
POLL = 0.01


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=CHANGE_TIMEOUT) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


class Preview:
    """A project copy served by `mkdocs serve`, and how to change one word of it."""

    def __init__(self, work: Path, name: str, n: int, hooks: Path, serve: str) -> None:
        self.dir = work / name
        self.dir.mkdir()
        for part in ("docs", "overrides"):
            shutil.copytree(ROOT / part, self.dir / part)
        if n == 0:  # the real site in both its languages (the made-up libraries are English only)
            shutil.copytree(ROOT / "docs-es", self.dir / "docs-es")
            shutil.copy(ROOT / "exercises.es.yml", self.dir / "exercises.es.yml")
        shutil.copytree(hooks, self.dir / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
        # The baseline's own settings when it has them (`watch:` names its folders).
        config = hooks.parent / "mkdocs.yml"
        shutil.copy(config if config.is_file() else ROOT / "mkdocs.yml", self.dir / "mkdocs.yml")
        text = (ROOT / "exercises.yml").read_text(encoding="utf-8") if n == 0 else synthetic_data(n)
        self.data = self.dir / "exercises.yml"
        self.data.write_text(text, encoding="utf-8")
        self.slug = re.search(r"^\s*- slug: (\S+)", text, re.M).group(1)
        summary = re.search(r"^(\s*summary: )(\w+)", text[text.index(f"slug: {self.slug}"):], re.M)
        self.word = summary.group(2)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/exercises/{self.slug}/"
        env = dict(ENV)
        if name.startswith("base"):
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.dir / "hooks"), ENV.get("PYTHONPATH")]))
        if serve == "make":
            # The editor's command, from the project's Makefile, with this checkout's .venv as it is
            # (-o: not set up again).
            venv = Path(sys.prefix)
            command = ["make", "-s", "-f", str(ROOT / "Makefile"), "-o", str(venv / ".built"), "serve",
                       f"VENV={venv}", f"SERVE_ADDR=127.0.0.1:{self.port}"]
        else:
            command = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command, cwd=self.dir, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"mkdocs serve in {self.dir} stopped (exit {self.process.returncode})")
            if (page := fetch(self.url)) and self.word in page:
                return
            time.sleep(0.2)
        raise SystemExit(f"mkdocs serve in {self.dir} did not serve {self.url} within {START_TIMEOUT} s")

    def change(self, new: str) -> float:
        """Save exercises.yml with the summary's first word replaced; seconds until the page shows it."""
        text = self.data.read_text(encoding="utf-8")
        at = text.index(f"slug: {self.slug}")
        tail = re.sub(rf"^(\s*summary: ){re.escape(self.word)}\b", lambda m: m.group(1) + new, text[at:],
                      count=1, flags=re.M)
        start = time.perf_counter()
        translations = self.dir / "exercises.es.yml"
        if translations.is_file():
            # The real site: the Spanish entry records the English it was made from; an editor who
            # changes the English records the new one too (else the preview shows the last good
            # pages under a "translate it again" banner, and the new word only in that report).
            summary = re.search(r"^\s*summary: (.*)$", tail, re.M).group(1)
            record = translations.read_text(encoding="utf-8")
            record = re.sub(rf"(^  exercises\.{re.escape(self.slug)}\.summary:\n    en: )\"\w+\"",
                            lambda m: f'{m.group(1)}"{digest(yaml.safe_load(summary))}"', record, count=1, flags=re.M)
            translations.write_text(record, encoding="utf-8")
        self.data.write_text(text[:at] + tail, encoding="utf-8")
        self.word = new
        deadline = time.monotonic() + CHANGE_TIMEOUT
        while time.monotonic() < deadline:
            page = fetch(self.url)
            if page and new in page and 'class="preview-error"' not in page:
                return time.perf_counter() - start
            time.sleep(POLL)
        raise SystemExit(f"{self.url} did not show {new!r} within {CHANGE_TIMEOUT} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 300])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default=None, metavar="REV")
    parser.add_argument("--serve", choices=["make", "mkdocs"], default="make",
                        help="start the preview as `make serve` does (default) or as a bare `mkdocs serve`")
    args = parser.parse_args()
    kinds = ["now"] + (["base"] if args.baseline else [])
    print(f"Preview benchmark, {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; `{args.serve} serve`; save to new text served, "
          f"median of {args.runs}"
          + (f", alternating with the hook at {args.baseline}" if args.baseline else "") + "\n")
    head = ["exercises"] + [f"{k} (s)" for k in kinds] + (["now/base"] if args.baseline else []) + ["each run, now (s)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    with tempfile.TemporaryDirectory(prefix="guide-preview-") as tmp:
        work = Path(tmp)
        hooks = {"now": ROOT / "hooks"}
        if args.baseline:
            hooks["base"] = baseline_tree(args.baseline, work) / "hooks"
        for n in args.sizes:
            servers = {k: Preview(work, f"{k}-{n}", n, hooks[k], args.serve) for k in kinds}
            try:
                for server in servers.values():
                    server.wait_ready()
                times: dict[str, list[float]] = {k: [] for k in kinds}
                for run in range(args.runs + 1):  # the first change warms up; it is not counted
                    for kind, server in servers.items():
                        seconds = server.change(f"Zebra{run}{kind}")
                        if run:
                            times[kind].append(seconds)
                        time.sleep(1.0)  # let the live-reload rebuild settle before the other saves
                label = "real site" if n == 0 else str(n)
                if n == 0:
                    count = len(re.findall(r"^\s*- slug:", (ROOT / "exercises.yml").read_text(), re.M))
                    label += f" ({count})"
                row = [label] + [f"{statistics.median(times[k]):.2f}" for k in kinds]
                if args.baseline:
                    row.append(f"{statistics.median(a / b for a, b in zip(times['now'], times['base'])):.2f}")
                row.append(" ".join(f"{t:.2f}" for t in times["now"]))
                print("| " + " | ".join(row) + " |", flush=True)
            finally:
                for server in servers.values():
                    server.stop()


if __name__ == "__main__":
    main()
