"""The theme without a browser: the chart locale, hooks, and a tiny site built with it.

The tiny site is built the way the pipeline builds the real one: a generated config one level
below a root that holds mkdocs.yml, site_src/ and minhbach/ (symlinked here), inheriting
`../mkdocs.yml`, with docs/ holding the pages and a copy of site_src/assets.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from minhbach import hooks

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "site_src" / "assets"
BANNER = (
    "Dữ liệu giả lập: trang này được dựng từ dữ liệu tổng hợp của một tỉnh hư cấu; "
    "các con số không mô tả bất kỳ tỉnh thật nào."
)


# --------------------------------------------------------------------------- assets


def test_vietnamese_chart_locale():
    locale = json.loads((ASSETS / "js" / "vi-VN.locale.json").read_text(encoding="utf-8"))
    assert locale["number"]["decimal"] == ","
    assert locale["number"]["thousands"] == "."
    assert locale["time"]["months"][0] == "Tháng 1"
    assert len(locale["time"]["months"]) == len(locale["time"]["shortMonths"]) == 12
    assert len(locale["time"]["days"]) == len(locale["time"]["shortDays"]) == 7


# --------------------------------------------------------------------------- hooks


def test_fold_strips_vietnamese_diacritics():
    assert hooks.fold("Sở Tư pháp") == "So Tu phap"
    assert hooks.fold("UBND xã Đông Hòa, đường Hữu Nghị") == "UBND xa Dong Hoa, duong Huu Nghi"
    assert hooks.fold("SỞ TƯ PHÁP").lower() == "so tu phap"


def test_heading_anchors_have_no_diacritics():
    assert hooks.slugify("Đơn vị tốt nhất và kém nhất", "-") == "don-vi-tot-nhat-va-kem-nhat"
    assert hooks.slugify("Số liệu 06a (tháng 10/2026)", "-") == "so-lieu-06a-thang-102026"


def test_compact_search_index_keeps_one_entry_per_unit_page():
    data = {
        "config": {"lang": ["vi"]},
        "docs": [
            {"location": "", "title": "Trang chủ", "text": "x"},
            {"location": "#a", "title": "A", "text": "y"},
            {"location": "co-quan/so-tu-phap/", "title": "Sở Tư pháp", "text": "1.234 ..."},
            {"location": "co-quan/so-tu-phap/#so-lieu", "title": "Số liệu", "text": "9.999"},
            {"location": "thu-tuc/1.000001/#x", "title": "X", "text": "z"},
        ],
    }
    out = hooks.compact_search_index(data, {"co-quan/so-tu-phap/": "Bảng điểm <766>"})
    assert [d["location"] for d in out["docs"]] == ["", "#a", "co-quan/so-tu-phap/"]
    assert out["docs"][2] == {
        "location": "co-quan/so-tu-phap/",
        "title": "Sở Tư pháp",
        "text": "Bảng điểm &lt;766&gt;",
    }
    assert out["config"] == data["config"]


def test_search_titles_taken_from_the_front_matter_escape_no_quote():
    """Material's highlighting would cut `&#39;` in two: only <, > and & are entities."""
    name = "Sở <b>Văn hóa</b> & 'Thể thao'"
    data = {
        "docs": [
            {"location": "co-quan/x/", "title": str(hooks.escape(name)), "text": ""},
            {"location": "co-quan/x/#a", "title": "A &amp; B", "text": ""},
            {"location": "phuong-phap/", "title": "Heading &lt;h&gt;", "text": ""},
        ]
    }
    titles = {"co-quan/x/": name, "phuong-phap/": "Phương pháp"}
    out = hooks.compact_search_index(data, {}, titles=titles)
    assert [d["title"] for d in out["docs"]] == [
        "Sở &lt;b&gt;Văn hóa&lt;/b&gt; &amp; 'Thể thao'",
        "Heading &lt;h&gt;",  # the plugin's own title (from a heading) is kept
    ]


# --------------------------------------------------------------------------- a tiny site

PAGES = {
    "index.md": (
        "Trang chủ",
        'Tổng quan "766" <tháng 10>',
        "# Tỉnh Thử\n\nXem [Sở Tư pháp](/co-quan/so-tu-phap/index.md).\n\n"
        "## Đơn vị tốt nhất\n\nx\n",
    ),
    "xep-hang/index.md": ("Xếp hạng", "Xếp hạng", "# Xếp hạng\n"),
    "du-lieu/index.md": ("Dữ liệu", "Dữ liệu", "# Dữ liệu\n"),
    "phuong-phap/index.md": ("Phương pháp", "Phương pháp", "# Phương pháp\n"),
    "chat-luong-du-lieu/index.md": ("Chất lượng dữ liệu", "Chất lượng", "# Chất lượng\n"),
    "lich-su/index.md": ("Lịch sử", "Lịch sử", "# Lịch sử\n"),
    "co-quan/so-tu-phap/index.md": (
        "Sở Tư pháp",
        "Bảng điểm 766 của Sở Tư pháp",
        "# Sở Tư pháp\n\n## Số liệu 06a\n\n| a | b |\n|---|--:|\n| x | 1.234 |\n",
    ),
    "thu-tuc/1.000001/index.md": ("Thủ tục một", "Thủ tục một", "# Thủ tục một\n"),
}
NAV = [
    {"Trang chủ": "index.md"},
    {"Xếp hạng": "xep-hang/index.md"},
    {"Dữ liệu": "du-lieu/index.md"},
    {"Phương pháp": "phuong-phap/index.md"},
    {"Chất lượng dữ liệu": "chat-luong-du-lieu/index.md"},
    {"Lịch sử": "lich-su/index.md"},
]


def build_tiny_site(work: Path, *, synthetic: bool) -> tuple[Path, list[str]]:
    """Build the tiny site under `work`; return the site folder and MkDocs' warnings."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name in ("mkdocs.yml", "site_src", "minhbach"):
        (work / name).symlink_to(ROOT / name)
    docs = work / "build" / "docs"
    shutil.copytree(ASSETS, docs / "assets")
    for path, (title, description, body) in PAGES.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump({"title": title, "description": description}, allow_unicode=True)
        target.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    site = work / "site"
    config = {
        "INHERIT": "../mkdocs.yml",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "site_name": "Minh bạch · Tỉnh Thử",
        "site_url": "https://example.org/minhbach/",
        "nav": NAV,
        "extra": {
            "province_name": "Tỉnh Thử",
            "synthetic": synthetic,
            "as_of": "15/11/2026",
            "build_time": "21/11/2026 03:40",
            "rule_set": "qd766-v1",
            "source": "Nguồn: <b>Cổng</b> (bản chụp 10/10/2026)",
        },
    }
    config_file = work / "build" / "mkdocs-test.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    warnings: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(config_file=str(config_file)))
    finally:
        logger.removeHandler(handler)
    return site, warnings


@pytest.fixture(scope="module")
def tiny_sites(tmp_path_factory):
    built = {}
    for synthetic in (True, False):
        work = tmp_path_factory.mktemp("synthetic" if synthetic else "real")
        built[synthetic] = build_tiny_site(work, synthetic=synthetic)
    return built


def pages_of(site: Path) -> list[Path]:
    return [site / p.replace(".md", ".html") for p in PAGES]


def text_of(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_tiny_site_builds_without_warnings(tiny_sites):
    for _, warnings in tiny_sites.values():
        assert warnings == []


def test_banner_on_every_page_only_when_synthetic(tiny_sites):
    synthetic_site, _ = tiny_sites[True]
    real_site, _ = tiny_sites[False]
    for page in pages_of(synthetic_site):
        text = text_of(page)
        banner = re.search(
            r'<div class="mb-synthetic" role="region"[^>]*>(.*?)</div>\s*</div>', text, re.S
        )
        assert banner, page
        assert " ".join(re.sub(r"<[^>]+>", "", banner.group(1)).split()) == BANNER
    for page in pages_of(real_site):
        assert "mb-synthetic" not in text_of(page), page


def test_every_page_says_province_as_of_and_build_time(tiny_sites):
    site, _ = tiny_sites[True]
    for page in pages_of(site):
        text = text_of(page)
        context = text[text.index('class="mb-context"') :]
        assert "Tỉnh Thử" in context
        assert '<time datetime="2026-11-15">15/11/2026</time>' in context
        assert "Cập nhật lúc 21/11/2026 03:40" in context
        assert "Nguồn: &lt;b&gt;Cổng&lt;/b&gt; (bản chụp 10/10/2026)" in context  # escaped
        assert 'aria-label="Tabs"' not in text and 'aria-label="Các mục chính"' in text
        footer = text[text.index("<footer") :]
        assert "Số liệu đến ngày 15/11/2026" in footer and "Cập nhật lúc 21/11/2026 03:40" in footer
        assert "qd766-v1" in footer


def test_share_previews_and_escaped_description(tiny_sites):
    site, _ = tiny_sites[True]
    home = text_of(site / "index.html")
    for attribute in (
        'name="description"',
        'property="og:description"',
        'name="twitter:description"',
    ):
        found = re.search(rf'<meta {attribute} content="([^"<>]*)">', home)
        assert found, attribute
        assert html.unescape(found.group(1)) == 'Tổng quan "766" <tháng 10>'
    unit = text_of(site / "co-quan" / "so-tu-phap" / "index.html")
    assert '<meta property="og:title" content="Sở Tư pháp">' in unit
    assert "<title>Sở Tư pháp - Minh bạch · Tỉnh Thử</title>" in unit
    assert (
        '<meta property="og:url" content="https://example.org/minhbach/co-quan/so-tu-phap/">'
        in unit
    )


def test_nothing_is_fetched_from_another_host(tiny_sites):
    site, _ = tiny_sites[True]
    fetching = re.compile(
        r"""(?:\bsrc|\bsrcset|<link(?![^>]*rel="?canonical)[^>]*\bhref)\s*=\s*["']?(?:https?:)?//"""
        r"""|url\(\s*["']?(?:https?:)?//|@import""",
        re.I,
    )
    for page in [*pages_of(site), site / "404.html", *sorted(site.glob("assets/css/*.css"))]:
        text = text_of(page)
        assert not fetching.search(text), (page, fetching.search(text))
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_search_is_named_and_folds_diacritics(tiny_sites):
    site, _ = tiny_sites[True]
    home = text_of(site / "index.html")
    assert re.search(r'class="md-search"[^>]*role="dialog"[^>]*aria-label="[^"]+"', home)
    assert re.search(r'class="md-search__input"[^>]*aria-label="[^"]+"', home)
    worker_lang = text_of(site / "assets/javascripts/lunr/min/lunr.vi.min.js")
    assert hooks.FOLD_MARKER in worker_lang
    index = json.loads(text_of(site / "search" / "search_index.json"))
    assert index["config"]["lang"] == ["vi"]
    units = [d for d in index["docs"] if d["location"].startswith("co-quan/")]
    assert units == [
        {
            "location": "co-quan/so-tu-phap/",
            "title": "Sở Tư pháp",
            "text": "Bảng điểm 766 của Sở Tư pháp",
        }
    ]


def test_absolute_links_and_anchors(tiny_sites):
    site, _ = tiny_sites[True]
    home = text_of(site / "index.html")
    assert 'href="co-quan/so-tu-phap/"' in home
    assert 'id="don-vi-tot-nhat"' in home


def test_assets_are_listed_once_and_no_chart_library(tiny_sites):
    """Charts are static SVGs with their own tooltips: no page loads a chart script."""
    site, _ = tiny_sites[True]
    unit = text_of(site / "co-quan" / "so-tu-phap" / "index.html")
    assert "assets/css/minhbach.css" in unit
    assert "assets/js/tables.js" in unit
    assert "charts.js" not in unit and "vega" not in unit
    assert not (site / "assets" / "vendor").exists()
