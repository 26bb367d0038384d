"""Methodology §3 (the 766 index, rule set qd766-v1): one test per rule, on hand-made tables.

Expected values are worked out by hand in the comments, not copied from the code's output.
The as-of date is 2026-03-31 unless a test says otherwise, so March 2026 is a complete period
whose end is 2026-03-31.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import DEFAULT_AGENCIES, build_db, rows

from minhbach.errors import InvariantError
from minhbach.sql import runner

D = Decimal


def dossier(dossier_id: str, status: int, received: str | None, due: str | None, **kw) -> dict:
    row = {
        "dossier_id": dossier_id,
        "agency_id": kw.pop("agency_id", "A"),
        "procedure_id": kw.pop("procedure_id", "1.000001"),
        "status": str(status),
        "received_at": received,
        "due_at": due,
    }
    row.update({k: str(v) for k, v in kw.items()})
    return row


def open_dossier(dossier_id: str, received: str = "2026-03-02", **kw) -> dict:
    """In progress, due well after March: within time at the end of March."""
    return dossier(dossier_id, 4, received, "2026-04-30", **kw)


def ind(con, code: str, agency: str = "A", period: str = "2026-03") -> dict:
    (row,) = rows(
        con,
        "select * from index_766 where agency_id = ? and period = ? and indicator = ?",
        [agency, period, code],
    )
    return row


def figures(r: dict) -> tuple:
    """numerator, denominator, rate_pct, points of an index_766 row."""
    return (r["numerator"], r["denominator"], r["rate_pct"], r["points"])


def score(con, agency: str = "A", period: str = "2026-03") -> dict:
    (row,) = rows(
        con, "select * from scores_766 where agency_id = ? and period = ?", [agency, period]
    )
    return row


def rescore(con, indicator_rows: list[dict]) -> None:
    """Replace index_766 with hand-made indicator rows and rebuild scores_766 from them."""
    con.execute("delete from index_766")
    for r in indicator_rows:
        con.execute(
            'insert into index_766 (agency_id, period, period_type, "group", indicator, '
            "max_points, assessed, points_exact, points) "
            "values (?, ?, 'month', ?, ?, ?, ?, ?, round2(?))",
            [
                r["agency_id"],
                r.get("period", "2026-03"),
                r["group"],
                r["indicator"],
                r["max_points"],
                r["points_exact"] is not None,
                r["points_exact"],
                r["points_exact"],
            ],
        )
    runner.run(con, layers=("marts",), only={"scores_766_groups", "scores_766"})


# --- Group CKMB: 1.1-1.3 (procedure_publications) and 1.4 -------------------------------------

FEB_DOSSIER = dossier("feb", 9, "2026-02-02", "2026-02-20", finished_at="2026-02-10")


def publication(**kw) -> dict:
    return {"agency_id": kw.pop("agency_id", "A"), "procedure_id": "1.000001", **kw}


def test_1_1_procedures_announced_on_time():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "procedure_publications": [
                # March judges: published in March, or due in March and not published before.
                publication(publish_due="2026-03-10", published_at="2026-03-08"),  # on time
                publication(publish_due="2026-03-10", published_at="2026-03-12"),  # late
                publication(publish_due="2026-03-20"),  # due in March, never published: late
                publication(publish_due="2026-04-15", published_at="2026-03-05"),  # on time
                # published in February (on time): judged in February, not again in March
                publication(publish_due="2026-03-15", published_at="2026-02-20"),
                # no due date: cannot be judged on time or late
                publication(published_at="2026-03-03"),
            ],
        }
    )
    # March: 2 on time of 4 judged = 50% -> 6 x 0.5 = 3.00
    r = ind(con, "1.1")
    assert figures(r) == (2, 4, D("50.00"), D("3.00"))
    assert r["assessed"] and r["max_points"] == 6
    # February: the one published on 20/2, due 15/3 -> 1/1 -> 6.00
    feb = ind(con, "1.1", period="2026-02")
    assert (feb["numerator"], feb["denominator"], feb["points"]) == (1, 1, D("6.00"))
    # The province counts every unit's publications: the same 2/4.
    assert ind(con, "1.1", agency="P")["points"] == D("3.00")


def test_1_2_procedures_made_public_on_time():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "procedure_publications": [
                publication(public_due="2026-03-10", made_public_at="2026-03-10"),  # on time
                publication(public_due="2026-03-10", made_public_at="2026-03-11"),  # late
                publication(public_due="2026-03-25"),  # not made public: late
            ],
        }
    )
    # 1 of 3 = 33.33% -> 4 x 1/3 = 1.333... -> 1.33
    r = ind(con, "1.2")
    assert figures(r) == (1, 3, D("33.33"), D("1.33"))


def test_1_3_public_records_complete():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "procedure_publications": [
                publication(made_public_at="2026-01-10", content_complete="1"),
                publication(made_public_at="2026-02-01", content_complete="1"),
                publication(made_public_at="2026-03-15", content_complete="1"),
                publication(made_public_at="2026-03-31", content_complete="0"),
                publication(content_complete="1"),  # not made public: not counted
            ],
        }
    )
    # Made public by 31/3: 4, complete: 3 -> 75% -> 2 x 0.75 = 1.50
    r = ind(con, "1.3")
    assert (r["numerator"], r["denominator"], r["points"]) == (3, 4, D("1.50"))
    # By the end of February: the first two, both complete -> 2/2 -> 2.00
    assert ind(con, "1.3", period="2026-02")["points"] == D("2.00")


def test_1_1_to_1_3_only_for_units_with_publication_rows():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "procedure_publications": [
                publication(publish_due="2026-03-10", published_at="2026-03-08")
            ],
        }
    )
    for code in ("1.1", "1.2", "1.3"):
        r = ind(con, code, agency="B")  # Sở Y tế has no publication rows
        assert r["assessed"] is False and r["points"] is None and r["numerator"] is None
        assert r["not_assessed_reason"] == "đơn vị không có dữ liệu công bố thủ tục"
    # A has rows but nothing made public by 31/3: 1.3's denominator is 0 -> not assessed
    r = ind(con, "1.3")
    assert (r["assessed"], r["denominator"], r["points"]) == (False, 0, None)


def test_1_1_to_1_3_not_assessed_without_publications_table():
    con = build_db({"dossiers": [FEB_DOSSIER]})
    for code in ("1.1", "1.2", "1.3"):
        r = ind(con, code)
        assert (r["assessed"], r["points"], r["numerator"], r["denominator"]) == (
            False,
            None,
            None,
            None,
        )
        assert r["not_assessed_reason"] == "không có dữ liệu công bố thủ tục"


def test_1_4_dossiers_synced_to_national_portal():
    con = build_db(
        {
            "dossiers": [
                open_dossier("a", synced_national=1),
                open_dossier("b"),
                open_dossier("c"),
                open_dossier("d"),
                open_dossier("old", received="2026-02-10", synced_national=1),  # carried over
            ]
        }
    )
    # Received in March: 4, synced: 1 -> 25% -> 6 x 0.25 = 1.50
    r = ind(con, "1.4")
    assert (r["numerator"], r["denominator"], r["points"]) == (1, 4, D("1.50"))


def test_not_assessed_when_nothing_received_in_period():
    # Only a dossier carried over from February: March has to_handle 1 but received_new 0.
    con = build_db({"dossiers": [open_dossier("old", received="2026-02-10")]})
    r = ind(con, "1.4")
    assert (r["assessed"], r["numerator"], r["denominator"], r["rate_pct"], r["points"]) == (
        False,
        0,
        0,
        None,
        None,
    )
    assert r["not_assessed_reason"] == "không có hồ sơ tiếp nhận trong kỳ"
    assert ind(con, "2.1")["assessed"] is True  # 1 within time of 1 to handle
    # B has nothing at all to handle
    r = ind(con, "2.1", agency="B")
    assert (r["assessed"], r["not_assessed_reason"]) == (
        False,
        "không có hồ sơ phải giải quyết trong kỳ",
    )


# --- Group TDGQ: 2.1 --------------------------------------------------------------------------


def test_2_1_handled_early_or_on_time():
    con = build_db(
        {
            "dossiers": [
                dossier("early", 9, "2026-03-02", "2026-03-10", finished_at="2026-03-09"),
                dossier("on_time", 10, "2026-03-02", "2026-03-10", finished_at="2026-03-10 16:00"),
                dossier("late", 9, "2026-03-02", "2026-03-10", finished_at="2026-03-12"),
                # withdrawn/stopped ones count by their end date like resolved ones
                dossier("stopped", 8, "2026-03-02", "2026-03-10", finished_at="2026-03-05"),
                dossier("within", 4, "2026-03-02", "2026-04-10"),
                dossier("overdue", 4, "2026-03-02", "2026-03-20"),
                dossier("carried", 4, "2026-02-01", "2026-02-20"),  # overdue since February
                # waiting for the applicant since 5/3, due 10/3: stop date <= due -> within
                dossier("waiting", 5, "2026-03-01", "2026-03-10"),
            ],
            "supplements": [{"dossier_id": "waiting", "requested_at": "2026-03-05"}],
        }
    )
    # In time: early, on_time, stopped, within, waiting = 5 of 8 -> 62.5% -> 20 x 5/8 = 12.50
    r = ind(con, "2.1")
    assert figures(r) == (5, 8, D("62.50"), D("12.50"))
    assert r["group"] == "TDGQ" and r["max_points"] == 20


# --- Group CLGQ: 3.1-3.3 ----------------------------------------------------------------------

ONLINE_PROCEDURES = [
    {"procedure_id": "p_full", "name": "Toàn trình", "online_level": "full"},
    {"procedure_id": "p_part", "name": "Một phần", "online_level": "partial"},
    {"procedure_id": "p_none1", "name": "Không 1", "online_level": "none"},
    {"procedure_id": "p_none2", "name": "Không 2", "online_level": "none"},
    {"procedure_id": "p_feb", "name": "Chỉ tháng 2", "online_level": "full"},
]


def online_db():
    return build_db(
        {
            "procedures": ONLINE_PROCEDURES,
            "dossiers": [
                open_dossier("f1", procedure_id="p_full", channel=2),
                open_dossier("p1", procedure_id="p_part", channel=1),
                open_dossier("n1", procedure_id="p_none1", channel=2),
                open_dossier("n2", procedure_id="p_none2"),
                # only received in February: not handled in March
                open_dossier("feb", received="2026-02-10", procedure_id="p_feb", channel=2),
                open_dossier("b1", agency_id="B", procedure_id="p_none1"),
            ],
        }
    )


def test_3_1_procedures_offered_online():
    con = online_db()
    # Handled by A in March: p_full, p_part, p_none1, p_none2; online: 2 -> 50%, full at 80%
    # -> 2 x min(1, 0.5 / 0.8) = 2 x 0.625 = 1.25
    r = ind(con, "3.1")
    assert (r["numerator"], r["denominator"], r["points"]) == (2, 4, D("1.25"))
    # The province counts each procedure once, whichever units handled it: A's 4 (B's p_none1
    # is one of them) -> the same 2/4.
    r = ind(con, "3.1", agency="P")
    assert (r["numerator"], r["denominator"]) == (2, 4)


def test_3_2_online_services_in_actual_use():
    con = online_db()
    # Online procedures handled by A in March: p_full, p_part; with an online dossier: p_full
    # (n1's online dossier is for a procedure that is not online) -> 1/2 -> 4 x 0.5 = 2.00
    r = ind(con, "3.2")
    assert (r["numerator"], r["denominator"], r["points"]) == (1, 2, D("2.00"))
    # B handles only p_none1: no online procedure -> not assessed
    r = ind(con, "3.2", agency="B")
    assert (r["assessed"], r["denominator"]) == (False, 0)


def test_3_3_dossiers_submitted_online():
    channels = [2, 2, 2, 1, 1, 1, 1, 3, 3, None]
    con = build_db(
        {
            "dossiers": [
                open_dossier(f"d{i}", **({"channel": c} if c else {}))
                for i, c in enumerate(channels)
            ]
            + [open_dossier("old", received="2026-02-10", channel=2)],  # carried over
        }
    )
    # 3 online of 10 received -> 30%, full at 50% -> 6 x 0.6 = 3.60
    r = ind(con, "3.3")
    assert figures(r) == (3, 10, D("30.00"), D("3.60"))


# --- Group TTTT: 3.4-3.6 ----------------------------------------------------------------------

FEE_PROCEDURES = [
    {"procedure_id": "fee1", "name": "Phí 1", "has_fee": "1", "online_payment_enabled": "1"},
    {"procedure_id": "fee2", "name": "Phí 2", "has_fee": "1", "online_payment_enabled": "0"},
    {"procedure_id": "fee3", "name": "Phí 3", "has_fee": "1", "online_payment_enabled": "1"},
    {"procedure_id": "free", "name": "Không phí"},
]


def fee_db():
    return build_db(
        {
            "procedures": FEE_PROCEDURES,
            "dossiers": [
                open_dossier("a1", procedure_id="fee1", paid_online=1),
                open_dossier("a2", procedure_id="fee1", paid_online=2),
                open_dossier("a3", procedure_id="fee1", paid_online=0),
                open_dossier("b1", procedure_id="fee2", paid_online=0),
                open_dossier("c1", procedure_id="fee3"),
                open_dossier("f1", procedure_id="free", paid_online=1),  # not a fee dossier
            ],
        }
    )


def test_3_4_fee_dossiers_paid_online():
    # Fee dossiers: a1 a2 a3 b1 c1 = 5; paid online (1 or 2): a1 a2 -> 40% -> 6 x 0.4 = 2.40
    r = ind(fee_db(), "3.4")
    assert (r["numerator"], r["denominator"], r["points"]) == (2, 5, D("2.40"))


def test_3_5_fee_procedures_with_online_payments():
    # Fee procedures handled: fee1 fee2 fee3; with a dossier paid online: fee1 -> 1/3
    # -> min(2, 2.5 x 1/3) = 0.8333... -> 0.83
    r = ind(fee_db(), "3.5")
    assert (r["numerator"], r["denominator"], r["points"]) == (1, 3, D("0.83"))


def test_3_6_fee_procedures_payable_on_national_portal():
    # Handled fee procedures payable on the portal: fee1, fee3 of 3 -> 2/3
    # -> min(2, 2.5 x 2/3) = 1.6666... -> 1.67
    r = ind(fee_db(), "3.6")
    assert (r["numerator"], r["denominator"], r["points"]) == (2, 3, D("1.67"))


def test_3_5_and_3_6_capped_at_2():
    # One fee procedure (1.000001: fee, payable online), paid online -> rate 100%
    # -> min(2, 2.5 x 1) = 2.00 for both
    con = build_db({"dossiers": [open_dossier("a", paid_online=1)]})
    assert ind(con, "3.5")["points"] == D("2.00")
    assert ind(con, "3.6")["points"] == D("2.00")
    assert ind(con, "3.5")["points_exact"] == 2.0


# --- Group MDSH: 4.1-4.5 ----------------------------------------------------------------------


def test_4_1_electronic_results():
    con = build_db(
        {
            "procedures": [
                {
                    "procedure_id": "doc",
                    "name": "Có giấy tờ",
                },  # issues_result_document default true
                {"procedure_id": "nodoc", "name": "Không giấy tờ", "issues_result_document": "0"},
            ],
            "dossiers": [
                dossier(
                    "r1",
                    9,
                    "2026-03-02",
                    "2026-03-20",
                    procedure_id="doc",
                    finished_at="2026-03-05",
                    e_result=1,
                ),
                dossier(
                    "r2",
                    10,
                    "2026-02-20",
                    "2026-03-20",
                    procedure_id="doc",
                    finished_at="2026-03-06",
                    e_result=1,
                ),
                dossier(
                    "r3",
                    9,
                    "2026-03-02",
                    "2026-03-20",
                    procedure_id="doc",
                    finished_at="2026-03-07",
                ),
                # not counted: procedure without a result document; stopped; resolved in February
                dossier(
                    "x1",
                    9,
                    "2026-03-02",
                    "2026-03-20",
                    procedure_id="nodoc",
                    finished_at="2026-03-05",
                    e_result=1,
                ),
                dossier(
                    "x2",
                    8,
                    "2026-03-02",
                    "2026-03-20",
                    procedure_id="doc",
                    finished_at="2026-03-05",
                    e_result=1,
                ),
                dossier(
                    "x3",
                    9,
                    "2026-02-02",
                    "2026-02-20",
                    procedure_id="doc",
                    finished_at="2026-02-10",
                    e_result=1,
                ),
            ],
        }
    )
    # Resolved in March, procedures with a result document: r1 r2 r3; e-result: r1 r2
    # -> 2/3 -> 6 x 2/3 = 4.00
    r = ind(con, "4.1")
    assert (r["numerator"], r["denominator"], r["points"]) == (2, 3, D("4.00"))


def test_4_2_to_4_4_digitised_reused_from_store():
    con = build_db(
        {
            "dossiers": [
                open_dossier("a", digitized=1, reused_data=1, from_personal_store=1),
                open_dossier("b", digitized=1, reused_data=1),
                open_dossier("c", reused_data=1),
                open_dossier("d"),
                open_dossier("e"),
            ]
        }
    )
    # 5 received in March.
    # 4.2 digitised 2/5 = 40% -> 4 x 0.4 = 1.60
    assert (ind(con, "4.2")["numerator"], ind(con, "4.2")["points"]) == (2, D("1.60"))
    # 4.3 re-used 3/5 = 60%, full at 80% -> 2 x 0.75 = 1.50
    assert (ind(con, "4.3")["numerator"], ind(con, "4.3")["points"]) == (3, D("1.50"))
    # 4.4 from the applicant's store 1/5 = 20% -> 4 x 0.2 = 0.80
    assert (ind(con, "4.4")["numerator"], ind(con, "4.4")["points"]) == (1, D("0.80"))


def test_4_5_assessed_only_for_the_province():
    con = build_db(
        {
            "dossiers": [
                open_dossier("a1", applicant_type=1, vneid_verified=1),
                open_dossier("a2", applicant_type=1),
                open_dossier("a3", applicant_type=2, vneid_verified=1),  # a business
                open_dossier("b1", agency_id="B", applicant_type=1, vneid_verified=1),
            ]
        }
    )
    # Province: citizens' dossiers received in March a1 a2 b1, verified a1 b1
    # -> 2/3 -> 6 x 2/3 = 4.00
    r = ind(con, "4.5", agency="P")
    assert (r["numerator"], r["denominator"], r["assessed"], r["points"]) == (2, 3, True, D("4.00"))
    # A department: the rate is shown (1 of 2) but not scored
    r = ind(con, "4.5")
    assert (r["numerator"], r["denominator"], r["assessed"], r["points"]) == (1, 2, False, None)
    assert r["not_assessed_reason"] == "chỉ đánh giá cấp tỉnh"


# --- Group MDHL: 5.1-5.3 ----------------------------------------------------------------------


def feedback(fid: str, received: str, due: str, resolved: str | None = None, **kw) -> dict:
    row = {
        "feedback_id": fid,
        "agency_id": kw.pop("agency_id", "A"),
        "received_at": received,
        "due_at": due,
        "resolved_at": resolved,
    }
    row.update({k: str(v) for k, v in kw.items()})
    return row


def test_5_1_feedback_handled_on_time():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "feedback": [
                feedback("f1", "2026-03-02", "2026-03-10", "2026-03-10 17:00"),  # on time
                feedback("f2", "2026-03-02", "2026-03-10", "2026-03-11"),  # late
                feedback("f3", "2026-03-20", "2026-04-05"),  # open, not yet due: counts
                feedback("f4", "2026-03-05", "2026-03-15"),  # open past due
                feedback("f5", "2026-02-10", "2026-02-20", "2026-03-03"),  # carried, late
                feedback("f6", "2026-02-10", "2026-03-05", "2026-02-25"),  # resolved before March
                feedback("f7", "2026-02-20", "2026-03-31"),  # carried, due on the last day
                feedback("b1", "2026-03-02", "2026-03-10", agency_id="B"),  # another unit's
            ],
        }
    )
    # March denominator: f1 f2 f3 f4 (received in March) + f5 f7 (earlier, open on 1/3) = 6
    # numerator: f1 (resolved on its due date), f3, f7 (open, due date not passed) = 3
    # -> 50% -> 6 x 0.5 = 3.00
    r = ind(con, "5.1")
    assert (r["numerator"], r["denominator"], r["points"]) == (3, 6, D("3.00"))
    # The province: A's plus b1 (open past due) -> 3/7 -> 6 x 3/7 = 2.5714... -> 2.57
    r = ind(con, "5.1", agency="P")
    assert (r["numerator"], r["denominator"], r["points"]) == (3, 7, D("2.57"))


def test_5_1_looks_back_at_the_end_of_the_period():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "feedback": [
                # At the end of February: open and past its due date (20/2) -> not in time
                feedback("f1", "2026-02-10", "2026-02-20", "2026-03-03"),
                # At the end of February: open, due 10/3 not passed -> in time
                feedback("f2", "2026-02-25", "2026-03-10", "2026-03-05"),
            ],
        }
    )
    # February: 1/2 -> 3.00
    r = ind(con, "5.1", period="2026-02")
    assert (r["numerator"], r["denominator"], r["points"]) == (1, 2, D("3.00"))


def test_5_2_satisfaction_with_feedback_handling():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "feedback": [
                feedback("g1", "2026-03-01", "2026-03-10", "2026-03-05", citizen_satisfied=1),
                feedback("g2", "2026-03-01", "2026-03-10", "2026-03-05", citizen_satisfied=0),
                # late AND not satisfied: subtracted once
                feedback("g3", "2026-03-01", "2026-03-10", "2026-03-12", citizen_satisfied=0),
                feedback("g4", "2026-03-01", "2026-03-10", "2026-03-12"),  # late, no verdict
                feedback("g5", "2026-03-01", "2026-03-20"),  # open past due on 31/3
                feedback("g6", "2026-03-01", "2026-04-10"),  # open, not yet due
                feedback("g7", "2026-03-01", "2026-03-10", "2026-03-08"),  # on time, no verdict
                # received in February: not in March's denominator
                feedback("g8", "2026-02-25", "2026-03-10", "2026-03-20"),
            ],
        }
    )
    # Received in March: g1..g7 = 7; subtracted g2, g3, g4, g5 = 4 -> 3/7 = 42.857% -> 42.86
    # -> 6 x 3/7 = 2.5714... -> 2.57
    r = ind(con, "5.2")
    assert figures(r) == (3, 7, D("42.86"), D("2.57"))


def test_5_2_verdict_counts_only_once_the_answer_is_given():
    con = build_db(
        {
            "dossiers": [FEB_DOSSIER],
            "feedback": [
                feedback("g", "2026-02-20", "2026-03-10", "2026-03-05", citizen_satisfied=0)
            ],
        }
    )
    # End of February: not yet answered, not yet due -> not subtracted -> 1/1 -> 6.00
    r = ind(con, "5.2", period="2026-02")
    assert (r["numerator"], r["denominator"], r["points"]) == (1, 1, D("6.00"))
    # Quarter 1: answered on 5/3 and the applicant was not satisfied -> 0/1 -> 0.00
    r = ind(con, "5.2", period="2026-Q1")
    assert (r["numerator"], r["denominator"], r["points"]) == (0, 1, D("0.00"))


def test_5_1_and_5_2_full_points_when_there_is_no_feedback():
    con = build_db({"dossiers": [open_dossier("a")], "feedback": []})
    for code in ("5.1", "5.2"):
        r = ind(con, code)
        assert (r["assessed"], r["denominator"], r["rate_pct"], r["points"]) == (
            True,
            0,
            None,
            D("6.00"),
        )


def test_5_1_and_5_2_not_assessed_without_feedback_table():
    con = build_db({"dossiers": [open_dossier("a")], "ratings": []})
    for code in ("5.1", "5.2", "5.3"):
        r = ind(con, code)
        assert (r["assessed"], r["points"], r["denominator"]) == (False, None, None)
        assert r["not_assessed_reason"] == "không có dữ liệu phản ánh, kiến nghị"


def test_5_3_each_dossier_subtracted_once():
    def rating(rid: str, did: str, at: str, value: int) -> dict:
        return {"rating_id": rid, "dossier_id": did, "rated_at": at, "rating": str(value)}

    con = build_db(
        {
            "dossiers": [
                # late, rated 1 and complained about: subtracted once
                dossier("d1", 9, "2026-03-02", "2026-03-10", finished_at="2026-03-12"),
                open_dossier("d2"),
                open_dossier("d3"),
                open_dossier("d4"),
                open_dossier("d5", received="2026-02-01"),
                open_dossier("d6"),
                open_dossier("d7"),
                open_dossier("d8"),
                open_dossier("d9"),
                open_dossier("d10"),
            ],
            "ratings": [
                rating("r1", "d1", "2026-03-13", 1),
                rating("r2", "d2", "2026-03-05", 2),
                rating("r3", "d3", "2026-03-05", 2),  # d3 rated 2 twice: subtracted once
                rating("r4", "d3", "2026-03-06", 1),
                rating("r5", "d5", "2026-02-15", 1),  # given in February: not March's
                rating("r6", "d6", "2026-03-05", 3),  # 3 is not unsatisfied
            ],
            "feedback": [
                feedback("f1", "2026-03-14", "2026-03-30", "2026-03-20", dossier_id="d1"),
                feedback("f4", "2026-03-10", "2026-03-30", "2026-03-20", dossier_id="d4"),
            ],
        }
    )
    # to_handle 10; subtracted d1 (late + rating + feedback), d2, d3, d4 = 4 -> 6/10 = 60%
    # full at 90% -> 6 x 60/90 = 4.00
    r = ind(con, "5.3")
    assert figures(r) == (6, 10, D("60.00"), D("4.00"))


def test_5_3_zero_points_when_nothing_to_handle():
    con = build_db({"dossiers": [open_dossier("a")], "ratings": [], "feedback": []})
    r = ind(con, "5.3", agency="B")  # Sở Y tế: nothing to handle
    assert (r["assessed"], r["denominator"], r["rate_pct"], r["points"]) == (
        True,
        0,
        None,
        D("0.00"),
    )


def test_5_3_not_assessed_without_ratings_table():
    con = build_db({"dossiers": [open_dossier("a")], "feedback": []})
    r = ind(con, "5.3")
    assert (r["assessed"], r["points"]) == (False, None)
    assert r["not_assessed_reason"] == "không có dữ liệu đánh giá hài lòng"


# --- Scores: groups, totals, assessed_max, total_100, bands -------------------------------------


def test_total_and_total_100_with_indicators_not_assessed():
    d = dossier(
        "a",
        9,
        "2026-03-02",
        "2026-03-10",
        finished_at="2026-03-05",
        channel=2,
        synced_national=1,
        paid_online=0,
        e_result=1,
        digitized=1,
        applicant_type=2,
    )
    con = build_db({"dossiers": [d], "feedback": [], "ratings": []})
    s = score(con)
    # 1.4 6 | 2.1 20 | 3.1 2, 3.2 4, 3.3 6 | 3.4 0, 3.5 0, 3.6 2 (1.000001 is payable online)
    # 4.1 6, 4.2 4, 4.3 0, 4.4 0 | 5.1 6, 5.2 6 (no feedback), 5.3 6 (1/1 in time, no complaint)
    # Not assessed: 1.1-1.3 (no publications table), 4.5 (not the province).
    assert (s["CKMB"], s["TDGQ"], s["CLGQ"], s["TTTT"], s["MDSH"], s["MDHL"]) == (
        D("6.00"),
        D("20.00"),
        D("12.00"),
        D("2.00"),
        D("10.00"),
        D("18.00"),
    )
    # total 68; assessed_max = 100 - (6 + 4 + 2) - 6 = 82; total_100 = 68/82 x 100
    # = 82.9268... -> 82.93 -> Tốt
    assert (s["total"], s["assessed_max"], s["total_100"], s["band"]) == (
        D("68.00"),
        82,
        D("82.93"),
        "Tốt",
    )
    assert s["not_assessed"] == "1.1,1.2,1.3,4.5"
    assert s["rule_set"] == "qd766-v1"
    runner.run_checks(con)


def test_group_score_sums_unrounded_points():
    con = build_db(
        {
            "dossiers": [
                open_dossier("a", digitized=1),
                open_dossier("b", from_personal_store=1),
                open_dossier("c", reused_data=1),
            ]
        }
    )
    # 4.2: 4 x 1/3 = 1.3333 (shown 1.33); 4.4: 4 x 1/3 = 1.3333 (1.33);
    # 4.3: 2 x (1/3)/0.8 = 0.8333 (0.83). Shown points add up to 3.49, but the group score is
    # the sum of the unrounded points, 3.5 -> 3.50. (4.1: nothing resolved; 4.5: not province.)
    assert [ind(con, c)["points"] for c in ("4.2", "4.3", "4.4")] == [
        D("1.33"),
        D("0.83"),
        D("1.33"),
    ]
    assert score(con)["MDSH"] == D("3.50")


def test_group_score_empty_when_none_of_its_indicators_is_assessed():
    con = build_db({"dossiers": [open_dossier("a")]})
    # No publications table (1.1-1.3) but 1.4 is assessed: CKMB 1.4 = 0 -> 0.00.
    # B has nothing: CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL all empty; total and total_100 empty.
    s = score(con, agency="B")
    assert (s["CKMB"], s["TDGQ"], s["MDHL"], s["total"], s["assessed_max"], s["total_100"]) == (
        None,
        None,
        None,
        None,
        0,
        None,
    )
    assert s["band"] is None and s["ranked"] is False
    assert score(con)["CKMB"] == D("0.00")


def test_points_and_total_100_round_half_up():
    # Procedure without a result document, nobody received in March, no feedback/ratings
    # tables: in March only 2.1 is assessed. 160 dossiers received in February, still open:
    # 141 due 15/4 (within time on 31/3), 19 due 15/3 (overdue).
    procs = [{"procedure_id": "x", "name": "X", "issues_result_document": "0"}]
    ds = [open_dossier(f"w{i}", received="2026-02-10", procedure_id="x") for i in range(141)]
    ds += [dossier(f"o{i}", 4, "2026-02-10", "2026-03-15", procedure_id="x") for i in range(19)]
    con = build_db({"procedures": procs, "dossiers": ds})
    # 2.1 = 20 x 141/160 = 17.625 -> 17.63 (half-up; banker's rounding would give 17.62)
    r = ind(con, "2.1")
    assert (r["rate_pct"], r["points"], r["points_exact"]) == (D("88.13"), D("17.63"), 17.625)
    # total_100 = 17.625 / 20 x 100 = 88.125 -> 88.13
    s = score(con)
    assert (s["total"], s["assessed_max"], s["total_100"]) == (D("17.63"), 20, D("88.13"))
    # February: received 160, all within time on 28/2 -> 2.1 = 20; 1.4 0/160; 3.1 0/1 (x is
    # not online), 3.2 not assessed, 3.3 0; 4.2-4.4 0 -> total 20 of 6+20+2+6+4+2+4 = 44
    # -> 45.4545... -> 45.45; change in March = 88.13 - 45.45 = 42.68
    assert score(con, period="2026-02")["total_100"] == D("45.45")
    assert (s["previous_period"], s["previous_total_100"], s["change_total_100"]) == (
        "2026-02",
        D("45.45"),
        D("42.68"),
    )


def two_units_db():
    return build_db({"dossiers": [open_dossier("a"), open_dossier("b", agency_id="B")]})


def test_band_at_exactly_90_is_xuat_sac():
    con = two_units_db()
    rescore(
        con,
        [
            # 18 of 20 -> 90.00 exactly -> Xuất sắc
            {
                "agency_id": "A",
                "group": "TDGQ",
                "indicator": "2.1",
                "max_points": 20,
                "points_exact": 18.0,
            },
            # 17.99 of 20 -> 89.95 -> Tốt
            {
                "agency_id": "B",
                "group": "TDGQ",
                "indicator": "2.1",
                "max_points": 20,
                "points_exact": 17.99,
            },
        ],
    )
    assert (score(con)["total_100"], score(con)["band"]) == (D("90.00"), "Xuất sắc")
    assert (score(con, "B")["total_100"], score(con, "B")["band"]) == (D("89.95"), "Tốt")


def test_band_uses_rounded_total_100():
    con = two_units_db()
    rescore(
        con,
        [
            # 17.999 of 20 -> 89.995 -> rounds half-up to 90.00 -> Xuất sắc
            {
                "agency_id": "A",
                "group": "TDGQ",
                "indicator": "2.1",
                "max_points": 20,
                "points_exact": 17.999,
            },
            # 13.999 of 20 -> 69.995 -> 70.00 -> Khá
            {
                "agency_id": "B",
                "group": "TDGQ",
                "indicator": "2.1",
                "max_points": 20,
                "points_exact": 13.999,
            },
        ],
    )
    assert (score(con)["total_100"], score(con)["band"]) == (D("90.00"), "Xuất sắc")
    assert (score(con, "B")["total_100"], score(con, "B")["band"]) == (D("70.00"), "Khá")


# --- Rankings ---------------------------------------------------------------------------------


def ranking_db(**settings):
    agencies = DEFAULT_AGENCIES + [
        {"agency_id": "C", "name": "Sở Công Thương", "level": "department", "parent_id": "P"},
        {"agency_id": "D", "name": "Sở Xây dựng", "level": "department", "parent_id": "P"},
        {"agency_id": "E", "name": "Sở Nội vụ", "level": "department", "parent_id": "P"},
        {
            "agency_id": "F",
            "name": "Sở Cũ",
            "level": "department",
            "parent_id": "P",
            "valid_to": "2026-01-31",
            "successor_id": "A",
        },
    ]

    def unit(agency: str, due1: str, due2: str) -> list[dict]:
        return [
            dossier(f"{agency}1", 4, "2026-03-02", due1, agency_id=agency, procedure_id="1.000002"),
            dossier(f"{agency}2", 4, "2026-03-02", due2, agency_id=agency, procedure_id="1.000002"),
        ]

    # All dossiers open, procedure 1.000002 (not online, no fee); no publications, feedback or
    # ratings tables. Assessed per unit: 1.4 (6), 2.1 (20), 3.1 (2), 3.3 (6), 4.2 (4), 4.3 (2),
    # 4.4 (4) = 44, all 0 except 2.1 = 20 x (within time)/2.
    ds = (
        unit("A", "2026-04-30", "2026-04-30")  # 20 -> 45.45
        + unit("B", "2026-04-30", "2026-03-10")  # 10 -> 22.73
        + unit("C", "2026-04-30", "2026-03-10")  # 10 -> 22.73
        + unit("D", "2026-03-10", "2026-03-10")  # 0 -> 0.00
        + unit("F", "2026-04-30", "2026-04-30")  # 45.45 but did not exist in March
    )
    # E (Sở Nội vụ) has nothing to handle.
    return build_db({"agencies": agencies, "dossiers": ds}, **settings)


def test_standard_competition_ranking_ties_listed_by_name():
    con = ranking_db()
    got = rows(
        con,
        "select agency_id, total_100, rank, rank_of, rank_order from scores_766 "
        "where period = '2026-03' and level = 'department' and ranked order by rank_order",
    )
    # A 45.45 first; B and C tie at 22.73 (rank 2, 2), C "Sở Công Thương" listed before
    # B "Sở Y tế" by name; D fourth (rank 4, not 3). rank_of = 4 ranked departments.
    assert [
        (r["agency_id"], r["total_100"], r["rank"], r["rank_of"], r["rank_order"]) for r in got
    ] == [
        ("A", D("45.45"), 1, 4, 1),
        ("C", D("22.73"), 2, 4, 2),
        ("B", D("22.73"), 2, 4, 3),
        ("D", D("0.00"), 4, 4, 4),
    ]
    runner.run_checks(con)


def test_units_with_nothing_to_handle_or_not_existing_are_not_ranked():
    con = ranking_db()
    e = score(con, "E")  # nothing to handle in March
    f = score(con, "F")  # valid until 31/1, still has dossiers in March
    for s in (e, f):
        assert (s["ranked"], s["rank"], s["rank_of"], s["rank_order"]) == (False, None, None, None)
    assert f["total_100"] == D("45.45")  # it keeps its own figures
    # The province is ranked among provinces: 1 of 1
    p = score(con, "P")
    assert (p["rank"], p["rank_of"]) == (1, 1)


# --- Official scores ----------------------------------------------------------------------------


def test_official_score_flagged_above_1_point():
    d = dossier(
        "a",
        9,
        "2026-03-02",
        "2026-03-10",
        finished_at="2026-03-05",
        channel=2,
        synced_national=1,
        paid_online=0,
        e_result=1,
        digitized=1,
        applicant_type=2,
    )
    # Computed (see test_total_and_total_100_with_indicators_not_assessed): total_100 82.93
    # and TDGQ 20.00 for A and for the province P (same single dossier).
    official = [
        {"agency_id": "A", "period": "2026-03", "group": "TOTAL", "score": "81.92"},  # 1.01
        {"agency_id": "A", "period": "2026-03", "group": "TDGQ", "score": "18.5"},  # 1.50
        {"agency_id": "P", "period": "2026-03", "group": "TOTAL", "score": "81.93"},  # 1.00
    ]
    con = build_db({"dossiers": [d], "feedback": [], "ratings": [], "official_scores": official})
    a = score(con)
    assert (a["official_total"], a["official_diff"], a["official_flag"]) == (
        D("81.92"),
        D("1.01"),
        True,
    )
    assert (a["official_TDGQ"], a["official_flagged_groups"]) == (D("18.50"), "TDGQ,TOTAL")
    assert a["total_100"] == D("82.93")  # never overwritten by the official score
    p = score(con, "P")
    assert (p["official_diff"], p["official_flag"], p["official_flagged_groups"]) == (
        D("1.00"),
        False,
        None,
    )
    b = score(con, "B")  # no official score
    assert (b["official_total"], b["official_diff"], b["official_flag"]) == (None, None, None)


# --- Row shape and checks -----------------------------------------------------------------------


def test_nineteen_indicators_per_unit_and_period():
    con = two_units_db()
    got = rows(
        con,
        "select agency_id, period, count(*) as n, sum(max_points) as total_max, "
        "string_agg(indicator, ',' order by indicator) as codes from index_766 group by all",
    )
    assert got and all(r["n"] == 19 and r["total_max"] == 100 for r in got)
    assert got[0]["codes"] == (
        "1.1,1.2,1.3,1.4,2.1,3.1,3.2,3.3,3.4,3.5,3.6,4.1,4.2,4.3,4.4,4.5,5.1,5.2,5.3"
    )
    runner.run_checks(con)


def test_checks_catch_a_rank_outside_rank_of():
    con = ranking_db()
    con.execute("update scores_766 set rank = 5 where agency_id = 'A' and period = '2026-03'")
    with pytest.raises(InvariantError, match="index_766_rank_range"):
        runner.run_checks(con)


def test_checks_catch_points_above_max():
    con = two_units_db()
    con.execute(
        "update index_766 set points_exact = 21, points = 21 "
        "where agency_id = 'A' and period = '2026-03' and indicator = '2.1'"
    )
    with pytest.raises(InvariantError, match="index_766_points_range"):
        runner.run_checks(con)


def test_below_the_minimum_volume_a_unit_keeps_its_figures_but_gets_no_band_or_rank():
    """min_to_handle 2: A, B, C and D have 2 dossiers to handle in March, so they are ranked and
    banded as in the test above. With min_to_handle 3 none of them is: their total_100 stays
    (45.45 for A) but band, rank and the change since February are empty; the province, which
    handles all 10 dossiers (A-D and F's), is still banded and ranked."""
    con = ranking_db(min_to_handle=2)
    assert (score(con, "A")["rank"], score(con, "A")["band"]) == (1, "Yếu")
    con = ranking_db(min_to_handle=3)
    for unit in "ABCD":
        s = score(con, unit)
        assert (s["ranked"], s["rank"], s["band"]) == (False, None, None), unit
    a = score(con, "A")
    assert a["total_100"] == D("45.45") and a["change_total_100"] is None
    p = score(con, "P")
    assert (p["rank"], p["rank_of"]) == (1, 1) and p["band"] is not None
    (reason,) = rows(
        con,
        "select not_ranked_reason from page_ranking where agency_id = 'A' and period = '2026-03'",
    )
    assert reason["not_ranked_reason"] == (
        "chỉ có 2 hồ sơ phải giải quyết, dưới ngưỡng 3 hồ sơ để xếp loại, xếp hạng"
    )
