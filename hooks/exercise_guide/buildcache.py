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
drawn figures, the pages' HTML) are read only when asked for, so a big
library's cache is not held in memory: each build appends the ones it makes to one file of its
own under `packs/` (`packs.json` says where each text is), which takes its place there only when
the build saves (a build that failed, or a strict build that warned, keeps nothing of it). One
file a build, not one a text: a first build at 1000 exercises made about 5,000 files, and on
this machine's disk creating them cost seconds (ext4 looks through recently deleted inodes at
each new file). Each text carries a hash of itself, so a damaged one is not found. A pack of
which a build used less than half has what it used copied into the new one and goes, so the
cache does not grow with old pages either.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

FILE = "cache.json"


def feed(h, text: str | bytes) -> None:
    """`h.update(text)`, a str as UTF-8."""
    h.update(text.encode("utf-8") if isinstance(text, str) else text)


def digest(text: str | bytes) -> str:
    """A key for a long text (a page's HTML), or a hash of stored bytes."""
    h = hashlib.sha256()
    feed(h, text)
    return h.hexdigest()


def code_version(*files: Path) -> str:
    """A short hash of source files, so results made by other code are not reused."""
    h = hashlib.sha256()
    for file in files:
        h.update(Path(file).read_bytes())
    return h.hexdigest()[:16]


PACKS = "packs"
INDEX = "packs.json"


class BuildCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._old: dict[str, dict] = {}
        self._new: dict[str, dict] = {}
        # Larger texts: name -> [pack, offset, size] (see the module's docstring).
        self._index_old: dict[str, list] = {}
        self._index_new: dict[str, list] = {}
        self._pending = None      # this build's pack, open for writing (packs/.pending-…)
        self._pending_name = ""
        self._pending_size = 0
        self._readers: dict[str, int | None] = {}
        if self.directory is not None:
            try:
                data = json.loads((self.directory / FILE).read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._old = {k: v for k, v in data.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh
            try:
                index = json.loads((self.directory / INDEX).read_text(encoding="utf-8"))
                if isinstance(index, dict):
                    self._index_old = {
                        name: where for name, where in index.items()
                        if isinstance(where, list) and len(where) == 3 and isinstance(where[0], str)
                        and "/" not in where[0] and where[0].startswith("pack-")
                        and all(isinstance(n, int) and n >= 0 for n in where[1:])}
            except (OSError, ValueError):
                pass

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
        """A larger text (see the module's docstring), made by `make` when no build before kept it."""
        if self.directory is None:
            return make()
        name = digest(f"{kind}\0{key}")
        value = self._read(name)
        if value is None:
            value = make()
            self._write(name, value)
        return value

    def stored(self, kind: str, key: str) -> str | None:
        """A text that an earlier build kept with `store` (or `text`), or None (none, or damaged)."""
        if self.directory is None:
            return None
        return self._read(digest(f"{kind}\0{key}"))

    def store(self, kind: str, key: str, text: str) -> None:
        """Keep `text` for the next build (only if this build saves)."""
        if self.directory is None:
            return
        self._write(digest(f"{kind}\0{key}"), text)

    def _read(self, name: str) -> str | None:
        where = self._index_new.get(name) or self._index_old.get(name)
        if where is None:
            return None
        pack, offset, size = where
        reader = self._reader(pack)
        if reader is None:
            return None
        try:
            data = os.pread(reader, size, offset)
        except OSError:
            return None
        check, _, body = data.partition(b"\n")
        if len(data) != size or check != digest(body).encode("ascii"):
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        self._index_new[name] = where
        return text

    def _reader(self, pack: str) -> int | None:
        if pack not in self._readers:
            try:
                self._readers[pack] = os.open(self.directory / PACKS / pack, os.O_RDONLY)
            except OSError:
                self._readers[pack] = None
        return self._readers[pack]

    def _write(self, name: str, text: str) -> None:
        body = text.encode("utf-8")
        self._append(name, digest(body).encode("ascii") + b"\n" + body)

    def _append(self, name: str, record: bytes) -> None:
        if self._pending is None:
            (self.directory / PACKS).mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(dir=self.directory / PACKS, prefix=".pending-", suffix=".pack")
            # Unbuffered: every record is in the file once written, for `_read` and for a forked
            # copy of the build (ahead.py), which shares the file and must have nothing of it to write.
            self._pending, self._pending_name, self._pending_size = os.fdopen(fd, "wb", buffering=0), Path(path).name, 0
        view = memoryview(record)
        while view:
            view = view[self._pending.write(view):]
        self._index_new[name] = [self._pending_name, self._pending_size, len(record)]
        self._pending_size += len(record)

    def discard(self) -> None:
        """The build failed: forget what this build made."""
        if self._pending is not None:
            self._pending.close()
            (self.directory / PACKS / self._pending_name).unlink(missing_ok=True)
            self._index_new = {k: v for k, v in self._index_new.items() if v[0] != self._pending_name}
            self._pending, self._pending_name = None, ""
        self._close_readers()

    def _close_readers(self) -> None:
        for reader in self._readers.values():
            if reader is not None:
                os.close(reader)
        self._readers = {}

    def save(self) -> None:
        """Write the entries this build used (call after a successful build)."""
        if self.directory is None:
            return
        packs = self.directory / PACKS
        self._compact()
        if self._pending is not None:
            self._pending.close()
            final = f"pack-{secrets.token_hex(8)}.pack"
            os.replace(packs / self._pending_name, packs / final)
            for where in self._index_new.values():
                if where[0] == self._pending_name:
                    where[0] = final
            self._pending, self._pending_name = None, ""
        self._close_readers()
        if self._index_new != self._index_old:
            self._replace(INDEX, self._index_new, sort_keys=False)
        if packs.is_dir():
            used = {where[0] for where in self._index_new.values()}
            for old in packs.iterdir():
                if old.name.startswith(".pending-"):
                    if time.time() - old.stat().st_mtime > 3600:  # left by a build that was killed
                        old.unlink(missing_ok=True)
                elif old.name not in used:
                    old.unlink(missing_ok=True)
        shutil.rmtree(self.directory / "files", ignore_errors=True)  # one file a text, before packs
        if self._new != self._old:
            self._replace(FILE, self._new, sort_keys=True)

    def _compact(self) -> None:
        """A pack of an earlier build of which this build used less than half: what it used is
        copied into this build's pack, so that the old one can go (the cache does not grow)."""
        live: dict[str, int] = {}
        for pack, _, size in self._index_new.values():
            live[pack] = live.get(pack, 0) + size
        for pack, size in live.items():
            if pack == self._pending_name:
                continue
            try:
                whole = (self.directory / PACKS / pack).stat().st_size
            except OSError:
                continue
            if size * 2 >= whole:
                continue
            reader = self._reader(pack)
            for name, where in list(self._index_new.items()):
                if where[0] == pack:
                    record = os.pread(reader, where[2], where[1])
                    if len(record) == where[2]:
                        self._append(name, record)

    def _replace(self, name: str, value, sort_keys: bool) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
        os.replace(tmp, self.directory / name)
