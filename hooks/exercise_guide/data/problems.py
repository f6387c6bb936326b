"""What is wrong with exercises.yml, said the way an editor can act on it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake: file, line, column, field path and a plain message.

    Rendered as `exercises.yml:57:12: exercises[3].dosage.hold_seconds: must be ...`
    so editors and terminals can jump to the line.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"


class SourceError(Exception):
    """exercises.yml cannot be used. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        files = " and ".join(dict.fromkeys(p.file for p in self.problems))
        head = f"{count} problem{'s' if count != 1 else ''} in {files}:" if count else ""
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
