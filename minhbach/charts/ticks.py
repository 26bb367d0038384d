"""The ticks of a time series' axes, computed here rather than by Vega: the labelled months
(counted back from the latest), the round values from 0 to the top, which of them Vega's axis
keeps, and the lines the static template draws there."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .. import fmt
from .figure import PERIOD_RE, Figure, as_number, layout, value_fmt, value_keys
from .style import PLOT_WIDTH


def month_ticks(figure: Figure) -> list[tuple[int, str]]:
    """The labelled months of a time axis, (ms since the epoch UTC, 'T3/2026'): about 8 of
    them (4 in the narrow layout), every 1, 2, 3, 6 or 12 months counted back from the latest,
    always labelled."""
    months = sorted(
        {str(r.get(figure.x)) for r in figure.rows if PERIOD_RE.match(str(r.get(figure.x)))}
    )
    if not months:
        return []
    first, last = months[0], months[-1]
    n = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    most = layout(figure).months
    step = next((k for k in (1, 2, 3, 6) if n <= most * k), 12)
    latest = int(last[:4]) * 12 + int(last[5:7]) - 1
    ticks = []
    for i in range(0, n, step):
        year, month0 = divmod(latest - i, 12)
        ms = int(dt.datetime(year, month0 + 1, 1, tzinfo=dt.UTC).timestamp()) * 1000
        ticks.append((ms, f"T{month0 + 1}/{year}"))
    return sorted(ticks)


def drawn_ticks(ticks: list[tuple], top: float | None = None, width: int = PLOT_WIDTH) -> list:
    """Where a time series' axis draws its tick marks (``ticks``: :func:`month_ticks`) or grid
    lines (``ticks``: :func:`value_ticks`, ``top`` its top): at those of the labelled ticks
    that Vega's axis keeps (:func:`vega_ticks`): the months thinned to the axis' tick count,
    ``ceil(width / 40)`` (``width``: the plot's; its other limit, one tick per 31 days of the
    domain and one more, never binds: the ticks are a month or more apart and the domain runs
    from the first, or earlier, to a month after the last); every value in the scale's range
    (the value axis' tick count is the number of ticks, ``_value_y`` in minhbach.charts.spec:
    each label has its grid line)."""
    if top is None:
        return vega_ticks([ms for ms, _ in ticks], math.ceil(width / 40))
    return [v for v, _ in ticks if 0 <= v <= top]


def _tick_step(top: float, count: int = 4) -> float:
    """d3's tick increment for [0, top] and about ``count`` ticks: 1, 2 or 5 times 10ⁿ."""
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = (
        10
        if error >= math.sqrt(50)
        else 5
        if error >= math.sqrt(10)
        else (2 if error >= math.sqrt(2) else 1)
    )
    return factor * power


def value_ticks(figure: Figure) -> tuple[float, list[tuple[float, str]]]:
    """The value axis of a time series: its top (``y_max``, or the largest value, or stack,
    rounded up to a tick) and its labelled ticks from 0, formatted the Vietnamese way."""
    y_max = as_number(figure.options.get("y_max"))
    keys = value_keys(figure)
    if y_max is not None and y_max > 0:
        top = y_max
    else:
        values: list[float] = []
        if figure.kind == "stacked":
            sums: dict[Any, float] = {}
            for row in figure.rows:
                total = sum(v for k in keys if (v := as_number(row.get(k))) is not None and v > 0)
                x = row.get(figure.x)
                sums[x] = sums.get(x, 0.0) + total
            values = list(sums.values())
        else:
            values = [
                v for row in figure.rows for k in keys if (v := as_number(row.get(k))) is not None
            ]
        rule = as_number(figure.options.get("rule"))
        if figure.kind == "days_vs_limit" and rule is not None:
            values.append(rule)
        top = max([v for v in values if math.isfinite(v)] or [0.0])
        if top <= 0:
            top = 1.0
    step = _tick_step(top)
    if y_max is None or y_max <= 0:
        top = math.ceil(top / step - 1e-9) * step
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    kind = value_fmt(figure)
    ticks = []
    for i in range(int(round(top / step)) + 1):
        value = round(i * step, decimals)
        label = fmt.number(value, decimals) if value else "0"
        ticks.append((value, label + "%" if kind == "pct" else label))
    return round(top, decimals), ticks


def vega_ticks(values: list, count: int) -> list:
    """The ticks a Vega axis draws of its ``values`` (vega-encode's ``validTicks``; the values
    in the scale's range, in its order): every other one while there are more than ``count``,
    and the two ends if fewer than 3 are left."""
    if count > 0 and len(values) > 1:
        ends = [values[0], values[-1]]
        while len(values) > count and len(values) >= 3:
            values = values[::2]
        if len(values) < 3:
            values = ends
    return values


def axis_lines(figure: Figure) -> list[dict]:
    """The lines of a time series' axes in the static template, in the order Vega's axes draw
    them: the grid lines (``{"g": value}``), the month ticks (``{"t": ms}``), the domain line
    (``{}``); only at the ticks Vega's axes keep (:func:`drawn_ticks`)."""
    top, ticks = value_ticks(figure)
    lines = [{"g": v} for v in drawn_ticks(ticks, top)]
    width = layout(figure).plot_width
    lines += [{"t": ms} for ms in drawn_ticks(month_ticks(figure), width=width)]
    return [*lines, {}]
