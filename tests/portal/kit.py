"""Hand-made captures of the portal's evaluation, and the SQL that makes the portal_* tables
from them (queries/staging/stg_portal_*, queries/marts/portal_*), for the tests of the portal's
rules and checks. Every number of a capture is written by hand in the tests, never computed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
from conftest import load_raw, rows, set_settings

from minhbach.portal import read_portal
from minhbach.sql import runner

# The tables made from the raw_portal_* tables (and stg_agencies, for portal_units' match).
TABLES = (
    "stg_agencies",
    "stg_portal_captures",
    "stg_portal_scores",
    "stg_portal_metrics",
    "stg_portal_tdgq",
    "portal_units",
    "portal_scores",
    "portal_provinces",
    "portal_metrics",
    "portal_checks",
)
META = {
    "provinceCode": "H99",
    "timeType": "year",
    "year": 2026,
    "period": None,
    "extractedAt": "2026-10-10T07:00:18Z",
}


def metric(code, numerator, denominator, ratio, points, max_points, **more) -> dict:
    """One entry of a block's metrics[], as the portal publishes it."""
    found = {"code": code, "name": f"Chỉ số {code}", "numerator": numerator}
    found |= {"denominator": denominator, "ratio": ratio, "score": points, "maxScore": max_points}
    return found | more


def block(points, max_points, *metrics, ratio=None, **members) -> dict:
    """A group's block of componentIndicators (metrics[] when given)."""
    found = {"score": points, "maxScore": max_points, "ratio": ratio, **members}
    return found | ({"metrics": list(metrics)} if metrics else {})


def tdgq(received, on_time, overdue, ratio, points) -> dict:
    return block(
        points, 20, ratio=ratio, totalReceived=received, totalOnTime=on_time,
        totalOverdue=overdue, avgProcessingDays=3.5,
    )  # fmt: skip


def unit(code, total, groups: dict, blocks: dict | None = None, child="AGENCY") -> dict:
    """A unit entry: its total and group scores (ONLINE is CLGQ), and its blocks if given."""
    found = {
        "departmentId": f"id-{code}",
        "departmentName": f"Đơn vị {code}",
        "departmentCode": code,
        "childGroup": child,
        "totalScore": total,
        "groupScores": dict(groups),
    }
    return found | ({"componentIndicators": copy.deepcopy(blocks)} if blocks else {})


def details(*units: dict, **meta) -> dict:
    """A crawler's details file of province H99 listing ``units``."""
    overview = {"departmentName": "UBND tỉnh Thử", "departmentCode": "H99", "totalScore": 60.0}
    return {"metadata": {**META, **meta}, "overview": overview, "unitsDetail": list(units)}


def unit_list(*units: dict, overview_groups: dict | None = None, **meta) -> dict:
    """A crawler's list of province H99's departments (no blocks)."""
    overview = {"departmentName": "UBND tỉnh Thử", "departmentCode": "H99", "totalScore": 60.0}
    if overview_groups is not None:
        overview["groupScores"] = overview_groups
    return {"metadata": {**META, **meta}, "overview": overview, "agencies": list(units)}


def portal_db(
    tmp_path: Path, files: dict[str, dict], agencies: list[dict] | None = None
) -> duckdb.DuckDBPyConnection:
    """The portal_* tables of ``files`` (name: document) in a portal/ folder."""
    folder = tmp_path / "portal"
    folder.mkdir(exist_ok=True)
    for name, document in files.items():
        (folder / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    con = duckdb.connect()
    load_raw(con, {"agencies": agencies} if agencies else {})
    read_portal(con, folder)
    set_settings(con)
    runner.run(con, layers=("staging", "marts"), only=TABLES)
    return con


def recomputed(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, float | None]:
    """A unit's recomputed points by metric."""
    found = rows(
        con,
        "select metric, recomputed_points from portal_metrics where portal_code = ?",
        [code],
    )
    return {r["metric"]: r["recomputed_points"] for r in found}


def checks(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """portal_checks as (unit, check, group, subject, published, expected, difference)."""
    return [
        (r["portal_code"], r["check"], r["group"], r["subject"], r["published"], r["expected"],
         r["difference"])
        for r in rows(con, "select * from portal_checks")
    ]  # fmt: skip
