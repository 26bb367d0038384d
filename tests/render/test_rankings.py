"""The ranking pages (xep-hang.md.j2): the hub and one page per period."""

from __future__ import annotations

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
