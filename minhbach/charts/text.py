"""The room texts take: the static SVG's labels are not measured by vl-convert (see
minhbach.charts.static), so their widths are estimated here, from their characters."""

from __future__ import annotations

import math

from .figure import TIME_KINDS, Figure, is_horizontal, is_period_axis, layout
from .style import FONT_SIZE, LINE_HEIGHT
from .ticks import value_ticks

# Widths of characters of a 12px sans-serif, in em (Liberation Sans / Arial metrics, rounded
# up): enough to keep room for labels that the static SVG does not measure.
_NARROW = set(" .,:;'!|ijlIf()[]/-tr")
_WIDE = set("mwMWOQGDHNCU%")


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """An estimate of the width of ``text`` in pixels (a little generous)."""
    em = 0.0
    for char in text:
        em += (
            0.3
            if char in _NARROW
            else 0.86
            if char in _WIDE
            else (0.67 if char.isupper() else 0.56)
        )
    return em * size * (1.08 if bold else 1.0) * 1.05 + 2


def _categories(figure: Figure) -> list[str]:
    return [str(r.get(figure.x)) for r in figure.rows if r.get(figure.x) is not None]


def wrap_label(text: str) -> str:
    """A category label under a vertical bar: on two lines when long, at the last space before
    its middle (and the same in the Vega expression :func:`minhbach.charts.expr.wrap_expr`)."""
    half = text[: math.ceil(len(text) / 2) + 2].rfind(" ")
    if len(text) > 12 and half > 0:
        return text[:half] + "\n" + text[half + 1 :]
    return text


def static_padding(figure: Figure) -> dict[str, int]:
    """Room around the plot for the labels the static SVG leaves unmeasured."""
    left, right, bottom = 4, 6, 4
    if figure.kind in TIME_KINDS:
        _, ticks = value_ticks(figure)
        left = max(text_width(label) for _, label in ticks) + 8
        title = figure.options.get("y_title")
        if title:
            left = max(left, text_width(str(title)) + 8)
        right = 32 if is_period_axis(figure) else 6
        bottom = 6
    elif figure.kind == "group_scores" or is_horizontal(figure):
        if not layout(figure).labels_above:
            left = max([text_width(c) for c in _categories(figure)] or [0]) + 10
    else:  # vertical bars: labels under the bars, maybe on two lines
        bottom = 6 + (LINE_HEIGHT if any("\n" in wrap_label(c) for c in _categories(figure)) else 0)
    return {"left": math.ceil(left), "right": right, "bottom": bottom}
