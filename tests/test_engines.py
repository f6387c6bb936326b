"""The same site from both generators (issue 15): nothing the MkDocs build has is missing from the
Zensical build. Runs in `make test ENGINE=zensical`, where the session's site is Zensical's; it
builds the MkDocs site once more beside it and compares what a reader gets: the same files, the
same words on every page, the same reading grades on About.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENGINE, MKDOCS, ROOT, build_env, build_site, make_project
from exercise_guide.finish import postbuild, readability

pytestmark = pytest.mark.skipif(ENGINE != "zensical", reason="compares a Zensical build with the MkDocs one")


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("mkdocs") / "site"
    result = subprocess.run([MKDOCS, "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
                             "--site-dir", str(site)], capture_output=True, text=True, env=build_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    return site


def files(site: Path) -> set[str]:
    """Every file a reader can reach, but the theme's own assets and search index (which differ)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not p.relative_to(site).as_posix().startswith(("assets/javascripts/", "assets/stylesheets/",
                                                                 "assets/images/", "search"))}


# MkDocs' gzipped copy of sitemap.xml and Material's tags plugin's export: no page asks for them.
MKDOCS_EXTRAS = {"sitemap.xml.gz", "tags.json"}


def test_the_same_files(built_site, mkdocs_site):
    missing = files(mkdocs_site) - files(built_site) - MKDOCS_EXTRAS
    assert not missing, f"in the MkDocs site only: {sorted(missing)}"
    for data in ("assets/exercises.json", "assets/do-it-with-me-words.json"):
        assert (built_site / data).read_bytes() == (mkdocs_site / data).read_bytes(), data


def test_every_page_says_the_same(built_site, mkdocs_site):
    pages = sorted(p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("index.html"))
    assert len(pages) > 20
    different = []
    for page in pages:
        ours = readability.html_text(postbuild.content((built_site / page).read_text(encoding="utf-8")))
        theirs = readability.html_text(postbuild.content((mkdocs_site / page).read_text(encoding="utf-8")))
        if ours != theirs:
            a, b = ours.splitlines(), theirs.splitlines()
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            different.append(f"{page}: line {first}: Zensical {a[first:first + 1]} / MkDocs {b[first:first + 1]}")
    assert not different, "\n".join(different)


def grades(site: Path) -> list[tuple[str, str, str, str]]:
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><td><a href="([^"]*)">([^<]*)</a></td><td>([^<]*)</td><td>([^<]*)</td></tr>', about)
    # Where each row leads, however the generator writes the address.
    return [(posixpath.normpath(posixpath.join("/about/", href)), title, grade, words)
            for href, title, grade, words in rows]


def test_about_shows_the_same_grades(built_site, mkdocs_site):
    ours, theirs = grades(built_site), grades(mkdocs_site)
    assert len(theirs) > 20
    assert ours == theirs


def test_every_page_carries_the_policy(built_site):
    pages = list(built_site.rglob("*.html"))
    assert pages and all('http-equiv="Content-Security-Policy"' in p.read_text(encoding="utf-8") for p in pages)


def test_a_broken_link_stops_the_build_at_its_line_and_writes_nothing(tmp_path):
    """Zensical checks links itself (with `strict`); its report reaches the editor without colour
    codes or a traceback, and no site is written."""
    project = make_project(tmp_path / "project")
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nSee [this page](nowhere.md).\n", encoding="utf-8")
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode == 1
    assert "page does not exist" in result.stderr and "Traceback" not in result.stderr and "\x1b[" not in result.stderr
    # It names the page of the build folder (the home page has its boxes filled in there) and its line.
    where = re.search(r"\[ (\.zensical/docs/index\.md):(\d+):\d+ \]", result.stderr)
    assert where, result.stderr
    shown = (project / where.group(1)).read_text(encoding="utf-8").splitlines()[int(where.group(2)) - 1]
    assert "(nowhere.md)" in shown
    assert not (tmp_path / "site").exists()


def test_two_zensical_builds_of_one_project_at_once_both_finish(tmp_path):
    """Zensical builds in the project's one build folder (.zensical/): two builds at once (the test
    processes side by side, or `make site` during a test run) take turns instead of moving each
    other's half-built site away (which once failed the whole suite)."""
    project = make_project(tmp_path / "project")
    command = [sys.executable, str(project / "hooks" / "zensical_build.py"),
               "--config-file", str(project / "mkdocs.yml"), "--site-dir"]
    builds = [subprocess.Popen([*command, str(tmp_path / name)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=build_env()) for name in ("one", "two")]
    said = [b.communicate(timeout=600)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], said
    assert (tmp_path / "one" / "index.html").read_bytes() == (tmp_path / "two" / "index.html").read_bytes()
