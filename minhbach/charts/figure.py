"""The figure contract: what a page gives for each chart, and its data as the charts use it.

A page describes each chart as a :class:`Figure`: the numbers already computed by the SQL (its
``rows``), the columns of its table and CSV (:class:`Col`, each with its format), the fields of
its axes and series, and its options.

Kinds (:data:`KINDS`): ``group_scores`` (a group's score over a light bar of its maximum,
"12,5/18"), ``trend`` (lines over months), ``stacked`` (stacked bars per month), ``bars`` (bars
per category), ``days_vs_limit`` (median and 90th-percentile days per month, the statutory
limit).

Options (``Figure.options``): ``y_title``; ``y_max`` (e.g. 100); ``max_key`` (group_scores);
``rule``, ``rule_label`` (days_vs_limit); ``order`` (categories of ``bars`` and
``group_scores``; series of time series); ``series_order`` (series of ``bars``); ``colors``
({series or category: css colour}); ``fold`` ({column: series label}: wide rows, one series per
column, e.g. ``{"received_online": "Trực tuyến", …}``; ``series`` is then not needed);
``horizontal`` (``bars``).

``Figure.credit`` (:class:`Credit`): what the static SVG carries under the chart, so that a copy
or a screenshot names its source: the source, the as-of date, the licence and the chart's
address (the page builds it from the build's identity: minhbach.render.figures.chart_credit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import fmt
from .style import NARROW, WIDE, Layout

KINDS = ("group_scores", "trend", "stacked", "bars", "days_vs_limit")
TIME_KINDS = ("trend", "stacked", "days_vs_limit")


# d3-format of each column format (numbers arrive already rounded by the SQL).
D3_FORMATS = {"num": ",.0f", "pct": ",.2f", "pts": ",.2f", "days": ",.1f"}
NUMERIC_FMTS = frozenset(D3_FORMATS)

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------------------------
# The contract


@dataclass(frozen=True)
class Col:
    key: str  # key in each row dict
    header: str  # Vietnamese column header (table, tooltip)
    fmt: str = "num"  # "num" 21.969, "pct" 96,57%, "pts" 12,50, "days" 3,4, "text", "period"


@dataclass(frozen=True)
class Credit:
    """The attribution a chart carries inside its SVG (plain text; escaped where drawn)."""

    source: str  # "Nguồn: minhbach, tính từ dữ liệu một cửa của Tỉnh …"
    as_of: str  # the data's as-of date, "15/11/2026"
    licence: str  # "CC BY 4.0"
    url: str = ""  # the chart's address (page URL + "#hinh-<id>"), "" without a site URL

    def parts(self) -> list[str]:
        """The credit's phrases, in reading order (the SVG wraps them into lines)."""
        parts = [self.source, f"Số liệu đến ngày {self.as_of}", f"Giấy phép {self.licence}"]
        return parts + [self.url] if self.url else parts

    def text(self) -> str:
        """The credit on one line, its phrases apart (no full stop: one may be an address)."""
        return CREDIT_SEPARATOR.join(self.parts())


CREDIT_SEPARATOR = " · "


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
    credit: Credit | None = None  # drawn under the chart (not part of its template's shape)


# The option that draws a figure in the narrow layout (set by :func:`narrow`, never by pages).
NARROW_OPTION = "_narrow"


def layout(figure: Figure) -> Layout:
    """The sizes the figure is drawn at (minhbach.charts.style.Layout)."""
    return NARROW if figure.options.get(NARROW_OPTION) else WIDE


def is_horizontal(figure: Figure) -> bool:
    """Bars drawn across: asked for (``horizontal``), or any bars in the narrow layout (a
    phone has the width for a bar's label above it, not for several labels side by side)."""
    return figure.kind == "bars" and bool(
        figure.options.get("horizontal") or layout(figure).labels_above
    )


def narrow(figure: Figure) -> Figure:
    """The figure drawn for a phone: its own template (the option is part of its shape)."""
    return dataclasses.replace(figure, options={**figure.options, NARROW_OPTION: True})


def check_figure(figure: Figure) -> None:
    """Refuse a figure whose id is not an ascii slug or whose kind is unknown."""
    if not _ID_RE.match(figure.id):
        raise ValueError(f"figure id {figure.id!r} is not an ascii slug")
    if figure.kind not in KINDS:
        raise ValueError(f"unknown chart kind {figure.kind!r} (figure {figure.id!r})")


# --------------------------------------------------------------------------------------------
# Data: JSON values


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return json_value(value.item())
    return str(value)


def data_keys(figure: Figure) -> list[str]:
    keys = [c.key for c in figure.columns]
    extra = [figure.x, figure.y, figure.series, figure.options.get("max_key")]
    extra += list(figure.options.get("fold") or ())
    for key in extra:
        if key and key not in keys:
            keys.append(key)
    return keys


def json_dumps(value: Any) -> str:
    # "<", ">" and "&" escaped: the spec may also be inlined in a <script> element.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_values(figure: Figure) -> list[dict]:
    keys = data_keys(figure)
    return [{k: json_value(row.get(k)) for k in keys} for row in figure.rows]


def rule_values(figure: Figure) -> list[dict]:
    rule = figure.options.get("rule")
    if rule is None:
        return []
    label = figure.options.get("rule_label") or f"Thời hạn quy định: {fmt.number(rule)} ngày"
    return [{"rule": json_value(rule), "label": label}]


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --------------------------------------------------------------------------------------------
# Fields, formats and series


def column_of(figure: Figure, key: str | None) -> Col | None:
    for c in figure.columns:
        if c.key == key:
            return c
    return None


def fmt_of(figure: Figure, key: str | None, default: str = "num") -> str:
    col = column_of(figure, key)
    return col.fmt if col else default


def is_period_axis(figure: Figure) -> bool:
    return figure.kind in TIME_KINDS and fmt_of(figure, figure.x, "period") == "period"


def value_keys(figure: Figure) -> list[str]:
    fold = figure.options.get("fold")
    return list(fold) if fold else [figure.y]


def value_fmt(figure: Figure) -> str:
    return fmt_of(figure, value_keys(figure)[0])


def as_number(value: Any) -> float | None:
    value = json_value(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def series_domain(figure: Figure) -> list[str] | None:
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


# --------------------------------------------------------------------------------------------
# The Vega-Lite spec's data


def coded_keys(figure: Figure) -> list[str]:
    """The data keys that are not numbers (names, periods): in the Vega-Lite spec, stored as
    their distinct values and each row's index in them (long-form rows repeat them)."""
    return [
        key
        for key in data_keys(figure)
        if fmt_of(figure, key, "text" if key in (figure.x, figure.series) else "num")
        not in NUMERIC_FMTS
    ]


def data_columns(figure: Figure) -> list[dict]:
    """The figure's data as the Vega-Lite spec holds it (the value of :data:`P_COLUMNS`):
    one object with a list per key, in row order (Vega-Lite's ``flatten`` makes the rows);
    a key of :func:`coded_keys` lists indices into its distinct values, kept in ``_dict``
    (``{"period": [0, 0, 1], "series": [0, 1, 0], "value": [70, 96.57, 71],
    "_dict": {"period": ["2025-01", "2025-02"], "series": ["Tổng điểm", "Đúng hạn"]}}``)."""
    rows = data_values(figure)
    coded = set(coded_keys(figure))
    columns: dict[str, Any] = {}
    dicts: dict[str, list] = {}
    for key in data_keys(figure):
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
