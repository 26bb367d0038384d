"""The real captures shipped in data/real/portal-766/ (with their README and manifest) through
the portal's SQL: the tables hold the portal's figures to the last digit, and portal_checks
lists exactly the inconsistencies of the source that the README describes.

Expected rows are worked out by hand from the README: on 2026-09-24 (agencies_2026-09-24.json,
captured 2026-09-23T22:44:58Z = 05:44:58 in Vietnam) MDHL is 18.28 for H21.01 and 18.02 for
H21.09, above its maximum of 18 (their groups still add up to their totals). Nothing else:
every metric that publishes its counts follows the rules (README: TDGQ 148/148, satisfaction
149/149…), the groups add up to the totals within 0.05 (and within our tolerances: checked
here), Thanh tra tỉnh's DOSSIER_SYNC (H21.20: 0/0, ratio and points empty, flagged
NO_NATIONAL_REPORT_DATA by the portal) is what the rule gives to a zero denominator (not
assessed), and the national overview's total (56.56, not the provinces' mean) is no rule."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from conftest import load_raw, rows, set_settings

from minhbach.portal import read_portal
from minhbach.sql import runner

from .kit import TABLES

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "real" / "portal-766"
GROUP_KEYS = {"CKMB": "CKMB", "TDGQ": "TDGQ", "CLGQ": "CLGQ", "ONLINE": "CLGQ", "TTTT": "TTTT"}
GROUP_KEYS |= {"MDSH": "MDSH", "MDHL": "MDHL"}


@pytest.fixture(scope="module")
def real() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_raw(con, {})
    read_portal(con, REAL)
    set_settings(con)
    runner.run(con, layers=("staging", "marts"), only=TABLES)
    return con


def local(extracted_at: str) -> dt.datetime:
    """The crawler's extractedAt (UTC) as the tables give it: Vietnam's time, UTC+7."""
    utc = dt.datetime.fromisoformat(extracted_at.replace("Z", "+00:00"))
    return (utc + dt.timedelta(hours=7)).replace(tzinfo=None)


def test_portal_checks_are_exactly_the_readme_s_inconsistencies(real):
    found = rows(real, "select * from portal_checks order by portal_code")
    when = dt.datetime(2026, 9, 24, 5, 44, 58)
    common = {"period": "2026", "period_type": "year", "captured_at": when}
    common |= {"check": "group_over_max", "group": "MDHL", "subject": "MDHL"}
    common |= {"expected": 18.0, "tolerance": 0.005}
    assert found == [
        {"portal_code": "H21.01", **common, "published": 18.28, "difference": 0.28},
        {"portal_code": "H21.09", **common, "published": 18.02, "difference": 0.02},
    ]


def test_thanh_tra_s_empty_dossier_sync_is_kept_and_is_no_deviation(real):
    (sync,) = rows(
        real,
        "select * from portal_metrics where portal_code = 'H21.20' and metric = 'DOSSIER_SYNC'",
    )
    assert (sync["numerator"], sync["denominator"], sync["ratio"], sync["points"]) == (
        0, 0, None, None,
    )  # fmt: skip
    assert sync["quality_status"] == "NO_NATIONAL_REPORT_DATA"
    assert sync["recomputed_points"] is None  # 0/0: not assessed, as published
    # its other README oddities follow the rules: 6 + 6 MDHL points with no petitions, 0 TDGQ
    points = dict(
        real.execute(
            "select metric, recomputed_points from portal_metrics where portal_code = 'H21.20' "
            "and metric in ('PETITION_PROCESSING_ON_TIME', 'PETITION_HANDLING_SATISFACTION', "
            "'TDGQ', 'DOSSIER_RECEIVING_SATISFACTION')"
        ).fetchall()
    )
    assert points == {
        "PETITION_PROCESSING_ON_TIME": 6,
        "PETITION_HANDLING_SATISFACTION": 6,
        "TDGQ": 0,
        "DOSSIER_RECEIVING_SATISFACTION": 0,
    }


def test_every_metric_with_counts_recomputes_to_its_published_points(real):
    # no metric_points row above is no accident: the rules give the published points
    (n, differ) = real.execute(
        "select count(*), count(*) filter (where abs(points - recomputed_points) > 0.011) "
        "from portal_metrics where recomputed_points is not null"
    ).fetchone()
    assert (n, differ) == (2079, 0)  # 149 units × 14 metrics with a rule + TDGQ − 7 of H21.20


def _published_units(path: Path):
    """(code, captured_at, total, groups) of every entry and overview of a crawler file."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    when = local(doc["metadata"]["extractedAt"])
    entries = [doc["overview"]]
    entries += [e for name in ("agencies", "communes", "unitsDetail") for e in doc.get(name, [])]
    for e in entries:
        groups = {GROUP_KEYS[k]: v for k, v in (e.get("groupScores") or {}).items()}
        yield e["departmentCode"], when, e["totalScore"], groups


def test_gia_lai_totals_and_groups_are_the_captures_to_the_last_digit(real):
    stored = {
        (r["portal_code"], r["captured_at"]): r
        for r in rows(real, "select * from portal_scores where province_code = 'H21'")
    }
    seen = 0
    for path in sorted((REAL / "gia-lai").glob("*.json")):
        for code, when, total, groups in _published_units(path):
            row = stored[(code, when)]
            assert row["total"] == total, (path.name, code)
            for group, value in groups.items():
                assert row[group] == value, (path.name, code, group)
            seen += 1
    # 3 × (14 + 1) agencies files, 135 + 1 communes, 149 + 1 details
    assert seen == 45 + 136 + 150
    # one overview in both files of 2026-10-10 07:00:13; Gia Lai in the national ranking
    assert len(stored) == seen - 1 + 1


def test_thirty_four_provinces_in_the_portal_s_order(real):
    doc = json.loads((REAL / "national_2026-09-17.json").read_text(encoding="utf-8"))
    published = doc["data"]["evaluation"]
    found = rows(real, "select * from portal_provinces order by position")
    assert len(found) == 34
    assert [r["portal_code"] for r in found] == [e["departmentCode"] for e in published]
    for r, e in zip(found, published, strict=True):
        assert (r["name"], r["total"], r["score_delta"]) == (
            e["departmentName"], e["totalScore"], e["scoreDelta"],
        )  # fmt: skip
        assert {g: r[g] for g in GROUP_KEYS.values()} == e["groupScores"]
    # captured 2026-09-17 10:40:19 in Vietnam (manifest.csv), a year not over
    assert {(r["captured_at"], r["period"], r["complete"]) for r in found} == {
        (dt.datetime(2026, 9, 17, 10, 40, 19), "2026", False)
    }
    # the portal lists them by total, no two equal: the rank is the place in the list
    assert [(r["rank"], r["rank_of"]) for r in found] == [(i, 34) for i in range(1, 35)]


def test_units_and_their_ranks(real):
    levels = real.execute("select level, count(*) from portal_units group by level").fetchall()
    assert dict(levels) == {"province": 34, "department": 14, "commune": 135}
    ranked = rows(
        real,
        "select level, captured_at, count(*) as n, count(rank) as ranked, min(rank_of) as low, "
        "max(rank_of) as high from portal_scores where province_code = 'H21' "
        "group by all order by level, captured_at",
    )
    by = {(r["level"], r["captured_at"].strftime("%m-%d %H:%M:%S")): r for r in ranked}
    # Gia Lai itself: ranked among the 34 provinces on 09-17 only (elsewhere: an overview)
    assert by[("province", "09-17 10:40:19")]["ranked"] == 1
    assert by[("province", "10-10 14:00:13")]["ranked"] == 0
    assert by[("department", "09-24 05:44:58")]["high"] == 14
    assert by[("commune", "10-10 14:00:13")]["low"] == 135
