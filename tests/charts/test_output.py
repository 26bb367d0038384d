"""The HTML figure: each kind renders an SVG named by its title, the snippet follows the
theme's contract, and the output is deterministic."""

from __future__ import annotations

import re

import pytest

from minhbach import charts

from .figures import ALL, svg_of


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
    assert snippet.startswith('<figure class="mb-chart" id="hinh-nhom-diem">\n')
    assert "data-spec" not in snippet  # no page draws charts with a script
    assert '<div class="mb-chart-static" data-search-exclude><svg ' in snippet
    assert (
        '<a href="nhom-diem.csv" download>Tải số liệu (CSV)</a> · <a class="mb-chart-link" '
        'href="#hinh-nhom-diem" title="Liên kết tới biểu đồ này">Liên kết</a></figcaption>'
    ) in snippet
    assert '<details class="mb-chart-data" data-search-exclude><summary>' in snippet
    assert snippet.rstrip().endswith("</figure>")
    assert "\n\n" not in snippet  # one raw-HTML block for Markdown
    # Escaped: the caption, the title, the table cells.
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tư pháp&quot;" in snippet
    caption = re.search(r"<figcaption>(.*?)</figcaption>", snippet, re.S).group(1)
    assert "<strong>Điểm sáu nhóm chỉ số của Sở &lt;script&gt;" in caption
    assert "đạt cao nhất ở nhóm Chất lượng giải quyết: 20/22 điểm." in caption


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    out_a = charts.render_figures([(a, make()) for make in ALL], workers=1)
    out_b = charts.render_figures([(b, make()) for make in ALL], workers=1)
    for make in ALL:
        fid = make().id
        assert out_a[(a, fid)] == out_b[(b, fid)]
        assert (a / f"{fid}.csv").read_bytes() == (b / f"{fid}.csv").read_bytes()
        assert not (a / f"{fid}.vl.json").exists()  # no page reads a Vega-Lite spec


@pytest.mark.parametrize("make", ALL, ids=lambda m: m.__name__)
def test_each_figure_is_drawn_wide_and_narrow(rendered, make):
    """Two SVGs (the page's CSS shows one): wide, about 640 px; narrow, at most 360 px, so that
    on a 390 px phone (346 px inside the chart's box) no text is under 11 px; every id unique."""
    page, out = rendered
    figure = make()
    snippet = out[(page, figure.id)]
    wide, thin = re.findall(r"<svg .*?</svg>", snippet, re.S)
    assert 'class="marks mb-chart-wide"' in wide and 'class="marks mb-chart-narrow"' in thin
    width = float(re.search(r'width="([\d.]+)"', wide).group(1))
    narrow = float(re.search(r'width="([\d.]+)"', thin).group(1))
    assert 560 <= width <= 700 and narrow <= 360
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', thin)]
    assert sizes and min(sizes) * 346 / narrow >= 11
    ids = re.findall(r'\bid="([^"]+)"', wide + thin)
    assert len(ids) == len(set(ids))
    assert all(
        i.startswith(f"hinh-{figure.id}-narrow-") for i in re.findall(r'\bid="([^"]+)"', thin)
    )
    # The same tooltips in both.
    assert re.findall(r"<title>[^<]*</title>", wide) == re.findall(r"<title>[^<]*</title>", thin)
