"""Drawn pictures of each exercise, made from the `figure:` block of exercises.yml.

Why drawn from data: no picture may be copied, none can be downloaded here, and a new exercise
must get its picture from a few lines of YAML, in the same style as every other one. So a small
skeleton with published adult proportions (body.py) is posed by the joint angles an editor
writes, placed on the floor with its props (scene.py), checked (no body part through the floor
or the wall, no joint past its normal range: check.py) and painted as inline SVG (svg.py).

Nothing here knows MkDocs; render.py calls `frames()` for the exercise pages and `thumbnail()`
for the lists, and validate.py calls `check.problems()`.

Each figure's geometry and drawing are remembered by the figure's content (`placed()`,
`frames()`, `motion()`): validation and rendering share one scene instead of building it twice,
and the editor's preview redraws only the figures that changed since the last rebuild.
"""

from __future__ import annotations


import json

from ..cache import by_content
from . import scene as _scene
from . import svg as _svg


@by_content
def placed(figure, tween: bool = False) -> _scene.Scene:
    """The figure's scene (scene.build), built once per distinct figure. Read it; do not change it."""
    return _scene.build(figure, tween=tween)


def _built(figure) -> tuple[_scene.Scene, dict | None]:
    scene = placed(figure)
    move = _scene.travel(scene, figure)
    return scene, (_svg.arrow_points(scene, *move) if move else None)


@by_content
def frames(figure) -> list[dict]:
    """Each frame as the template needs it: its viewBox, shapes (SVG markup) and frame data."""
    placed, arrow = _built(figure)
    x, y, width, height = _svg.view_box(placed, arrow)
    box = " ".join(_svg.number(v) for v in (x, y, width, height))
    return [{"frame": frame, "view_box": box, "shapes": _svg.frame_shapes(placed, i, arrow),
             "width": round(width), "height": round(height)}
            for i, frame in enumerate(figure.frames)]


def thumbnail(figure) -> dict:
    """The last frame (the position the exercise is about), for lists and the program builder."""
    return frames(figure)[-1]


@by_content
def motion(figure) -> str:
    """The body paths of the in-between poses, start to end, as JSON for "Show the movement"."""
    scene = placed(figure, True)
    return json.dumps([_svg.body_layers(scene, pose) for pose in scene.poses], separators=(",", ":"))
