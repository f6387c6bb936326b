"""Reading exercises.yml into plain Python data, remembering where each value stood.

PyYAML alone is not enough for content editors: it keeps the last of two
duplicate keys without a word, expands aliases (a "billion laughs" file takes
the machine down) and forgets line numbers once the data is built. So the file
is composed into YAML nodes (cheap, aliases stay shared) and walked here into
dicts, lists and scalars, while a map from each field path to its line and
column is kept for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, SourceError

try:  # libyaml when the wheel has it: the same results, several times faster.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]
MAX_BYTES = 5_000_000


@dataclass
class Located:
    """Plain data from a YAML file, and the (line, column) of every value and key in it."""

    file: str
    data: object
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int] | None:
        """The position of `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), None)


def read(path: str | Path) -> Located:
    """Read and parse `path`; raise SourceError with every problem that stops parsing."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError([Problem(name, None, None, "", "the file does not exist")]) from None
    except OSError as exc:
        raise SourceError([Problem(name, None, None, "", f"cannot read the file ({exc.strerror})")]) from None
    return parse(raw, name)


def parse(raw: bytes, name: str) -> Located:
    """Parse the bytes of a YAML file named `name`."""
    if len(raw) > MAX_BYTES:
        raise SourceError([Problem(name, None, None, "", f"the file is larger than {MAX_BYTES} bytes")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            [Problem(name, line, col, "", "this is not UTF-8 text; save the file as UTF-8")]
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SourceError([Problem(name, None, None, "", "the file is empty")])

    tabs = [
        Problem(name, n, m.end(), "", "a tab is used for indenting; use spaces instead")
        for n, ln in enumerate(text.splitlines(), 1)
        if (m := re.match(r"[ ]*\t", ln))
    ]
    if tabs:
        raise SourceError(tabs)

    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "the YAML is not valid"
        raise SourceError(
            [Problem(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "",
                     f"YAML syntax error: {what}")]
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(name, None, None, "", f"YAML error: {exc}")]) from None

    located = Located(name, None)
    problems: list[Problem] = []
    if node is None:
        raise SourceError([Problem(name, None, None, "", "the file is empty")])
    if not isinstance(node, yaml.MappingNode):
        raise SourceError([Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                   "the top level must be a list of named fields (key: value), "
                                   "starting with `version: 1`")])
    located.data = _Walker(located, problems).walk(node, ())
    if problems:
        raise SourceError(problems)
    return located


class _Walker:
    """Turns composed YAML nodes into plain data, recording marks and refusing what editors never mean."""

    def __init__(self, located: Located, problems: list[Problem]):
        self.located = located
        self.problems = problems
        self.seen: set[int] = set()
        self.scalars = _Loader("")  # only its scalar resolvers/constructors are used

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        self.problems.append(
            Problem(self.located.file, node.start_mark.line + 1, node.start_mark.column + 1,
                    format_path(path), message)
        )

    def walk(self, node: yaml.Node, path: Path_) -> object:
        self.located.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # Composed aliases share one node; expanding them is how "billion laughs" works.
            self.problem(node, path, "anchors and aliases (& and *) are not allowed; write the text out")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, object] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "a field name must be plain text")
                    continue
                key = key_node.value
                if key == "<<":
                    self.problem(key_node, path, "merge keys (<<) are not allowed; write the fields out")
                    continue
                if key in result:
                    first = self.located.marks[(*path, key)][0]
                    self.problem(key_node, (*path, key), f"this field appears twice in the same block "
                                                         f"(first on line {first}); keep only one")
                    continue
                self.located.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.walk(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> object:
        return self.scalars.construct_object(node, deep=True)


def format_path(path: Path_) -> str:
    """('exercises', 3, 'dosage') -> 'exercises[3].dosage'"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
