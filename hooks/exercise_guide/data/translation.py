"""Translations of exercises.yml's text, as data: `exercises.<lang>.yml` beside it (issue 26).

Why a file of its own, keyed by the English: a translator works in one file, and numbers, figures,
citations and slugs are never copied (they stay in exercises.yml). Each entry keeps a short hash of
the English it was made from, so an English text that changes makes its translation *stale*, and a
stale or missing translation is a Problem (`file:line: path: message`) like any other mistake:
nothing is ever shown silently in the wrong language.

    language: es
    texts:
      exercises.knee-to-chest.title:
        en: 1f2e3d4c5b6a      # first 12 hex digits of sha256 of the English (UTF-8)
        es: Rodilla al pecho

A key is the dotted path of a string in exercises.yml; a list item with a `slug` or `key` is named
by it, any other by its 0-based index. What is not text for a reader has no key (NOT_TEXT).

`translated(located, lang_file)` gives the data with every text in the other language, which the
same models (model.Guide) then read: the other edition is made by the same pipeline.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem, SourceError
from .source import Located, read

# Field names whose values are never translated: addresses, keys, citations, dates, numbers, and
# the figure's machine words. `references` is the sources' bibliographic data, kept as published.
NOT_TEXT = frozenset({"slug", "key", "aliases", "cites", "category", "exercise", "date", "url", "publisher_url",
                      "$schema", "posture", "props", "moves", "joints", "arrow", "number", "urgent_line", "languages"})
NOT_TEXT_TOP = frozenset({"references", "version", "review_after_days", "languages"})
LANGUAGES = {"en": "English", "es": "Spanish"}
# Each language's name in itself: the language switch and the navigation's section.
NATIVE_NAMES = {"en": "English", "es": "Español"}


def digest(text: str) -> str:
    """The short hash of an English text that a translation records."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def texts(data: object) -> dict[str, tuple]:
    """Every text a reader sees in exercises.yml: key -> its path in the data (for positions)."""
    found: dict[str, tuple] = {}

    def walk(value: object, key: tuple[str, ...], path: tuple) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if str(name) in NOT_TEXT or str(name).endswith("_cites") or (not path and name in NOT_TEXT_TOP):
                    continue
                walk(item, (*key, str(name)), (*path, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                named = item.get("slug") or item.get("key") if isinstance(item, dict) else None
                walk(item, (*key, str(named) if isinstance(named, str) else str(i)), (*path, i))
        elif isinstance(value, str):
            found[".".join(key)] = path

    walk(data, (), ())
    return found


def value_at(data: object, path: tuple) -> object:
    for part in path:
        data = data[part]
    return data


@dataclass
class Catalog:
    """A translation file as read: its language, and key -> (hash of the English, text, line)."""

    file: str
    language: str
    entries: dict[str, tuple[str | None, str | None, int | None]]
    key_lines: dict[str, int | None]


def translation_file(data_file: str | Path, lang: str) -> Path:
    """exercises.yml -> exercises.es.yml, beside it."""
    data_file = Path(data_file)
    return data_file.with_name(f"{data_file.stem}.{lang}{data_file.suffix}")


def read_catalog(path: str | Path, lang: str, name: str | None = None) -> Catalog:
    """Read a translation file (SourceError for a file that is not one); a missing file is empty."""
    path = Path(path)
    name = name or path.name
    if not path.exists():
        return Catalog(name, lang, {}, {})
    located = read(path, name)
    data = located.data
    problems = []
    if not isinstance(data, dict) or set(data) - {"language", "texts"}:
        problems.append(Problem(name, 1, None, "", "a translation file has two fields: `language:` and `texts:`"))
    elif data.get("language") != lang:
        line = (located.where(("language",)) or (1, 1))[0]
        problems.append(Problem(name, line, None, "language", f"must be {lang}"))
    elif not isinstance(data.get("texts") or {}, dict):
        problems.append(Problem(name, located.where(("texts",))[0], None, "texts", "must be keys with `en:` and "
                                                                                    f"`{lang}:` under each"))
    if problems:
        raise SourceError(problems)
    entries, key_lines = {}, {}
    for key, entry in (data.get("texts") or {}).items():
        line = (located.where_key(("texts", key)) or (None,))[0]
        key_lines[key] = line
        if not isinstance(entry, dict) or set(entry) - {"en", lang}:
            raise SourceError([Problem(name, line, None, f"texts.{key}",
                                       f"must have two fields, `en:` (the hash of the English) and `{lang}:`")])
        text = entry.get(lang)
        entries[key] = (None if entry.get("en") is None else str(entry.get("en")),
                        text if isinstance(text, str) and text.strip() else None, line)
    return Catalog(name, lang, entries, key_lines)


@dataclass(frozen=True)
class Todo:
    """One text a translator must (re)do: its key, the English, where it is, and why."""

    key: str
    english: str
    line: int | None
    stale: bool


def todo(located: Located, catalog: Catalog) -> list[Todo]:
    """The texts of exercises.yml with no translation, or one made from other English."""
    out = []
    for key, path in texts(located.data).items():
        english = value_at(located.data, path)
        entry = catalog.entries.get(key)
        if entry is None or entry[1] is None:
            out.append(Todo(key, english, (located.where(path) or (None,))[0], False))
        elif entry[0] != digest(english):
            out.append(Todo(key, english, entry[2], True))
    return out


def problems(located: Located, catalog: Catalog) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): each missing or stale translation is an error; an entry for a text
    exercises.yml no longer has is a warning (it is never shown, but the strict build names it)."""
    name = LANGUAGES.get(catalog.language, catalog.language)
    errors = []
    for item in todo(located, catalog):
        if item.stale:
            errors.append(Problem(catalog.file, item.line, None, f"texts.{item.key}",
                                  f"the English changed since this was translated; translate it again from "
                                  f"{_quoted(item.english)} and set en: {digest(item.english)}"))
        else:
            errors.append(Problem(located.file, item.line, None, item.key, f"no {name} translation"))
    known = texts(located.data)
    warnings = [Problem(catalog.file, catalog.key_lines.get(key), None, f"texts.{key}",
                        "exercises.yml has no such text (renamed or removed?); delete this entry")
                for key in catalog.entries if key not in known]
    return errors, warnings


def _quoted(text: str, most: int = 80) -> str:
    text = " ".join(text.split())
    return f'"{text[:most]}…"' if len(text) > most else f'"{text}"'


def translated(located: Located, catalog: Catalog) -> dict:
    """exercises.yml's data with every text that has a translation in the catalog's language."""
    data = copy.deepcopy(located.data)
    for key, path in texts(data).items():
        entry = catalog.entries.get(key)
        if entry is not None and entry[1] is not None:
            parent = value_at(data, path[:-1])
            parent[path[-1]] = " ".join(entry[1].split()) if "\n" in entry[1] else entry[1]
    return data


def skeleton(located: Located, catalog: Catalog) -> str:
    """The translation file with an entry for every text still to do (the English in `es:`, to be
    replaced), and the entries already made, in exercises.yml's order: YAML a translator edits."""
    items = {t.key: t for t in todo(located, catalog)}
    out = {}
    for key, path in texts(located.data).items():
        english = value_at(located.data, path)
        if key in items:
            out[key] = {"en": digest(english), catalog.language: f"TODO {english}"}
        else:
            out[key] = {"en": catalog.entries[key][0], catalog.language: catalog.entries[key][1]}
    return yaml.safe_dump({"language": catalog.language, "texts": out}, allow_unicode=True, sort_keys=False,
                          width=100)


def report(located: Located, catalog: Catalog) -> str:
    """What a translator must do, one text after another, with its English."""
    items = todo(located, catalog)
    name = LANGUAGES.get(catalog.language, catalog.language)
    if not items:
        return f"{catalog.file}: every text of {located.file} has a {name} translation."
    lines = [f"{len(items)} text{'s' if len(items) != 1 else ''} to translate into {name} in {catalog.file}:"]
    for item in items:
        where = f"{catalog.file}:{item.line}" if item.stale else f"{located.file}:{item.line}"
        why = "changed" if item.stale else "missing"
        lines += [f"", f"{item.key}  ({why}; {where})", f"  en: {digest(item.english)}", f"  English: {item.english}"]
    return "\n".join(lines)


def edition(located: Located, catalog: Catalog):
    """The guide in the catalog's language: the same models read the translated data. SourceError
    if a translation breaks a rule of the models (a title with markup, one too long), placed on
    its line of the translation file."""
    import pydantic

    from .model import Guide
    data = translated(located, catalog)
    try:
        return Guide.model_validate(data)
    except pydantic.ValidationError as exc:
        by_path = {path: key for key, path in texts(located.data).items()}
        problems = []
        for error in exc.errors(include_url=False):
            key = by_path.get(tuple(error["loc"]))
            line = catalog.entries[key][2] if key in catalog.entries else None
            problems.append(Problem(catalog.file, line, None, f"texts.{key}" if key else ".".join(map(str, error["loc"])),
                                    error["msg"].lower()))
        raise SourceError(problems) from None
