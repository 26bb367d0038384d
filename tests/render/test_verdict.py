"""The verdict that opens a unit's page (issue 13): page_unit_compare (each rate beside the
province and the median of the unit's level, in words), page_unit_verdict (official score first,
the band or why none, the groups that cost the most points, the late dossiers as the table
counts them), the cards made from them, on hand-made tables whose answers are worked out by hand
in the comments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
from conftest import rows

from minhbach.render.cards import card
from minhbach.render.figures import fig_trend
from minhbach.sql import runner, seeds

PAGES = Path(__file__).resolve().parents[2] / "queries" / "pages"


def page(name: str, tables: dict[str, str], min_to_handle: int = 20) -> list[dict]:
    """The rows of queries/pages/<name>.sql on ``tables``, with the setting min_to_handle."""
    con = duckdb.connect()
    runner.run_macros(con)
    seeds.load(con)
    con.execute(f"set variable min_to_handle = {min_to_handle}")
    for table, select in tables.items():
        con.execute(f'create table "{table}" as {select}')
    sql = (PAGES / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")
    return rows(con, f"select * from ({sql}) order by all")


# agency, level, eligible, on_time (num, den), online (num, den), overdue (num, open, waiting),
# satisfied (num, den): the rates are num / den × 100, half-up to two decimals.
_UNITS = [
    ("P", "province", True, (4247, 4489), (2576, 4622), (217, 684, 123), (1361, 1504)),
    ("X", "commune", True, (48, 51), (33, 49), (1, 2, 1), (10, 10)),
    ("Y", "commune", True, (97, 102), (40, 100), (1, 10, 0), (9049, 10000)),
    ("Z", "commune", True, (96, 100), (60, 100), (1, 2, 0), (0, 0)),
    ("W", "commune", False, (1, 10), (0, 1), (1, 1, 0), (0, 1)),  # too few: not in the median
    ("D", "department", False, (5, 5), (1, 2), (0, 0, 0), (0, 0)),
]


def _pct(num: int, den: int) -> str:
    return "null" if den == 0 else f"round({num} * 100.0 / {den}, 2)"


def _metrics() -> str:
    lines = []
    for a, level, ok, (ot, res), (onl, new), (od, prog, wait), (sat, rat) in _UNITS:
        lines.append(
            f"('{a}', '2026-10', 'month', '{level}', {ok}, {_pct(ot, res)}, {ot}, 0, {res}, "
            f"{_pct(onl, new)}, {onl}, {new}, {_pct(od, prog + wait)}, {od}, {prog}, {wait}, "
            f"{_pct(sat, rat)}, {sat}, {rat})"
        )
    return (
        f"select * from (values {', '.join(lines)}) as t(agency_id, period, period_type, level, "
        "ranked_eligible, on_time_pct, resolved_early, resolved_on_time, resolved, online_pct, "
        "received_online, received_new, overdue_open_pct, in_progress_overdue, in_progress, "
        "waiting_applicant, satisfied_pct, ratings_satisfied, ratings)"
    )


def _compare_tables() -> dict[str, str]:
    units = ", ".join(f"('{u[0]}', 'Đơn vị {u[0]}', {u[0] == 'P'})" for u in _UNITS)
    return {
        "agency_period_metrics": _metrics(),
        "page_unit_metrics": "select * from agency_period_metrics",
        "page_units": f"select * from (values {units}) as t(agency_id, name, is_province)",
    }


def test_each_rate_is_compared_with_the_province_and_the_median_of_its_level():
    got = {(r["agency_id"], r["card"]): r for r in page("page_unit_compare", _compare_tables())}
    x = {card: got["X", card] for card in ("on_time_pct", "online_pct", "overdue_open_pct")}
    x["satisfied_pct"] = got["X", "satisfied_pct"]
    assert [x[c]["row_order"] for c in x] == [1, 2, 3, 4]
    # on time: X 48/51 = 94,12; province 4247/4489 = 94,61; the communes that may be ranked are
    # X 94,12, Y 97/102 = 95,10 and Z 96,00 (W has too few dossiers): median 95,10
    on_time = x["on_time_pct"]
    assert (on_time["numerator"], on_time["denominator"]) == (48, 51)
    assert on_time["comparison"] == (
        "thấp hơn toàn tỉnh (94,61%) và trung vị các xã, phường, đặc khu (95,10%)"
    )
    assert on_time["median_units"] == 3 and on_time["better_province"] is False
    # online: X 67,35; province 55,73; median of 67,35, 40,00, 60,00 = 60,00
    assert x["online_pct"]["comparison"] == (
        "cao hơn toàn tỉnh (55,73%) và trung vị các xã, phường, đặc khu (60,00%)"
    )
    # overdue open: X 1/(2+1) = 33,33 (waiting files in the denominator); province
    # 217/(684+123) = 26,89; median of X 33,33, Y 1/10 = 10,00 and Z 1/2 = 50,00 = 33,33:
    # equal, said with its own word; a higher overdue share is worse
    overdue = x["overdue_open_pct"]
    assert (overdue["numerator"], overdue["denominator"]) == (1, 3)
    assert overdue["comparison"] == (
        "cao hơn toàn tỉnh (26,89%), bằng trung vị các xã, phường, đặc khu (33,33%)"
    )
    assert overdue["better_province"] is False and overdue["better_median"] is None
    # satisfaction: X 100,00; province 1361/1504 = 90,49; Z has no rating: median of 100,00
    # and 90,49 = 95,245, half-up 95,25
    assert x["satisfied_pct"]["median_value"] == Decimal("95.25")
    assert x["satisfied_pct"]["comparison"] == (
        "cao hơn toàn tỉnh (90,49%) và trung vị các xã, phường, đặc khu (95,25%)"
    )
    # the province is compared with nothing; a department with no peer that may be ranked is
    # compared with the province only
    assert {got["P", c]["comparison"] for c in x} == {None}
    assert got["D", "on_time_pct"]["median_value"] is None
    assert got["D", "on_time_pct"]["comparison"] == "cao hơn toàn tỉnh (94,61%)"
    # a rate with nothing to divide by is compared with nothing
    assert got["D", "satisfied_pct"]["comparison"] is None


def _verdict_tables() -> dict[str, str]:
    groups = [
        # X: lost CKMB 0, TDGQ 1,45, CLGQ 0,92, TTTT 4,41, MDSH 5,08, MDHL 6,00
        ("X", "CKMB", 1, 6.00, 6), ("X", "TDGQ", 2, 18.55, 20), ("X", "CLGQ", 3, 11.08, 12),
        ("X", "TTTT", 4, 5.59, 10), ("X", "MDSH", 5, 10.92, 16), ("X", "MDHL", 6, 12.00, 18),
        # Y: a tie at 2,00 between TDGQ and MDHL: the groups' order; CLGQ not assessed
        ("Y", "MDHL", 6, 16.00, 18), ("Y", "TDGQ", 2, 18.00, 20), ("Y", "CLGQ", 3, None, 0),
        # S: only MDHL assessed
        ("S", "CKMB", 1, None, 0), ("S", "MDHL", 6, 12.00, 18),
    ]  # fmt: skip
    group_rows = ", ".join(
        f"('{a}', '{g}', 'Nhóm {g}', {o}, {'null' if p is None else p}, {m})"
        for a, g, o, p, m in groups
    )
    late = [("P", 100), ("P", 50), ("P", 3), *[("X", 1)] * 4, ("Y", 2), ("Y", 2)]
    late_rows = ", ".join(f"('{a}', '2026-10', 'month', {n})" for a, n in late)
    return {
        "page_unit_metrics": (
            "select * from (values ('P', '2026-10', 5425, 4489, 242, 217),"
            " ('X', '2026-10', 55, 51, 3, 1), ('Y', '2026-10', 30, 30, 4, 0),"
            " ('S', '2026-10', 0, 0, 0, 0), ('E', '2026-10', 25, 20, 0, 0),"
            " ('N', '2026-10', 12, 12, 0, 0)"
            ") as t(agency_id, period, to_handle, resolved, resolved_late, in_progress_overdue)"
        ),
        "page_units": (
            "select * from (values ('P', 'Ủy ban nhân dân tỉnh Thử', true),"
            " ('X', 'Xã An', false), ('Y', 'Xã Bình', false), ('S', 'Sở Tư pháp', false),"
            " ('E', 'Xã Cũ', false), ('N', 'Ban Mới', false)) as t(agency_id, name, is_province)"
        ),
        "page_unit_scores": (
            "select agency_id, band, total_100::decimal(12, 2) as total_100,"
            " official_total::decimal(12, 2) as official_total from (values"
            " ('P', 'Tốt', 82.19, 85.29), ('X', 'Khá', 78.21, null), ('Y', 'Tốt', 88.00, null),"
            " ('S', null, 66.67, null), ('E', null, 50.00, null)"
            ") as t(agency_id, band, total_100, official_total)"
        ),
        "official_vs_recomputed": (
            "select * from (values ('P', '2026-10', 'month', 'total', 80.00),"
            " ('X', '2026-10', 'month', 'total', 80.97), ('X', '2026-10', 'month', 'group', 99.0),"
            " ('X', '2026', 'year', 'total', 78.70), ('Y', '2026-09', 'month', 'total', 70.00)"
            ") as t(agency_id, period, period_type, kind, official_ratio)"
        ),
        "agency_procedure_late": (
            f"select * from (values {late_rows})"
            " as t(agency_id, period, period_type, late_dossiers)"
        ),
        "page_unit_late": (
            "select * from (values ('P', 1, 'Đăng ký đất đai', '1.000001'),"
            " ('X', 1, 'Khai sinh', '1.000002'), ('Y', 1, 'Kết hôn', '1.000003')"
            ") as t(agency_id, late_rank, procedure_name, page_dir)"
        ),
        "page_unit_groups": (
            f"select * from (values {group_rows})"
            ' as t(agency_id, "group", group_name, group_order, points, assessed_max)'
        ),
    }


def test_the_verdict_puts_the_official_score_first_and_says_why_there_is_no_band():
    got = {r["agency_id"]: r for r in page("page_unit_verdict", _verdict_tables())}
    p, x, y, s, e, n = (got[a] for a in "PXYSEN")
    # the province's figures are every unit's: 'Toàn tỉnh', not the People's Committee
    assert p["subject"] == "toàn tỉnh" and x["subject"] == "Xã An"
    # P: the imported official score wins over the portal's; gap = 82,19 − 85,29
    assert (p["official_card"], p["official_value"], p["official_gap"]) == (
        "official_total", Decimal("85.29"), Decimal("-3.10"),
    )  # fmt: skip
    assert p["official_label"] == "Điểm 766 chính thức (thang 100)"
    assert p["score_label"] == "Điểm 766 tính lại (thang 100)"
    # X: no imported score; the portal's total of the same month (not its year, not a group)
    assert (x["official_card"], x["official_value"], x["official_gap"]) == (
        "portal_total", Decimal("80.97"), Decimal("-2.76"),
    )  # fmt: skip
    # Y: the portal's only total is another month: no official score
    assert y["official_card"] is None and y["official_value"] is None
    # bands: kept when banded; 0 of 20 dossiers: not enough; 25 ≥ 20 without a band: a period
    # after the unit ended; not scored: nothing to say
    assert (p["band_note"], x["band_note"]) == (None, None)
    assert s["band_note"] == "chưa đủ hồ sơ để xếp loại (0/20)"
    assert e["band_note"] == "không xếp loại trong kỳ này"
    assert n["band_note"] is None and n["official_value"] is None and n["lost_groups"] == []


def test_the_verdict_names_the_groups_that_cost_the_most_points():
    got = {r["agency_id"]: r for r in page("page_unit_verdict", _verdict_tables())}
    lost = [(g["group"], g["lost"]) for g in got["X"]["lost_groups"]]
    assert lost == [("MDHL", Decimal("6.00")), ("MDSH", Decimal("5.08"))]
    assert got["X"]["lost_groups"][0]["group_name"] == "Nhóm MDHL"
    # a tie at 2,00: TDGQ (2nd group) before MDHL (6th); a group not assessed is not a loss
    assert [g["group"] for g in got["Y"]["lost_groups"]] == ["TDGQ", "MDHL"]
    # S lost 6 points in MDHL but had 0 of the 20 dossiers needed: no verdict on its points
    assert got["S"]["lost_groups"] == []
    low = {r["agency_id"]: r for r in page("page_unit_verdict", _verdict_tables(), 0)}
    assert [g["group"] for g in low["S"]["lost_groups"]] == ["MDHL"]  # with no minimum


def test_the_summary_counts_late_dossiers_as_its_table_does():
    got = {r["agency_id"]: r for r in page("page_unit_verdict", _verdict_tables())}
    # P: 242 resolved late + 217 open overdue = 459; the top procedure alone with 100
    p = got["P"]
    assert (p["late_total"], p["late_procedures"], p["top_late_dossiers"]) == (459, 3, 100)
    assert (p["top_late_tied"], p["top_late_name"], p["top_late_dir"]) == (
        1, "Đăng ký đất đai", "1.000001",
    )  # fmt: skip
    # X: 3 + 1 = 4 late dossiers in four procedures with one each: none is named the most late
    x = got["X"]
    assert (x["late_total"], x["late_procedures"], x["top_late_dossiers"]) == (4, 4, 1)
    assert (x["top_late_tied"], x["top_late_name"]) == (4, None)
    # Y: two procedures tied at 2; S: none late
    assert (got["Y"]["top_late_tied"], got["Y"]["top_late_name"]) == (2, None)
    s = got["S"]
    assert (s["late_total"], s["late_procedures"], s["top_late_dossiers"]) == (0, 0, None)


def test_a_card_shows_its_counts_its_comparison_and_says_them_on_hover():
    row = {
        "label": "Tỷ lệ giải quyết đúng hạn (mẫu 06a)", "value_format": "percent",
        "value": Decimal("94.12"), "change": None, "change_unit": "điểm phần trăm",
        "higher_is_better": True, "band": None, "band_slug": None, "period_note": False,
        "numerator": 48, "denominator": 5125,
        "numerator_label": "hồ sơ giải quyết trước hạn hoặc đúng hạn",
        "denominator_label": "hồ sơ đã giải quyết xong",
        "comparison": "thấp hơn toàn tỉnh (94,61%)", "explain": "Khác chỉ số 2.1.",
        "band_note": None, "official_gap": None,
    }  # fmt: skip
    got = card(row, None, "tháng 10/2026")
    assert got["value"] == "94,12%"
    assert got["notes"] == ("48/5.125 hồ sơ đã giải quyết xong", "Thấp hơn toàn tỉnh (94,61%)")
    assert got["title"] == (
        "48 hồ sơ giải quyết trước hạn hoặc đúng hạn / 5.125 hồ sơ đã giải quyết xong. "
        "Khác chỉ số 2.1."
    )
    total = row | {
        "label": "Điểm 766 tính lại (thang 100)", "value_format": "points",
        "value": Decimal("66.67"), "numerator": None, "denominator": None, "comparison": None,
        "explain": None, "band_note": "chưa đủ hồ sơ để xếp loại (0/20)",
        "official_gap": Decimal("40.80"),
    }  # fmt: skip
    got = card(total, None, "")
    assert got["notes"] == (
        "Chưa đủ hồ sơ để xếp loại (0/20)", "Chênh lệch với điểm chính thức: +40,80",
    )  # fmt: skip
    assert got["title"] == "" and got["band"] is None


def _home_tables(official_total: str) -> dict[str, str]:
    metrics = (
        "select 'P' as agency_id, '2026-10' as period, 'month' as period_type,"
        " 94.61 as on_time_pct, 4200 as resolved_early, 47 as resolved_on_time,"
        " 4489 as resolved, 55.73 as online_pct, 2576 as received_online, 4622 as received_new,"
        " 26.89 as overdue_open_pct, 217 as in_progress_overdue, 684 as in_progress,"
        " 123 as waiting_applicant, 90.49 as satisfied_pct, 1361 as ratings_satisfied,"
        " 1504 as ratings"
    )
    return {
        "page_home": "select '2026-10' as period",
        "page_units": "select 'P' as agency_id, true as is_province",
        "scores_766": (
            "select 'P' as agency_id, '2026-10' as period, 'month' as period_type,"
            f" 82.19::decimal(12, 2) as total_100, 'Tốt' as band, {official_total} as"
            " official_total, 3.11 as change_total_100"
        ),
        "agency_period_metrics": metrics,
        "page_rate_changes": (
            "select 'P' as agency_id, '2026-10' as period, 'month' as period_type,"
            " 0.13 as change_on_time_pct, 2.69 as change_online_pct,"
            " 0.12 as change_overdue_open_pct, 1.30 as change_satisfied_pct"
        ),
        "official_vs_recomputed": (
            "select 'P' as agency_id, '2026-10' as period, 'month' as period_type,"
            " 'total' as kind, 80.00 as official_ratio"
        ),
    }


def test_the_home_cards_show_the_official_score_first_and_the_rates_counts():
    got = page("page_home_cards", _home_tables("85.29::decimal(12, 2)"))
    got.sort(key=lambda r: r["row_order"])
    assert [r["card"] for r in got] == [
        "official_total", "total_100", "on_time_pct", "online_pct", "overdue_open_pct",
        "satisfied_pct",
    ]  # fmt: skip
    official, total, on_time = got[0], got[1], got[2]
    assert official["value"] == Decimal("85.29") and official["official_gap"] is None
    # the recomputed total carries its gap: 82,19 − 85,29
    assert total["official_gap"] == Decimal("-3.10") and total["band"] == "Tốt"
    # on time: 4200 early + 47 on time of 4489 resolved; overdue: 217 of 684 + 123 open
    assert (on_time["numerator"], on_time["denominator"]) == (4247, 4489)
    assert (got[4]["numerator"], got[4]["denominator"]) == (217, 807)
    # without an imported score, the portal's total for the month comes first
    got = page("page_home_cards", _home_tables("null::decimal(12, 2)"))
    got.sort(key=lambda r: r["row_order"])
    assert [(r["card"], r["value"]) for r in got[:2]] == [
        ("portal_total", Decimal("80.00")), ("total_100", Decimal("82.19")),
    ]  # fmt: skip
    assert got[1]["official_gap"] == Decimal("2.19")


def test_the_trend_of_a_unit_draws_the_provinces_on_time_rate():
    months = (
        "select * from (values"
        " ('P', '2026-09', 'month', true, date '2026-09-01', 94.48, 50.0),"
        " ('P', '2026-10', 'month', true, date '2026-10-01', 94.61, 55.0),"
        " ('X', '2026-09', 'month', true, date '2026-09-01', 100.0, 52.0),"
        " ('X', '2026-10', 'month', true, date '2026-10-01', 94.12, 67.0)"
        ") as t(agency_id, period, period_type, complete, first_day, on_time_pct, online_pct)"
    )
    tables = {
        "agency_period_metrics": (
            "select *, 0 as received_new, 0 as received_online, 0 as received_direct,"
            f" 0 as received_postal, 0 as resolved from ({months})"
        ),
        "page_units": (
            "select * from (values ('P', true, '2026-10', date '2026-10-01'),"
            " ('X', false, '2026-10', date '2026-10-01')) as t(agency_id, is_province, period,"
            " first_day)"
        ),
        "scores_766": (
            "select agency_id, period, period_type, 80.0 as total_100, 'Khá' as band"
            " from agency_period_metrics"
        ),
    }
    got = page("page_unit_months", tables)
    by = {(r["agency_id"], r["period"]): r["province_on_time_pct"] for r in got}
    # a unit's months carry the province's rate of the same month; the province's own do not
    assert by == {
        ("P", "2026-09"): None, ("P", "2026-10"): None,
        ("X", "2026-09"): Decimal("94.48"), ("X", "2026-10"): Decimal("94.61"),
    }  # fmt: skip
    fig = fig_trend([r for r in got if r["agency_id"] == "X"], "Xã An")
    series = [r["series"] for r in fig.rows]
    assert series.count("Toàn tỉnh: tỷ lệ đúng hạn mẫu 06a (%)") == 2
    assert fig.options["order"][-1] == "Toàn tỉnh: tỷ lệ đúng hạn mẫu 06a (%)"
    fig = fig_trend([r for r in got if r["agency_id"] == "P"], "Toàn tỉnh")
    assert "Toàn tỉnh: tỷ lệ đúng hạn mẫu 06a (%)" not in {r["series"] for r in fig.rows}


def test_the_06a_rate_table_gives_each_percentage_its_counts():
    metrics = (
        "select 'X' as agency_id, 94.12 as on_time_pct, 40 as resolved_early,"
        " 8 as resolved_on_time, 51 as resolved, 5.88 as late_pct, 3 as resolved_late,"
        " 67.35 as online_pct, 33 as received_online, 49 as received_new,"
        " 33.33 as overdue_open_pct, 1 as in_progress_overdue, 2 as in_progress,"
        " 1 as waiting_applicant, 100.0 as satisfied_pct, 10 as ratings_satisfied,"
        " 10 as ratings, 3.5 as avg_processing_days"
    )
    got = page("page_unit_rates", {"page_unit_metrics": metrics})
    counts = {r["key"]: (r["numerator"], r["denominator"]) for r in got}
    # on time 40 + 8 of 51; late 3 of 51; online 33 of 49; overdue 1 of 2 open + 1 waiting;
    # satisfied 10 of 10 ratings; the mean days has no counts
    assert counts == {
        "on_time_pct": (48, 51), "late_pct": (3, 51), "online_pct": (33, 49),
        "overdue_open_pct": (1, 3), "satisfied_pct": (10, 10),
        "avg_processing_days": (None, None),
    }  # fmt: skip
    assert [r["key"] for r in sorted(got, key=lambda r: r["row_order"])][0] == "on_time_pct"
    # a rate that is a card has the card's name; the others keep the 06a report's
    labels = {r["key"]: r["label"] for r in got}
    assert labels["on_time_pct"] == "Tỷ lệ giải quyết đúng hạn (mẫu 06a)"
    assert labels["late_pct"] == "Tỷ lệ giải quyết quá hạn"
