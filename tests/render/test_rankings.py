"""The ranking pages (xep-hang.md.j2): the hub and one page per period."""

from __future__ import annotations

from conftest import rows

from minhbach import fmt

from .province import build_site, front_matter, read, slug_of


def test_ranking_lists_every_level_and_unranked_units(site):
    con, docs, _, _ = site
    text = read(docs, "xep-hang/index.md")
    assert "Xếp hạng tháng 3/2026" in text
    assert text.count('class="mb-sortable"') == 2  # departments, communes
    for a in ("A", "B", "X", "C"):
        assert f'href="../co-quan/{slug_of(con, a)}/"' in text
    # D was merged into C on 1 February: in the January ranking it is ranked; later not listed
    # unless it still had dossiers to handle
    assert 'href="2026-01/"' in text and 'href="2026-Q1/"' in text
    january = read(docs, "xep-hang/2026-01/index.md")
    assert slug_of(con, "D") in january


def test_incomplete_period_is_marked_and_not_the_default(tmp_path):
    # As of 20 March, March is not over: the hub shows February, March says so.
    con, docs, _, _ = build_site(tmp_path, as_of="2026-03-20")
    assert "Xếp hạng tháng 2/2026" in read(docs, "xep-hang/index.md")
    march = read(docs, "xep-hang/2026-03/index.md")
    assert "tháng 3/2026 (chưa trọn kỳ)" in march
    assert front_matter(march)["title"] == "Xếp hạng tháng 3/2026 (chưa trọn kỳ)"
    assert 'href="2026-03/">3</a> (chưa trọn kỳ)' in read(docs, "xep-hang/index.md")
    assert "tháng 2/2026" in read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")


def test_ranking_description_counts_the_ranked_units_and_names_the_leader(site):
    con, docs, _, _ = site
    (leader,) = rows(
        con,
        "select agency_name, total_100 from page_ranking where period = '2026-03' "
        "and level = 'department' and rank_order = 1",
    )
    march = front_matter(read(docs, "xep-hang/2026-03/index.md"))["description"]
    # March: A, B and X are ranked departments; C the one ranked commune (D merged into it)
    assert march == (
        "Xếp hạng Bộ chỉ số 766 của Tỉnh Thử, tháng 3/2026: 3 sở, ban, ngành, 1 cấp xã; "
        f"dẫn đầu sở, ban, ngành: {leader['agency_name']} "
        f"({fmt.points(leader['total_100'])} điểm)."
    )
    assert front_matter(read(docs, "xep-hang/index.md"))["description"] == march


def test_ranking_pages_link_the_neighbours_of_the_same_type(site):
    _, docs, _, _ = site
    february = read(docs, "xep-hang/2026-02/index.md")
    assert '<a href="../../xep-hang/2026-01/">← tháng 1/2026</a>' in february
    assert '<a href="../../xep-hang/2026-03/">tháng 3/2026 →</a>' in february
    march = read(docs, "xep-hang/2026-03/index.md")
    assert "2026-04" not in march and 'href="../../xep-hang/2026-02/"' in march
    # the one quarter and the one year have no neighbour: no line of links
    assert "← " not in read(docs, "xep-hang/2026-Q1/index.md")
    hub = read(docs, "xep-hang/index.md")
    year = '<a href="2026/">cả năm (chưa trọn kỳ)</a> · <a href="2026-Q1/">quý I</a> · '
    assert "- **Năm 2026**: " + year in hub
    months = '<a href="2026-01/">1</a>, <a href="2026-02/">2</a>, <a href="2026-03/">3</a>'
    assert "tháng " + months in hub


def test_each_year_of_the_hub_is_its_own_bullet():
    """A year's line ends in a block tag: trim_blocks must not join it with the next year's."""
    from minhbach.render.rankings import RankingContext

    from .page_sql import render

    def year(y):
        months = [{"period": f"{y}-0{m}", "short": str(m), "complete": True} for m in (1, 2)]
        return {"year": y, "year_period": None, "quarters": [], "months": months}

    context = RankingContext(
        root="../", hub=True, period=None, prev=None, next=None, province_row=None, levels=[],
        unranked_levels=[], ranked_text=None, leader=None, years=(year(2025), year(2026)),
        groups=(),
    )  # fmt: skip
    text = render(context)
    bullets = [line for line in text.splitlines() if line.startswith("- **Năm")]
    assert [b[:14] for b in bullets] == ["- **Năm 2025**", "- **Năm 2026**"]
