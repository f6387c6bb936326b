"""Issue 14, a first build (no .cache/): what it now does beside MkDocs or differently, and that
the site does not notice.

- A second process (QR codes, figures) that fails stops the build with one clear line, no
  traceback, no hang, and nothing kept in .cache/.
- sidework.Sidework itself: results in order; a function that raises, a process that dies.
- The cache's larger texts are in one pack file a build (buildcache.py): a build that changes
  one exercise keeps the others' texts and does not grow the cache without bound.
- Generated pages converted by a copy of the build (ahead.py) are those the build converts
  itself, byte for byte, and are kept for the next build; a copy that stops early or is never
  made changes nothing but the time. ahead.Ahead itself: the copy takes the jobs from the back,
  the two meet, and a copy that fails or talks costs nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MKDOCS, MKDOCS_ONLY, build_env, make_project
from exercise_guide.buildcache import BuildCache
from exercise_guide.sidework import Sidework, SideworkError

SITE_URL = "https://guide.example.org/"

def build(project: Path, site: str) -> subprocess.CompletedProcess:
    return subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(project / site)], cwd=project,
                          env=build_env(), capture_output=True, text=True, timeout=600)


@MKDOCS_ONLY
def test_a_failing_qr_and_figure_process_stops_the_build_cleanly(tmp_path):
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL})
    module = project / "hooks" / "exercise_guide" / "later.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('    function, argument = item\n',
                                   '    function, argument = item\n    raise MemoryError("no room")\n', 1),
                      encoding="utf-8")
    result = build(project, "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "Error"))]
    # MkDocs names the page it was reading first.
    assert errors == ["ERROR   -  Error reading page 'exercises/knee-to-chest.md':",
                      "ERROR   -  QR codes: the QR codes process stopped before it finished (MemoryError: no room)"], result.stderr[-3000:]


@MKDOCS_ONLY
def test_qr_codes_and_figures_made_beside_the_build_are_those_made_in_place(tmp_path):
    """The published pages and figure files: made beside MkDocs (later.py) in a first build, from
    .cache/ in the next, and in place by `exercise-guide render` (the same Markdown and files)."""
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL})
    first = build(project, "first")
    assert first.returncode == 0, first.stderr
    again = build(project, "again")
    assert again.returncode == 0, again.stderr
    rendered = tmp_path / "rendered"
    subprocess.run([MKDOCS.replace("mkdocs", "exercise-guide"), "render", str(rendered), "--data",
                    str(project / "exercises.yml"), "--site-url", SITE_URL], check=True, capture_output=True)
    figures = sorted((rendered / "assets" / "figures").iterdir())
    assert figures
    for kind in ("first", "again"):
        for figure in figures:
            assert (project / kind / "assets" / "figures" / figure.name).read_bytes() == figure.read_bytes()
        page = (project / kind / "exercises" / "knee-to-chest" / "index.html").read_text(encoding="utf-8")
        code = re.search(r'<div class="handout-qr">(<svg.*?</svg>)', page, re.S).group(1)
        assert code in (rendered / "exercises" / "knee-to-chest.md").read_text(encoding="utf-8")
        assert "\0" not in page


@pytest.mark.parametrize("spool", [False, True])
def test_sidework_gives_every_result_in_order(spool):
    work = Sidework("json:dumps", "test", spool=spool)
    items = [{"n": n, "text": "x" * (n * 997 % 70000)} for n in range(300)]  # more than the pipe holds
    for item in items:
        work.submit(item)
    work.end_input()
    assert work.results() == [json.dumps(item) for item in items]
    assert Sidework("json:dumps", "test", spool=spool).results() == []
    spooled = Sidework("json:loads", "spooled", spool=spool)
    spooled.submit("not json")
    with pytest.raises(SideworkError, match=r"^the spooled process stopped before it finished \(json"):
        spooled.results()


def test_sidework_reports_a_function_that_raises_and_a_process_that_dies():
    work = Sidework("json:loads", "parsing")
    work.submit("[1]")
    work.submit("not json")
    with pytest.raises(SideworkError, match=r"^the parsing process stopped before it finished "
                                            r"\(json\.decoder\.JSONDecodeError: Expecting value"):
        work.results()
    work = Sidework("os:_exit", "exiting")
    for _ in range(50):
        work.submit(3)  # the process is gone after the first: no hang, no BrokenPipeError
    with pytest.raises(SideworkError, match=r"\(exit status 3\)$"):
        work.results()


def test_a_cache_of_packs_keeps_what_is_used_and_drops_the_rest(tmp_path):
    def run(texts: list[str], fail: bool = False) -> list[str]:
        """A build that needs `texts` (each its own key): those it found in the cache."""
        cache = BuildCache(tmp_path)
        found = [text for text in texts if cache.stored("t", text[:20]) == text]
        for text in texts:
            if text not in found:
                cache.store("t", text[:20], text)
        cache.discard() if fail else cache.save()
        return found

    packs = tmp_path / "packs"
    first = [f"text {n:02} " * 200 for n in range(10)]
    assert run(first) == []
    assert run(first) == first and len(list(packs.iterdir())) == 1  # all found, no new pack
    changed = ["new " * 10, *first[1:]]
    assert run(changed, fail=True) == first[1:]
    assert run(changed) == first[1:]  # the failed build kept nothing
    assert run(changed) == changed and len(list(packs.iterdir())) == 2
    # Most texts gone: what is left is copied into the new pack, and the old ones go.
    assert run([first[1], "other " * 5]) == [first[1]]
    assert len(list(packs.iterdir())) == 1
    assert run([first[1], "other " * 5]) == [first[1], "other " * 5]
    assert sum(p.stat().st_size for p in packs.iterdir()) < len(first[1]) * 2


# The build (not the copy, which runs no on_page_content) made slower per page, so that the copy
# surely converts some: on the build machine it converts a third of a first build's pages.
SLOW_BUILD = """
import time


def on_page_content(html, page, config, files):
    time.sleep(0.03)
    return html
"""
AHEAD_OFF = ("def possible() -> bool:\n", "def possible() -> bool:\n    return False\n")


def converted_ahead(result: subprocess.CompletedProcess) -> int:
    found = re.search(r"(\d+) generated pages converted by a copy of the build", result.stderr)
    assert found, result.stderr[-2000:]
    return int(found.group(1))


@MKDOCS_ONLY
def test_pages_converted_by_a_copy_of_the_build_are_those_it_converts_itself(tmp_path):
    from test_reproducible import tree

    sites, counts = {}, {}
    for kind in ("copy", "no copy", "copy dies"):
        project = make_project(tmp_path / kind, config_changes={
            "site_url": SITE_URL, "hooks": ["hooks/exercise_guide_hook.py", "hooks/slow.py"]})
        (project / "hooks" / "slow.py").write_text(SLOW_BUILD, encoding="utf-8")
        module = project / "hooks" / "exercise_guide" / "ahead.py"
        text = module.read_text(encoding="utf-8")
        if kind == "no copy":
            assert AHEAD_OFF[0] in text
            text = text.replace(*AHEAD_OFF, 1)
        elif kind == "copy dies":  # after its second page, with the third's result half sent
            old = "                view = view[os.write(fd, view):]\n"
            assert old in text
            text = text.replace(old, old + "            if i == len(names) - 2:\n"
                                "                os.write(fd, len(data).to_bytes(8, 'little') + data[:9])\n"
                                "                os._exit(9)\n", 1)
        module.write_text(text, encoding="utf-8")
        result = build(project, "site")
        assert result.returncode == 0, result.stderr[-3000:]
        counts[kind] = converted_ahead(result)
        sites[kind] = tree(project / "site")
        if kind == "copy":
            again = build(project, "again")  # every page, the copy's too, was kept in .cache/
            found = re.search(r"(\d+) of (\d+) generated pages replayed", again.stderr)
            assert found and found.group(1) == found.group(2), again.stderr[-2000:]
    assert counts["copy"] > 5 and counts["no copy"] == 0 and counts["copy dies"] == 2, counts
    for kind in ("no copy", "copy dies"):
        assert sorted(sites[kind]) == sorted(sites["copy"])
        differ = [name for name in sites["copy"] if sites["copy"][name] != sites[kind][name]]
        assert not differ, f"{kind}: {differ[:5]}"


# ahead.Ahead makes a copy only in a process with no other thread: the pytest process may have
# some (a preview server's), so each of these runs in a Python process of its own.
AHEAD_RUN = """
import json, os, sys, time
from exercise_guide.ahead import Ahead

def job(name):
    time.sleep(0.004)
    return name.upper(), os.getpid()

def talking(name):
    print(f"the copy says {name}")
    os.write(2, b"and writes to stderr\\n")
    if name == "c":
        raise RuntimeError("broken")
    return name

if sys.argv[1] == "meet":
    names = [f"job {n}" for n in range(150)]
    ahead = Ahead(names, job)
    taken = []
    for name in names:
        result = ahead.take(name)
        taken.append(result if result is not None else job(name))  # else the build does it itself
    ahead.close()
    print(json.dumps({"names": [n for n, _ in taken], "there": [pid != os.getpid() for _, pid in taken],
                      "taken": ahead.taken}))
else:
    names = ["a", "b", "c", "d", "e"]
    ahead = Ahead(names, talking)
    deadline = time.monotonic() + 10
    while ahead.take("a") is None and ahead._fd is not None and time.monotonic() < deadline:
        time.sleep(0.01)  # until the copy has stopped (its pipe ends)
    print(json.dumps([ahead.take(name) for name in names[1:]]))
    ahead.close()
"""


def run_ahead(case: str) -> subprocess.CompletedProcess:
    hooks = str(Path(__file__).resolve().parent.parent / "hooks")
    return subprocess.run([sys.executable, "-c", AHEAD_RUN, case], env={**os.environ, "PYTHONPATH": hooks},
                          capture_output=True, text=True, timeout=120)


def test_a_copy_takes_the_jobs_from_the_back_until_it_meets_the_build():
    result = run_ahead("meet")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["names"] == [f"JOB {n}" for n in range(150)]
    there = run["there"]
    # The copy did the last ones, the build the first ones: one meeting point.
    assert 0 < sum(there) < len(there) and there == sorted(there), there
    assert run["taken"] == sum(there)


def test_a_copy_that_fails_or_talks_costs_nothing():
    result = run_ahead("fail")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [None, None, "d", "e"]
    assert "the copy says" not in result.stdout and "stderr" not in result.stderr
