"""The static SVG of a chart: its Vega template, drawn by vl-convert, and the SVG made whole.

vl-convert is slow where text is concerned: it measures every text by laying it out with usvg
(about 0.1 ms per character, several times per axis label), which was three quarters of a
chart's time. So the static template (:func:`static_vega`):

- makes every text mark draw an empty text and carry its text as its description
  (:func:`hollow_text`): vl-convert then measures nothing, and the text is put back into the
  SVG here (:func:`static_svg`); the room the labels need is estimated from their length
  (minhbach.charts.text);
- draws what shows and nothing else: no axis left with nothing to draw (:func:`drawn_axes`);
- nor any Vega axis (each cost about 1 ms): what the axes draw (grid lines, ticks, the domain
  line) is drawn by one rule mark, at the same places and in the same style: the same picture,
  a time series about a fifth faster (:func:`axes_as_rules`);
- and a worker draws a filled template it has seen before only once (:func:`_vega_svg`).

The SVG is then made whole (:func:`static_svg`): a ``<title>`` on each mark that has a value (its
description in the template: the browser shows it on hover, so the page needs no script), a
``<title>`` and ``<desc>`` naming the chart, and under it the credit (source, as-of date,
licence, address: :class:`minhbach.charts.figure.Credit`), so that a copy of the image or a
screenshot carries its attribution.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import cache
from .expr import lit
from .figure import CREDIT_SEPARATOR, Credit
from .placeholders import (
    NAMED_DATA,
    P_AXIS_LINES,
    P_MONTH_TICKS,
    P_PAD,
    P_VALUE_COUNT,
    P_VALUE_TICKS,
)
from .style import CONFIG, CREDIT_SIZE, FONT, LINE_HEIGHT, MUTED, PADDING
from .text import text_width

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE_FILE = ROOT / "site_src" / "assets" / "js" / "vi-VN.locale.json"

# --------------------------------------------------------------------------------------------
# The static template


def static_vega(vegalite: dict) -> dict:
    """The static variant of a figure's Vega-Lite template, compiled to Vega by vl-convert with
    Altair's Vega-Lite version: hollow texts, no axis that draws nothing, the padding and the
    named data as placeholders."""
    import altair
    import vl_convert as vlc

    static = hollow_text(vegalite)
    vg = drawn_axes(vlc.vegalite_to_vega(static, vl_version=_vl_version(altair)))
    vg["padding"] = {"top": PADDING["top"], **P_PAD}
    vg["data"] = [
        dict(d, values=NAMED_DATA[d["name"]])
        if d.get("name") in NAMED_DATA and "values" not in d
        else d
        for d in vg.get("data", [])
    ]
    return vg


def _vl_version(altair_module) -> str:
    """The Vega-Lite version vl-convert compiles with: the one Altair writes (e.g. "6.4")."""
    return ".".join(altair_module.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def drawn_axes(vega: dict) -> dict:
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


def hollow_text(spec: Any) -> Any:
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
        return {k: hollow_text(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [hollow_text(v) for v in spec]
    return spec


# --------------------------------------------------------------------------------------------
# The axes as rules


# Vega's axis defaults (its config) where the static template draws an axis as rule marks.
_TICK_SIZE = 5
# Axis properties :func:`axes_as_rules` draws the same (the labels' are moot: none are shown).
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
# The tick count (a signal) of the axes whose ticks minhbach.charts.ticks.drawn_ticks keeps the
# same way: the months thinned to ``ceil(width / 40)`` (vega_ticks), every value (the value axis'
# tick count is its number of ticks: ``_value_y`` in minhbach.charts.spec).
_TICK_COUNTS = {"left": P_VALUE_COUNT, "bottom": "ceil(width/40)"}
# What a time series' axes draw: (orient, parts drawn, the placeholder of their ticks).
_TIME_SERIES_AXES = [
    ("left", {"grid"}, P_VALUE_TICKS),
    ("bottom", {"ticks", "domain"}, P_MONTH_TICKS),
]


# A rule 1 px wide, like an axis' lines. The width is the string "1px" (the same width in
# SVG): Vega finds no number in it to widen the rule's bounds by, and the bounds (NaN) leave
# the chart's size alone, as the lines of an axis do (with a number, the lines that end half a
# pixel past the plot would widen the SVG by 1 or 2 px).
_RULE_STYLE = {"strokeWidth": {"value": "1px"}, "opacity": {"value": 1}}


def axes_as_rules(vega: dict) -> dict:
    """Vega with its axes drawn by one rule mark (an axis costs about 1 ms to render, the
    mark a fraction of that), under the other marks as axes are: an axis' grid lines, tick
    marks and domain line at the same places (ticks rounded like ``tickRound``, all offset by
    half a pixel like an axis' ``translate``), in the same colours and widths, without
    changing the chart's size (:data:`_RULE_STYLE`): the same picture. Two layouts: a time
    series' (grid lines of the values, ticks of the months and the domain line under the
    plot; per figure, :func:`minhbach.charts.ticks.axis_lines`), and one axis drawing only its
    domain line (bars). Any other axes stay as they are."""
    parts = _rule_axes(vega)
    if parts is None:
        return vega
    axes = vega["axes"]
    if [(orient, drawn) for orient, drawn, _ in parts] in (
        [("bottom", {"domain"})],
        [("left", {"domain"})],
    ):
        mark, data = _domain_rule(axes[0]), []
    elif parts == _TIME_SERIES_AXES and axes[0].get("gridScale") == axes[1]["scale"]:
        mark = _time_series_rule(vega, axes[0], axes[1])
        if mark is None:
            return vega  # ticks mid-band
        data = [{"name": "mb_axis_lines", "values": P_AXIS_LINES}]
    else:
        return vega
    out = {k: v for k, v in vega.items() if k != "axes"}
    out["data"] = [*vega.get("data", []), *data]
    out["marks"] = [mark, *vega.get("marks", [])]
    return out


def _rule_axes(vega: dict) -> list[tuple] | None:
    """What each axis of ``vega`` draws, (orient, parts drawn, the placeholder of its ticks or
    None), when the config is the charts' own and each axis one that rules can draw (no
    labels, no other properties); else None."""
    axes = vega.get("axes", [])
    config = vega.get("config", {})
    if not axes or config.get("axis") != CONFIG["axis"]:
        return None
    if any(k.startswith("axis") and k != "axis" for k in config):
        return None
    parts = []
    for axis in axes:
        if (
            axis.keys() - _RULE_AXIS_KEYS
            or axis.get("labels") is not False
            or axis.get("zindex", 0) != 0
            or axis.get("orient") not in _TICK_COUNTS
        ):
            return None
        drawn = {p for p in ("grid", "ticks", "domain") if axis.get(p, p != "grid")}
        values = axis.get("values")
        token = values.get("signal") if isinstance(values, dict) and drawn != {"domain"} else None
        count = axis.get("tickCount") == {"signal": _TICK_COUNTS[axis["orient"]]}
        parts.append((axis["orient"], frozenset(drawn), token if count else None))
    return parts


def _domain_rule(axis: dict) -> dict:
    """The rule mark of an axis that draws only its domain line (bars)."""
    along = {"scale": axis["scale"], "offset": 0.5}
    if axis["orient"] == "bottom":
        encode = {"x": {**along, "range": 0}, "x2": {**along, "range": 1}}
        encode["y"] = {"signal": "height + 0.5"}
    else:
        encode = {"y": {**along, "range": 0}, "y2": {**along, "range": 1}}
        encode["x"] = {"value": 0.5}
    stroke = axis.get("domainColor", CONFIG["axis"]["domainColor"])
    mark = {"type": "rule", "aria": False}
    mark["encode"] = {"update": {**encode, "stroke": {"value": stroke}, **_RULE_STYLE}}
    return mark


def _time_series_rule(vega: dict, grid: dict, months: dict) -> dict | None:
    """The rule mark of a time series' axes (``grid``: the values' grid lines, ``months``: the
    month ticks and the domain line), drawing one line per row of ``mb_axis_lines``; None
    when a scale has bands (its ticks would be mid-band)."""
    y, x = lit(grid["scale"]), lit(months["scale"])
    scales = {s["name"]: s.get("type") for s in vega.get("scales", [])}
    if {scales.get(grid["scale"]), scales.get(months["scale"])} & {"band", "point"}:
        return None
    colors = CONFIG["axis"]
    tick = f"round(scale({x}, datum.t)) + 0.5"
    size = months.get("tickSize", _TICK_SIZE)
    strokes = (
        lit(colors["gridColor"]),
        lit(colors["tickColor"]),
        lit(colors["domainColor"]),
    )
    encode = {
        "x": {"signal": f"datum.t != null ? {tick} : range({x})[0] + 0.5"},
        "x2": {"signal": f"datum.t != null ? null : peek(range({x})) + 0.5"},
        "y": {"signal": f"datum.g != null ? round(scale({y}, datum.g)) + 0.5 : height + 0.5"},
        "y2": {"signal": f"datum.t != null ? height + {lit(0.5 + size)} : null"},
        "stroke": {
            "signal": f"datum.g != null ? {strokes[0]} : datum.t != null ? {strokes[1]} "
            f": {strokes[2]}"
        },
    }
    mark = {"type": "rule", "aria": False, "from": {"data": "mb_axis_lines"}}
    mark["encode"] = {"update": {**encode, **_RULE_STYLE}}
    return mark


# --------------------------------------------------------------------------------------------
# The SVG


@lru_cache(maxsize=1)
def locale() -> dict:
    """The Vietnamese number and time formats (the one file the browser's charts read too)."""
    return json.loads(LOCALE_FILE.read_text(encoding="utf-8"))


_SVG_ID_RE = re.compile(r'\bid="([^"]+)"')
_HOLLOW_RE = re.compile(
    r'<text aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="text mark"'
    r"([^>]*?)(?:/>|></text>)"
)
_NEWLINE_RE = re.compile(r"&#(?:xA|xa|10);|\n")
_GROUP_ARIA_RE = re.compile(r' role="graphics-object" aria-roledescription="[^"]*"')
# A mark described in the template (its tooltip's text): the description becomes its <title>.
_DESCRIBED_RE = re.compile(
    r'<(path|rect|line|circle|image)( [^>]*?)? aria-label="([^"]*)" role="graphics-symbol" '
    r'aria-roledescription="[^"]*"([^>]*?)/>'
)
_SIZE_RE = re.compile(
    r'^<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)" viewBox="0 0 [\d.]+ [\d.]+"'
)


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
    on several pages): each process renders it once; with a build cache (minhbach.cache), a
    template drawn by an earlier build is not drawn again."""
    import vl_convert as vlc

    loc = locale()
    digest = cache.key(vega_text, json.dumps(loc, sort_keys=True), vlc.__version__)
    svg = cache.get("vega-svg", digest)
    if svg is None:
        svg = vlc.vega_to_svg(
            vega_text, format_locale=loc["number"], time_format_locale=loc["time"]
        )
        cache.put("vega-svg", digest, svg)
    return svg


def _titled(match: re.Match) -> str:
    tag, before, text, after = match.groups()
    return f"<{tag}{before or ''}{after}><title>{text}</title></{tag}>"


def credit_lines(credit: Credit, width: float) -> list[str]:
    """The credit's phrases joined into lines that fit ``width`` (estimated, see
    minhbach.charts.text); a phrase too long for a line is broken between its words, an
    address after a slash."""
    lines: list[str] = []

    def fits(text: str) -> bool:
        return text_width(text, CREDIT_SIZE) <= width

    for part in credit.parts():
        joined = f"{lines[-1]}{CREDIT_SEPARATOR}{part}" if lines else part
        if lines and fits(joined):
            lines[-1] = joined
            continue
        lines.append("")
        for word in part.split(" "):
            if fits(f"{lines[-1]} {word}".lstrip()):
                lines[-1] = f"{lines[-1]} {word}".lstrip()
                continue
            if lines[-1]:
                lines.append("")
            # A word longer than a line (an address): broken after its slashes.
            for piece in re.findall(r"[^/]*(?:/|$)", word):
                if lines[-1] and not fits(lines[-1] + piece):
                    lines.append("")
                lines[-1] += piece
    return [line for line in lines if line]


def _with_credit(svg: str, figure_id: str, credit: Credit) -> str:
    """The credit under the chart: the SVG made taller by its lines."""
    found = _SIZE_RE.match(svg)
    if not found:
        raise RuntimeError(f"the SVG of figure {figure_id!r} has no size")
    attrs, width, height = found.group(1), float(found.group(2)), float(found.group(3))
    left = PADDING["left"]
    # The widths are estimates (for Arial): room for a wider system font.
    lines = credit_lines(credit, 0.85 * (width - left))
    step = CREDIT_SIZE + 4
    top = height + 8
    texts = "".join(
        f'<text x="{left}" y="{top + (i + 1) * step - 4:g}">{html.escape(line, quote=False)}</text>'
        for i, line in enumerate(lines)
    )
    total = top + len(lines) * step + 2
    font = html.escape(FONT, quote=True)
    group = (
        f'<g class="mb-chart-credit" font-family="{font}" font-size="{CREDIT_SIZE}px" '
        f'fill="{MUTED}">{texts}</g>'
    )
    head = f'<svg {attrs}width="{width:g}" height="{total:g}" viewBox="0 0 {width:g} {total:g}"'
    return head + svg[found.end() : -len("</svg>")] + group + "</svg>"


def static_svg(
    vega_text: str,
    figure_id: str,
    description: str,
    caption: str = "",
    credit: Credit | None = None,
) -> str:
    """The static SVG: rendered by vl-convert, texts put back, marks titled, named and
    described, the credit under it, ids made unique."""
    svg = _vega_svg(vega_text).strip()
    if not svg.startswith("<svg ") or not svg.endswith("</svg>"):
        raise RuntimeError(f"vl-convert returned no SVG for figure {figure_id!r}")
    # The texts (attribute-escaped by Vega, so also safe as element text).
    svg = _HOLLOW_RE.sub(_fill_text, svg)
    svg = _DESCRIBED_RE.sub(_titled, svg)
    svg = _GROUP_ARIA_RE.sub("", svg)
    if credit is not None:
        svg = _with_credit(svg, figure_id, credit)
    # vl-convert leaves the spec's description out of its SVG: name the image here.
    label = html.escape(description, quote=True)
    desc = " ".join(t for t in (caption, f"({credit.text()})" if credit else "") if t)
    svg = f'<svg role="img" aria-label="{label}" ' + svg[5:]
    start = svg.index(">") + 1
    named = f"<title>{html.escape(description, quote=False)}</title>"
    if desc:
        named += f"<desc>{html.escape(desc, quote=False)}</desc>"
    svg = svg[:start] + named + svg[start:]
    # Ids inside the SVG (clip paths, gradients) would collide with another chart's.
    for name in sorted(set(_SVG_ID_RE.findall(svg)), key=len, reverse=True):
        new = f"hinh-{figure_id}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{new}"').replace(f"url(#{name})", f"url(#{new})")
    return svg
