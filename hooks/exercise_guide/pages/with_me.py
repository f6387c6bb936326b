"""What "Do it with me" needs to know about an exercise, checked and written as plain JSON.

Why a module of its own: the guided mode on each exercise page (docs/assets/do-it-with-me.js)
walks through the page's own steps, one at a time. For that it must know which steps are
done once to get ready, which are done each time, on which step the hold (or the minutes of
cardio) is counted down, which steps to keep in mind throughout, and which side comes first.
exercises.yml says so per exercise (`with_me:`); this module checks those step numbers
against the steps and the dosage (validate.py reports what it finds against the YAML
line), and turns an exercise into the data the page carries in a JSON block.

No word of the mode is here: the buttons and messages are in the exercise template, the
steps and side names in exercises.yml. Without `with_me:`, every step is done each time
and the count runs on the last one.
"""

from __future__ import annotations

import re

from ..data.model import LIMITS, STEP_KEY_PATTERN, Exercise, Guide


def problems(exercise: dict) -> list[tuple[tuple, str]]:
    """Mistakes in one exercise's `with_me:` block, as (path inside the exercise, message).

    Works on the plain YAML data, so it speaks even when another field has a type error;
    values of the wrong type are left to the models, which report them already."""
    block = exercise.get("with_me")
    steps = exercise.get("steps")
    if not isinstance(block, dict) or not isinstance(steps, list) or not steps:
        return []
    dosage = exercise.get("dosage") if isinstance(exercise.get("dosage"), dict) else {}
    count = len(steps)
    found: list[tuple[tuple, str]] = []

    def number(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    repeat = block.get("repeat")
    first = last = None
    if isinstance(repeat, list) and len(repeat) == 2 and all(number(n) for n in repeat):
        first, last = repeat
        if last > count:
            found.append(((("with_me", "repeat", 1)), f"there are only {count} steps, so the last repeated step "
                                                     f"cannot be step {last}"))
        if first > last:
            found.append((("with_me", "repeat"), f"the first repeated step ({first}) comes after the last ({last})"))

    def inside(n: int) -> bool:
        return first is not None and first <= n <= last

    timer = block.get("timer_step")
    timed = dosage.get("hold_seconds") or dosage.get("minutes")
    if number(timer):
        if not timed:
            found.append((("with_me", "timer_step"), "the dosage has no hold_seconds or minutes to count down; "
                                                    "remove timer_step or add one of them"))
        elif first is not None and not inside(timer):
            found.append((("with_me", "timer_step"), f"step {timer} is not one of the repeated steps "
                                                    f"({first} to {last})"))
    elif timer is None and timed and isinstance(repeat, list):
        found.append((("with_me",), "say on which step the hold or the time is counted down (timer_step: N)"))

    for j, n in enumerate(block.get("remember") if isinstance(block.get("remember"), list) else []):
        if number(n) and n > count:
            found.append((("with_me", "remember", j), f"there are only {count} steps, so there is no step {n}"))
        elif number(n) and inside(n):
            found.append((("with_me", "remember", j), f"step {n} must be a step outside the repeated ones "
                                                     f"({first} to {last})"))

    sides = block.get("sides")
    per_side = dosage.get("per_side", False)
    if isinstance(per_side, bool):   # otherwise the models say it must be true or false
        if isinstance(sides, list) and sides and not per_side:
            found.append((("with_me", "sides"), "the dosage is not per side (per_side: true), so there are no sides"))
        elif isinstance(sides, list) and per_side and len(sides) != 2:
            found.append((("with_me", "sides"), "name the two sides, in the order the steps do them"))
        elif sides is None and per_side and isinstance(repeat, list):
            found.append((("with_me",), "the dosage is per side: name the two sides (sides: [Right leg, Left leg])"))

    other = block.get("other_side")
    if isinstance(other, dict):
        for key in other:
            # Only a name in plain digits is a step number (model.STEP_KEY_PATTERN, which the models
            # report otherwise): int() would also read "+1", "1_0", "04" and "²".
            if not (isinstance(key, str) and re.fullmatch(STEP_KEY_PATTERN, key)):
                continue
            n = int(key)
            if n > count:
                found.append((("with_me", "other_side", key), f"there are only {count} steps, so there is "
                                                             f"no step {n}"))
            elif first is not None and n > last:
                # a set-up step (before the repeated ones) may read differently too: each side its own set-up
                found.append((("with_me", "other_side", key), f"step {n} is not a set-up or repeated step "
                                                             f"(1 to {last})"))
    return found


def plan(guide: Guide, exercise: Exercise) -> dict:
    """The data of the guided mode for one exercise page: its steps (numbered from 0),
    how they are grouped, its own amounts, in the order of exercises.yml."""
    steps = list(exercise.steps)
    w = exercise.with_me
    first, last = (w.repeat[0] - 1, w.repeat[1] - 1) if w else (0, len(steps) - 1)
    timed = exercise.dosage.hold_seconds or exercise.dosage.minutes
    if w:
        timer = w.timer_step - 1 if w.timer_step else None
    else:
        timer = last if timed else None
    remember = [n - 1 for n in w.remember] if w else []
    dosage = exercise.dosage
    return {
        "slug": exercise.slug,
        "title": exercise.title,
        "steps": steps,
        "before": [i for i in range(first) if i not in remember],
        "repeat": list(range(first, last + 1)),
        "after": [i for i in range(last + 1, len(steps)) if i not in remember],
        "remember": remember,
        "timer": timer,
        "per_side": dosage.per_side,
        "sides": list(w.sides) if w else [],
        "other_side": {str(int(n) - 1): text for n, text in sorted(w.other_side.items(), key=lambda i: int(i[0]))}
        if w else {},
        # the steps each picture shows (numbered from 0), so the mode shows the picture of the step
        "frames": [[n - 1 for n in frame.steps] for frame in exercise.figure.frames],
        "dosage": {"repetitions": dosage.repetitions, "hold_seconds": dosage.hold_seconds, "sets": dosage.sets,
                   "times_per_day": dosage.times_per_day, "minutes": dosage.minutes},
        # The most of each amount: a link's amounts are clamped to these (model.LIMITS).
        "limits": dict(LIMITS),
    }

