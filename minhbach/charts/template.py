"""The templates of a chart's shape: compiled once, filled by every figure of that shape.

A province has thousands of charts. Each kind is defined once with Altair (minhbach.charts.spec)
and compiled once per *shape* (kind, fields, columns, options: :func:`shape_key`) into a
Vega-Lite template (:func:`vegalite_spec`) and a Vega template (the static SVG,
minhbach.charts.static), with placeholders where each figure's data, title and ticks go
(minhbach.charts.placeholders); a figure only fills them in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .figure import Figure, compact, json_dumps, series_domain
from .placeholders import DATA, NAMED_DATA, P_COLUMNS, P_DESC, PLACEHOLDER_RE, fill
from .spec import pack, vegalite
from .static import axes_as_rules, static_vega


@dataclass(frozen=True)
class Template:
    vegalite: str  # the Vega-Lite spec: JSON text with placeholders
    vega: str  # the static SVG's Vega spec: JSON text with placeholders


_templates: dict[tuple, Template] = {}


def shape_key(figure: Figure) -> tuple:
    """What the template depends on (not the rows, the title, or the rule's value)."""
    opts = {k: v for k, v in figure.options.items() if k not in ("rule", "rule_label")}
    return (
        figure.kind,
        figure.x,
        figure.y,
        figure.series,
        json.dumps(opts, sort_keys=True, ensure_ascii=False, default=str),
        tuple(series_domain(figure) or ()),
        tuple((c.key, c.header, c.fmt) for c in figure.columns),
        figure.options.get("rule") is not None,
    )


def template(figure: Figure) -> Template:
    """The templates of the figure's shape (built on first use, then cached)."""
    key = shape_key(figure)
    found = _templates.get(key)
    if found is None:
        found = _templates[key] = _compile(figure)
    return found


def _compile(figure: Figure) -> Template:
    vl = vegalite(figure)
    vg = static_vega(vl)
    vl_text, vg_text = json_dumps(pack(vl, figure)), compact(vg)
    _check_placeholders(figure, vl_text, vg_text)
    return Template(vl_text, compact(axes_as_rules(vg)))


def _check_placeholders(figure: Figure, vl_text: str, vg_text: str) -> None:
    """Both templates kept the figure's data and title, and Vega every placeholder of the
    Vega-Lite template (but its data, which it holds as rows)."""
    for text, data in ((vl_text, P_COLUMNS), (vg_text, NAMED_DATA[DATA])):
        if f'"{data}"' not in text or f'"{P_DESC}"' not in text:
            raise AssertionError(f"the template of {figure.kind} lost a placeholder")
    vl_tokens = {a or b for a, b in PLACEHOLDER_RE.findall(vl_text)} - {P_COLUMNS}
    vg_tokens = {a or b for a, b in PLACEHOLDER_RE.findall(vg_text)}
    if not vl_tokens <= vg_tokens:
        raise AssertionError(f"Vega lost placeholders {vl_tokens - vg_tokens}")


def vegalite_spec(figure: Figure) -> str:
    """The figure's Vega-Lite spec (JSON text, data inline): what ``<id>.vl.json`` holds."""
    return fill(template(figure).vegalite, figure, json_dumps)
