"""The shape of exercises.yml, as pydantic models.

These models are the single definition of the data: validation, the error
messages' field paths and the published JSON Schema (exercises.schema.json) all
come from them. Every model forbids unknown fields, so a typo such as `setps:`
is an error rather than silently ignored data.

Cross-references (a category, a citation or an exercise named by key) are
checked in validate.py, where they can be reported against a YAML line.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints, UrlConstraints, create_model

from ..figures.body import JOINTS, POSTURES

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Characters that would be markup in a title (titles also reach <title>, the
# navigation and search results, where MkDocs does not escape them).
TITLE_PATTERN = r"^[^<>\[\]{}`*_#|\\]+$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=TITLE_PATTERN)
]
Count = Annotated[int, Field(strict=True, ge=1, le=1000)]
# The most of each amount a clinician would prescribe for one exercise (issue 25): more is a slip
# of the keyboard (a 1000-second hold), and it would make "Do it with me" walk through millions of
# screens. "Do it with me" and the builder clamp amounts from a link to the same limits
# (render.program_data and with_me.plan carry them to the browser).
LIMITS = {"repetitions": 50, "hold_seconds": 300, "sets": 10, "times_per_day": 12, "minutes": 120}
# And the most one session of one exercise may take in all (glance.seconds_in_all), in minutes.
MAX_MINUTES_IN_ALL = 120
# At most this many drawn frames per figure: each is a picture on the page (a phone shows them one
# under the other), and the page has a size budget.
MAX_FRAMES = 4
# A date as YAML writes it (2026-11-24, no quotes, no time). Strict: pydantic would otherwise read
# a number (1764028800) as seconds since 1970 and a date with a time as that day.
Date = Annotated[dt.date, Field(strict=True)]
# A step number written as a field name (`other_side: {5: ...}`): YAML gives names as text, and
# int() would read "+1", "1_0", "04" and "²" as numbers; only plain digits are one.
STEP_KEY_PATTERN = r"^[1-9][0-9]{0,2}$"
# A phone number a patient dials: digits only (911, 999, 112, 111, 000), written in quotes.
PHONE_PATTERN = r"^[0-9]{2,15}$"
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]
# A link a patient may follow: https only, so nobody on the way can read or change it.
HttpsUrl = Annotated[AnyUrl, UrlConstraints(allowed_schemes=["https"], host_required=True)]


class Strict(BaseModel):
    """Base for every block: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Reference(Strict):
    """One entry of the bibliography, cited exactly as the source brief gives it."""

    key: Key = Field(description="Short id used in `cites:` lists, e.g. aaos2010.")
    label: Title = Field(description="How the site names it in running text, e.g. 'AAOS (2010)'.")
    authors: Text
    year: Annotated[int, Field(strict=True, ge=1900, le=2100)]
    title: Title
    container: Text | None = Field(None, description="Website or journal the work appears in.")
    publisher: Text
    publisher_url: HttpsUrl = Field(description="The publisher's own site (https://).",
                                    json_schema_extra={"pattern": "^https://"})
    url: HttpsUrl | None = Field(None, description="The page itself, when the source gives its address (https://).",
                                 json_schema_extra={"pattern": "^https://"})
    retrieved: Date = Field(description="When the article that the site is built from retrieved it.")


class Point(Strict):
    """A statement of fact, with the references that support it."""

    text: Text
    cites: list[Key] = Field(min_length=1)


class SafetyPoint(Point):
    """A safety point for every exercise page, worded to fit the page it is on."""

    in_category: dict[Key, Text] = Field(
        default_factory=dict,
        description="Other words for the pages of one category (by its key), where `text` would not fit "
                    "them, e.g. a point about strength exercises on a stretching page.")

    def text_for(self, category: str | None = None) -> str:
        """The words for a page of `category` (the general `text` elsewhere)."""
        return self.in_category.get(category, self.text) if category else self.text


class WhyExercise(Strict):
    """The site-wide rationale: a short version for exercise pages, the full one for its own page."""

    short: Text = Field(description="One or two sentences shown on every exercise page.")
    points: list[Point] = Field(min_length=1)


ALSO_CALLED = ("Other names that patients and clinicians use for it, found by the site's search. An exercise "
               "page shows only the first (\"Also called ...\"): never put first a name for a position the page "
               "warns against.")


class Emergency(Strict):
    """Who to call when back pain is an emergency. The number and the place differ by country,
    so they are set once here (see README) and every page takes them from here."""

    number: Phone = Field(description='The emergency phone number, digits only, in quotes: "911" (US), "999" (UK), "112" (EU).')
    place: Title = Field(description="Where to go, as patients say it: 'the emergency room' (US), 'A&E' (UK).")
    urgent_line: Phone | None = Field(
        None, description='A health line for urgent problems that are not emergencies, e.g. "111" in the UK. '
                          "Leave it out where there is none.")
    out_of_hours: Text | None = Field(
        None, description="For a reader with no doctor, or when the doctor's office is closed: where to get seen "
                          "today, in the clinic's words (e.g. 'Call our after-hours line on 555 0100.'). Unset, "
                          '"When to get help" says the guide\'s own general wording.')


class KeepActive(Strict):
    """Reassurance before warnings (source brief keep-active.md): most back pain is not serious and
    gets better; moving helps. The points open the home page and "Why exercise helps"; `short` is
    the one line in each exercise page's safety box."""

    short: Point = Field(description="One line for every exercise page's safety box.")
    points: list[Point] = Field(min_length=1, description="The box near the top of the home page.")


class Term(Strict):
    """A medical word the guide names (e.g. sciatica), with a short plain meaning. Shown where the
    guide says it is not made for these problems, marked as the editors' words."""

    name: Title
    meaning: Text


class Tier(Strict):
    """One level of "when to get help": the signs, then what else to know about them."""

    signs: list[Point] = Field(min_length=1, description="Each sign in everyday words, one a line.")
    more: list[Point] = Field(default_factory=list, description="Shown after the list of signs.")


class RedFlags(Strict):
    """When back pain needs a doctor, most urgent first ("red flags"). The page "When to get help"
    shows all three; the home page and the printed program show the signs of `now`."""

    now: Tier = Field(description="An emergency: call the emergency number or go to the emergency place now.")
    today: Tier = Field(description="See a doctor today (or call the urgent line, where there is one).")
    soon: Tier = Field(description="See a doctor soon.")


OtherNames = Annotated[list[Title], Field(max_length=20)]


class Category(Strict):
    key: Key
    title: Title
    also_called: OtherNames = Field(default_factory=list, description=ALSO_CALLED)
    purpose: Text = Field(description="One line: what this kind of exercise is for.")
    advice: list[Point] = Field(default_factory=list, description="Points that apply to every exercise of the category.")


class Muscle(Strict):
    name: Text = Field(description="The everyday name, e.g. 'back of the thigh'.")
    medical: Text = Field(description="The medical name, e.g. 'hamstrings'.")
    explained: Text | None = Field(None, description="A plain explanation the first time a hard term appears.")


class Dosage(Strict):
    """How much and how often. Numbers where they exist, so the program builder can use them."""

    repetitions: Annotated[Count, Field(le=LIMITS["repetitions"])] | None = None
    hold_seconds: Annotated[Count, Field(le=LIMITS["hold_seconds"])] | None = Field(
        None, description="Seconds to hold each repetition.")
    minutes: Annotated[Count, Field(le=LIMITS["minutes"])] | None = Field(
        None, description="For cardio: minutes to start with.")
    sets: Annotated[Count, Field(le=LIMITS["sets"])] | None = None
    per_side: bool = Field(False, description="True when the count is for each leg or side.")
    times_per_day: Annotated[Count, Field(le=LIMITS["times_per_day"])] | None = None
    how_often: Text = Field(description="In words, e.g. 'Every day'.")
    note: Text | None = None
    cites: list[Key] = Field(
        default_factory=list,
        description="References the figures come from. Empty: the page says it is a careful starting amount.",
    )
    how_often_cites: list[Key] = Field(
        default_factory=list,
        description="References that say how often (e.g. 'stretch every day'). Empty: the page says how often "
                    "is the editors' advice, even where `cites` gives the other figures.")


class Option(Strict):
    """An easier or harder way to do an exercise, optionally pointing to another exercise page."""

    text: Text
    exercise: Slug | None = Field(None, description="Slug of another exercise to link to.")


StepNumber = Annotated[int, Field(strict=True, ge=1, le=100)]


class WithMe(Strict):
    """How "Do it with me" walks through the steps (hooks/exercise_guide/with_me.py checks the numbers).

    Steps are numbered as on the page, from 1. Steps before `repeat` are done once to get
    ready; steps after it are shown when changing sides (or at the end when there is one side)."""

    repeat: tuple[StepNumber, StepNumber] = Field(
        description="The first and the last step done each time, e.g. [3, 5].")
    timer_step: StepNumber | None = Field(
        None, description="The step on which the hold (hold_seconds) or the time (minutes) is counted down.")
    remember: list[StepNumber] = Field(
        default_factory=list, description="Steps shown small under every repeated step, e.g. how to breathe.")
    sides: list[Title] = Field(
        default_factory=list, max_length=2,
        description="When the amount is for each side: the two sides in the order the steps do them.")
    # Keys of a YAML mapping arrive as text ("5"): plain digits only (with_me.py checks the number).
    other_side: dict[Annotated[str, StringConstraints(pattern=STEP_KEY_PATTERN)], Text] = Field(
        default_factory=dict, description="Steps as they read for the second side (step number: text): repeated "
                                          "steps, and set-up steps that name a side, which are shown again there.")


class Review(Strict):
    date: Date
    by: Text


PROPS = ("floor", "mat", "wall", "chair", "towel", "bike", "water")
PARTS = ("left_leg", "right_leg", "left_foot", "right_foot", "left_arm", "right_arm", "trunk", "head")
Angle = Annotated[int, Field(strict=True, ge=-360, le=360)]

# One optional field per joint, so a misspelt joint name is refused like any unknown field.
Joints = create_model(
    "Joints", __base__=Strict, __doc__="Joint angles in degrees that differ from the posture's own. "
    "0 is standing upright, arms by the sides. Flexion (bending forward; knee and elbow bending; "
    "toes up at the ankle) is positive.",
    **{name: (Angle | None, Field(None)) for name in JOINTS},
)


class Frame(Strict):
    """One picture of the exercise: a position, its caption, and the steps it shows."""

    caption: Text = Field(description="A few words under the picture, e.g. 'Lie on your back, knees bent.'")
    shows: Text = Field(description="What the picture shows, in plain words, for people who cannot see it.")
    steps: list[Annotated[int, Field(strict=True, ge=1, le=100)]] = Field(
        min_length=1, description="The numbers of the steps this picture shows.")
    joints: Joints = Field(default_factory=Joints)  # type: ignore[valid-type]
    lifted: list[Literal["left_foot", "right_foot"]] = Field(
        default_factory=list, description="A foot that is off the floor on purpose (standing).")


class Figure(Strict):
    """The drawn start and end positions of an exercise (hooks/exercise_guide/figures/)."""

    posture: Literal[tuple(POSTURES)] = Field(description="The starting position.")  # type: ignore[valid-type]
    props: list[Literal[PROPS]] = Field(default_factory=list)  # type: ignore[valid-type]
    moves: list[Literal[PARTS]] = Field(  # type: ignore[valid-type]
        min_length=1, description="The parts that move, drawn in the accent colour; the first one's side faces you.")
    frames: list[Frame] = Field(min_length=2, max_length=MAX_FRAMES,
                                description="The first is the start, the last the end.")
    arrow: Literal["pelvis", "shoulder", "head"] | None = Field(
        None, description="Draw the arrow along this point's path instead of the moving part's, e.g. 'pelvis' "
                          "for a body that slides down a wall.")


class Exercise(Strict):
    slug: Slug = Field(description="Permanent address: /exercises/<slug>/. Lowercase letters, digits, hyphens.")
    aliases: list[Slug] = Field(default_factory=list, description="Old slugs that redirect here.")
    title: Title
    also_called: OtherNames = Field(default_factory=list, description=ALSO_CALLED)
    body_words: OtherNames = Field(
        default_factory=list, description="Everyday words for the body parts it works ('tummy', 'bum'), as patients "
                                          "say them. Found by search; not shown as a list on the page.")
    with_me: WithMe | None = Field(None, description='How "Do it with me" walks through the steps.')
    category: Key
    summary: Text
    why: Text
    muscles: list[Muscle] = Field(min_length=1)
    position: Title = Field(description="Starting position, e.g. 'Lying on your back'. Also a tag.")
    equipment: list[Title] = Field(min_length=1, description="What you need, e.g. ['A wall'] or ['Nothing'].")
    figure: Figure
    steps: list[Text] = Field(min_length=1)
    dosage: Dosage
    feel: Text = Field(description="What you should feel.")
    do: list[Text] = Field(min_length=1)
    avoid: list[Text] = Field(min_length=1)
    easier: Option | None = None
    harder: Option | None = None
    cites: list[Key] = Field(min_length=1)
    reviewed: Review


class Activity(Strict):
    """An activity to avoid, with the reason the sources give."""

    key: Key
    title: Title
    also_called: OtherNames = Field(default_factory=list, description=ALSO_CALLED)
    why: Text
    cites: list[Key] = Field(min_length=1)


class Guide(Strict):
    """The whole of exercises.yml."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Lower back pain exercise guide")

    schema_: str | None = Field(None, alias="$schema", description="Editors read this to find the JSON Schema.")
    version: Literal[1] = Field(description="Format version of this file.")
    review_after_days: Annotated[int, Field(strict=True, ge=1, le=3650)] = Field(
        365, description="The build warns when an exercise was last reviewed longer ago than this.")
    emergency: Emergency = Field(description="The emergency number and place, set once for the clinic's country.")
    references: list[Reference] = Field(min_length=1)
    why_exercise: WhyExercise
    safety: list[SafetyPoint] = Field(min_length=1, description="Safety advice shown on every exercise page.")
    red_flags: RedFlags = Field(description='When back pain needs help: the page "When to get help".')
    not_covered: list[Point] = Field(
        default_factory=list, description="Back problems this guide is not made for (sciatica, ...), in words a patient "
                                          "searches with. Shown on \"When to get help\" and the home page.")
    keep_active: KeepActive | None = Field(
        None, description="Reassurance shown before any warning: the home page, each exercise page, 'Why exercise helps'.")
    terms: list[Term] = Field(
        default_factory=list, description="Plain meanings of the back problems named under not_covered "
                                          "(the editors' words, labelled so on the page).")
    categories: list[Category] = Field(min_length=1)
    exercises: list[Exercise] = Field(min_length=1)
    avoid: list[Point] = Field(min_length=1, description="The general rule on what to avoid.")
    activities_to_avoid: list[Activity] = Field(min_length=1)

    # Look-ups by key. Cached: pages ask them once per exercise, and a linear
    # search each time would make a library of thousands build in quadratic time.
    @functools.cached_property
    def _by_key(self) -> dict[str, dict]:
        groups: dict[str, list[Exercise]] = {c.key: [] for c in self.categories}
        position: dict[str, int] = {}
        for e in self.exercises:
            position[e.slug] = len(groups.setdefault(e.category, []))
            groups[e.category].append(e)
        return {"references": {r.key: r for r in self.references},
                "categories": {c.key: c for c in self.categories},
                "groups": groups, "position": position}

    def model_copy(self, *, update=None, deep: bool = False) -> "Guide":
        """A copy with other exercises must not keep this one's look-ups."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_by_key", None)
        return copy

    def reference(self, key: str) -> Reference:
        return self._by_key["references"][key]

    def category(self, key: str) -> Category:
        return self._by_key["categories"][key]

    def exercises_in(self, category_key: str) -> list[Exercise]:
        return self._by_key["groups"].get(category_key, [])

    def position_in_category(self, slug: str) -> int:
        return self._by_key["position"][slug]
