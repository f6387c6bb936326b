"""Mistakes in a Jinja2 template, said as `templates/exercise.md.j2:12: ...` rather than a traceback.

Why: templates are edited by hand like exercises.yml, and a Python traceback buries the
one line that matters. `syntax_problems` compiles every template of an environment up
front (a syntax error, an unknown filter or tag), before anything is written; `problem_of`
turns an error met while rendering (e.g. a misspelt field, which StrictUndefined refuses)
into a Problem at the template line it happened on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2

from ..data.problems import Problem


def syntax_problems(env: jinja2.Environment, names: Iterable[str],
                    shown_as: Callable[[str], str] = str) -> list[Problem]:
    """Compile each named template of `env`; a Problem for each that does not compile.

    `shown_as` turns a template name into the path shown to the editor."""
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(shown_as(exc.name or name), exc.lineno, None, "",
                                    f"template syntax error: {exc.message}"))
        except jinja2.TemplateNotFound:
            continue
    return problems


def problem_of(exc: jinja2.TemplateError, templates: str | Path,
               shown_as: Callable[[str], str] = str) -> Problem:
    """An error raised while rendering, at the deepest line of a template under `templates`."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(shown_as(exc.name or "template"), exc.lineno, None, "",
                       f"template syntax error: {exc.message}")
    root = os.path.realpath(templates)
    where: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = os.path.realpath(tb.tb_frame.f_code.co_filename)
        if filename.startswith(root + os.sep):
            where = (os.path.relpath(filename, root).replace(os.sep, "/"), tb.tb_lineno)
        tb = tb.tb_next
    name, line = where if where else ("template", None)
    return Problem(shown_as(name), line, None, "", f"template error: {exc.message or type(exc).__name__}")
