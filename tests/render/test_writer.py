"""The writer: the charts of the whole site drawn in one go, figures as raw HTML blocks."""

from __future__ import annotations

from .province import read, slug_of


def test_charts_are_rendered_once_for_the_whole_site(site):
    con, docs, _, recorder = site
    assert len(recorder.calls) == 1
    jobs = recorder.calls[0]
    dirs = {p for p, _ in jobs}
    assert docs / f"co-quan/{slug_of(con, 'A')}" in dirs
    assert docs / "thu-tuc/1.000001" in dirs
    assert docs in dirs  # the home page
    unit = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in unit
    # a figure is a raw HTML block: a blank line before and after
    assert "\n\n<figure" in unit and "</figure>\n\n" in unit
