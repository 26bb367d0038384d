"""One collection (minhbach.portal.collect) against the local replay server: the requests made,
paging, the saved layout (every response byte for byte, the manifest, the request log, the index),
a request skipped after two failures, the national ranking needed to find the provinces, the same
day captured again, and the real captures replayed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minhbach.errors import InputError
from minhbach.portal import plan as portal_plan
from minhbach.portal.plan import plan_from_config

from .replay import (
    API,
    GIA_LAI,
    NOW,
    REAL,
    TODAY,
    Replay,
    make_units,
    read_rows,
    run,
    serve,
    tree,
)

# --------------------------------------------------------------------------------------------
# A whole run


def test_collects_every_page_and_saves_the_bytes_as_sent(portal, tmp_path):
    plan = plan_from_config(
        ["Gia Lai", "h21"], ["2026", "2026-Q3", "2026-09"], page_size=3, today=TODAY
    )
    report, sleeps, lines = run(portal, tmp_path / "portal", plan)

    assert portal.problems == []
    assert portal.max_in_flight == 1
    day = tmp_path / "portal" / "2026-10-10"
    assert report.folder == day and report.captured_on == "2026-10-10"
    assert report.provinces == {"H21": GIA_LAI}  # "Gia Lai" and "h21" are one province
    assert report.skipped == []

    # per period: the national ranking, then 7 units in pages of 3 (3 + 3 + 1) per endpoint
    posts = portal.posts()
    assert len(posts) == report.requests == 3 * (1 + 7 * 3)
    assert posts[0]["body"] == {
        "timeType": "year",
        "year": 2026,
        "departmentType": "ADMINISTRATIVE_UNIT",
    }
    assert posts[1]["body"] == {
        "timeType": "year",
        "year": 2026,
        "departmentType": "ADMINISTRATIVE_UNIT",
        "rootDepartmentId": GIA_LAI,
        "currentPage": 1,
        "pageSize": 3,
    }
    quarter = [r["body"] for r in portal.posts("transparency") if r["body"].get("quarter")]
    assert quarter[0] == {
        "timeType": "quarter",
        "year": 2026,
        "quarter": 3,
        "rootDepartmentId": GIA_LAI,
        "currentPage": 1,
        "pageSize": 3,
    }
    satisfaction = [r["body"] for r in portal.posts("handling-satisfaction")]
    assert satisfaction[6] == {
        "fromDate": "2026-09-01",
        "toDate": "2026-09-30",
        "rootDepartmentId": GIA_LAI,
        "currentPage": 1,
        "pageSize": 3,
    }
    assert satisfaction[3]["fromDate"] == "2026-07-01" and satisfaction[3]["toDate"] == "2026-09-30"

    # every response saved byte for byte, under the layout, with its manifest row
    manifest = read_rows(day / "manifest.csv")
    assert len(manifest) == len(report.files) == len(posts)
    assert list(manifest[0])[:5] == ["file", "captured_at", "time_type", "year", "period"]
    assert manifest[0] == {
        "file": "national/2026/service-results.json",
        "captured_at": "2026-10-10T07:00:13Z",
        "time_type": "year",
        "year": "2026",
        "period": "",
        "province": "national",
        "endpoint": "service-results",
        "page": "",
    }
    assert {"period": "9", "province": "H21", "page": "3"}.items() <= next(
        r for r in manifest if r["file"].endswith("2026-09/dossier-digitized-page-3.json")
    ).items()
    requests = read_rows(day / "requests.csv")
    assert len(requests) == len(posts)
    for number, (row, post) in enumerate(zip(requests, posts, strict=True), start=1):
        assert json.loads(row["request_body"]) == post["body"]
        assert row["url"] == portal.base_url + "evaluation/" + post["path"].removeprefix(API)
        assert (day / row["file"]).read_bytes() == portal.sent[number]
        assert row["status"] == ("200" if row["province"] == "national" else "201")
    files = {r["file"] for r in manifest}
    assert tree(day) - files == {
        "manifest.csv",
        "requests.csv",
        "national",
        "national/2026",
        "national/2026-Q3",
        "national/2026-09",
        "H21",
        "H21/2026",
        "H21/2026-Q3",
        "H21/2026-09",
        ".raw",  # the six group endpoints, whose shapes the reader does not know yet
        ".raw/H21",
        ".raw/H21/2026",
        ".raw/H21/2026-Q3",
        ".raw/H21/2026-09",
    }
    assert ".raw/H21/2026-Q3/provide-online-tree-page-2.json" in files
    assert {f.split("/")[-1].rsplit("-page-", 1)[0] for f in files if f.startswith("H21/")} == {
        "service-results"
    }

    # the index beside the days, for the reader of portal/manifest.csv: what it reads only
    index = read_rows(tmp_path / "portal" / "manifest.csv")
    readable = [r for r in manifest if not r["file"].startswith(".raw/")]
    assert len(readable) == 3 * (1 + 3)
    assert [r["file"] for r in index] == [f"2026-10-10/{r['file']}" for r in readable]

    # a pause before every request but the first; one line per request
    assert sleeps == [0.5] * (len(posts) - 1)
    assert len(lines) == len(posts)
    assert lines[1] == "#2 H21 2026 service-results trang 1: HTTP 201, " + (
        f"{len(portal.sent[2])} byte"
    )
    assert not list((tmp_path / "portal").glob("*.new"))


def test_paging_stops_on_a_short_page_or_when_a_page_brings_nothing_new(portal, tmp_path):
    portal.units = make_units(6)  # two full pages of 3, then an empty one
    portal.ignore_paging = {"dvc-progress-tree"}  # answers all 6 units on every page
    plan = plan_from_config(
        ["H21"], ["2026"], endpoints=["service-results", "dvc-progress-tree"], page_size=3
    )
    report, _, _ = run(portal, tmp_path, plan)
    pages = [r["body"]["currentPage"] for r in portal.posts("service-results")[1:]]
    assert pages == [1, 2, 3]
    assert [r["body"]["currentPage"] for r in portal.posts("dvc-progress-tree")] == [1, 2]
    assert portal.problems == []
    assert len(report.files) == 1 + 3 + 2


def test_a_page_size_larger_than_the_province_reads_it_in_one_request(portal, tmp_path):
    plan = plan_from_config(["H21"], ["2026"], endpoints=["service-results"], today=TODAY)
    report, sleeps, _ = run(portal, tmp_path, plan)
    assert [r["body"].get("pageSize") for r in portal.posts()] == [None, portal_plan.PAGE_SIZE]
    saved = json.loads((report.folder / "H21/2026/service-results-page-1.json").read_bytes())
    assert len(saved["data"]["evaluation"]) == 7
    assert sleeps == [0.5]


def test_a_run_with_no_province_saves_the_national_rankings(portal, tmp_path):
    plan = plan_from_config([], ["2026", "2026-Q4"], today=TODAY)
    report, _, _ = run(portal, tmp_path, plan)
    assert [r["file"] for r in report.files] == [
        "national/2026/service-results.json",
        "national/2026-Q4/service-results.json",
    ]
    assert portal.posts()[1]["body"] == {
        "timeType": "quarter",
        "year": 2026,
        "quarter": 4,
        "departmentType": "ADMINISTRATIVE_UNIT",
    }


def test_a_request_failing_twice_is_skipped_with_every_page_of_its_endpoint(portal, tmp_path):
    # service-results: pages 1 (request 2) and 2 (3) come, page 3 fails twice (4, 5)
    portal.faults = {4: "500", 5: "not-ok"}
    report, sleeps, _ = run(portal, tmp_path)
    assert report.skipped == ["H21 2026 service-results trang 3"]
    files = {r["file"] for r in report.files}
    assert not any("service-results-page" in f for f in files)  # no partial unit list
    assert ".raw/H21/2026/transparency-page-3.json" in files  # the run went on
    assert sleeps[3] == 7.0 and sleeps[4] == 0.5
    logged = read_rows(report.folder / "requests.csv")
    assert [r["error"] for r in logged[1:3]] == ["bỏ: trang 3 không lấy được"] * 2
    assert all(r["file"] == "" for r in logged[1:5])


def test_the_national_ranking_is_needed_to_find_the_provinces(portal, tmp_path):
    portal.faults = {1: "500", 2: "500"}
    with pytest.raises(InputError) as caught:
        run(portal, tmp_path)
    assert str(caught.value).endswith(
        ": không đọc được bảng xếp hạng toàn quốc 2026 (máy chủ trả lời HTTP 500); "
        "dữ liệu đã lấy trước giữ nguyên"
    )
    assert tree(tmp_path) == set()


def test_a_province_missing_from_the_national_ranking_stops_the_run(portal, tmp_path):
    plan = plan_from_config(["H21", "Hà Giang"], ["2026"], today=TODAY)
    with pytest.raises(InputError, match="không thấy tỉnh/thành phố 'Hà Giang'"):
        run(portal, tmp_path, plan)
    assert len(portal.posts()) == 1
    assert tree(tmp_path) == set()


def test_provinces_by_name_with_or_without_marks(portal, tmp_path):
    plan = plan_from_config(
        ["thành phố hồ chí minh", "Dong Thap", "UBND tỉnh Gia Lai"], ["2026"], today=TODAY
    )
    report, _, _ = run(portal, tmp_path, plan, max_errors=99)
    assert list(report.provinces) == ["H29", "H20", "H21"]


def test_the_same_day_captured_again_replaces_it_and_the_index_lists_every_day(portal, tmp_path):
    out = tmp_path / "portal"
    plan = plan_from_config([], ["2026"], today=TODAY)
    run(portal, out, plan, clock=lambda: NOW - dt.timedelta(days=1))
    (out / "2026-10-10").mkdir()
    (out / "2026-10-10" / "old.json").write_text("{}")
    report, _, _ = run(portal, out, plan)
    assert tree(report.folder) == {
        "manifest.csv",
        "requests.csv",
        "national",
        "national/2026",
        "national/2026/service-results.json",
    }
    index = read_rows(out / "manifest.csv")
    assert [(r["file"], r["captured_at"]) for r in index] == [
        ("2026-10-09/national/2026/service-results.json", "2026-10-09T07:00:13Z"),
        ("2026-10-10/national/2026/service-results.json", "2026-10-10T07:00:13Z"),
    ]


def test_a_stale_new_folder_is_removed(portal, tmp_path):
    (tmp_path / ".2026-10-10.new" / "H21").mkdir(parents=True)
    run(portal, tmp_path, plan_from_config([], ["2026"], today=TODAY))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-10-10", "manifest.csv"]


# --------------------------------------------------------------------------------------------
# The real captures


@pytest.mark.skipif(not REAL.is_dir(), reason="data/real/portal-766 is not in this checkout")
def test_replays_the_real_captures(tmp_path):
    national = (REAL / "national_2026-09-17.json").read_bytes()
    agencies = json.loads((REAL / "gia-lai" / "agencies_2026-10-10.json").read_bytes())
    communes = json.loads((REAL / "gia-lai" / "communes_2026-10-10.json").read_bytes())
    replay = Replay(national, agencies["agencies"] + communes["communes"], agencies["overview"])
    server, thread = serve(replay)
    try:
        plan = plan_from_config(
            ["Gia Lai"], ["2026"], endpoints=["service-results"], page_size=100, today=TODAY
        )
        report, _, _ = run(replay, tmp_path, plan)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert replay.problems == []
    assert report.provinces == {"H21": GIA_LAI}
    saved = report.folder / "national/2026/service-results.json"
    assert saved.read_bytes() == national
    units = []
    for page in (1, 2):
        saved = report.folder / f"H21/2026/service-results-page-{page}.json"
        units += json.loads(saved.read_bytes())["data"]["evaluation"]
    assert len(units) == 149 and len({u["departmentCode"] for u in units}) == 149


def test_a_capture_in_progress_is_hidden_from_the_reader(portal, tmp_path):
    """Between two requests the folder shows the reader nothing new: the capture being made is
    a hidden folder until the run succeeded."""
    out = tmp_path / "portal"
    seen: list[list[str]] = []

    def sleep(_seconds: float) -> None:
        seen.append(sorted(p.name for p in out.iterdir()))

    run(portal, out, sleep=sleep)
    assert seen and all(names == [".2026-10-10.new"] for names in seen)
    assert sorted(p.name for p in out.iterdir()) == ["2026-10-10", "manifest.csv"]


def test_the_reader_reads_a_collected_folder(portal, tmp_path):
    """The folder a run leaves is a portal/ input the reader takes as it is: the index gives the
    periods and capture times of the raw responses, and the group endpoints' responses (.raw/,
    shapes it does not know) are skipped."""
    import duckdb

    from minhbach.portal import read_portal

    out = tmp_path / "portal"
    plan = plan_from_config(["H21"], ["2026", "2026-09"], page_size=3, today=TODAY)
    run(portal, out, plan)
    assert any(p.name == ".raw" for p in (out / "2026-10-10").iterdir())
    con = duckdb.connect()
    read_portal(con, out)
    files = con.execute(
        "select file, shape, period, captured_at from raw_portal_captures order by file"
    ).fetchall()
    assert [(f, s, p) for f, s, p, _ in files] == [
        ("2026-10-10/H21/2026-09/service-results-page-1.json", "units", "2026-09"),
        ("2026-10-10/H21/2026-09/service-results-page-2.json", "units", "2026-09"),
        ("2026-10-10/H21/2026-09/service-results-page-3.json", "units", "2026-09"),
        ("2026-10-10/H21/2026/service-results-page-1.json", "units", "2026"),
        ("2026-10-10/H21/2026/service-results-page-2.json", "units", "2026"),
        ("2026-10-10/H21/2026/service-results-page-3.json", "units", "2026"),
        ("2026-10-10/national/2026-09/service-results.json", "national", "2026-09"),
        ("2026-10-10/national/2026/service-results.json", "national", "2026"),
    ]
    assert {str(c) for *_, c in files} == {"2026-10-10 07:00:13"}
    (units,) = con.execute(
        "select count(distinct portal_code) from raw_portal_scores where level = 'commune'"
    ).fetchone()
    assert units == 4
