"""Printing and phones (issue 13, item 7): a unit's scorecard prints on at most three A4 pages,
without the site's chrome, with collapsed tables left collapsed, no heading left without
content and the page's citation (its address) on the paper; on a phone, a wide table keeps its
key column in view and says that it scrolls. Runs against the built site (conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REDIRECT

pytestmark = pytest.mark.browser

MAX_PAGES = 3


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF (its /Type /Page objects; /Pages is the tree)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def largest_units(site_dir: Path, n: int = 3) -> list[str]:
    """The ``n`` unit pages with the most HTML (the longest scorecards), as URL paths."""
    pages = []
    for page in (site_dir / "co-quan").glob("*/index.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        if not REDIRECT.search(text[:4000]):
            pages.append((len(text), f"/co-quan/{page.parent.name}/"))
    assert pages, "no unit page in the built site"
    return [path for _, path in sorted(pages, reverse=True)[:n]]


def test_pdf_pages_counts_pages_not_the_tree():
    pdf = b"<< /Type /Pages /Kids [] >> << /Type /Page /Parent 1 0 R >> << /Type/Page >>"
    assert pdf_pages(pdf) == 2


def test_longest_unit_scorecards_print_on_three_a4_pages(open_page, site_dir):
    for path in largest_units(site_dir):
        page = open_page(path).page
        page.wait_for_load_state("networkidle")
        pages = pdf_pages(page.pdf(format="A4"))
        assert pages <= MAX_PAGES, f"{path} prints on {pages} A4 pages"


def test_print_hides_chrome_and_collapsed_tables_and_shows_the_address(open_page, site_pages):
    page = open_page(site_pages.unit).page
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer"):
        loc = page.locator(chrome)
        assert loc.count() == 0 or all(not loc.nth(i).is_visible() for i in range(loc.count()))
    details = page.locator("article details")
    assert details.count() > 0  # the sample's scorecard has collapsed tables
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # the theme opens them
    assert all(not details.nth(i).is_visible() for i in range(details.count()))
    cite = page.locator(".mb-cite-text")
    assert cite.is_visible()
    slug = site_pages.unit.strip("/").split("/")[-1]
    assert f"co-quan/{slug}/" in cite.inner_text()


def test_print_leaves_no_heading_without_content(open_page, site_dir):
    page = open_page(largest_units(site_dir, 1)[0]).page
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    empty = page.evaluate(
        """() => {
          const visible = (e) => e.getClientRects().length > 0
            && getComputedStyle(e).visibility !== 'hidden';
          const heads = [...document.querySelectorAll('article h2, article h3')].filter(visible);
          return heads.filter((h) => {
            for (let e = h.nextElementSibling; e; e = e.nextElementSibling) {
              if (/^H[1-3]$/.test(e.tagName)) return true;
              if (visible(e) && e.textContent.trim()) return false;
            }
            return true;
          }).map((h) => h.textContent.trim());
        }"""
    )
    assert not empty, f"headings with nothing under them in print: {empty}"


def test_a_table_the_reader_opened_prints(open_page, site_pages):
    page = open_page(site_pages.unit).page
    page.wait_for_load_state("networkidle")
    details = page.locator("figure.mb-chart:not(#hinh-nhom-diem) details").first
    details.locator("summary").click()
    page.wait_for_timeout(50)
    page.emulate_media(media="print")
    assert details.locator("table").is_visible()


def test_wide_table_on_a_phone_keeps_its_key_column_and_a_cue(open_page, site_pages):
    page = open_page(site_pages.unit, viewport={"width": 390, "height": 844}).page
    page.wait_for_load_state("networkidle")
    wrap = page.locator(".md-typeset__scrollwrap.mb-scrolls").first
    assert wrap.count() == 1, "no table scrolls sideways at 390 px"
    cue = wrap.evaluate("(w) => getComputedStyle(w, '::before').content")
    assert "Vuốt ngang" in cue
    first = wrap.locator("tbody tr").first.locator("th, td").first
    wrap.evaluate("(w) => { w.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    assert wrap.evaluate("(w) => w.scrollLeft") > 0
    box, cell = wrap.bounding_box(), first.bounding_box()
    # still in view: stuck to the left edge of the scrolling box
    assert box["x"] - 1 <= cell["x"] <= box["x"] + 40, "the key column scrolled away"
