"""What a figure becomes: two files beside its page and one HTML snippet.

- ``<id>.vl.json``: the Vega-Lite spec with the data inline (the interactive chart);
- ``<id>.csv``: the numbers behind the chart (minhbach.charts.table);
- the snippet (the theme's ``figure.mb-chart`` contract, site_src/overrides/README.md): the
  static SVG (drawn at build time: what reads without JavaScript and what prints), the caption,
  the CSV link, and the numbers as a collapsed table.
"""

from __future__ import annotations

import html
from pathlib import Path

from .figure import Figure, check_figure, compact, json_dumps
from .placeholders import fill, placeholder_values, placeholders_in
from .static import static_svg
from .table import csv_bytes, table_html
from .template import Template, template


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


def render_one(page_dir: Path, figure: Figure, tpl: Template) -> str:
    """Write the figure's CSV and spec into ``page_dir``, draw its SVG, return its snippet."""
    page_dir.mkdir(parents=True, exist_ok=True)
    _write(page_dir / f"{figure.id}.csv", csv_bytes(figure))
    tokens = placeholders_in(tpl.vegalite) | placeholders_in(tpl.vega)
    values = placeholder_values(figure, set(tokens))
    spec = fill(tpl.vegalite, figure, json_dumps, values)
    _write(page_dir / f"{figure.id}.vl.json", spec.encode())
    svg = static_svg(fill(tpl.vega, figure, compact, values), figure.id, figure.title)
    return snippet(figure, svg)


def render_figure(page_dir: Path, figure: Figure) -> str:
    """One figure, in this process (see :func:`minhbach.charts.pool.render_figures`)."""
    check_figure(figure)
    return render_one(Path(page_dir), figure, template(figure))
