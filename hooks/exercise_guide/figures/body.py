"""The body the pictures are drawn from: proportions, joints, their ranges, and forward kinematics.

Why a skeleton and not hand-drawn shapes: every picture then has adult human proportions,
two pictures of one exercise differ only by the joint angles an editor wrote, and a test can
ask where a knee or a heel is.

Proportions: segment lengths as fractions of standing height H, from Winter DA,
*Biomechanics and Motor Control of Human Movement*, 4th ed., Wiley 2009, Table 4.1 / Fig. 4.1,
after Drillis R, Contini R, *Body Segment Parameters*, Report 1166-03, New York University 1966.

Joint ranges: the normal adult range of motion from American Academy of Orthopaedic Surgeons,
*Joint Motion: Method of Measuring and Recording*, Chicago: AAOS 1965 (average adult ranges,
measured from the anatomical position). An angle outside them is refused: no body bends so.

Angles are clinical: 0 is the anatomical position (standing, arms by the sides); hip, shoulder,
trunk and neck flexion (bending forward) are positive, extension negative; knee and elbow
flexion positive; ankle dorsiflexion (toes up) positive, plantarflexion (toes down) negative.
The picture is a side view; `y` points up, the figure faces +x before it is turned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# --- Winter (2009) Table 4.1, after Drillis and Contini (1966): fractions of height H -----------
H = 100.0  # drawing units: the figure is 100 units tall when standing
THIGH = 0.245 * H           # hip (greater trochanter) to knee
SHANK = 0.246 * H           # knee to ankle
FOOT = 0.152 * H            # heel to toe
ANKLE_HEIGHT = 0.039 * H    # ankle above the sole
UPPER_ARM = 0.186 * H       # shoulder to elbow
FOREARM = 0.146 * H         # elbow to wrist
HAND = 0.108 * H            # wrist to fingertip
TRUNK = (0.818 - 0.530) * H  # hip to shoulder: shoulder height 0.818 H, hip height 0.530 H
NECK = (0.870 - 0.818) * H   # shoulder to chin
HEAD = 0.130 * H             # chin to top of head

# --- AAOS (1965): normal adult ranges, degrees (low, high) ---------------------------------------
RANGES: dict[str, tuple[int, int]] = {
    "hip": (-30, 120),       # extension 30, flexion 120
    "knee": (0, 135),        # flexion 135
    "ankle": (-50, 20),      # plantarflexion 50, dorsiflexion 20
    "shoulder": (-60, 180),  # extension 60, flexion 180
    "elbow": (0, 150),       # flexion 150
    "trunk": (-30, 80),      # thoracolumbar extension 20-30 (upper value), flexion 80
    "neck": (-45, 45),       # cervical extension 45, flexion 45
}
SIDES = ("left", "right")
LIMB_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow")
JOINTS: tuple[str, ...] = (*(f"{s}_{j}" for s in SIDES for j in LIMB_JOINTS), "trunk", "neck")


def joint_range(joint: str) -> tuple[int, int]:
    """The AAOS range of a joint name such as `left_knee` or `trunk`."""
    return RANGES[joint.split("_", 1)[-1]]


# --- Postures: a named starting position, its default angles and how it meets the ground --------
@dataclass(frozen=True)
class Posture:
    """A starting position. `turn` rotates the whole body (degrees, counter-clockwise: 90 lies it
    on its back with the head to the left). `rests_on` are the body points that bear weight: the
    lowest of them is put on the floor (or the seat). `anchor` is the point that stays put from one
    frame to the next, so that what moves is the body, not the picture."""

    turn: float
    angles: dict[str, float]
    rests_on: tuple[str, ...]
    anchor: str
    on_floor: bool = True  # False: in water, where nothing rests on a floor


def _both(**angles: float) -> dict[str, float]:
    out = {f"{side}_{joint}": value for side in SIDES for joint, value in angles.items()
           if joint in LIMB_JOINTS}
    out.update({k: v for k, v in angles.items() if k not in LIMB_JOINTS})
    return out


POSTURES: dict[str, Posture] = {
    "lying_on_back": Posture(90, _both(hip=0, knee=0, ankle=-20, shoulder=-4, elbow=0),
                             ("trunk", "head"), "pelvis"),
    "lying_on_front": Posture(-90, _both(hip=0, knee=0, ankle=-40, shoulder=170, elbow=20),
                              ("trunk", "left_thigh", "right_thigh"), "pelvis"),
    "side_lying": Posture(90, _both(hip=30, knee=40, ankle=-10, shoulder=20, elbow=60),
                          ("trunk", "head"), "pelvis"),
    "standing": Posture(0, _both(hip=0, knee=0, ankle=0, shoulder=0, elbow=10),
                        ("left_foot", "right_foot"), "left_toe"),
    "sitting_on_chair": Posture(0, _both(hip=90, knee=90, ankle=0, shoulder=0, elbow=60),
                                ("left_foot", "right_foot"), "pelvis"),
    "half_kneeling": Posture(0, {**_both(shoulder=0, elbow=10),
                                 "left_hip": 90, "left_knee": 90, "left_ankle": 0,
                                 "right_hip": 0, "right_knee": 90, "right_ankle": -45},
                             ("left_foot", "right_shank"), "right_knee"),
    "hands_and_knees": Posture(-90, _both(hip=90, knee=90, ankle=-45, shoulder=90, elbow=0),
                               ("left_shank", "right_shank", "left_forearm", "right_forearm"), "left_knee"),
    "in_water": Posture(-90, _both(hip=0, knee=10, ankle=-40, shoulder=170, elbow=10),
                        (), "pelvis", on_floor=False),
    "on_bike": Posture(0, {**_both(shoulder=60, elbow=30), "trunk": 25,
                           "left_hip": 45, "left_knee": 40, "left_ankle": -10,
                           "right_hip": 100, "right_knee": 110, "right_ankle": -10},
                       (), "pelvis"),
}

# Thickness of the drawn parts (diameter), in the pictogram style: heavy, with round ends.
LIMB_WIDTH = 5.6
TRUNK_WIDTH = 12.0
HEAD_RADIUS = 6.0


@dataclass
class Pose:
    """Where every joint of one frame is, after forward kinematics; plus each segment's angle."""

    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    # segment name -> (start point, end point, width, side) for drawing and for geometry checks
    segments: dict[str, tuple[str, str, float, str]] = field(default_factory=dict)
    turn: float = 0.0

    def shift(self, dx: float, dy: float) -> None:
        self.points = {k: (x + dx, y + dy) for k, (x, y) in self.points.items()}

    def lowest(self, names: list[str] | None = None) -> float:
        """The lowest y of the body's surface (a segment's thickness counts), over some segments."""
        low = math.inf
        for name, (a, b, width, _) in self.segments.items():
            if names is None or name in names:
                low = min(low, self.points[a][1] - width / 2, self.points[b][1] - width / 2)
        return low


def _direction(deg: float) -> tuple[float, float]:
    """A unit vector `deg` degrees counter-clockwise from straight down (0 = down, 90 = +x)."""
    r = math.radians(deg)
    return math.sin(r), -math.cos(r)


def forward(angles: dict[str, float], turn: float) -> Pose:
    """The joint positions of a body with these angles, pelvis at the origin.

    Every segment's direction is an angle from "down" in the body's own frame (facing +x); the
    whole body is then turned by `turn`. Points and segments are named by side: `left_knee`,
    `right_foot`."""
    pose = Pose(turn=turn)
    put = pose.points

    def at(origin: str, length: float, deg: float, name: str) -> None:
        dx, dy = _direction(deg + turn)
        ox, oy = put[origin]
        put[name] = (ox + dx * length, oy + dy * length)

    put["pelvis"] = (0.0, 0.0)
    trunk = 180 - angles.get("trunk", 0)  # up the trunk, leaning forward with flexion
    at("pelvis", TRUNK, trunk, "shoulder")
    neck = trunk - angles.get("neck", 0)
    at("shoulder", NECK + HEAD_RADIUS + 1.5, neck, "head")
    pose.segments["trunk"] = ("pelvis", "shoulder", TRUNK_WIDTH, "")
    pose.segments["head"] = ("head", "head", HEAD_RADIUS * 2, "")
    sole_drop = max(ANKLE_HEIGHT - LIMB_WIDTH / 2, 0)
    for side in SIDES:
        s = side + "_"
        hip = angles[s + "hip"]
        shank = hip - angles[s + "knee"]
        foot = shank + 90 + angles[s + "ankle"]
        at("pelvis", THIGH, hip, s + "knee")
        at(s + "knee", SHANK, shank, s + "ankle")
        # The sole line: ANKLE_HEIGHT below the ankle, less the stroke's half-width; heel to toe.
        at(s + "ankle", sole_drop, foot - 90, s + "sole")
        at(s + "sole", FOOT * 0.25, foot + 180, s + "heel")
        at(s + "sole", FOOT * 0.75 - LIMB_WIDTH / 2, foot, s + "toe")
        # Arms hang from the shoulder: 0 along the trunk towards the hips, flexion swings forward.
        arm = trunk - 180 + angles[s + "shoulder"]
        forearm = arm + angles[s + "elbow"]
        at("shoulder", UPPER_ARM, arm, s + "elbow")
        at(s + "elbow", FOREARM + HAND * 0.4, forearm, s + "hand")
        for name, a, b in (("thigh", "pelvis", s + "knee"), ("shank", s + "knee", s + "ankle"),
                           ("instep", s + "ankle", s + "sole"), ("foot", s + "heel", s + "toe"),
                           ("upper_arm", "shoulder", s + "elbow"), ("forearm", s + "elbow", s + "hand")):
            pose.segments[s + name] = (a, b, LIMB_WIDTH, side)
    return pose
