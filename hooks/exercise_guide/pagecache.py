"""The preview's rendered pages, replayed when nothing they depend on has changed.

Why: `mkdocs serve` rebuilds every page on each save, and `--dirty` cannot help, because
generated pages always count as modified. An editor changes one exercise at a time, so most
of a rebuild's Markdown conversion gives again what the last rebuild gave. A page's rendering
depends on its Markdown, its address, the addresses of every other file (its links are
rewritten against them) and the Markdown settings: together they make its key. The value is
whatever the caller stores (the MkDocs hook keeps the HTML, table of contents, title and
anchors); this module does not look inside it.

Only the previous rebuild's pages are kept (an edited page's old rendering is dropped), and only
in memory, so a published build, a fresh process, never replays anything.
"""

from __future__ import annotations

import hashlib


class Replay:
    def __init__(self) -> None:
        self._last: dict[str, object] = {}
        self._now: dict[str, object] = {}
        self.shape = ""
        self.hits = 0  # pages replayed in the current rebuild

    def begin(self, shape: str) -> None:
        """A new rebuild; `shape` names everything all pages depend on (file addresses, settings)."""
        self._last, self._now = {**self._last, **self._now}, {}
        self.hits = 0
        self.shape = hashlib.sha256(shape.encode("utf-8")).hexdigest()

    def key(self, *parts: str) -> str:
        h = hashlib.sha256(self.shape.encode())
        for part in parts:
            h.update(b"\0" + part.encode("utf-8"))
        return h.hexdigest()

    def get(self, key: str):
        value = self._last.get(key)
        if value is not None:
            self._now[key] = value
            self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        self._now[key] = value

    def end(self) -> None:
        """The rebuild finished: keep only what it used or made."""
        self._last, self._now = self._now, {}


PREVIEW = Replay()
