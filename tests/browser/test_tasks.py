"""The readers' tasks of issue 13, walked in Chromium on the sample site (`make site`):

- a citizen finds a commune's verdict against the province in two clicks from the home page,
  by the search (with JavaScript) and by the A–Z list of units (without it);
- a reader of a procedure page sees its real duration against its legal limit in the first
  screen;
- a chart carries its source and licence inside its SVG (a screenshot keeps them)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .test_site import search_titles

COMMUNE = "Xã An Linh"
VERDICT = re.compile(r"Tỷ lệ giải quyết đúng hạn \(mẫu 06a\): [\d,]+% \(\d+/\d+\), (thấp|cao)")


def assert_verdict(page) -> None:
    text = " ".join(page.locator("article").inner_text().split())
    assert "Tóm lại" in text, page.url
    assert VERDICT.search(text), page.url
    assert "toàn tỉnh (" in text  # compared with the province


def test_a_communes_verdict_is_two_clicks_from_home_by_search(open_page):
    visit = open_page("/")
    page = visit.page
    found = search_titles(page, COMMUNE)  # click 1: the search box (the name is typed)
    assert any(title == COMMUNE for title, _ in found), found
    page.locator(
        ".md-search-result__item > a.md-search-result__link", has_text=COMMUNE
    ).first.click()
    page.wait_for_load_state("load")  # click 2: the result (the unit's page comes first)
    assert urlsplit(page.url).path == "/co-quan/xa-an-linh/"
    assert_verdict(page)
    visit.recorder.assert_clean("search to a verdict")


def test_a_communes_verdict_is_two_clicks_from_home_without_javascript(open_page):
    visit = open_page("/", javascript=False)
    page = visit.page
    page.locator('a[href="co-quan/"]').first.click()  # click 1: every unit, A–Z
    page.wait_for_load_state("load")
    assert page.url.endswith("/co-quan/")
    page.locator("article a", has_text=COMMUNE).first.click()  # click 2: the commune
    page.wait_for_load_state("load")
    assert page.url.endswith("/co-quan/xa-an-linh/")
    assert_verdict(page)


def test_a_procedures_real_duration_against_its_limit_is_in_the_first_screen(open_page):
    visit = open_page("/thu-tuc/1.000047/", viewport={"width": 390, "height": 844})
    page = visit.page
    lead = page.locator("p.mb-lead").first
    box = lead.bounding_box()
    assert box and box["y"] < 844, "the duration is below the first screen of a phone"
    text = " ".join(lead.inner_text().split())
    assert re.search(r"một nửa số hồ sơ xong trong [\d,]+ ngày, 90% xong trong [\d,]+ ngày", text)
    assert re.search(r"Thời hạn theo quy định là \d+ ngày làm việc", text)


def test_a_charts_svg_carries_its_source_date_and_licence(open_page):
    page = open_page("/co-quan/xa-an-linh/").page
    svg = page.locator("figure.mb-chart svg").first.evaluate("s => s.outerHTML")
    assert "Nguồn:" in svg and "Số liệu đến ngày" in svg and "CC BY 4.0" in svg
