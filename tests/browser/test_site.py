"""The built site in a real browser: every kind of page, search, tables, charts, accessibility.

Runs against the site `make site` built (or $MINHBACH_SITE); see conftest.py. Pages are found
from the built folders (the first unit under /co-quan/, the first procedure under /thu-tuc/),
so the tests hold for any province's data.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import SitePages, run_axe

pytestmark = pytest.mark.browser

PAGE_KINDS = [
    "home",
    "ranking",
    "unit",
    "procedure",
    "methodology",
    "downloads",
    "data_quality",
    "history",
]
AXE_KINDS = ["home", "ranking", "unit", "procedure"]
BANNER = (
    "Dữ liệu giả lập: trang này được dựng từ dữ liệu tổng hợp của một tỉnh hư cấu; "
    "các con số không mô tả bất kỳ tỉnh thật nào."
)


def fold(text: str) -> str:
    """Vietnamese without diacritics (đ -> d), as a reader without an IME would type it."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def vi_number(text: str) -> float | None:
    """'96,57%' -> 96.57, '21.969' -> 21969, '—' -> None (the rule tables.js applies)."""
    t = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"[\u2014\u2013\u2012\u2212-]*", t):
        return None
    m = re.match(r"^([+\-\u2212]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?", t)
    if not m:
        return None
    value = float(m.group(2).replace(".", "") + ("." + m.group(3) if m.group(3) else ""))
    return -value if m.group(1) in ("-", "\u2212") else value


def settle(page) -> None:
    """Let the page's own scripts (tables) finish."""
    page.wait_for_load_state("networkidle")


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_loads_without_errors_or_outside_requests(open_page, site_pages: SitePages, kind):
    path = site_pages.all[kind]
    visit = open_page(path)
    settle(visit.page)
    visit.recorder.assert_clean(f"{kind} page {path}")

    page = visit.page
    assert page.locator("h1").count() >= 1, f"{path} has no h1"
    assert page.locator('meta[name="description"]').get_attribute("content"), path
    assert page.locator('meta[property="og:title"]').get_attribute("content"), path
    context = page.locator(".mb-context").inner_text()
    assert "Số liệu đến ngày" in context and "Cập nhật lúc" in context, context
    footer = page.locator("footer").inner_text()
    assert "Số liệu đến ngày" in footer and "Cập nhật lúc" in footer, footer


def test_synthetic_banner_is_on_every_page_or_none(open_page, site_pages: SitePages):
    seen = {}
    for kind in PAGE_KINDS:
        visit = open_page(site_pages.all[kind], javascript=False)
        banner = visit.page.locator(".mb-synthetic")
        seen[kind] = banner.count()
        if banner.count():
            assert " ".join(banner.inner_text().split()) == BANNER
            assert banner.get_attribute("role") == "region"
            assert banner.locator("button").count() == 0, "the banner must not be dismissible"
    assert len(set(seen.values())) == 1, f"banner on some pages only: {seen}"


def test_built_html_asks_no_other_host(site_dir: Path, site_pages: SitePages):
    """No script, style, font, image or frame from elsewhere in the HTML and CSS we ship."""
    files = [site_dir / p.strip("/") / "index.html" for p in site_pages.all.values()]
    files += [site_dir / "404.html", *sorted((site_dir / "assets" / "css").glob("*.css"))]
    fetching = re.compile(
        r"""(?:\bsrc|\bsrcset|\bposter|\bdata|<(?:link|image|use)[^>]*\bhref)"""
        r"""\s*=\s*["']\s*(?:https?:)?//"""
        r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
        re.IGNORECASE,
    )
    offenders = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        for m in fetching.finditer(text):
            snippet = text[m.start() : m.start() + 120]
            if "<link" in snippet[:6] and re.search(r'rel="?(canonical|alternate)', snippet):
                continue
            offenders.append(f"{file.relative_to(site_dir)}: {snippet!r}")
    assert not offenders, "\n".join(offenders)


# --------------------------------------------------------------------------- search


def unit_name(site_dir: Path, path: str) -> str:
    html = (site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert m, f"no h1 in {path}"
    name = re.sub(r"<[^>]+>", "", m.group(1))
    return " ".join(name.replace("&para;", "").replace("¶", "").split())


def search_titles(page, query: str) -> list[tuple[str, str]]:
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10)
    page.wait_for_function(
        """q => {
            const input = document.querySelector('.md-search__input');
            const meta = document.querySelector('.md-search-result__meta');
            return input.value === q && meta && !meta.textContent.includes('Đang chuẩn bị')
                && document.querySelectorAll('.md-search-result__item').length > 0;
        }""",
        arg=query,
        timeout=30_000,
    )
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        """links => links.map(a => [
            (a.querySelector('h1') || a).textContent.replace(/\\s+/g, ' ').trim(),
            new URL(a.href).pathname,
        ])"""
    )


def test_search_finds_a_unit_with_or_without_diacritics(open_page, site_dir, site_pages):
    name = unit_name(site_dir, site_pages.unit)
    visit = open_page("/")
    queries = [name, fold(name), fold(name).upper(), name.upper(), fold(name).lower()]
    for query in queries:
        found = search_titles(visit.page, query)
        hits = [path for title, path in found if title == name and path == site_pages.unit]
        assert hits, f"search {query!r} did not list {name!r} ({site_pages.unit}); got {found[:10]}"
    visit.recorder.assert_clean("search")


def test_search_dialog_and_input_have_names(open_page):
    page = open_page("/").page
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label")
    assert page.locator(".md-search__input").get_attribute("aria-label")


# --------------------------------------------------------------------------- tables


def visible_table(page):
    wrapper = page.locator(".mb-sortable:visible").first
    assert wrapper.count(), "no visible .mb-sortable table on the ranking page"
    return wrapper, wrapper.locator("table").first


def column_values(table, index: int) -> list[str]:
    return table.evaluate(
        """(t, i) => Array.from(t.tBodies).flatMap(b => Array.from(b.rows))
              .filter(r => !r.hidden).map(r => r.cells[i] ? r.cells[i].textContent.trim() : '')""",
        index,
    )


def test_ranking_table_sorts(open_page):
    visit = open_page("/xep-hang/")
    page = visit.page
    _, table = visible_table(page)
    headers = table.locator("thead th:has(button.mb-sort)")
    assert headers.count() >= 2, "ranking headers are not sortable buttons"
    numeric = table.locator('thead th[data-type="number"]:has(button.mb-sort)').last
    assert numeric.count(), "no numeric column detected in the ranking table"
    index = numeric.evaluate("th => th.cellIndex")
    button = numeric.locator("button.mb-sort")

    button.click()
    assert numeric.get_attribute("aria-sort") == "ascending"
    values = [vi_number(v) for v in column_values(table, index)]
    present = [v for v in values if v is not None]
    assert present == sorted(present), values
    assert values == present + [None] * (len(values) - len(present)), "missing values not last"

    button.focus()
    page.keyboard.press("Enter")
    assert numeric.get_attribute("aria-sort") == "descending"
    values = [vi_number(v) for v in column_values(table, index)]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True), values
    assert values == present + [None] * (len(values) - len(present)), "missing values not last"
    assert table.locator("thead th[aria-sort]").count() == 1
    visit.recorder.assert_clean("ranking sort")


def test_ranking_table_filters_ignoring_diacritics(open_page):
    visit = open_page("/xep-hang/")
    page = visit.page
    wrapper, table = visible_table(page)
    box = wrapper.locator(".mb-filter input")
    assert box.count() == 1, "no filter field above the ranking table"
    label_for = wrapper.locator(".mb-filter label").get_attribute("for")
    assert label_for == box.get_attribute("id"), "the filter field has no label"

    rows = table.locator("tbody tr")
    total = rows.count()
    name = " ".join(table.locator("tbody tr a").first.inner_text().split())
    box.fill(fold(name).upper())
    page.wait_for_timeout(300)
    shown = table.locator("tbody tr:not([hidden])")
    assert 1 <= shown.count() <= total
    for i in range(shown.count()):
        assert fold(name).lower() in fold(shown.nth(i).inner_text()).lower()
    status = wrapper.locator(".mb-filter-status").inner_text()
    assert str(shown.count()) in status, status

    box.fill("")
    page.wait_for_timeout(300)
    assert table.locator("tbody tr:not([hidden])").count() == total
    visit.recorder.assert_clean("ranking filter")


def test_ranking_table_is_complete_without_javascript(open_page, site_dir):
    page = open_page("/xep-hang/", javascript=False).page
    assert page.locator(".mb-sortable table tbody tr").count() >= 1
    assert page.locator(".mb-filter").count() == 0
    assert page.locator("tbody tr[hidden]").count() == 0


# --------------------------------------------------------------------------- charts


def test_unit_page_reads_without_javascript(open_page, site_pages: SitePages):
    page = open_page(site_pages.unit, javascript=False).page
    figures = page.locator("figure.mb-chart")
    assert figures.count() >= 1, "the unit page has no chart figure"
    for i in range(figures.count()):
        figure = figures.nth(i)
        svg = figure.locator("svg").first
        assert svg.is_visible(), f"chart {i} has no visible static SVG without JavaScript"
        box = svg.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 20
        assert figure.locator("figcaption").inner_text().strip(), f"chart {i} has no caption"
        assert figure.locator("details table").count() >= 1, f"chart {i} has no data table"
    assert page.locator("article table").count() >= 1


def test_unit_page_charts_need_no_script(open_page, site_pages: SitePages):
    """The static SVG is the chart: a tooltip per mark (its <title>), the credit under it
    (source, as-of date, licence), a link to the figure; no chart library on the page."""
    visit = open_page(site_pages.unit)
    page = visit.page
    settle(page)
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert not [s for s in scripts if "vega" in s or "charts.js" in s], scripts
    assert page.evaluate("typeof window.vega") == "undefined"
    figures = page.locator("figure.mb-chart")
    assert figures.count() >= 1, "the unit page has no chart figure"
    for i in range(figures.count()):
        figure = figures.nth(i)
        fid = figure.get_attribute("id")
        svg = figure.locator(".mb-chart-static svg:visible").first
        assert svg.is_visible(), f"chart {fid} has no visible SVG"
        tips = svg.locator("path > title")
        assert tips.count() >= 1, f"chart {fid} has no tooltip"
        assert re.search(r": \S", tips.first.text_content()), tips.first.text_content()
        credit = " ".join(svg.locator("g.mb-chart-credit").text_content().split())
        assert credit.startswith("Nguồn: minhbach, tính từ "), credit
        assert "Số liệu đến ngày " in credit and "Giấy phép CC BY 4.0" in credit, credit
        link = figure.locator("figcaption a.mb-chart-link")
        assert link.inner_text() == "Liên kết" and link.get_attribute("href") == f"#{fid}"
    figures.first.locator("figcaption a.mb-chart-link").click()
    assert urlsplit(page.url).fragment == figures.first.get_attribute("id")
    visit.recorder.assert_clean("unit charts")


def test_no_page_loads_a_chart_library(site_dir: Path):
    """Charts are static SVGs: no built page references Vega or a chart script, and no such
    file is shipped."""
    pages = sorted(site_dir.rglob("*.html"))
    assert pages
    loads = re.compile(r"""<script[^>]*\bsrc=["'][^"']*(?:vega|charts\.js)""", re.I)
    offenders = [
        str(p.relative_to(site_dir)) for p in pages if loads.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders[:10]
    assert not list(site_dir.rglob("vega*.js")) and not list(site_dir.rglob("*.vl.json"))


def _chart_text_sizes(page) -> list[float]:
    """The rendered size (px) of every text of the visible charts: its font size times the
    SVG's scale."""
    return page.evaluate(
        """() => [...document.querySelectorAll("figure.mb-chart svg")]
            .filter(svg => svg.getBoundingClientRect().width > 0)
            .flatMap(svg => {
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return [...svg.querySelectorAll("text")].filter(t => t.textContent.trim())
                .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
            })"""
    )


def test_charts_fill_the_column_on_desktop(open_page, site_pages: SitePages):
    page = open_page(site_pages.unit, viewport={"width": 1280, "height": 900}).page
    settle(page)
    widths = page.evaluate(
        """() => [...document.querySelectorAll("figure.mb-chart")].map(f => {
              const svg = [...f.querySelectorAll("svg")]
                .find(s => s.getBoundingClientRect().width > 0);
              return [svg.getBoundingClientRect().width, f.getBoundingClientRect().width];
            })"""
    )
    assert widths
    for svg, figure in widths:
        assert svg >= figure - 30, (svg, figure)  # the box's padding and border only
    assert min(_chart_text_sizes(page)) >= 11


def test_charts_stay_legible_on_a_phone(open_page, site_pages: SitePages):
    page = open_page(site_pages.unit, viewport={"width": 390, "height": 844}).page
    settle(page)
    sizes = _chart_text_sizes(page)
    assert sizes and min(sizes) >= 11, f"chart text of {min(sizes):.1f} px at 390 px"
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, f"the page scrolls sideways ({overflow} px)"


def test_charts_follow_the_dark_palette(open_page, site_pages: SitePages):
    page = open_page(site_pages.unit, color_scheme="dark").page
    settle(page)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    box = page.locator("figure.mb-chart .mb-chart-static").first
    assert box.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    fills = page.evaluate(
        """() => [...document.querySelectorAll("figure.mb-chart svg text")]
            .filter(t => t.textContent.trim()).map(t => getComputedStyle(t).fill)"""
    )
    assert fills
    for fill in set(fills):  # light text on the dark page: no channel below the mid-grey
        channels = [float(c) for c in re.findall(r"[\d.]+", fill)[:3]]
        assert min(channels) >= 150, fill


def test_unit_page_prints_without_chrome(open_page, site_pages: SitePages):
    page = open_page(site_pages.unit).page
    settle(page)
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden()
    assert page.locator(".md-tabs").count() == 0 or page.locator(".md-tabs").is_hidden()
    assert page.locator(".md-search").is_hidden()
    assert page.locator(
        "figure.mb-chart:not(#hinh-nhom-diem) .mb-chart-static svg"
    ).first.is_visible()
    assert page.locator("article table:not(details table)").first.is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    # collapsed tables stay out of print (tests/browser/test_print.py: at most 3 A4 pages)
    assert page.locator("figure.mb-chart details table").first.is_hidden()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    if page.locator(".mb-synthetic").count():
        assert page.locator(".mb-synthetic").is_visible()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", AXE_KINDS)
def test_axe_finds_no_serious_violation(open_page, site_pages: SitePages, kind, scheme):
    visit = open_page(site_pages.all[kind], color_scheme=scheme)
    settle(visit.page)
    found = run_axe(visit.page)
    # Tables in tabs (one per level on the ranking page) are checked with their tab open.
    labels = visit.page.locator(".tabbed-set .tabbed-labels > label")
    for i in range(1, labels.count()):
        labels.nth(i).click()
        visit.page.wait_for_timeout(100)
        found += [
            (rule, help_, [f"tab {i + 1}: {t}" for t in targets])
            for rule, help_, targets in run_axe(visit.page)
        ]
    assert not found, f"{kind} ({scheme}): " + "; ".join(
        f"{rule} ({help_}) at {targets}" for rule, help_, targets in found
    )


def test_links_to_other_pages_stay_on_the_site(open_page, site_pages: SitePages, base_url):
    """Navigation links resolve on this server (a sub-path deployment must not break them)."""
    page = open_page(site_pages.unit).page
    hrefs = page.locator(".md-tabs a, .mb-footer a").evaluate_all("els => els.map(e => e.href)")
    assert hrefs
    for href in hrefs:
        assert urlsplit(href).netloc == urlsplit(base_url).netloc, href
