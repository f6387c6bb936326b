"""Generated pages replayed instead of converted again, when nothing they depend on has changed.

Why: converting the generated pages' Markdown was about half of a published build at 1000
exercises, and most of each preview rebuild. An editor changes one exercise at a time, and a
build of a kept `.cache/` mostly converts what the build before converted. `--dirty` cannot
help (generated pages always count as modified).

A page's conversion depends on its Markdown, its address, the source path, destination and
address of every file (its links are rewritten and checked against them), the Markdown
settings (extensions and their configuration), the link-validation settings, the installed
versions of the converting libraries (Python-Markdown, pymdown-extensions, MkDocs, Material)
and the code that stores and replays it: together they make its key (`begin` takes what all
pages share, `key` what is the page's own). The value is whatever the caller gives (the MkDocs
hook keeps the HTML, table of contents, title and anchors as JSON); this module does not look
inside it. A setting that cannot be written down the same way in every process (an object
known only by its place in memory) turns replay off for that build rather than risk a stale page.

Two stores: `Replay` keeps the previous rebuild's pages in memory (the preview, `mkdocs serve`,
one process); `StoredReplay` keeps them in the build cache (`buildcache.py`), for the next
published build: each page a file of its own, written only when the build succeeds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from .buildcache import BuildCache, code_version, feed

# The libraries between a page's Markdown and its HTML.
CONVERTERS = ("Markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "mkdocs-material-extensions",
              "Pygments")


def versions(*code: Path) -> dict[str, str]:
    """The versions of Python, the converting libraries and the given source files."""
    found = {"python": platform.python_version(), "code": code_version(Path(__file__), *code)}
    for name in CONVERTERS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return found


class Unstable(ValueError):
    """A setting with no written form that is the same in every process."""


def fingerprint(value) -> str:
    """`value` (settings: dicts, lists, enums, functions named in mkdocs.yml) as stable text.

    Unstable if a part of it is known only by its place in memory."""
    def named(obj):
        if isinstance(obj, Mapping):
            return dict(obj)
        if isinstance(obj, (set, frozenset)):
            return sorted(obj, key=repr)
        if isinstance(obj, tuple):
            return list(obj)
        if isinstance(obj, functools.partial):  # a function with settings (the tags plugin's slugify)
            return {"partial": named(obj.func), "args": list(obj.args), "keywords": obj.keywords}
        if callable(obj) and getattr(obj, "__module__", None) and getattr(obj, "__qualname__", None):
            if "<" not in obj.__qualname__:  # not a lambda or a function made inside another
                return f"{obj.__module__}.{obj.__qualname__}"
        text = repr(obj)
        if " at 0x" in text or " object at " in text:
            raise Unstable(text)
        return f"{type(obj).__module__}.{type(obj).__qualname__}:{text}"

    return json.dumps(value, default=named, sort_keys=True, ensure_ascii=False)


class Replay:
    """The previous rebuild's pages, in memory (the preview)."""

    def __init__(self) -> None:
        self._last: dict[str, object] = {}
        self._now: dict[str, object] = {}
        self.shape: str | None = ""
        self.hits = 0  # pages replayed in the current build

    def begin(self, shape: str | None) -> None:
        """A new build; `shape` names everything all pages depend on (file addresses, settings;
        see `fingerprint`), None when it cannot be named: then nothing is replayed or kept."""
        self._last, self._now = {**self._last, **self._now}, {}
        self.hits = 0
        self.shape = None if shape is None else hashlib.sha256(shape.encode("utf-8")).hexdigest()

    def key(self, *parts: str) -> str | None:
        if self.shape is None:
            return None
        h = hashlib.sha256(self.shape.encode())
        for part in parts:
            feed(h, "\0" + part)
        return h.hexdigest()

    def get(self, key: str | None):
        value = self._load(key) if key is not None else None
        if value is not None:
            self.hits += 1
        return value

    def unusable(self) -> None:
        """The value just found could not be used (the caller found it damaged): not a replay."""
        self.hits -= 1

    def put(self, key: str | None, value: object) -> None:
        if key is not None:
            self._save(key, value)

    def end(self) -> None:
        """The build finished: keep only what it used or made."""
        self._last, self._now = self._now, {}

    def _load(self, key: str):
        value = self._last.get(key)
        if value is not None:
            self._now[key] = value
        return value

    def _save(self, key: str, value: object) -> None:
        self._now[key] = value


class StoredReplay(Replay):
    """Pages kept in a BuildCache (`.cache/`) for the next build, as JSON. A value that is not
    JSON (or a damaged file) is simply not kept (not found)."""

    KIND = "page-v1"

    def __init__(self, cache: BuildCache) -> None:
        super().__init__()
        self.cache = cache

    def _load(self, key: str):
        text = self.cache.stored(self.KIND, key)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def _save(self, key: str, value: object) -> None:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return
        self.cache.store(self.KIND, key, text)

    def end(self) -> None:
        """Nothing to do: the BuildCache writes what was kept when the build saves it."""


PREVIEW = Replay()
