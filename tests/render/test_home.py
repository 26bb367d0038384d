"""The home page (index.md.j2)."""

from __future__ import annotations

from conftest import rows

from minhbach import fmt

from .page_sql import page_rows
from .province import build_site, read


def test_home_page_says_when_data_are_synthetic(site, tmp_path):
    _, docs, _, _ = site
    home = read(docs, "index.md")
    assert "Dữ liệu giả lập" in home
    assert "Xếp hạng" in home and "xep-hang/index.md" in home
    assert "tháng 3/2026" in home
    _, docs, _, _ = build_site(tmp_path, synthetic=False)
    assert "giả lập" not in read(docs, "index.md")


def _ranking(period: str, level: str, units: int, ranked: bool = True) -> list[str]:
    return [
        f"('{period}', '{level}', {ranked}, {i if ranked else 'null'}, {units}, "
        f"'{level}-{i}', 'Đơn vị {level} {i}', {90 - i})"
        for i in range(1, units + 1)
    ]


def test_home_lists_the_five_first_and_the_five_last_of_each_level():
    lines = [
        *_ranking("2026-03", "department", 12),
        *_ranking("2026-03", "commune", 7),
        *_ranking("2026-03", "district", 4),  # no section of its own on the home page
        *_ranking("2026-03", "other", 3, ranked=False),
        *_ranking("2026-02", "department", 2),  # another period
    ]
    ranking = (
        "select slug as agency_id, period, level, ranked, rank_order, rank_order as rank, "
        "rank_of, slug, agency_name, total_100, null as band, null as band_slug, "
        "null as change_total_100, null as on_time_pct "
        f"from (values {', '.join(lines)}) "
        "as t(period, level, ranked, rank_order, rank_of, slug, agency_name, total_100)"
    )
    # commune-1 resolved 51 in March, 40 early and 8 on time; in February other figures
    metrics = (
        "select * from (values ('commune-1', '2026-03', 'month', 40, 8, 51),"
        " ('commune-1', '2026-02', 'month', 1, 1, 2)) as t(agency_id, period, period_type,"
        " resolved_early, resolved_on_time, resolved)"
    )
    levels = page_rows(
        "page_home_levels",
        {
            "page_home": "select '2026-03' as period",
            "page_ranking": ranking,
            "agency_period_metrics": metrics,
        },
    )
    assert [(lv["label"], lv["ranked"], lv["best"], lv["worst"]) for lv in levels] == [
        ("Sở, ban, ngành", 12, 5, 5),
        ("Xã, phường, đặc khu", 7, 5, 2),
    ]
    departments, communes = ([r["slug"] for r in lv["rows"]] for lv in levels)
    assert departments == [f"department-{i}" for i in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)]
    assert communes == [f"commune-{i}" for i in range(1, 8)]  # none listed twice
    # the on-time rate's counts: 40 + 8 of 51 in March; none for a unit without figures
    first = levels[1]["rows"][0]
    assert (first["on_time"], first["resolved"]) == (48, 51)
    assert (levels[1]["rows"][1]["on_time"], levels[1]["rows"][1]["resolved"]) == (None, None)
    assert levels[0]["filter_label"] == "sở, ban, ngành"


def test_the_home_headline_says_which_score_it_is(site):
    con, docs, _, _ = site
    home = read(docs, "index.md")
    (score,) = rows(
        con,
        "select s.total_100 from scores_766 as s join page_units as u using (agency_id)"
        " where u.is_province and s.period = '2026-03' and s.period_type = 'month'",
    )
    # no official score in the hand-made province: the recomputed one, named, says so
    total = fmt.points(score["total_100"])
    assert (
        f"**Điểm của toàn tỉnh.** Điểm 766 tính lại (thang 100): **{total}**"
        " (không có điểm chính thức\ncho tháng 3/2026)."
    ) in home
    assert '<dt class="mb-kpi-label">Điểm 766 tính lại (thang 100)</dt>' in home
