"""Issue 14: published builds replay unchanged generated pages from .cache/ (pagecache.py), and the
site is the same as if every page were converted: every file, the search index and sitemap
included, and MkDocs' link checks say the same things.

- A first build, a build that replays every generated page, and a build whose cache is damaged
  (each kind of damage) make the same site, byte for byte.
- A link check that fires without the cache fires with it: a generated page's link to a missing
  page, a hand-written page's link to a missing anchor of a generated page, and to an anchor that
  goes away when the data changes; a link to an anchor that is there stays quiet.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from conftest import MKDOCS, MKDOCS_ONLY, build_env, make_project
from exercise_guide.buildcache import digest
from test_reproducible import tree

pytestmark = MKDOCS_ONLY  # the MkDocs hook's own events (the Zensical build has its own)

SITE_URL = "https://guide.example.org/"
REPLAYED = re.compile(r"(\d+) of (\d+) generated pages replayed")


def build(project: Path, site: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([MKDOCS, "build", *options, "--site-dir", str(project / site)], cwd=project,
                          env=build_env(), capture_output=True, text=True, timeout=600)


def replayed(result: subprocess.CompletedProcess) -> tuple[int, int]:
    """(generated pages replayed, generated pages) of a build."""
    found = REPLAYED.search(result.stderr)
    assert found, result.stderr[-2000:]
    return int(found.group(1)), int(found.group(2))


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return sorted(line for line in result.stderr.splitlines() if line.startswith("WARNING"))


class Kept:
    """One text the cache keeps (buildcache.py): where it is in its pack, as packs.json says."""

    def __init__(self, project: Path, name: str, where: list) -> None:
        self.project, self.name = project, name
        self.pack, self.offset, self.size = project / CACHE / "packs" / where[0], where[1], where[2]

    def record(self) -> bytes:
        with open(self.pack, "rb") as f:
            f.seek(self.offset)
            return f.read(self.size)

    def text(self) -> str:
        return self.record().partition(b"\n")[2].decode("utf-8")

    def overwrite(self, record: bytes) -> None:
        """Its bytes in the pack replaced by `record`, of the same length."""
        assert len(record) == self.size
        with open(self.pack, "r+b") as f:
            f.seek(self.offset)
            f.write(record)

    def cut(self) -> None:
        """packs.json says it is half as long as it was (a text cut short)."""
        index_file = self.project / CACHE / "packs.json"
        index = json.loads(index_file.read_text(encoding="utf-8"))
        index[self.name][2] = self.size // 2
        index_file.write_text(json.dumps(index), encoding="utf-8")


CACHE = Path(".cache") / "exercise-guide"


def kept_files(project: Path, start: str) -> list[Kept]:
    """The texts in .cache/ that start with `start` ('{"html":' for pages)."""
    index_file = project / CACHE / "packs.json"
    if not index_file.exists():
        return []
    index = json.loads(index_file.read_text(encoding="utf-8"))
    kept = [Kept(project, name, where) for name, where in sorted(index.items())]
    return [k for k in kept if k.text().startswith(start)]


def hashed(text: str, size: int) -> bytes:
    """A record of `text` padded with spaces to `size` bytes, with its hash right."""
    head = len(digest("")) + 1
    text += " " * (size - head - len(text.encode("utf-8")))
    return f"{digest(text)}\n{text}".encode("utf-8")


def test_replayed_and_damaged_caches_build_the_same_site(tmp_path):
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL})
    first = build(project, "first", "--strict")
    assert first.returncode == 0, first.stderr
    hits, generated = replayed(first)
    assert hits == 0 and generated > 20
    kept = kept_files(project, '{"html":')
    assert len(kept) == generated  # every generated page is kept for the next build

    again = build(project, "again", "--strict")
    assert again.returncode == 0, again.stderr
    assert replayed(again) == (generated, generated)

    # Damage: a text cut short, one with a byte changed, one with its hash right but not a page,
    # one emptied (spaces), and cache.json broken.
    kept[0].cut()
    kept[1].overwrite(kept[1].record().replace(b"<h2", b"<h3", 1))
    kept[2].overwrite(hashed('{"html": 1, "toc": [], "title": null, "anchors": [], "links": null}', kept[2].size))
    kept[3].overwrite(b" " * kept[3].size)
    (project / ".cache" / "exercise-guide" / "cache.json").write_text('{"page', encoding="utf-8")
    damaged = build(project, "damaged", "--strict")
    assert damaged.returncode == 0, damaged.stderr
    assert replayed(damaged) == (generated - 4, generated)

    sites = {kind: tree(project / kind) for kind in ("first", "again", "damaged")}
    assert "assets/search/en.json" in sites["first"] and "sitemap.xml" in sites["first"]
    for kind in ("again", "damaged"):
        assert sorted(sites[kind]) == sorted(sites["first"])
        differ = [name for name in sites["first"] if sites["first"][name] != sites[kind][name]]
        assert not differ, f"{kind}: {differ[:5]}"
    # The damaged entries were made again: the next build replays every page.
    after = build(project, "after", "--strict")
    assert replayed(after) == (generated, generated)


def test_link_checks_fire_the_same_with_replayed_pages(tmp_path, guide):
    project = make_project(tmp_path / "project", config_changes={"site_url": SITE_URL, "strict": False})
    ex = guide.exercises[0]
    title_anchor = re.sub(r"[^a-z0-9]+", "-", ex.title.lower()).strip("-")
    # A generated page (About) links to the builder's page: a missing page once it is gone.
    (project / "docs" / "builder" / "index.md").unlink()
    (project / "docs" / "links.md").write_text(
        "# Links\n\n"
        f"[safety](exercises/{ex.slug}.md#safety) "
        f"[title](exercises/{ex.slug}.md#{title_anchor}) "
        f"[missing](exercises/{ex.slug}.md#no-such-part)\n", encoding="utf-8")

    cold = build(project, "cold")
    assert cold.returncode == 0, cold.stderr
    expected = warnings(cold)
    assert any("Doc file 'about.md' contains a link 'builder/index.md'" in w for w in expected), expected
    assert any("does not contain an anchor '#no-such-part'" in w for w in expected), expected
    assert not any("#safety" in w or f"#{title_anchor}'" in w for w in expected), expected

    warm = build(project, "warm")
    assert warm.returncode == 0, warm.stderr
    hits, generated = replayed(warm)
    assert hits == generated - 1  # all but About, whose conversion warned: it is never kept
    assert warnings(warm) == expected

    strict = build(project, "strict", "--strict")
    assert strict.returncode != 0 and warnings(strict) == expected
    # A build that --strict stops keeps nothing of what it converted.
    shutil.rmtree(project / ".cache")
    assert build(project, "strict", "--strict").returncode != 0
    assert not kept_files(project, '{"html":')
    assert not list((project / CACHE / "packs").glob("*")), "a pack of the failed build was left"
    assert not (project / ".cache" / "exercise-guide" / "cache.json").exists()
    assert build(project, "cold").returncode == 0

    # The title changes: the anchor the hand-written page links to goes away.
    data = project / "exercises.yml"
    data.write_text(data.read_text(encoding="utf-8").replace(f"title: {ex.title}\n", "title: Knees up\n", 1),
                    encoding="utf-8")
    renamed = build(project, "renamed")
    assert renamed.returncode == 0, renamed.stderr
    assert replayed(renamed)[0] > 0
    assert any(f"does not contain an anchor '#{title_anchor}'" in w for w in warnings(renamed)), warnings(renamed)
