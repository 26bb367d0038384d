"""The portal reader (minhbach/portal/read.py): every shape on small hand-made files, the real
captures shipped in data/real/portal-766/, and one clear line for every broken file.

Expected values are written by hand from the hand-made files below, from the real files'
README, or read from the real files' CSV transcriptions (made independently of this code).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from minhbach.errors import InputError
from minhbach.portal import read_portal

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "real" / "portal-766"

META = {
    "province": "UBND tỉnh Thử",
    "provinceCode": "H99",
    "rootDepartmentId": "root-99",
    "runDateStr": "10102026",
    "timeType": "year",
    "year": 2026,
    "period": None,
    "periodLabel": "Năm 2026",
    "extractedAt": "2026-10-10T07:00:13Z",
}

NATIONAL = {
    "overview": {
        "departmentName": "Cả nước",
        "departmentCode": None,
        "totalScore": 50.5,
        "totalMaxScore": 100,
        "ratio": 50.5,
    },
    "growthPercent": 12.5,
    "radar": [
        {"code": "ONLINE_SERVICE", "name": "Dịch vụ trực tuyến", "score": 13.1, "maxScore": 22}
    ],
    "donuts": {"onlineDossier": [{"code": "ONLINE", "value": 11, "percent": 94.88}]},
    "evaluation": [
        {
            "departmentId": "id-98",
            "departmentName": "UBND tỉnh Thử Một",
            "departmentCode": "H98",
            "totalScore": 70.25,
            "ratio": 70.25,
            "scoreDelta": 5.5,
            "groupScores": {
                "CKMB": 12, "TDGQ": 18.5, "CLGQ": 9.25, "TTTT": 7, "MDHL": 14, "MDSH": 9.5,
            },
        },
        {
            "departmentId": "id-99",
            "departmentName": "UBND tỉnh Thử",
            "departmentCode": "H99",
            "totalScore": 60.1,  # the groups add up to 60: kept as published
            "ratio": 60.1,
            "scoreDelta": None,
            "groupScores": {"CKMB": 10, "TDGQ": 15, "CLGQ": 8, "TTTT": 6, "MDHL": 12, "MDSH": 9},
        },
    ],
    "monthlyChart": [{"month": "01", "averageScore": 36.23}],
}  # fmt: skip

OVERVIEW = {
    "departmentName": "UBND tỉnh Thử",
    "departmentCode": "H99",
    "totalScore": 61.5,
    "totalMaxScore": 100,
    "ratio": 61.5,
    "scoreDelta": None,
    "groupScores": {"CKMB": 11, "TDGQ": 16, "CLGQ": 8.5, "TTTT": 7, "MDHL": 10, "MDSH": 9},
    "growthPercent": 3.5,
    "totalUnitsCount": 3,
    "agencyCount": 2,
    "communeCount": 1,
}
SO_THU = {
    "departmentId": "u1",
    "departmentName": "Sở Thử",
    "departmentCode": "H99.01",
    "childGroup": "AGENCY",
    "totalScore": 80,  # the groups add up to 80.28, MDHL is above its maximum of 18
    "ratio": 80,
    "scoreDelta": None,
    "groupScores": {"CKMB": 15, "TDGQ": 20, "ONLINE": 10, "TTTT": 8, "MDSH": 9, "MDHL": 18.28},
    "rank": 1,
    "groupRank": 1,
}
THANH_TRA = {
    "departmentId": "u2",
    "departmentName": "Thanh tra thử",
    "departmentCode": "H99.02",
    "childGroup": "AGENCY",
    "totalScore": 19.5,
    "ratio": 19.5,
    "scoreDelta": None,
    "groupScores": {"CKMB": 5.5, "TDGQ": 0.0, "ONLINE": None, "TTTT": 0, "MDSH": 2, "MDHL": 12},
    "rank": 3,
    "groupRank": 2,
}
XA_THU = {
    "departmentId": "u3",
    "departmentName": "UBND xã Thử",
    "departmentCode": "H99.100",
    "childGroup": "COMMUNE",
    "totalScore": 55.25,
    "ratio": 55.25,
    "scoreDelta": None,
    "groupScores": {"CKMB": 10, "TDGQ": 17, "ONLINE": 6.25, "TTTT": 6, "MDSH": 8, "MDHL": 8},
    "rank": 2,
    "groupRank": 1,
}
AGENCIES = {"overview": OVERVIEW, "count": 2, "agencies": [SO_THU, THANH_TRA]}

INDICATORS = {
    "TDGQ_TienDoGiaiQuyet": {
        "totalReceived": 100, "totalOnTime": 90, "totalOverdue": 10,
        "avgProcessingDays": 2.5, "ratio": 90, "score": 18, "maxScore": 20,
    },
    "CKMB_CongKhaiMinhBach": {
        "score": 15, "maxScore": 18, "ratio": 83.33,
        "metrics": [
            {"code": "PUBLISH_ON_TIME", "name": "Tỷ lệ TTHC công bố đúng hạn",
             "numerator": 3, "denominator": 4, "ratio": 75, "score": 4.5, "maxScore": 6},
            {"code": "DOSSIER_SYNC", "name": "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
             "numerator": None, "denominator": None, "ratio": None, "score": None,
             "maxScore": 6, "dataQualityStatus": "NO_NATIONAL_REPORT_DATA",
             "dataQualityMessage": "Không có dữ liệu báo cáo tổng hợp."},
            # a code nobody knows yet, and a ratio that is not 100 x 1 / 3
            {"code": "NEW_METRIC_2027", "name": "Chỉ số mới", "numerator": 1,
             "denominator": 3, "ratio": 50, "score": 1, "maxScore": 2},
        ],
    },
    "ONLINE_DichVuTrucTuyen": {"score": 10, "maxScore": 12, "ratio": 83.33},
    "TTTT_ThanhToanTrucTuyen": {
        "score": 8, "maxScore": 10, "ratio": 80,
        "totalDossierOnlinePaymentSuccess": 40, "totalDossierFinancialObligation": 50,
        "totalFeeFormality": 7, "totalBrandNew": 3,
    },
    "MDHL_MucDoHaiLong": {
        "score": 18.28, "maxScore": 18, "ratio": 101.56, "totalPetitions": 0,
        "averageScore": None,
        "metrics": [
            {"code": "PETITION_CLASSIFICATION_TTHC", "name": "Tỷ lệ PAKN về TTHC",
             "numerator": 0, "denominator": 0, "ratio": 0, "score": None, "maxScore": 0},
        ],
    },
    "MDSH_SoHoaHoSo": {
        "score": 9, "maxScore": 22, "ratio": 40.91,
        "metrics": [
            {"code": "ELECTRONIC_CERTIFIED_COPY", "name": "Tỷ lệ chứng thực điện tử",
             "numerator": None, "denominator": None, "ratio": 100, "score": 2, "maxScore": 2},
        ],
    },
}  # fmt: skip
DETAILS = {
    "overview": {k: OVERVIEW[k] for k in ("departmentName", "departmentCode", "totalScore")},
    "totalUnitsCount": 1,
    "agencyCount": 1,
    "communeCount": 0,
    "unitsDetail": [{**SO_THU, "componentIndicators": INDICATORS}],
}


# --------------------------------------------------------------------------------------------
# Helpers


def crawler(content: dict, **meta) -> dict:
    """A crawler's file: metadata beside the data members."""
    return {"metadata": {**META, **meta}, **copy.deepcopy(content)}


def response(content: dict) -> dict:
    """The portal's raw API response (no metadata)."""
    return {"code": "OK", "data": copy.deepcopy(content), "message": None}


def put(folder: Path, rel: str, document: object) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def manifest(folder: Path, *rows: str) -> None:
    lines = ["file,captured_at,time_type,year,period", *rows]
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read(folder: Path):
    con = duckdb.connect()
    return con, read_portal(con, folder)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    found = rows(con, sql)
    assert len(found) == 1, found
    return found[0]


def error(folder: Path, rel: str) -> str:
    """The one line of the InputError, which must name ``portal/<rel>``."""
    with pytest.raises(InputError) as info:
        read(folder)
    message = str(info.value)
    assert info.value.exit_code == 2
    assert "\n" not in message
    assert message.startswith(f"{folder.name}/{rel}: "), message
    for name in ("Sở Thử", "Thanh tra thử", "UBND tỉnh Thử"):
        assert name not in message  # names are never echoed
    return message


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    folder = tmp_path / "portal"
    folder.mkdir()
    return folder


# --------------------------------------------------------------------------------------------
# Each shape


def test_national_ranking(portal):
    put(portal, "toan-quoc.json", response(NATIONAL))
    manifest(portal, "toan-quoc.json,2026-09-17T10:40:19+07:00,year,2026,")
    con, report = read(portal)
    assert report.shapes == {"national": 1, "units": 0, "details": 0}
    capture = one(con, "SELECT * FROM raw_portal_captures")
    assert capture["shape"] == "national" and capture["form"] == "response"
    assert capture["captured_at"] == dt.datetime(2026, 9, 17, 3, 40, 19)
    assert (capture["time_type"], capture["year"], capture["period"]) == ("year", 2026, "2026")
    assert capture["period_number"] is None
    assert capture["province_code"] is None and capture["from_manifest"] is True
    assert capture["complete"] is False  # a year captured in September
    units = rows(con, "SELECT * FROM raw_portal_units ORDER BY position NULLS FIRST")
    assert [(u["level"], u["portal_code"], u["position"]) for u in units] == [
        ("national", None, None),
        ("province", "H98", 1),
        ("province", "H99", 2),
    ]
    country, h98, h99 = units
    assert (country["name"], country["total"], country["total_max"]) == ("Cả nước", 50.5, 100)
    assert country["growth_percent"] == 12.5 and country["province_code"] is None
    assert country["CKMB"] is None  # the country's groups are only in the radar, not read
    assert (h98["portal_id"], h98["name"], h98["province_code"]) == (
        "id-98",
        "UBND tỉnh Thử Một",
        "H98",
    )
    assert [h98[g] for g in ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")] == [
        12, 18.5, 9.25, 7, 9.5, 14,
    ]  # fmt: skip
    assert (h98["score_delta"], h99["score_delta"]) == (5.5, None)
    assert h99["total"] == 60.1  # not the sum of its groups (60): kept
    assert con.execute("SELECT count(*) FROM raw_portal_metrics").fetchone() == (0,)


def test_unit_list_from_a_crawler(portal):
    put(portal, "gia/agencies.json", crawler(AGENCIES))
    con, _ = read(portal)
    capture = one(con, "SELECT * FROM raw_portal_captures")
    assert (capture["shape"], capture["form"], capture["entries"]) == ("units", "crawler", 2)
    assert capture["captured_at"] == dt.datetime(2026, 10, 10, 7, 0, 13)
    assert (capture["province_code"], capture["root_department_id"]) == ("H99", "root-99")
    assert capture["from_manifest"] is False
    units = {u["portal_code"]: u for u in rows(con, "SELECT * FROM raw_portal_units")}
    assert set(units) == {"H99", "H99.01", "H99.02"}
    province = units["H99"]
    assert (province["level"], province["member"], province["position"]) == (
        "province",
        "overview",
        None,
    )
    assert (province["CLGQ"], province["growth_percent"], province["total_max"]) == (8.5, 3.5, 100)
    assert (province["crawler_unit_count"], province["crawler_agency_count"]) == (3, 2)
    assert province["crawler_commune_count"] == 1
    so = units["H99.01"]
    assert (so["level"], so["child_group"], so["member"], so["position"]) == (
        "department", "AGENCY", "agencies", 1,
    )  # fmt: skip
    assert (so["province_code"], so["portal_id"], so["name"]) == ("H99", "u1", "Sở Thử")
    assert so["CLGQ"] == 10  # ONLINE is CLGQ
    assert so["MDHL"] == 18.28 and so["total"] == 80  # above its maximum, sum 80.28: kept
    assert (so["crawler_rank"], so["crawler_group_rank"]) == (1, 1)
    assert so["total_max"] is None  # not published for a unit
    tt = units["H99.02"]
    assert tt["CLGQ"] is None and tt["TDGQ"] == 0  # null stays NULL, 0 stays 0
    assert (tt["crawler_rank"], tt["position"]) == (3, 2)


def test_unit_list_as_the_raw_service_results_response(portal):
    content = {"overview": OVERVIEW, "evaluation": [XA_THU, SO_THU]}
    put(portal, "h99.json", response(content))
    manifest(portal, "h99.json,2026-10-10 14:00:13,year,2026,")
    con, report = read(portal)
    assert report.shapes["units"] == 1
    units = rows(
        con, "SELECT * FROM raw_portal_units WHERE member = 'evaluation' ORDER BY position"
    )
    assert [(u["portal_code"], u["level"]) for u in units] == [
        ("H99.100", "commune"),
        ("H99.01", "department"),
    ]
    assert units[0]["province_code"] == "H99"  # the overview's code
    capture = one(con, "SELECT captured_at, root_department_id FROM raw_portal_captures")
    assert capture == {
        "captured_at": dt.datetime(2026, 10, 10, 7, 0, 13),
        "root_department_id": None,
    }


def test_an_empty_page_of_units_gives_no_rows(portal):
    put(portal, "h99/service-results-page-3.json", response({"evaluation": []}))
    manifest(portal, "h99/service-results-page-3.json,2026-10-10T07:00:13Z,year,2026,")
    con, report = read(portal)
    assert report.shapes["units"] == 1
    assert report.rows["raw_portal_units"] == 0 and report.rows["raw_portal_captures"] == 1


def test_details(portal):
    put(portal, "details.json", crawler(DETAILS, extractedAt="2026-10-10T07:00:18Z"))
    con, report = read(portal)
    assert report.shapes["details"] == 1
    assert report.rows["raw_portal_metrics"] == 6 + 5
    groups = rows(
        con,
        "SELECT block, group_code, score, max_score, ratio, numerator FROM raw_portal_metrics "
        "WHERE row_type = 'group' ORDER BY block",
    )
    assert groups == [
        {"block": "CKMB_CongKhaiMinhBach", "group_code": "CKMB", "score": 15, "max_score": 18,
         "ratio": 83.33, "numerator": None},
        {"block": "MDHL_MucDoHaiLong", "group_code": "MDHL", "score": 18.28, "max_score": 18,
         "ratio": 101.56, "numerator": None},
        {"block": "MDSH_SoHoaHoSo", "group_code": "MDSH", "score": 9, "max_score": 22,
         "ratio": 40.91, "numerator": None},
        {"block": "ONLINE_DichVuTrucTuyen", "group_code": "CLGQ", "score": 10, "max_score": 12,
         "ratio": 83.33, "numerator": None},
        {"block": "TDGQ_TienDoGiaiQuyet", "group_code": "TDGQ", "score": 18, "max_score": 20,
         "ratio": 90, "numerator": None},
        {"block": "TTTT_ThanhToanTrucTuyen", "group_code": "TTTT", "score": 8, "max_score": 10,
         "ratio": 80, "numerator": None},
    ]  # fmt: skip
    metrics = {
        m["metric_code"]: m
        for m in rows(con, "SELECT * FROM raw_portal_metrics WHERE row_type = 'metric'")
    }
    assert set(metrics) == {
        "PUBLISH_ON_TIME", "DOSSIER_SYNC", "NEW_METRIC_2027",
        "PETITION_CLASSIFICATION_TTHC", "ELECTRONIC_CERTIFIED_COPY",
    }  # fmt: skip
    publish = metrics["PUBLISH_ON_TIME"]
    assert (publish["numerator"], publish["denominator"], publish["ratio"]) == (3, 4, 75)
    assert (publish["score"], publish["max_score"], publish["position"]) == (4.5, 6, 1)
    assert publish["metric_name"] == "Tỷ lệ TTHC công bố đúng hạn"
    assert (publish["portal_code"], publish["group_code"]) == ("H99.01", "CKMB")
    sync = metrics["DOSSIER_SYNC"]
    assert [sync[c] for c in ("numerator", "denominator", "ratio", "score")] == [None] * 4
    assert sync["quality_status"] == "NO_NATIONAL_REPORT_DATA"
    assert sync["quality_message"] == "Không có dữ liệu báo cáo tổng hợp."
    new = metrics["NEW_METRIC_2027"]
    assert (new["metric_name"], new["numerator"], new["denominator"], new["ratio"]) == (
        "Chỉ số mới", 1, 3, 50,
    )  # fmt: skip
    assert metrics["PETITION_CLASSIFICATION_TTHC"]["score"] is None
    assert metrics["PETITION_CLASSIFICATION_TTHC"]["max_score"] == 0
    copy_ = metrics["ELECTRONIC_CERTIFIED_COPY"]
    assert (copy_["numerator"], copy_["denominator"], copy_["ratio"]) == (None, None, 100)
    tdgq = one(con, "SELECT * FROM raw_portal_tdgq")
    assert [tdgq[c] for c in ("received", "on_time", "overdue", "avg_days")] == [100, 90, 10, 2.5]
    assert [tdgq[c] for c in ("ratio", "score", "max_score")] == [90, 18, 20]
    totals = rows(con, "SELECT group_code, name, value FROM raw_portal_totals")
    assert totals == [
        {"group_code": "TTTT", "name": "totalDossierOnlinePaymentSuccess", "value": 40},
        {"group_code": "TTTT", "name": "totalDossierFinancialObligation", "value": 50},
        {"group_code": "TTTT", "name": "totalFeeFormality", "value": 7},
        {"group_code": "TTTT", "name": "totalBrandNew", "value": 3},
        {"group_code": "MDHL", "name": "totalPetitions", "value": 0},
        {"group_code": "MDHL", "name": "averageScore", "value": None},
    ]
    # The unit's header and the overview (the counts beside it) are unit rows too.
    overview = one(con, "SELECT * FROM raw_portal_units WHERE member = 'overview'")
    assert (overview["total"], overview["CKMB"], overview["crawler_unit_count"]) == (61.5, None, 1)
    unit = one(con, "SELECT * FROM raw_portal_units WHERE member = 'unitsDetail'")
    assert (unit["portal_code"], unit["MDHL"], unit["CLGQ"]) == ("H99.01", 18.28, 10)


def test_agencies_detail_files_are_details_without_an_overview(portal):
    content = {"count": 1, "agenciesDetail": [{**SO_THU, "componentIndicators": INDICATORS}]}
    put(portal, "agencies_detail.json", crawler(content))
    con, report = read(portal)
    assert report.shapes["details"] == 1
    assert con.execute("SELECT count(*) FROM raw_portal_units").fetchone() == (1,)
    assert report.rows["raw_portal_tdgq"] == 1


def test_the_response_and_the_crawler_file_give_the_same_rows(tmp_path):
    one_form, other = tmp_path / "a" / "portal", tmp_path / "b" / "portal"
    put(one_form, "x/details.json", crawler(DETAILS))
    put(other, "x/details.json", response(DETAILS))
    manifest(other, "x/details.json,2026-10-10T07:00:13Z,year,2026,")
    first, _ = read(one_form)
    second, _ = read(other)
    for table in ("units", "scores", "metrics", "tdgq", "totals"):
        sql = f"SELECT * FROM raw_portal_{table}"
        assert rows(first, sql) == rows(second, sql), table
    sql = "SELECT * EXCLUDE (form, from_manifest, root_department_id) FROM raw_portal_captures"
    assert rows(first, sql) == rows(second, sql)
    assert rows(second, "SELECT form, from_manifest FROM raw_portal_captures") == [
        {"form": "response", "from_manifest": True}
    ]


def test_a_crawler_wrapper_with_data_is_read_too(portal):
    put(portal, "wrapped.json", {"metadata": META, "data": copy.deepcopy(AGENCIES)})
    con, report = read(portal)
    assert report.shapes["units"] == 1 and report.rows["raw_portal_units"] == 3


# --------------------------------------------------------------------------------------------
# Files, periods, capture times


def test_every_json_file_in_any_folder_is_read_in_order_hidden_ones_skipped(portal):
    put(portal, "z/b/deep.json", crawler(AGENCIES, extractedAt="2026-10-03T00:00:00Z"))
    put(portal, "a.JSON", crawler(AGENCIES, extractedAt="2026-10-01T00:00:00Z"))
    put(portal, "m/c.json", crawler(AGENCIES, extractedAt="2026-10-02T00:00:00Z"))
    put(portal, ".hidden.json", "not json at all")
    put(portal, ".cache/x.json", "not json either")
    put(portal, "notes.md", "# ghi chú")
    put(portal, "m/transcription.csv", "a,b\n1,2\n")
    con, report = read(portal)
    assert [f.file for f in report.files] == ["a.JSON", "m/c.json", "z/b/deep.json"]
    assert [r["file"] for r in rows(con, "SELECT file FROM raw_portal_captures")] == [
        "a.JSON", "m/c.json", "z/b/deep.json",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("meta", "text", "number", "start", "end"),
    [
        ({"timeType": "year", "period": None}, "2026", None, (2026, 1, 1), (2026, 12, 31)),
        ({"timeType": "quarter", "period": 3}, "2026-Q3", 3, (2026, 7, 1), (2026, 9, 30)),
        ({"timeType": "quarter", "period": "Q4"}, "2026-Q4", 4, (2026, 10, 1), (2026, 12, 31)),
        ({"timeType": "month", "period": 2}, "2026-02", 2, (2026, 2, 1), (2026, 2, 28)),
        ({"timeType": "month", "period": "2026-12"}, "2026-12", 12, (2026, 12, 1), (2026, 12, 31)),
        (
            {"timeType": "month", "period": None, "month": 9},
            "2026-09",
            9,
            (2026, 9, 1),
            (2026, 9, 30),
        ),
    ],
)
def test_periods_as_the_site_writes_them(portal, meta, text, number, start, end):
    put(portal, "f.json", crawler(AGENCIES, **meta, extractedAt="2027-01-05T00:00:00Z"))
    con, _ = read(portal)
    capture = one(con, "SELECT * FROM raw_portal_captures")
    assert (capture["period"], capture["period_number"]) == (text, number)
    assert (capture["period_start"], capture["period_end"]) == (dt.date(*start), dt.date(*end))
    assert capture["time_type"] == meta["timeType"]
    assert capture["complete"] is True


@pytest.mark.parametrize(
    ("captured", "complete"),
    [
        ("2026-09-30T16:59:59Z", False),  # 23:59:59 on 30/9 in Vietnam
        ("2026-09-30T17:00:00Z", True),  # midnight: September has ended
        ("2026-10-01T00:00:00+07:00", True),
    ],
)
def test_a_period_captured_before_it_ended_is_incomplete(portal, captured, complete):
    put(portal, "f.json", crawler(AGENCIES, timeType="month", period=9, extractedAt=captured))
    con, _ = read(portal)
    assert con.execute("SELECT complete FROM raw_portal_captures").fetchone() == (complete,)


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2026-09-17T10:40:19+07:00", (2026, 9, 17, 3, 40, 19)),
        ("2026-09-17T03:40:19Z", (2026, 9, 17, 3, 40, 19)),
        ("2026-09-17 10:40:19", (2026, 9, 17, 3, 40, 19)),  # local time (data contract)
        ("17/09/2026 10:40", (2026, 9, 17, 3, 40, 0)),
        ("20260917104019", (2026, 9, 17, 3, 40, 19)),
    ],
)
def test_manifest_capture_times(portal, written, utc):
    put(portal, "national.json", response(NATIONAL))
    manifest(portal, f'national.json,"{written}",year,2026,')
    con, _ = read(portal)
    assert con.execute("SELECT captured_at FROM raw_portal_captures").fetchone() == (
        dt.datetime(*utc),
    )


def test_manifest_fills_only_what_metadata_lacks(portal):
    meta = {k: v for k, v in META.items() if k != "extractedAt"}
    put(portal, "f.json", {"metadata": meta, **AGENCIES})
    manifest(portal, "f.json,2026-10-10T07:00:13Z,,,")
    con, _ = read(portal)
    capture = one(con, "SELECT captured_at, period, from_manifest FROM raw_portal_captures")
    assert capture == {
        "captured_at": dt.datetime(2026, 10, 10, 7, 0, 13),
        "period": "2026",
        "from_manifest": True,
    }


# --------------------------------------------------------------------------------------------
# The same unit read twice


def test_one_capture_in_two_files_is_read_once(portal):
    put(portal, "a/agencies.json", crawler(AGENCIES))
    put(portal, "b/details.json", crawler(DETAILS))  # same extractedAt as the agencies file
    con, _ = read(portal)
    units = rows(
        con,
        "SELECT file, portal_code, repeated FROM raw_portal_units WHERE portal_code = 'H99.01'",
    )
    assert units == [
        {"file": "a/agencies.json", "portal_code": "H99.01", "repeated": False},
        {"file": "b/details.json", "portal_code": "H99.01", "repeated": True},
    ]
    scores = rows(con, "SELECT * FROM raw_portal_scores ORDER BY portal_code")
    assert [s["portal_code"] for s in scores] == ["H99", "H99.01", "H99.02"]
    province = scores[0]
    assert province["files"] == ["a/agencies.json", "b/details.json"]
    # the details overview has no group scores: the unit list's are used, nothing is mixed
    assert (province["CKMB"], province["total"], province["growth_percent"]) == (11, 61.5, 3.5)
    assert scores[1]["files"] == ["a/agencies.json", "b/details.json"]
    assert scores[2]["files"] == ["a/agencies.json"]


def test_other_capture_times_are_other_rows(portal):
    put(portal, "a.json", crawler(AGENCIES))
    changed = copy.deepcopy(AGENCIES)
    changed["agencies"][0]["totalScore"] = 81
    put(portal, "b.json", crawler(changed, extractedAt="2026-10-11T07:00:00Z"))
    con, _ = read(portal)
    totals = rows(
        con,
        "SELECT captured_at, total FROM raw_portal_scores WHERE portal_code = 'H99.01' "
        "ORDER BY captured_at",
    )
    assert [t["total"] for t in totals] == [80, 81]


def test_one_capture_read_twice_with_different_values_stops(portal):
    put(portal, "a/agencies.json", crawler(AGENCIES))
    details = copy.deepcopy(DETAILS)
    details["unitsDetail"][0]["groupScores"]["TTTT"] = 8.01
    put(portal, "b/details.json", crawler(details))
    message = error(portal, "b/details.json")
    assert "H99.01" in message and "TTTT" in message and "portal/a/agencies.json" in message


def test_a_null_against_a_number_is_not_a_difference(portal):
    put(portal, "a.json", crawler(AGENCIES))  # H99.02: ONLINE null
    changed = copy.deepcopy(AGENCIES)
    changed["agencies"][1]["groupScores"]["ONLINE"] = 0
    put(portal, "b.json", crawler(changed))
    con, _ = read(portal)
    raw = rows(
        con, "SELECT file, CLGQ, repeated FROM raw_portal_units WHERE portal_code = 'H99.02'"
    )
    assert raw == [
        {"file": "a.json", "CLGQ": None, "repeated": False},
        {"file": "b.json", "CLGQ": 0, "repeated": True},
    ]
    score = one(con, "SELECT CLGQ, files FROM raw_portal_scores WHERE portal_code = 'H99.02'")
    assert score == {"CLGQ": 0, "files": ["a.json", "b.json"]}


def test_a_national_entry_and_a_province_overview_of_one_capture_must_agree(portal):
    put(portal, "h99.json", crawler(AGENCIES))  # H99's overview: total 61.5
    put(portal, "toan-quoc.json", response(NATIONAL))  # H99's entry: total 60.1
    manifest(portal, "toan-quoc.json,2026-10-10T07:00:13Z,year,2026,")
    message = error(portal, "toan-quoc.json")
    assert "H99" in message and "total" in message and "portal/h99.json" in message


def test_a_metric_read_twice_with_different_values_stops(portal):
    put(portal, "a.json", crawler(DETAILS))
    changed = copy.deepcopy(DETAILS)
    changed["unitsDetail"][0]["componentIndicators"]["CKMB_CongKhaiMinhBach"]["metrics"][0][
        "numerator"
    ] = 2
    put(portal, "b.json", crawler(changed))
    message = error(portal, "b.json")
    assert "PUBLISH_ON_TIME" in message and "numerator" in message and "portal/a.json" in message


def test_a_total_or_tdgq_count_read_twice_with_different_values_stops(portal):
    put(portal, "a.json", crawler(DETAILS))
    changed = copy.deepcopy(DETAILS)
    changed["unitsDetail"][0]["componentIndicators"]["TTTT_ThanhToanTrucTuyen"][
        "totalFeeFormality"
    ] = 8
    put(portal, "b.json", crawler(changed))
    assert "TTTT_ThanhToanTrucTuyen.totalFeeFormality" in error(portal, "b.json")
    changed["unitsDetail"][0]["componentIndicators"]["TDGQ_TienDoGiaiQuyet"]["totalOnTime"] = 91
    put(portal, "b.json", crawler(changed))
    assert "TDGQ_TienDoGiaiQuyet (kỳ 2026" in error(portal, "b.json")


def test_one_code_at_two_levels_in_one_capture_stops(portal):
    put(portal, "a.json", crawler(AGENCIES))
    as_commune = copy.deepcopy(AGENCIES)
    as_commune["agencies"] = [{**SO_THU, "childGroup": "COMMUNE"}]
    put(portal, "b.json", crawler(as_commune))
    message = error(portal, "b.json")
    assert "H99.01" in message and "level" in message and "portal/a.json" in message


def test_two_spellings_of_one_group_s_block_are_one_block(portal):
    put(portal, "a.json", crawler(DETAILS))
    renamed = copy.deepcopy(DETAILS)
    blocks = renamed["unitsDetail"][0]["componentIndicators"]
    blocks["CKMB_Other"] = blocks.pop("CKMB_CongKhaiMinhBach")
    put(portal, "b.json", crawler(renamed))
    con, _ = read(portal)  # the same values: a repeat
    repeated = rows(
        con,
        "SELECT file, block, repeated FROM raw_portal_metrics "
        "WHERE row_type = 'group' AND group_code = 'CKMB' ORDER BY file",
    )
    assert repeated == [
        {"file": "a.json", "block": "CKMB_CongKhaiMinhBach", "repeated": False},
        {"file": "b.json", "block": "CKMB_Other", "repeated": True},
    ]
    blocks["CKMB_Other"]["metrics"][0]["score"] = 4  # and a different value stops the build
    put(portal, "b.json", crawler(renamed))
    message = error(portal, "b.json")
    assert "PUBLISH_ON_TIME" in message and "score" in message and "portal/a.json" in message


def test_one_unit_twice_in_one_file_with_different_values_stops(portal):
    twice = copy.deepcopy(AGENCIES)
    twice["agencies"].append({**SO_THU, "totalScore": 70})
    put(portal, "a.json", crawler(twice))
    assert "hai lần trong tệp" in error(portal, "a.json")


# --------------------------------------------------------------------------------------------
# Broken files: one line naming the file


def _without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def _agencies_with(**changes) -> dict:
    return {**AGENCIES, "agencies": [{**SO_THU, **changes}, THANH_TRA]}


def _groups_with(**changes) -> dict:
    return _agencies_with(groupScores={**SO_THU["groupScores"], **changes})


BROKEN = {
    "bad JSON": ('{"metadata": {"timeType": "year"', "JSON hỏng (dòng 1"),
    "empty": ("  \n", "tệp rỗng"),
    "a list": ("[1, 2]", "không phải một đối tượng"),
    "NaN": ('{"code": "OK", "data": {"x": NaN}}', "NaN"),
    "a key twice": ('{"a": 1, "a": 2}', "khoá a hai lần"),
    "error response": ({"code": "ERROR", "data": None, "message": "lỗi"}, "code ERROR"),
    "response without data": ({"code": "OK"}, "không có data"),
    "unknown shape": (crawler({"radar": NATIONAL["radar"]}), "không nhận ra dạng tệp"),
    "no period": (AGENCIES, "không ghi kỳ đánh giá"),
    "no capture time": (
        {"metadata": _without(META, "extractedAt"), **AGENCIES},
        "không ghi thời điểm thu thập",
    ),
    "bad time type": (crawler(AGENCIES, timeType="week"), "timeType không rõ"),
    "month 13": (crawler(AGENCIES, timeType="month", period=13), "từ 1 đến 12"),
    "bad extractedAt": (crawler(AGENCIES, extractedAt="hôm qua"), "extractedAt không đọc được"),
    "captured before the period": (
        crawler(AGENCIES, year=2027),
        "trước khi kỳ 2027 bắt đầu",
    ),
    "no departmentCode": (
        crawler({**AGENCIES, "agencies": [_without(SO_THU, "departmentCode")]}),
        "agencies, mục 1: thiếu departmentCode",
    ),
    "blank departmentCode": (crawler(_agencies_with(departmentCode=" ")), "thiếu departmentCode"),
    "a group score as text": (
        crawler(_groups_with(TDGQ="19,97")),
        "groupScores.TDGQ không phải số",
    ),
    "a group score true": (crawler(_groups_with(MDHL=True)), "groupScores.MDHL không phải số"),
    "an unknown group": (
        crawler(_groups_with(ONLINE_SERVICE=13.1)),
        "nhóm không rõ: ONLINE_SERVICE",
    ),
    "CLGQ and ONLINE differ": (crawler(_groups_with(CLGQ=9)), "CLGQ hai lần"),
    "unknown childGroup": (crawler(_agencies_with(childGroup="DISTRICT")), "childGroup không rõ"),
    "no childGroup": (crawler(_agencies_with(childGroup=None)), "thiếu childGroup"),
    "a name that is a list": (crawler(_agencies_with(departmentName=["x"])), "không phải chuỗi"),
    "agencies not a list": (crawler({**AGENCIES, "agencies": {}}), "không phải một danh sách"),
    "a metric without code": (
        crawler(
            {
                **DETAILS,
                "unitsDetail": [
                    {
                        **SO_THU,
                        "componentIndicators": {
                            "MDSH_SoHoaHoSo": {"metrics": [{"name": "x", "score": 1}]}
                        },
                    }
                ],
            }
        ),
        "chỉ số 1: thiếu code",
    ),
    "an unknown block": (
        crawler({**DETAILS, "unitsDetail": [{**SO_THU, "componentIndicators": {"XYZ_Moi": {}}}]}),
        "khối chỉ số không rõ: XYZ_Moi",
    ),
    "a total as text": (
        crawler(
            {
                **DETAILS,
                "unitsDetail": [
                    {
                        **SO_THU,
                        "componentIndicators": {"MDHL_MucDoHaiLong": {"totalPetitions": "3"}},
                    }
                ],
            }
        ),
        "totalPetitions không phải số",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_is_one_line_naming_it(portal, case):
    document, expected = BROKEN[case]
    put(portal, "good.json", crawler(AGENCIES, extractedAt="2026-10-01T00:00:00Z"))
    put(portal, "sub/broken.json", document)
    assert expected in error(portal, "sub/broken.json")


def test_a_file_that_is_not_utf8(portal):
    (portal / "cp.json").write_bytes(b'{"a": "S\xd2 Th\xf0"}')  # Windows-1258 bytes
    assert "UTF-8" in error(portal, "cp.json")


def test_utf8_with_a_bom_is_read(portal):
    text = json.dumps(crawler(AGENCIES), ensure_ascii=False)
    (portal / "bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    _, report = read(portal)
    assert report.rows["raw_portal_units"] == 3


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["khong-co.json,2026-09-17T10:40:19+07:00,year,2026,"], "không có tệp JSON khong-co.json"),
        (["national.json,17.09.2026,year,2026,"], "dòng 2: captured_at không đọc được"),
        (["national.json,2026-09-31T10:00:00Z,year,2026,"], "captured_at không đọc được"),
        (["national.json,2026-09-17T10:40:19Z,year,hai nghìn,"], "year không phải một năm"),
        (["national.json,2026-09-17T10:40:19Z,quarter,2026,5"], "từ 1 đến 4"),
        (["national.json,2026-09-17T10:40:19Z,month,2026,Q3"], "period không đọc được"),
        (
            [
                "national.json,2026-09-17T10:40:19Z,year,2026,",
                "national.json,2026-09-17T10:40:19Z,year,2026,",
            ],
            "dòng 3: tệp national.json đã có một dòng",
        ),
    ],
)
def test_a_bad_manifest_is_one_line_naming_it(portal, lines, expected):
    put(portal, "national.json", response(NATIONAL))
    manifest(portal, *lines)
    assert expected in error(portal, "manifest.csv")


def test_a_manifest_without_its_columns(portal):
    put(portal, "national.json", response(NATIONAL))
    (portal / "manifest.csv").write_text("file,captured_at\nnational.json,2026-09-17\n")
    assert "thiếu cột time_type, year, period" in error(portal, "manifest.csv")


def test_manifest_and_metadata_that_disagree(portal):
    put(portal, "f.json", crawler(AGENCIES))
    manifest(portal, "f.json,2026-10-10T07:00:14Z,year,2026,")
    assert "thời điểm thu thập khác nhau" in error(portal, "f.json")


def test_a_raw_response_with_no_manifest_row_names_what_to_add(portal):
    put(portal, "national.json", response(NATIONAL))
    message = error(portal, "national.json")
    assert "không ghi kỳ đánh giá" in message and "manifest.csv" in message


def test_a_folder_without_json(portal):
    put(portal, "notes.txt", "x")
    with pytest.raises(InputError, match="không có tệp JSON nào"):
        read(portal)


# --------------------------------------------------------------------------------------------
# The real captures (data/real/portal-766: verbatim copies, README beside them)


@pytest.fixture(scope="module")
def real():
    con = duckdb.connect()
    report = read_portal(con, REAL)
    return con, report


def _csv(name: str) -> list[dict[str, str]]:
    with open(REAL / "gia-lai" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _value(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def test_real_files_are_all_recognised(real):
    con, report = real
    assert {f.file: f.shape for f in report.files} == {
        "gia-lai/agencies_2026-09-24.json": "units",
        "gia-lai/agencies_2026-10-02.json": "units",
        "gia-lai/agencies_2026-10-10.json": "units",
        "gia-lai/communes_2026-10-10.json": "units",
        "gia-lai/details_2026-10-10.json": "details",
        "national_2026-09-17.json": "national",
    }
    captured = rows(con, "SELECT file, captured_at, complete FROM raw_portal_captures")
    assert {c["file"]: c["captured_at"] for c in captured} == {
        "gia-lai/agencies_2026-09-24.json": dt.datetime(2026, 9, 23, 22, 44, 58),
        "gia-lai/agencies_2026-10-02.json": dt.datetime(2026, 10, 2, 8, 29, 2),
        "gia-lai/agencies_2026-10-10.json": dt.datetime(2026, 10, 10, 7, 0, 13),
        "gia-lai/communes_2026-10-10.json": dt.datetime(2026, 10, 10, 7, 0, 13),
        "gia-lai/details_2026-10-10.json": dt.datetime(2026, 10, 10, 7, 0, 18),
        # the crawler's folder api-20260917-104019 is Vietnam time (its audit: 03:40:19Z)
        "national_2026-09-17.json": dt.datetime(2026, 9, 17, 3, 40, 19),
    }
    assert not any(c["complete"] for c in captured)  # 2026 was not over


def test_real_national_ranking(real):
    con, _ = real
    published = json.loads((REAL / "national_2026-09-17.json").read_text(encoding="utf-8"))
    entries = published["data"]["evaluation"]
    provinces = rows(
        con,
        "SELECT * FROM raw_portal_units WHERE file = 'national_2026-09-17.json' "
        "AND level = 'province' ORDER BY position",
    )
    assert len(provinces) == 34
    assert [p["position"] for p in provinces] == list(range(1, 35))
    for entry, row in zip(entries, provinces, strict=True):
        assert row["portal_code"] == entry["departmentCode"]
        assert row["total"] == entry["totalScore"]
        assert row["score_delta"] == entry["scoreDelta"]
        assert {g: row[g] for g in entry["groupScores"]} == entry["groupScores"]
    assert (provinces[0]["portal_code"], provinces[0]["total"]) == ("H20", 68.32)
    gia_lai = provinces[11]
    assert (gia_lai["portal_code"], gia_lai["name"], gia_lai["total"]) == (
        "H21", "UBND tỉnh Gia Lai", 62.62,
    )  # fmt: skip
    assert gia_lai["portal_id"] == "019d2be3-6a85-74ec-a346-6489e82ae4c7"
    assert (gia_lai["CLGQ"], gia_lai["MDSH"]) == (8.47, 9.23)
    assert (provinces[-1]["portal_code"], provinces[-1]["total"]) == ("H32", 52.48)
    country = one(con, "SELECT * FROM raw_portal_units WHERE level = 'national'")
    assert (country["total"], country["portal_code"], country["growth_percent"]) == (
        56.56, None, 39.79,
    )  # fmt: skip


def test_real_gia_lai_unit_lists(real):
    con, _ = real
    counts = rows(
        con,
        "SELECT file, level, count(*) AS n FROM raw_portal_units WHERE file LIKE 'gia-lai/%' "
        "GROUP BY ALL ORDER BY ALL",
    )
    assert [(c["file"].removeprefix("gia-lai/"), c["level"], c["n"]) for c in counts] == [
        ("agencies_2026-09-24.json", "department", 14),
        ("agencies_2026-09-24.json", "province", 1),
        ("agencies_2026-10-02.json", "department", 14),
        ("agencies_2026-10-02.json", "province", 1),
        ("agencies_2026-10-10.json", "department", 14),
        ("agencies_2026-10-10.json", "province", 1),
        ("communes_2026-10-10.json", "commune", 135),
        ("communes_2026-10-10.json", "province", 1),
        ("details_2026-10-10.json", "commune", 135),
        ("details_2026-10-10.json", "department", 14),
        ("details_2026-10-10.json", "province", 1),
    ]
    # One capture (07:00:13): 14 departments, 135 communes and the province, read once.
    per_capture = rows(
        con,
        "SELECT level, count(*) AS n FROM raw_portal_scores "
        "WHERE captured_at = TIMESTAMP '2026-10-10 07:00:13' GROUP BY ALL ORDER BY ALL",
    )
    assert per_capture == [
        {"level": "commune", "n": 135},
        {"level": "department", "n": 14},
        {"level": "province", "n": 1},
    ]
    province = one(
        con,
        "SELECT * FROM raw_portal_scores WHERE level = 'province' "
        "AND captured_at = TIMESTAMP '2026-10-10 07:00:13'",
    )
    assert province["files"] == [
        "gia-lai/agencies_2026-10-10.json",
        "gia-lai/communes_2026-10-10.json",
    ]
    assert (province["total"], province["TDGQ"], province["CLGQ"]) == (66.23, 17.17, 9.14)
    first_commune = one(
        con,
        "SELECT * FROM raw_portal_units WHERE file LIKE '%communes%' AND position = 1",
    )
    assert (first_commune["portal_code"], first_commune["name"]) == ("H21.227", "UBND xã Vân Canh")
    assert (first_commune["crawler_rank"], first_commune["crawler_group_rank"]) == (2, 1)


def test_real_mdhl_above_its_maximum_is_kept(real):
    con, _ = real
    found = rows(
        con,
        "SELECT portal_code, MDHL, total, CKMB + TDGQ + CLGQ + TTTT + MDSH + MDHL AS sum "
        "FROM raw_portal_units WHERE file = 'gia-lai/agencies_2026-09-24.json' AND MDHL > 18 "
        "ORDER BY portal_code",
    )
    assert [(f["portal_code"], f["MDHL"], f["total"]) for f in found] == [
        ("H21.01", 18.28, 64.61),
        ("H21.09", 18.02, 72.68),
    ]
    assert found[0]["sum"] == pytest.approx(64.61, abs=1e-9)


def test_real_details_every_unit_and_metric(real):
    con, report = real
    assert report.rows["raw_portal_metrics"] == 149 * (6 + 4 + 7 + 5)
    assert report.rows["raw_portal_tdgq"] == 149
    assert report.rows["raw_portal_totals"] == 149 * (4 + 4)
    codes = rows(
        con,
        "SELECT group_code, count(DISTINCT metric_code) AS n FROM raw_portal_metrics "
        "WHERE row_type = 'metric' GROUP BY ALL ORDER BY ALL",
    )
    assert codes == [
        {"group_code": "CKMB", "n": 4},
        {"group_code": "MDHL", "n": 5},
        {"group_code": "MDSH", "n": 7},
    ]
    copies = rows(
        con,
        "SELECT numerator, denominator, ratio, score, count(*) AS n FROM raw_portal_metrics "
        "WHERE metric_code = 'ELECTRONIC_CERTIFIED_COPY' GROUP BY ALL",
    )
    assert copies == [{"numerator": None, "denominator": None, "ratio": 100, "score": 2, "n": 149}]
    flags = rows(
        con,
        "SELECT quality_status, count(*) AS n FROM raw_portal_metrics "
        "WHERE quality_status IS NOT NULL GROUP BY ALL ORDER BY ALL",
    )
    assert flags == [
        {"quality_status": "NO_NATIONAL_REPORT_DATA", "n": 1},
        {"quality_status": "TEMP_NATIONAL_REPORT_DENOMINATOR", "n": 148},
    ]
    thanh_tra = one(
        con,
        "SELECT * FROM raw_portal_metrics WHERE portal_code = 'H21.20' "
        "AND metric_code = 'DOSSIER_SYNC'",
    )
    assert (thanh_tra["ratio"], thanh_tra["score"], thanh_tra["max_score"]) == (None, None, 6)
    assert thanh_tra["quality_message"] == "Không có dữ liệu báo cáo tổng hợp."


def test_real_details_tdgq_match_the_transcription(real):
    con, _ = real
    expected = _csv("tdgq_2026-10-10.csv")
    assert len(expected) == 149
    got = {r["portal_code"]: r for r in rows(con, "SELECT * FROM raw_portal_tdgq")}
    columns = {
        "totalReceived": "received", "totalOnTime": "on_time", "totalOverdue": "overdue",
        "avgProcessingDays": "avg_days", "ratio": "ratio", "score": "score",
        "maxScore": "max_score",
    }  # fmt: skip
    for line in expected:
        row = got[line["departmentCode"]]
        assert {c: row[c] for c in columns.values()} == {
            column: _value(line[key]) for key, column in columns.items()
        }, line["departmentCode"]
    # README: the province's TDGQ is 20 x sum(on time) / sum(received) = 17.1686 over 149 units
    ratio = con.execute("SELECT 20 * sum(on_time) / sum(received) FROM raw_portal_tdgq").fetchone()
    assert round(ratio[0], 4) == 17.1686


def test_real_details_metrics_match_the_transcription(real):
    con, _ = real
    lines = _csv("metrics_2026-10-10.csv")
    assert len(lines) == 720
    metrics = {
        (r["portal_code"], r["group_code"], r["metric_code"] or "GROUP"): r
        for r in rows(con, "SELECT * FROM raw_portal_metrics")
    }
    totals = {
        (r["portal_code"], r["group_code"], r["name"]): r["value"]
        for r in rows(con, "SELECT * FROM raw_portal_totals")
    }
    alias = {"ONLINE": "CLGQ"}
    checked = {"group": 0, "metric": 0, "pseudo": 0}
    for line in lines:
        group = alias.get(line["group"], line["group"])
        key = (line["departmentCode"], group, line["code"])
        kind = line["rowType"]
        checked[kind] += 1
        if kind == "pseudo":
            assert totals[key] == _value(line["numerator"]), key
            continue
        row = metrics[key]
        assert row["row_type"] == kind
        assert (row["ratio"], row["score"], row["max_score"]) == (
            _value(line["ratio"]), _value(line["score"]), _value(line["maxScore"]),
        ), key  # fmt: skip
        if kind == "group":
            assert row["block"] == line["name"]
        else:
            assert row["metric_name"] == line["name"]
            assert (row["numerator"], row["denominator"]) == (
                _value(line["numerator"]), _value(line["denominator"]),
            ), key  # fmt: skip
            assert row["quality_status"] == (line["dataQualityStatus"] or None)
    assert checked == {"group": 144, "metric": 384, "pseudo": 192}  # 24 units: 6, 16 and 8


def test_real_details_headers_equal_the_unit_lists(real):
    con, _ = real
    differ = con.execute(
        """
        SELECT count(*) FROM raw_portal_units d
        JOIN raw_portal_units l ON l.portal_code = d.portal_code
         AND l.file IN ('gia-lai/agencies_2026-10-10.json', 'gia-lai/communes_2026-10-10.json')
        WHERE d.file = 'gia-lai/details_2026-10-10.json' AND d.member <> 'overview'
          AND (d.total, d.CKMB, d.TDGQ, d.CLGQ, d.TTTT, d.MDSH, d.MDHL, d.name, d.crawler_rank)
              IS DISTINCT FROM
              (l.total, l.CKMB, l.TDGQ, l.CLGQ, l.TTTT, l.MDSH, l.MDHL, l.name, l.crawler_rank)
        """
    ).fetchone()
    matched = con.execute(
        "SELECT count(*) FROM raw_portal_units d JOIN raw_portal_units l USING (portal_code) "
        "WHERE d.file LIKE '%details%' AND d.member <> 'overview' "
        "AND l.file IN ('gia-lai/agencies_2026-10-10.json', 'gia-lai/communes_2026-10-10.json')"
    ).fetchone()
    assert (differ, matched) == ((0,), (149,))


def test_the_real_captures_are_shipped_with_their_provenance():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert "duynghiaqn/Crawler-766" in readme and "## Licence" in readme
    with open(REAL / "manifest.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == [
            {
                "file": "national_2026-09-17.json",
                "captured_at": "2026-09-17T10:40:19+07:00",
                "time_type": "year",
                "year": "2026",
                "period": "",
            }
        ]
