"""Charts of the pages: Altair specs, static SVG (vl-convert), the CSV and the HTML figure.

A page describes each chart as a :class:`Figure` (the numbers already computed by the SQL) and
:func:`render_figures` turns every ``(page_dir, figure)`` into two files beside the page and one
HTML snippet (the theme's ``figure.mb-chart`` contract, site_src/overrides/README.md):

- ``<id>.vl.json``: the Vega-Lite spec with the data inline (the interactive chart, embedded by
  ``assets/js/charts.js`` with the Vietnamese locale; tooltips with Vietnamese headers). One
  per chart, so kept small (:func:`_pack`): compact JSON; the figure's data once, at the top,
  as columns (:func:`data_columns`: names and periods as indices into their distinct values)
  that the top-level transforms turn back into rows, with the transforms every layer of it
  shares; data used by several layers (the legend's entries) in ``datasets``;
- ``<id>.csv``: the numbers behind the chart (UTF-8 with BOM, RFC 4180, CRLF, raw values,
  formula-injection neutralised like the downloads);
- the snippet: the static SVG (rendered at build time: what reads without JavaScript and what
  prints), the caption, the CSV link, and the numbers as a collapsed table.

Kinds: ``group_scores`` (a group's score over a light bar of its maximum, "12,5/18"),
``trend`` (lines over months), ``stacked`` (stacked bars per month), ``bars`` (bars per
category), ``days_vs_limit`` (median and 90th-percentile days per month, the statutory limit).

Options (``Figure.options``): ``y_title``; ``y_max`` (e.g. 100); ``max_key`` (group_scores);
``rule``, ``rule_label`` (days_vs_limit); ``order`` (categories of ``bars`` and
``group_scores``; series of time series); ``series_order`` (series of ``bars``); ``colors``
({series or category: css colour}); ``fold`` ({column: series label}: wide rows, one series per
column, e.g. ``{"received_online": "Trực tuyến", …}``; ``series`` is then not needed);
``horizontal`` (``bars``).

Speed. A province has thousands of charts, and vl-convert is slow where text is concerned: it
measures every text by laying it out with usvg (about 0.1 ms per character, several times per
axis label), which was three quarters of a chart's time. So:

- each kind is defined once with Altair and compiled once per *shape* (kind, fields, columns,
  options) into a Vega-Lite template (the interactive spec) and a Vega template (the static
  SVG), with placeholders where each figure's data, title and ticks go; a figure only fills
  them in (one regular-expression pass);
- the axis labels are text marks at ticks computed here (months counted back from the latest;
  round values from 0), and Vega's legend is replaced by marks at fixed places;
- in the static template every text mark draws an empty text and carries its text as its
  description: vl-convert then measures nothing, and the text is put back into the SVG here;
  the room the labels need is estimated from their length (:func:`text_width`);
- the static template draws what shows and nothing else: no tooltips (nor the transforms
  that format their texts), no axis left with nothing to draw (:func:`_drawn_axes`);
- nor any Vega axis (each cost about 1 ms): what the axes draw (grid lines, ticks, the domain
  line) is drawn by one rule mark, at the same places and in the same style: the same picture,
  a time series about a fifth faster (:func:`_axes_as_rules`);
- the SVGs are rendered in a process pool, each worker taking chunks of figures and writing
  their files itself; a worker renders a filled template it has seen before only once
  (:func:`_vega_svg`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import html
import json
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import fmt

__all__ = [
    "KINDS",
    "PALETTE",
    "Col",
    "Figure",
    "build_chart",
    "csv_bytes",
    "month_ticks",
    "render_figure",
    "render_figures",
    "table_html",
    "value_ticks",
    "vegalite_spec",
]

KINDS = ("group_scores", "trend", "stacked", "bars", "days_vs_limit")
TIME_KINDS = ("trend", "stacked", "days_vs_limit")

ROOT = Path(__file__).resolve().parent.parent
LOCALE_FILE = ROOT / "site_src" / "assets" / "js" / "vi-VN.locale.json"

# Colour-blind-safe (Okabe-Ito), each at least 3:1 against white (the chart card is white in
# both palettes): blue 5.2, vermillion 3.9, green 3.4, reddish purple 3.1, brown 5.9. Points
# also differ by shape, and stacked segments are separated by a white line.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A5A00"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]
PRIMARY = "#0072B2"
MAX_BAR = "#E3E8EF"  # the light bar of a group's maximum (its value is also written as text)
MAX_BAR_STROKE = "#7C8595"  # 3.7:1: the maximum's extent stays visible without the fill
RULE_COLOR = "#B91C1C"  # 6.5:1
TEXT = "#1F2937"  # 14.7:1
MUTED = "#4B5563"  # 7.6:1
GRID = "#E5E7EB"
DOMAIN = "#6B7280"  # 4.8:1
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
FONT_SIZE = 12

PLOT_WIDTH = 584  # time series and vertical bars: with their value labels, about 640 in all
LABELLED_WIDTH = 430  # horizontal bars: their category labels take the rest of about 640
HEIGHT = 240  # the plot of time series
BARS_HEIGHT = 200  # the plot of vertical bars
BAR_STEP = 34  # the row of a horizontal bar
LABEL_ROOM = 96  # pixels kept right of group bars for their "12,5/18" labels
VALUE_ROOM = 56  # pixels kept beyond horizontal bars (and above vertical ones) for values
LEGEND_Y = -30  # the legend line, above the plot
TITLE_Y = -8  # the y title, above the value labels
LINE_HEIGHT = 15  # of two-line category labels
# Vega's "pad": one layout pass ("fit" costs a second one).
AUTOSIZE = {"type": "pad"}
PADDING = {"left": 2, "right": 4, "top": 6, "bottom": 2}
NOT_ASSESSED = "không đánh giá"

# d3-format of each column format (numbers arrive already rounded by the SQL).
D3_FORMATS = {"num": ",.0f", "pct": ",.2f", "pts": ",.2f", "days": ",.1f"}
NUMERIC_FMTS = frozenset(D3_FORMATS)

# Named data of the templates and the placeholders of per-figure values (JSON strings in the
# template text; an ExprRef in Vega-Lite becomes a signal in Vega).
_DATA = "mb"
_NAMED_DATA = {
    _DATA: "__mb_values__",
    "mb_rule": "__mb_rule__",
    "mb_months": "__mb_months__",
    "mb_values": "__mb_value_ticks__",
}
_P_COLUMNS = "__mb_columns__"  # the interactive spec's data, as columns (:func:`data_columns`)
_P_DESC = "__mb_description__"
_P_MONTH_TICKS = "__mb_month_ticks__"
_P_VALUE_TICKS = "__mb_value_tick_values__"
# Their number: the value axis' tick count, so that Vega draws a grid line at every one of them.
_P_VALUE_COUNT = "__mb_value_tick_count__"
_P_VALUE_MAX = "__mb_value_max__"
# The lines of a time series' axes in the static template (:func:`_axis_lines`).
_P_AXIS_LINES = "__mb_axis_lines__"
_P_PAD = {side: f"__mb_pad_{side}__" for side in ("left", "right", "bottom")}
_PLACEHOLDER_RE = re.compile(r'\{"(?:expr|signal)":"(__mb_\w+__)"\}|"(__mb_\w+__)"')

_IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _vl_version(altair_module) -> str:
    """The Vega-Lite version vl-convert compiles with: the one Altair writes (e.g. "6.4")."""
    return ".".join(altair_module.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def _lit(value: Any) -> str:
    """A JSON value as a Vega expression literal (non-ASCII kept: the specs stay short)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _datum(key: str) -> str:
    """A Vega expression reading the field ``key`` of a row."""
    return f"datum.{key}" if _IDENT_RE.match(key) else f"datum[{_lit(key)}]"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------------------------
# The contract


@dataclass(frozen=True)
class Col:
    key: str  # key in each row dict
    header: str  # Vietnamese column header (table, tooltip)
    fmt: str = "num"  # "num" 21.969, "pct" 96,57%, "pts" 12,50, "days" 3,4, "text", "period"


@dataclass
class Figure:
    id: str  # unique within the page, an ascii slug
    kind: str  # one of KINDS
    title: str  # short Vietnamese title; also the chart's accessible name
    caption: str  # one sentence: what it shows and its key number
    rows: list[dict]  # the numbers, computed by the SQL
    columns: list[Col]  # the table under the chart and the CSV columns, in order
    x: str  # key of the x field (period 'YYYY-MM' for time series; category otherwise)
    y: str  # key of the value field
    series: str | None = None  # key of the series field
    options: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Formatting


def format_cell(value: Any, kind: str) -> str:
    """A table cell the Vietnamese way (minhbach.fmt); NULL -> '—'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return fmt.EMPTY
    if kind == "num":
        return fmt.number(value)
    if kind == "pct":
        return fmt.percent(value)
    if kind == "pts":
        return fmt.points(value)
    if kind == "days":
        return fmt.number(value, 1)
    if kind == "period":
        return fmt.period_label(str(value))
    if isinstance(value, dt.date):
        return fmt.date(value)
    return str(value)


def _vega_format_expr(ref: str, kind: str) -> str:
    """A Vega expression formatting ``ref`` like :func:`format_cell`."""
    if kind in D3_FORMATS:
        text = f"format({ref}, '{D3_FORMATS[kind]}')"
        if kind == "pct":
            text += " + '%'"
        return f"isValid({ref}) && isFinite({ref}) ? {text} : '{fmt.EMPTY}'"
    if kind == "period":
        return (
            f"isValid({ref}) ? 'tháng ' + toNumber(substring({ref}, 5, 7)) + '/' + "
            f"substring({ref}, 0, 4) : '{fmt.EMPTY}'"
        )
    return f"isValid({ref}) ? '' + {ref} : '{fmt.EMPTY}'"


# --------------------------------------------------------------------------------------------
# Data: JSON values and CSV


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return str(value)


def _csv_value(value: Any) -> str:
    """RFC 4180 cell: numbers raw with '.', NULL empty, text neutralised and quoted if needed."""
    if hasattr(value, "item") and not isinstance(value, str | Decimal):
        value = value.item()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
    else:
        text = str(value)
        if text.startswith(FORMULA_PREFIXES):
            text = "'" + text
    if text == "" or any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_bytes(figure: Figure) -> bytes:
    """The figure's CSV: BOM, header of column keys, one line per row, CRLF."""
    lines = [",".join(_csv_value(c.key) for c in figure.columns)]
    for row in figure.rows:
        lines.append(",".join(_csv_value(row.get(c.key)) for c in figure.columns))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _data_keys(figure: Figure) -> list[str]:
    keys = [c.key for c in figure.columns]
    extra = [figure.x, figure.y, figure.series, figure.options.get("max_key")]
    extra += list(figure.options.get("fold") or ())
    for key in extra:
        if key and key not in keys:
            keys.append(key)
    return keys


def _json_dumps(value: Any) -> str:
    # "<", ">" and "&" escaped: the spec may also be inlined in a <script> element.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_values(figure: Figure) -> list[dict]:
    keys = _data_keys(figure)
    return [{k: _json_value(row.get(k)) for k in keys} for row in figure.rows]


def _rule_values(figure: Figure) -> list[dict]:
    rule = figure.options.get("rule")
    if rule is None:
        return []
    label = figure.options.get("rule_label") or f"Thời hạn quy định: {fmt.number(rule)} ngày"
    return [{"rule": _json_value(rule), "label": label}]


# --------------------------------------------------------------------------------------------
# Layout computed here: ticks, label room


def _col(figure: Figure, key: str | None) -> Col | None:
    for c in figure.columns:
        if c.key == key:
            return c
    return None


def _fmt_of(figure: Figure, key: str | None, default: str = "num") -> str:
    col = _col(figure, key)
    return col.fmt if col else default


def _is_period_axis(figure: Figure) -> bool:
    return figure.kind in TIME_KINDS and _fmt_of(figure, figure.x, "period") == "period"


def _value_keys(figure: Figure) -> list[str]:
    fold = figure.options.get("fold")
    return list(fold) if fold else [figure.y]


def _value_fmt(figure: Figure) -> str:
    return _fmt_of(figure, _value_keys(figure)[0])


def _number(value: Any) -> float | None:
    value = _json_value(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def month_ticks(figure: Figure) -> list[tuple[int, str]]:
    """The labelled months of a time axis, (ms since the epoch UTC, 'T3/2026'): about 8 of
    them, every 1, 2, 3, 6 or 12 months counted back from the latest, always labelled."""
    months = sorted(
        {str(r.get(figure.x)) for r in figure.rows if _PERIOD_RE.match(str(r.get(figure.x)))}
    )
    if not months:
        return []
    first, last = months[0], months[-1]
    n = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    step = next((k for k in (1, 2, 3, 6) if n <= 8 * k), 12)
    latest = int(last[:4]) * 12 + int(last[5:7]) - 1
    ticks = []
    for i in range(0, n, step):
        year, month0 = divmod(latest - i, 12)
        ms = int(dt.datetime(year, month0 + 1, 1, tzinfo=dt.UTC).timestamp()) * 1000
        ticks.append((ms, f"T{month0 + 1}/{year}"))
    return sorted(ticks)


def drawn_ticks(ticks: list[tuple], top: float | None = None) -> list:
    """Where a time series' axis draws its tick marks (``ticks``: :func:`month_ticks`) or grid
    lines (``ticks``: :func:`value_ticks`, ``top`` its top): at those of the labelled ticks
    that Vega's axis keeps (:func:`_vega_ticks`): the months thinned to the axis' tick count,
    ``ceil(width / 40)`` (its other limit, one tick per 31 days of the domain and one more,
    never binds: the ticks are a month or more apart and the domain runs from the first, or
    earlier, to a month after the last); every value in the scale's range (the value axis'
    tick count is the number of ticks, :func:`_value_y`: each label has its grid line)."""
    if top is None:
        return _vega_ticks([ms for ms, _ in ticks], math.ceil(PLOT_WIDTH / 40))
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
    y_max = _number(figure.options.get("y_max"))
    keys = _value_keys(figure)
    if y_max is not None and y_max > 0:
        top = y_max
    else:
        values: list[float] = []
        if figure.kind == "stacked":
            sums: dict[Any, float] = {}
            for row in figure.rows:
                total = sum(v for k in keys if (v := _number(row.get(k))) is not None and v > 0)
                x = row.get(figure.x)
                sums[x] = sums.get(x, 0.0) + total
            values = list(sums.values())
        else:
            values = [
                v for row in figure.rows for k in keys if (v := _number(row.get(k))) is not None
            ]
        rule = _number(figure.options.get("rule"))
        if figure.kind == "days_vs_limit" and rule is not None:
            values.append(rule)
        top = max([v for v in values if math.isfinite(v)] or [0.0])
        if top <= 0:
            top = 1.0
    step = _tick_step(top)
    if y_max is None or y_max <= 0:
        top = math.ceil(top / step - 1e-9) * step
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    kind = _value_fmt(figure)
    ticks = []
    for i in range(int(round(top / step)) + 1):
        value = round(i * step, decimals)
        label = fmt.number(value, decimals) if value else "0"
        ticks.append((value, label + "%" if kind == "pct" else label))
    return round(top, decimals), ticks


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


def _wrap_expr(ref: str) -> str:
    """The Vega expression of :func:`wrap_label`."""
    half = f"lastindexof(substring({ref}, 0, ceil(length({ref}) / 2) + 2), ' ')"
    return (
        f"length({ref}) > 12 && {half} > 0 ? substring({ref}, 0, {half}) + '\\n' + "
        f"substring({ref}, {half} + 1) : {ref}"
    )


def wrap_label(text: str) -> str:
    """A category label under a vertical bar: on two lines when long, at the last space before
    its middle (and the same in the Vega expression :func:`_wrap_expr`)."""
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
        right = 32 if _is_period_axis(figure) else 6
        bottom = 6
    elif figure.kind == "group_scores" or figure.options.get("horizontal"):
        left = max([text_width(c) for c in _categories(figure)] or [0]) + 10
    else:  # vertical bars: labels under the bars, maybe on two lines
        bottom = 6 + (LINE_HEIGHT if any("\n" in wrap_label(c) for c in _categories(figure)) else 0)
    return {"left": math.ceil(left), "right": right, "bottom": bottom}


# --------------------------------------------------------------------------------------------
# The chart of each kind (Altair), defined once, compiled once per shape


def _series_field(figure: Figure) -> str | None:
    return "_series" if figure.options.get("fold") else figure.series


def _value_field(figure: Figure) -> str:
    return "_value" if figure.options.get("fold") else figure.y


def _series_domain(figure: Figure) -> list[str] | None:
    """The series in display order: ``fold``, ``series_order``, ``order`` for the time series
    (where it can only be about series), or else as they first appear in the rows (part of
    the template's shape then)."""
    fold = figure.options.get("fold")
    if fold:
        return [str(v) for v in fold.values()]
    if not figure.series:
        return None
    order = figure.options.get("series_order")
    if order is None and figure.kind in TIME_KINDS:
        order = figure.options.get("order")
    if order is None:
        seen = {
            str(r.get(figure.series)): None for r in figure.rows if r.get(figure.series) is not None
        }
        order = list(seen)
    return [str(v) for v in order]


def _series_style(figure: Figure) -> list[tuple[str, str, str]]:
    """(series, colour, point shape) in display order."""
    colors = figure.options.get("colors") or {}
    return [
        (v, colors.get(v, PALETTE[i % len(PALETTE)]), SHAPES[i % len(SHAPES)])
        for i, v in enumerate(_series_domain(figure) or [])
    ]


def _color(figure: Figure, field_name: str):
    """Series colours (no Vega legend: see :func:`_legend_layers`)."""
    import altair as alt

    style = _series_style(figure) or [("", PRIMARY, "")]
    scale = alt.Scale(domain=[s for s, _, _ in style], range=[c for _, c, _ in style])
    return alt.Color(f"{field_name}:N", scale=scale, legend=None)


def _shape_enc(figure: Figure, field_name: str):
    """Point shapes repeat the colours, for readers who do not tell the colours apart."""
    import altair as alt

    style = _series_style(figure) or [("", PRIMARY, "circle")]
    scale = alt.Scale(domain=[s for s, _, _ in style], range=[m for _, _, m in style])
    return alt.Shape(f"{field_name}:N", scale=scale, legend=None)


def _text(chart, **kw):
    """A text mark in the charts' font and size."""
    kw.setdefault("fontSize", FONT_SIZE)
    kw.setdefault("color", TEXT)
    return chart.mark_text(**kw)


def _legend_layers(figure: Figure, symbol: str | None = None) -> list:
    """A one-line legend above the plot, as marks at places computed here; and the statutory
    limit's dashed line with its label (days_vs_limit)."""
    import altair as alt

    style = _series_style(figure) if _series_field(figure) else []
    if len(style) == 1 and figure.kind != "days_vs_limit":
        style = []  # one series: the title says what it is
    entries, x = [], 0
    for label, color, shape in style:
        entries.append({"label": label, "x": x, "color": color, "shape": symbol or shape})
        x += round(text_width(label)) + 36
    layers = []
    y = alt.value(LEGEND_Y)
    if entries:
        base = alt.Chart(alt.Data(values=entries))
        pos = {"x": alt.X("x:Q", scale=None, axis=None), "y": y}
        layers.append(
            base.mark_point(filled=True, size=80, opacity=1, strokeWidth=0).encode(
                color=alt.Color("color:N", scale=None),
                shape=alt.Shape("shape:N", scale=None),
                **pos,
            )
        )
        layers.append(
            _text(base, align="left", baseline="middle", dx=9).encode(text="label:N", **pos)
        )
    if figure.kind == "days_vs_limit" and figure.options.get("rule") is not None:
        limit = alt.Chart(alt.Data(name="mb_rule"))
        layers.append(
            limit.mark_rule(color=RULE_COLOR, strokeDash=[6, 4], strokeWidth=1.5).encode(
                x=alt.value(x - 8), x2=alt.value(x + 14), y=y
            )
        )
        layers.append(
            _text(limit, align="left", baseline="middle", dx=x + 20, color=RULE_COLOR).encode(
                x=alt.value(0), y=y, text="label:N"
            )
        )
    return layers


def _base(figure: Figure):
    """The figure's data (named; filled in per figure) with the fold, month and tooltip fields."""
    import altair as alt

    chart = alt.Chart(alt.Data(name=_DATA))
    fold = figure.options.get("fold")
    if fold:
        mapping = ", ".join(f"{_lit(k)}: {_lit(str(v))}" for k, v in fold.items())
        chart = chart.transform_fold(list(fold), as_=["_key", "_value"]).transform_calculate(
            _series=f"{{{mapping}}}[datum._key]"
        )
    if _is_period_axis(figure):
        ref = _datum(figure.x)
        chart = chart.transform_calculate(
            _month=f"utc(toNumber(substring({ref}, 0, 4)), toNumber(substring({ref}, 5, 7)) - 1, 1)"
        )
    calcs = {
        f"_tt{i}": _vega_format_expr(_datum(col.key), col.fmt)
        for i, col in enumerate(figure.columns)
    }
    return chart.transform_calculate(**calcs)


def _tooltip(figure: Figure) -> list:
    """Tooltips: every column, under its Vietnamese header, formatted the Vietnamese way."""
    import altair as alt

    return [alt.Tooltip(f"_tt{i}:N", title=col.header) for i, col in enumerate(figure.columns)]


def _time_x(figure: Figure):
    """The month axis: ticks at the labelled months; the labels are text marks."""
    import altair as alt

    if not _is_period_axis(figure):
        return alt.X(f"{figure.x}:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    return alt.X(
        "_month:T",
        timeUnit="utcyearmonth",
        title=None,
        axis=alt.Axis(values=alt.ExprRef(_P_MONTH_TICKS), labels=False, grid=False, tickSize=4),
    )


def _value_y(figure: Figure, *, stack=None):
    """The value axis of time series: 0 to a top computed here, grid lines at the ticks, at
    every one of them (Vega thins an axis' ``values`` down to its tick count, by default
    ``ceil(height / 40)``: the count is the number of ticks)."""
    import altair as alt

    return alt.Y(
        f"{_value_field(figure)}:Q",
        title=None,
        stack=stack,
        scale=alt.Scale(domainMin=0, domainMax=alt.ExprRef(_P_VALUE_MAX), nice=False, zero=True),
        axis=alt.Axis(
            values=alt.ExprRef(_P_VALUE_TICKS),
            tickCount=alt.ExprRef(_P_VALUE_COUNT),
            labels=False,
            ticks=False,
            domain=False,
            grid=True,
        ),
    )


def _axis_labels(figure: Figure, *, band: float) -> list:
    """The labels of a time series' axes as text marks: months under the plot (T3/2026),
    values left of it (96,5%, 21.969), and the y title above them."""
    import altair as alt

    layers = []
    if _is_period_axis(figure):
        layers.append(
            _text(alt.Chart(alt.Data(name="mb_months")), baseline="top", dy=7, color=MUTED).encode(
                x=alt.X("_month:T", timeUnit="utcyearmonth", bandPosition=band),
                y=alt.value("height"),
                text="label:N",
            )
        )
    layers.append(
        _text(
            alt.Chart(alt.Data(name="mb_values")),
            align="right",
            baseline="middle",
            dx=-6,
            color=MUTED,
        ).encode(y=alt.Y("value:Q"), x=alt.value(0), text="label:N")
    )
    title = figure.options.get("y_title")
    if title:
        layers.append(
            _text(
                alt.Chart(alt.Data(values=[{"title": str(title)}])),
                align="right",
                baseline="bottom",
                dx=-6,
                color=MUTED,
            ).encode(x=alt.value(0), y=alt.value(TITLE_Y), text="title:N")
        )
    return layers


def _layered(figure: Figure, layers: list, symbol: str | None = None):
    import altair as alt

    layers = [*layers, *_legend_layers(figure, symbol)]
    if figure.kind in TIME_KINDS:
        layers += _axis_labels(figure, band=0.5 if figure.kind == "stacked" else 0)
    return alt.layer(*layers, data=alt.Data(name=_DATA))


def _category_labels(figure: Figure, base, channel, *, horizontal: bool):
    """Category labels as text marks: left of horizontal bars, under vertical ones (``base``:
    the chart's data with the same transforms as its other layers, see :func:`_pack`)."""
    import altair as alt

    if horizontal:
        return _text(base, align="right", baseline="middle", dx=-8).encode(
            y=channel, x=alt.value(0), text=alt.Text(f"{figure.x}:N")
        )
    wrapped = base.transform_calculate(_cat=_wrap_expr(_datum(figure.x)))
    return _text(
        wrapped, align="center", baseline="top", dy=7, lineBreak="\n", lineHeight=LINE_HEIGHT
    ).encode(x=channel, y=alt.value("height"), text="_cat:N")


def chart_group_scores(figure: Figure):
    """Horizontal bars: each group's score over a light bar of its maximum, labelled 12,5/18;
    a group without a score says so ("không đánh giá") instead of showing 0."""
    import altair as alt

    tips = _tooltip(figure)
    max_key = figure.options.get("max_key")
    y = alt.Y(f"{figure.x}:N", title=None, sort=figure.options.get("order") or None, axis=None)
    xscale = alt.Scale(domainMin=0, nice=False, rangeMax=alt.ExprRef(f"width - {LABEL_ROOM}"))
    ref = _datum(figure.y)
    label = f"isValid({ref}) && isFinite({ref}) ? format({ref}, ',.2~f')"
    if max_key:
        label += f" + '/' + format({_datum(max_key)}, ',.2~f')"
    label += f" : '{NOT_ASSESSED}'"
    base = _base(figure).transform_calculate(_label=label)
    layers = []
    if max_key:
        layers.append(
            base.mark_bar(
                color=MAX_BAR, stroke=MAX_BAR_STROKE, strokeWidth=0.75, height={"band": 0.66}
            ).encode(y=y, x=alt.X(f"{max_key}:Q", scale=xscale, axis=None), tooltip=tips)
        )
    layers.append(
        base.mark_bar(color=PRIMARY, height={"band": 0.66}).encode(
            y=y, x=alt.X(f"{figure.y}:Q", scale=xscale, axis=None), tooltip=tips
        )
    )
    layers.append(
        _text(base, align="right", baseline="middle", fontSize=13, fontWeight="bold").encode(
            y=y, x=alt.value("width"), text="_label:N"
        )
    )
    layers.append(_category_labels(figure, base, y, horizontal=True))
    return alt.layer(*layers, data=alt.Data(name=_DATA)).properties(
        width=LABELLED_WIDTH, height=alt.Step(BAR_STEP)
    )


def _line_layers(figure: Figure) -> list:
    """Lines with a point per month; a NULL breaks the line and has no point (an empty rate
    is not a zero)."""
    series = _series_field(figure)
    x, y = _time_x(figure), _value_y(figure)
    base = _base(figure)
    if series:
        line_enc = {"color": _color(figure, series), "detail": f"{series}:N"}
        point_enc = {"color": _color(figure, series), "shape": _shape_enc(figure, series)}
        const = {}
    else:
        line_enc, point_enc, const = {}, {}, {"color": PRIMARY}
    line = base.mark_line(
        strokeWidth=2.25, invalid="break-paths-show-path-domains", **const
    ).encode(x=x, y=y, **line_enc)
    points = base.mark_point(
        filled=True, size=42, opacity=1, strokeWidth=0, invalid="filter", **const
    ).encode(x=x, y=y, tooltip=_tooltip(figure), **point_enc)
    return [line, points]


def chart_trend(figure: Figure):
    """Lines with points over months, one per series (e.g. total_100 and on-time %)."""
    return _layered(figure, _line_layers(figure)).properties(width=PLOT_WIDTH, height=HEIGHT)


def chart_stacked(figure: Figure):
    """Stacked bars per month (e.g. dossiers received online / direct / by post)."""
    import altair as alt

    series = _series_field(figure)
    domain = _series_domain(figure)
    base = _base(figure)
    enc: dict[str, Any] = {
        "x": _time_x(figure),
        "y": _value_y(figure, stack="zero"),
        "tooltip": _tooltip(figure),
    }
    if series:
        enc["color"] = _color(figure, series)
        if domain:
            expr = f"indexof({_lit(domain)}, {_datum(series)})"
            base = base.transform_calculate(_order=expr)
            enc["order"] = alt.Order("_order:Q", sort="ascending")
        bars = base.mark_bar(stroke="#FFFFFF", strokeWidth=0.75, width={"band": 0.78})
    else:
        bars = base.mark_bar(color=PRIMARY, width={"band": 0.78})
    return _layered(figure, [bars.encode(**enc)], "square").properties(
        width=PLOT_WIDTH, height=HEIGHT
    )


def chart_bars(figure: Figure):
    """Bars per category (open dossiers by age, ratings 1–5), each labelled with its value."""
    import altair as alt

    horizontal = bool(figure.options.get("horizontal"))
    colors = figure.options.get("colors")
    series = figure.series
    label = _vega_format_expr(_datum(figure.y), _fmt_of(figure, figure.y))
    base = _base(figure).transform_calculate(_label=label)
    y_max = _number(figure.options.get("y_max"))
    scale: dict[str, Any] = {"domainMin": 0, "zero": True}
    if y_max is not None:
        scale["domainMax"] = y_max
        scale["nice"] = False
    # Room for the value labels beyond the longest bar, inside the plot.
    scale["rangeMax"] = alt.ExprRef(f"width - {VALUE_ROOM}") if horizontal else 18
    cat = f"{figure.x}:N"
    sort = figure.options.get("order") or None
    cat_axis = alt.Axis(labels=False, ticks=False, domainColor=DOMAIN, title=None)
    # The bars carry their values: no value axis.
    val = alt.X if horizontal else alt.Y
    enc: dict[str, Any] = {
        ("y" if horizontal else "x"): (alt.Y if horizontal else alt.X)(
            cat, sort=sort, axis=cat_axis
        ),
        ("x" if horizontal else "y"): val(
            f"{figure.y}:Q", title=None, scale=alt.Scale(**scale), axis=None
        ),
    }
    if series:
        offset = alt.YOffset if horizontal else alt.XOffset
        enc["yOffset" if horizontal else "xOffset"] = offset(
            f"{series}:N", sort=_series_domain(figure)
        )
    text_enc = dict(enc)
    if series:
        enc["color"] = _color(figure, series)
        bar_kw: dict[str, Any] = {}
    elif colors:
        enc["color"] = alt.Color(
            cat, scale=alt.Scale(domain=list(colors), range=list(colors.values())), legend=None
        )
        bar_kw = {}
    else:
        bar_kw = {"color": PRIMARY}
    size = {"height": {"band": 0.7}} if horizontal else {"width": {"band": 0.7}}
    bars = base.mark_bar(**bar_kw, **size).encode(tooltip=_tooltip(figure), **enc)
    text_kw = (
        {"align": "left", "baseline": "middle", "dx": 4}
        if horizontal
        else {"align": "center", "baseline": "bottom", "dy": -3}
    )
    values = _text(base, **text_kw).encode(text="_label:N", **text_enc)
    cats = _category_labels(figure, base, enc["y" if horizontal else "x"], horizontal=horizontal)
    chart = _layered(figure, [bars, values, cats], "square")
    if horizontal:
        return chart.properties(width=LABELLED_WIDTH, height=alt.Step(BAR_STEP))
    return chart.properties(width=PLOT_WIDTH, height=BARS_HEIGHT)


def chart_days_vs_limit(figure: Figure):
    """Median and 90th-percentile processing days per month as lines, and the statutory limit
    as a dashed line (named in the legend line: it never collides with the data)."""
    import altair as alt

    layers = _line_layers(figure)
    if figure.options.get("rule") is not None:
        layers.append(
            alt.Chart(alt.Data(name="mb_rule"))
            .mark_rule(color=RULE_COLOR, strokeDash=[6, 4], strokeWidth=1.5)
            .encode(y="rule:Q")
        )
    return _layered(figure, layers).properties(width=PLOT_WIDTH, height=HEIGHT)


BUILDERS = {
    "group_scores": chart_group_scores,
    "trend": chart_trend,
    "stacked": chart_stacked,
    "bars": chart_bars,
    "days_vs_limit": chart_days_vs_limit,
}

CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    # The SVG is one image named by its description; the numbers are in the table beside it.
    "mark": {"aria": False},
    "axis": {"gridColor": GRID, "domainColor": DOMAIN, "tickColor": DOMAIN, "aria": False},
}


def build_chart(figure: Figure):
    """The Altair chart of a figure: its data named ``mb`` (filled in per figure), its per-figure
    layout (ticks, top of the value axis) as placeholders."""
    if figure.kind not in BUILDERS:
        raise ValueError(f"unknown chart kind {figure.kind!r} (figure {figure.id!r})")
    return (
        BUILDERS[figure.kind](figure)
        .properties(
            description=_P_DESC, autosize=AUTOSIZE, background="transparent", padding=PADDING
        )
        .configure(**CONFIG)
    )


# --------------------------------------------------------------------------------------------
# Templates: one per shape


def _shape(figure: Figure) -> tuple:
    """What the template depends on (not the rows, the title, or the rule's value)."""
    opts = {k: v for k, v in figure.options.items() if k not in ("rule", "rule_label")}
    return (
        figure.kind,
        figure.x,
        figure.y,
        figure.series,
        json.dumps(opts, sort_keys=True, ensure_ascii=False, default=str),
        tuple(_series_domain(figure) or ()),
        tuple((c.key, c.header, c.fmt) for c in figure.columns),
        figure.options.get("rule") is not None,
    )


def _coded_keys(figure: Figure) -> list[str]:
    """The data keys that are not numbers (names, periods): in the interactive spec, stored as
    their distinct values and each row's index in them (long-form rows repeat them)."""
    return [
        key
        for key in _data_keys(figure)
        if _fmt_of(figure, key, "text" if key in (figure.x, figure.series) else "num")
        not in NUMERIC_FMTS
    ]


def data_columns(figure: Figure) -> list[dict]:
    """The figure's data as the interactive spec holds it (the value of :data:`_P_COLUMNS`):
    one object with a list per key, in row order (Vega-Lite's ``flatten`` makes the rows);
    a key of :func:`_coded_keys` lists indices into its distinct values, kept in ``_dict``
    (``{"period": [0, 0, 1], "series": [0, 1, 0], "value": [70, 96.57, 71],
    "_dict": {"period": ["2025-01", "2025-02"], "series": ["Tổng điểm", "Đúng hạn"]}}``)."""
    rows = data_values(figure)
    coded = set(_coded_keys(figure))
    columns: dict[str, Any] = {}
    dicts: dict[str, list] = {}
    for key in _data_keys(figure):
        values = [row[key] for row in rows]
        if key in coded:
            index: dict[tuple, int] = {}
            for value in values:
                index.setdefault((type(value), value), len(index))
            columns[key] = [index[(type(value), value)] for value in values]
            dicts[key] = [value for _, value in index]
        else:
            columns[key] = values
    if dicts:
        columns["_dict"] = dicts
    return [columns]


def _pack(spec: dict, figure: Figure) -> dict:
    """The interactive spec, small (it is downloaded, one per chart): the figure's data once,
    at the top, as columns (:func:`data_columns`) that the top-level transforms turn back
    into rows, followed by the transforms every layer of that data shares (tooltip texts,
    months, fold); the other data inline, or in ``datasets`` when several layers use it (the
    legend's entries, the statutory limit). The charts drawn are the same."""
    spec = json.loads(json.dumps(spec))
    layers = spec.get("layer")
    if spec.get("data") != {"name": _DATA} or "transform" in spec or not layers:
        raise AssertionError(f"unexpected layout of the {figure.kind} chart")
    mine = [layer for layer in layers if layer.get("data") == {"name": _DATA}]
    chains = [layer.get("transform", []) for layer in mine]
    shared = 0
    while all(len(c) > shared and c[shared] == chains[0][shared] for c in chains):
        shared += 1
    for layer in mine:
        del layer["data"]  # inherited from the top
        rest = layer.pop("transform", [])[shared:]
        if rest:
            layer["transform"] = rest
    decode = [
        {"calculate": f"datum._dict[{_lit(k)}][{_datum(k)}]", "as": k} for k in _coded_keys(figure)
    ]
    spec["data"] = {"values": _P_COLUMNS}
    spec["transform"] = [{"flatten": _data_keys(figure)}, *decode, *chains[0][:shared]]
    uses: dict[str, int] = {}
    for layer in layers:
        if "layer" in layer or (layer.get("data") or {}).keys() - {"name", "values"}:
            raise AssertionError(f"unexpected layer in the {figure.kind} chart")
        if "data" in layer:
            text = _compact(layer["data"])
            uses[text] = uses.get(text, 0) + 1
    datasets: dict[str, Any] = {}
    names: dict[str, str] = {}
    for layer in layers:
        data = layer.get("data")
        if data is None:
            continue
        text = _compact(data)
        name = data.get("name")
        if uses[text] == 1:
            if name is not None:
                layer["data"] = {"values": _NAMED_DATA[name]}
            continue
        if text not in names:
            names[text] = name or f"mb_{len(names)}"
            datasets[names[text]] = _NAMED_DATA[name] if name else data["values"]
        layer["data"] = {"name": names[text]}
    if datasets:
        spec["datasets"] = datasets
    return spec


def _without_tooltips(spec: Any) -> Any:
    """The static variant draws no tooltips: no tooltip encodings, nor their texts."""
    if isinstance(spec, dict):
        out = {k: _without_tooltips(v) for k, v in spec.items() if k != "tooltip"}
        if isinstance(spec.get("transform"), list):
            out["transform"] = [
                t for t in out["transform"] if not str(t.get("as", "")).startswith("_tt")
            ]
            if not out["transform"]:
                del out["transform"]
        return out
    if isinstance(spec, list):
        return [_without_tooltips(v) for v in spec]
    return spec


def _drawn_axes(vega: dict) -> dict:
    """Vega without the axes that draw nothing (Vega-Lite splits an axis with grid lines into
    a grid axis and one with nothing left to draw): each costs render time, and leaves an
    empty group in the SVG."""
    axes = [
        axis
        for axis in vega.get("axes", [])
        if axis.get("grid")
        or axis.get("title")
        or any(axis.get(part, True) is not False for part in ("labels", "ticks", "domain"))
    ]
    return {**vega, "axes": axes} if axes else {k: v for k, v in vega.items() if k != "axes"}


# Vega's axis defaults (its config) where the static template draws an axis as rule marks.
_TICK_SIZE = 5
# Axis properties :func:`_axes_as_rules` draws the same (the labels' are moot: none are shown).
_RULE_AXIS_KEYS = frozenset(
    {
        "scale",
        "orient",
        "grid",
        "gridScale",
        "values",
        "tickCount",
        "tickMinStep",
        "tickSize",
        "ticks",
        "domain",
        "domainColor",
        "labels",
        "aria",
        "maxExtent",
        "minExtent",
        "zindex",
        "format",
        "labelFlush",
        "labelOverlap",
        "labelAlign",
        "labelAngle",
        "labelBaseline",
    }
)
# The tick count (a signal) of the axes whose ticks :func:`drawn_ticks` keeps the same way: the
# months thinned to ``ceil(width / 40)`` (:func:`_vega_ticks`), every value (:func:`_value_y`).
_TICK_COUNTS = {"left": _P_VALUE_COUNT, "bottom": "ceil(width/40)"}


def _vega_ticks(values: list, count: int) -> list:
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


# A rule 1 px wide, like an axis' lines. The width is the string "1px" (the same width in
# SVG): Vega finds no number in it to widen the rule's bounds by, and the bounds (NaN) leave
# the chart's size alone, as the lines of an axis do (with a number, the lines that end half a
# pixel past the plot would widen the SVG by 1 or 2 px).
_RULE_STYLE = {"strokeWidth": {"value": "1px"}, "opacity": {"value": 1}}


def _axis_lines(figure: Figure) -> list[dict]:
    """The lines of a time series' axes in the static template, in the order Vega's axes draw
    them: the grid lines (``{"g": value}``), the month ticks (``{"t": ms}``), the domain line
    (``{}``); only at the ticks Vega's axes keep (:func:`drawn_ticks`)."""
    top, ticks = value_ticks(figure)
    lines = [{"g": v} for v in drawn_ticks(ticks, top)]
    lines += [{"t": ms} for ms in drawn_ticks(month_ticks(figure))]
    return [*lines, {}]


def _axes_as_rules(vega: dict) -> dict:
    """Vega with its axes drawn by one rule mark (an axis costs about 1 ms to render, the
    mark a fraction of that), under the other marks as axes are: an axis' grid lines, tick
    marks and domain line at the same places (ticks rounded like ``tickRound``, all offset by
    half a pixel like an axis' ``translate``), in the same colours and widths, without
    changing the chart's size (:data:`_RULE_STYLE`): the same picture. Two layouts: a time
    series' (grid lines of the values, ticks of the months and the domain line under the
    plot; per figure, :func:`_axis_lines`), and one axis drawing only its domain line (bars).
    Any other axes stay as they are."""
    axes = vega.get("axes", [])
    config = vega.get("config", {})
    if not axes or config.get("axis") != CONFIG["axis"]:
        return vega
    if any(k.startswith("axis") and k != "axis" for k in config):
        return vega
    parts = []
    for axis in axes:
        if (
            axis.keys() - _RULE_AXIS_KEYS
            or axis.get("labels") is not False
            or axis.get("zindex", 0) != 0
            or axis.get("orient") not in _TICK_COUNTS
        ):
            return vega
        drawn = {p for p in ("grid", "ticks", "domain") if axis.get(p, p != "grid")}
        values = axis.get("values")
        token = values.get("signal") if isinstance(values, dict) and drawn != {"domain"} else None
        count = axis.get("tickCount") == {"signal": _TICK_COUNTS[axis["orient"]]}
        parts.append((axis["orient"], frozenset(drawn), token if count else None))
    colors = CONFIG["axis"]
    if [(orient, drawn) for orient, drawn, _ in parts] in (
        [("bottom", {"domain"})],
        [("left", {"domain"})],
    ):
        along = {"scale": axes[0]["scale"], "offset": 0.5}
        if parts[0][0] == "bottom":
            encode = {"x": {**along, "range": 0}, "x2": {**along, "range": 1}}
            encode["y"] = {"signal": "height + 0.5"}
        else:
            encode = {"y": {**along, "range": 0}, "y2": {**along, "range": 1}}
            encode["x"] = {"value": 0.5}
        stroke = axes[0].get("domainColor", colors["domainColor"])
        mark = {"type": "rule", "aria": False}
        mark["encode"] = {"update": {**encode, "stroke": {"value": stroke}, **_RULE_STYLE}}
        data = []
    elif (
        parts
        == [
            ("left", {"grid"}, _P_VALUE_TICKS),
            ("bottom", {"ticks", "domain"}, _P_MONTH_TICKS),
        ]
        and axes[0].get("gridScale") == axes[1]["scale"]
    ):
        y, x = _lit(axes[0]["scale"]), _lit(axes[1]["scale"])
        scales = {s["name"]: s.get("type") for s in vega.get("scales", [])}
        if {scales.get(axes[0]["scale"]), scales.get(axes[1]["scale"])} & {"band", "point"}:
            return vega  # ticks mid-band
        tick = f"round(scale({x}, datum.t)) + 0.5"
        size = axes[1].get("tickSize", _TICK_SIZE)
        strokes = (
            _lit(colors["gridColor"]),
            _lit(colors["tickColor"]),
            _lit(colors["domainColor"]),
        )
        encode = {
            "x": {"signal": f"datum.t != null ? {tick} : range({x})[0] + 0.5"},
            "x2": {"signal": f"datum.t != null ? null : peek(range({x})) + 0.5"},
            "y": {"signal": f"datum.g != null ? round(scale({y}, datum.g)) + 0.5 : height + 0.5"},
            "y2": {"signal": f"datum.t != null ? height + {_lit(0.5 + size)} : null"},
            "stroke": {
                "signal": f"datum.g != null ? {strokes[0]} : datum.t != null ? {strokes[1]} "
                f": {strokes[2]}"
            },
        }
        mark = {"type": "rule", "aria": False, "from": {"data": "mb_axis_lines"}}
        mark["encode"] = {"update": {**encode, **_RULE_STYLE}}
        data = [{"name": "mb_axis_lines", "values": _P_AXIS_LINES}]
    else:
        return vega
    out = {k: v for k, v in vega.items() if k != "axes"}
    out["data"] = [*vega.get("data", []), *data]
    out["marks"] = [mark, *vega.get("marks", [])]
    return out


def _hollow_text(spec: Any) -> Any:
    """The static variant: every text mark draws "" and carries its text as its description
    (vl-convert then measures nothing; :func:`_fill_text` puts the text back)."""
    if isinstance(spec, dict):
        mark = spec.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if kind == "text" and "text" in spec.get("encoding", {}):
            enc = dict(spec["encoding"])
            enc["description"] = enc.pop("text")
            enc["text"] = {"value": ""}
            mark = dict(mark) if isinstance(mark, dict) else {"type": "text"}
            mark["aria"] = True
            return {**spec, "mark": mark, "encoding": enc}
        return {k: _hollow_text(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_hollow_text(v) for v in spec]
    return spec


@dataclass(frozen=True)
class Template:
    vegalite: str  # the interactive spec: JSON text with placeholders
    vega: str  # the static SVG's Vega spec: JSON text with placeholders


_templates: dict[tuple, Template] = {}


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def template(figure: Figure) -> Template:
    """The templates of the figure's shape (built on first use, then cached)."""
    key = _shape(figure)
    found = _templates.get(key)
    if found is None:
        import altair
        import vl_convert as vlc

        vl = build_chart(figure).to_dict()
        vl.pop("$schema", None)
        vl = {"$schema": altair.SCHEMA_URL, **vl}
        view = vl.get("config", {}).get("view", {})
        for name in ("continuousWidth", "continuousHeight"):  # Altair's; every size is set
            view.pop(name, None)
        static = _hollow_text(_without_tooltips(vl))
        vg = _drawn_axes(vlc.vegalite_to_vega(static, vl_version=_vl_version(altair)))
        vg["padding"] = {"top": PADDING["top"], **_P_PAD}
        vg["data"] = [
            dict(d, values=_NAMED_DATA[d["name"]])
            if d.get("name") in _NAMED_DATA and "values" not in d
            else d
            for d in vg.get("data", [])
        ]
        vl_text, vg_text = _json_dumps(_pack(vl, figure)), _compact(vg)
        for text, data in ((vl_text, _P_COLUMNS), (vg_text, _NAMED_DATA[_DATA])):
            if f'"{data}"' not in text or f'"{_P_DESC}"' not in text:
                raise AssertionError(f"the template of {figure.kind} lost a placeholder")
        vl_tokens = {a or b for a, b in _PLACEHOLDER_RE.findall(vl_text)} - {_P_COLUMNS}
        vg_tokens = {a or b for a, b in _PLACEHOLDER_RE.findall(vg_text)}
        if not vl_tokens <= vg_tokens:
            raise AssertionError(f"Vega lost placeholders {vl_tokens - vg_tokens}")
        vg_text = _compact(_axes_as_rules(vg))
        found = _templates[key] = Template(vl_text, vg_text)
    return found


def _values(figure: Figure, tokens: set[str]) -> dict[str, Any]:
    """The per-figure values of the placeholders found in a template."""
    out: dict[str, Any] = {_P_DESC: figure.title}
    if _NAMED_DATA[_DATA] in tokens:
        out[_NAMED_DATA[_DATA]] = data_values(figure)
    if _P_COLUMNS in tokens:
        out[_P_COLUMNS] = data_columns(figure)
    if "__mb_rule__" in tokens:
        out["__mb_rule__"] = _rule_values(figure)
    if tokens & {"__mb_months__", _P_MONTH_TICKS}:
        months = month_ticks(figure)
        out["__mb_months__"] = [{"_month": ms, "label": label} for ms, label in months]
        out[_P_MONTH_TICKS] = [ms for ms, _ in months]
    if tokens & {"__mb_value_ticks__", _P_VALUE_TICKS, _P_VALUE_COUNT, _P_VALUE_MAX}:
        top, ticks = value_ticks(figure)
        out["__mb_value_ticks__"] = [{"value": v, "label": label} for v, label in ticks]
        out[_P_VALUE_TICKS] = [v for v, _ in ticks]
        out[_P_VALUE_COUNT] = len(ticks)
        out[_P_VALUE_MAX] = top
    if _P_AXIS_LINES in tokens:
        out[_P_AXIS_LINES] = _axis_lines(figure)
    if _P_PAD["left"] in tokens:
        out.update({_P_PAD[side]: n for side, n in static_padding(figure).items()})
    return out


@lru_cache(maxsize=256)
def _tokens(text: str) -> frozenset[str]:
    """The placeholders of a template (templates are few: computed once each)."""
    return frozenset(a or b for a, b in _PLACEHOLDER_RE.findall(text))


def _fill(text: str, figure: Figure, dumps=_compact, values: dict | None = None) -> str:
    """The template ``text`` with the figure's values; ``values`` (from :func:`_values` for
    these placeholders or more) saves computing them again for a second template."""
    tokens = _tokens(text)
    if values is None:
        values = _values(figure, set(tokens))
    dumped = {k: dumps(values[k]) for k in tokens}
    return _PLACEHOLDER_RE.sub(lambda m: dumped[m.group(1) or m.group(2)], text)


def vegalite_spec(figure: Figure) -> str:
    """The figure's Vega-Lite spec (JSON text, data inline): what ``<id>.vl.json`` holds."""
    return _fill(template(figure).vegalite, figure, _json_dumps)


# --------------------------------------------------------------------------------------------
# Rendering (in the workers)


@lru_cache(maxsize=1)
def _locale() -> dict:
    return json.loads(LOCALE_FILE.read_text(encoding="utf-8"))


_SVG_ID_RE = re.compile(r'\bid="([^"]+)"')
_HOLLOW_RE = re.compile(
    r'<text aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="text mark"'
    r"([^>]*?)(?:/>|></text>)"
)
_NEWLINE_RE = re.compile(r"&#(?:xA|xa|10);|\n")
_GROUP_ARIA_RE = re.compile(r' role="graphics-object" aria-roledescription="[^"]*"')


def _fill_text(match: re.Match) -> str:
    text, attrs = match.group(1), match.group(2)
    lines = _NEWLINE_RE.split(text)
    if len(lines) == 1:
        return f"<text{attrs}>{text}</text>"
    tspans = "".join(
        f'<tspan x="0" dy="{LINE_HEIGHT}">{line}</tspan>' if i else f"<tspan>{line}</tspan>"
        for i, line in enumerate(lines)
    )
    return f"<text{attrs}>{tspans}</text>"


@lru_cache(maxsize=256)
def _vega_svg(vega_text: str) -> str:
    """vl-convert's SVG of a filled Vega template. Figures often repeat one (the same numbers
    on several pages): each process renders it once."""
    import vl_convert as vlc

    loc = _locale()
    return vlc.vega_to_svg(vega_text, format_locale=loc["number"], time_format_locale=loc["time"])


def _svg(vega_text: str, figure_id: str, description: str) -> str:
    """The static SVG: rendered by vl-convert, texts put back, named, ids made unique."""
    svg = _vega_svg(vega_text).strip()
    if not svg.startswith("<svg "):
        raise RuntimeError(f"vl-convert returned no SVG for figure {figure_id!r}")
    # The texts (attribute-escaped by Vega, so also safe as element text).
    svg = _HOLLOW_RE.sub(_fill_text, svg)
    svg = _GROUP_ARIA_RE.sub("", svg)
    # vl-convert leaves the spec's description out of its SVG: name the image here.
    label = html.escape(description, quote=True)
    svg = f'<svg role="img" aria-label="{label}" ' + svg[5:]
    # Ids inside the SVG (clip paths, gradients) would collide with another chart's.
    for name in sorted(set(_SVG_ID_RE.findall(svg)), key=len, reverse=True):
        new = f"hinh-{figure_id}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{new}"').replace(f"url(#{name})", f"url(#{new})")
    return svg


def table_html(figure: Figure) -> str:
    """The numbers of the chart as a table, formatted the Vietnamese way (minhbach.fmt)."""
    head = "".join(
        f'<th scope="col" class="num">{html.escape(c.header)}</th>'
        if c.fmt in NUMERIC_FMTS
        else f'<th scope="col">{html.escape(c.header)}</th>'
        for c in figure.columns
    )
    body = []
    for row in figure.rows:
        cells = []
        for c in figure.columns:
            value = row.get(c.key)
            text = html.escape(format_cell(value, c.fmt))
            if c.fmt in NUMERIC_FMTS:
                cells.append(f'<td class="num">{text}</td>')
            elif c.fmt == "period" and value is not None:
                cells.append(f'<td data-sort="{html.escape(str(value))}">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def snippet(figure: Figure, svg: str) -> str:
    """The figure's HTML (the theme's ``figure.mb-chart`` contract): one raw-HTML block with
    no blank line, to put into the Markdown page with a blank line before and after."""
    fid = html.escape(figure.id)
    return (
        f'<figure class="mb-chart" id="hinh-{fid}" data-spec="{fid}.vl.json">\n'
        f'<div class="mb-chart-static" data-search-exclude>{svg}</div>\n'
        f"<figcaption><strong>{html.escape(figure.title)}</strong> "
        f"{html.escape(figure.caption)} "
        f'<a href="{fid}.csv" download>Tải số liệu (CSV)</a></figcaption>\n'
        f'<details class="mb-chart-data" data-search-exclude><summary>Bảng số liệu</summary>'
        f"{table_html(figure)}</details>\n"
        f"</figure>"
    )


def _write(path: Path, data: bytes) -> None:
    """Write unless the file already holds these bytes (keeps mtimes of unchanged files)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


def _render_one(page_dir: Path, figure: Figure, tpl: Template) -> str:
    page_dir.mkdir(parents=True, exist_ok=True)
    _write(page_dir / f"{figure.id}.csv", csv_bytes(figure))
    values = _values(figure, set(_tokens(tpl.vegalite) | _tokens(tpl.vega)))
    spec = _fill(tpl.vegalite, figure, _json_dumps, values)
    _write(page_dir / f"{figure.id}.vl.json", spec.encode())
    svg = _svg(_fill(tpl.vega, figure, _compact, values), figure.id, figure.title)
    return snippet(figure, svg)


def _check(figure: Figure) -> None:
    if not _ID_RE.match(figure.id):
        raise ValueError(f"figure id {figure.id!r} is not an ascii slug")
    if figure.kind not in BUILDERS:
        raise ValueError(f"unknown chart kind {figure.kind!r} (figure {figure.id!r})")


def render_figure(page_dir: Path, figure: Figure) -> str:
    """One figure, in this process (see :func:`render_figures`)."""
    _check(figure)
    return _render_one(Path(page_dir), figure, template(figure))


_worker_templates: dict[tuple, Template] = {}

# Signals that stop a build: the chart workers start with them blocked (a worker never dies of
# one half-started, with a traceback) and ignore Ctrl-C, which the terminal sends to the whole
# process group: the build stops its workers itself (:class:`Abort`).
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _init_worker(templates: dict[tuple, Template], build_pid: int) -> None:
    _die_with(build_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _worker_templates.update(templates)


def _die_with(build_pid: int) -> None:
    """End this worker as soon as the build process ends, however it ends (SIGKILL too).

    On Linux the kernel kills the worker when the thread that started it ends: the thread that
    runs :func:`render_figures` in the build, which outlives its pool. Elsewhere a thread
    watches the parent. A build that ended before this ran has left an orphan: it exits."""
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no usable libc: the watching thread
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != build_pid:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(build_pid,), daemon=True).start()


def _watch_parent(build_pid: int) -> None:
    while os.getppid() == build_pid:
        time.sleep(0.5)
    os._exit(1)


@contextlib.contextmanager
def _stop_signals_blocked():
    """Block the stop signals in this thread (the processes it starts inherit the mask)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (it unlinks the pool's semaphores when the build
    is killed and cannot) without its warning that it did so: the build being killed is the
    news, and the tracker writes to the build's terminal after the build is gone. The tracker
    gets the warning filter among the interpreter flags it is started with."""
    from multiprocessing import resource_tracker

    saved = list(sys.warnoptions)
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions[:] = saved


class Aborted(Exception):
    """:func:`render_figures` was stopped by its :class:`Abort`."""


class Abort:
    """Stops a :func:`render_figures` running in another thread: calling it kills the pool's
    workers at once (their files may be half written: the caller discards them), and
    render_figures raises :class:`Aborted`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: cf.ProcessPoolExecutor | None = None
        self.requested = False

    def __call__(self) -> None:
        with self._lock:
            self.requested = True
            pool = self._pool
        if pool is not None:
            _kill_workers(pool)

    def check(self) -> None:
        if self.requested:
            raise Aborted

    def _watch(self, pool: cf.ProcessPoolExecutor) -> None:
        with self._lock:
            self._pool = pool
        self.check()


def _kill_workers(pool: cf.ProcessPoolExecutor) -> None:
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    for process in dict(getattr(pool, "_processes", None) or {}).values():
        with contextlib.suppress(Exception):  # already ended
            process.kill()


def _render_chunk(chunk: list[tuple[int, str, Figure, tuple]]) -> list[tuple[int, str]]:
    return [
        (i, _render_one(Path(page_dir), figure, _worker_templates[key]))
        for i, page_dir, figure, key in chunk
    ]


CHUNK = 50  # figures per task: few round trips, yet balanced between the workers


def render_figures(
    jobs: list[tuple[Path, Figure]], *, workers: int | None = None, abort: Abort | None = None
) -> dict[tuple[Path, str], str]:
    """For every ``(page_dir, figure)``: write ``page_dir/<id>.csv`` and
    ``page_dir/<id>.vl.json``, render the static SVG, and return the figure's HTML snippet keyed
    by ``(page_dir, figure.id)`` (``page_dir`` as given).

    Rendering runs in a pool of ``workers`` processes (default ``os.cpu_count()``; spawned, so
    the caller's script needs an ``if __name__ == "__main__":`` guard); with 1, or few figures,
    in this process. The templates are built here first (Altair runs only here). The workers
    die with this process, however it ends; ``abort`` stops them from another thread.
    """
    abort = abort or Abort()
    seen: set[tuple[Path, str]] = set()
    prepared: list[tuple[int, str, Figure, tuple]] = []
    for i, (page_dir, figure) in enumerate(jobs):
        _check(figure)
        if (page_dir, figure.id) in seen:
            raise ValueError(f"figure {figure.id!r} twice in {page_dir}")
        seen.add((page_dir, figure.id))
        template(figure)
        prepared.append((i, str(page_dir), figure, _shape(figure)))
    workers = min(workers or os.cpu_count() or 1, math.ceil(len(prepared) / 10) or 1)
    result: dict[tuple[Path, str], str] = {}
    if workers <= 1:
        for i, page_dir, figure, key in prepared:
            abort.check()
            result[(jobs[i][0], figure.id)] = _render_one(Path(page_dir), figure, _templates[key])
        return result
    size = max(1, min(CHUNK, math.ceil(len(prepared) / (workers * 3))))
    chunks = [prepared[i : i + size] for i in range(0, len(prepared), size)]
    used = {key for *_, key in prepared}
    _start_resource_tracker()
    with cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=({key: _templates[key] for key in used}, os.getpid()),
    ) as pool:
        abort._watch(pool)
        with _stop_signals_blocked():  # the workers start here, as the chunks are submitted
            results = pool.map(_render_chunk, chunks)
        if abort.requested:  # while they started: the abort may have missed some
            _kill_workers(pool)
        try:
            for done in results:
                for i, html_text in done:
                    page_dir, figure = jobs[i]
                    result[(page_dir, figure.id)] = html_text
        except cf.BrokenExecutor:  # a worker was killed: by the abort?
            abort.check()
            raise
    return result
