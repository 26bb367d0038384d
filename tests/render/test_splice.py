"""Figures kept out of MkDocs (a mark in the page) and spliced back into the built HTML."""

from __future__ import annotations

from minhbach import render

from .province import make_info, province_db, read, render_site, slug_of


def test_figures_can_be_kept_out_of_mkdocs_and_spliced_back(tmp_path):
    """With figures_dir, pages carry a mark; splice_figures puts the figure in the built page."""
    con = province_db()
    docs, figures = tmp_path / "docs", tmp_path / "figures"
    render_site(con, docs, make_info(synthetic=True), figures_dir=figures)
    unit_dir = f"co-quan/{slug_of(con, 'A')}"
    unit = read(docs, f"{unit_dir}/index.md")
    assert "<!--mb-figure:nhom-diem-->" in unit and "<figure" not in unit
    assert (figures / unit_dir / "nhom-diem.html").is_file()
    # a stand-in for the built site: one index.html per page
    site = tmp_path / "site"
    for md in docs.rglob("index.md"):
        html = site / md.parent.relative_to(docs) / "index.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(md.read_text(encoding="utf-8"), encoding="utf-8")
    placed = render.splice_figures(site, figures)
    assert placed == len(list(figures.rglob("*.html")))
    built = (site / unit_dir / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in built
    assert "<!--mb-figure:" not in built
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-xu-huong">' in home
