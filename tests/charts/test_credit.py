"""What a static chart carries by itself: a tooltip per mark (its <title>, the value as the
table shows it), its name and description, and under it the credit (source, as-of date,
licence, address), every text from the data escaped; the credit the pages give their charts;
the colours the dark palette redraws."""

from __future__ import annotations

import colorsys
import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from minhbach import charts
from minhbach.buildinfo import BuildInfo
from minhbach.charts import Credit, style
from minhbach.render.figures import chart_credit, chart_source

from .figures import ALL, NAME, fig_bars, fig_group_scores, fig_stacked, fig_trend, svg_of

SVG = "{http://www.w3.org/2000/svg}"
CREDIT = Credit(
    source=f"Nguồn: minhbach, tính từ dữ liệu một cửa của {NAME}",
    as_of="15/11/2026",
    licence="CC BY 4.0",
    url="https://example.test/co-quan/so-tu-phap/#hinh-xu-huong",
)


def _svg(figure, tmp_path: Path) -> str:
    out = charts.render_figures([(tmp_path, figure)], workers=1)
    return svg_of(out[(tmp_path, figure.id)])


def _titles(svg: str) -> list[str]:
    """The <title> of every mark (not the chart's own), as a browser reads them."""
    root = ET.fromstring(svg)
    return [
        el.find(f"{SVG}title").text
        for el in root.iter()
        if el is not root and el.find(f"{SVG}title") is not None
    ]


def test_every_mark_with_a_value_has_its_tooltip_as_a_title(tmp_path):
    # 24 months, two series, one NULL rate: 47 points, each titled with its month and value.
    titles = _titles(_svg(fig_trend(), tmp_path / "a"))
    assert len(titles) == 47
    assert "Tháng 1/2025 – Đúng hạn (%): 96,57%" in titles
    assert "Tháng 12/2026 – Tổng điểm (/100): 93,00%" in titles
    assert not any(t.startswith("Tháng 6/2025 – Đúng hạn") for t in titles)  # the NULL
    # Stacked: a segment per month and channel but the NULL one (12 × 3 − 1).
    titles = _titles(_svg(fig_stacked(), tmp_path / "b"))
    assert len(titles) == 35 and "Tháng 2/2025 – Trực tiếp: 21.969" in titles
    # Bars: the category and its value as the table writes it.
    titles = _titles(_svg(fig_bars(), tmp_path / "c"))
    assert titles[:2] == ["Chưa đến hạn: 21.969", "Quá hạn 1–5 ngày: 120"]
    assert '=HYPERLINK("http://x"): 1' in titles
    # Group scores: the maximum's bar and the score's, "12,5/18"; no score is said.
    titles = _titles(_svg(fig_group_scores(), tmp_path / "d"))
    assert titles.count("Công khai, minh bạch: 12,5/18") == 2
    assert f"{NAME}: không đánh giá" in titles


def test_the_chart_carries_its_name_description_and_credit(tmp_path):
    figure = dataclasses.replace(fig_trend(), credit=CREDIT)
    svg = _svg(figure, tmp_path)
    root = ET.fromstring(svg)  # well-formed: every text from the data is escaped
    assert root[0].tag == f"{SVG}title" and root[0].text == figure.title
    assert root[1].tag == f"{SVG}desc"
    assert root[1].text == f"{figure.caption} ({CREDIT.text()})"
    credit = root.find(f"{SVG}g[@class='mb-chart-credit']")
    lines = [t.text for t in credit.iter(f"{SVG}text")]
    text = " · ".join(lines)
    assert text == (
        f"Nguồn: minhbach, tính từ dữ liệu một cửa của {NAME} · Số liệu đến ngày 15/11/2026"
        " · Giấy phép CC BY 4.0 · https://example.test/co-quan/so-tu-phap/#hinh-xu-huong"
    )
    assert len(lines) >= 2  # wrapped to the chart's width
    # Under the chart: the SVG grew by the credit's lines, its viewBox with it.
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}"
    ys = [float(t.get("y")) for t in credit.iter(f"{SVG}text")]
    plain = ET.fromstring(_svg(fig_trend(), tmp_path / "plain"))
    assert min(ys) > float(plain.get("height")) and max(ys) < height
    assert float(plain.get("width")) == width


def test_names_with_markup_stay_text_in_the_svg(tmp_path):
    for make in ALL:
        figure = dataclasses.replace(make(), credit=CREDIT)
        svg = _svg(figure, tmp_path / figure.id)
        assert "<script" not in svg, figure.id
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg, figure.id  # the credit's name
        ET.fromstring(svg)


BUILD = BuildInfo(
    province_name="Tỉnh <b>Minh Họa</b>",
    as_of=dt.date(2026, 11, 15),
    build_time=dt.datetime(2026, 11, 16, 6, 30),
    rule_set="qd766-v1",
    synthetic=False,
    synthetic_note="",
    site_url="https://example.test/minhbach/",
)


def test_chart_credit_from_the_build():
    credit = chart_credit(BUILD, "co-quan/so-tu-phap/index.md", fig_trend())
    assert credit == Credit(
        source="Nguồn: minhbach, tính từ dữ liệu một cửa của Tỉnh <b>Minh Họa</b>",
        as_of="15/11/2026",
        licence="CC BY 4.0",
        url="https://example.test/minhbach/co-quan/so-tu-phap/#hinh-xu-huong",
    )
    assert chart_credit(BUILD, "index.md", fig_trend()).url == (
        "https://example.test/minhbach/#hinh-xu-huong"
    )
    # Without a site URL, no address (never a placeholder host).
    local = dataclasses.replace(BUILD, site_url="")
    assert chart_credit(local, "co-quan/so-tu-phap/index.md", fig_trend()).url == ""


def test_chart_source_names_the_portal_where_the_figures_are_its_own():
    captured = (dt.datetime(2026, 10, 1, 8), dt.datetime(2026, 11, 14, 8))
    both = dataclasses.replace(BUILD, portal_captured=captured)
    portal = "số liệu của Cổng Dịch vụ công quốc gia (bản chụp 01/10/2026 – 14/11/2026)"
    assert chart_source(both) == "Nguồn: minhbach, tính từ dữ liệu một cửa của Tỉnh <b>Minh Họa</b>"
    assert chart_source(both, portal=True) == f"Nguồn: minhbach, tính từ {portal}"
    alone = dataclasses.replace(both, dossiers=False)
    assert chart_source(alone) == f"Nguồn: minhbach, tính từ {portal}"
    assert chart_credit(both, "toan-quoc/index.md", fig_bars()).source.endswith(portal)
    fake = dataclasses.replace(BUILD, synthetic=True)
    assert chart_source(fake) == "Nguồn: minhbach, tính từ dữ liệu giả lập của Tỉnh <b>Minh Họa</b>"
    # The sample's portal figures are invented too: never "của Cổng…".
    fake = dataclasses.replace(both, synthetic=True)
    assert chart_source(fake, portal=True) == (
        "Nguồn: minhbach, tính từ số liệu giả lập theo dạng Cổng Dịch vụ công quốc gia"
    )
    assert chart_source(fake).startswith("Nguồn: minhbach, tính từ dữ liệu giả lập của Tỉnh")


# --------------------------------------------------------------------------- the dark palette

CSS = Path(__file__).resolve().parents[2] / "site_src" / "assets" / "css" / "minhbach.css"
DARK_RULE = re.compile(
    r'\[data-md-color-scheme="slate"\] \.mb-chart-static svg \[(fill|stroke)="(#[0-9A-F]{6})"\]'
    r" \{\s*\1: ([^;]+);\s*\}"
)
# Material's slate background: hsla(var(--md-hue), 15%, 14%), the hue minhbach.css sets (215).
SLATE_BG = colorsys.hls_to_rgb(215 / 360, 0.14, 0.15)


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(hex_colour: str, bg=SLATE_BG) -> float:
    rgb = tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    a, b = sorted((_luminance(rgb), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_dark_palette_redraws_what_would_not_read_on_slate():
    """Every colour the charts draw either reads on the slate background (3:1, a series or a
    line) or has a slate rule in minhbach.css; a rule to a fixed colour reads too; the
    texts and the page-coloured separator always follow the palette."""
    rules = {
        (kind, colour): target.strip()
        for kind, colour, target in DARK_RULE.findall(CSS.read_text(encoding="utf-8"))
    }
    redrawn = {colour for _, colour in rules}
    for (_, colour), target in rules.items():
        # The maximum's light bar is faint in both palettes: its outline shows its extent.
        if target.startswith("#") and colour != style.MAX_BAR:
            assert _contrast(target) >= 3, target
    drawn = {
        *style.PALETTE,
        style.PRIMARY,
        style.MAX_BAR_STROKE,
        style.RULE_COLOR,
        style.GRID,
        style.DOMAIN,
    }
    for colour in drawn:
        assert colour in redrawn or _contrast(colour) >= 3, colour
    assert {style.TEXT, style.MUTED, style.SEPARATOR, style.GRID, style.MAX_BAR} <= redrawn
    assert ("stroke", style.SEPARATOR) in rules and ("fill", style.TEXT) in rules


@pytest.mark.parametrize("colour", ["#FFFFFF", "#000000"])
def test_contrast_helper(colour):
    # White on slate is well above 4.5:1, black well below 3:1.
    assert (_contrast(colour) > 12) == (colour == "#FFFFFF")


def test_credit_lines_fit_the_width_and_keep_every_word():
    from minhbach.charts.static import credit_lines
    from minhbach.charts.text import text_width

    credit = Credit(
        source="Nguồn: minhbach, tính từ dữ liệu một cửa của Tỉnh Minh Họa",
        as_of="15/11/2026",
        licence="CC BY 4.0",
        url="https://example.test/minhbach/co-quan/ban-dan-toc/#hinh-xu-huong",
    )
    # Wide enough: phrases share lines, apart by " · ", none broken.
    lines = credit_lines(credit, 560)
    assert len(lines) == 2 and all(" · " in line for line in lines)
    for width in (200, 300, 560):
        lines = credit_lines(credit, width)
        assert all(text_width(line, style.CREDIT_SIZE) <= width for line in lines), width
        words = " ".join(lines).replace(" · ", " ").split(" ")
        text = " ".join(credit.parts())
        assert "".join(words) == "".join(text.split(" ")), width
    # Narrow: the address broken after its slashes, on lines of its own.
    lines = credit_lines(credit, 200)
    start = next(i for i, line in enumerate(lines) if line.startswith("https://"))
    assert "".join(lines[start:]) == credit.url and len(lines) - start >= 2
    assert all(line.endswith("/") for line in lines[start:-1])
