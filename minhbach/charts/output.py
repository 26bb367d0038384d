"""What a figure becomes: its CSV beside its page and one HTML snippet.

- ``<id>.csv``: the numbers behind the chart (minhbach.charts.table);
- the snippet (the theme's ``figure.mb-chart`` contract, site_src/overrides/README.md): the
  static SVG (drawn at build time, with a tooltip per mark and the credit under the chart: the
  page loads no chart script), twice: wide for a desktop's column, narrow for a phone
  (minhbach.charts.style.Layout; the page's CSS shows one), the caption, the CSV link, a link
  to the figure itself, and the numbers as a collapsed table.

The figure's Vega-Lite spec is not written (no page draws charts in the browser):
:func:`minhbach.charts.vegalite_spec` gives it, e.g. to open a chart in the Vega editor.
"""

from __future__ import annotations

import html
from pathlib import Path

from .figure import Figure, check_figure, compact, layout, narrow
from .placeholders import fill
from .static import static_svg
from .style import WIDE
from .table import csv_bytes, table_html
from .template import Template, template


def anchor(figure: Figure) -> str:
    """The figure's id in its page (``#hinh-<id>``: its link, and its credit's address)."""
    return f"hinh-{figure.id}"


def snippet(figure: Figure, svg: str) -> str:
    """The figure's HTML (the theme's ``figure.mb-chart`` contract): one raw-HTML block with
    no blank line, to put into the Markdown page with a blank line before and after."""
    fid = html.escape(figure.id)
    return (
        f'<figure class="mb-chart" id="{anchor(figure)}">\n'
        f'<div class="mb-chart-static" data-search-exclude>{svg}</div>\n'
        f"<figcaption><strong>{html.escape(figure.title)}</strong> "
        f"{html.escape(figure.caption)} "
        f'<a href="{fid}.csv" download>Tải số liệu (CSV)</a> · '
        f'<a class="mb-chart-link" href="#{anchor(figure)}" '
        f'title="Liên kết tới biểu đồ này">Liên kết</a></figcaption>\n'
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


def draw(figure: Figure, tpl: Template) -> str:
    """The figure's static SVG in the layout of its template (``tpl``: :func:`template` of
    ``figure``, or of :func:`narrow` of it), with its layout's class."""
    sizes = layout(figure)
    svg = static_svg(
        fill(tpl.vega, figure, compact),
        figure.id if sizes is WIDE else f"{figure.id}-{sizes.name}",
        figure.title,
        figure.caption,
        figure.credit,
    )
    return svg.replace(' class="marks"', f' class="marks mb-chart-{sizes.name}"', 1)


def render_one(page_dir: Path, figure: Figure, tpl: Template, narrow_tpl: Template) -> str:
    """Write the figure's CSV into ``page_dir``, draw its SVG in both layouts (the page shows
    one: minhbach.css), return its snippet."""
    page_dir.mkdir(parents=True, exist_ok=True)
    _write(page_dir / f"{figure.id}.csv", csv_bytes(figure))
    return snippet(figure, draw(figure, tpl) + draw(narrow(figure), narrow_tpl))


def render_figure(page_dir: Path, figure: Figure) -> str:
    """One figure, in this process (see :func:`minhbach.charts.pool.render_figures`)."""
    check_figure(figure)
    return render_one(Path(page_dir), figure, template(figure), template(narrow(figure)))
