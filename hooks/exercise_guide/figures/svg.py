"""Painting a Scene as inline SVG, in one pictogram style for the whole site.

The style follows the public-symbol figures (ISO 7001, AIGA): a round head set apart from the
body, thick limbs with round ends. The near-side limbs are dark and the far-side limbs grey, so
left and right can be told apart; the parts that move are in the site's accent colour (indigo),
with a curved arrow from where they start to where they end. Every part that carries meaning
has at least 3:1 contrast on white (WCAG 1.4.11), and the three tones stay apart in greyscale.

Only shapes and numbers are made here. The words (the accessible name, the captions) come from
exercises.yml through the template figures.html.j2.
"""

from __future__ import annotations

import math

from .body import HEAD_RADIUS, LIMB_WIDTH, TRUNK_WIDTH, Pose
from .scene import Scene

# Colours, with their contrast on white: 16:1, 3.4:1, 6.6:1, 3.5:1, 6.2:1.
NEAR = "#212121"
FAR = "#8a8a8a"
ACCENT = "#3f51b5"
ACCENT_FAR = "#7986cb"
PROP = "#616161"
MAT = "#e0e0e0"
HALO = 2.2  # white gap around a part drawn over another
MARGIN = 4.0


def number(value: float) -> str:
    """A coordinate, short: one decimal, no trailing .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else ("0" if text == "-0" else text)


class _Canvas:
    """Turns the scene's y-up coordinates (mirrored when drawn from the right) into SVG's."""

    def __init__(self, mirrored: bool):
        self.sx = -1 if mirrored else 1

    def pt(self, p: tuple[float, float]) -> str:
        return f"{number(p[0] * self.sx)} {number(-p[1])}"

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> str:
        return f"M{self.pt(a)}L{self.pt(b)}"


def body_layers(scene: Scene, pose: Pose) -> list[str]:
    """The `d` of each body path, in drawing order (far limbs, trunk, head, near limbs, towel).

    The same list, pose by pose, is what the animation steps through, so its order is fixed."""
    c = _Canvas(scene.mirrored)
    far_plain, far_move, near_plain, near_move = [], [], [], []
    for name, (a, b, _, side) in pose.segments.items():
        if name in ("trunk", "head"):
            continue
        d = c.line(pose.points[a], pose.points[b])
        moving = name in scene.moving_segments
        if side == scene.near:
            (near_move if moving else near_plain).append(d)
        else:
            (far_move if moving else far_plain).append(d)
    p = pose.points
    head = f"M{c.pt(p['head'])}l0 0"
    towel = ""
    if "towel" in scene.props:
        t = scene.props["towel"]
        towel = c.line(p[t["hand"]], p[t["foot"]])
    # No white gap round the far limbs: they are drawn first, behind everything (and a page
    # of an exercise must stay under 30 KB).
    return ["".join(far_plain), "".join(far_move),
            c.line(p["pelvis"], p["shoulder"]), head,
            "".join(near_plain + near_move), "".join(near_plain), "".join(near_move), towel]


def _layer_styles(scene: Scene) -> list[tuple[str, float]]:
    """Colour and width of each body path of body_layers, in the same order."""
    trunk = ACCENT if "trunk" in scene.moving_segments else NEAR
    head = ACCENT if "head" in scene.moving_segments else NEAR
    return [(FAR, LIMB_WIDTH), (ACCENT_FAR, LIMB_WIDTH),
            (trunk, TRUNK_WIDTH), (head, HEAD_RADIUS * 2),
            ("#fff", LIMB_WIDTH + HALO), (NEAR, LIMB_WIDTH), (ACCENT, LIMB_WIDTH), (PROP, 1.6)]


def _props(scene: Scene) -> list[str]:
    c = _Canvas(scene.mirrored)
    out = []
    props = scene.props
    if "floor" in props:
        f = props["floor"]
        if f["mat"]:
            x0, x1 = sorted((f["from"] * c.sx + 3 * c.sx, f["to"] * c.sx - 3 * c.sx))
            out.append(f'<rect x="{number(x0)}" y="0" width="{number(x1 - x0)}" height="2.4" rx="1.2" '
                       f'fill="{MAT}" stroke="{PROP}" stroke-width=".8"/>')
            y = 2.4
        else:
            y = 0
        out.append(f'<path d="{c.line((f["from"], -y), (f["to"], -y))}" stroke="{PROP}" stroke-width="1.6"/>')
    if "wall" in props:
        w = props["wall"]
        out.append(f'<path d="{c.line((w["x"] - 0.8, 0), (w["x"] - 0.8, w["top"]))}" stroke="{PROP}" stroke-width="1.6"/>')
    if "chair" in props:
        ch = props["chair"]
        x, s = ch["x"], ch["seat"]
        if ch["kind"] == "seat":
            d = (c.line((x, s - 1), (x + ch["depth"], s - 1)) + c.line((x + 1, s), (x + 1, 0))
                 + c.line((x + ch["depth"] - 1, s), (x + ch["depth"] - 1, 0)) + c.line((x + 1, s), (x + 1, s + ch["back"])))
        else:
            d = (c.line((x + 1, 0), (x + 1, ch["back_top"])) + c.line((x + 1, s), (x + ch["depth"], s))
                 + c.line((x + ch["depth"], s), (x + ch["depth"], 0)))
        out.append(f'<path d="{d}" stroke="{PROP}" stroke-width="2" stroke-linecap="round" fill="none"/>')
    if "bike" in props:
        b = props["bike"]
        r = b["radius"]
        d = (c.line(b["seat"], b["crank"]) + c.line(b["crank"], b["rear"]) + c.line(b["rear"], b["seat"])
             + c.line(b["seat"], (b["bars"][0] - 2, b["bars"][1] - 3)) + c.line((b["bars"][0] - 2, b["bars"][1] - 3), b["front"])
             + c.line((b["seat"][0] - 4, b["seat"][1]), (b["seat"][0] + 4, b["seat"][1])))
        out.append(f'<path d="{d}" stroke="{PROP}" stroke-width="1.8" stroke-linecap="round" fill="none"/>')
        for hub in (b["rear"], b["front"]):
            out.append(f'<circle cx="{number(hub[0] * c.sx)}" cy="{number(-hub[1])}" r="{number(r - 1)}" '
                       f'stroke="{PROP}" stroke-width="1.8" fill="none"/>')
    if "water" in props:
        y = props["water"]["y"]
        x0, x1 = scene.bounds()[0], scene.bounds()[2]
        wave, x = [], x0
        d = f"M{c.pt((x0, y))}"
        while x < x1:
            d += f"q{number(3 * c.sx)} {number(-2)} {number(6 * c.sx)} 0"
            x += 6
        wave.append(d)
        out.append(f'<path d="{"".join(wave)}" stroke="#1565c0" stroke-width="1.4" fill="none"/>')
    return out


# The shortest arrow drawn (units of H/100): shorter ones are drawn at this length.
MIN_DRAWN_ARROW = 16


def arrow_points(scene: Scene, start: tuple[float, float], end: tuple[float, float]) -> dict:
    """A curved arrow from `start` to `end`: bowed away from the body (never into the floor) and
    set off from the limb so it does not cover it. Its points, in the scene's coordinates."""
    pose = scene.poses[-1]
    cx = sum(x for x, _ in pose.points.values()) / len(pose.points)
    cy = sum(y for _, y in pose.points.values()) / len(pose.points)
    mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < MIN_DRAWN_ARROW:
        # A short move (a knee that comes forward a little) drawn at its true length is a dash and a
        # head: a stray mark (issue 23). Drawn longer, about the same midpoint, it reads as an arrow.
        grow = MIN_DRAWN_ARROW / length
        start = (mx - dx / 2 * grow, my - dy / 2 * grow)
        end = (mx + dx / 2 * grow, my + dy / 2 * grow)
        dx, dy, length = dx * grow, dy * grow, MIN_DRAWN_ARROW
    nx, ny = -dy / length, dx / length
    if (mx + nx - cx) ** 2 + (my + ny - cy) ** 2 < (mx - nx - cx) ** 2 + (my - ny - cy) ** 2:
        nx, ny = -nx, -ny
    off = LIMB_WIDTH + 2.5
    bow = min(0.35 * length, 14)
    if "floor" in scene.props and my + ny * (off + bow) < LIMB_WIDTH:
        nx, ny = -nx, -ny  # the other way round: an arrow under the floor reads as nothing
    a = (start[0] + nx * off, start[1] + ny * off)
    b = (end[0] + nx * off, end[1] + ny * off)
    ctrl = (mx + nx * (off + bow), my + ny * (off + bow))
    # The arrow head, along the curve's direction at its end.
    tx, ty = b[0] - ctrl[0], b[1] - ctrl[1]
    t = math.hypot(tx, ty) or 1
    tx, ty = tx / t, ty / t
    size = 4.2
    return {"from": a, "ctrl": ctrl, "shaft_end": (b[0] - tx * size * 0.8, b[1] - ty * size * 0.8),
            "tip": (b[0] + tx * 1.2, b[1] + ty * 1.2),
            "left": (b[0] - tx * size - ty * size * 0.7, b[1] - ty * size + tx * size * 0.7),
            "right": (b[0] - tx * size + ty * size * 0.7, b[1] - ty * size - tx * size * 0.7)}


def _arrow(scene: Scene, points: dict) -> str:
    c = _Canvas(scene.mirrored)
    p = points
    return (f'<path d="M{c.pt(p["from"])}Q{c.pt(p["ctrl"])} {c.pt(p["shaft_end"])}" stroke="{ACCENT}" '
            f'stroke-width="1.8" fill="none" stroke-dasharray="3 2"/>'
            f'<path d="M{c.pt(p["tip"])}L{c.pt(p["left"])}L{c.pt(p["right"])}Z" fill="{ACCENT}"/>')


def view_box(scene: Scene, arrow: dict | None = None) -> tuple[float, float, float, float]:
    """One viewBox for every frame of an exercise, so that the body keeps its size and place."""
    x0, y0, x1, y1 = scene.bounds()
    for x, y in (arrow or {}).values():
        x0, y0, x1, y1 = min(x0, x - 1), min(y0, y - 1), max(x1, x + 1), max(y1, y + 1)
    if scene.mirrored:
        x0, x1 = -x1, -x0
    return x0 - MARGIN, -y1 - MARGIN, (x1 - x0) + 2 * MARGIN, (y1 - y0) + 2 * MARGIN


def frame_shapes(scene: Scene, index: int, arrow: dict | None) -> str:
    """The shapes of one frame: props, body, and (on the last frame) the arrow."""
    pose = scene.poses[index]
    paths = []
    for (stroke, width), d in zip(_layer_styles(scene), body_layers(scene, pose)):
        # The first picture keeps every layer, empty or not: "Show the movement" fills them in order.
        if d or index == 0:
            paths.append(f'<path d="{d}" stroke="{stroke}" stroke-width="{number(width)}"/>')
    shapes = _props(scene) + [f'<g fill="none" stroke-linecap="round" class="fig-body">{"".join(paths)}</g>']
    if arrow is not None and index == len(scene.poses) - 1:
        shapes.append(_arrow(scene, arrow))
    return "".join(shapes)
