"""The unit pages (co-quan.md.j2), on the hand-made province of tests/render/province.py: the
unit's figures formatted the Vietnamese way, the 06a balance visible, merged units linked. (The
other page tests are in tests/render/.)"""

from __future__ import annotations

import re

import pytest
from conftest import rows
from render.province import build_site, front_matter, read, slug_of

from minhbach import fmt


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


def test_unit_page_shows_score_rank_and_balance(site):
    con, docs, _, _ = site
    (score,) = rows(con, "select * from scores_766 where agency_id = 'A' and period = '2026-03'")
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    total = fmt.points(score["total_100"])
    assert re.fullmatch(r"\d{1,3},\d\d", total), total  # Vietnamese decimal comma
    assert total in text
    assert score["rank_of"] == 3  # A, B and X are the departments ranked in March
    assert f"hạng {score['rank']}/{score['rank_of']}" in text
    assert "tháng 3/2026" in text
    # the 06a balance, with its numbers (worked out above DOSSIERS)
    assert (
        "tổng số phải giải quyết **6** = đã giải quyết 3 + rút hồ sơ, dừng xử lý 1 "
        "+ chờ người nộp bổ sung 0 + đang giải quyết 2"
    ) in text
    # the parent is linked, the procedures with late dossiers link to their pages
    assert f'href="../../co-quan/{slug_of(con, "P")}/"' in text
    assert "../../thu-tuc/1.000002/" in text
    assert f"({slug_of(con, 'A')}.csv)" in text
    description = front_matter(text)["description"]
    assert total in description and "Sở Tư pháp" in description


def test_merged_units_link_both_ways(site):
    con, docs, _, _ = site
    old = read(docs, f"co-quan/{slug_of(con, 'D')}/index.md")
    new = read(docs, f"co-quan/{slug_of(con, 'C')}/index.md")
    assert f"co-quan/{slug_of(con, 'C')}/index.md" in old
    assert "01/02/2026" in old
    assert f"co-quan/{slug_of(con, 'D')}/index.md" in new
    assert "Xã Cũ \\| Tây" in new  # `|` escaped in Markdown
