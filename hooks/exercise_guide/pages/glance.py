"""An exercise "at a glance": the figures of the box at the top of its page.

Why a module of its own: "roughly how long it takes in all" is arithmetic on the
amounts in exercises.yml (repetitions, sides, sets, hold), and arithmetic belongs
where a test can check it, not in a template. The words around the figures stay in
the templates; this module returns numbers and flags only.

How long in all, in seconds:
- with `minutes` (walking, swimming, ...): those minutes;
- else each repetition takes its hold plus SECONDS_IN_AND_OUT to move into and out
  of the position, or SECONDS_PER_MOVE when there is no hold; times the number of
  sides (2 with `per_side`), times the sets, plus SECONDS_BETWEEN_SETS between sets.
It is rounded to whole minutes, at least one: the page says "about 3 minutes".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..data.model import Dosage

SECONDS_PER_MOVE = 4        # one slow move there and back, with no hold
SECONDS_IN_AND_OUT = 5      # getting into a held position and out of it again
SECONDS_BETWEEN_SETS = 30   # a short rest between sets


@dataclass(frozen=True)
class Glance:
    repetitions: int | None     # times to do it (with each side, when per_side)
    hold_seconds: int | None    # seconds to hold each time
    per_side: bool              # True: the count is for each side
    sides_apply: bool           # False for exercises counted in minutes (no sides to speak of)
    sets: int | None
    times_per_day: int | None
    how_often: str
    seconds_in_all: int
    minutes_in_all: int         # rounded, at least 1


def seconds_in_all(dosage: Dosage) -> int:
    """How long one session of the exercise takes, in seconds (see the module's docstring)."""
    if dosage.minutes:
        return dosage.minutes * 60
    each = (dosage.hold_seconds + SECONDS_IN_AND_OUT) if dosage.hold_seconds else SECONDS_PER_MOVE
    sets = dosage.sets or 1
    sides = 2 if dosage.per_side else 1
    return (dosage.repetitions or 1) * each * sides * sets + SECONDS_BETWEEN_SETS * (sets - 1)


def minutes(seconds: int) -> int:
    """Whole minutes for "about N minutes": rounded to the nearest, never 0."""
    return max(1, math.floor(seconds / 60 + 0.5))


def glance(dosage: Dosage) -> Glance:
    total = seconds_in_all(dosage)
    return Glance(
        repetitions=dosage.repetitions, hold_seconds=dosage.hold_seconds, per_side=dosage.per_side,
        sides_apply=not dosage.minutes, sets=dosage.sets, times_per_day=dosage.times_per_day,
        how_often=dosage.how_often, seconds_in_all=total, minutes_in_all=minutes(total),
    )
