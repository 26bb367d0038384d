"""Charts of the pages: Altair specs, static SVG (vl-convert), the CSV and the HTML figure.

A page describes each chart as a :class:`Figure` (the numbers already computed by the SQL) and
:func:`render_figures` turns every ``(page_dir, figure)`` into a file beside the page and one
HTML snippet (the theme's ``figure.mb-chart`` contract, site_src/overrides/README.md): the
numbers ``<id>.csv``, and the snippet with the static SVG (a tooltip per mark, the figure's
:class:`Credit` under it: no chart script on any page), the caption, the CSV link, the figure's
own link and the numbers as a table.

The modules, in the order a figure goes through them:

- ``figure``: the contract (:class:`Figure`, :class:`Col`, the kinds and formats) and the
  figure's data as the charts use it; ``style``: colours, font, sizes;
- ``ticks``, ``text``: the layout computed here (the axes' ticks, the room labels take);
  ``expr``: the Vega expressions the charts write;
- ``spec``: each kind's chart, defined once with Altair (and its Vega-Lite spec made small,
  :func:`vegalite_spec`: no page uses it, it opens a chart in the Vega editor);
- ``template``: the templates of a shape, compiled once; ``placeholders``: how a figure fills
  them; ``static``: the static template, drawn by vl-convert, and the SVG made whole;
- ``table``: the numbers as a table and a CSV; ``output``: a figure's files and snippet;
- ``pool``: every figure of the site, drawn in a process pool that dies with the build.
"""

from __future__ import annotations

from .figure import KINDS, Col, Credit, Figure
from .output import anchor, render_figure
from .pool import Abort, Aborted, render_figures
from .spec import build_chart
from .style import PALETTE
from .table import csv_bytes, table_html
from .template import vegalite_spec
from .ticks import month_ticks, value_ticks

__all__ = [
    "KINDS",
    "PALETTE",
    "Abort",
    "Aborted",
    "Col",
    "Credit",
    "Figure",
    "anchor",
    "build_chart",
    "csv_bytes",
    "month_ticks",
    "render_figure",
    "render_figures",
    "table_html",
    "value_ticks",
    "vegalite_spec",
]
