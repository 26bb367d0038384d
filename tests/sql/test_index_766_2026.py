"""The portal's 2026 rule set qd766-2026 recomputed from dossier exports (index_766.sql through
each indicator's ``measure``), rule by rule, on hand-made tables.

Expected values are worked out by hand in the comments, not copied from the code's output. The
as-of date is 2026-03-31, so March 2026 is a complete period.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from buildkit import ROOT
from conftest import DEFAULT_AGENCIES, DEFAULT_PROCEDURES, build_db, rows

from minhbach.config import known_rule_sets, load_settings
from minhbach.sql import runner, seeds

D = Decimal
MARTS = {"index_766", "scores_766_groups", "scores_766"}
CHECKS = (
    "index_766_points_range",
    "index_766_row_coverage",
    "index_766_total_range",
    "index_766_unique_keys",
    "index_766_rank_range",
)


def build_2026(tables: dict[str, list[dict]], rule_set: str = "qd766-2026"):
    """Staging and facts, then the 766 marts under ``rule_set``."""
    con = build_db(tables, layers=("staging", "facts"))
    runner.set_variables(con, {"rule_set": rule_set})
    runner.run(con, layers=("marts",), only=MARTS)
    return con


def ind(con, code: str, agency: str = "A", period: str = "2026-03") -> dict:
    (row,) = rows(
        con,
        "select * from index_766 where agency_id = ? and period = ? and indicator = ?",
        [agency, period, code],
    )
    return row


def figures(r: dict) -> tuple:
    """numerator, denominator, rate_pct, points, assessed of an index_766 row."""
    return (r["numerator"], r["denominator"], r["rate_pct"], r["points"], r["assessed"])


def problems(con) -> list[str]:
    return [p for name in CHECKS for p in runner.check_problems(con, name)]


def dossier(dossier_id: str, status: int, received: str, due: str, **kw) -> dict:
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


def open_dossier(dossier_id: str, **kw) -> dict:
    """Received in March, in progress, due after March: within time at the end of March."""
    return dossier(dossier_id, 4, kw.pop("received", "2026-03-02"), "2026-04-30", **kw)


COMMUNE = {"agency_id": "C", "name": "Xã Thử", "level": "commune", "parent_id": "P"}

# Unit A in March: four dossiers received (procedure 1.000001: fee, online, result document).
MARCH = [
    # an organisation's dossier verified with VNeID (counted: every applicant, every level)
    open_dossier(
        "d1", vneid_verified=1, synced_national=1, digitized=1, reused_data=1,
        from_personal_store=1, applicant_type=2,
    ),
    open_dossier("d2", vneid_verified=1, digitized=1, reused_data=1, applicant_type=1),
    dossier("d3", 4, "2026-03-04", "2026-03-20", reused_data=1),  # overdue at the end of March
    dossier(  # resolved on time, online, with an electronic result
        "d4", 10, "2026-03-05", "2026-03-20", finished_at="2026-03-10", channel=2, e_result=1
    ),
    # the commune: one dossier, verified with VNeID
    open_dossier("c1", agency_id="C", vneid_verified=1),
]  # fmt: skip


def test_every_rule_set_of_the_seeds_can_be_chosen_and_qd766_2026_is_one():
    assert "qd766-2026" in known_rule_sets()
    assert seeds.rule_set_names(recomputable=True) == seeds.rule_set_names()


def test_the_config_selects_qd766_2026(tmp_path):
    path = tmp_path / "minhbach.toml"
    path.write_text('[rules]\nrule_set = "qd766-2026"\n', encoding="utf-8")
    assert load_settings(path).rule_set == "qd766-2026"


def test_qd766_v1_indicators_measure_themselves():
    con = duckdb.connect()
    seeds.load(con)
    assert con.execute(
        "select count(*) from seed_rule_set where rule_set = 'qd766-v1' and measure <> indicator"
    ).fetchone() == (0,)


def test_measures_from_dossiers():
    con = build_2026({"agencies": [*DEFAULT_AGENCIES, COMMUNE], "dossiers": MARCH})
    # DOSSIER_SYNC = 1.4: synced 1 of 4 received -> 6 x 1/4 = 1.50
    assert figures(ind(con, "DOSSIER_SYNC")) == (1, 4, D("25.00"), D("1.50"), True)
    # TDGQ = 2.1: d1, d2 in time, d3 overdue, d4 on time -> 3/4 -> 20 x 3/4 = 15.00
    assert figures(ind(con, "TDGQ")) == (3, 4, D("75.00"), D("15.00"), True)
    # 3.3 as qd766-v1: 1 online of 4 = 25%, full at 50% -> 6 x 25/50 = 3.00
    assert figures(ind(con, "3.3")) == (1, 4, D("25.00"), D("3.00"), True)
    # ORIGINAL_RESULT_AVAILABLE = 4.1: d4 resolved with an e-result, 1/1 -> 6.00
    assert figures(ind(con, "ORIGINAL_RESULT_AVAILABLE")) == (1, 1, D("100.00"), D("6.00"), True)
    # SO_HOA_GIAY_TO_GIAI_QUYET = 4.2: digitized 2/4 -> 4 x 1/2 = 2.00
    assert figures(ind(con, "SO_HOA_GIAY_TO_GIAI_QUYET")) == (2, 4, D("50.00"), D("2.00"), True)
    # REUSED_DIGITIZED_DATA = 4.3: 3/4 = 75%, full at 80% -> 2 x 75/80 = 1.875 -> 1.88
    assert figures(ind(con, "REUSED_DIGITIZED_DATA")) == (3, 4, D("75.00"), D("1.88"), True)
    # SYNCED_WITH_DVCQG_PERSONAL_STORAGE = 4.4: 1/4 -> 4 x 1/4 = 1.00
    r = ind(con, "SYNCED_WITH_DVCQG_PERSONAL_STORAGE")
    assert figures(r) == (1, 4, D("25.00"), D("1.00"), True)
    # CITIZEN_DATA_CONNECTED_DOSSIER: VNeID 2/4, the organisation's d1 included -> 2 x 1/2 = 1.00
    r = ind(con, "CITIZEN_DATA_CONNECTED_DOSSIER")
    assert figures(r) == (2, 4, D("50.00"), D("1.00"), True)
    # the commune is scored too: 1/1 -> 2.00; the province adds up every unit: 3/5 -> 1.20
    assert ind(con, "CITIZEN_DATA_CONNECTED_DOSSIER", agency="C")["points"] == D("2.00")
    assert ind(con, "CITIZEN_DATA_CONNECTED_DOSSIER", agency="P")["numerator"] == 3
    assert ind(con, "CITIZEN_DATA_CONNECTED_DOSSIER", agency="P")["points"] == D("1.20")
    # MDSH of A: 6 + 2 + 1.875 + 1 + 1 = 11.875 -> 11.88, out of 6 + 4 + 2 + 4 + 2 = 18 assessed
    # (the formality and the certified copy have no input columns here: not assessed)
    (mdsh,) = rows(
        con,
        "select points, max_points, assessed_max, not_assessed from scores_766_groups "
        "where agency_id = 'A' and period = '2026-03' and \"group\" = 'MDSH'",
    )
    assert mdsh == {
        "points": D("11.88"),
        "max_points": 22,
        "assessed_max": 18,
        "not_assessed": "CITIZEN_DATA_CONNECTED_FORMALITY,ELECTRONIC_CERTIFIED_COPY",
    }
    assert problems(con) == []


def test_the_group_maxima_add_up_to_100():
    con = build_2026({"dossiers": [open_dossier("a")]})
    got = rows(
        con,
        'select "group", max_points from scores_766_groups '
        "where agency_id = 'A' and period = '2026-03' order by group_order",
    )
    assert [(r["group"], r["max_points"]) for r in got] == [
        ("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDSH", 22), ("MDHL", 18),
    ]  # fmt: skip
    (score,) = rows(
        con, "select rule_set from scores_766 where agency_id = 'A' and period = '2026-03'"
    )
    assert score["rule_set"] == "qd766-2026"
    assert {r["rule_set"] for r in rows(con, "select distinct rule_set from index_766")} == {
        "qd766-2026"
    }
    assert rows(con, "select count(distinct indicator) as n from index_766") == [{"n": 23}]


def test_clgq_and_tttt_are_qd766_v1_s_indicators():
    tables = {"dossiers": MARCH[:4], "procedures": DEFAULT_PROCEDURES}
    new = build_2026(tables)
    old = build_2026(tables, rule_set="qd766-v1")
    for code in ("3.1", "3.2", "3.3", "3.4", "3.5", "3.6"):
        assert figures(ind(new, code)) == figures(ind(old, code))
        assert ind(new, code)["group"] == ind(old, code)["group"]
    # 3.4: fee dossiers paid online 0/4 -> 0.00; 3.6: the fee procedure is payable -> min(2, 2.5)
    assert figures(ind(new, "3.4")) == (0, 4, D("0.00"), D("0.00"), True)
    assert figures(ind(new, "3.6")) == (1, 1, D("100.00"), D("2.00"), True)


def test_tdgq_and_dossier_satisfaction_with_nothing_to_handle_are_0():
    def rating(rid: str, did: str, at: str, value: int) -> dict:
        return {"rating_id": rid, "dossier_id": did, "rated_at": at, "rating": str(value)}

    con = build_2026(
        {
            "dossiers": [open_dossier(f"d{i}") for i in range(1, 5)],
            "ratings": [rating("r1", "d1", "2026-03-15", 1)],
            "feedback": [],
        }
    )
    # A: 4 in time, d1 rated 1 -> 3/4 = 75%, full at 90% -> 6 x 75/90 = 5.00
    r = ind(con, "DOSSIER_RECEIVING_SATISFACTION")
    assert figures(r) == (3, 4, D("75.00"), D("5.00"), True)
    # B (Sở Y tế) has nothing to handle: 0 points, assessed (the portal's rule); qd766-v1's 2.1
    # would not be assessed
    assert figures(ind(con, "TDGQ", agency="B")) == (0, 0, None, D("0.00"), True)
    r = ind(con, "DOSSIER_RECEIVING_SATISFACTION", agency="B")
    assert figures(r) == (0, 0, None, D("0.00"), True)
    # no feedback at all: 6 points each
    for code in ("PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION"):
        assert figures(ind(con, code, agency="B")) == (0, 0, None, D("6.00"), True)
    assert problems(con) == []


def test_the_publication_metrics_only_for_units_with_publication_rows():
    def publication(**kw) -> dict:
        return {"agency_id": "A", "procedure_id": "1.000001", **kw}

    con = build_2026(
        {
            "dossiers": [open_dossier("a")],
            "procedure_publications": [
                publication(publish_due="2026-03-10", published_at="2026-03-08"),  # on time
                publication(publish_due="2026-03-10", published_at="2026-03-12"),  # late
            ],
        }
    )
    # PUBLISH_ON_TIME = 1.1: 1 of 2 on time -> 6 x 1/2 = 3.00
    assert figures(ind(con, "PUBLISH_ON_TIME")) == (1, 2, D("50.00"), D("3.00"), True)
    b = ind(con, "PUBLISH_ON_TIME", agency="B")
    assert figures(b) == (None, None, None, None, False)
    assert b["not_assessed_reason"] == "đơn vị không có dữ liệu công bố thủ tục"
    # no table at all
    r = ind(build_2026({"dossiers": [open_dossier("a")]}), "PUBLIC_CONTENT_FULL")
    assert r["not_assessed_reason"] == "không có dữ liệu công bố thủ tục"


def test_electronic_certified_copy_is_a_flag():
    agencies = [
        {**DEFAULT_AGENCIES[0], "offers_e_certified_copy": ""},  # P: not said
        {**DEFAULT_AGENCIES[1], "offers_e_certified_copy": "có"},  # A: offers it
        {**DEFAULT_AGENCIES[2], "offers_e_certified_copy": "0"},  # B: does not
    ]
    con = build_2026({"agencies": agencies, "dossiers": [open_dossier("a")]})
    # A: 2 points, no counts (as the portal); B: 0 points
    assert figures(ind(con, "ELECTRONIC_CERTIFIED_COPY")) == (None, None, None, D("2.00"), True)
    r = ind(con, "ELECTRONIC_CERTIFIED_COPY", agency="B")
    assert figures(r) == (None, None, None, D("0.00"), True)
    p = ind(con, "ELECTRONIC_CERTIFIED_COPY", agency="P")
    assert figures(p) == (None, None, None, None, False)
    assert "không ghi" in p["not_assessed_reason"]
    assert problems(con) == []
    # the column absent (no unit has a value): nobody is assessed, and the reason names it
    con = build_2026({"dossiers": [open_dossier("a")]})
    r = ind(con, "ELECTRONIC_CERTIFIED_COPY")
    assert (r["assessed"], r["points"]) == (False, None)
    assert "offers_e_certified_copy" in r["not_assessed_reason"]


PROCEDURES = [
    {"procedure_id": "1.000001", "name": "Một", "for_citizens": "1", "citizen_data_connected": "1"},
    {"procedure_id": "1.000002", "name": "Hai", "for_citizens": "1", "citizen_data_connected": "0"},
    {"procedure_id": "1.000003", "name": "Ba", "for_citizens": "0", "citizen_data_connected": "1"},
    {"procedure_id": "1.000004", "name": "Bốn"},  # not said: not counted as for citizens
]


def test_citizen_data_connected_formality_counts_procedures_for_citizens():
    con = build_2026(
        {
            "procedures": PROCEDURES,
            "dossiers": [
                open_dossier("a1", procedure_id="1.000001"),
                open_dossier("a1b", procedure_id="1.000001"),  # the same procedure: once
                open_dossier("a2", procedure_id="1.000002"),
                open_dossier("a3", procedure_id="1.000003"),
                open_dossier("a4", procedure_id="1.000004"),
                open_dossier("b3", procedure_id="1.000003", agency_id="B"),
            ],
        }
    )
    # A handles 1-4; for citizens: 1 and 2; connected: 1 -> 1/2 -> 2 x 1/2 = 1.00
    r = ind(con, "CITIZEN_DATA_CONNECTED_FORMALITY")
    assert figures(r) == (1, 2, D("50.00"), D("1.00"), True)
    # B handles only 3 (not for citizens): 0/0 -> not assessed, the rule set's reason
    b = ind(con, "CITIZEN_DATA_CONNECTED_FORMALITY", agency="B")
    assert figures(b) == (0, 0, None, None, False)
    assert b["not_assessed_reason"] == "không có thủ tục dành cho công dân được giải quyết trong kỳ"
    # the province: procedures 1-4 once each -> 1/2 -> 1.00
    assert figures(ind(con, "CITIZEN_DATA_CONNECTED_FORMALITY", agency="P"))[:4] == (
        1, 2, D("50.00"), D("1.00"),
    )  # fmt: skip
    assert problems(con) == []


@pytest.mark.parametrize(
    "procedures",
    [
        DEFAULT_PROCEDURES,  # neither column
        [{k: v for k, v in p.items() if k != "citizen_data_connected"} for p in PROCEDURES],
    ],
)
def test_citizen_data_connected_formality_without_the_columns_is_not_assessed(procedures):
    con = build_2026({"procedures": procedures, "dossiers": [open_dossier("a")]})
    r = ind(con, "CITIZEN_DATA_CONNECTED_FORMALITY")
    assert figures(r) == (None, None, None, None, False)
    assert "for_citizens" in r["not_assessed_reason"]


def feedback(fid: str, received: str, topic: str | None = None, **kw) -> dict:
    row = {"feedback_id": fid, "agency_id": kw.pop("agency_id", "A"), "received_at": received}
    row["due_at"] = kw.pop("due_at", "2026-03-25")
    row.update(kw)
    if topic is not None:
        row["topic"] = topic
    return row


def test_petition_classification_is_tracked_without_points():
    con = build_2026(
        {
            "dossiers": [open_dossier("a")],
            "feedback": [
                feedback("f1", "2026-03-02", "procedure", resolved_at="2026-03-10"),
                feedback("f2", "2026-03-03", "thủ tục"),  # the Vietnamese word: procedure
                feedback("f3", "2026-03-04", "staff"),
                feedback("f4", "2026-03-05", "other"),
                feedback("f6", "2026-03-06"),  # no topic: counted in the denominator only
                # received in February, handled in March: not received in March
                feedback(
                    "f5", "2026-02-10", "staff", due_at="2026-03-01", resolved_at="2026-03-05"
                ),
            ],
        }
    )
    # received in March: f1, f2, f3, f4, f6 = 5; about procedures 2 -> 40%; about staff 1 -> 20%
    r = ind(con, "PETITION_CLASSIFICATION_TTHC")
    assert figures(r) == (2, 5, D("40.00"), None, True)
    assert (r["max_points"], r["points_exact"], r["not_assessed_reason"]) == (0, None, None)
    assert figures(ind(con, "PETITION_CLASSIFICATION_STAFF")) == (1, 5, D("20.00"), None, True)
    # B: no feedback: 0/0, still tracked (no rate, no points)
    r = ind(con, "PETITION_CLASSIFICATION_STAFF", agency="B")
    assert figures(r) == (0, 0, None, None, True)
    # MDHL: the tracked metrics add nothing; A's maximum assessed is 6 + 6 + 6 (+ 0 + 0)
    (mdhl,) = rows(
        con,
        "select max_points, assessed_max from scores_766_groups "
        "where agency_id = 'A' and period = '2026-03' and \"group\" = 'MDHL'",
    )
    assert mdhl == {"max_points": 18, "assessed_max": 12}  # no ratings: 5.3's 6 not assessed
    assert problems(con) == []


def test_petition_classification_without_topics_or_feedback_is_not_assessed():
    con = build_2026({"dossiers": [open_dossier("a")], "feedback": [feedback("f1", "2026-03-02")]})
    r = ind(con, "PETITION_CLASSIFICATION_TTHC")
    assert figures(r) == (None, None, None, None, False)
    assert "topic" in r["not_assessed_reason"]
    con = build_2026({"dossiers": [open_dossier("a")]})
    r = ind(con, "PETITION_CLASSIFICATION_STAFF")
    assert (r["assessed"], r["not_assessed_reason"]) == (
        False,
        "không có dữ liệu phản ánh, kiến nghị",
    )


def test_a_tracked_indicator_with_points_breaks_the_invariant():
    con = build_2026(
        {"dossiers": [open_dossier("a")], "feedback": [feedback("f1", "2026-03-02", "staff")]}
    )
    assert problems(con) == []
    con.execute(
        "update index_766 set points_exact = 1, points = 1 "
        "where indicator = 'PETITION_CLASSIFICATION_STAFF' and agency_id = 'A'"
    )
    assert any("PETITION_CLASSIFICATION_STAFF" in p for p in problems(con))


@pytest.mark.parametrize(
    ("indicator", "numerator", "denominator", "points"),
    [
        ("PUBLISH_ON_TIME", 7, 5, 8.4),  # proportional, not capped: 6 x 7/5
        ("ORIGINAL_RESULT_AVAILABLE", 7, 5, 6.0),  # cap_at_max: min(6, 6 x 7/5)
        ("ORIGINAL_RESULT_AVAILABLE", 3, 5, 3.6),  # 6 x 3/5
        ("REUSED_DIGITIZED_DATA", 9, 10, 2.0),  # full at 80%: 90% -> 2
        ("DOSSIER_RECEIVING_SATISFACTION", 45, 100, 3.0),  # full at 90%: 6 x 45/90
        ("3.5", 1, 5, 0.5),  # min(2, 2.5 x 1/5)
        ("TDGQ", 0, 0, 0.0),  # 0 with no dossiers
        ("PETITION_PROCESSING_ON_TIME", 0, 0, 6.0),  # 6 with no petitions
        ("DOSSIER_SYNC", 0, 0, None),  # not assessed
    ],
)
def test_the_seed_s_rules(indicator, numerator, denominator, points):
    con = duckdb.connect()
    runner.run_macros(con)
    seeds.load(con)
    (got,) = con.execute(
        "select rule_points(points_rule, max_points, ?, ?, full_at_pct, "
        "points_if_no_denominator, cap_at_max) from seed_rule_set "
        "where rule_set = 'qd766-2026' and indicator = ?",
        [numerator, denominator, indicator],
    ).fetchone()
    assert got == pytest.approx(points) if points is not None else got is None


@pytest.mark.slow
def test_the_sample_builds_with_qd766_2026(tmp_path: Path):
    """The bundled sample (generated if missing, as `make site` does) under qd766-2026, through a
    temporary config: every invariant holds (the build stops otherwise), the downloads carry the
    23 indicators of the rule set, and the methodology page lists them without qd766-v1's 4.5."""
    config = (ROOT / "minhbach.toml").read_text(encoding="utf-8")
    assert 'rule_set = "qd766-v1"' in config
    (tmp_path / "minhbach.toml").write_text(
        config.replace('rule_set = "qd766-v1"', 'rule_set = "qd766-2026"'), encoding="utf-8"
    )
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--config", str(tmp_path / "minhbach.toml")]
        + ["--out", str(out), "--releases", "none", "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    index = out / "du-lieu" / "index_766.parquet"
    got = duckdb.sql(
        f"select rule_set, count(distinct indicator) from '{index}' group by all"
    ).fetchall()
    assert got == [("qd766-2026", 23)]
    method = (out / "phuong-phap" / "index.html").read_text(encoding="utf-8")
    assert "PETITION_CLASSIFICATION_TTHC" in method
    assert "gộp chúng vào chỉ số 4.5" not in method
