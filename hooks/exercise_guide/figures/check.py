"""What a `figure:` block must not do, said the way an editor can fix it.

Why here: the models (model.py) know the names; only the geometry knows that a heel went through
the floor. Each problem comes back with the path of the field to fix, and validate.py puts it on
its YAML line like every other mistake.
"""

from __future__ import annotations

from . import body, scene
from . import placed as _placed

FLOOR_POSTURES = {name for name, p in body.POSTURES.items() if p.on_floor}


def _plain(name: str) -> str:
    return name.replace("_", " ")


def problems(exercise, index: int) -> list[tuple[tuple, str]]:
    """Every mistake in one exercise's figure, as (field path, message)."""
    fig = exercise.figure
    base = ("exercises", index, "figure")
    out: list[tuple[tuple, str]] = []
    for i, frame in enumerate(fig.frames):
        for joint, value in frame.joints.model_dump().items():
            if value is None:
                continue
            low, high = body.joint_range(joint)
            if not low <= value <= high:
                out.append(((*base, "frames", i, "joints", joint),
                            f"{value} degrees is outside the normal adult range of the {_plain(joint)} "
                            f"({low} to {high}; AAOS, Joint Motion, 1965)"))
        for j, step in enumerate(frame.steps):
            if step > len(exercise.steps):
                out.append(((*base, "frames", i, "steps", j),
                            f"there is no step {step}: this exercise has {len(exercise.steps)} steps"))
    if out:
        return out  # the geometry of impossible angles says nothing more
    if fig.posture in FLOOR_POSTURES and fig.posture != "on_bike" and not {"floor", "mat"} & set(fig.props):
        out.append(((*base, "props"), "this posture is on the floor: add `floor` or `mat` to the props"))
    placed = _placed(fig)  # the same scene the page is drawn from, built once
    keyframes = [scene.angles_of(fig, f) for f in fig.frames]
    for i, (pose, frame) in enumerate(zip(placed.poses, fig.frames)):
        where = (*base, "frames", i, "joints")
        if body.POSTURES[fig.posture].on_floor:
            sunk = scene.through_floor(pose)
            if sunk:
                out.append((where, f"the {_plain(sunk[0])} goes through the floor in this picture; change the angles"))
            resting = [part for part in body.POSTURES[fig.posture].rests_on if fig.posture != "standing"]
            for part in resting:
                if not scene.on_floor(pose, part):
                    out.append((where, f"the {_plain(part)} should rest on the floor in this picture; change the angles"))
                    break
            if fig.posture == "standing":
                for side in ("left", "right"):
                    if f"{side}_foot" not in frame.lifted and not scene.on_floor(pose, f"{side}_foot"):
                        out.append((where, f"the {side} foot is off the floor; if that is meant, "
                                           f"add `lifted: [{side}_foot]` to this picture"))
        if "wall" in placed.props:
            behind = scene.through_wall(pose, placed.props["wall"]["x"])
            if behind:
                out.append((where, f"the {_plain(behind[0])} goes through the wall in this picture; change the angles"))
        if i and keyframes[i] == keyframes[i - 1]:
            out.append((where, f"this picture shows the same position as picture {i}; change an angle"))
    for j, part in enumerate(fig.moves):
        joints = _joints_of(part)
        if all(len({k.get(j_, 0) for k in keyframes}) == 1 for j_ in joints):
            out.append(((*base, "moves", j), f"says the {_plain(part)} moves, but its angles are the same in every picture"))
    return out


def _joints_of(part: str) -> list[str]:
    if part in ("trunk", "head"):
        return ["trunk"] if part == "trunk" else ["neck"]
    side, limb = part.split("_")
    names = {"leg": ("hip", "knee", "ankle"), "foot": ("ankle",), "arm": ("shoulder", "elbow")}[limb]
    return [f"{side}_{n}" for n in names]
