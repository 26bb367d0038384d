"""The placeholders of the templates and how a figure fills them.

A chart's templates (minhbach.charts.template) are JSON text with a placeholder where each
figure's own values go: its data, title, ticks, axis lines and padding (JSON strings in the
template text; an ExprRef in Vega-Lite becomes a signal in Vega). A figure fills them in one
regular-expression pass (:func:`fill`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .figure import Figure, compact, data_columns, data_values, rule_values
from .text import static_padding
from .ticks import axis_lines, month_ticks, value_ticks

# The named data of the templates (Vega-Lite's ``{"name": …}``) and their placeholders.
DATA = "mb"
NAMED_DATA = {
    DATA: "__mb_values__",
    "mb_rule": "__mb_rule__",
    "mb_months": "__mb_months__",
    "mb_values": "__mb_value_ticks__",
}
P_COLUMNS = "__mb_columns__"  # the Vega-Lite spec's data, as columns (:func:`data_columns`)
P_DESC = "__mb_description__"
P_MONTH_TICKS = "__mb_month_ticks__"
P_VALUE_TICKS = "__mb_value_tick_values__"
# Their number: the value axis' tick count, so that Vega draws a grid line at every one of them.
P_VALUE_COUNT = "__mb_value_tick_count__"
P_VALUE_MAX = "__mb_value_max__"
# The lines of a time series' axes in the static template (minhbach.charts.ticks.axis_lines).
P_AXIS_LINES = "__mb_axis_lines__"
P_PAD = {side: f"__mb_pad_{side}__" for side in ("left", "right", "bottom")}
PLACEHOLDER_RE = re.compile(r'\{"(?:expr|signal)":"(__mb_\w+__)"\}|"(__mb_\w+__)"')


def placeholder_values(figure: Figure, tokens: set[str]) -> dict[str, Any]:
    """The per-figure values of the placeholders found in a template."""
    out: dict[str, Any] = {P_DESC: figure.title}
    if NAMED_DATA[DATA] in tokens:
        out[NAMED_DATA[DATA]] = data_values(figure)
    if P_COLUMNS in tokens:
        out[P_COLUMNS] = data_columns(figure)
    if "__mb_rule__" in tokens:
        out["__mb_rule__"] = rule_values(figure)
    if tokens & {"__mb_months__", P_MONTH_TICKS}:
        months = month_ticks(figure)
        out["__mb_months__"] = [{"_month": ms, "label": label} for ms, label in months]
        out[P_MONTH_TICKS] = [ms for ms, _ in months]
    if tokens & {"__mb_value_ticks__", P_VALUE_TICKS, P_VALUE_COUNT, P_VALUE_MAX}:
        top, ticks = value_ticks(figure)
        out["__mb_value_ticks__"] = [{"value": v, "label": label} for v, label in ticks]
        out[P_VALUE_TICKS] = [v for v, _ in ticks]
        out[P_VALUE_COUNT] = len(ticks)
        out[P_VALUE_MAX] = top
    if P_AXIS_LINES in tokens:
        out[P_AXIS_LINES] = axis_lines(figure)
    if P_PAD["left"] in tokens:
        out.update({P_PAD[side]: n for side, n in static_padding(figure).items()})
    return out


@lru_cache(maxsize=256)
def placeholders_in(text: str) -> frozenset[str]:
    """The placeholders of a template (templates are few: computed once each)."""
    return frozenset(a or b for a, b in PLACEHOLDER_RE.findall(text))


def fill(text: str, figure: Figure, dumps=compact, values: dict | None = None) -> str:
    """The template ``text`` with the figure's values; ``values`` (from
    :func:`placeholder_values` for these placeholders or more) saves computing them again for a
    second template."""
    tokens = placeholders_in(text)
    if values is None:
        values = placeholder_values(figure, set(tokens))
    dumped = {k: dumps(values[k]) for k in tokens}
    return PLACEHOLDER_RE.sub(lambda m: dumped[m.group(1) or m.group(2)], text)
