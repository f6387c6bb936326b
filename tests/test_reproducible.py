"""Two builds of the same commit are byte-identical (SOURCE_DATE_EPOCH fixes the dates): the
session's build, which may reuse what the repository's .cache/ holds from builds before, and a
build of a fresh copy of the project, which has no .cache/ and makes everything from nothing."""

from __future__ import annotations

from conftest import build_site, make_project


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    project = make_project(tmp_path / "project")
    assert not (project / ".cache").exists()  # what a build may keep for the next
    again = tmp_path / "site"
    result = build_site(again, project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    first, second = tree(built_site), tree(again)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"files differ between two builds: {differ[:10]}"
