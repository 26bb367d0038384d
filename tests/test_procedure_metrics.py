"""Procedure figures (procedure_metrics) and the unit page's "procedures with the most late
dossiers" (agency_procedure_late).

Expected values are worked out by hand in the comments. Default procedures: 1.000001 "Thủ tục
một" (10 working days), 1.000002 "Thủ tục hai" (5 working days); units P (province), A, B.
"""

from __future__ import annotations

from decimal import Decimal

from conftest import rows
from test_metrics_06a import build, check_problems, dossier


def proc_rows(con, procedure_id: str | None = None, agency_id: str | None = None) -> dict:
    """procedure_metrics rows keyed by (procedure_id, agency_id, period)."""
    got = rows(con, "select * from procedure_metrics")
    return {
        (r["procedure_id"], r["agency_id"], r["period"]): r
        for r in got
        if (procedure_id is None or r["procedure_id"] == procedure_id)
        and (agency_id is None or r["agency_id"] == agency_id)
    }


def pick(row: dict, *names: str) -> tuple:
    return tuple(row[n] for n in names)


def test_columns_in_the_published_order():
    con = build({"dossiers": [dossier("k", 4, "2026-01-05", "2026-03-30")]})
    cols = [c[0] for c in con.execute("select * from procedure_metrics limit 0").description]
    assert cols == [
        "procedure_id", "procedure_name", "agency_id", "period", "period_type", "complete",
        "received_new", "resolved", "resolved_on_time", "on_time_pct", "median_days",
        "p90_days", "statutory_days", "online_pct", "received_online", "resolved_late",
    ]  # fmt: skip


def test_counts_and_rates_per_procedure_unit_and_period():
    # A, 1.000001: j1 online, received 5 Jan, resolved 10 Jan (due 20 Jan: early)
    #              j2 direct, received 6 Jan, resolved 25 Jan (late)
    #              j3 online, received 7 Jan, still open
    # A, 1.000002: k1 received 2 Feb, resolved 4 Feb (due 4 Feb: on time)
    # B, 1.000001: b1 postal, received 8 Jan, withdrawn 9 Jan (received, not resolved)
    con = build(
        {
            "dossiers": [
                dossier("j1", 9, "2026-01-05", "2026-01-20", channel="2", finished_at="2026-01-10"),
                dossier("j2", 9, "2026-01-06", "2026-01-20", finished_at="2026-01-25"),
                dossier("j3", 4, "2026-01-07", "2026-04-30", channel="2"),
                dossier(
                    "k1",
                    10,
                    "2026-02-02",
                    "2026-02-04",
                    procedure_id="1.000002",
                    finished_at="2026-02-04",
                ),
                dossier(
                    "b1",
                    7,
                    "2026-01-08",
                    "2026-01-20",
                    agency_id="B",
                    channel="3",
                    finished_at="2026-01-09",
                ),
            ]
        }
    )
    got = proc_rows(con)
    names = ("received_new", "received_online", "resolved", "resolved_on_time", "resolved_late",
             "on_time_pct", "online_pct")  # fmt: skip
    # A / 1.000001 / January: received 3 (online 2 -> 66.67), resolved 2 (on time 1 -> 50.00).
    assert pick(got[("1.000001", "A", "2026-01")], *names) == (
        3, 2, 2, 1, 1, Decimal("50.00"), Decimal("66.67"),
    )  # fmt: skip
    # February: nothing received or resolved for A / 1.000001 (j3 is only carried over).
    assert ("1.000001", "A", "2026-02") not in got
    # A / 1.000002 / February: received 1, resolved 1 on time.
    assert pick(got[("1.000002", "A", "2026-02")], *names) == (
        1, 0, 1, 1, 0, Decimal("100.00"), Decimal("0.00"),
    )  # fmt: skip
    # B / 1.000001 / January: received 1, nothing resolved -> on_time_pct and days empty.
    b = got[("1.000001", "B", "2026-01")]
    assert pick(b, *names) == (1, 0, 0, 0, 0, None, Decimal("0.00"))
    assert (b["median_days"], b["p90_days"]) == (None, None)
    # Province / 1.000001 / January: received 4 (online 2 -> 50.00), resolved 2.
    assert pick(got[("1.000001", "P", "2026-01")], *names) == (
        4, 2, 2, 1, 1, Decimal("50.00"), Decimal("50.00"),
    )  # fmt: skip
    # Catalogue columns, period columns.
    r = got[("1.000002", "A", "2026-Q1")]
    assert (r["procedure_name"], r["statutory_days"], r["period_type"], r["complete"]) == (
        "Thủ tục hai", 5.0, "quarter", True,
    )  # fmt: skip
    assert got[("1.000001", "A", "2026")]["period_type"] == "year"
    assert got[("1.000001", "A", "2026")]["complete"] is False  # as of 31 Mar


def test_median_and_p90_are_continuous_quantiles_of_calendar_days_without_pauses():
    # A / 1.000001, resolved in January after 1, 2, 3, 4 and 10 calendar days (the 4 is
    # 6 days minus a 2-day pause). Sorted 1, 2, 3, 4, 10:
    #   median: position 0.5 * 4 = 2 -> 3.00
    #   p90:    position 0.9 * 4 = 3.6 -> 4 + 0.6 * (10 - 4) = 7.60
    ds = [
        dossier(
            f"d{n}", 9, "2026-01-05 08:00", "2026-01-30", finished_at=f"2026-01-{5 + n:02d} 08:00"
        )
        for n in (1, 2, 3, 10)
    ]
    ds.append(dossier("p", 9, "2026-01-05 08:00", "2026-01-30", finished_at="2026-01-11 08:00"))
    sups = [
        {"dossier_id": "p", "requested_at": "2026-01-06 08:00", "supplied_at": "2026-01-08 08:00"}
    ]
    con = build({"dossiers": ds, "supplements": sups})
    got = proc_rows(con, "1.000001")
    for key in (
        ("1.000001", "A", "2026-01"),
        ("1.000001", "A", "2026"),
        ("1.000001", "P", "2026-Q1"),
    ):
        assert pick(got[key], "resolved", "median_days", "p90_days") == (
            5, Decimal("3.00"), Decimal("7.60"),
        ), key  # fmt: skip


def test_quantiles_round_half_up():
    # B / 1.000002: resolved after 24 h (1 day) and 30 h (1.25 days).
    #   median = (1 + 1.25) / 2 = 1.125 -> 1.13 (half-up; banker's rounding gives 1.12)
    #   p90 = 1 + 0.9 * 0.25 = 1.225 -> 1.23
    con = build(
        {
            "dossiers": [
                dossier(
                    "x",
                    9,
                    "2026-01-05 00:00",
                    "2026-01-30",
                    agency_id="B",
                    procedure_id="1.000002",
                    finished_at="2026-01-06 00:00",
                ),
                dossier(
                    "y",
                    9,
                    "2026-01-05 00:00",
                    "2026-01-30",
                    agency_id="B",
                    procedure_id="1.000002",
                    finished_at="2026-01-06 06:00",
                ),
            ]
        }
    )
    r = proc_rows(con)[("1.000002", "B", "2026-01")]
    assert (r["median_days"], r["p90_days"]) == (Decimal("1.13"), Decimal("1.23"))


def test_rows_only_for_periods_with_a_dossier_received_or_resolved():
    # Received 10 Jan, resolved 5 Mar (54 days; due 10 Mar: early). Rows: January (received),
    # March (resolved), Q1 and 2026 (both); none for February.
    con = build(
        {"dossiers": [dossier("q", 9, "2026-01-10", "2026-03-10", finished_at="2026-03-05")]}
    )
    got = proc_rows(con, "1.000001", "A")
    assert {k[2]: pick(v, "received_new", "resolved", "median_days") for k, v in got.items()} == {
        "2026-01": (1, 0, None),
        "2026-03": (0, 1, Decimal("54.00")),
        "2026-Q1": (1, 1, Decimal("54.00")),
        "2026": (1, 1, Decimal("54.00")),
    }


def test_province_row_counts_every_unit_its_own_dossiers_included():
    # 1.000001 resolved in January: A after 1 day, B after 2 days, the province unit P itself
    # after 6 days. Province row: resolved 3; sorted 1, 2, 6: median 2.00;
    # p90 position 0.9 * 2 = 1.8 -> 2 + 0.8 * (6 - 2) = 5.20. No separate row for P's own.
    con = build(
        {
            "dossiers": [
                dossier("a", 9, "2026-01-05", "2026-01-30", finished_at="2026-01-06"),
                dossier(
                    "b", 9, "2026-01-05", "2026-01-30", agency_id="B", finished_at="2026-01-07"
                ),
                dossier(
                    "p", 9, "2026-01-05", "2026-01-30", agency_id="P", finished_at="2026-01-11"
                ),
            ]
        }
    )
    got = proc_rows(con, "1.000001")
    jan = {k[1]: v for k, v in got.items() if k[2] == "2026-01"}
    assert sorted(jan) == ["A", "B", "P"]
    assert pick(jan["P"], "received_new", "resolved", "median_days", "p90_days") == (
        3, 3, Decimal("2.00"), Decimal("5.20"),
    )  # fmt: skip
    assert pick(jan["A"], "resolved", "median_days") == (1, Decimal("1.00"))
    assert check_problems(con, "marts_unique_keys") == []


def late_rows(con, agency_id: str, period: str) -> list[tuple]:
    return [
        pick(
            r,
            "procedure_id",
            "received_new",
            "resolved",
            "resolved_late",
            "in_progress_overdue",
            "late_dossiers",
            "late_rank",
        )  # fmt: skip
        for r in rows(
            con,
            "select * from agency_procedure_late where agency_id = ? and period = ? "
            "order by late_rank",
            [agency_id, period],
        )
    ]


def test_procedures_with_the_most_late_dossiers():
    # January (due dates 20 Jan unless said):
    #   A / 1.000001: l1 resolved late 25 Jan; o1 open, overdue at 31 Jan -> late 2
    #   A / 1.000002: l2 resolved late 22 Jan; t2 resolved on time 20 Jan;
    #                 w2 waiting for the applicant since 25 Jan (not "in progress overdue")
    #                 -> received 3, resolved 2, late 1
    #   B / 1.000002: t3 resolved early -> no late dossier, no row
    # February: A / 1.000001: o1 still open and overdue; nothing received or resolved.
    con = build(
        {
            "dossiers": [
                dossier("l1", 9, "2026-01-05", "2026-01-20", finished_at="2026-01-25"),
                dossier("o1", 4, "2026-01-05", "2026-01-20"),
                dossier(
                    "l2",
                    9,
                    "2026-01-05",
                    "2026-01-20",
                    procedure_id="1.000002",
                    finished_at="2026-01-22",
                ),
                dossier(
                    "t2",
                    9,
                    "2026-01-05",
                    "2026-01-20",
                    procedure_id="1.000002",
                    finished_at="2026-01-20",
                ),
                dossier("w2", 5, "2026-01-05", "2026-01-20", procedure_id="1.000002"),
                dossier(
                    "t3",
                    9,
                    "2026-01-05",
                    "2026-01-20",
                    procedure_id="1.000002",
                    agency_id="B",
                    finished_at="2026-01-10",
                ),
            ],
            "supplements": [{"dossier_id": "w2", "requested_at": "2026-01-25"}],
        }
    )
    assert late_rows(con, "A", "2026-01") == [
        ("1.000001", 2, 1, 1, 1, 2, 1),
        ("1.000002", 3, 2, 1, 0, 1, 2),
    ]
    assert late_rows(con, "B", "2026-01") == []
    assert late_rows(con, "A", "2026-02") == [("1.000001", 0, 0, 0, 1, 1, 1)]
    # Province, January: 1.000002 adds B's t3 (received 4, resolved 3, late 1).
    assert late_rows(con, "P", "2026-01") == [
        ("1.000001", 2, 1, 1, 1, 2, 1),
        ("1.000002", 4, 3, 1, 0, 1, 2),
    ]
    # Q1: l1, l2 late; o1 overdue at 31 Mar; w2 still waiting.
    assert late_rows(con, "A", "2026-Q1") == [
        ("1.000001", 2, 1, 1, 1, 2, 1),
        ("1.000002", 3, 2, 1, 0, 1, 2),
    ]


def test_late_procedures_tied_are_listed_by_procedure_id():
    # One late dossier each: equal late_dossiers, listed 1.000001 then 1.000002.
    con = build(
        {
            "dossiers": [
                dossier(
                    "x",
                    9,
                    "2026-01-05",
                    "2026-01-20",
                    procedure_id="1.000002",
                    finished_at="2026-01-25",
                ),
                dossier("y", 9, "2026-01-05", "2026-01-20", finished_at="2026-01-25"),
            ]
        }
    )
    assert [r[0] for r in late_rows(con, "A", "2026-01")] == ["1.000001", "1.000002"]
    assert [r[-1] for r in late_rows(con, "A", "2026-01")] == [1, 2]
