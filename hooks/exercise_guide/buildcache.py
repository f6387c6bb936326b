"""What one build may reuse from the last: results that depend only on their input and the code.

Why: a published build at 1000 exercises spent seconds on work whose answer had not changed since
the previous build: a QR code per address, a reading grade per page. Each such result is stored
under a kind that names everything else it depends on (the library's version, the settings, the
code) and a key (the address, a hash of the page's HTML), so a stale entry is never found; a
missing or damaged cache only costs the time to make it again, never a different site.

The cache is one JSON file in a directory the caller names (the MkDocs hook uses `.cache/` beside
mkdocs.yml, where Material's own plugins keep theirs). It is written once, at the end of a
successful build, with only the entries that build used, so it does not grow with old pages;
it is replaced atomically, so two builds at once never leave half a file. Larger texts (the
drawn figures) are files of their own under `files/`, read only when asked for, so a big
library's cache is not held in memory; files no build used are removed at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

FILE = "cache.json"


def digest(text: str) -> str:
    """A key for a long text (a page's HTML)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_version(*files: Path) -> str:
    """A short hash of source files, so results made by other code are not reused."""
    h = hashlib.sha256()
    for file in files:
        h.update(Path(file).read_bytes())
    return h.hexdigest()[:16]


class BuildCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._old: dict[str, dict] = {}
        self._new: dict[str, dict] = {}
        self._files_used: set[str] = set()
        if self.directory is not None:
            try:
                data = json.loads((self.directory / FILE).read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._old = {k: v for k, v in data.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh

    def has(self, kind: str) -> bool:
        """Whether the last build left any entry of this kind."""
        return bool(self._old.get(kind))

    def get(self, kind: str, key: str):
        """The stored value, or None. A value found is kept for the next build."""
        if key in self._new.get(kind, ()):
            return self._new[kind][key]
        value = self._old.get(kind, {}).get(key)
        if value is not None:
            self._new.setdefault(kind, {})[key] = value
        return value

    def put(self, kind: str, key: str, value) -> None:
        self._new.setdefault(kind, {})[key] = value

    def get_or_make(self, kind: str, key: str, make: Callable[[], object]):
        value = self.get(kind, key)
        if value is None:
            value = make()
            self.put(kind, key, value)
        return value

    def text(self, kind: str, key: str, make: Callable[[], str]) -> str:
        """A text kept in a file of its own (see the module's docstring)."""
        if self.directory is None:
            return make()
        name = digest(f"{kind}\0{key}")
        self._files_used.add(name)
        path = self.directory / "files" / name
        try:
            with open(path, encoding="utf-8", newline="") as f:
                return f.read()
        except OSError:
            pass
        value = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(value)
        os.replace(tmp, path)
        return value

    def save(self) -> None:
        """Write the entries this build used (call after a successful build)."""
        if self.directory is None:
            return
        if self._files_used and (self.directory / "files").is_dir():
            for old in (self.directory / "files").iterdir():
                if old.name not in self._files_used and not old.name.startswith(".new-"):
                    old.unlink(missing_ok=True)
        if self._new == self._old:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._new, out, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        os.replace(tmp, self.directory / FILE)
