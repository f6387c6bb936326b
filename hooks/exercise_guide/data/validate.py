"""Checking exercises.yml: the models' rules, then the links between blocks.

pydantic checks each block against model.py and reports every error at once;
its messages are reworded here for clinicians and placed on YAML lines. The
cross-references (categories, citations, exercise links, slugs) are checked on
the plain data so they are reported even when some block has a type error.
Also refused: two generated files on one address (site_paths.py), a review
dated in the future, a category without exercises, two blocks with the same
title. Warnings (a reference nothing cites, a review older than `review_after_days`)
are Problems too: `check` passes with them, `--strict` and `mkdocs build
--strict` fail.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import typing
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pydantic

from ..pages import glance, site_paths, with_me
from ..figures import check as figure_check
from .model import MAX_MINUTES_IN_ALL, PHONE_PATTERN, STEP_KEY_PATTERN, Guide
from .problems import Problem, SourceError
from .source import Located, format_path, read


def load(path: str | Path, name: str | None = None,
         today: dt.date | None = None, docs: Iterable[str] = ()) -> tuple[Guide, list[Problem]]:
    """Read and validate exercises.yml. Returns the guide and its warnings; raises SourceError.

    `name` is how messages name the file (default: its file name); `today` is for the review
    dates; `docs` lists the hand-written files under docs/ (paths like `index.md`), which no
    generated file may replace."""
    located = read(path, name)
    guide, errors, warnings = _validate(located, today, docs)
    if errors:
        raise SourceError(errors)
    return guide, warnings


def check(located: Located, today: dt.date | None = None,
          docs: Iterable[str] = ()) -> tuple[list[Problem], list[Problem]]:
    """All errors and all warnings of a parsed file, in file order."""
    _, errors, warnings = _validate(located, today, docs)
    return errors, warnings


def _validate(located: Located, today: dt.date | None,
              docs: Iterable[str] = ()) -> tuple[Guide | None, list[Problem], list[Problem]]:
    """The guide (None when the models reject it), its errors and its warnings. The models run once."""
    guide = None
    errors: list[Problem] = []
    try:
        guide = Guide.model_validate(located.data)
    except pydantic.ValidationError as exc:
        errors += _from_pydantic_all(located, exc.errors(include_url=False))
    cross_errors, warnings = _cross_references(located, today or dt.date.today(), docs)
    errors += cross_errors
    if guide is not None:
        errors += _figure_problems(located, guide)
        errors += _dosage_problems(located, guide)
    key = lambda p: (p.line or 0, p.column or 0)  # noqa: E731
    return guide, sorted(set(errors), key=key), sorted(warnings, key=key)


def _figure_problems(located: Located, guide: Guide) -> list[Problem]:
    """What the drawn pictures cannot show (a joint past its range, a heel through the floor)."""
    out = []
    for i, exercise in enumerate(guide.exercises):
        for path, message in figure_check.problems(exercise, i):
            line, col = located.where(path) or located.where(path[:-1]) or (None, None)
            out.append(Problem(located.file, line, col, format_path(path), message))
    return out


# Plain words for pydantic's error types. `{got}` is the value the editor wrote.
_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field (check the spelling; see exercises.schema.json)",
    "int_type": "must be a whole number, got {got}",
    "int_parsing": "must be a whole number, got {got}",
    "int_from_float": "must be a whole number, got {got}",
    "bool_type": "must be true or false, got {got}",
    "bool_parsing": "must be true or false, got {got}",
    "string_type": "must be text, got {got}",
    "list_type": "must be a list (lines starting with '- '), got {got}",
    "model_type": "must be a block of named fields, got {got}",
    "model_attributes_type": "must be a block of named fields, got {got}",
    "dict_type": "must be a block of named fields, got {got}",
    "date_type": "must be a date written YYYY-MM-DD, got {got}",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD, got {got}",
    "date_parsing": "must be a date written YYYY-MM-DD, got {got}",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_long": "has too many entries (at most {max_length}, got {actual_length})",
    "greater_than_equal": "must be at least {ge}, got {got}",
    "less_than_equal": "must be at most {le}, got {got}",
    "literal_error": "must be {expected}, got {got}",
    "url_parsing": "must be a web address starting with https://, got {got}",
    "url_scheme": "must be a web address starting with https://, got {got}",
}
_PATTERNS = {
    "slug": "must be lowercase letters, digits and hyphens (like 'knee-to-chest'), got {got}",
    "title": "must be plain words without < > [ ] {{ }} ` * _ # | \\, got {got}",
    "key": "must be lowercase letters, digits and hyphens (like 'aaos2010'), got {got}",
    "phone": "must be a phone number in digits only, in quotes (like \"911\"), got {got}",
    "step": "must be a step number in plain digits 0 to 9, with no sign or leading 0 (like 5), got {got}",
}
# Field-specific wording where the generic one would be vague.
_BY_FIELD = {
    ("hold_seconds", "int"): "must be a whole number of seconds, got {got}",
    ("minutes", "int"): "must be a whole number of minutes, got {got}",
}


def _shown(value: object) -> str:
    if isinstance(value, str):
        return '"' + (value if len(value) <= 60 else value[:57] + "...") + '"'
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _from_pydantic_all(located: Located, errors: list[dict]) -> list[Problem]:
    """Each pydantic error as a Problem. A misspelt field (`setps:`) is one problem, with the
    name it probably meant, rather than "unknown field" plus "steps is missing"."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    meant: dict[tuple, str] = {}
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" and isinstance(loc[-1], str):
            known = _field_names(loc[:-1])
            missing_here = [name for name in known if (*loc[:-1], name) in missing]
            close = (difflib.get_close_matches(loc[-1], missing_here, n=1, cutoff=0.6)
                     or difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.75))
            if close:
                meant[loc] = close[0]
    explained = {(*loc[:-1], name) for loc, name in meant.items()}
    return [_from_pydantic(located, e, meant.get(tuple(e["loc"])))
            for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in explained)]


def _field_names(loc: tuple) -> list[str]:
    """The field names (as written in YAML) of the block at `loc`, e.g. ('exercises', 0) -> Exercise's."""
    model: type[pydantic.BaseModel] | None = Guide
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if part not in fields:
            return []
        model = _model_in(fields[part].annotation)
        if model is None:
            return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: object) -> type[pydantic.BaseModel] | None:
    """The model inside list[Model], Model | None, Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _from_pydantic(located: Located, error: dict, meant: str | None = None) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    key_error = bool(loc) and loc[-1] == "[key]"  # a field name that is wrong (other_side's step numbers)
    if key_error:
        loc = loc[:-1]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    # The value as the editor wrote it when YAML made it something else (`yes` -> true, dates).
    got = located.written[loc] if loc in located.written else _shown(value)
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        which = ("title" if "<>" in pattern else "phone" if pattern == PHONE_PATTERN
                 else "step" if pattern == STEP_KEY_PATTERN
                 else "slug" if field in {"slug", "aliases", "exercise"} else "key")
        message = _PATTERNS[which].format(got=got)
    elif kind.startswith("date") and (said := _date_message(value, got)):
        message = said
    elif kind == "too_short" and ctx.get("min_length", 1) > 1:
        message = f"must have at least {ctx['min_length']} entries, got {ctx.get('actual_length')}"
    elif (field, kind.split("_")[0]) in _BY_FIELD:
        message = _BY_FIELD[(field, kind.split("_")[0])].format(got=got)
    elif kind in _MESSAGES:
        message = _MESSAGES[kind].format(got=got, **{k: v for k, v in ctx.items() if k != "got"})
    else:
        message = f"{error['msg']} (got {got})"
    if kind == "extra_forbidden" and meant:
        message = f"is not a known field; did you mean `{meant}`?"
    elif kind == "string_type" and value is not None and not isinstance(value, (dict, list)):
        message += "; put it in quotes to keep it as text"
    elif kind.startswith("int_") and isinstance(value, str) and loc in located.written:
        # YAML 1.1 reads 2:00 and 0x78 as 120, 017 as 15; source.py keeps such forms as text.
        message += "; write it in plain digits (like 120), which YAML reads as the number you see"
    elif kind.startswith("int_") and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        # "٤" and "²" are digits to str.isdigit(), but not numbers YAML reads.
        message += "; remove the quotes" if value.strip().lstrip("-").isascii() else "; write it with the digits 0 to 9"
    line_col = located.where_key(loc) if kind == "extra_forbidden" or key_error else located.where(loc)
    line, col = line_col if line_col else (None, None)
    return Problem(located.file, line, col, format_path(loc), message)


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date_message(value: object, got: str) -> str | None:
    """What is wrong with a date, in the editor's terms: a day the calendar does not have, a time
    added, quotes, a number (pydantic's own words, or a number read as seconds, otherwise)."""
    if isinstance(value, dt.datetime):
        return f"must be a date without a time, written YYYY-MM-DD, got {got}"
    if not isinstance(value, str):
        return None
    text = value.strip()
    if (found := _ISO_DATE.fullmatch(text)) is None:
        if _ISO_DATE.match(text) and text[10:11] in ("T", "t", " "):
            return f"must be a date without a time, written YYYY-MM-DD, got {got}"
        return None
    year, month, day = (int(n) for n in found.groups())
    if not 1 <= month <= 12:
        return f"{text} is not a date: there is no month {month}; write it YYYY-MM-DD"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"{text} is not a date: {calendar.month_name[month]} {year} has {days} days; "
                "write a day that exists")
    if len(text) == 10:
        return f"must be a date written YYYY-MM-DD, got {got}; remove the quotes"
    return f"must be a date written YYYY-MM-DD (two digits for the month and the day), got {got}"


def _dosage_problems(located: Located, guide: Guide) -> list[Problem]:
    """A session of one exercise longer than MAX_MINUTES_IN_ALL (each amount within its limit,
    together too much: 50 holds of 300 seconds on each side)."""
    out = []
    for i, exercise in enumerate(guide.exercises):
        total = glance.minutes(glance.seconds_in_all(exercise.dosage))
        if total > MAX_MINUTES_IN_ALL:
            path = ("exercises", i, "dosage")
            line, col = located.where(path) or (None, None)
            out.append(Problem(located.file, line, col, format_path(path),
                               f"one session adds up to about {total} minutes (at most {MAX_MINUTES_IN_ALL}); "
                               "use fewer repetitions or sets, or a shorter hold"))
    return out


def _cross_references(located: Located, today: dt.date,
                      docs: Iterable[str] = ()) -> tuple[list[Problem], list[Problem]]:
    """Keys that must match: categories, citations, exercise links, unique slugs, keys and
    titles, one file per address, categories with exercises, no review dated in the future;
    and the warnings: references nothing cites, reviews older than review_after_days."""
    data = located.data if isinstance(located.data, dict) else {}
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def at(path: tuple, message: str, into: list[Problem] = errors) -> None:
        line, col = located.where(path) or (None, None)
        into.append(Problem(located.file, line, col, format_path(path), message))

    def items(name: str) -> list[tuple[int, dict]]:
        value = data.get(name)
        return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []

    def unique(name: str, field: str, what: str) -> set[str]:
        seen: dict[str, int] = {}
        for i, block in items(name):
            value = block.get(field)
            if isinstance(value, str):
                if value in seen:
                    at((name, i, field), f"{what} {value!r} is already used by {name}[{seen[value]}]")
                else:
                    seen[value] = i
        return set(seen)

    reference_keys = unique("references", "key", "the reference key")
    category_keys = unique("categories", "key", "the category key")
    unique("activities_to_avoid", "key", "the key")
    slugs = unique("exercises", "slug", "the slug")

    # Old slugs redirect to new ones, so they share the exercises' address space.
    alias_owner: dict[str, int] = {}
    for i, ex in items("exercises"):
        for j, alias in enumerate(ex.get("aliases") or []):
            if not isinstance(alias, str):
                continue
            if alias in slugs or alias in alias_owner:
                at(("exercises", i, "aliases", j), f"the old slug {alias!r} is already the address of another exercise")
            alias_owner[alias] = i

    cited: Counter[str] = Counter()

    def check_cites(path: tuple, value: object) -> None:
        for j, key in enumerate(value if isinstance(value, list) else []):
            if not isinstance(key, str):
                continue
            cited[key] += 1
            if key not in reference_keys:
                known = ", ".join(sorted(reference_keys)) or "none"
                at((*path, j), f"cites {key!r}, which is not a key under references (known: {known})")

    def walk_cites(value: object, path: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "cites" or (isinstance(k, str) and k.endswith("_cites")):
                    check_cites((*path, k), v)
                else:
                    walk_cites(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk_cites(v, (*path, i))

    walk_cites({k: v for k, v in data.items() if k != "references"}, ())

    for i, ex in items("exercises"):
        category = ex.get("category")
        if isinstance(category, str) and category not in category_keys:
            known = ", ".join(sorted(category_keys)) or "none"
            at(("exercises", i, "category"), f"{category!r} is not a key under categories (known: {known})")
        for option in ("easier", "harder"):
            target = ex.get(option, {}).get("exercise") if isinstance(ex.get(option), dict) else None
            if isinstance(target, str):
                if target not in slugs:
                    at(("exercises", i, option, "exercise"), f"links to {target!r}, which is not the slug of any exercise")
                elif target == ex.get("slug"):
                    at(("exercises", i, option, "exercise"), "links to the exercise itself")
        for path, message in with_me.problems(ex):
            at(("exercises", i, *path), message)

    for i, point in items("safety"):
        for category in (point.get("in_category") or {}) if isinstance(point.get("in_category"), dict) else {}:
            if isinstance(category, str) and category not in category_keys:
                known = ", ".join(sorted(category_keys)) or "none"
                path = ("safety", i, "in_category", category)
                line, col = located.where_key(path) or (None, None)  # the key is the mistake
                errors.append(Problem(located.file, line, col, format_path(path),
                                      f"{category!r} is not a key under categories (known: {known})"))

    # Two blocks of one kind with the same title read as one in the navigation, search and builder.
    for name, field in (("exercises", "title"), ("categories", "title"),
                        ("activities_to_avoid", "title"), ("references", "label")):
        first: dict[str, int] = {}
        for i, block in items(name):
            value = block.get(field)
            if not isinstance(value, str) or not value.strip():
                continue
            same = " ".join(value.split()).casefold()
            if same in first:
                line = (located.where((name, first[same], field)) or (None,))[0]
                at((name, i, field), f"{value.strip()!r} is already the {field} of {name}[{first[same]}]"
                                     f"{f' (line {line})' if line else ''}; give each its own {field}")
            else:
                first[same] = i

    used = Counter(ex.get("category") for _, ex in items("exercises"))
    for i, category in items("categories"):
        key = category.get("key")
        if isinstance(key, str) and not used[key]:
            at(("categories", i, "key"), f"no exercise has `category: {key}`; add one, or remove this category")

    reported = {p.path for p in errors}
    for origin, hand_written, message in site_paths.collisions(data, docs):
        if hand_written:
            errors.append(Problem(hand_written, None, None, "", message))
        elif format_path(origin) not in reported:
            at(origin, message)

    for i, ex in items("exercises"):
        date = _reviewed(ex)
        if date is not None and date > today:
            at(("exercises", i, "reviewed", "date"),
               f"{date.isoformat()} is in the future (today is {today.isoformat()}); "
               "write the date the exercise was last reviewed")

    for i, ref in items("references"):
        key = ref.get("key")
        if isinstance(key, str) and not cited[key]:
            at(("references", i, "key"), f"reference {key!r} is not cited anywhere", warnings)

    max_age = data.get("review_after_days", Guide.model_fields["review_after_days"].default)
    if isinstance(max_age, int) and not isinstance(max_age, bool) and max_age > 0:
        for i, ex in items("exercises"):
            date = _reviewed(ex)
            if date is not None and (today - date).days > max_age:
                name = ex.get("slug") if isinstance(ex.get("slug"), str) else f"exercise {i + 1}"
                at(("exercises", i, "reviewed", "date"),
                   f"{name!r} was last reviewed on {date.isoformat()}, {(today - date).days} days ago "
                   f"(review_after_days is {max_age}); review it and update the date", warnings)
    return errors, warnings


def _reviewed(exercise: dict) -> dt.date | None:
    """The `reviewed: date:` of an exercise as plain data, when it is a date (a date in quotes is
    refused by the models, with its line: it is never shown unchecked)."""
    date = exercise.get("reviewed", {}).get("date") if isinstance(exercise.get("reviewed"), dict) else None
    if isinstance(date, dt.datetime):
        date = date.date()
    return date if isinstance(date, dt.date) else None
