"""The sample's national-portal captures (minhbach.sample.portal): read by the portal reader,
linked to the agencies by portal_code, and carrying the deliberate gaps that data/README.md
lists (dossiers never synced, a satisfaction numerator that differs, two inconsistencies of the
portal's own, units that match nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import rows as sql_rows
from conftest import set_settings

from minhbach import ingest
from minhbach.portal import read_portal
from minhbach.sample import portal
from minhbach.sql import runner

from .province import dossiers, rows, ts

XD, DTTG = "000.00.08.Z99", "000.00.22.Z99"
FIRST_COMMUNE = "000.01.30.Z99"  # the first commune of 1/7/2025 (H99.101): gap 1 too


@pytest.fixture(scope="module")
def read(data) -> duckdb.DuckDBPyConnection:
    out, _ = data
    con = duckdb.connect()
    read_portal(con, out / "portal")
    return con


@pytest.fixture(scope="module")
def built(data) -> duckdb.DuckDBPyConnection:
    """The sample's tables up to the marts, as a build makes them."""
    out, _ = data
    con = duckdb.connect()
    ingest.read_inputs(con, out)
    set_settings(con, as_of="2026-11-15")  # the marker's, as a build of the sample
    runner.run(con, layers=("staging", "facts", "marts"))
    return con


def _details(out: Path, period: str) -> dict[str, dict]:
    """The units of the details file of a period, by portal code."""
    folder = out / "portal" / portal.PROVINCE_FOLDER
    name = "details_2026-11-15.json" if period == "2026" else f"details_{period}_*.json"
    (path,) = folder.glob(name)
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {u["departmentCode"]: u for u in doc["unitsDetail"]}


def _metric(unit: dict, block: str, code: str) -> dict:
    (m,) = [m for m in unit["componentIndicators"][block]["metrics"] if m["code"] == code]
    return m


def test_the_reader_reads_every_file(read):
    captures = sql_rows(
        read,
        "select shape, period, complete, province_code from raw_portal_captures "
        "order by period, shape",
    )
    assert [(c["shape"], c["period"], c["complete"]) for c in captures] == [
        ("details", "2026", False),
        ("national", "2026", False),
        ("units", "2026", False),
        ("units", "2026", False),
        ("details", "2026-08", True),
        ("details", "2026-09", True),
        ("details", "2026-10", True),
        ("details", "2026-Q3", True),
    ]
    assert {c["province_code"] for c in captures if c["shape"] != "national"} == {"H99"}


def test_the_national_ranking_has_the_province_among_fictional_ones(read):
    found = sql_rows(
        read,
        "select portal_code, name, total from raw_portal_units u "
        "join raw_portal_captures c using (file) where c.shape = 'national' and level = 'province'",
    )
    assert sorted(r["portal_code"] for r in found) == ["H91", "H92", "H93", "H94", "H99"]
    assert all("(giả lập)" in r["name"] for r in found)
    # The province's row in the ranking is the overview of its own unit lists.
    overview = sql_rows(
        read,
        "select distinct total from raw_portal_units u join raw_portal_captures c using (file) "
        "where c.shape = 'units' and u.member = 'overview'",
    )
    (h99,) = [r for r in found if r["portal_code"] == "H99"]
    assert overview == [{"total": h99["total"]}]


def test_portal_codes_link_the_units_except_the_planted_ones(data, read):
    out, _ = data
    agencies = {r["agency_id"]: r for r in rows(out / "agencies.csv")}
    codes = {r["portal_code"]: a for a, r in agencies.items() if r["portal_code"]}
    listed = {
        r["portal_code"]
        for r in sql_rows(
            read,
            "select distinct portal_code from raw_portal_units "
            "where level in ('department', 'commune')",
        )
        if r["portal_code"]
    }
    assert agencies["000.00.00.Z99"]["portal_code"] == "H99"
    assert agencies[XD]["portal_code"] == "H99.08"
    # On the portal without a one-stop match: Sở Dân tộc và Tôn giáo.
    assert listed - set(codes) == {"H99.22"}
    assert agencies[DTTG]["portal_code"] == ""
    assert set(codes) - listed == {"H99"}  # the province: the overview, not a listed unit
    # A one-stop unit of today with no portal code, not on the portal: the last new commune.
    current = [
        a
        for a, r in agencies.items()
        if r["level"] == "commune" and r["valid_from"] and not r["valid_to"]
    ]
    assert [a for a in current if not agencies[a]["portal_code"]] == [current[-1]]


def test_unsynced_dossiers_are_missing_from_the_portal(data):
    """Gap 1: at Sở Xây dựng and the first new commune the portal's dossiers received in 2026
    are far fewer than the export's; at the other units they are about as many."""
    out, _ = data
    received: dict[str, int] = {}
    unsynced: dict[str, int] = {}
    for r in dossiers(out):
        t = ts(r["NgayTiepNhan"])
        if t is not None and t.year == 2026:
            received[r["MaDonVi"]] = received.get(r["MaDonVi"], 0) + 1
            unsynced[r["MaDonVi"]] = unsynced.get(r["MaDonVi"], 0) + (r["DaDongBo"] == "0")
    units = _details(out, "2026")
    agencies = {r["agency_id"]: r["portal_code"] for r in rows(out / "agencies.csv")}

    def portal_received(agency: str) -> int:
        unit = units[agencies[agency]]
        return _metric(unit, "MDSH_SoHoaHoSo", "SO_HOA_GIAY_TO_GIAI_QUYET")["denominator"]

    for gap in (XD, FIRST_COMMUNE):
        assert received[gap] >= 20
        assert unsynced[gap] / received[gap] > 0.2
        assert portal_received(gap) < 0.85 * received[gap]
    others = [
        a
        for a, code in agencies.items()
        if code and "." in code and a not in (XD, FIRST_COMMUNE) and received.get(a, 0) >= 20
    ]
    assert len(others) >= 5
    for a in others:
        assert portal_received(a) >= 0.9 * received[a], a


def test_one_unit_counts_more_satisfied_dossiers(data):
    """Gap 2: the satisfaction numerator is at most the dossiers on time (those not rated 1-2),
    except at Sở Y tế, where the portal counts more."""
    out, _ = data
    for period in ("2026", "2026-10"):
        for code, unit in _details(out, period).items():
            satisfied = _metric(unit, "MDHL_MucDoHaiLong", "DOSSIER_RECEIVING_SATISFACTION")
            on_time = unit["componentIndicators"]["TDGQ_TienDoGiaiQuyet"]["totalOnTime"]
            if code == "H99.15" and period == "2026":
                assert satisfied["numerator"] > on_time
            elif code != "H99.15":
                assert satisfied["numerator"] <= on_time, (period, code)


def test_portal_checks_list_exactly_the_planted_inconsistencies(built):
    found = sql_rows(
        built,
        'select portal_code, period, "check", subject, difference from portal_checks '
        "order by portal_code",
    )
    assert [(r["portal_code"], r["period"], r["check"], r["subject"]) for r in found] == [
        ("H99.102", "2026-10", "metric_points", "SO_HOA_GIAY_TO_GIAI_QUYET"),
        ("H99.14", "2026-09", "total_sum", "total"),
    ]
    assert [abs(r["difference"]) for r in found] == [0.5, 0.5]


@pytest.mark.parametrize(
    ("code", "num", "den", "points"),
    [
        # The real Gia Lai figures (data/real/portal-766): 6 × 1/47 = 0.1277 -> 0.13,
        # 4 × 43/47 = 3.660 -> 3.66, 20 × 653/654 = 19.969 -> 19.97, 4 × 603/654 = 3.688 -> 3.69.
        ("PUBLISH_ON_TIME", 1, 47, 0.13),
        ("PUBLIC_UPDATE_ON_TIME", 43, 47, 3.66),
        ("TDGQ", 653, 654, 19.97),
        ("SO_HOA_GIAY_TO_GIAI_QUYET", 603, 654, 3.69),
        # full at 80%: 97.25% gives the full 2; 6 × 99.85% / 90% is above 6: 6.
        ("REUSED_DIGITIZED_DATA", 636, 654, 2.0),
        ("DOSSIER_RECEIVING_SATISFACTION", 653, 654, 6.0),
        # full at 90%: 6 × 0.8 / 0.9 = 5.333 -> 5.33
        ("DOSSIER_RECEIVING_SATISFACTION", 80, 100, 5.33),
        # no petitions: 6 (the portal's rule); no dossiers: TDGQ 0; not assessed: None
        ("PETITION_PROCESSING_ON_TIME", 0, 0, 6.0),
        ("TDGQ", 0, 0, 0.0),
        ("SO_HOA_GIAY_TO_GIAI_QUYET", 0, 0, None),
    ],
)
def test_points_by_the_portal_rules(code, num, den, points):
    (rule,) = [r for r in portal.read_rules() if r.code == code]
    got = portal.rule_points(rule, num, den)
    assert (None if got is None else portal.round2(got)) == points


def test_half_up_rounding():
    # 2.675 is 2.67499999... in binary; the portal and round2d round it up.
    assert portal.round2(2.675) == 2.68
    assert portal.round2(0.125) == 0.13
    assert portal.round2(0.124) == 0.12
