"""official_vs_recomputed (queries/marts/official_vs_recomputed.sql) on hand-made tables: which
capture is compared with which of our periods, the gaps and their ranks. Every expected number
is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import rows

from minhbach.sql import runner, seeds

MART = Path(__file__).resolve().parents[2] / "queries" / "marts" / "official_vs_recomputed.sql"

AS_OF = "select date '2026-10-10' as as_of"
# Our side: units a (portal H99.01), b (H99.02); H99.03 has no agency.
PORTAL_UNITS = (
    "select * from (values ('H99.01', 'a'), ('H99.02', 'b'), ('H99.03', null)) "
    "as t(portal_code, agency_id)"
)
SCORES_766 = (
    "select *, 'qd766-v1' as rule_set from (values "
    "('a', 'Sở A', '2026-09', 'month', true, 75.5, 100, 75.5), "
    "('a', 'Sở A', '2026', 'year', false, 50.0, 100, 50.0), "
    "('a', 'Sở A', '2026-Q4', 'quarter', false, 40.0, 100, 40.0), "
    "('b', 'Sở B', '2026-09', 'month', true, 60.0, 94, 63.83), "
    "('b', 'Sở B', '2026-Q3', 'quarter', true, 61.0, 94, 64.89), "
    "('b', 'Sở B', '2026-10', 'month', false, 62.0, 94, 65.96)) "
    "as t(agency_id, agency_name, period, period_type, complete, total, assessed_max, total_100)"
)
GROUP_COLUMNS = "(portal_code, period, period_type, captured_at, complete, total, CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL)"  # noqa: E501
PORTAL_SCORES = (
    "select * from (values "
    # a, 2026-09: two complete captures, the later one is compared
    "('H99.01', '2026-09', 'month', timestamp '2026-10-02 08:00', true, 79.0, "
    "15.0, 18.0, 10.0, 8.0, 14.0, 14.0), "
    "('H99.01', '2026-09', 'month', timestamp '2026-10-05 09:00', true, 80.0, "
    "15.0, 18.0, 10.0, 8.0, 15.0, 14.0), "
    # a, 2026 to date: captured the day before the as-of date (no), twice on it (the later)
    "('H99.01', '2026', 'year', timestamp '2026-10-09 20:00', false, 61.0, "
    "null, null, null, null, null, null), "
    "('H99.01', '2026', 'year', timestamp '2026-10-10 07:00', false, 62.0, "
    "null, null, null, null, null, null), "
    "('H99.01', '2026', 'year', timestamp '2026-10-10 15:00', false, 63.0, "
    "null, null, null, null, null, null), "
    # a, Q4 to date captured on 9 October: not the as-of date, nothing compared
    "('H99.01', '2026-Q4', 'quarter', timestamp '2026-10-09 09:00', false, 41.0, "
    "null, null, null, null, null, null), "
    # b, 2026-09 complete
    "('H99.02', '2026-09', 'month', timestamp '2026-10-03 10:00', true, 70.0, "
    "null, null, null, null, null, null), "
    # b, Q3 captured during Q3 (not complete, not on the as-of date): not compared, although
    # our Q3 is complete
    "('H99.02', '2026-Q3', 'quarter', timestamp '2026-09-30 10:00', false, 55.0, "
    "null, null, null, null, null, null), "
    # b, October complete on the portal (a capture from the future), ours not complete: no
    "('H99.02', '2026-10', 'month', timestamp '2026-11-02 10:00', true, 66.0, "
    "null, null, null, null, null, null), "
    # H99.03: no one-stop unit
    "('H99.03', '2026-09', 'month', timestamp '2026-10-05 09:00', true, 90.0, "
    "null, null, null, null, null, null)) "
    f"as t{GROUP_COLUMNS}"
)
SCORES_766_GROUPS = (
    "select * from (values "
    "('a', '2026-09', 'month', 'CKMB', 1, 12.0, 18, 18), "
    "('a', '2026-09', 'month', 'TDGQ', 2, 18.5, 20, 20), "
    "('a', '2026-09', 'month', 'MDSH', 5, 12.0, 22, 16)) "
    'as t(agency_id, period, period_type, "group", group_order, points, max_points, assessed_max)'
)
PORTAL_METRICS = (
    "select * from (values "
    "('H99.01', '2026-09', timestamp '2026-10-05 09:00', 'CKMB', 'DOSSIER_SYNC', 'x', "
    "90.0, 100.0, 90.0, 5.4, 6.0, 4), "
    "('H99.01', '2026-09', timestamp '2026-10-05 09:00', 'TDGQ', 'TDGQ', 'x', "
    "45.0, 50.0, 90.0, 18.0, 20.0, 5), "
    "('H99.01', '2026-09', timestamp '2026-10-05 09:00', 'MDHL', 'PETITION_PROCESSING_ON_TIME', "
    "'x', 4.0, 4.0, 100.0, 5.0, 5.0, 20), "
    # not measured by qd766-v1: no row
    "('H99.01', '2026-09', timestamp '2026-10-05 09:00', 'MDSH', "
    "'CITIZEN_DATA_CONNECTED_DOSSIER', 'x', 1.0, 2.0, 50.0, 1.0, 2.0, 16), "
    # the earlier capture: not compared
    "('H99.01', '2026-09', timestamp '2026-10-02 08:00', 'CKMB', 'DOSSIER_SYNC', 'x', "
    "10.0, 100.0, 10.0, 0.6, 6.0, 4)) "
    'as t(portal_code, period, captured_at, "group", metric, metric_name, numerator, '
    "denominator, ratio, points, max_points, metric_order)"
)
INDEX_766 = (
    "select *, 'qd766-v1' as rule_set from (values "
    "('a', '2026-09', '1.4', 80, 100, 80.0, 4.8, 6), "
    "('a', '2026-09', '2.1', 47, 50, 94.0, 18.8, 20), "
    "('a', '2026-09', '5.1', 4, 4, 100.0, 6.0, 6), "
    "('a', '2026-09', '4.5', 1, 2, 50.0, 3.0, 6)) "
    "as t(agency_id, period, indicator, numerator, denominator, rate_pct, points, max_points)"
)


def compared(**replaced: str) -> list[dict]:
    tables = {
        "as_of_date": AS_OF,
        "portal_units": PORTAL_UNITS,
        "portal_scores": PORTAL_SCORES,
        "portal_metrics": PORTAL_METRICS,
        "scores_766": SCORES_766,
        "scores_766_groups": SCORES_766_GROUPS,
        "index_766": INDEX_766,
    } | replaced
    con = duckdb.connect()
    runner.run_macros(con)
    seeds.load(con)
    for table, select in tables.items():
        con.execute(f'create table "{table}" as {select}')
    sql = MART.read_text(encoding="utf-8").strip().rstrip(";")
    return rows(con, f"select * from ({sql})")


def _num(value) -> float | None:
    return None if value is None else float(value)


def test_which_capture_is_compared_with_which_period():
    totals = {
        (r["agency_id"], r["period"]): r["captured_at"] for r in compared() if r["kind"] == "total"
    }
    assert totals == {
        # complete with complete, the later of two
        ("a", "2026-09"): dt.datetime(2026, 10, 5, 9, 0),
        # to date: only a capture of the as-of date, the later of two
        ("a", "2026"): dt.datetime(2026, 10, 10, 15, 0),
        ("b", "2026-09"): dt.datetime(2026, 10, 3, 10, 0),
    }  # a 2026-Q4 (captured 9 Oct), b 2026-Q3 (during Q3), b 2026-10 (ours incomplete): none


def test_a_capture_to_date_on_the_as_of_date_is_compared_even_when_our_period_is_complete():
    # as of 30 September our Q3 is complete; the portal's capture of that day is not
    found = compared(as_of_date="select date '2026-09-30' as as_of")
    totals = {(r["agency_id"], r["period"]) for r in found if r["kind"] == "total"}
    assert ("b", "2026-Q3") in totals


def test_totals_points_compared_only_when_the_maxima_are_equal_else_rates():
    totals = {(r["agency_id"], r["period"]): r for r in compared() if r["kind"] == "total"}
    a, b = totals["a", "2026-09"], totals["b", "2026-09"]
    # a: 80 out of 100 against 75,5 out of 100: 4,5 points, 4,5 percentage points
    assert a["comparable"] and _num(a["gap"]) == 4.5 and _num(a["gap_rate"]) == 4.5
    # b: 70 out of 100 against 60 out of 94 (63,83 out of 100): rates only, 70 - 63,83
    assert not b["comparable"] and b["gap"] is None and _num(b["gap_rate"]) == 6.17
    assert (_num(b["official_max_points"]), b["recomputed_max_points"]) == (100.0, 94)
    # a first (a points gap), b after it (rates only)
    assert (a["gap_rank"], b["gap_rank"]) == (1, 2)


def test_groups_side_by_side_with_their_gaps_and_ranks():
    groups = {
        r["subject"]: r for r in compared() if r["kind"] == "group" and r["period"] == "2026-09"
    }
    assert set(groups) == {"CKMB", "TDGQ", "MDSH"}  # the groups both sides have
    ckmb, tdgq, mdsh = groups["CKMB"], groups["TDGQ"], groups["MDSH"]
    # CKMB: 15/18 (83,33%) against 12/18 (66,67%)
    assert _num(ckmb["gap"]) == 3.0 and _num(ckmb["official_ratio"]) == 83.33
    assert _num(ckmb["recomputed_rate"]) == 66.67 and _num(ckmb["gap_rate"]) == 16.66
    # TDGQ: 18/20 against 18,5/20
    assert _num(tdgq["gap"]) == -0.5 and _num(tdgq["gap_rate"]) == -2.5
    # MDSH: 15/22 (68,18%) against 12 out of the 16 points assessed (75%): rates only
    assert not mdsh["comparable"] and mdsh["gap"] is None
    assert _num(mdsh["gap_rate"]) == -6.82
    assert [ckmb["gap_rank"], tdgq["gap_rank"], mdsh["gap_rank"]] == [1, 2, 3]


def test_metrics_with_numerators_and_denominators_on_both_sides():
    metrics = {r["subject"]: r for r in compared() if r["kind"] == "metric"}
    assert set(metrics) == {"DOSSIER_SYNC", "TDGQ", "PETITION_PROCESSING_ON_TIME"}
    sync = metrics["DOSSIER_SYNC"]
    assert sync["indicator"] == "1.4" and sync["captured_at"] == dt.datetime(2026, 10, 5, 9)
    assert (_num(sync["official_numerator"]), _num(sync["official_denominator"])) == (90, 100)
    assert (sync["recomputed_numerator"], sync["recomputed_denominator"]) == (80, 100)
    # 5,4 against 4,8; 90% against 80%
    assert _num(sync["gap"]) == 0.6 and _num(sync["gap_rate"]) == 10.0
    # TDGQ (2.1): 18 against 18,8; 90% against 94%
    assert _num(metrics["TDGQ"]["gap"]) == -0.8 and _num(metrics["TDGQ"]["gap_rate"]) == -4.0
    # maxima 5 (portal) and 6 (5.1): rates compared, 100% against 100%
    petitions = metrics["PETITION_PROCESSING_ON_TIME"]
    assert not petitions["comparable"] and petitions["gap"] is None
    assert _num(petitions["gap_rate"]) == 0.0
    # ranks: |−0,8| > 0,6, then the one compared by rate
    ranks = {code: r["gap_rank"] for code, r in metrics.items()}
    assert ranks == {"TDGQ": 1, "DOSSIER_SYNC": 2, "PETITION_PROCESSING_ON_TIME": 3}


def test_equal_gaps_share_a_rank():
    index = INDEX_766.replace("80, 100, 80.0, 4.8", "90, 100, 90.0, 6.2")  # 5,4 − 6,2 = −0,8
    metrics = {
        r["subject"]: r["gap_rank"] for r in compared(index_766=index) if r["kind"] == "metric"
    }
    assert metrics == {"TDGQ": 1, "DOSSIER_SYNC": 1, "PETITION_PROCESSING_ON_TIME": 3}


def test_another_rule_set_s_indicators_are_mapped_through_its_own_rows():
    # the same indicator rows under qd766-2026: 1.4, 2.1, 5.1 are not its codes, nothing matches
    index = INDEX_766.replace("'qd766-v1' as rule_set", "'qd766-2026' as rule_set")
    assert [r for r in compared(index_766=index) if r["kind"] == "metric"] == []
    # its own codes are the portal's: DOSSIER_SYNC with DOSSIER_SYNC, TDGQ with TDGQ
    index = index.replace("'1.4'", "'DOSSIER_SYNC'").replace("'2.1'", "'TDGQ'")
    found = {r["subject"]: r for r in compared(index_766=index) if r["kind"] == "metric"}
    assert {s: r["indicator"] for s, r in found.items()} == {
        "DOSSIER_SYNC": "DOSSIER_SYNC",
        "TDGQ": "TDGQ",
    }
    assert _num(found["DOSSIER_SYNC"]["gap"]) == 0.6  # 5,4 against 4,8


def test_decimal_values_are_exact():
    # the gap columns are the macros' half-up decimals, not floats
    sync = next(r for r in compared() if r["subject"] == "DOSSIER_SYNC")
    assert sync["gap"] == Decimal("0.60")


@pytest.fixture(scope="module")
def sample_compared(tmp_path_factory):
    """official_vs_recomputed of the sample province (minhbach.sample), as of its date, from
    the portal's captures the generator writes (portal/)."""
    from conftest import set_settings

    from minhbach import sample
    from minhbach.ingest import read_inputs

    out = tmp_path_factory.mktemp("sample")
    sample.generate(out)
    assert (out / "portal").is_dir(), "the sample generator wrote no portal/ captures"
    con = duckdb.connect()
    read_inputs(con, out)
    set_settings(con, as_of=sample.DEFAULT_AS_OF.isoformat())
    runner.run(con, layers=("staging", "facts", "marts"))
    return con


def _ranked(con, subject: str) -> list[str]:
    """The portal codes of the year to date's rows of a metric, by gap_rank."""
    found = rows(
        con,
        "select portal_code from official_vs_recomputed where kind = 'metric' "
        "and period_type = 'year' and subject = ? order by gap_rank, portal_code",
        [subject],
    )
    return [r["portal_code"] for r in found]


def test_the_sample_s_deliberate_gaps_come_first(sample_compared):
    # the sample's portal (minhbach/sample/portal.py): dossiers never synced at Sở Xây dựng
    # (H99.08) and the first commune (H99.101); a satisfaction numerator that differs at Sở Y tế
    # (H99.15); see data/README.md
    assert set(_ranked(sample_compared, "DOSSIER_SYNC")[:2]) == {"H99.08", "H99.101"}
    assert _ranked(sample_compared, "TDGQ")[0] == "H99.08"
    assert _ranked(sample_compared, "DOSSIER_RECEIVING_SATISFACTION")[0] == "H99.15"
    # a unit on the portal without a portal_code (Sở Dân tộc và Tôn giáo, H99.22): not compared
    codes = {
        r["portal_code"]
        for r in rows(sample_compared, "select portal_code from official_vs_recomputed")
    }
    assert "H99.22" not in codes and "H99.08" in codes
