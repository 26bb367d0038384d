"""Methodology §2 (report figures per agency and period, mẫu 06a): one test per figure and rate.

Every expected value is worked out by hand in the comments from the hand-made dossiers, never
copied from the code's output. Default agencies: P (the province), A "Sở Tư pháp", B "Sở Y tế";
as-of date 2026-03-31 unless a test says otherwise.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import DEFAULT_AGENCIES, build_db, rows

from minhbach.errors import InvariantError
from minhbach.sql import QUERIES_DIR, runner

# The tables this suite covers, and the checks that guard them.
MY_MARTS = (
    "agency_period_metrics",
    "procedure_metrics",
    "agency_open_age",
    "agency_procedure_late",
)
MY_CHECKS = (
    "agency_open_age_buckets",
    "agency_period_balance",
    "agency_period_open_split",
    "agency_period_received_split",
    "agency_period_resolved_split",
    "agency_period_to_handle",
    "marts_rates_0_100",
    "marts_unique_keys",
)

COUNT_COLUMNS = (
    "carried_over",
    "received_new",
    "received_online",
    "received_direct",
    "received_postal",
    "to_handle",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn_stopped",
    "waiting_applicant",
    "waiting_within",
    "waiting_overdue",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "refused_at_intake",
    "postal_uses",
    "ratings",
    "ratings_satisfied",
    "ratings_unsatisfied",
    "ratings_1",
    "ratings_2",
    "ratings_3",
    "ratings_4",
    "ratings_5",
    "postal_returns",
)
RATE_COLUMNS = ("on_time_pct", "late_pct", "online_pct", "overdue_open_pct", "satisfied_pct")


def build(tables: dict[str, list[dict]], **kw) -> duckdb.DuckDBPyConnection:
    """Staging and facts, then only the marts this suite covers, in the runner's order.

    (Other marts are built and tested by their own suites.)
    """
    con = build_db(tables, layers=("staging", "facts"), **kw)
    runner.run(con, layers=("marts",), only=MY_MARTS)
    return con


def check_problems(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return runner.check_problems(con, name)


def all_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [p for name in MY_CHECKS for p in check_problems(con, name)]


def dossier(dossier_id: str, status: int, received: str | None, due: str | None, **kw) -> dict:
    row = {
        "dossier_id": dossier_id,
        "agency_id": kw.pop("agency_id", "A"),
        "procedure_id": kw.pop("procedure_id", "1.000001"),
        "status": str(status),
        "received_at": received,
        "due_at": due,
    }
    row.update(kw)
    return row


def metrics(con: duckdb.DuckDBPyConnection, agency_id: str, period: str) -> dict:
    got = rows(
        con,
        "select * from agency_period_metrics where agency_id = ? and period = ?",
        [agency_id, period],
    )
    assert len(got) == 1, (agency_id, period, got)
    return got[0]


def pick(row: dict, *names: str) -> dict:
    return {n: row[n] for n in names}


# --- counts -----------------------------------------------------------------------------------


def test_carried_over_received_before_p_with_no_end_before_its_first_day():
    # February 2026 (1-28 Feb):
    #   c1 received 10 Jan, resolved 5 Feb            -> carried over
    #   c2 received 10 Jan, resolved 25 Jan           -> ended before Feb: not in February at all
    #   c3 received 31 Jan 23:00, still in process    -> carried over
    #   c4 received 1 Feb 00:00                       -> received_new, not carried over
    #   c5 received 5 Jan, withdrawn 1 Feb 00:00      -> carried over (an end ON the first day
    #                                                    is not before it)
    # carried_over 3, received_new 1, to_handle 4.
    con = build(
        {
            "dossiers": [
                dossier("c1", 9, "2026-01-10", "2026-02-20", finished_at="2026-02-05"),
                dossier("c2", 9, "2026-01-10", "2026-02-20", finished_at="2026-01-25"),
                dossier("c3", 4, "2026-01-31 23:00", "2026-03-30"),
                dossier("c4", 4, "2026-02-01 00:00", "2026-03-30"),
                dossier("c5", 7, "2026-01-05", "2026-02-20", finished_at="2026-02-01 00:00"),
            ]
        }
    )
    feb = metrics(con, "A", "2026-02")
    assert pick(feb, "carried_over", "received_new", "to_handle") == {
        "carried_over": 3,
        "received_new": 1,
        "to_handle": 4,
    }
    # January: c1, c2, c3, c5 received in January (c4 in February), none carried over.
    jan = metrics(con, "A", "2026-01")
    assert pick(jan, "carried_over", "received_new", "to_handle") == {
        "carried_over": 0,
        "received_new": 4,
        "to_handle": 4,
    }


def test_received_new_split_by_channel_empty_channel_is_direct():
    # January: channel 2, "online" (2), 1, empty (-> direct), 3 -> online 2, direct 2, postal 1.
    # A dossier received in February is not in January's received_new.
    con = build(
        {
            "dossiers": [
                dossier("o1", 4, "2026-01-05", "2026-03-30", channel="2"),
                dossier("o2", 4, "2026-01-06", "2026-03-30", channel="online"),
                dossier("d1", 4, "2026-01-07", "2026-03-30", channel="1"),
                dossier("d2", 4, "2026-01-08", "2026-03-30"),
                dossier("p1", 4, "2026-01-09", "2026-03-30", channel="3"),
                dossier("feb", 4, "2026-02-09", "2026-03-30", channel="2"),
            ]
        }
    )
    jan = metrics(con, "A", "2026-01")
    assert pick(
        jan, "received_new", "received_online", "received_direct", "received_postal", "online_pct"
    ) == {
        "received_new": 5,
        "received_online": 2,
        "received_direct": 2,
        "received_postal": 1,
        "online_pct": Decimal("40.00"),  # 2 / 5
    }


def test_resolved_split_by_outcome_and_withdrawn_stopped_apart():
    # All received 2 Jan, due 20 Jan. January:
    #   e  status 9, finished 15 Jan           -> resolved early
    #   o  status 10, finished 20 Jan 18:00    -> resolved on time (same date)
    #   l1 status 10, no finished, returned 22 Jan -> resolved late (end = returned_at)
    #   l2 status 9, finished 25 Jan           -> resolved late
    #   w7 status 7, finished 10 Jan           -> withdrawn_stopped
    #   w8 status 8, finished 28 Jan           -> withdrawn_stopped (not in resolved)
    #   x  status 9, finished 3 Feb            -> no end in January: in progress, overdue
    # resolved 4 = early 1 + on time 1 + late 2; withdrawn_stopped 2; in_progress 1;
    # to_handle 7 = 4 + 2 + 0 + 1. on_time_pct = 2/4 = 50.00, late_pct = 2/4 = 50.00.
    due = "2026-01-20"
    con = build(
        {
            "dossiers": [
                dossier("e", 9, "2026-01-02", due, finished_at="2026-01-15"),
                dossier("o", 10, "2026-01-02", due, finished_at="2026-01-20 18:00"),
                dossier("l1", 10, "2026-01-02", due, returned_at="2026-01-22"),
                dossier("l2", 9, "2026-01-02", due, finished_at="2026-01-25"),
                dossier("w7", 7, "2026-01-02", due, finished_at="2026-01-10"),
                dossier("w8", 8, "2026-01-02", due, finished_at="2026-01-28"),
                dossier("x", 9, "2026-01-02", due, finished_at="2026-02-03"),
            ]
        }
    )
    jan = metrics(con, "A", "2026-01")
    assert pick(
        jan,
        "to_handle",
        "resolved",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "withdrawn_stopped",
        "waiting_applicant",
        "in_progress",
        "in_progress_overdue",
        "on_time_pct",
        "late_pct",
    ) == {
        "to_handle": 7,
        "resolved": 4,
        "resolved_early": 1,
        "resolved_on_time": 1,
        "resolved_late": 2,
        "withdrawn_stopped": 2,
        "waiting_applicant": 0,
        "in_progress": 1,
        "in_progress_overdue": 1,
        "on_time_pct": Decimal("50.00"),
        "late_pct": Decimal("50.00"),
    }
    # February: only x (carried over, resolved 3 Feb, late: due 20 Jan).
    feb = metrics(con, "A", "2026-02")
    assert pick(feb, "carried_over", "resolved", "resolved_late", "late_pct") == {
        "carried_over": 1,
        "resolved": 1,
        "resolved_late": 1,
        "late_pct": Decimal("100.00"),
    }


def test_waiting_applicant_and_in_progress_split_within_and_overdue():
    # State at the end of January (31 Jan):
    #   w_in   round asked 10 Jan, never supplied, due 20 Jan -> waiting, within (10 <= 20)
    #   w_out  round asked 10 Jan, never supplied, due 9 Jan  -> waiting, overdue (10 > 9)
    #   w_late round asked 25 Jan, supplied 3 Feb, due 30 Mar -> still waiting at 31 Jan, within
    #   p_in   due 31 Jan                                     -> in progress, within (due that day)
    #   p_out  status 6, due 30 Jan                           -> in progress, overdue
    #   p_paus due 20 Jan; round 5 Jan -> 19 Jan (14 days)    -> adjusted due 3 Feb: within
    # waiting 3 (within 2, overdue 1); in progress 3 (within 2, overdue 1);
    # overdue_open_pct = 1 / (3 + 3) = 16.666... -> 16.67.
    con = build(
        {
            "dossiers": [
                dossier("w_in", 5, "2026-01-02", "2026-01-20"),
                dossier("w_out", 5, "2026-01-02", "2026-01-09"),
                dossier("w_late", 4, "2026-01-02", "2026-03-30"),
                dossier("p_in", 4, "2026-01-05", "2026-01-31"),
                dossier("p_out", 6, "2026-01-05", "2026-01-30"),
                dossier("p_paus", 4, "2026-01-02", "2026-01-20"),
            ],
            "supplements": [
                {"dossier_id": "w_in", "requested_at": "2026-01-10"},
                {"dossier_id": "w_out", "requested_at": "2026-01-10"},
                {
                    "dossier_id": "w_late",
                    "requested_at": "2026-01-25",
                    "supplied_at": "2026-02-03",
                },
                {
                    "dossier_id": "p_paus",
                    "requested_at": "2026-01-05",
                    "supplied_at": "2026-01-19",
                },
            ],
        }
    )
    jan = metrics(con, "A", "2026-01")
    assert pick(
        jan,
        "to_handle",
        "waiting_applicant",
        "waiting_within",
        "waiting_overdue",
        "in_progress",
        "in_progress_within",
        "in_progress_overdue",
        "overdue_open_pct",
    ) == {
        "to_handle": 6,
        "waiting_applicant": 3,
        "waiting_within": 2,
        "waiting_overdue": 1,
        "in_progress": 3,
        "in_progress_within": 2,
        "in_progress_overdue": 1,
        "overdue_open_pct": Decimal("16.67"),
    }
    # End of February (28 Feb): w_late was supplied on 3 Feb -> in progress again; paused
    # 25 Jan -> 3 Feb = 9 days, adjusted due 30 Mar + 9 = 8 Apr: within. w_in, w_out still
    # waiting. p_in (due 31 Jan), p_out (30 Jan), p_paus (3 Feb) are overdue by then.
    # waiting 2 (within 1, overdue 1); in progress 4 (within 1, overdue 3); 3 / 6 = 50.00.
    feb = metrics(con, "A", "2026-02")
    assert pick(
        feb,
        "carried_over",
        "waiting_applicant",
        "waiting_within",
        "in_progress",
        "in_progress_within",
        "in_progress_overdue",
        "overdue_open_pct",
    ) == {
        "carried_over": 6,
        "waiting_applicant": 2,
        "waiting_within": 1,
        "in_progress": 4,
        "in_progress_within": 1,
        "in_progress_overdue": 3,
        "overdue_open_pct": Decimal("50.00"),
    }


def test_refused_at_intake_dated_by_submitted_at_else_latest_other_timestamp():
    #   r1 status 3, submitted 30 Jan, finished 3 Feb   -> dated 30 Jan (submitted_at wins)
    #   r2 status 3, received 28 Jan, finished 2 Feb    -> no submitted_at: latest = 2 Feb
    #   r3 status 3, only returned 10 Feb               -> 10 Feb
    #   n1 status 1, submitted 15 Jan                   -> not refused, not received
    #   k  status 4, received 20 Jan                    -> to_handle, not refused
    # January: refused 1, to_handle 1. February: refused 2, to_handle 1 (k carried over).
    # Q1: refused 3.
    con = build(
        {
            "dossiers": [
                dossier("r1", 3, None, None, submitted_at="2026-01-30", finished_at="2026-02-03"),
                dossier("r2", 3, "2026-01-28", None, finished_at="2026-02-02"),
                dossier("r3", 3, None, None, returned_at="2026-02-10"),
                dossier("n1", 1, None, None, submitted_at="2026-01-15"),
                dossier("k", 4, "2026-01-20", "2026-03-30"),
            ]
        }
    )
    assert pick(metrics(con, "A", "2026-01"), "refused_at_intake", "to_handle") == {
        "refused_at_intake": 1,
        "to_handle": 1,
    }
    assert pick(metrics(con, "A", "2026-02"), "refused_at_intake", "to_handle") == {
        "refused_at_intake": 2,
        "to_handle": 1,
    }
    assert metrics(con, "A", "2026-Q1")["refused_at_intake"] == 3


def test_postal_uses_count_a_dossier_received_and_returned_by_post_twice():
    #   a  postal, received 5 Jan, returned by post 12 Jan    -> January: 2 uses
    #   b  online, received 20 Dec 2025, returned by post 3 Jan -> January: 1 use (returned;
    #      received whenever)
    #   c  postal, received 20 Jan, still open                -> January: 1 use
    #   d  direct, returned 15 Jan handed over (method 0)     -> no use
    #   e  direct, received 20 Jan, returned by post 2 Feb    -> February: 1 use, not January
    # January: received_postal 2, postal_uses 2 + 1 + 1 = 4. February: 1.
    con = build(
        {
            "dossiers": [
                dossier(
                    "a",
                    10,
                    "2026-01-05",
                    "2026-01-20",
                    channel="3",
                    finished_at="2026-01-10",
                    returned_at="2026-01-12",
                    return_method="1",
                ),
                dossier(
                    "b",
                    10,
                    "2025-12-20",
                    "2026-01-10",
                    channel="2",
                    finished_at="2026-01-02",
                    returned_at="2026-01-03",
                    return_method="1",
                ),
                dossier("c", 4, "2026-01-20", "2026-03-30", channel="3"),
                dossier(
                    "d",
                    10,
                    "2026-01-05",
                    "2026-01-20",
                    channel="1",
                    finished_at="2026-01-14",
                    returned_at="2026-01-15",
                    return_method="0",
                ),
                dossier(
                    "e",
                    10,
                    "2026-01-20",
                    "2026-02-20",
                    channel="1",
                    finished_at="2026-01-30",
                    returned_at="2026-02-02",
                    return_method="1",
                ),
            ]
        }
    )
    jan = metrics(con, "A", "2026-01")
    assert pick(jan, "received_postal", "postal_uses") == {"received_postal": 2, "postal_uses": 4}
    feb = metrics(con, "A", "2026-02")
    assert pick(feb, "received_postal", "postal_uses") == {"received_postal": 0, "postal_uses": 1}


def test_avg_processing_days_over_resolved_dossiers_paused_time_excluded():
    # January, resolved: r1 5 Jan 00:00 -> 7 Jan 00:00 = 2 days; r2 5 Jan -> 8 Jan = 3 days;
    # r3 5 Jan 00:00 -> 9 Jan 12:00 = 4.5 days minus a pause 6 Jan 00:00 -> 7 Jan 12:00 (1.5)
    # = 3 days. The withdrawn w (15 days) does not count. (2 + 3 + 3) / 3 = 2.666... -> 2.67.
    con = build(
        {
            "dossiers": [
                dossier("r1", 9, "2026-01-05", "2026-01-30", finished_at="2026-01-07"),
                dossier("r2", 10, "2026-01-05", "2026-01-30", finished_at="2026-01-08"),
                dossier("r3", 9, "2026-01-05", "2026-01-30", finished_at="2026-01-09 12:00"),
                dossier("w", 7, "2026-01-05", "2026-01-30", finished_at="2026-01-20"),
            ],
            "supplements": [
                {
                    "dossier_id": "r3",
                    "requested_at": "2026-01-06 00:00",
                    "supplied_at": "2026-01-07 12:00",
                }
            ],
        }
    )
    assert metrics(con, "A", "2026-01")["avg_processing_days"] == Decimal("2.67")
    # February: nothing resolved -> empty, not 0.
    assert metrics(con, "A", "2026-02")["avg_processing_days"] is None


# --- rates -----------------------------------------------------------------------------------


def test_rate_rounds_half_up_281_of_800_is_35_13():
    # 800 dossiers received in January, 281 of them online: 281 / 800 = 35.125 % -> 35.13
    # (half-up; banker's rounding would give 35.12).
    ds = [
        dossier(f"d{i:03d}", 4, "2026-01-05", "2026-03-30", channel="2" if i < 281 else "1")
        for i in range(800)
    ]
    jan = metrics(build({"dossiers": ds}), "A", "2026-01")
    assert (jan["received_new"], jan["received_online"]) == (800, 281)
    assert jan["online_pct"] == Decimal("35.13")


def test_rates_are_empty_when_the_denominator_is_zero_and_counts_are_zero():
    # A has one dossier, still open and within time at the end of January; B has none.
    # A: nothing resolved -> on_time_pct, late_pct empty; no ratings -> satisfied_pct empty;
    # received 1 (online 0) -> online_pct 0.00; open 1, overdue 0 -> overdue_open_pct 0.00.
    # B: every count 0 (not empty), every rate empty.
    con = build({"dossiers": [dossier("k", 4, "2026-01-05", "2026-03-30")]})
    a = metrics(con, "A", "2026-01")
    assert pick(a, *RATE_COLUMNS) == {
        "on_time_pct": None,
        "late_pct": None,
        "online_pct": Decimal("0.00"),
        "overdue_open_pct": Decimal("0.00"),
        "satisfied_pct": None,
    }
    b = metrics(con, "B", "2026-01")
    assert {c: b[c] for c in COUNT_COLUMNS} == dict.fromkeys(COUNT_COLUMNS, 0)
    assert pick(b, *RATE_COLUMNS) == dict.fromkeys(RATE_COLUMNS)
    assert b["avg_processing_days"] is None


def test_satisfied_pct_ratings_given_in_p_belong_to_the_dossiers_agency():
    # A's dossier a1 gets ratings 5, 4, 3, 2, 1 in January: 5 ratings, satisfied (4-5) 2,
    # unsatisfied (1-2) 2 -> 2/5 = 40.00.
    # B: a rating 5 with no dossier and agency_id B; a rating 1 about B's dossier b1 that
    # names agency A (the dossier's agency wins: B) -> 2 ratings, 1 satisfied -> 50.00.
    # A rating of a1 given in February is not in January.
    # Province: 7 ratings in January, satisfied 3 -> 42.857... -> 42.86.
    ratings = [
        {"rating_id": f"r{v}", "dossier_id": "a1", "rated_at": "2026-01-20", "rating": str(v)}
        for v in (5, 4, 3, 2, 1)
    ]
    ratings += [
        {"rating_id": "rb", "agency_id": "B", "rated_at": "2026-01-21", "rating": "5"},
        {
            "rating_id": "rx",
            "dossier_id": "b1",
            "agency_id": "A",
            "rated_at": "2026-01-22",
            "rating": "1",
        },
        {"rating_id": "rf", "dossier_id": "a1", "rated_at": "2026-02-02", "rating": "5"},
    ]
    con = build(
        {
            "dossiers": [
                dossier("a1", 9, "2026-01-05", "2026-01-30", finished_at="2026-01-15"),
                dossier(
                    "b1", 9, "2026-01-05", "2026-01-30", finished_at="2026-01-15", agency_id="B"
                ),
            ],
            "ratings": ratings,
        }
    )
    names = ("ratings", "ratings_satisfied", "ratings_unsatisfied", "satisfied_pct")
    assert pick(metrics(con, "A", "2026-01"), *names) == {
        "ratings": 5,
        "ratings_satisfied": 2,
        "ratings_unsatisfied": 2,
        "satisfied_pct": Decimal("40.00"),
    }
    assert pick(metrics(con, "B", "2026-01"), *names) == {
        "ratings": 2,
        "ratings_satisfied": 1,
        "ratings_unsatisfied": 1,
        "satisfied_pct": Decimal("50.00"),
    }
    assert pick(metrics(con, "P", "2026-01"), *names) == {
        "ratings": 7,
        "ratings_satisfied": 3,
        "ratings_unsatisfied": 3,
        "satisfied_pct": Decimal("42.86"),
    }
    a = metrics(con, "A", "2026-01")
    assert [a[f"ratings_{v}"] for v in (1, 2, 3, 4, 5)] == [1, 1, 1, 1, 1]
    assert metrics(con, "A", "2026-02")["ratings"] == 1


def test_ratings_after_the_as_of_date_are_not_counted_in_the_incomplete_period():
    # As of 15 March: a rating given 10 March counts, one given 20 March (after the as-of
    # date) does not. March: 1 rating.
    con = build(
        {
            "dossiers": [dossier("m", 9, "2026-03-02", "2026-03-20", finished_at="2026-03-05")],
            "ratings": [
                {"rating_id": "in", "dossier_id": "m", "rated_at": "2026-03-10", "rating": "4"},
                {"rating_id": "out", "dossier_id": "m", "rated_at": "2026-03-20", "rating": "1"},
            ],
        },
        as_of="2026-03-15",
    )
    mar = metrics(con, "A", "2026-03")
    assert pick(mar, "complete", "ratings", "satisfied_pct") == {
        "complete": False,
        "ratings": 1,
        "satisfied_pct": Decimal("100.00"),
    }


# --- units and periods -------------------------------------------------------------------------


def test_province_row_adds_up_every_unit_its_own_dossiers_included():
    # January: A receives 2 (1 online), B receives 1 (postal) and resolves it early, and the
    # province unit P itself receives 1 (direct). Province: received_new 4 (online 1, direct
    # 2, postal 1), resolved 1 (early), in progress 3, to_handle 4, online_pct 1/4 = 25.00.
    # (P's own dossier is due 30 Apr: within time at the end of every period.)
    con = build(
        {
            "dossiers": [
                dossier("a1", 4, "2026-01-05", "2026-03-30", channel="2"),
                dossier("a2", 4, "2026-01-06", "2026-03-30", channel="1"),
                dossier(
                    "b1",
                    9,
                    "2026-01-07",
                    "2026-01-30",
                    channel="3",
                    agency_id="B",
                    finished_at="2026-01-10",
                ),
                dossier("p1", 4, "2026-01-08", "2026-04-30", agency_id="P"),
            ]
        }
    )
    p = metrics(con, "P", "2026-01")
    assert pick(
        p,
        "level",
        "received_new",
        "received_online",
        "received_direct",
        "received_postal",
        "resolved",
        "resolved_early",
        "in_progress",
        "to_handle",
        "online_pct",
    ) == {
        "level": "province",
        "received_new": 4,
        "received_online": 1,
        "received_direct": 2,
        "received_postal": 1,
        "resolved": 1,
        "resolved_early": 1,
        "in_progress": 3,
        "to_handle": 4,
        "online_pct": Decimal("25.00"),
    }
    # And every count of the province is the sum of A, B and its own dossiers, in every
    # period: A + B + (P's own, 1 dossier open all along).
    for period in ("2026-01", "2026-02", "2026-03", "2026-Q1", "2026"):
        a, b, prov = (metrics(con, u, period) for u in ("A", "B", "P"))
        own = {c: 0 for c in COUNT_COLUMNS}
        own.update(to_handle=1, in_progress=1, in_progress_within=1)
        own.update(received_new=int(period in ("2026-01", "2026-Q1", "2026")))
        own.update(received_direct=own["received_new"])
        own.update(carried_over=1 - own["received_new"])
        assert {c: prov[c] for c in COUNT_COLUMNS} == {
            c: a[c] + b[c] + own[c] for c in COUNT_COLUMNS
        }, period


def test_unit_rows_for_periods_overlapping_validity_and_later_while_it_has_dossiers():
    # C existed until 31 Jan; its dossier received 10 Jan is resolved on 5 Mar.
    #   January: exists, to_handle 1 -> ranked_eligible
    #   February, March: no longer exists but still has it to handle -> rows, not ranked
    #   Q1, 2026: overlap its validity -> exist, ranked
    # E existed until 31 Jan; its dossier was resolved 20 Jan -> rows January, Q1, 2026 only.
    # D exists from 15 Feb, no dossiers -> rows February, March, Q1, 2026; not ranked.
    agencies = DEFAULT_AGENCIES + [
        {
            "agency_id": "C",
            "name": "Xã Cũ",
            "level": "commune",
            "parent_id": "P",
            "valid_to": "2026-01-31",
            "successor_id": "D",
        },
        {
            "agency_id": "E",
            "name": "Xã Nhỏ",
            "level": "commune",
            "parent_id": "P",
            "valid_to": "2026-01-31",
        },
        {
            "agency_id": "D",
            "name": "Xã Mới",
            "level": "commune",
            "parent_id": "P",
            "valid_from": "2026-02-15",
        },
    ]
    con = build(
        {
            "agencies": agencies,
            "dossiers": [
                dossier(
                    "c1", 9, "2026-01-10", "2026-03-20", agency_id="C", finished_at="2026-03-05"
                ),
                dossier(
                    "e1", 9, "2026-01-10", "2026-01-30", agency_id="E", finished_at="2026-01-20"
                ),
            ],
        }
    )

    def unit_rows(agency_id: str) -> dict[str, tuple]:
        return {
            r["period"]: (r["exists_in_period"], r["ranked_eligible"], r["to_handle"])
            for r in rows(
                con,
                "select * from agency_period_metrics where agency_id = ?",
                [agency_id],
            )
        }

    assert unit_rows("C") == {
        "2026-01": (True, True, 1),
        "2026-02": (False, False, 1),
        "2026-03": (False, False, 1),
        "2026-Q1": (True, True, 1),
        "2026": (True, True, 1),
    }
    assert unit_rows("E") == {
        "2026-01": (True, True, 1),
        "2026-Q1": (True, True, 1),
        "2026": (True, True, 1),
    }
    assert unit_rows("D") == {
        "2026-02": (True, False, 0),
        "2026-03": (True, False, 0),
        "2026-Q1": (True, False, 0),
        "2026": (True, False, 0),
    }
    # C keeps its own figures: its March row shows the resolution; D's row does not.
    assert metrics(con, "C", "2026-03")["resolved"] == 1
    assert metrics(con, "D", "2026-03")["resolved"] == 0


def test_quarter_and_year_figures_judge_the_whole_period():
    # q  received 10 Jan, due 10 Mar, resolved 5 Mar (early).
    # y  received 20 Dec 2025, due 30 Jan, resolved 10 Feb (late).
    #   2026-01: q new, open (within); y carried over, open (overdue: due 30 Jan)
    #   2026-02: q carried over, open, within (due 10 Mar >= 28 Feb); y carried over, resolved
    #   2026-03: q carried over, resolved early
    #   2026-Q1: q received_new and resolved early; y carried over and resolved late
    #   2026:    same as Q1 (incomplete: the as-of date is 31 Mar)
    #   2025 / 2025-Q4 / 2025-12: y received and open at the end (within: due 30 Jan)
    con = build(
        {
            "dossiers": [
                dossier("q", 9, "2026-01-10", "2026-03-10", finished_at="2026-03-05"),
                dossier("y", 9, "2025-12-20", "2026-01-30", finished_at="2026-02-10"),
            ]
        }
    )
    names = (
        "complete",
        "carried_over",
        "received_new",
        "resolved",
        "resolved_early",
        "resolved_late",
        "in_progress_within",
        "in_progress_overdue",
    )
    expected = {
        "2025-12": (True, 0, 1, 0, 0, 0, 1, 0),
        "2025-Q4": (True, 0, 1, 0, 0, 0, 1, 0),
        "2025": (True, 0, 1, 0, 0, 0, 1, 0),
        "2026-01": (True, 1, 1, 0, 0, 0, 1, 1),
        "2026-02": (True, 2, 0, 1, 0, 1, 1, 0),
        "2026-03": (True, 1, 0, 1, 1, 0, 0, 0),
        "2026-Q1": (True, 1, 1, 2, 1, 1, 0, 0),
        "2026": (False, 1, 1, 2, 1, 1, 0, 0),
    }
    got = {
        r["period"]: tuple(r[n] for n in names)
        for r in rows(con, "select * from agency_period_metrics where agency_id = 'A'")
    }
    assert got == expected
    types = {
        r["period"]: r["period_type"]
        for r in rows(con, "select * from agency_period_metrics where agency_id = 'A'")
    }
    assert types["2026-02"] == "month" and types["2026-Q1"] == "quarter"
    assert types["2026"] == "year"


def test_incomplete_periods_carry_complete_false():
    # As of 15 March: March, Q1 and 2026 are not over; January and February are.
    con = build({"dossiers": [dossier("k", 4, "2026-01-05", "2026-03-30")]}, as_of="2026-03-15")
    got = {
        r["period"]: r["complete"]
        for r in rows(con, "select * from agency_period_metrics where agency_id = 'A'")
    }
    assert got == {
        "2026-01": True,
        "2026-02": True,
        "2026-03": False,
        "2026-Q1": False,
        "2026": False,
    }


def test_columns_in_the_published_order():
    con = build({"dossiers": [dossier("k", 4, "2026-01-05", "2026-03-30")]})
    cols = [c[0] for c in con.execute("select * from agency_period_metrics limit 0").description]
    assert cols[:39] == [
        "agency_id", "agency_name", "level", "period", "period_type", "first_day", "last_day",
        "complete", "exists_in_period", "ranked_eligible", "carried_over", "received_new",
        "received_online", "received_direct", "received_postal", "to_handle", "resolved",
        "resolved_early", "resolved_on_time", "resolved_late", "withdrawn_stopped",
        "waiting_applicant", "waiting_within", "waiting_overdue", "in_progress",
        "in_progress_within", "in_progress_overdue", "refused_at_intake", "postal_uses",
        "on_time_pct", "late_pct", "online_pct", "overdue_open_pct", "satisfied_pct",
        "ratings", "ratings_satisfied", "ratings_unsatisfied", "avg_processing_days",
        "ratings_1",
    ]  # fmt: skip
    # One row per row of dim_agency_periods.
    n_metrics = con.execute("select count(*) from agency_period_metrics").fetchone()[0]
    n_periods = con.execute("select count(*) from dim_agency_periods").fetchone()[0]
    assert n_metrics == n_periods


# --- open dossiers by age past due ---------------------------------------------------------------


def test_open_age_buckets_by_days_past_the_adjusted_due_date():
    # End of January (31 Jan), in progress, by due date:
    #   31 Jan -> not yet due;  30 Jan -> 1 day;  26 Jan -> 5;  25 Jan -> 6;  16 Jan -> 15;
    #   15 Jan -> 16;  1 Jan -> 30;  31 Dec 2025 -> 31 days.
    #   two2: due 30 Mar but a second supplementation round -> overdue by rule, 0 days -> 1-5
    #   wait: waiting for the applicant -> not in the buckets, counted apart.
    # not_yet_due 1; 1-5: 3 (1 day, 5 days, two2); 6-15: 2; 16-30: 2; > 30: 1; in_progress 9.
    dues = {
        "d0": "2026-01-31",
        "d1": "2026-01-30",
        "d5": "2026-01-26",
        "d6": "2026-01-25",
        "d15": "2026-01-16",
        "d16": "2026-01-15",
        "d30": "2026-01-01",
        "d31": "2025-12-31",
    }
    ds = [dossier(k, 4, "2025-12-20", due) for k, due in dues.items()]
    ds += [
        dossier("two2", 4, "2026-01-02", "2026-03-30"),
        dossier("wait", 5, "2026-01-02", "2026-03-30"),
    ]
    sups = [
        {"dossier_id": "two2", "requested_at": "2026-01-03", "supplied_at": "2026-01-04"},
        {"dossier_id": "two2", "requested_at": "2026-01-05", "supplied_at": "2026-01-06"},
        {"dossier_id": "wait", "requested_at": "2026-01-10"},
    ]
    con = build({"dossiers": ds, "supplements": sups})
    got = rows(con, "select * from agency_open_age where agency_id = 'A' and period = '2026-01'")
    assert len(got) == 1
    assert {k: v for k, v in got[0].items() if k not in ("agency_id", "period")} == {
        "period_type": "month",
        "complete": True,
        "eval_date": date(2026, 1, 31),
        "open_at_end": 10,
        "waiting_applicant": 1,
        "in_progress": 9,
        "not_yet_due": 1,
        "overdue_1_5": 3,
        "overdue_6_15": 2,
        "overdue_16_30": 2,
        "overdue_over_30": 1,
    }
    jan = metrics(con, "A", "2026-01")
    assert (jan["in_progress_within"], jan["in_progress_overdue"]) == (1, 8)
    assert check_problems(con, "agency_open_age_buckets") == []


# --- build invariants ---------------------------------------------------------------------------


def sample_con() -> duckdb.DuckDBPyConnection:
    """A small build touching every figure, used by the invariant tests."""
    return build(
        {
            "dossiers": [
                dossier("e", 9, "2026-01-02", "2026-01-20", finished_at="2026-01-15", channel="2"),
                dossier(
                    "l", 10, "2026-01-02", "2026-01-20", returned_at="2026-01-22", return_method="1"
                ),
                dossier("w", 7, "2026-01-02", "2026-01-20", finished_at="2026-01-10", channel="3"),
                dossier("o", 4, "2026-01-05", "2026-01-30", agency_id="B"),
                dossier("s", 5, "2026-02-05", "2026-02-20", agency_id="B"),
                dossier("r", 3, None, None, submitted_at="2026-02-01"),
            ],
            "supplements": [{"dossier_id": "s", "requested_at": "2026-02-10"}],
            "ratings": [{"dossier_id": "e", "rated_at": "2026-01-16", "rating": "5"}],
        }
    )


def test_every_invariant_holds_on_a_correct_build():
    assert all_problems(sample_con()) == []


def test_a_broken_balance_stops_the_build(tmp_path: Path):
    # Sở Tư pháp (A), January: to_handle 3 = resolved 2 + withdrawn 1 + 0 + 0. One more
    # "resolved" by hand breaks the balance; the check names the unit and the period.
    con = sample_con()
    con.execute(
        "update agency_period_metrics set resolved = resolved + 1 "
        "where agency_id = 'A' and period = '2026-01'"
    )
    problems = check_problems(con, "agency_period_balance")
    assert len(problems) == 1
    assert "Sở Tư pháp (A), kỳ 2026-01" in problems[0]
    # The runner turns any violation into a build-stopping error (run over this suite's checks).
    (tmp_path / "checks").mkdir()
    for name in MY_CHECKS:
        shutil.copy(QUERIES_DIR / "checks" / f"{name}.sql", tmp_path / "checks")
    with pytest.raises(InvariantError, match="agency_period_balance"):
        runner.run_checks(con, tmp_path)


@pytest.mark.parametrize(
    ("check", "breakage"),
    [
        (
            "agency_period_to_handle",
            "update agency_period_metrics set carried_over = carried_over + 1, "
            "resolved = resolved + 1 where agency_id = 'A' and period = '2026-01'",
        ),
        (
            "agency_period_received_split",
            "update agency_period_metrics set received_online = received_online + 1 "
            "where agency_id = 'A' and period = '2026-01'",
        ),
        (
            "agency_period_resolved_split",
            "update agency_period_metrics set resolved_late = resolved_late + 1 "
            "where agency_id = 'A' and period = '2026-01'",
        ),
        (
            "agency_period_open_split",
            "update agency_period_metrics set in_progress_overdue = in_progress_overdue + 1 "
            "where agency_id = 'B' and period = '2026-01'",
        ),
        (
            "agency_period_open_split",
            "update agency_period_metrics set waiting_within = waiting_within + 1 "
            "where agency_id = 'B' and period = '2026-02'",
        ),
        (
            "marts_rates_0_100",
            "update agency_period_metrics set on_time_pct = 100.01 "
            "where agency_id = 'A' and period = '2026-01'",
        ),
        (
            "marts_rates_0_100",
            "update agency_period_metrics set satisfied_pct = 0 "
            "where agency_id = 'B' and period = '2026-01'",  # B has no ratings: must be empty
        ),
        (
            "marts_rates_0_100",
            "update procedure_metrics set online_pct = -1 where agency_id = 'A'",
        ),
        (
            "marts_unique_keys",
            "insert into agency_period_metrics select * from agency_period_metrics "
            "where agency_id = 'A' and period = '2026-01'",
        ),
        (
            "marts_unique_keys",
            "insert into procedure_metrics select * from procedure_metrics limit 1",
        ),
        (
            "marts_unique_keys",
            "insert into agency_procedure_late select * from agency_procedure_late limit 1",
        ),
        (
            "marts_unique_keys",
            "insert into agency_open_age select * from agency_open_age limit 1",
        ),
        (
            "agency_open_age_buckets",
            "update agency_open_age set overdue_over_30 = overdue_over_30 + 1 "
            "where agency_id = 'B' and period = '2026-01'",
        ),
    ],
)
def test_each_invariant_catches_its_violation(check: str, breakage: str):
    con = sample_con()
    assert check_problems(con, check) == []
    con.execute(breakage)
    problems = check_problems(con, check)
    assert problems, check
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
