"""The portal's page tables on hand-made tables (queries/pages/page_portal_*.sql and
page_quality_portal_unmatched.sql): which capture a unit's page shows, the year-to-date trend,
and the units that match nothing on the other side. Every answer is worked out by hand."""

from __future__ import annotations

from .page_sql import page_rows

SCORES = """select * from (values
    ('H99.01', '2026', 'year', timestamp '2026-09-01 08:00', 60.0, 10.0),
    ('H99.01', '2026', 'year', timestamp '2026-10-01 08:00', 61.0, 11.0),
    ('H99.01', '2026', 'year', timestamp '2026-10-01 08:05', 61.0, null),
    ('H99.01', '2026-09', 'month', timestamp '2026-10-03 08:00', 70.0, 12.0),
    ('H99.02', '2026-Q3', 'quarter', timestamp '2026-10-02 08:00', 50.0, 9.0),
    ('H99.02', '2026-09', 'month', timestamp '2026-10-03 08:00', 55.0, 9.5),
    ('H99', '2026', 'year', timestamp '2026-10-01 08:00', 58.0, 10.5)
) as t(portal_code, period, period_type, captured_at, total, CKMB)"""
SCORES_TABLE = f"""select portal_code, period, period_type, captured_at, false as complete,
    'department' as level, 'H99' as province_code, total, CKMB, 1.0 as TDGQ, 1.0 as CLGQ,
    1.0 as TTTT, 1.0 as MDSH, 1.0 as MDHL, null as score_delta, 1 as rank, 2 as rank_of
    from ({SCORES})"""
UNITS = """select * from (values
    ('H99', 'Tỉnh Thử', 'province', 'H99', 'province'),
    ('H99.01', 'Sở A', 'department', 'H99', null),
    ('H99.02', 'Sở B', 'department', 'H99', 'a2')
) as t(portal_code, name, level, province_code, agency_id)"""
UNITS_TABLE = f"select *, null as portal_id from ({UNITS})"


def unit_pages():
    return page_rows(
        "page_portal_units",
        {
            "portal_scores": SCORES_TABLE,
            "portal_units": UNITS_TABLE,
            "portal_checks": "select 'H99.01' as portal_code, '2026' as period, "
            "timestamp '2026-10-01 08:00' as captured_at",
            "portal_metrics": "select 'H99.02' as portal_code, '2026-Q3' as period, "
            "timestamp '2026-10-02 08:00' as captured_at",
            "dim_agencies": "select 'a2' as agency_id, 'so-b' as slug",
        },
        order_by="portal_code",
    )


def test_a_unit_page_shows_its_latest_year_capture_that_has_its_groups():
    # H99.01: the year 2026 beats the later month 2026-09; of its three year captures the
    # 08:05 one has no groups, so the 08:00 one of 1 October is shown (total 61). H99.02: no
    # year, so its latest capture: the month 2026-09, captured 3 October (total 55).
    by_code = {r["portal_code"]: r for r in unit_pages()}
    a, b = by_code["H99.01"], by_code["H99.02"]
    assert (a["period"], str(a["captured_at"]), a["total"]) == ("2026", "2026-10-01 08:00:00", 61.0)
    assert a["captures"] == 4 and a["failed_checks"] == 1 and not a["has_details"]
    assert a["path"] == "danh-gia-cong/h99-01/index.md" and a["agency_slug"] is None
    assert (b["period"], b["total"], b["agency_slug"]) == ("2026-09", 55.0, "so-b")
    assert not b["has_details"]  # its details are of the quarter, not of the capture shown
    assert b["province_slug"] == "h99" and b["province_name"] == "Tỉnh Thử"


def test_only_a_province_with_units_has_units():
    by_code = {r["portal_code"]: r for r in unit_pages()}
    assert by_code["H99"]["has_units"] is True
    assert by_code["H99.01"]["has_units"] is False


def test_the_trend_leaves_out_a_capture_without_groups_and_other_period_types():
    trend = page_rows(
        "page_portal_unit_trend",
        {
            "portal_scores": SCORES_TABLE,
            "page_portal_units": "select 'H99.01' as portal_code",
        },
    )
    # H99.01's year captures: 1 September and 1 October 08:00 (08:05 has no groups; the month
    # is not a year-to-date figure); H99.02 has no page here.
    assert [(str(r["captured_at"]), r["total"]) for r in trend] == [
        ("2026-09-01 08:00:00", 60.0),
        ("2026-10-01 08:00:00", 61.0),
    ]


AGENCIES = """select * from (values
    ('p', 'Tỉnh Thử', 'H99', null),
    ('a1', 'Sở A', null, null),
    ('a2', 'Sở B', 'H99.02', null),
    ('a3', 'Sở C', 'H99.77', null),
    ('a4', 'Sở cũ', null, date '2025-01-01')
) as t(agency_id, name, portal_code, valid_to)"""


def unmatched(units: str = UNITS_TABLE, agencies: str = AGENCIES) -> list[tuple]:
    found = page_rows(
        "page_quality_portal_unmatched",
        {
            "portal_units": units,
            "stg_agencies": f"select *, null as reject_reason from ({agencies})",
        },
    )
    return [(r["side"], r["code"]) for r in found]


def test_units_that_match_nothing_on_either_side():
    # One-stop: a1 has no code, a3's code is not the portal's; a4 has closed (left out); p and
    # a2 match. Portal: H99.01 has no agency (H99 matched 'province' in UNITS, H99.02 'a2').
    assert unmatched() == [("one_stop", "a1"), ("one_stop", "a3"), ("portal", "H99.01")]


def test_no_unmatched_list_without_both_sides():
    assert unmatched(agencies=AGENCIES + " where false") == []
    only_provinces = "select * from (" + UNITS_TABLE + ") where level = 'province'"
    assert unmatched(units=only_provinces) == []


def test_the_feedback_line_reads_what_counts_as_5_1_in_any_rule_set():
    indicators = """select * from (values
        ('A', 'qd766-v1', '5.1', '5.1'), ('A', 'qd766-v1', '5.2', '5.2'),
        ('B', 'qd766-2026', 'PETITION_PROCESSING_ON_TIME', '5.1'),
        ('B', 'qd766-2026', 'PETITION_HANDLING_SATISFACTION', '5.2')
    ) as t(agency_id, rule_set, indicator, measure)"""
    found = page_rows("page_unit_feedback", {"page_unit_indicators": indicators})
    assert [(r["agency_id"], r["indicator"]) for r in found] == [
        ("A", "5.1"),
        ("B", "PETITION_PROCESSING_ON_TIME"),
    ]
