"""Every page kind together: each page written with a title and a description, names escaped,
the navigation, and the pages through MkDocs and the theme."""

from __future__ import annotations

from pathlib import Path

from minhbach import render

from .province import (
    AGENCIES,
    HOSTILE,
    front_matter,
    make_info,
    province_db,
    read,
    render_site,
    slug_of,
    write_downloads,
)


def test_every_page_is_written(site):
    con, docs, _, _ = site
    expected = [
        "index.md",
        "xep-hang/index.md",
        "xep-hang/2026-03/index.md",
        "xep-hang/2026-Q1/index.md",
        "xep-hang/2026/index.md",
        "thu-tuc/1.000001/index.md",
        "thu-tuc/1.000002/index.md",
        "du-lieu/index.md",
        "phuong-phap/index.md",
        "chat-luong-du-lieu/index.md",
        "lich-su/index.md",
    ]
    expected += [f"co-quan/{slug_of(con, a['agency_id'])}/index.md" for a in AGENCIES]
    missing = [p for p in expected if not (docs / p).is_file()]
    assert not missing
    for page in docs.rglob("*.md"):
        if "assets" in page.parts:
            continue
        meta = front_matter(page.read_text(encoding="utf-8"))
        assert meta.get("title"), page
        assert meta.get("description"), page


def test_hostile_names_are_escaped(site):
    con, docs, _, _ = site
    for page in docs.rglob("*.md"):
        if "assets" not in page.parts:
            body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
            assert HOSTILE not in body, page
    unit = read(docs, f"co-quan/{slug_of(con, 'X')}/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unit
    # Title and description are plain text, escaped once by the theme: main.html, and
    # minhbach/hooks.py for the partials that print the title unescaped and the search index.
    meta = front_matter(unit)
    assert meta["title"] == HOSTILE
    assert meta["description"].startswith(HOSTILE + " (sở, ban, ngành)")
    ranking = read(docs, "xep-hang/2026-03/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ranking
    # Markdown syntax in names is shown as text
    proc = read(docs, "thu-tuc/1.000002/index.md")
    assert "# Cấp phép \\*xây dựng\\*" in proc


def test_navigation_has_hub_pages_only(site):
    _, docs, nav, _ = site
    paths = [next(iter(item.values())) for item in nav]
    assert paths == [
        "index.md",
        "xep-hang/index.md",
        "kiem-tra-tu-xa/index.md",
        "du-lieu/index.md",
        "phuong-phap/index.md",
        "chat-luong-du-lieu/index.md",
        "lich-su/index.md",
    ]
    assert not any(p.startswith(("co-quan/", "thu-tuc/")) for p in paths)
    assert all((docs / p).is_file() for p in paths)


def test_pages_build_with_mkdocs_without_warnings(tmp_path):
    """The pages through MkDocs and the theme, as the pipeline builds them (the figures kept
    aside and spliced back): no warning (every Markdown link resolves), names stay text."""
    import logging
    import os

    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path(__file__).resolve().parents[2]
    for name in ("mkdocs.yml", "site_src", "minhbach"):
        (tmp_path / name).symlink_to(root / name)
    docs, figures, site = tmp_path / "build" / "docs", tmp_path / "figures", tmp_path / "site"
    con = province_db()
    info = make_info(synthetic=True)
    datasets = write_downloads(con, docs, info)
    nav, _ = render_site(con, docs, info, datasets=datasets, figures_dir=figures)
    config = {
        "INHERIT": "../mkdocs.yml",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "site_name": "Minh bạch · Tỉnh Thử",
        "site_url": "https://example.org/minhbach/",
        "nav": nav,
        "extra": {
            "province_name": "Tỉnh Thử",
            "synthetic": True,
            "as_of": "31/03/2026",
            "build_time": "02/04/2026 03:40",
            "rule_set": "qd766-v1",
        },
    }
    config_file = tmp_path / "build" / "mkdocs-test.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    warnings: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    handler = Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(load_config(config_file=str(config_file)))
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert warnings == []
    assert render.splice_figures(site, figures) > 0

    unit = (site / "co-quan" / slug_of(con, "X") / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in unit
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unit
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text, html
        assert "<!--mb-figure:" not in text, html
    a = (site / "co-quan" / slug_of(con, "A") / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in a
    ranking = (site / "xep-hang" / "index.html").read_text(encoding="utf-8")
    assert 'class="tabbed-set tabbed-alternate"' in ranking and "<p><div" not in ranking
