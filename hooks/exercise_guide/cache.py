"""Results of the costly pure steps, kept by their content: QR codes, reading grades, drawings.

Why: a QR code, a page's reading grade and a figure's drawing depend only on their input (an
address, a page's HTML, a figure's data) and on the code that makes them, and making them again
is most of what a build does beyond the engine's own work. Each result is stored under a kind that
names everything else it depends on (a library's version, a hash of the code) and a key (the
input itself or its hash), so a stale entry is never found; a missing or damaged cache costs the
time to make the result again, never a different site.

`Cache(directory)` keeps one JSON file there (`.cache/exercise-guide/` beside mkdocs.yml, where
Material keeps its plugins' caches). It is written once, at the end of a good build, with only
the entries that build used, so it does not grow with old pages, and replaced atomically, so two
builds at once never leave half a file. `Cache(None)` keeps nothing on disk: the preview
keeps one in memory from save to save (next_build).

`by_content` is the same idea within one process: a function of a pydantic model remembered by
the model's JSON (figures' scenes, shared by validation and rendering).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
FILE = "cache.json"


def digest(text: str | bytes) -> str:
    """A key for a long text (a page's HTML)."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def code_version(*files: Path) -> str:
    """A short hash of source files, so results made by other code are not reused."""
    h = hashlib.sha256()
    for file in files:
        h.update(Path(file).read_bytes())
    return h.hexdigest()[:16]


class Cache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._old: dict[str, dict] = {}
        self._new: dict[str, dict] = {}
        if self.directory is not None:
            try:
                data = json.loads((self.directory / FILE).read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._old = {k: v for k, v in data.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh

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

    def get_or_make(self, kind: str, key: str, make: Callable[[], T]) -> T:
        value = self.get(kind, key)
        if value is None:
            value = make()
            self.put(kind, key, value)
        return value

    def next_build(self) -> "Cache":
        """The same cache for the next build in this process (the preview's, which keeps nothing on
        disk): what this build used is found, the rest is dropped, as save() and a new Cache do."""
        self._old, self._new = self._new, {}
        return self

    def save(self) -> None:
        """Keep what this build used, for the next (call only after a good build)."""
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._new, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, self.directory / FILE)


def by_content(function: Callable[..., T], size: int = 4096) -> Callable[..., T]:
    """Cache `function(model, *args)` by `model.model_dump_json()` and the other arguments, the
    last `size` results (least recently used first out). Callers read the value, never change it."""
    store: OrderedDict = OrderedDict()

    @functools.wraps(function)
    def wrapper(model, *args):
        key = (model.model_dump_json(), args)
        if key in store:
            store.move_to_end(key)
            return store[key]
        value = store[key] = function(model, *args)
        if len(store) > size:
            store.popitem(last=False)
        return value

    wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
    return wrapper
