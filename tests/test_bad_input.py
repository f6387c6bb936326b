"""Bad exercises.yml: every mistake gets one plain message with file:line and field path,
a non-zero exit and no traceback, and a failed `mkdocs build` leaves the old site/ as it was.

Each bad file is the real exercises.yml with one targeted edit, so the file stays
obviously about one mistake. Most cases run `exercise-guide check` in-process
(fast); a few run it as a real process, and a few run a real `mkdocs build`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, VENV_BIN, make_project, build_site
from exercise_guide.cli import json_schema, main
from exercise_guide.data.validate import load

# One snapshot: others may be editing exercises.yml while the tests run.
BASE = DATA.read_text(encoding="utf-8")
FILE = "exercises.yml"


# ----------------------------------------------------------------------------- helpers

def edit(old: str, new: str, text: str = BASE) -> str:
    """`text` with the first `old` replaced by `new` (which must be there)."""
    assert old in text, f"the real exercises.yml no longer has {old!r}; update this test"
    return text.replace(old, new, 1)


def edit_re(pattern: str, new: str, text: str = BASE) -> str:
    """`text` with the first match of `pattern` (multi-line) under `exercises:` replaced by `new`."""
    start = text.index("\nexercises:\n")
    out, n = re.subn(pattern, new, text[start:], count=1, flags=re.MULTILINE)
    assert n == 1, f"the real exercises.yml no longer matches {pattern!r}; update this test"
    return text[:start] + out


def line_of(pattern: str) -> int:
    """The line of the first match of `pattern` (multi-line) under `exercises:` in the real file."""
    start = BASE.index("\nexercises:\n")
    match = re.compile(pattern, re.MULTILINE).search(BASE, start)
    assert match, f"the real exercises.yml no longer matches {pattern!r}; update this test"
    return BASE[: match.start()].count("\n") + 1


def pos(text: str, line_has: str, col_at: str | None = None) -> tuple[int, int]:
    """(line, column), 1-based, of the only line containing `line_has`, at `col_at` in it."""
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if line_has in ln]
    assert len(lines) == 1, f"{line_has!r} is on lines {[n for n, _ in lines]}"
    n, ln = lines[0]
    return n, ln.index(col_at if col_at is not None else line_has) + 1


def exercise_index(text: str, line: int) -> int:
    """Which exercise (0-based) the given line is in."""
    return sum(1 for ln in text.splitlines()[:line] if ln.startswith("  - slug:")) - 1


_REAL = yaml.safe_load(BASE)
_LINKED = {ex[o]["exercise"] for ex in _REAL["exercises"] for o in ("easier", "harder")
           if isinstance(ex.get(o), dict) and ex[o].get("exercise")}
# An exercise no other exercise links to (but not the first), so changing its slug is one mistake only.
UNLINKED = next(i for i, ex in enumerate(_REAL["exercises"]) if i > 0 and ex["slug"] not in _LINKED)
UNLINKED_SLUG = _REAL["exercises"][UNLINKED]["slug"]
FIRST_SLUG = _REAL["exercises"][0]["slug"]


def check(tmp_path: Path, monkeypatch, capsys, data: str | bytes | None, *args: str):
    """`exercise-guide check [args]` in-process, in a folder whose exercises.yml is `data`
    (None: no file). Returns (exit code, stdout, stderr)."""
    if isinstance(data, str):
        (tmp_path / FILE).write_text(data, encoding="utf-8")
    elif isinstance(data, bytes):
        (tmp_path / FILE).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code = main(["check", *args])  # an exception here (a traceback for the editor) fails the test
    out, err = capsys.readouterr()
    return code, out, err


def problems(err: str) -> list[str]:
    """The problem lines of a report (each indented under the "N problems in FILE:" head)."""
    return [ln.strip() for ln in err.splitlines() if ln.startswith("  ")]


def assert_one_problem(err: str, line: int | None, col: int | None, path: str, message: str) -> None:
    where = FILE + (f":{line}" if line is not None else "") + (f":{col}" if col is not None else "")
    expected = f"{where}: {path + ': ' if path else ''}{message}"
    assert problems(err) == [expected], err
    assert err.startswith(f"1 problem in {FILE}:\n"), err
    assert "Traceback" not in err


def fails_with(tmp_path, monkeypatch, capsys, data, line, col, path, message):
    code, out, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    assert "OK" not in out
    assert_one_problem(err, line, col, path, message)


# ----------------------------------------------------------------------------- the real file

def test_the_real_file_passes(tmp_path, monkeypatch, capsys):
    code, out, err = check(tmp_path, monkeypatch, capsys, BASE, "--strict")
    assert code == 0, err
    assert out.startswith(f"{FILE}: OK: ")


def test_committed_schema_is_current():
    committed = (ROOT / "exercises.schema.json").read_text(encoding="utf-8")
    assert json_schema() == committed, "run: .venv/bin/exercise-guide schema > exercises.schema.json"


def test_exercises_yml_points_editors_to_the_schema():
    assert BASE.splitlines()[0] == "# yaml-language-server: $schema=./exercises.schema.json"


# ----------------------------------------------------------------------------- YAML itself

SYNTAX_ERRORS = {
    # A colon and a space inside text makes YAML read a new field.
    "colon in text": (
        lambda: edit_re(r"^(    summary: [^:\n]*?)\.$", r"\1: really.", BASE),
        ": really.", "YAML syntax error: a ': ' inside a value, or a line indented too far; put text "
                     "containing ': ' in quotes, or fix the indentation (YAML says: mapping values are "
                     "not allowed in this context)"),
    "unclosed list": (
        lambda: edit_re(r"^(    equipment: \[[^\]\n]*)\]$", r"\1", BASE),
        "[", "YAML syntax error: a list in [ ] is not closed, or has text with a comma; close it with ] "
              "or put the text in quotes (YAML says: did not find expected ',' or ']')"),
}


@pytest.mark.parametrize("case", SYNTAX_ERRORS)
def test_yaml_syntax_error(case, tmp_path, monkeypatch, capsys):
    make, at, message = SYNTAX_ERRORS[case]
    data = make()
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    [problem] = problems(err)
    # Where the editor must look: the stray colon; the [ that is never closed.
    real = set(BASE.splitlines())
    line = next(n for n, ln in enumerate(data.splitlines(), 1) if ln not in real)
    col = data.splitlines()[line - 1].index(at) + 1
    assert problem == f"{FILE}:{line}:{col}: {message}"


def test_unclosed_quote_is_reported_where_it_opens(tmp_path, monkeypatch, capsys):
    # At the end of the file, so no later quote in the text can close it.
    data = BASE.rstrip("\n") + '\nnote: "the end\n'
    line = data.count("\n")
    fails_with(tmp_path, monkeypatch, capsys, data, line, 7, "",
               "YAML syntax error: a quote is opened here but never closed "
               "(YAML says: found unexpected end of stream)")


def test_tab_indentation(tmp_path, monkeypatch, capsys):
    data = edit("\n    category: ", "\n\tcategory: ")
    line, _ = pos(data, "\tcategory: ")
    fails_with(tmp_path, monkeypatch, capsys, data, line, 1, "", "a tab is used for indenting; use spaces instead")


@pytest.mark.parametrize("data", ["", "\n\n  \n", BASE[: BASE.index("version:")]],
                         ids=["no bytes", "blank lines", "comments only"])
def test_empty_file(data, tmp_path, monkeypatch, capsys):
    fails_with(tmp_path, monkeypatch, capsys, data, None, None, "", "the file is empty")


def test_missing_file(tmp_path, monkeypatch, capsys):
    code, _, err = check(tmp_path, monkeypatch, capsys, None)
    assert code == 1
    assert_one_problem(err, None, None, "", "the file does not exist")


def test_file_named_as_typed(tmp_path, monkeypatch, capsys):
    """`check some/dir/exercises.yml` names that path, so a terminal or editor can jump to the line."""
    (tmp_path / "some").mkdir()
    (tmp_path / "some" / FILE).write_text(edit("hold_seconds: ", "hold_seconds: five #"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", f"some/{FILE}"]) == 1
    assert problems(capsys.readouterr().err)[0].startswith(f"some/{FILE}:")


def test_top_level_not_a_mapping(tmp_path, monkeypatch, capsys):
    # Only one exercise pasted in, without `version:` and the rest.
    start = BASE.index(f"\n  - slug: {FIRST_SLUG}\n") + 1
    block = BASE[start:BASE.index("\n  - slug:", start)]
    data = "\n".join(ln[2:] for ln in block.splitlines()) + "\n"
    fails_with(tmp_path, monkeypatch, capsys, data, 1, 1, "",
               "the top level must be named fields (key: value), starting with `version: 1`")


@pytest.mark.parametrize("where", ["nested", "top level"])
def test_duplicate_key(where, tmp_path, monkeypatch, capsys):
    """PyYAML would silently keep the last value; here it is an error."""
    if where == "nested":
        data = edit_re(r"^(      hold_seconds: \d+\n)", r"\1      hold_seconds: 30\n")
        line = line_of(r"^      hold_seconds: \d+\n")
        path = f"exercises[{exercise_index(data, line)}].dosage.hold_seconds"
        fails_with(tmp_path, monkeypatch, capsys, data, line + 1, 7, path,
                   f"this field appears twice in the same block (first on line {line}); keep only one")
    else:
        data = edit("\nversion: 1\n", "\nversion: 1\nversion: 1\n")
        line = data.splitlines().index("version: 1") + 1
        fails_with(tmp_path, monkeypatch, capsys, data, line + 1, 1, "version",
                   f"this field appears twice in the same block (first on line {line}); keep only one")


# ----------------------------------------------------------------------------- the models

def test_missing_required_field(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^    summary: .*\n", "")
    line, col = pos(data, f"  - slug: {FIRST_SLUG}\n".rstrip("\n"), "slug")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "exercises[0].summary", "is required but missing")


WRONG_TYPES = {
    "words for a number": (r"^(      hold_seconds: )\d+$", r"\1five", "five", "dosage.hold_seconds",
                           'must be a whole number of seconds, got "five"'),
    "number in quotes": (r"^(      hold_seconds: )(\d+)$", r'\1"\2"', '"', "dosage.hold_seconds",
                         'must be a whole number of seconds, got "{value}"; remove the quotes'),
    "fraction": (r"^(      repetitions: )\d+$", r"\g<1>2.5", "2.5", "dosage.repetitions",
                 "must be a whole number, got 2.5"),
    "not true or false": (r"^(      per_side: )true$", r"\1maybe", "maybe", "dosage.per_side",
                          'must be true or false, got "maybe"'),
    # YAML 1.1 reads a bare `yes` as true: say so in the editor's own word.
    "yes read as true": (r"^(      how_often: ).*$", r"\1yes", "yes", "dosage.how_often",
                         "must be text, got yes; put it in quotes to keep it as text"),
    "date written another way": (r"^(      date: )\d{4}-\d\d-\d\d$", r"\g<1>24/11/2026", "24/11", "reviewed.date",
                                 'must be a date written YYYY-MM-DD, got "24/11/2026"'),
    "impossible date": (r"^(      date: )\d{4}-\d\d-\d\d$", r"\g<1>2026-13-45", "2026-13-45", "reviewed.date",
                        "2026-13-45 is not a date: there is no month 13; write it YYYY-MM-DD"),
    "text for a list": (r"^(    equipment:) .*$", r"\1", None, "equipment",
                        "must be a list (lines starting with '- '), got nothing"),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_type(case, tmp_path, monkeypatch, capsys):
    pattern, new, at, field, message = WRONG_TYPES[case]
    line = line_of(pattern)
    data = edit_re(pattern, new)
    changed = data.splitlines()[line - 1]
    col = changed.index(at) + 1 if at else len(changed) + 1
    value = re.search(r"\d+", BASE.splitlines()[line - 1]).group() if "{value}" in message else ""
    fails_with(tmp_path, monkeypatch, capsys, data, line, col,
               f"exercises[{exercise_index(data, line)}].{field}", message.format(value=value))


def test_wrong_type_as_in_the_issue(tmp_path, monkeypatch, capsys):
    """The issue's own example, word for word: `hold_seconds: five`."""
    data = edit_re(r"^(      hold_seconds: )\d+$", r"\1five")
    line, col = pos(data, "hold_seconds: five", "five")
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    assert problems(err) == [f'{FILE}:{line}:{col}: exercises[{exercise_index(data, line)}].dosage.hold_seconds: '
                             'must be a whole number of seconds, got "five"']


def test_unknown_field_typo(tmp_path, monkeypatch, capsys):
    """`setps:` is one mistake: not "unknown field" plus "steps is missing"."""
    data = edit("\n    steps:\n", "\n    setps:\n")
    line, col = pos(data, "    setps:", "setps")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].setps",
               "is not a known field; did you mean `steps`?")


def test_unknown_field(tmp_path, monkeypatch, capsys):
    data = edit("\n    steps:\n", "\n    colour: red\n    steps:\n")
    line, col = pos(data, "    colour: red", "colour")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].colour",
               "is not a known field (check the spelling; see exercises.schema.json)")


def test_empty_steps_list(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^    steps:\n(      - .*\n)+", "    steps: []\n")
    line, col = pos(data, "    steps: []", "[]")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].steps",
               "must not be empty")


def test_empty_step(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    steps:\n      - .*\n)      - .*\n", r"\1      -\n")
    line = data.splitlines().index("      -") + 1
    fails_with(tmp_path, monkeypatch, capsys, data, line, 8, f"exercises[{exercise_index(data, line)}].steps[1]",
               "must be text, got nothing")


# ----------------------------------------------------------------------------- keys between blocks

def test_duplicate_slug(tmp_path, monkeypatch, capsys):
    data = edit(f"  - slug: {UNLINKED_SLUG}\n", f"  - slug: {FIRST_SLUG}\n")
    lines = data.splitlines()
    line = lines.index(f"  - slug: {FIRST_SLUG}", lines.index(f"  - slug: {FIRST_SLUG}") + 1) + 1
    fails_with(tmp_path, monkeypatch, capsys, data, line, 11, f"exercises[{UNLINKED}].slug",
               f"the slug '{FIRST_SLUG}' is already used by exercises[0]")


@pytest.mark.parametrize("slug, written", [("../x", "../x"), ("a/b", "a/b"), ("Héllo", "Héllo"), ("", '""'),
                                           ("knee to chest", "knee to chest"), ("-x", '"-x"')])
def test_bad_slug(slug, written, tmp_path, monkeypatch, capsys):
    data = edit(f"  - slug: {UNLINKED_SLUG}\n", f"  - slug: {written}\n")
    line, col = pos(data, f"  - slug: {written}", written)
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{UNLINKED}].slug",
               f"must be lowercase letters, digits and hyphens (like 'knee-to-chest'), got \"{slug}\"")


def test_unknown_category(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    category: )stretching$", r"\1stretches")
    line, col = pos(data, "category: stretches", "stretches")
    known = ", ".join(sorted(c["key"] for c in _REAL["categories"]))
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].category",
               f"'stretches' is not a key under categories (known: {known})")


def test_unknown_reference_key(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    cites: \[)(\w+)", r"\1smith2020")
    line, col = pos(data, "    cites: [smith2020", "smith2020")
    known = ", ".join(sorted(r["key"] for r in _REAL["references"]))
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    assert problems(err) == [f"{FILE}:{line}:{col}: exercises[{exercise_index(data, line)}].cites[0]: "
                             f"cites 'smith2020', which is not a key under references (known: {known})"]


EXTRA_REFERENCE = """\
  - key: smith2020
    label: Smith (2020)
    authors: Smith J.
    year: 2020
    title: A Study Nobody Cites
    publisher: Example Press
    publisher_url: https://example.org/
    retrieved: 2020-01-01
"""
UNCITED = edit("\nreferences:\n", "\nreferences:\n" + EXTRA_REFERENCE)


def uncited_warning(data: str = UNCITED) -> str:
    line, col = pos(data, "  - key: smith2020", "smith2020")
    return f"{FILE}:{line}:{col}: references[0].key: reference 'smith2020' is not cited anywhere"


def test_uncited_reference_is_a_warning(tmp_path, monkeypatch, capsys):
    code, out, err = check(tmp_path, monkeypatch, capsys, UNCITED)
    assert code == 0
    assert "OK" in out
    assert err.splitlines() == [f"warning: {uncited_warning()}"]


def test_uncited_reference_fails_strict(tmp_path, monkeypatch, capsys):
    code, out, err = check(tmp_path, monkeypatch, capsys, UNCITED, "--strict")
    assert code == 1
    assert "OK" not in out
    assert err.splitlines() == [f"warning: {uncited_warning()}"]


def test_link_to_unknown_exercise(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    easier:\n      text: .*\n)", r"\1      exercise: no-such-exercise\n")
    line, col = pos(data, "exercise: no-such-exercise", "no-such-exercise")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col,
               f"exercises[{exercise_index(data, line)}].easier.exercise",
               "links to 'no-such-exercise', which is not the slug of any exercise")


# ----------------------------------------------------------------------------- what YAML could do, refused

def test_not_utf8(tmp_path, monkeypatch, capsys):
    # Saved by an old Windows editor: é as one Latin-1 byte, in the first exercise's title.
    raw = BASE.encode("utf-8")
    at = raw.index(b"\n    title: ", raw.index(b"\nexercises:\n")) + len(b"\n    title: ")
    data = raw[:at] + b"\xe9" + raw[at:]
    start = data.index(b"\xe9")
    line = data[:start].count(b"\n") + 1
    col = start - data.rfind(b"\n", 0, start)
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "",
               "this is not UTF-8 text; save the file as UTF-8")


def test_control_character(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    title: \w+)", "\\1\x07")
    line, col = pos(data, "\x07")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "",
               "an invisible control character (U+0007) is here; delete it")


BOMB_LINES = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)
]
BOMB = edit("\nversion: 1\n", "\nversion: 1\n" + "\n".join(BOMB_LINES) + "\n")  # 9**9 strings, if expanded


def test_billion_laughs_is_refused_quickly(tmp_path, monkeypatch, capsys):
    # Expanded, these aliases would be 10**9 items: minutes and gigabytes. Refused unexpanded, it
    # takes milliseconds. CPU time, not the wall clock, so a busy machine does not fail it.
    start = time.process_time()
    code, _, err = check(tmp_path, monkeypatch, capsys, BOMB)
    assert time.process_time() - start < 2
    assert code == 1
    first = BOMB.splitlines().index(BOMB_LINES[1]) + 1
    assert problems(err) == [
        f"{FILE}:{first + i}:{len(f'lol{i + 1}: &a{i + 1} [') + 1}: lol{i + 1}[0]: *a{i} repeats the part marked "
        f"&a{i}; anchors and aliases (& and *) are not allowed, write the text out"
        for i in range(8)
    ]


def test_alias_is_reported_where_it_is_written(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(    equipment: )", r"\1&kit ")
    data = edit_re(r"^(    equipment: )(?!&kit)(.*)$", r"\1*kit", data)
    line, col = pos(data, "equipment: *kit", "*kit")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].equipment",
               "*kit repeats the part marked &kit; anchors and aliases (& and *) are not allowed, write the text out")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!binary", "!custom"])
def test_yaml_tags_are_refused(tag, tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(      how_often: )", rf"\1{tag} ")
    line, col = pos(data, f"how_often: {tag}", tag)
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{exercise_index(data, line)}].dosage.how_often",
               f"YAML tags such as {tag} are not allowed; remove it")


def test_deep_nesting_is_refused(tmp_path, monkeypatch, capsys):
    data = edit("\nversion: 1\n", "\nversion: 1\nnest: " + "[" * 200 + "]" * 200 + "\n")
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    [problem] = problems(err)
    assert "nested more than 40 levels deep" in problem


# ----------------------------------------------------------------------------- several at once

def test_several_mistakes_reported_in_one_run(tmp_path, monkeypatch, capsys):
    data = edit_re(r"^(      hold_seconds: )\d+$", r"\1five")
    data = edit("\n    steps:\n", "\n    setps:\n", data)
    data = edit_re(r"^(    category: )stretching$", r"\1stretches", data)
    data = edit(f"  - slug: {UNLINKED_SLUG}\n", "  - slug: ../x\n", data)
    data = edit_re(r"^(    easier:\n      text: .*\n)", r"\1      exercise: no-such-exercise\n", data)
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1
    found = problems(err)
    assert err.startswith(f"{len(found)} problems in {FILE}:\n")
    expected = [
        (pos(data, "hold_seconds: five", "five"), "dosage.hold_seconds", 'must be a whole number of seconds, got "five"'),
        (pos(data, "    setps:", "setps"), "setps", "is not a known field; did you mean `steps`?"),
        (pos(data, "category: stretches", "stretches"), "category", "'stretches' is not a key under categories"),
        (pos(data, "  - slug: ../x", "../x"), "slug", "must be lowercase letters, digits and hyphens"),
        (pos(data, "exercise: no-such-exercise", "no-such-exercise"), "easier.exercise",
         "links to 'no-such-exercise', which is not the slug of any exercise"),
    ]
    assert len(found) == len(expected), err
    for ((line, col), field, message) in expected:
        prefix = f"{FILE}:{line}:{col}: exercises[{exercise_index(data, line)}].{field}: {message}"
        assert any(p.startswith(prefix) for p in found), f"no {prefix!r} in\n{err}"
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines), "problems are listed in file order"


# ----------------------------------------------------------------------------- review age (a warning)

def reviewed_long_ago() -> str:
    return edit_re(r"^(    reviewed:\n      date: )\d{4}-\d\d-\d\d$", r"\g<1>2020-01-10")


def test_old_review_is_a_warning(tmp_path, monkeypatch, capsys):
    data = reviewed_long_ago()
    line, col = pos(data, "date: 2020-01-10", "2020")
    ex = exercise_index(data, line)
    code, out, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 0 and "OK" in out
    [warning] = err.splitlines()
    assert warning.startswith(f"warning: {FILE}:{line}:{col}: exercises[{ex}].reviewed.date: "
                              f"'{_REAL['exercises'][ex]['slug']}' was last reviewed on 2020-01-10, ")
    assert warning.endswith("days ago (review_after_days is 365); review it and update the date")
    code, out, err = check(tmp_path, monkeypatch, capsys, data, "--strict")
    assert code == 1 and "OK" not in out
    assert err.splitlines() == [warning]


@pytest.mark.parametrize("quote", ["'", '"'])
def test_a_date_in_quotes_is_refused_not_left_unchecked(tmp_path, monkeypatch, capsys, quote):
    """Issue 23: a quoted date passed and was shown, but was never checked for age or the future.
    Issue 25: a date is written without quotes; a quoted one is refused at its line."""
    for date in ("2020-01-10", "2999-01-10"):
        data = edit_re(r"^(    reviewed:\n      date: )\d{4}-\d\d-\d\d$", rf"\g<1>{quote}{date}{quote}")
        line, col = pos(data, f"date: {quote}{date}{quote}", quote)
        code, out, err = check(tmp_path, monkeypatch, capsys, data)
        assert code == 1 and "OK" not in out, err
        assert f"{FILE}:{line}:" in err and f'got "{date}"; remove the quotes' in err, err


def test_review_age_counts_from_today_and_follows_review_after_days(tmp_path):
    import datetime as dt

    path = tmp_path / FILE
    data = re.sub(r"^review_after_days: .*\n", "", BASE, flags=re.MULTILINE)  # the real file may set one
    path.write_text(edit("\nversion: 1\n", "\nversion: 1\nreview_after_days: 30\n", data), encoding="utf-8")
    dates = {ex["reviewed"]["date"] for ex in _REAL["exercises"]}
    newest, oldest = max(dates), min(dates)
    assert load(path, today=oldest + dt.timedelta(days=30))[1] == []
    late = load(path, today=newest + dt.timedelta(days=31))[1]
    assert len(late) == len(_REAL["exercises"])
    assert all(w.path.endswith(".reviewed.date") and "31 days ago (review_after_days is 30)" in w.message
               for w in late)
    assert [w.line for w in late] == sorted(w.line for w in late)


# ----------------------------------------------------------------------------- real processes

@pytest.mark.parametrize("case", ["syntax error", "alias bomb"])
def test_cli_process_exits_1_without_traceback(case, tmp_path):
    data = SYNTAX_ERRORS["colon in text"][0]() if case == "syntax error" else BOMB
    (tmp_path / FILE).write_text(data, encoding="utf-8")
    result = subprocess.run([str(VENV_BIN / "exercise-guide"), "check"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.match(rf"\d+ problems? in {FILE}:\n  {FILE}:\d+:\d+: ", result.stderr), result.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """A site built from the good data: each case below builds bad data over a copy of it."""
    where = tmp_path_factory.mktemp("good")
    project = make_project(where / "project", BASE)
    result = build_site(where / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return where / "site"


MKDOCS_CASES = {
    "syntax error": lambda: SYNTAX_ERRORS["colon in text"][0](),
    "unknown field": lambda: edit("\n    steps:\n", "\n    setps:\n"),
    "duplicate slug": lambda: edit(f"  - slug: {UNLINKED_SLUG}\n", f"  - slug: {FIRST_SLUG}\n"),
    "uncited reference, --strict": lambda: UNCITED,
}


@pytest.mark.parametrize("case", MKDOCS_CASES)
def test_mkdocs_build_fails_and_keeps_the_old_site(case, good_site, tmp_path, monkeypatch, capsys):
    data = MKDOCS_CASES[case]()
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree(site)
    assert f"exercises/{FIRST_SLUG}/index.html" in before
    project = make_project(tmp_path / "project", data)

    result = build_site(site, project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output

    # The same message as `exercise-guide check` gives, on one line.
    code, _, err = check(project, monkeypatch, capsys, None, "--strict")
    assert code == 1
    expected = [ln.removeprefix("warning: ") for ln in err.splitlines() if ln.startswith("warning: ")] \
        or problems(err)
    assert expected
    for line in expected:
        assert line in output.splitlines() or any(o.strip().endswith(line) for o in output.splitlines()), output

    assert tree(site) == before, "a failed build changed site/"


# ----------------------------------------------------------------------------- issue 25: values as read

FIRST = _REAL["exercises"][0]
OTHER_SIDE = next(i for i, ex in enumerate(_REAL["exercises"]) if (ex.get("with_me") or {}).get("other_side"))
OTHER_SIDE_KEY = next(iter(_REAL["exercises"][OTHER_SIDE]["with_me"]["other_side"]))
OTHER_SIDE_LINE = f"      other_side:\n        {OTHER_SIDE_KEY}: "

# What YAML's double-quoted escapes decode to, which the scan of the file cannot see.
ESCAPES = {
    r"\u202E": "a character that changes the direction of text (U+202E, right-to-left override)",
    r"\0": "an invisible control character (U+0000)",
    r"\e": "an invisible control character (U+001B)",
    r"\a": "an invisible control character (U+0007)",
    r"\u2028": "a line separator that YAML and the pages cannot use (U+2028, line separator)",
    r"\N": "a line separator that YAML and the pages cannot use (U+0085, next line)",
    r"\u200B": "an invisible character (U+200B, zero width space)",
}


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_hidden_character_written_as_an_escape_is_refused(escape, tmp_path, monkeypatch, capsys):
    """`title: "Knee to \\u202Etsehc stretch"` passed the check and read backwards on the page."""
    data = edit(f"    title: {FIRST['title']}\n", f'    title: "Knee to {escape}tsehc stretch"\n')
    line, col = pos(data, "tsehc stretch", '"Knee')
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "exercises[0].title",
               f"{ESCAPES[escape]} is in this text (written as an escape); delete it")


def test_a_hidden_character_in_a_step_or_a_field_name_is_refused(tmp_path, monkeypatch, capsys):
    step = FIRST["steps"][0]
    data = edit(f"      - {step}\n", f'      - "{step}\\u200B"\n')
    data = edit("    position: ", '    "posi\\u200Dtion": x\n    position: ', data)
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1 and "Traceback" not in err
    found = problems(err)
    name_line = pos(data, '"posi')[0]
    assert f"{FILE}:{name_line}:5: exercises[0]: an invisible character (U+200D, zero width joiner) " \
           "is in this field name (written as an escape); delete it" in found, found
    assert f"{FILE}:{pos(data, step + chr(92))[0]}:9: exercises[0].steps[0]: an invisible character (U+200B, zero width " \
           "space) is in this text (written as an escape); delete it" in found, found


@pytest.mark.parametrize("key", ["²", "④", "٤"])
def test_an_other_side_step_in_other_digits_is_a_message_not_a_traceback(key, tmp_path, monkeypatch, capsys):
    data = edit(OTHER_SIDE_LINE, f"      other_side:\n        {key}: Hold B.\n        {OTHER_SIDE_KEY}: ")
    line, col = pos(data, f"{key}: Hold B.")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, f"exercises[{OTHER_SIDE}].with_me.other_side.{key}",
               f'must be a step number in plain digits 0 to 9, with no sign or leading 0 (like 5), got "{key}"')


@pytest.mark.parametrize("key", ["'+1'", "'1_0'", f"'0{OTHER_SIDE_KEY}'"])
def test_other_side_steps_cannot_dodge_the_rules(key, tmp_path, monkeypatch, capsys):
    """'+1' and '1_0' were read as 1 and 10 by pydantic, past the repeated-steps rule; `{4: A, '04': B}`
    dropped A without a word."""
    data = edit(OTHER_SIDE_LINE, f"      other_side:\n        {key}: Hold B.\n        {OTHER_SIDE_KEY}: ")
    line, col = pos(data, f"{key}: Hold B.")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col,
               f"exercises[{OTHER_SIDE}].with_me.other_side.{key.strip(chr(39))}",
               f'must be a step number in plain digits 0 to 9, with no sign or leading 0 (like 5), got "{key.strip(chr(39))}"')


def test_steps_that_do_not_exist_are_named_so(tmp_path, monkeypatch, capsys):
    data = edit("      repeat: [3, 5]\n", "      repeat: [3, 5]\n      remember: [99]\n")
    line, col = pos(data, "remember: [99]", "99")
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "exercises[0].with_me.remember[0]",
               f"there are only {len(FIRST['steps'])} steps, so there is no step 99")


REVIEWED = f"      date: {FIRST['reviewed']['date'].isoformat()}\n"


@pytest.mark.parametrize("written, message", [
    ("1764028800", "must be a date written YYYY-MM-DD, got 1764028800"),
    ("20261124", "must be a date written YYYY-MM-DD, got 20261124"),
    ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days; write a day that exists"),
    ("2025-04-31", "2025-04-31 is not a date: April 2025 has 30 days; write a day that exists"),
    ("2026-11-24 10:00:00", "must be a date without a time, written YYYY-MM-DD, got 2026-11-24 10:00:00"),
    ("2026-11-24T10:00", 'must be a date without a time, written YYYY-MM-DD, got "2026-11-24T10:00"'),
    ('"2026-11-24"', 'must be a date written YYYY-MM-DD, got "2026-11-24"; remove the quotes'),
])
def test_dates_are_read_as_the_editor_meant(written, message, tmp_path, monkeypatch, capsys):
    """1764028800 was shown as 25 November 2025; 2026-02-30 was told to be written YYYY-MM-DD."""
    data = edit(REVIEWED, f"      date: {written}\n")
    line, col = pos(data, f"      date: {written}", written)
    fails_with(tmp_path, monkeypatch, capsys, data, line, col, "exercises[0].reviewed.date", message)


NUMBER_FIELDS = {
    "repetitions": ("      repetitions: 5\n", "must be a whole number, got {got}"),
    "hold_seconds": ("      hold_seconds: 20\n", "must be a whole number of seconds, got {got}"),
    "year": (f"    year: {_REAL['references'][0]['year']}\n", "must be a whole number, got {got}"),
    "angle": ("left_hip: 45,", "must be a whole number, got {got}"),
}
PLAIN = "; write it in plain digits (like 120), which YAML reads as the number you see"


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("written, hint", [
    ("2:00", PLAIN), ("0x78", PLAIN), ("017", PLAIN), ("1_0", PLAIN), ("1:30.5", PLAIN),
    ('"٤"', "; write it with the digits 0 to 9"), ('"²"', "; write it with the digits 0 to 9"),
])
def test_number_fields_read_only_plain_digits(field, written, hint, tmp_path, monkeypatch, capsys):
    """YAML 1.1 reads 2:00 and 0x78 as 120 and 017 as 15; Unicode digits were told to "remove the quotes"."""
    old, message = NUMBER_FIELDS[field]
    name = old.split(":")[0].strip()
    data = edit(old, old.replace(old.split(": ")[1].rstrip("\n,"), written, 1))
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1 and "Traceback" not in err
    found = [p for p in problems(err) if p.split(": ")[1].endswith(name)]
    assert len(found) == 1, err
    assert found[0].endswith(": " + message.format(got=written) + hint), found


@pytest.mark.parametrize("old, new, path, message", [
    ("      repetitions: 5\n", "      repetitions: 1000\n", "exercises[0].dosage.repetitions", "must be at most 50, got 1000"),
    ("      hold_seconds: 20\n", "      hold_seconds: 1000\n", "exercises[0].dosage.hold_seconds",
     "must be at most 300, got 1000"),
    ("      repetitions: 5\n", "      repetitions: 5\n      sets: 11\n", "exercises[0].dosage.sets",
     "must be at most 10, got 11"),
    ("      repetitions: 5\n", "      repetitions: 50\n      sets: 10\n", "exercises[0].dosage",
     # 50 holds of 20 s, 5 s in and out, on each side, 10 sets, 30 s between them: 25270 s
     "one session adds up to about 421 minutes (at most 120); use fewer repetitions or sets, or a shorter hold"),
])
def test_amounts_past_what_a_clinician_prescribes_are_refused(old, new, path, message, tmp_path, monkeypatch, capsys):
    """The largest amounts made "In all: about 33500500 minutes" and froze "Do it with me"."""
    data = edit(old, new)
    code, _, err = check(tmp_path, monkeypatch, capsys, data)
    assert code == 1 and "Traceback" not in err
    assert [p.split(": ", 1)[1] for p in problems(err)] == [f"{path}: {message}"], err


def test_frames_have_a_least_and_a_most(tmp_path, monkeypatch, capsys):
    frames = "      frames:\n"
    start = BASE.index(frames) + len(frames)
    end = BASE.index("    steps:\n", start)
    first, second = re.split(r"(?m)^(?=        - caption:)", BASE[start:end])[1:3]
    one = BASE[:start] + first + BASE[end:]
    code, _, err = check(tmp_path, monkeypatch, capsys, one)
    assert code == 1 and "exercises[0].figure.frames: must have at least 2 entries, got 1" in err, err
    five = BASE[:start] + first + second * 4 + BASE[end:]
    code, _, err = check(tmp_path, monkeypatch, capsys, five)
    assert code == 1 and "exercises[0].figure.frames: has too many entries (at most 4, got 5)" in err, err
