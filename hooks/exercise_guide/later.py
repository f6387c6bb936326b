"""Parts of the generated files made in a second process while MkDocs goes on (sidework.py).

Why: before MkDocs converted its first page, a first build at 1000 exercises made every QR code
(0.8 s) and drew every figure's picture and movement file (0.6 s), on the build's one busy core.
None of them is needed that early: a page's QR code only when MkDocs reads that page, the
figures' files only when MkDocs copies the site's files, after every page is converted. So
`render_pages` and `site_files` can be given a Later: what a build before kept (`find`) is used
at once; anything else is handed to a second process and a placeholder stands in its place, which
`fill` replaces, at the latest moment, with the text the process made (kept with `keep` for the
next build). The text is the same as when made in place (the same function makes it), so the
site is too. Without a Later (`exercise-guide render`, the preview, Zensical) everything is made
in place, as before.

A placeholder is `\\0later:N\\0`: a NUL, which no text of exercises.yml can hold.
"""

from __future__ import annotations

import importlib
import re
from typing import Callable

from markupsafe import Markup

from .sidework import Sidework, SideworkError

_PLACEHOLDER = re.compile("\0later:(\\d+)\0")


class Later:
    def __init__(self, what: str, spool: bool = False, warm: str | None = None) -> None:
        """`spool`: the process starts at `start` (sidework.Sidework's): for what is needed only late.
        `warm` (a module, or "module:function"): the process starts now and imports (and calls) it."""
        self._work = Sidework("exercise_guide.later:make", what, spool=spool, warm=warm)
        if warm and not spool:
            self._work.start()
        self._keep: list[Callable[[str], None]] = []
        self._texts: list[str] | None = None
        self._failed: SideworkError | None = None

    def __call__(self, known: str | None, function: str, argument: object,
                 keep: Callable[[str], None]) -> Markup:
        """`known` (what a build before kept), or a placeholder: the second process then calls
        `function` ("module:name", importable there) on `argument`, and `keep` is given its text."""
        if known is not None:
            return Markup(known)
        self._work.submit((function, argument))
        self._keep.append(keep)
        return Markup(f"\0later:{len(self._keep) - 1}\0")

    def start(self) -> None:
        """Everything is handed over: the process may finish (call once the pages are rendered)."""
        self._work.end_input()

    def fill(self, text: str) -> str:
        """`text` with its placeholders replaced (sidework.SideworkError if the process failed)."""
        if "\0later:" not in text:
            return text
        texts = self.wait()
        return _PLACEHOLDER.sub(lambda m: texts[int(m.group(1))], text)

    def wait(self) -> list[str]:
        """Every text, waiting for the process if need be (sidework.SideworkError if it failed);
        after this, `fill` needs nothing more of it."""
        if self._failed is not None:
            raise self._failed
        if self._texts is None:
            try:
                self._texts = self._work.results()
            except SideworkError as exc:
                self._failed = exc
                raise
            for keep, made in zip(self._keep, self._texts):
                keep(made)
        return self._texts

    def close(self) -> None:
        self._work.close()


def make(item: tuple[str, object]) -> str:
    """In the second process: one call of `Later`'s."""
    function, argument = item
    module, _, name = function.partition(":")
    return getattr(importlib.import_module(module), name)(argument)
