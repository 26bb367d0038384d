"""Citing a page: the "Trích dẫn" block (macro cite, minhbach/render/citation.py) on the unit,
procedure and ranking pages, and a unit's archive /co-quan/<slug>/cac-ky/ (one row per complete
period, anchored by the period: minhbach/render/archive.py, page_unit_periods.sql), on the
hand-made province of tests/render/province.py (as-of 31/03/2026: January to March complete,
the first quarter complete, the year 2026 not)."""

from __future__ import annotations

import dataclasses
import html
import re

from minhbach.render.citation import citation, page_path, ranking_citation

from .province import HOSTILE, make_info, read, slug_of


def _row(text: str, anchor: str) -> str:
    """The archive's row whose id is ``anchor`` (its HTML, one line)."""
    found = re.findall(rf'<tr id="{re.escape(anchor)}">.*?</tr>', text)
    assert len(found) == 1, (anchor, found)
    return found[0]


def _cells(row: str) -> list[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells]


def _cite_block(text: str) -> str:
    assert text.count("## Trích dẫn { #trich-dan }") == 1
    return text.split("## Trích dẫn { #trich-dan }", 1)[1]


# --- the citation itself -------------------------------------------------------------------


def test_citation_without_site_url_gives_the_page_path():
    info = make_info(synthetic=False)
    c = citation(info, "co-quan/so-tu-phap/index.md", "Sở Tư pháp", "tháng 3/2026")
    assert (c.url, c.absolute) == ("co-quan/so-tu-phap/", False)
    assert c.as_of == "31/03/2026"
    assert c.licence == "CC BY 4.0"
    assert c.text == (
        "Minh bạch TTHC – Tỉnh Thử: Sở Tư pháp, tháng 3/2026. Số liệu đến ngày 31/03/2026, "
        f"bộ quy tắc {info.rule_set}. co-quan/so-tu-phap/ (giấy phép CC BY 4.0; truy cập ngày …)."
    )


def test_citation_with_site_url_gives_the_address():
    info = dataclasses.replace(make_info(synthetic=True), site_url="https://mb.example.vn/tinh/")
    c = citation(info, "thu-tuc/1.000001/index.md", "Đăng ký khai sinh", "")
    assert (c.url, c.absolute) == ("https://mb.example.vn/tinh/thu-tuc/1.000001/", True)
    assert c.text.startswith("Minh bạch TTHC – Tỉnh Thử (dữ liệu giả lập): Đăng ký khai sinh. ")
    assert "https://mb.example.vn/tinh/thu-tuc/1.000001/ (giấy phép" in c.text


def test_ranking_citation_names_the_period_once():
    info = make_info(synthetic=False)
    c = ranking_citation(info, "xep-hang/2026-Q1/index.md", {"period": "2026-Q1", "complete": 1})
    assert (c.title, c.period, c.url) == (
        "Xếp hạng Bộ chỉ số 766",
        "quý I/2026",
        "xep-hang/2026-Q1/",
    )
    assert ranking_citation(info, "xep-hang/index.md", None).period == ""


def test_page_path():
    assert page_path("index.md") == ""
    assert page_path("du-lieu/index.md") == "du-lieu/"
    assert page_path("a/b.md") == "a/b/"


# --- the blocks on the pages ----------------------------------------------------------------


def test_unit_page_ends_with_an_escaped_citation_and_the_archive_link(site):
    con, docs, _, _ = site
    slug = slug_of(con, "X")
    block = _cite_block(read(docs, f"co-quan/{slug}/index.md"))
    assert HOSTILE not in block
    assert "<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in block
    assert "<dd>tháng 3/2026</dd>" in block and "<dd>31/03/2026</dd>" in block
    assert f"<code>co-quan/{slug}/</code>" in block
    assert ">CC BY 4.0</a>" in block
    assert (
        '<pre class="mb-cite-text"><code>Minh bạch TTHC – Tỉnh Thử (dữ liệu giả lập): '
        "&lt;script&gt;alert(1)&lt;/script&gt;, tháng 3/2026. Số liệu đến ngày 31/03/2026"
    ) in block
    assert '<a href="cac-ky/#2026-03">' in block  # March is complete: its archive row


def test_procedure_and_ranking_pages_have_the_block(site):
    _, docs, _, _ = site
    block = _cite_block(read(docs, "thu-tuc/1.000002/index.md"))
    assert "<dd>Cấp phép *xây dựng*</dd>" in block
    assert "<code>thu-tuc/1.000002/</code>" in block
    block = _cite_block(read(docs, "xep-hang/2026-Q1/index.md"))
    assert "<dd>Xếp hạng Bộ chỉ số 766</dd>" in block and "<dd>quý I/2026</dd>" in block
    assert "<code>xep-hang/2026-Q1/</code>" in block


# --- the archive ------------------------------------------------------------------------------


def test_archive_has_a_row_per_complete_period_anchored_by_it(site):
    con, docs, _, _ = site
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/cac-ky/index.md")
    ids = re.findall(r'<tr id="([^"]+)">', text)
    # months newest first, then the quarter; 2026 is not over (as-of 31/03/2026): no year row
    assert ids == ["2026-03", "2026-02", "2026-01", "2026-Q1"]
    assert "## Theo năm" not in text
    for anchor in ids:
        assert f'<a href="#{anchor}">' in _row(text, anchor)
        assert f'<a href="../../../xep-hang/{anchor}/">' in _row(text, anchor)


def test_archive_row_holds_the_periods_scorecard_with_counts(site):
    con, docs, _, _ = site
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/cac-ky/index.md")
    march = _cells(_row(text, "2026-03"))
    # Kỳ, điểm, xếp loại, hạng, six groups, on time, online, overdue open, satisfaction, link
    assert len(march) == 15
    assert march[0] == "tháng 3/2026"
    assert re.fullmatch(r"[123]/3", march[3])  # A, B and X: the 3 departments ranked
    # by hand (tests/render/province.py): resolved a1 (early), a2, a6 (late): 1/3 on time;
    # received a1..a5, a2 at the desk: 4/5 online; open a3 (overdue), a4: 1/2; no rating
    assert march[10] == "33,33% (1/3)"
    assert march[11] == "80,00% (4/5)"
    assert march[12] == "50,00% (1/2)"
    assert march[13] == "— (0/0)"
    # February: a6 (received 20/2, due 27/2) still open at the end, overdue; nothing resolved
    feb = _cells(_row(text, "2026-02"))
    assert feb[10:13] == ["— (0/0)", "100,00% (1/1)", "100,00% (1/1)"]
    # January: nothing to handle: no score, no band, the reason said
    jan = _cells(_row(text, "2026-01"))
    assert jan[1] == "—" and jan[3] == "—"
    assert jan[2] == "không xếp loại: không có hồ sơ phải giải quyết trong kỳ"
    # the quarter: a6 and a1..a5 received, all but a2 online: 5/6
    assert _cells(_row(text, "2026-Q1"))[11] == "83,33% (5/6)"


def test_archive_of_a_merged_unit_lists_only_its_periods(site):
    con, docs, _, _ = site
    text = read(docs, f"co-quan/{slug_of(con, 'D')}/cac-ky/index.md")
    # D ended on 31/01/2026 with nothing left open: January and the first quarter only
    assert re.findall(r'<tr id="([^"]+)">', text) == ["2026-01", "2026-Q1"]
    assert _cells(_row(text, "2026-01"))[10] == "100,00% (1/1)"  # d1: due 10/1, done 9/1


def test_archive_escapes_the_name_and_cites_itself(site):
    con, docs, _, _ = site
    slug = slug_of(con, "X")
    text = read(docs, f"co-quan/{slug}/cac-ky/index.md")
    body = text.split("---\n", 2)[2]
    assert HOSTILE not in body
    assert (
        "<caption>Bảng điểm của &lt;script&gt;alert(1)&lt;/script&gt; theo tháng</caption>" in text
    )
    assert f"<code>co-quan/{slug}/cac-ky/</code>" in _cite_block(text)
