"""The chart of each kind, defined once with Altair, and its Vega-Lite spec made small.

:func:`build_chart` gives a figure's Altair chart: its data named ``mb`` and its per-figure
layout (ticks, the top of the value axis, the title) as placeholders (minhbach.charts.
placeholders), so that it is compiled once per shape (minhbach.charts.template). The axis labels
are text marks at ticks computed in minhbach.charts.ticks, and Vega's legend is replaced by
marks at fixed places (:func:`_legend_layers`). A mark with a value is described by its
tooltip's text (:func:`_with_tip`), which the static SVG makes its ``<title>``.

:func:`pack` makes the Vega-Lite spec small (:func:`minhbach.charts.vegalite_spec`; no page
draws it, the static SVG is the chart): compact JSON; the figure's data once, at the top, as columns
(:func:`minhbach.charts.figure.data_columns`: names and periods as indices into their distinct
values) that the top-level transforms turn back into rows, with the transforms every layer of
it shares; data used by several layers (the legend's entries) in ``datasets``.

Altair is imported inside the functions: the chart workers, which only fill templates, never
import it.
"""

from __future__ import annotations

import json
from typing import Any

from .expr import datum, format_expr, lit, wrap_expr
from .figure import (
    TIME_KINDS,
    Figure,
    as_number,
    coded_keys,
    compact,
    data_keys,
    fmt_of,
    is_horizontal,
    is_period_axis,
    layout,
    series_domain,
    value_fmt,
)
from .placeholders import (
    DATA,
    NAMED_DATA,
    P_COLUMNS,
    P_DESC,
    P_MONTH_TICKS,
    P_VALUE_COUNT,
    P_VALUE_MAX,
    P_VALUE_TICKS,
)
from .style import (
    AUTOSIZE,
    CONFIG,
    DOMAIN,
    FONT_SIZE,
    LEGEND_STEP,
    LEGEND_Y,
    LINE_HEIGHT,
    MAX_BAR,
    MAX_BAR_STROKE,
    MUTED,
    NOT_ASSESSED,
    PADDING,
    PALETTE,
    PRIMARY,
    RULE_COLOR,
    SEPARATOR,
    SHAPES,
    TEXT,
    TITLE_Y,
    VALUE_ROOM,
)
from .text import text_width

# --------------------------------------------------------------------------------------------
# Encodings and layers shared by the kinds


def _series_field(figure: Figure) -> str | None:
    return "_series" if figure.options.get("fold") else figure.series


def _value_field(figure: Figure) -> str:
    return "_value" if figure.options.get("fold") else figure.y


def _series_style(figure: Figure) -> list[tuple[str, str, str]]:
    """(series, colour, point shape) in display order."""
    colors = figure.options.get("colors") or {}
    return [
        (v, colors.get(v, PALETTE[i % len(PALETTE)]), SHAPES[i % len(SHAPES)])
        for i, v in enumerate(series_domain(figure) or [])
    ]


def _series_scale(figure: Figure, part: int):
    """The scale from each series to its colour (``part`` 1) or point shape (2), of
    :func:`_series_style` (no series: one, in the primary colour, drawn with circles)."""
    import altair as alt

    style = _series_style(figure) or [("", PRIMARY, "circle")]
    return alt.Scale(domain=[s[0] for s in style], range=[s[part] for s in style])


def _color(figure: Figure, field_name: str):
    """Series colours (no Vega legend: see :func:`_legend_layers`)."""
    import altair as alt

    return alt.Color(f"{field_name}:N", scale=_series_scale(figure, 1), legend=None)


def _shape_enc(figure: Figure, field_name: str):
    """Point shapes repeat the colours, for readers who do not tell the colours apart."""
    import altair as alt

    return alt.Shape(f"{field_name}:N", scale=_series_scale(figure, 2), legend=None)


def _text(chart, **kw):
    """A text mark in the charts' font and size."""
    kw.setdefault("fontSize", FONT_SIZE)
    kw.setdefault("color", TEXT)
    return chart.mark_text(**kw)


def _legend_layers(figure: Figure, symbol: str | None = None) -> list:
    """A legend above the plot, as marks at places computed here (on one line; in the narrow
    layout, wrapped to the plot's width); and the statutory limit's dashed line with its label
    (days_vs_limit: after the entries, or on a line of its own in the narrow layout)."""
    import altair as alt

    style = _series_style(figure) if _series_field(figure) else []
    if len(style) == 1 and figure.kind != "days_vs_limit":
        style = []  # one series: the title says what it is
    sizes = layout(figure)
    wrap = sizes.labels_above
    entries, x, line = [], 0, 0
    for label, color, shape in style:
        size = round(text_width(label)) + 36
        if wrap and x and x + size - 24 > sizes.plot_width:
            x, line = 0, line + 1
        entries.append({"label": label, "x": x, "line": line, "color": color})
        entries[-1]["shape"] = symbol or shape
        x += size
    limit = figure.kind == "days_vs_limit" and figure.options.get("rule") is not None
    if limit and wrap and entries:
        x, line = 0, line + 1
    lines = line + 1
    for entry in entries:
        entry["y"] = LEGEND_Y - (lines - 1 - entry.pop("line")) * LEGEND_STEP
    layers = []
    if entries:
        base = alt.Chart(alt.Data(values=entries))
        pos = {"x": alt.X("x:Q", scale=None, axis=None), "y": alt.Y("y:Q", scale=None, axis=None)}
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
    if limit:
        y = alt.value(LEGEND_Y)
        rule = alt.Chart(alt.Data(name="mb_rule"))
        layers.append(
            rule.mark_rule(color=RULE_COLOR, strokeDash=[6, 4], strokeWidth=1.5).encode(
                x=alt.value(x - 8 if x else 0), x2=alt.value(x + 14 if x else 22), y=y
            )
        )
        layers.append(
            _text(
                rule, align="left", baseline="middle", dx=x + 20 if x else 28, color=RULE_COLOR
            ).encode(x=alt.value(0), y=y, text="label:N")
        )
    return layers


def _base(figure: Figure):
    """The figure's data (named; filled in per figure) with the fold and month fields."""
    import altair as alt

    chart = alt.Chart(alt.Data(name=DATA))
    fold = figure.options.get("fold")
    if fold:
        mapping = ", ".join(f"{lit(k)}: {lit(str(v))}" for k, v in fold.items())
        chart = chart.transform_fold(list(fold), as_=["_key", "_value"]).transform_calculate(
            _series=f"{{{mapping}}}[datum._key]"
        )
    if is_period_axis(figure):
        ref = datum(figure.x)
        chart = chart.transform_calculate(
            _month=f"utc(toNumber(substring({ref}, 0, 4)), toNumber(substring({ref}, 5, 7)) - 1, 1)"
        )
    return chart


def _with_tip(figure: Figure, chart, value: str | None = None):
    """The text of each mark's tooltip (``_tip``), as the reader sees the value: the category
    or month, the series, the value formatted the Vietnamese way ("Tháng 3/2026 – Đúng hạn (%):
    96,57"), then the row's other columns under their headers. ``value``: the value's
    expression when the chart has already formatted it (e.g. "12,5/18")."""
    series, field_name = _series_field(figure), _value_field(figure)
    x_fmt = fmt_of(figure, figure.x, "period" if is_period_axis(figure) else "text")
    head = format_expr(datum(figure.x), x_fmt, capital=True)
    if series:
        head = f"({head}) + ' – ' + ({format_expr(datum(series), 'text')})"
    if value is None:
        value = format_expr(datum(field_name), value_fmt(figure))
    shown = {figure.x, figure.y, series, figure.options.get("max_key")}
    shown |= set(figure.options.get("fold") or ())
    extras = "".join(
        f" + '; ' + {lit(col.header + ': ')} + ({format_expr(datum(col.key), col.fmt)})"
        for col in figure.columns
        if col.key not in shown
    )
    return chart.transform_calculate(_tip=f"({head}) + ': ' + ({value}){extras}")


def _tip():
    """The marks that carry a tooltip: described by ``_tip`` (the static SVG turns a mark's
    description into its ``<title>``, which browsers show on hover)."""
    import altair as alt

    return alt.Description("_tip:N")


def _time_x(figure: Figure):
    """The month axis: ticks at the labelled months; the labels are text marks."""
    import altair as alt

    if not is_period_axis(figure):
        return alt.X(f"{figure.x}:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    return alt.X(
        "_month:T",
        timeUnit="utcyearmonth",
        title=None,
        axis=alt.Axis(values=alt.ExprRef(P_MONTH_TICKS), labels=False, grid=False, tickSize=4),
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
        scale=alt.Scale(domainMin=0, domainMax=alt.ExprRef(P_VALUE_MAX), nice=False, zero=True),
        axis=alt.Axis(
            values=alt.ExprRef(P_VALUE_TICKS),
            tickCount=alt.ExprRef(P_VALUE_COUNT),
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
    if is_period_axis(figure):
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
    return alt.layer(*layers, data=alt.Data(name=DATA))


def _bar_band(figure: Figure) -> float:
    """The share of a horizontal bar's row its bar takes (the narrow layout's rows also hold
    the label above the bar)."""
    return 0.46 if layout(figure).labels_above else 0.66


def _above(figure: Figure) -> int:
    """How far above a horizontal bar's middle its label's baseline is (narrow layout)."""
    return round(_bar_band(figure) * layout(figure).bar_step / 2) + 3


def _category_labels(figure: Figure, base, channel, *, horizontal: bool):
    """Category labels as text marks: left of horizontal bars, under vertical ones (``base``:
    the chart's data with the same transforms as its other layers, see :func:`pack`)."""
    import altair as alt

    if horizontal and layout(figure).labels_above:
        return _text(base, align="left", baseline="bottom", dy=-_above(figure)).encode(
            y=channel, x=alt.value(0), text=alt.Text(f"{figure.x}:N")
        )
    if horizontal:
        return _text(base, align="right", baseline="middle", dx=-8).encode(
            y=channel, x=alt.value(0), text=alt.Text(f"{figure.x}:N")
        )
    wrapped = base.transform_calculate(_cat=wrap_expr(datum(figure.x)))
    return _text(
        wrapped, align="center", baseline="top", dy=7, lineBreak="\n", lineHeight=LINE_HEIGHT
    ).encode(x=channel, y=alt.value("height"), text="_cat:N")


# --------------------------------------------------------------------------------------------
# The chart of each kind


def chart_group_scores(figure: Figure):
    """Horizontal bars: each group's score over a light bar of its maximum, labelled 12,5/18;
    a group without a score says so ("không đánh giá") instead of showing 0."""
    import altair as alt

    max_key = figure.options.get("max_key")
    y = alt.Y(f"{figure.x}:N", title=None, sort=figure.options.get("order") or None, axis=None)
    sizes = layout(figure)
    room = sizes.label_room
    xscale = alt.Scale(domainMin=0, nice=False, rangeMax=alt.ExprRef(f"width - {room}"))
    band = {"band": _bar_band(figure)}
    ref = datum(figure.y)
    label = f"isValid({ref}) && isFinite({ref}) ? format({ref}, ',.2~f')"
    if max_key:
        label += f" + '/' + format({datum(max_key)}, ',.2~f')"
    label += f" : '{NOT_ASSESSED}'"
    base = _base(figure).transform_calculate(_label=label)
    tipped = _with_tip(figure, base, "datum._label")
    layers = []
    if max_key:
        layers.append(
            tipped.mark_bar(
                color=MAX_BAR,
                stroke=MAX_BAR_STROKE,
                strokeWidth=0.75,
                height=band,
                aria=True,
            ).encode(y=y, x=alt.X(f"{max_key}:Q", scale=xscale, axis=None), description=_tip())
        )
    layers.append(
        tipped.mark_bar(color=PRIMARY, height=band, aria=True).encode(
            y=y, x=alt.X(f"{figure.y}:Q", scale=xscale, axis=None), description=_tip()
        )
    )
    layers.append(
        _text(base, align="right", baseline="middle", fontSize=13, fontWeight="bold").encode(
            y=y, x=alt.value("width"), text="_label:N"
        )
    )
    layers.append(_category_labels(figure, base, y, horizontal=True))
    return alt.layer(*layers, data=alt.Data(name=DATA)).properties(
        width=sizes.labelled_width, height=alt.Step(sizes.bar_step)
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
    points = (
        _with_tip(figure, base)
        .mark_point(
            filled=True, size=42, opacity=1, strokeWidth=0, invalid="filter", aria=True, **const
        )
        .encode(x=x, y=y, description=_tip(), **point_enc)
    )
    return [line, points]


def chart_trend(figure: Figure):
    """Lines with points over months, one per series (e.g. total_100 and on-time %)."""
    sizes = layout(figure)
    return _layered(figure, _line_layers(figure)).properties(
        width=sizes.plot_width, height=sizes.height
    )


def chart_stacked(figure: Figure):
    """Stacked bars per month (e.g. dossiers received online / direct / by post)."""
    import altair as alt

    series = _series_field(figure)
    domain = series_domain(figure)
    base = _with_tip(figure, _base(figure))
    enc: dict[str, Any] = {
        "x": _time_x(figure),
        "y": _value_y(figure, stack="zero"),
        "description": _tip(),
    }
    if series:
        enc["color"] = _color(figure, series)
        if domain:
            expr = f"indexof({lit(domain)}, {datum(series)})"
            base = base.transform_calculate(_order=expr)
            enc["order"] = alt.Order("_order:Q", sort="ascending")
        bars = base.mark_bar(stroke=SEPARATOR, strokeWidth=0.75, width={"band": 0.78}, aria=True)
    else:
        bars = base.mark_bar(color=PRIMARY, width={"band": 0.78}, aria=True)
    sizes = layout(figure)
    return _layered(figure, [bars.encode(**enc)], "square").properties(
        width=sizes.plot_width, height=sizes.height
    )


def chart_bars(figure: Figure):
    """Bars per category (open dossiers by age, ratings 1–5), each labelled with its value."""
    import altair as alt

    horizontal = is_horizontal(figure)
    colors = figure.options.get("colors")
    series = figure.series
    label = format_expr(datum(figure.y), fmt_of(figure, figure.y))
    base = _base(figure).transform_calculate(_label=label)
    y_max = as_number(figure.options.get("y_max"))
    scale: dict[str, Any] = {"domainMin": 0, "zero": True}
    if y_max is not None:
        scale["domainMax"] = y_max
        scale["nice"] = False
    # Room for the value labels beyond the longest bar, inside the plot.
    scale["rangeMax"] = alt.ExprRef(f"width - {VALUE_ROOM}") if horizontal else 18
    cat = f"{figure.x}:N"
    sort = figure.options.get("order") or None
    # (No axis line left of bars whose labels are above them: it would cross the labels.)
    cat_axis = (
        None
        if layout(figure).labels_above
        else alt.Axis(labels=False, ticks=False, domainColor=DOMAIN, title=None)
    )
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
            f"{series}:N", sort=series_domain(figure)
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
    size = {"height": {"band": _bar_band(figure)}} if horizontal else {"width": {"band": 0.7}}
    bars = (
        _with_tip(figure, base, "datum._label")
        .mark_bar(**bar_kw, **size, aria=True)
        .encode(description=_tip(), **enc)
    )
    text_kw = (
        {"align": "left", "baseline": "middle", "dx": 4}
        if horizontal
        else {"align": "center", "baseline": "bottom", "dy": -3}
    )
    values = _text(base, **text_kw).encode(text="_label:N", **text_enc)
    cats = _category_labels(figure, base, enc["y" if horizontal else "x"], horizontal=horizontal)
    chart = _layered(figure, [bars, values, cats], "square")
    sizes = layout(figure)
    if horizontal:
        return chart.properties(width=sizes.labelled_width, height=alt.Step(sizes.bar_step))
    return chart.properties(width=sizes.plot_width, height=sizes.bars_height)


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
    sizes = layout(figure)
    return _layered(figure, layers).properties(width=sizes.plot_width, height=sizes.height)


BUILDERS = {
    "group_scores": chart_group_scores,
    "trend": chart_trend,
    "stacked": chart_stacked,
    "bars": chart_bars,
    "days_vs_limit": chart_days_vs_limit,
}


def build_chart(figure: Figure):
    """The Altair chart of a figure: its data named ``mb`` (filled in per figure), its per-figure
    layout (ticks, top of the value axis) as placeholders."""
    if figure.kind not in BUILDERS:
        raise ValueError(f"unknown chart kind {figure.kind!r} (figure {figure.id!r})")
    return (
        BUILDERS[figure.kind](figure)
        .properties(
            description=P_DESC, autosize=AUTOSIZE, background="transparent", padding=PADDING
        )
        .configure(**CONFIG)
    )


def vegalite(figure: Figure) -> dict:
    """The figure's Vega-Lite template: Altair's, under Altair's schema URL, without the view
    sizes Altair adds (every size is set)."""
    import altair

    vl = build_chart(figure).to_dict()
    vl.pop("$schema", None)
    vl = {"$schema": altair.SCHEMA_URL, **vl}
    view = vl.get("config", {}).get("view", {})
    for name in ("continuousWidth", "continuousHeight"):  # Altair's; every size is set
        view.pop(name, None)
    return vl


# --------------------------------------------------------------------------------------------
# The Vega-Lite spec (not drawn on the pages: the static SVG is the chart)


def pack(spec: dict, figure: Figure) -> dict:
    """The Vega-Lite spec, small: the figure's data once, at the top, as columns
    (:func:`data_columns`) that the top-level transforms turn back into rows, followed by the
    transforms every layer of that data shares (months, fold); the other data inline, or in
    ``datasets`` when several layers use it (the legend's entries, the statutory limit). The
    charts drawn are the same."""
    spec = json.loads(json.dumps(spec))
    layers = spec.get("layer")
    if spec.get("data") != {"name": DATA} or "transform" in spec or not layers:
        raise AssertionError(f"unexpected layout of the {figure.kind} chart")
    mine = [layer for layer in layers if layer.get("data") == {"name": DATA}]
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
        {"calculate": f"datum._dict[{lit(k)}][{datum(k)}]", "as": k} for k in coded_keys(figure)
    ]
    spec["data"] = {"values": P_COLUMNS}
    spec["transform"] = [{"flatten": data_keys(figure)}, *decode, *chains[0][:shared]]
    uses: dict[str, int] = {}
    for layer in layers:
        if "layer" in layer or (layer.get("data") or {}).keys() - {"name", "values"}:
            raise AssertionError(f"unexpected layer in the {figure.kind} chart")
        if "data" in layer:
            text = compact(layer["data"])
            uses[text] = uses.get(text, 0) + 1
    datasets: dict[str, Any] = {}
    names: dict[str, str] = {}
    for layer in layers:
        data = layer.get("data")
        if data is None:
            continue
        text = compact(data)
        name = data.get("name")
        if uses[text] == 1:
            if name is not None:
                layer["data"] = {"values": NAMED_DATA[name]}
            continue
        if text not in names:
            names[text] = name or f"mb_{len(names)}"
            datasets[names[text]] = NAMED_DATA[name] if name else data["values"]
        layer["data"] = {"name": names[text]}
    if datasets:
        spec["datasets"] = datasets
    return spec
