"""The unit pages: co-quan.md.j2 filled by minhbach/render/unit.py from the page tables
queries/pages/page_unit_*.sql, on the hand-made province of tests/render/province.py (the
unit's figures formatted the Vietnamese way, the 06a balance visible, merged units linked) and
on small tables made for one pick (the ten procedures with the most late dossiers, the order of
the units merged into one, the key-figure cards)."""

from __future__ import annotations

import re
from decimal import Decimal

from conftest import build_db, rows

from minhbach import fmt
from minhbach.render.context import context_mismatch
from minhbach.render.unit import UnitPage

from .page_sql import page_rows
from .province import front_matter, make_info, read, render_site, slug_of


def test_the_context_is_the_templates_variables():
    assert context_mismatch(UnitPage) == (set(), set())


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


def test_the_06a_table_lists_every_line_in_the_reports_order(site):
    con, docs, _, _ = site
    lines = rows(con, "select * from page_unit_06a where agency_id = 'A' order by row_order")
    assert [r["key"] for r in lines][:6] == [
        "carried_over", "received_new", "received_online", "received_direct",
        "received_postal", "to_handle",
    ]  # fmt: skip
    assert len(lines) == 17 and [r["key"] for r in lines if r["emphasis"]] == ["to_handle"]
    counts = {r["key"]: r["value"] for r in lines}
    # worked out above DOSSIERS: 1 carried over + 5 new = 6 to handle, 3 resolved, 2 open
    assert (counts["carried_over"], counts["received_new"], counts["to_handle"]) == (1, 5, 6)
    assert (counts["resolved"], counts["in_progress"], counts["in_progress_overdue"]) == (3, 2, 1)
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    assert '<tr><th scope="row">Tổng số hồ sơ phải giải quyết</th><td class="num"><strong>6' in text
    assert '<tr><td>&emsp;trong đó: quá hạn</td><td class="num">1</td></tr>' in text


def test_the_headline_says_what_the_page_shows(site):
    con, _, _, _ = site
    units = {r["agency_id"]: r for r in rows(con, "select * from page_unit_headline")}
    a, p, d = units["A"], units["P"], units["D"]
    assert (a["period"], a["since_period"], a["level_tab"], a["peers"]) == (
        "2026-03", "2026-02", "Sở, ban, ngành", "các sở, ban, ngành",
    )  # fmt: skip
    assert a["show_rank"] and not p["show_rank"]  # the province unit is never ranked
    assert p["level_name"] == "toàn tỉnh" and a["level_name"] == "sở, ban, ngành"
    # D ended on 31 January: its page is January's, the first month with dossiers
    assert (d["period"], d["since_period"], d["months_count"], d["show_trend"]) == (
        "2026-01", None, 1, False,
    )  # fmt: skip
    # the data start in January (d1): A has a row for every month, January to March
    assert a["months_count"] == 3 and a["show_trend"]


def test_the_cards_name_the_rank_only_for_a_ranked_unit(site):
    con, docs, _, _ = site
    cards = {}
    for r in rows(con, "select * from page_unit_cards order by agency_id, row_order"):
        cards.setdefault(r["agency_id"], []).append(r["card"])
    rates = ["on_time_pct", "online_pct", "overdue_open_pct", "satisfied_pct"]
    assert cards["A"] == ["total_100", "rank", *rates]
    assert cards["P"] == ["total_100", *rates]  # the province: scored, not ranked
    (a_rank,) = rows(con, "select * from page_unit_cards where agency_id = 'A' and card = 'rank'")
    assert a_rank["label"] == "Xếp hạng trong các sở, ban, ngành" and a_rank["period_note"]
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    rank_card = f'<dd class="mb-kpi-value">{a_rank["rank"]}/3</dd>\n'
    assert rank_card + '<dd class="mb-muted">tháng 3/2026</dd>' in text  # the period below


def test_the_indicators_not_assessed_and_feedback_are_picked_from_the_periods_indicators(site):
    con, _, _, _ = site
    every = rows(con, "select * from page_unit_indicators where agency_id = 'A' order by row_order")
    assert [r["indicator"] for r in every] == sorted(r["indicator"] for r in every)
    picked = rows(
        con, "select * from page_unit_not_assessed where agency_id = 'A' order by row_order"
    )
    assert [r["indicator"] for r in picked] == [r["indicator"] for r in every if not r["assessed"]]
    assert picked and [r["row_order"] for r in picked] == list(range(1, len(picked) + 1))
    (feedback,) = rows(con, "select * from page_unit_feedback where agency_id = 'A'")
    assert feedback["indicator"] == "5.1" and feedback["period"] == "2026-03"


def late_province():
    """Unit A in March 2026: procedure 2.000011 with 2 late dossiers, ten more with 1 each
    (2.000010 has 2 more in February, another month); one procedure on time."""
    procedures = [
        {"procedure_id": f"2.{i:06d}", "name": f"Thủ tục {i}", "statutory_days": "5"}
        for i in range(1, 13)
    ]
    late = ("2026-03-02 08:00", "2026-03-05 17:00", "2026-03-09 09:00")
    dossiers = [
        {"procedure_id": f"2.{i:06d}", "received_at": late[0], "due_at": late[1],
         "finished_at": late[2]}
        for i in (*range(1, 12), 11)
    ] + [
        {"procedure_id": "2.000010", "received_at": "2026-02-02 08:00",
         "due_at": "2026-02-04 17:00", "finished_at": "2026-02-10 09:00"},
    ] * 2 + [
        {"procedure_id": "2.000012", "received_at": late[0], "due_at": "2026-03-20 17:00",
         "finished_at": late[2]},
    ]  # fmt: skip
    for n, d in enumerate(dossiers):
        d.update(dossier_id=f"d{n}", agency_id="A", channel="2", status="10")
    return build_db({"procedures": procedures, "dossiers": dossiers})


def test_the_ten_procedures_with_the_most_late_dossiers(tmp_path):
    con = late_province()
    late = rows(con, "select * from page_unit_late where agency_id = 'A' order by row_order")
    # 2.000011 first (2 late), then the ties at 1 by id: 2.000010 is the eleventh, left out
    assert [r["procedure_id"] for r in late] == ["2.000011"] + [f"2.{i:06d}" for i in range(1, 10)]
    assert [r["late_dossiers"] for r in late] == [2] + [1] * 9
    assert [r["page_dir"] for r in late] == [r["procedure_id"] for r in late]
    assert {r["period"] for r in late} == {"2026-03"}
    docs = tmp_path / "docs"
    render_site(con, docs, make_info(synthetic=True))
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    assert "<caption>10 thủ tục có nhiều hồ sơ trễ hạn nhất, tháng 3/2026</caption>" in text
    # the summary counts the late dossiers as the table does: 12 in 11 procedures, one alone
    # at the top
    assert (
        "có **12** hồ sơ trễ hạn ở 11 thủ tục;\n"
        "nhiều nhất là [Thủ tục 11](../../thu-tuc/2.000011/index.md) (2 hồ sơ)."
    ) in text
    assert "../../thu-tuc/2.000010/" not in text and "../../thu-tuc/2.000009/" in text


def test_predecessors_in_the_order_they_were_merged_then_by_name():
    units = (
        "select * from (values"
        " ('C', 'Xã Mới', 'xa-moi', null, null),"
        " ('D', 'Xã Cũ', 'xa-cu', 'C', date '2026-02-01'),"
        " ('E', 'Xã Bắc', 'xa-bac', 'C', date '2026-01-01'),"
        " ('F', 'Xã An', 'xa-an', 'C', date '2026-02-01'),"
        " ('G', 'Xã Zeta', 'xa-zeta', 'C', null),"
        " ('H', 'Phường Một', 'phuong-mot', 'B', date '2025-07-01')"
        ") as t(agency_id, name, slug, successor_id, merged_on)"
    )
    got = page_rows("page_unit_predecessors", {"page_units": units}, "agency_id, row_order")
    # C: G has no date (first), then E (1 January), then F and D (1 February) by name
    assert [(r["agency_id"], r["predecessor_id"], r["row_order"]) for r in got] == [
        ("B", "H", 1), ("C", "G", 1), ("C", "E", 2), ("C", "F", 3), ("C", "D", 4),
    ]  # fmt: skip
    assert got[2]["slug"] == "xa-bac" and str(got[2]["merged_on"]) == "2026-01-01"


def test_each_group_carries_its_official_score_beside_the_computed_one():
    groups = (
        "select * from (values"
        " ('A', '2026-03', 'month', 'TDGQ', 2, 15.5), ('A', '2026-03', 'month', 'CKMB', 1, 17.0),"
        " ('A', '2026-02', 'month', 'CKMB', 1, 9.0), ('B', '2026-03', 'month', 'CKMB', 1, 12.0)"
        ') as t(agency_id, period, period_type, "group", group_order, points)'
    )
    units = "select * from (values ('A', '2026-03'), ('B', '2026-03')) as t(agency_id, period)"
    scores = (
        "select * from (values"
        " ('A', 17.25::decimal(12, 2), null::decimal(12, 2), 90.0::decimal(12, 2), true),"
        " ('B', null, null, null, null)"
        ") as t(agency_id, official_CKMB, official_TDGQ, official_total, official_flag)"
    )
    tables = {"page_group_scores": groups, "page_units": units, "page_unit_scores": scores}
    got = page_rows("page_unit_groups", tables, "agency_id, row_order")
    # the page period's groups only (not A's February), in the groups' order, each with the
    # official score of its own group (not the total)
    assert [(r["agency_id"], r["group"], r["row_order"]) for r in got] == [
        ("A", "CKMB", 1), ("A", "TDGQ", 2), ("B", "CKMB", 1),
    ]  # fmt: skip
    assert [r["official_points"] for r in got] == [Decimal("17.25"), None, None]


def test_the_scorecard_opens_with_its_verdict_and_names_each_figure(site):
    con, docs, _, _ = site
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    (m,) = rows(con, "select * from page_unit_metrics where agency_id = 'A'")
    # the verdict before the cards; the recomputed score named as such (no official score in
    # the hand-made province)
    assert text.index("**Tóm lại, tháng 3/2026:**") < text.index('<dl class="mb-kpis">')
    assert "- Điểm 766 tính lại (thang 100): **" in text
    assert "(không có điểm chính thức cho kỳ này)" in text
    # the on-time rate under its 06a name with its counts (worked out above DOSSIERS: 3
    # resolved), on the card and on hover
    on_time = m["resolved_early"] + m["resolved_on_time"]
    assert f"**Tỷ lệ giải quyết đúng hạn (mẫu 06a): {fmt.percent(m['on_time_pct'])}**" in text
    assert f'<dd class="mb-muted">{on_time}/3 hồ sơ đã giải quyết xong</dd>' in text
    assert f'title="{on_time} hồ sơ giải quyết trước hạn hoặc đúng hạn / 3 hồ sơ' in text
    # the group scores once: one table (the chart's own data table aside), no second table
    # of official scores
    # how the 06a rate differs from indicator 2.1, under the cards and under the indicators
    explain = "chỉ số 2.1 của Bộ chỉ số 766 tính trên mọi hồ sơ phải giải quyết"
    assert text.count(explain) >= 3  # the card's hover, the list under the cards, the table
    assert text.index("<summary>Cách đọc các ô số liệu</summary>") < text.index("**Đọc nhanh.**")
    assert text.count("<caption>Điểm sáu nhóm chỉ số, tháng 3/2026</caption>") == 1
    assert "### Điểm chính thức" not in text


def test_the_provinces_page_speaks_of_the_whole_province(site):
    con, docs, _, _ = site
    text = read(docs, f"co-quan/{slug_of(con, 'P')}/index.md")
    assert "**Đọc nhanh.** Trong tháng 3/2026, toàn tỉnh phải giải quyết" in text
