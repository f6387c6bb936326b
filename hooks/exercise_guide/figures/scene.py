"""One exercise's pictures as geometry: each frame's body placed on the floor, and the props.

Why here and not in the drawing: the same numbers answer the questions an editor's mistake
raises (does a heel go through the floor? a back through the wall?) and the ones the tests ask
(does the knee come to the chest? do the heels leave the floor?). The drawing only paints them.

Placement: a frame's weight-bearing parts (the posture's `rests_on`) are put on the floor; its
`anchor` point keeps the x it has in the first frame, so two frames of one exercise line up
the way the body really moves (in heel raises the toes stay, the heels rise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import body
from .body import H, LIMB_WIDTH, POSTURES, TRUNK_WIDTH, Pose

# How far a part may sink into the floor or the wall before it counts as going through (units of H/100).
TOLERANCE = 1.0
# In-between poses for the "Show the movement" animation, per step from one frame to the next.
TWEEN_STEPS = 8
# A move shorter than this (units of H/100) gets no arrow: it would be a blot, not an arrow.
MIN_ARROW = 7
LEG_POINTS = ("knee", "ankle", "heel", "toe")
ARM_POINTS = ("elbow", "hand")


@dataclass
class Scene:
    """The placed poses of every frame (and the in-between poses), the props, and which way it faces."""

    poses: list[Pose]
    props: dict[str, object] = field(default_factory=dict)
    mirrored: bool = False  # drawn from the body's right side: the figure faces left
    moving_segments: set[str] = field(default_factory=set)
    near: str = "left"

    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for pose in self.poses:
            for a, b, width, _ in pose.segments.values():
                for x, y in (pose.points[a], pose.points[b]):
                    xs += [x - width / 2, x + width / 2]
                    ys += [y - width / 2, y + width / 2]
        for x, y in self.props.get("outline", []):
            xs.append(x)
            ys.append(y)
        return min(xs), min(ys), max(xs), max(ys)


def angles_of(figure, frame) -> dict[str, float]:
    """The posture's default angles with the frame's own on top."""
    angles = dict(POSTURES[figure.posture].angles)
    angles.update({k: v for k, v in frame.joints.model_dump().items() if v is not None})
    return angles


def near_side(figure) -> str:
    """The side that faces the viewer: the side that moves, so it is drawn dark and in front."""
    for part in figure.moves:
        if part.startswith(("left_", "right_")):
            return part.split("_")[0]
    return "left"


def moving_segments(figure) -> set[str]:
    """The drawn segments of the parts the data says move, for the accent colour."""
    out: set[str] = set()
    for part in figure.moves:
        if part == "trunk":
            out.add("trunk")
        elif part == "head":
            out.add("head")
        else:
            side, limb = part.split("_")
            names = {"leg": ("thigh", "shank", "instep", "foot"), "foot": ("instep", "foot"),
                     "arm": ("upper_arm", "forearm")}[limb]
            out |= {f"{side}_{n}" for n in names}
    return out


def _place(pose: Pose, posture: body.Posture, anchor_x: float | None) -> None:
    """Weight-bearing parts on the floor (y = 0); the anchor at the first frame's x."""
    if posture.rests_on:
        pose.shift(0, -pose.lowest(list(posture.rests_on)))
    if anchor_x is not None:
        pose.shift(anchor_x - pose.points[posture.anchor][0], 0)


def build(figure, tween: bool = False) -> Scene:
    """Every frame of a figure, placed; with `tween`, also the poses in between (for the animation)."""
    posture = POSTURES[figure.posture]
    keyframes = [angles_of(figure, f) for f in figure.frames]
    if tween:
        series = []
        for a, b in zip(keyframes, keyframes[1:]):
            series += [{k: a[k] + (b[k] - a[k]) * t / TWEEN_STEPS for k in a} for t in range(TWEEN_STEPS)]
        series.append(keyframes[-1])
    else:
        series = keyframes
    poses: list[Pose] = []
    anchor_x = None
    for angles in series:
        pose = body.forward(angles, posture.turn)
        _place(pose, posture, anchor_x)
        anchor_x = pose.points[posture.anchor][0]
        poses.append(pose)
    scene = Scene(poses, near=near_side(figure), moving_segments=moving_segments(figure))
    _props(scene, figure)
    scene.mirrored = scene.near == "right"
    return scene


def _props(scene: Scene, figure) -> None:
    """Where the props stand: fixed by the first frame (a wall does not move with the body)."""
    first = scene.poses[0]
    props = set(figure.props)
    outline: list[tuple[float, float]] = []
    if "bike" in props:
        # The bike's seat is under the hips, its cranks between the feet, its bars at the hands.
        pelvis = first.points["pelvis"]
        left, right = first.points["left_sole"], first.points["right_sole"]
        crank = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
        radius = 0.17 * H
        seat = (pelvis[0], pelvis[1] - TRUNK_WIDTH / 2)
        bars = first.points[f"{scene.near}_hand"]
        rear = (seat[0] - 0.16 * H, crank[1] + 3)
        front = (bars[0] + 0.14 * H, crank[1] + 3)
        drop = rear[1] - radius  # the wheels stand on the floor
        for pose in scene.poses:
            pose.shift(0, -drop)
        lift = lambda p: (p[0], p[1] - drop)  # noqa: E731
        scene.props["bike"] = {"seat": lift(seat), "crank": lift(crank), "bars": lift(bars),
                               "rear": lift(rear), "front": lift(front), "radius": radius}
        outline += [(rear[0] - radius, 0), (front[0] + radius, 0), (front[0], lift(bars)[1] + 4)]
    xs = [x for pose in scene.poses for x, _ in pose.points.values()]
    if "wall" in props:
        # Behind the back: the wall touches the trunk where it is furthest back in the first frame.
        back = min(first.points[p][0] - w for p, w in (("pelvis", TRUNK_WIDTH / 2), ("shoulder", TRUNK_WIDTH / 2),
                                                       ("head", body.HEAD_RADIUS)))
        top = max(y for pose in scene.poses for _, y in pose.points.values()) + 12
        scene.props["wall"] = {"x": back, "top": top}
        outline += [(back - 3, 0), (back - 3, top)]
    if "chair" in props:
        hand = f"{scene.near}_hand"
        if figure.posture == "sitting_on_chair":
            p = first.points["pelvis"]
            scene.props["chair"] = {"kind": "seat", "x": p[0] - 0.10 * H, "seat": p[1] - TRUNK_WIDTH / 2,
                                    "depth": 0.22 * H, "back": 0.25 * H}
        else:
            # Held: the chair stands in front, its back at the hand (its lowest height over the frames).
            hx = max(pose.points[hand][0] for pose in scene.poses) + LIMB_WIDTH / 2
            hy = min(pose.points[hand][1] for pose in scene.poses) - LIMB_WIDTH / 2
            seat = min(0.26 * H, hy)
            scene.props["chair"] = {"kind": "held", "x": hx, "seat": seat, "back_top": max(hy, seat),
                                    "depth": 0.20 * H}
        c = scene.props["chair"]
        outline += [(c["x"], 0), (c["x"] + c["depth"], 0)]
    if "towel" in props:
        foot = next((p.split("_")[0] for p in figure.moves if p.endswith("_leg")), scene.near)
        scene.props["towel"] = {"hand": f"{scene.near}_hand", "foot": f"{foot}_sole"}
    if "water" in props:
        top = max(max(pose.points["shoulder"][1], pose.points["pelvis"][1]) for pose in scene.poses)
        scene.props["water"] = {"y": top + TRUNK_WIDTH / 2 + 1.5}
    if "floor" in props or "mat" in props:
        lo, hi = min(xs) - 8, max(xs) + 8
        scene.props["floor"] = {"from": lo, "to": hi, "mat": "mat" in props}
    scene.props["outline"] = outline
    if "water" in props:
        scene.props["outline"] = outline + [(min(xs) - 8, scene.props["water"]["y"] + 3),
                                            (max(xs) + 8, scene.props["water"]["y"] + 3)]


# --- Checks on the geometry: what an editor's angles must not do ------------------------------

def through_floor(pose: Pose) -> list[str]:
    """Segments that sink below the floor."""
    return [name for name, (a, b, width, _) in pose.segments.items()
            if min(pose.points[a][1], pose.points[b][1]) - width / 2 < -TOLERANCE]


def through_wall(pose: Pose, wall_x: float) -> list[str]:
    """Segments that pass behind the wall."""
    return [name for name, (a, b, width, _) in pose.segments.items()
            if min(pose.points[a][0], pose.points[b][0]) - width / 2 < wall_x - TOLERANCE]


# How far above the floor a part may be and still count as resting on it (about 2 cm).
RESTING = 1.2


def on_floor(pose: Pose, segment: str) -> bool:
    """Does this segment touch the floor?"""
    return abs(pose.lowest([segment])) <= RESTING


def distance(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def travel(scene: Scene, figure) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """From where to where the moving part goes between the first and the last frame: the point of
    a moving part that travels furthest. None when nothing travels far enough to draw an arrow."""
    first, last = scene.poses[0], scene.poses[-1]
    if figure.arrow:  # the editor named the point whose path the arrow shows (however short)
        return first.points[figure.arrow], last.points[figure.arrow]
    names: list[str] = []
    for part in figure.moves:
        if part.endswith("_leg"):
            names += [f"{part.split('_')[0]}_{p}" for p in LEG_POINTS] + ["pelvis"]
        elif part.endswith("_foot"):
            names += [f"{part.split('_')[0]}_{p}" for p in LEG_POINTS]
        elif part.endswith("_arm"):
            names += [f"{part.split('_')[0]}_{p}" for p in ARM_POINTS]
        else:
            names += ["shoulder", "head"] if part == "trunk" else ["head"]
    best = max(names, key=lambda n: distance(first.points[n], last.points[n]))
    if distance(first.points[best], last.points[best]) < MIN_ARROW:
        return None
    return first.points[best], last.points[best]
