"""Reading exercises.yml into plain Python data, remembering where each value stood.

PyYAML alone is not enough for content editors: it keeps the last of two
duplicate keys without a word, expands aliases (a "billion laughs" file takes
the machine down) and forgets line numbers once the data is built. So the file
is composed into YAML nodes (cheap, aliases stay shared) and walked here into
dicts, lists and scalars, while a map from each field path to its line and
column is kept for error messages.

Also refused, each with its line: control characters, tab indentation, YAML
tags (`!!python/...`, `!!binary`), nesting deeper than any real entry, and
anchors/aliases. Hidden characters are looked for twice: in the file as written, and in
each value and field name as YAML decoded it (a quoted "\\u202E" or "\\0" is one character
only then). Only plain decimal numbers are read as numbers: YAML 1.1's 2:00, 0x78 and 017
stay the text written, for the models to name.

libyaml's composer resolves an alias to the node it names, which has the anchor's
line; so when one is met, the file is composed again (pure Python, only then) keeping
each alias where it is written.
"""

from __future__ import annotations

import re
import unicodedata
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
# The guide nests five levels deep; far deeper is a mistake (and Python's recursion has limits).
MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
# The only kinds of value exercises.yml needs. Other tags (!!binary, !!python/..., !custom) are refused.
_SCALAR_TAGS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Characters YAML does not allow in a file (control characters other than tab and line breaks).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
# Characters that change what a text says without showing. YAML reads the line and paragraph
# separators as line breaks (a title with one broke the navigation); the format characters
# (Unicode's "Cf": zero-width spaces and joiners, direction overrides and isolates, soft hyphens)
# and the blank letters (Hangul fillers, the blank braille cell) are invisible on the page, so a
# step can look empty, or text can be made to read backwards. Each is refused where it stands.
_SEPARATORS = "\x85\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


def _char_class(codes: list[int]) -> str:
    """A regex character class of these code points, as ranges (a class of single characters
    took 0.2 s on a 1.3 MB file; as ranges, a few milliseconds)."""
    codes = sorted(set(codes))
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


# Format characters live in planes 0, 1 and 14 (the tags); scanning only those keeps the import quick.
_INVISIBLE = re.compile(_char_class([ord(c) for c in _SEPARATORS + _BLANK_LETTERS] + [
    c for c in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(c)) == "Cf"]))
# The same characters, and the control characters, in a value as YAML decoded it: a quoted value
# can write any of them as an escape ("\u202E", "\0", "\e", "\N", "\_"), which the scan of the
# file above cannot see. Tab and line feed are the only control characters a text may hold.
_HIDDEN_IN_VALUE = re.compile(_INVISIBLE.pattern[:-1] + "\x00-\x08\x0b-\x1f\x7f-\x9f]")
# How YAML 1.1 reads numbers an editor does not mean as numbers: 2:00 (sexagesimal, 120), 0x78
# (hex), 017 (octal, 15), 1_000, 1:30.5, .inf. Only plain decimal numbers are read as numbers;
# any other form stays the text as written, so a text field shows it and a number field names it.
_PLAIN_NUMBER = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")

# libyaml's words for the usual slips, and what to do about them.
_SYNTAX_HINTS = {
    "mapping values are not allowed": "a ': ' inside a value, or a line indented too far; "
                                      "put text containing ': ' in quotes, or fix the indentation",
    "did not find expected key": "this line does not line up with the lines above it; fix the indentation",
    "did not find expected '-' indicator": "this line does not line up with the list above it; fix the indentation",
    "could not find expected ':'": "a field name without ': ' after it, or a list item without a space after '-'",
    "cannot start any token": "a value starts with a character YAML keeps for itself (` @ %); put the text in quotes",
    "found another document": "a second document (a line '---') is not allowed; remove it",
    "did not find expected ',' or ']'": "a list in [ ] is not closed, or has text with a comma; "
                                        "close it with ] or put the text in quotes",
    "did not find expected ',' or '}'": "a block in { } is not closed; close it with }",
    "found undefined alias": "anchors and aliases (& and *) are not allowed; write the text out",
}


@dataclass
class Located:
    """Plain data from a YAML file, and the (line, column) of every value and key in it."""

    file: str
    data: object
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Where each field's name is written (marks has where its value starts).
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # The text as written, for values YAML turned into something other than text
    # (`yes` -> True, `2.5`, `2026-01-10`), so messages can quote the editor.
    written: dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int] | None:
        """The position of `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), None)

    def path_at(self, line: int, column: int) -> Path_:
        """The field whose value (or, in a field's name, the block) starts last at or before
        (line, column): the one a character there belongs to. () when none does."""
        best: tuple[tuple[int, int, int], Path_] = ((0, 0, 0), ())
        for marks, named in ((self.marks, False), (self.key_marks, True)):
            for path, (ln, col) in marks.items():
                key = (ln, col, len(path))
                if (ln, col) <= (line, column) and key > best[0]:
                    best = (key, path[:-1] if named else path)
        return best[1]

    def where_key(self, path: Path_) -> tuple[int, int] | None:
        """The position of the field name at `path` (for "unknown field"), else where(path)."""
        return self.key_marks.get(tuple(path)) or self.where(path)


def read(path: str | Path, name: str | None = None) -> Located:
    """Read and parse `path`; raise SourceError with every problem that stops parsing.

    Problems name the file as `name` (default: the file's name, e.g. `exercises.yml`)."""
    path = Path(path)
    name = name or path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError([Problem(name, None, None, "", "the file does not exist")]) from None
    except OSError as exc:
        raise SourceError([Problem(name, None, None, "", f"cannot read the file ({exc.strerror})")]) from None
    return parse(raw, name)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


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

    bad = [Problem(name, *_line_col(text, m.start()), "",
                   f"an invisible control character (U+{ord(m.group()):04X}) is here; delete it")
           for m in _NOT_PRINTABLE.finditer(text)]
    if "\t" in text:
        bad += [Problem(name, *_line_col(text, m.end() - 1), "", "a tab is used for indenting; use spaces instead")
                for m in _TAB_INDENT.finditer(text)]
    if bad:
        raise SourceError(sorted(bad, key=lambda p: (p.line, p.column)))
    if _INVISIBLE.search(text):
        raise SourceError(_invisible(text, name))

    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise SourceError([_syntax_problem(name, exc)]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(name, None, None, "", f"YAML error: {' '.join(str(exc).split())}")]) from None

    if node is None:
        raise SourceError([Problem(name, None, None, "", "the file is empty")])
    if not isinstance(node, yaml.MappingNode):
        raise SourceError([Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                   "the top level must be named fields (key: value), "
                                   "starting with `version: 1`")])
    located = Located(name, None)
    problems: list[Problem] = []
    try:
        located.data = _Walker(located, problems).walk(node, (), 0)
    except _AliasFound:
        located, problems = _aliases(text, name)
    if problems:
        raise SourceError(problems)
    return located


def _invisible(text: str, name: str) -> list[Problem]:
    """Each invisible or direction-changing character, at its line and column and in its field.

    The field is found by parsing the text with each such character made a space (same length,
    so lines and columns still match); when even that does not parse, the field is left out."""
    found = [(m.start(), m.group()) for m in _INVISIBLE.finditer(text)]
    plain = _INVISIBLE.sub(" ", text)
    located = Located(name, None)
    try:
        _Walker(located, []).walk(yaml.compose(plain, Loader=_Loader), (), 0)
    except (yaml.YAMLError, _AliasFound, RecursionError, AttributeError):
        located = Located(name, None)
    problems = []
    for index, char in found:
        line, col = _line_col(text, index)
        problems.append(Problem(name, line, col, format_path(located.path_at(line, col)),
                                _invisible_message(char)))
    return problems


def _invisible_message(char: str) -> str:
    what = f"U+{ord(char):04X}, {unicodedata.name(char, 'next line' if char == chr(0x85) else 'unnamed').lower()}"
    if char in _SEPARATORS:
        return f"a line separator that YAML and the pages cannot use ({what}) is here; delete it"
    if char in _BIDI:
        return f"a character that changes the direction of text ({what}) is here; delete it"
    return f"an invisible character ({what}) is here; delete it"


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    problem = exc.problem or exc.context or "the YAML is not valid"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    if exc.context_mark is not None and ("end of stream" in problem or "a flow " in context
                                         or "a quoted scalar" in context):
        mark = exc.context_mark  # where the unclosed quote or bracket opened, not where YAML gave up
    hint = next((h for words, h in _SYNTAX_HINTS.items() if words in problem), None)
    if "end of stream" in problem and "a quoted scalar" in context:
        hint = "a quote is opened here but never closed"
    message = f"YAML syntax error: {hint} (YAML says: {problem})" if hint else f"YAML syntax error: {problem}"
    return Problem(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", message)


class _AliasFound(Exception):
    """The fast parse met an alias; _aliases() parses again to say where each one is."""


class _AliasNode(yaml.Node):
    """A `*name` as written, instead of the node it stands for."""

    id = "alias"

    def __init__(self, anchor: str, start_mark, end_mark):
        super().__init__(None, None, start_mark, end_mark)
        self.anchor = anchor


class _AliasKeepingLoader(yaml.SafeLoader):
    """Pure-Python composer that keeps each alias as an _AliasNode (with its own line), never expanded."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            return _AliasNode(event.anchor, event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


def _aliases(text: str, name: str) -> tuple[Located, list[Problem]]:
    """Parse again, only when the file has aliases, so that each is reported at its own line."""
    located = Located(name, None)
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_AliasKeepingLoader)
        located.data = _Walker(located, problems).walk(node, (), 0)
    except (yaml.YAMLError, RecursionError):  # pragma: no cover - libyaml accepted the same text
        problems = [Problem(name, None, None, "", "anchors and aliases (& and *) are not allowed; write the text out")]
    return located, problems


class _Walker:
    """Turns composed YAML nodes into plain data, recording marks and refusing what editors never mean."""

    def __init__(self, located: Located, problems: list[Problem]):
        self.located = located
        self.problems = problems
        self.seen: set[int] = set()
        self.alias_lines: set[int] = set()
        self.constructor = _Loader("")  # only its scalar constructors are used

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        self.problems.append(
            Problem(self.located.file, node.start_mark.line + 1, node.start_mark.column + 1,
                    format_path(path), message)
        )

    def hidden(self, node: yaml.ScalarNode, path: Path_, what: str = "text") -> None:
        """Each hidden character a value (or a field name) holds once YAML has read its escapes,
        at the line and column where the value starts."""
        for char in dict.fromkeys(_HIDDEN_IN_VALUE.findall(node.value)):
            if _INVISIBLE.fullmatch(char):
                message = _invisible_message(char).replace(" is here;", f" is in this {what} (written as an escape);")
            else:
                message = (f"an invisible control character (U+{ord(char):04X}) is in this {what} "
                           "(written as an escape); delete it")
            self.problem(node, path, message)

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> object:
        self.located.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, _AliasNode):
            if node.start_mark.line not in self.alias_lines:  # one message per line is enough
                self.alias_lines.add(node.start_mark.line)
                self.problem(node, path, f"*{node.anchor} repeats the part marked &{node.anchor}; anchors and "
                                         "aliases (& and *) are not allowed, write the text out")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.seen:
            # Composed aliases share one node; expanding them is how "billion laughs" works.
            raise _AliasFound
        self.seen.add(id(node))
        if depth >= MAX_DEPTH:
            self.problem(node, path, f"the data is nested more than {MAX_DEPTH} levels deep; "
                                     "check the indentation")
            return None
        if node.tag not in (_MAP, _SEQ):
            self.problem(node, path, f"YAML tags such as {_tag_name(node.tag)} are not allowed; remove it")
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[str, object] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "a field name must be plain text")
                    continue
                key = key_node.value
                if _HIDDEN_IN_VALUE.search(key):
                    self.hidden(key_node, path, "field name")
                if key == "<<":
                    self.problem(key_node, path, "merge keys (<<) are not allowed; write the fields out")
                    continue
                if key in result:
                    first = self.located.key_marks[(*path, key)][0]
                    self.problem(key_node, (*path, key), f"this field appears twice in the same block "
                                                         f"(first on line {first}); keep only one")
                    continue
                self.located.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.walk(value_node, (*path, key), depth + 1)
            return result
        return [self.walk(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> object:
        if id(node) in self.seen:
            raise _AliasFound
        self.seen.add(id(node))
        tag = node.tag
        if tag == _STR:  # nearly every value: no need for PyYAML's constructor machinery
            if _HIDDEN_IN_VALUE.search(node.value):
                self.hidden(node, path)
            return node.value
        if tag not in _SCALAR_TAGS:
            self.problem(node, path, f"YAML tags such as {_tag_name(tag)} are not allowed; remove it")
            return None
        if node.value:  # an empty value stays "nothing" in messages
            self.located.written[path] = node.value
        if tag in (_INT, _FLOAT) and not _PLAIN_NUMBER.fullmatch(node.value):
            return node.value
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, OverflowError, yaml.YAMLError):  # e.g. the date 2026-13-45
            return node.value


def _tag_name(tag: str) -> str:
    """'tag:yaml.org,2002:binary' -> '!!binary', as the editor wrote it."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def format_path(path: Path_) -> str:
    """('exercises', 3, 'dosage') -> 'exercises[3].dosage'"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
