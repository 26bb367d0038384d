"""The static SVG: no Vega tooltips, no Vega axes but the same lines drawn as rules, a grid line at
every value label, NULL not drawn as zero, texts put back and escaped."""

from __future__ import annotations

import json
import re

import minhbach.charts.template as templates
from minhbach import charts
from minhbach.charts import Col, Figure, style
from minhbach.charts.figure import json_dumps
from minhbach.charts.placeholders import fill
from minhbach.charts.static import locale, static_svg
from minhbach.charts.ticks import drawn_ticks, month_ticks, value_ticks

from .figures import ALL, fig_bars, fig_days_8_ticks, fig_group_scores, fig_trend, svg_of


def test_static_template_draws_no_tooltips_nor_axes():
    for make in ALL:
        figure = make()
        vega = json.loads(templates.template(figure).vega)
        text = json.dumps(vega)
        assert "tooltip" not in text and '"_tt' not in text
        assert "axes" not in vega  # drawn as rules (below)
    # Axes with labels (a time series over categories, not months) stay, without empty ones.
    figure = fig_trend()
    figure.columns[0] = Col("period", "Quý", "text")
    figure.rows = [dict(r, period=f"Quý {i // 2 + 1}") for i, r in enumerate(figure.rows[:8])]
    axes = json.loads(templates.template(figure).vega)["axes"]
    assert any(axis.get("labels", True) for axis in axes)
    for axis in axes:
        assert axis.get("grid") or any(axis.get(p, True) for p in ("labels", "ticks", "domain"))


LINE_RE = re.compile(
    r'<line [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)" x2="([-\d.]+)" '
    r'y2="([-\d.]+)" stroke="(#\w+)" stroke-width="1px" opacity="1"/>'
)


def axis_lines(figure: Figure) -> dict[str, list[tuple[float, ...]]]:
    """The lines the static SVG draws where the axes were: grid lines (y), month ticks (x) and
    domain lines (x, y, length), in the plot's coordinates."""
    svg = static_svg(fill(templates.template(figure).vega, figure), figure.id, "")
    out: dict[str, list] = {"grid": [], "ticks": [], "domain": []}
    for x, y, dx, dy, stroke in LINE_RE.findall(svg):
        x, y, dx, dy = float(x), float(y), float(dx), float(dy)
        if stroke == style.GRID:
            assert (x, dx, dy) == (0.5, style.PLOT_WIDTH, 0)
            out["grid"].append(y)
        elif dx == 0:
            assert (stroke, y, dy) == (style.DOMAIN, style.HEIGHT + 0.5, 4)
            out["ticks"].append(x)
        else:
            out["domain"].append((x, y, dx, dy))
    return out


def test_static_svg_draws_the_axes_as_rules_at_the_ticks():
    """No Vega axes (each cost about 1 ms), but the same lines: grid lines at the value ticks,
    tick marks at the labelled months, the domain line, each half a pixel off like an axis'."""
    trend = fig_trend()  # 0–100%, 24 months: every third month labelled
    lines = axis_lines(trend)
    assert lines["grid"] == [240.5, 192.5, 144.5, 96.5, 48.5, 0.5]  # 0, 20, …, 100%
    assert len(lines["ticks"]) == len(month_ticks(trend)) == 8
    assert lines["ticks"][-1] < style.PLOT_WIDTH - 20 and lines["ticks"] == sorted(lines["ticks"])
    assert all(x % 1 == 0.5 for x in lines["ticks"])  # rounded, like tickRound
    assert lines["domain"] == [(0.5, style.HEIGHT + 0.5, style.PLOT_WIDTH, 0)]
    # More value ticks than a Vega axis keeps by default (6 here): a grid line at every one.
    days = fig_days_8_ticks()
    top, ticks = value_ticks(days)
    assert top == 14 and len(ticks) == 8
    assert drawn_ticks(ticks, top) == [0, 2, 4, 6, 8, 10, 12, 14]
    assert axis_lines(days)["grid"] == [240.5, 206.5, 171.5, 137.5, 103.5, 69.5, 34.5, 0.5]
    # Vertical bars: the domain line only, under the bars.
    assert axis_lines(fig_bars()) == {
        "grid": [],
        "ticks": [],
        "domain": [(0.5, style.BARS_HEIGHT + 0.5, style.PLOT_WIDTH, 0)],
    }


def test_every_value_label_has_its_grid_line():
    """Vega thins an axis' values down to its tick count (by default ``ceil(height / 40)``, 6
    here): the value axis asks for all of its ticks, so that the interactive chart draws a
    grid line at each label as the static SVG does."""
    import vl_convert as vlc

    days = fig_days_8_ticks()
    _, ticks = value_ticks(days)
    values = [v for v, _ in ticks]
    # The static SVG: a grid line at each label, at the label's height.
    svg = static_svg(fill(templates.template(days).vega, days), days.id, "")
    label_y = {
        label: float(y)
        for y, label in re.findall(r'translate\([-\d.]+,([-\d.]+)\)"[^>]*>([^<]*)</text>', svg)
    }
    grid = axis_lines(days)["grid"]
    assert len(grid) == len(ticks) == 8
    shift = label_y["0"] - style.HEIGHT  # of a middle baseline
    for y, (_, label) in zip(grid, ticks, strict=True):  # a line is rounded, then + 0.5
        assert abs(label_y[label] - shift - (y - 0.5)) <= 0.5, (label, y)
    # The interactive spec: every value axis asks for all the ticks, and Vega draws them all.
    spec = json.loads(fill(templates.template(days).vegalite, days, json_dumps))
    vega = vlc.vegalite_to_vega(spec, vl_version="5.20")
    value_axes = [a for a in vega["axes"] if a["orient"] == "left"]
    assert value_axes and all(
        a["values"] == values and a["tickCount"] == len(values) for a in value_axes
    )
    loc = locale()
    interactive = vlc.vegalite_to_svg(
        spec, vl_version="5.20", format_locale=loc["number"], time_format_locale=loc["time"]
    )
    grid_lines = re.findall(
        r'<line [^>]*transform="translate\(0,([-\d.]+)\)" x2="584" y2="0" stroke="#E5E7EB"',
        interactive,
    )
    assert sorted(float(y) + 0.5 for y in grid_lines) == sorted(grid)  # the axis' translate


def test_static_rules_draw_the_same_picture_as_vega_axes(monkeypatch):
    """Rendered with Vega's axes and with the rules: the same PNG, byte for byte (and so the
    same size: the rules do not widen the chart)."""
    import vl_convert as vlc

    loc = locale()
    days = fig_days_8_ticks()  # 8 value ticks, 8 grid lines
    bars = fig_bars()
    bars.options = {**bars.options, "horizontal": True}
    for figure in [make() for make in ALL] + [days, bars]:
        rules = fill(templates.template(figure).vega, figure)
        with monkeypatch.context() as m:
            m.setattr(templates, "axes_as_rules", lambda vega: vega)
            m.setattr(templates, "_templates", {})
            axes = fill(templates.template(figure).vega, figure)
        assert ('"axes"' in axes) == (figure.kind != "group_scores") and '"axes"' not in rules
        pngs = [
            vlc.vega_to_png(v, scale=2, format_locale=loc["number"], time_format_locale=loc["time"])
            for v in (axes, rules)
        ]
        assert pngs[0] == pngs[1], figure.id


def test_null_rate_is_not_drawn_as_zero():
    """The month with a NULL rate has no point: 47 points for 48 values."""
    figure = fig_trend()
    tpl = templates.template(figure)
    svg = static_svg(fill(tpl.vega, figure), figure.id, figure.title)
    found = re.findall(r'<path [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"', svg)
    points = [(float(x), float(y)) for x, y in found if float(y) >= 0]  # not the legend's
    assert len(points) == 47
    # Every value is 70 or more on a 0–100 scale: nothing near the zero line (y = 260).
    assert max(y for _, y in points) < 0.31 * style.HEIGHT


def test_svg_texts_are_put_back_and_escaped(rendered):
    page, out = rendered
    groups = svg_of(out[(page, "nhom-diem")])
    assert ">Công khai, minh bạch</text>" in groups
    assert ">12,5/18</text>" in groups and ">20/22</text>" in groups  # Vietnamese decimals
    assert ">không đánh giá</text>" in groups  # a NULL score is said, not drawn as 0
    assert "Sở &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tư pháp&quot;</text>" in groups
    assert "aria-roledescription" not in groups and "<text aria-label" not in groups
    bars = svg_of(out[(page, "ho-so-ton")])
    assert '<tspan>Quá hạn</tspan><tspan x="0" dy="15">1–5 ngày</tspan>' in bars
    assert ">21.969</text>" in bars
    trend = svg_of(out[(page, "xu-huong")])
    assert ">T12/2026</text>" in trend and ">T3/2025</text>" in trend
    assert ">100%</text>" in trend and ">Đúng hạn (%)</text>" in trend
    days = svg_of(out[(page, "thoi-gian")])
    assert ">Thời hạn quy định: 15 ngày</text>" in days and ">Ngày</text>" in days
    # The Vega-Lite spec keeps its texts (a browser would measure them).
    spec = charts.vegalite_spec(fig_group_scores())
    assert '"text":{"value":""}' not in spec and '"field":"_label"' in spec
