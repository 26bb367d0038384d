"""Charts: every kind renders, the snippet follows the theme's contract, the CSV is safe,
NULL stays NULL, the output is deterministic, and the process pool returns every figure."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from minhbach import charts
from minhbach.charts import Col, Figure

NAME = 'Sở <script>alert(1)</script> & "Tư pháp"'
AGES = [
    "Chưa đến hạn",
    "Quá hạn 1–5 ngày",
    "Quá hạn 6–15 ngày",
    "Quá hạn 16–30 ngày",
    "Quá hạn trên 30 ngày",
]


def months(n: int = 24, year: int = 2024, month: int = 12) -> list[str]:
    out = []
    for _ in range(n):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        out.append(f"{year}-{month:02d}")
    return out


def fig_group_scores() -> Figure:
    groups = [
        ("Công khai, minh bạch", 12.5, 18),
        ("Tiến độ giải quyết", 17.25, 20),
        ("Chất lượng giải quyết", 20, 22),
        ("Số hóa hồ sơ", 9.75, 16),
        ("Mức độ hài lòng", 16, 18),
        (NAME, None, 6),
    ]
    return Figure(
        id="nhom-diem",
        kind="group_scores",
        title=f"Điểm sáu nhóm chỉ số của {NAME}",
        caption=f"{NAME} đạt cao nhất ở nhóm Chất lượng giải quyết: 20/22 điểm.",
        rows=[{"group": g, "score": s, "max": m} for g, s, m in groups],
        columns=[
            Col("group", "Nhóm", "text"),
            Col("score", "Điểm", "pts"),
            Col("max", "Tối đa", "pts"),
        ],
        x="group",
        y="score",
        options={"max_key": "max", "order": [g for g, _, _ in groups]},
    )


def fig_trend() -> Figure:
    rows = []
    for i, p in enumerate(months()):
        rows.append({"period": p, "series": "Tổng điểm (/100)", "value": 70 + i})
        rate = None if i == 5 else 96.57
        rows.append({"period": p, "series": "Đúng hạn (%)", "value": rate})
    return Figure(
        id="xu-huong",
        kind="trend",
        title="Tổng điểm và tỷ lệ đúng hạn, 24 tháng",
        caption="Tỷ lệ đúng hạn giữ ở 96,57%.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("series", "Chỉ số", "text"),
            Col("value", "Giá trị", "pct"),
        ],
        x="period",
        y="value",
        series="series",
        options={"y_max": 100, "order": ["Tổng điểm (/100)", "Đúng hạn (%)"]},
    )


def fig_stacked() -> Figure:
    rows = [
        {"period": p, "online": 1000 + i, "direct": 21969, "postal": 5}
        for i, p in enumerate(months(12))
    ]
    rows[0]["online"] = None
    return Figure(
        id="kenh",
        kind="stacked",
        title="Hồ sơ tiếp nhận theo kênh",
        caption="Mỗi tháng 21.969 hồ sơ nộp trực tiếp.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("online", "Trực tuyến"),
            Col("direct", "Trực tiếp"),
            Col("postal", "Bưu chính"),
        ],
        x="period",
        y="online",
        options={
            "fold": {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính"},
            "y_title": "Hồ sơ",
        },
    )


def fig_bars() -> Figure:
    rows = [{"age": a, "n": n} for a, n in zip(AGES, [21969, 120, 80, 33, 57], strict=True)]
    rows.append({"age": '=HYPERLINK("http://x")', "n": 1})
    return Figure(
        id="ho-so-ton",
        kind="bars",
        title="Hồ sơ đang giải quyết theo thời gian quá hạn",
        caption="21.969 hồ sơ chưa đến hạn.",
        rows=rows,
        columns=[Col("age", "Tình trạng", "text"), Col("n", "Số hồ sơ")],
        x="age",
        y="n",
        options={"order": [*AGES, '=HYPERLINK("http://x")']},
    )


def fig_days() -> Figure:
    rows = [
        {"period": p, "median": 3.4, "p90": None if i == 3 else 9.5 + i % 4, "limit": 15}
        for i, p in enumerate(months())
    ]
    return Figure(
        id="thoi-gian",
        kind="days_vs_limit",
        title="Số ngày giải quyết thực tế so với thời hạn",
        caption="Trung vị 3,4 ngày, dưới thời hạn 15 ngày.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("median", "Trung vị", "days"),
            Col("p90", "Phân vị 90", "days"),
            Col("limit", "Thời hạn", "num"),
        ],
        x="period",
        y="median",
        options={
            "fold": {"median": "Trung vị", "p90": "Phân vị 90"},
            "rule": 15,
            "rule_label": "Thời hạn quy định: 15 ngày",
            "y_title": "Ngày",
        },
    )


ALL = [fig_group_scores, fig_trend, fig_stacked, fig_bars, fig_days]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, dict]:
    page = tmp_path_factory.mktemp("co-quan") / "so-tu-phap"
    figures = [make() for make in ALL]
    return page, charts.render_figures([(page, f) for f in figures], workers=1)


def svg_of(snippet: str) -> str:
    return re.search(r"<svg .*?</svg>", snippet, re.S).group(0)


@pytest.mark.parametrize("make", ALL, ids=lambda m: m.__name__)
def test_each_kind_renders_an_svg_named_by_its_title(rendered, make):
    page, out = rendered
    figure = make()
    snippet = out[(page, figure.id)]
    svg = svg_of(snippet)
    assert svg.startswith('<svg role="img" aria-label="')
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert label == figure.title.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    ).replace('"', "&quot;")
    assert "<text" in svg and "<path" in svg
    # No raw markup of the data anywhere in the SVG: Vega escapes its text.
    assert "<script" not in svg
    # Ids are made unique per figure (several charts share a page).
    for name in re.findall(r'\bid="([^"]+)"', svg):
        assert name.startswith(f"hinh-{figure.id}-")


def test_snippet_follows_the_theme_contract(rendered):
    page, out = rendered
    snippet = out[(page, "nhom-diem")]
    assert snippet.startswith(
        '<figure class="mb-chart" id="hinh-nhom-diem" data-spec="nhom-diem.vl.json">'
    )
    assert '<div class="mb-chart-static" data-search-exclude><svg ' in snippet
    assert '<a href="nhom-diem.csv" download>Tải số liệu (CSV)</a></figcaption>' in snippet
    assert '<details class="mb-chart-data" data-search-exclude><summary>' in snippet
    assert snippet.rstrip().endswith("</figure>")
    assert "\n\n" not in snippet  # one raw-HTML block for Markdown
    # Escaped: the caption, the title, the table cells.
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tư pháp&quot;" in snippet
    caption = re.search(r"<figcaption>(.*?)</figcaption>", snippet, re.S).group(1)
    assert "<strong>Điểm sáu nhóm chỉ số của Sở &lt;script&gt;" in caption
    assert "đạt cao nhất ở nhóm Chất lượng giải quyết: 20/22 điểm." in caption


def test_table_uses_vietnamese_numbers(rendered):
    page, out = rendered
    table = re.search(r"<table>.*</table>", out[(page, "xu-huong")], re.S).group(0)
    assert '<th scope="col" class="num">Giá trị</th>' in table
    assert '<td class="num">96,57%</td>' in table
    assert '<td data-sort="2025-01">tháng 1/2025</td>' in table
    assert table.count("<tr>") == 1 + 48
    assert '<td class="num">—</td>' in table  # the NULL rate
    bars = out[(page, "ho-so-ton")]
    assert '<td class="num">21.969</td>' in bars
    days = out[(page, "thoi-gian")]
    assert '<td class="num">3,4</td>' in days
    groups = out[(page, "nhom-diem")]
    assert '<td class="num">12,50</td>' in groups


def test_csv_has_bom_crlf_raw_numbers_and_neutralised_cells(rendered):
    page, _ = rendered
    data = (page / "ho-so-ton.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["age", "n"]
    assert rows[1] == ["Chưa đến hạn", "21969"]
    assert rows[-1] == ['\'=HYPERLINK("http://x")', "1"]
    assert '"\'=HYPERLINK(""http://x"")"' in text  # RFC 4180 quoting
    trend = (page / "xu-huong.csv").read_bytes()[3:].decode()
    lines = trend.split("\r\n")
    assert lines[0] == "period,series,value"
    assert lines[2] == "2025-01,Đúng hạn (%),96.57"
    assert lines[12] == "2025-06,Đúng hạn (%),"  # NULL: empty, not 0


def test_csv_cells():
    from decimal import Decimal

    assert charts._csv_value(None) == ""
    assert charts._csv_value(-2.5) == "-2.5"  # numbers are never neutralised
    assert charts._csv_value(1e-7) == "0.0000001"  # never an exponent
    assert charts._csv_value(3.0) == "3"
    assert charts._csv_value(Decimal("96.570")) == "96.570"
    assert charts._csv_value(float("nan")) == ""
    assert charts._csv_value(True) == "true"
    assert charts._csv_value("") == '""'
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert charts._csv_value(prefix + "1").lstrip('"').startswith("'" + prefix)
    assert charts._csv_value("a,b") == '"a,b"'


def spec_rows(spec: dict) -> list[dict]:
    """The rows of an interactive spec's data, as its top-level transforms make them (its
    columns flattened, the coded ones decoded)."""
    [columns] = spec["data"]["values"]
    keys = spec["transform"][0]["flatten"]
    codes = columns.get("_dict", {})
    return [
        {k: codes[k][columns[k][i]] if k in codes else columns[k][i] for k in keys}
        for i in range(len(columns[keys[0]]))
    ]


def test_spec_has_the_data_inline_and_keeps_nulls(rendered):
    page, _ = rendered
    spec = json.loads((page / "xu-huong.vl.json").read_text(encoding="utf-8"))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["description"] == "Tổng điểm và tỷ lệ đúng hạn, 24 tháng"
    values = spec_rows(spec)
    assert len(values) == 48
    assert values[11] == {"period": "2025-06", "series": "Đúng hạn (%)", "value": None}
    # Lines break at a NULL (a gap, not a drop to zero); points skip it.
    text = json.dumps(spec, ensure_ascii=False)
    assert '"invalid": "break-paths-show-path-domains"' in text
    assert '"invalid": "filter"' in text
    # Tooltips: Vietnamese headers and formatted values.
    assert '"title": "Giá trị"' in text and "',.2f'" in text
    # The script-escaped name is JSON text, never markup.
    raw = (page / "nhom-diem.vl.json").read_text(encoding="utf-8")
    assert "<script>" not in raw and "\\u003cscript\\u003e" in raw
    assert spec_rows(json.loads(raw))[5]["group"] == NAME


@pytest.mark.parametrize("make", ALL, ids=lambda m: m.__name__)
def test_spec_holds_its_data_once_and_draws_the_same_as_rows(rendered, make):
    """The data is at the top, once, as columns; every layer of it inherits it; the chart
    drawn is the one of the same spec with plain rows."""
    import vl_convert as vlc

    page, _ = rendered
    figure = make()
    raw = (page / f"{figure.id}.vl.json").read_text(encoding="utf-8")
    assert charts._json_dumps(json.loads(raw)) == raw  # compact
    spec = json.loads(raw)
    assert all(layer.get("data", {}).get("name") != "mb" for layer in spec["layer"])
    inline = [json.dumps(la["data"]) for la in spec["layer"] if "values" in la.get("data", {})]
    assert len(inline) == len(set(inline))  # data used by several layers is in "datasets"
    rows = spec_rows(spec)
    assert rows == charts.data_values(figure)
    plain = copy.deepcopy(spec)
    plain["data"] = {"values": rows}
    decoded = {k for k in spec["data"]["values"][0].get("_dict", {})}
    plain["transform"] = [
        t for t in spec["transform"][1:] if not ("calculate" in t and t["as"] in decoded)
    ]
    loc = charts._locale()
    kw = {"format_locale": loc["number"], "time_format_locale": loc["time"]}
    assert vlc.vegalite_to_svg(spec, **kw) == vlc.vegalite_to_svg(plain, **kw)
    # Tooltips: on the marks of the data, from texts the top-level transforms compute.
    tips = [
        layer["encoding"]["tooltip"] for layer in spec["layer"] if "tooltip" in layer["encoding"]
    ]
    assert tips and [t["title"] for t in tips[0]] == [c.header for c in figure.columns]
    computed = {t["as"] for t in spec["transform"] if "calculate" in t}
    assert {t["field"] for t in tips[0]} <= computed


def test_static_template_draws_no_tooltips_nor_axes():
    for make in ALL:
        figure = make()
        vega = json.loads(charts.template(figure).vega)
        text = json.dumps(vega)
        assert "tooltip" not in text and '"_tt' not in text
        assert "axes" not in vega  # drawn as rules (below)
    # Axes with labels (a time series over categories, not months) stay, without empty ones.
    figure = fig_trend()
    figure.columns[0] = Col("period", "Quý", "text")
    figure.rows = [dict(r, period=f"Quý {i // 2 + 1}") for i, r in enumerate(figure.rows[:8])]
    axes = json.loads(charts.template(figure).vega)["axes"]
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
    svg = charts._svg(charts._fill(charts.template(figure).vega, figure), figure.id, "")
    out: dict[str, list] = {"grid": [], "ticks": [], "domain": []}
    for x, y, dx, dy, stroke in LINE_RE.findall(svg):
        x, y, dx, dy = float(x), float(y), float(dx), float(dy)
        if stroke == charts.GRID:
            assert (x, dx, dy) == (0.5, charts.PLOT_WIDTH, 0)
            out["grid"].append(y)
        elif dx == 0:
            assert (stroke, y, dy) == (charts.DOMAIN, charts.HEIGHT + 0.5, 4)
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
    assert len(lines["ticks"]) == len(charts.month_ticks(trend)) == 8
    assert lines["ticks"][-1] < charts.PLOT_WIDTH - 20 and lines["ticks"] == sorted(lines["ticks"])
    assert all(x % 1 == 0.5 for x in lines["ticks"])  # rounded, like tickRound
    assert lines["domain"] == [(0.5, charts.HEIGHT + 0.5, charts.PLOT_WIDTH, 0)]
    # More value ticks than a Vega axis keeps by default (6 here): a grid line at every one.
    days = fig_days_8_ticks()
    top, ticks = charts.value_ticks(days)
    assert top == 14 and len(ticks) == 8
    assert charts.drawn_ticks(ticks, top) == [0, 2, 4, 6, 8, 10, 12, 14]
    assert axis_lines(days)["grid"] == [240.5, 206.5, 171.5, 137.5, 103.5, 69.5, 34.5, 0.5]
    # Vertical bars: the domain line only, under the bars.
    assert axis_lines(fig_bars()) == {
        "grid": [],
        "ticks": [],
        "domain": [(0.5, charts.BARS_HEIGHT + 0.5, charts.PLOT_WIDTH, 0)],
    }


def fig_days_8_ticks() -> Figure:
    """Days per month up to 12,3, no limit: 8 value ticks, 0 to 14 by 2."""
    days = fig_days()
    days.options = {**days.options, "rule": None}
    days.rows = [dict(r, p90=12.3 if i == 2 else r["p90"]) for i, r in enumerate(days.rows)]
    return days


def test_every_value_label_has_its_grid_line():
    """Vega thins an axis' values down to its tick count (by default ``ceil(height / 40)``, 6
    here): the value axis asks for all of its ticks, so that the interactive chart draws a
    grid line at each label as the static SVG does."""
    import vl_convert as vlc

    days = fig_days_8_ticks()
    _, ticks = charts.value_ticks(days)
    values = [v for v, _ in ticks]
    # The static SVG: a grid line at each label, at the label's height.
    svg = charts._svg(charts._fill(charts.template(days).vega, days), days.id, "")
    label_y = {
        label: float(y)
        for y, label in re.findall(r'translate\([-\d.]+,([-\d.]+)\)"[^>]*>([^<]*)</text>', svg)
    }
    grid = axis_lines(days)["grid"]
    assert len(grid) == len(ticks) == 8
    shift = label_y["0"] - charts.HEIGHT  # of a middle baseline
    for y, (_, label) in zip(grid, ticks, strict=True):  # a line is rounded, then + 0.5
        assert abs(label_y[label] - shift - (y - 0.5)) <= 0.5, (label, y)
    # The interactive spec: every value axis asks for all the ticks, and Vega draws them all.
    spec = json.loads(charts._fill(charts.template(days).vegalite, days, charts._json_dumps))
    vega = vlc.vegalite_to_vega(spec, vl_version="5.20")
    value_axes = [a for a in vega["axes"] if a["orient"] == "left"]
    assert value_axes and all(
        a["values"] == values and a["tickCount"] == len(values) for a in value_axes
    )
    loc = charts._locale()
    interactive = vlc.vegalite_to_svg(
        spec, vl_version="5.20", format_locale=loc["number"], time_format_locale=loc["time"]
    )
    grid_lines = re.findall(
        r'<line [^>]*transform="translate\(0,([-\d.]+)\)" x2="584" y2="0" stroke="#E5E7EB"',
        interactive,
    )
    assert sorted(float(y) + 0.5 for y in grid_lines) == sorted(grid)  # the axis' translate


def test_vega_ticks_thins_like_a_vega_axis():
    assert charts._vega_ticks(list(range(0, 16, 2)), 6) == [0, 4, 8, 12]
    assert charts._vega_ticks(list(range(6)), 6) == list(range(6))
    assert charts._vega_ticks(list(range(16)), 15) == list(range(0, 16, 2))
    assert charts._vega_ticks(list(range(16)), 1) == [0, 15]  # the two ends
    assert charts._vega_ticks([5], 1) == [5]


def test_static_rules_draw_the_same_picture_as_vega_axes(monkeypatch):
    """Rendered with Vega's axes and with the rules: the same PNG, byte for byte (and so the
    same size: the rules do not widen the chart)."""
    import vl_convert as vlc

    loc = charts._locale()
    days = fig_days_8_ticks()  # 8 value ticks, 8 grid lines
    bars = fig_bars()
    bars.options = {**bars.options, "horizontal": True}
    for figure in [make() for make in ALL] + [days, bars]:
        rules = charts._fill(charts.template(figure).vega, figure)
        with monkeypatch.context() as m:
            m.setattr(charts, "_axes_as_rules", lambda vega: vega)
            m.setattr(charts, "_templates", {})
            axes = charts._fill(charts.template(figure).vega, figure)
        assert ('"axes"' in axes) == (figure.kind != "group_scores") and '"axes"' not in rules
        pngs = [
            vlc.vega_to_png(v, scale=2, format_locale=loc["number"], time_format_locale=loc["time"])
            for v in (axes, rules)
        ]
        assert pngs[0] == pngs[1], figure.id


def test_null_rate_is_not_drawn_as_zero():
    """The month with a NULL rate has no point: 47 points for 48 values."""
    figure = fig_trend()
    tpl = charts.template(figure)
    svg = charts._svg(charts._fill(tpl.vega, figure), figure.id, figure.title)
    found = re.findall(r'<path [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"', svg)
    points = [(float(x), float(y)) for x, y in found if float(y) >= 0]  # not the legend's
    assert len(points) == 47
    # Every value is 70 or more on a 0–100 scale: nothing near the zero line (y = 260).
    assert max(y for _, y in points) < 0.31 * charts.HEIGHT


def test_month_ticks_end_at_the_latest_month():
    figure = fig_trend()
    ticks = charts.month_ticks(figure)
    assert [label for _, label in ticks] == [
        "T3/2025",
        "T6/2025",
        "T9/2025",
        "T12/2025",
        "T3/2026",
        "T6/2026",
        "T9/2026",
        "T12/2026",
    ]
    latest = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert ticks[-1][0] == int(latest.timestamp()) * 1000


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    out_a = charts.render_figures([(a, make()) for make in ALL], workers=1)
    out_b = charts.render_figures([(b, make()) for make in ALL], workers=1)
    for make in ALL:
        fid = make().id
        assert out_a[(a, fid)] == out_b[(b, fid)]
        for ext in (".csv", ".vl.json"):
            assert (a / f"{fid}{ext}").read_bytes() == (b / f"{fid}{ext}").read_bytes()


def test_render_figures_in_a_pool_returns_every_key(tmp_path):
    jobs = []
    for i in range(4):
        for make in ALL:
            figure = make()
            figure.rows = copy.deepcopy(figure.rows)
            jobs.append((tmp_path / f"trang-{i}", figure))
    out = charts.render_figures(jobs, workers=2)
    assert set(out) == {(page, figure.id) for page, figure in jobs}
    single = charts.render_figures(jobs[:5], workers=1)
    for key, html in single.items():
        assert out[key] == html  # the pool gives the same bytes
    for page, figure in jobs:
        assert (page / f"{figure.id}.csv").exists()
        assert (page / f"{figure.id}.vl.json").exists()


def test_bad_figures_are_refused(tmp_path):
    figure = fig_bars()
    figure.id = "Hình 1"
    with pytest.raises(ValueError, match="slug"):
        charts.render_figures([(tmp_path, figure)])
    figure = fig_bars()
    figure.kind = "pie"
    with pytest.raises(ValueError, match="kind"):
        charts.render_figures([(tmp_path, figure)])
    with pytest.raises(ValueError, match="twice"):
        charts.render_figures([(tmp_path, fig_bars()), (tmp_path, fig_bars())])


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
    # The interactive spec keeps its texts (the browser measures them).
    spec = (page / "nhom-diem.vl.json").read_text(encoding="utf-8")
    assert '"text":{"value":""}' not in spec and '"field":"_label"' in spec


def test_value_ticks():
    trend = fig_trend()
    assert charts.value_ticks(trend) == (
        100,
        [(0, "0%"), (20, "20%"), (40, "40%"), (60, "60%"), (80, "80%"), (100, "100%")],
    )
    stacked = fig_stacked()  # the largest stack: 1011 + 21969 + 5
    top, ticks = charts.value_ticks(stacked)
    assert top == 25000 and ticks[1] == (5000, "5.000")
    days = fig_days()  # the rule (15) counts
    assert charts.value_ticks(days)[0] == 15
    days.rows = [{"period": "2026-01", "median": 0.2, "p90": 0.35}]
    days.options = {**days.options, "rule": None}
    assert charts.value_ticks(days) == (
        0.4,
        [(0, "0"), (0.1, "0,1"), (0.2, "0,2"), (0.3, "0,3"), (0.4, "0,4")],
    )
    days.rows = [{"period": "2026-01", "median": None, "p90": None}]
    assert charts.value_ticks(days)[0] == 1  # nothing to show: still an axis


def test_wrap_label_matches_the_vega_expression():
    assert charts.wrap_label("Quá hạn trên 30 ngày") == "Quá hạn\ntrên 30 ngày"
    assert charts.wrap_label("Chưa đến hạn") == "Chưa đến hạn"  # 12 characters: one line
    assert charts.wrap_label("Quáhạntrên30ngày") == "Quáhạntrên30ngày"
