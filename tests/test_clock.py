"""Methodology §1 (one dossier's clock): one test per rule, on hand-made dossiers.

Expected values are worked out by hand in the comments, not copied from the code's output.
"""

from __future__ import annotations

from conftest import build_db, rows


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


def facts(con) -> dict[str, dict]:
    return {r["dossier_id"]: r for r in rows(con, "select * from fct_dossiers")}


def open_state(con, period: str) -> dict[str, dict]:
    return {
        r["dossier_id"]: r
        for r in rows(con, "select * from fct_open_at_period_end where period = ?", [period])
    }


def test_received_when_status_is_not_1_or_3():
    con = build_db(
        {
            "dossiers": [
                dossier("d1", 1, None, None, submitted_at="2026-01-05"),
                dossier("d3", 3, None, None, submitted_at="2026-01-05"),
                dossier("d4", 4, "2026-01-05", "2026-01-20"),
            ]
        },
        layers=("staging", "facts"),
    )
    f = facts(con)
    assert [f["d1"]["is_received"], f["d3"]["is_received"], f["d4"]["is_received"]] == [
        False,
        False,
        True,
    ]


def test_end_is_finished_at_else_returned_at_for_status_10():
    con = build_db(
        {
            "dossiers": [
                dossier("a", 9, "2026-01-05", "2026-01-20", finished_at="2026-01-10 09:00"),
                dossier("b", 10, "2026-01-05", "2026-01-20", returned_at="2026-01-12 15:00"),
                dossier(
                    "c",
                    10,
                    "2026-01-05",
                    "2026-01-20",
                    finished_at="2026-01-11",
                    returned_at="2026-01-13",
                ),
            ]
        },
        layers=("staging", "facts"),
    )
    f = facts(con)
    assert str(f["a"]["end_on"]) == "2026-01-10"
    assert str(f["b"]["end_on"]) == "2026-01-12"  # no finished_at: returned_at
    assert str(f["c"]["end_on"]) == "2026-01-11"  # finished_at wins


def test_only_statuses_7_to_10_have_an_end():
    # A finished_at on status 4 is ignored: the dossier is still open.
    con = build_db(
        {"dossiers": [dossier("x", 4, "2026-01-05", "2026-01-20", finished_at="2026-01-08")]},
        layers=("staging", "facts"),
    )
    f = facts(con)["x"]
    assert f["end_at"] is None and f["end_kind"] is None and f["outcome"] is None
    assert "x" in open_state(con, "2026-01")


def test_statuses_9_10_resolved_and_7_8_withdrawn_stopped():
    ds = [
        dossier(f"s{s}", s, "2026-01-05", "2026-01-20", finished_at="2026-01-09")
        for s in (7, 8, 9, 10)
    ]
    con = build_db({"dossiers": ds}, layers=("staging", "facts"))
    f = facts(con)
    assert {k: v["end_kind"] for k, v in f.items()} == {
        "s7": "withdrawn_stopped",
        "s8": "withdrawn_stopped",
        "s9": "resolved",
        "s10": "resolved",
    }


def test_pause_is_an_exact_duration():
    # Received 1 Jan 08:00, ended 11 Jan 08:00 = 10 days; paused 2 Jan 08:00 -> 4 Jan 20:00
    # = 2.5 days; processing = 7.5 days. Due 10 Jan 17:00 + 2.5 days = 13 Jan 05:00 -> early.
    con = build_db(
        {
            "dossiers": [
                dossier(
                    "p",
                    9,
                    "2026-01-01 08:00",
                    "2026-01-10 17:00",
                    finished_at="2026-01-11 08:00",
                )
            ],
            "supplements": [
                {
                    "dossier_id": "p",
                    "requested_at": "2026-01-02 08:00",
                    "supplied_at": "2026-01-04 20:00",
                }
            ],
        },
        layers=("staging", "facts"),
    )
    f = facts(con)["p"]
    assert abs(f["processing_days"] - 7.5) < 1e-9
    assert str(f["adjusted_due_at_end"]) == "2026-01-13 05:00:00"
    assert f["outcome"] == "early"


def test_adjusted_due_date_from_latest_new_due_at_plus_later_pauses():
    # Round 1 has new_due_at 20 Jan (includes its own pause). Round 2 (no new_due_at) pauses
    # 3 days (16 -> 19 Jan). Adjusted due = 20 Jan + 3 days = 23 Jan. Ended 23 Jan: on time.
    # (second_supplement_is_late off, or this would be late by rule.)
    con = build_db(
        {
            "dossiers": [
                dossier("q", 9, "2026-01-01", "2026-01-10", finished_at="2026-01-23 16:00")
            ],
            "supplements": [
                {
                    "dossier_id": "q",
                    "requested_at": "2026-01-05",
                    "supplied_at": "2026-01-15",
                    "new_due_at": "2026-01-20",
                },
                {
                    "dossier_id": "q",
                    "requested_at": "2026-01-16 08:00",
                    "supplied_at": "2026-01-19 08:00",
                },
            ],
        },
        second_supplement_is_late=False,
        layers=("staging", "facts"),
    )
    f = facts(con)["q"]
    assert str(f["adjusted_due_at_end"])[:10] == "2026-01-23"
    assert f["outcome"] == "on_time"


def test_round_without_supplied_at_means_waiting_for_the_applicant():
    # Open dossier; round requested 10 Jan, never supplied: waiting at end of January.
    con = build_db(
        {
            "dossiers": [dossier("w", 5, "2026-01-02", "2026-01-20")],
            "supplements": [{"dossier_id": "w", "requested_at": "2026-01-10"}],
        },
        layers=("staging", "facts"),
    )
    s = open_state(con, "2026-01")["w"]
    assert s["waiting"] is True
    # Stop date 10 Jan <= due 20 Jan: within time, although 31 Jan is past the due date.
    assert s["within"] is True


def test_waiting_within_time_only_if_stop_date_on_or_before_adjusted_due():
    con = build_db(
        {
            "dossiers": [
                dossier("late_stop", 5, "2026-01-02", "2026-01-09"),
                dossier("same_day", 5, "2026-01-02", "2026-01-10 08:00"),
            ],
            "supplements": [
                {"dossier_id": "late_stop", "requested_at": "2026-01-10"},
                {"dossier_id": "same_day", "requested_at": "2026-01-10 16:00"},
            ],
        },
        layers=("staging", "facts"),
    )
    s = open_state(con, "2026-01")
    assert s["late_stop"]["within"] is False  # stopped 10 Jan, due 9 Jan
    assert s["same_day"]["within"] is True  # stopped on the due date itself


def test_without_supplements_table_nobody_waits_status_5_and_6_in_progress():
    con = build_db(
        {
            "dossiers": [
                dossier("s5", 5, "2026-01-02", "2026-03-20"),
                dossier("s6", 6, "2026-01-02", "2026-03-20"),
            ]
        },
        layers=("staging", "facts"),
    )
    s = open_state(con, "2026-01")
    assert s["s5"]["waiting"] is False and s["s6"]["waiting"] is False


def test_status_6_is_in_progress_even_with_a_supplements_table():
    con = build_db(
        {
            "dossiers": [dossier("s6", 6, "2026-01-02", "2026-03-20")],
            "supplements": [],
        },
        layers=("staging", "facts"),
    )
    assert open_state(con, "2026-01")["s6"]["waiting"] is False


def test_looking_back_ignores_later_rounds_and_treats_later_supply_as_open():
    # Round requested 25 Jan, supplied 5 Feb. At end of January: waiting. At end of February:
    # not waiting. A round requested 10 Mar is ignored at the end of February.
    con = build_db(
        {
            "dossiers": [dossier("lb", 4, "2026-01-02", "2026-04-30")],
            "supplements": [
                {
                    "dossier_id": "lb",
                    "requested_at": "2026-01-25",
                    "supplied_at": "2026-02-05",
                    "new_due_at": "2026-05-10",
                },
                {"dossier_id": "lb", "requested_at": "2026-03-10"},
            ],
        },
        second_supplement_is_late=False,
        layers=("staging", "facts"),
    )
    jan = open_state(con, "2026-01")["lb"]
    feb = open_state(con, "2026-02")["lb"]
    mar = open_state(con, "2026-03")["lb"]
    assert jan["waiting"] is True and jan["rounds"] == 1
    assert str(jan["adjusted_due_on"]) == "2026-04-30"  # new_due_at not known yet in January
    assert feb["waiting"] is False and feb["rounds"] == 1
    assert str(feb["adjusted_due_on"]) == "2026-05-10"
    assert mar["waiting"] is True and mar["rounds"] == 2


def test_second_request_counts_late_overdue_and_not_within():
    sups = []
    for d in ("ended", "open", "waiting"):
        sups.append({"dossier_id": d, "requested_at": "2026-01-03", "supplied_at": "2026-01-04"})
    sups.append({"dossier_id": "ended", "requested_at": "2026-01-05", "supplied_at": "2026-01-06"})
    sups.append({"dossier_id": "open", "requested_at": "2026-01-05", "supplied_at": "2026-01-06"})
    sups.append({"dossier_id": "waiting", "requested_at": "2026-01-05"})
    tables = {
        "dossiers": [
            # Ends 7 Jan, due 30 Jan: early by its dates, late by the second-request rule.
            dossier("ended", 9, "2026-01-02", "2026-01-30", finished_at="2026-01-07"),
            dossier("open", 4, "2026-01-02", "2026-03-30"),
            dossier("waiting", 5, "2026-01-02", "2026-03-30"),
        ],
        "supplements": sups,
    }
    con = build_db(tables, layers=("staging", "facts"))
    assert facts(con)["ended"]["outcome"] == "late"
    s = open_state(con, "2026-01")
    assert s["open"]["within"] is False and s["waiting"]["within"] is False

    off = build_db(tables, second_supplement_is_late=False, layers=("staging", "facts"))
    assert facts(off)["ended"]["outcome"] == "early"
    s = open_state(off, "2026-01")
    assert s["open"]["within"] is True and s["waiting"]["within"] is True


def test_timeliness_compares_calendar_dates():
    # Due 10 Jan 08:00. Ended 9 Jan 23:59 -> early; 10 Jan 23:00 -> on time (same date, later
    # hour); 11 Jan 00:01 -> late.
    ds = [
        dossier("early", 9, "2026-01-02", "2026-01-10 08:00", finished_at="2026-01-09 23:59"),
        dossier("ontime", 9, "2026-01-02", "2026-01-10 08:00", finished_at="2026-01-10 23:00"),
        dossier("late", 9, "2026-01-02", "2026-01-10 08:00", finished_at="2026-01-11 00:01"),
    ]
    con = build_db({"dossiers": ds}, layers=("staging", "facts"))
    assert {k: v["outcome"] for k, v in facts(con).items()} == {
        "early": "early",
        "ontime": "on_time",
        "late": "late",
    }


def test_open_dossier_overdue_when_due_date_before_the_date_due_that_day_within():
    # At the end of January (31 Jan): due 31 Jan -> within; due 30 Jan -> overdue by 1 day.
    ds = [
        dossier("due31", 4, "2026-01-02", "2026-01-31 08:00"),
        dossier("due30", 4, "2026-01-02", "2026-01-30 17:00"),
    ]
    con = build_db({"dossiers": ds}, layers=("staging", "facts"))
    s = open_state(con, "2026-01")
    assert s["due31"]["within"] is True and s["due31"]["days_overdue"] == 0
    assert s["due30"]["within"] is False and s["due30"]["days_overdue"] == 1


def test_incomplete_period_is_judged_at_the_as_of_date():
    # As of 15 Mar: March is incomplete; a dossier due 20 Mar is within time at 15 Mar.
    con = build_db(
        {"dossiers": [dossier("m", 4, "2026-03-02", "2026-03-20")]},
        as_of="2026-03-15",
        layers=("staging", "facts"),
    )
    s = open_state(con, "2026-03")["m"]
    assert s["within"] is True
    p = rows(con, "select complete, eval_date from dim_periods where period = '2026-03'")[0]
    assert p["complete"] is False and str(p["eval_date"]) == "2026-03-15"


def test_dossier_period_counts_cover_to_handle_and_split_exactly_once():
    # Received 20 Jan, ended 10 Feb (due 15 Feb: early). January: new, open at end.
    # February: carried over, ended. March: not in to_handle.
    con = build_db(
        {"dossiers": [dossier("t", 9, "2026-01-20", "2026-02-15", finished_at="2026-02-10")]},
        layers=("staging", "facts"),
    )
    got = {
        r["period"]: r
        for r in rows(con, "select * from fct_agency_period_dossiers where period_type = 'month'")
    }
    assert sorted(got) == ["2026-01", "2026-02"]

    def split(r):
        ended = r["resolved"] + r["withdrawn_stopped"]
        open_at_end = r["waiting_applicant"] + r["in_progress"]
        return (r["to_handle"], r["received_new"], r["carried_over"], ended, open_at_end)

    jan, feb = got["2026-01"], got["2026-02"]
    assert split(jan) == (1, 1, 0, 0, 1)
    assert split(feb) == (1, 0, 1, 1, 0)
    assert (feb["resolved_early"], feb["in_time"]) == (1, 1)
    q1 = rows(con, "select * from fct_agency_period_dossiers where period = '2026-Q1'")[0]
    assert split(q1) == (1, 1, 0, 1, 0)
