"""Two builds of the same commit are byte-identical (SOURCE_DATE_EPOCH fixes the dates)."""

from __future__ import annotations

from conftest import build_site


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    again = tmp_path / "site"
    result = build_site(again)
    assert result.returncode == 0, result.stderr
    first, second = tree(built_site), tree(again)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"files differ between two builds: {differ[:10]}"
