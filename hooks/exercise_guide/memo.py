"""Remembering results by their content, across the builds of one process.

Why: the same work was done more than once. Validation and rendering each built every figure's
scene; and `mkdocs serve` rebuilds the whole site on each save, though an editor changes one
exercise at a time. A result keyed by the model's JSON (not by the object, which is new in every
build) is right as long as the function depends only on that content and the code, which does
not change within a process. Bounded, least recently used first out, so a long preview session
does not grow without limit.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from typing import Callable, TypeVar

T = TypeVar("T")
SIZE = 4096


class Recent:
    """The last `size` results by key (anything that names all a result depends on), least
    recently used first out: for results whose key is cheaper to make than the result (a page's
    Markdown, keyed by the data it shows)."""

    def __init__(self, size: int = SIZE) -> None:
        self._store: OrderedDict[object, object] = OrderedDict()
        self.size = size

    def get_or_make(self, key, make: Callable[[], T]) -> T:
        try:
            self._store.move_to_end(key)
            return self._store[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = make()
        self._store[key] = value
        if len(self._store) > self.size:
            self._store.popitem(last=False)
        return value

    def clear(self) -> None:
        self._store.clear()


def by_content(function: Callable[..., T]) -> Callable[..., T]:
    """Cache `function(model, *args)` by `model.model_dump_json()` and the other arguments.

    The cached value is shared: callers read it and never change it."""
    store = Recent()

    @functools.wraps(function)
    def wrapper(model, *args):
        return store.get_or_make((model.model_dump_json(), args), lambda: function(model, *args))

    wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
    return wrapper
