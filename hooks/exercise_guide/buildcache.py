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
drawn figures, the pages' HTML) are files of their own under `files/`, read only when asked for,
so a big library's cache is not held in memory; files no build used are removed at the end. Those
of `store` carry a hash of their text, so a damaged one is not found, and they reach `files/` only
when the build that made them saves (a build that failed, or a strict build that warned, keeps
nothing of them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

FILE = "cache.json"


# hashlib lets other threads run while it hashes more than 2 KB at once. In a first build the
# grader's threads (readability.py) then took the lock back from the build at each page's hash,
# and on a busy 2-core machine each wait was a scheduler slice: 0.9 s of hashing 1000 pages'
# Markdown, 0.02 s without them. In pieces this small the build keeps it.
_PIECE = 2047


def feed(h, text: str) -> None:
    """`h.update(text)` (UTF-8), without letting other threads in (see _PIECE)."""
    data = memoryview(text.encode("utf-8"))
    for start in range(0, len(data), _PIECE):
        h.update(data[start:start + _PIECE])


def digest(text: str) -> str:
    """A key for a long text (a page's HTML)."""
    h = hashlib.sha256()
    feed(h, text)
    return h.hexdigest()


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
        self._pending: Path | None = None  # files made by `store`, moved into files/ by `save`
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

    def stored(self, kind: str, key: str) -> str | None:
        """A text that an earlier build kept with `store`, or None (none, or damaged)."""
        if self.directory is None:
            return None
        name = digest(f"{kind}\0{key}")
        try:
            with open(self.directory / "files" / name, encoding="utf-8", newline="") as f:
                check, _, text = f.read().partition("\n")
        except (OSError, UnicodeDecodeError):
            return None
        if check != digest(text):
            return None
        self._files_used.add(name)
        return text

    def store(self, kind: str, key: str, text: str) -> None:
        """Keep `text` for the next build; it is written to files/ only by `save`."""
        if self.directory is None:
            return
        name = digest(f"{kind}\0{key}")
        if self._pending is None:
            (self.directory / "files").mkdir(parents=True, exist_ok=True)
            self._pending = Path(tempfile.mkdtemp(dir=self.directory / "files", prefix=".pending-"))
        with open(self._pending / name, "w", encoding="utf-8", newline="") as out:
            out.write(f"{digest(text)}\n{text}")
        self._files_used.add(name)

    def discard(self) -> None:
        """The build failed: forget what `store` was given."""
        if self._pending is not None:
            shutil.rmtree(self._pending, ignore_errors=True)
            self._pending = None

    def save(self) -> None:
        """Write the entries this build used (call after a successful build)."""
        if self.directory is None:
            return
        files = self.directory / "files"
        if self._pending is not None:
            for new in self._pending.iterdir():
                try:
                    os.replace(new, files / new.name)
                except OSError:
                    pass  # only costs time next build
            self.discard()
        if self._files_used and files.is_dir():
            for old in files.iterdir():
                if old.name.startswith(".pending-"):
                    if time.time() - old.stat().st_mtime > 3600:  # left by a build that was killed
                        shutil.rmtree(old, ignore_errors=True)
                elif old.name not in self._files_used and not old.name.startswith((".new-", ".pending-")):
                    old.unlink(missing_ok=True)
        if self._new == self._old:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._new, out, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        os.replace(tmp, self.directory / FILE)
