"""Collecting the portal's evaluation (minhbach.portal.fetch) from a local server that replays
portal responses and fails some requests on purpose. Only 127.0.0.1 is ever contacted.

The replayed responses are small hand-made bodies shaped like the real captures (national ranking:
``data.evaluation`` of provinces with their real ids; a province's units: ``data.evaluation`` with
``childGroup``); when ``data/real/portal-766/`` is in the repository, one more test replays the real
files themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from minhbach.errors import InputError
from minhbach.portal import fetch
from minhbach.portal.fetch import Period, collect, plan_from_config

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "data" / "real" / "portal-766"
NOW = dt.datetime(2026, 10, 10, 7, 0, 13, tzinfo=dt.UTC)
TODAY = NOW.date()
GIA_LAI = "019d2be3-6a85-74ec-a346-6489e82ae4c7"  # the real id of UBND tỉnh Gia Lai
UA = re.compile(r"minhbach/\d+\.\d+\.\d+ \(\+https?://\S+\)")
API = "/api/v1/reporting/evaluation/"


def _dump(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _province(code: str, ident: str, name: str, total: float) -> dict:
    groups = {"CKMB": 11.45, "TDGQ": 17.72, "CLGQ": 8.83, "TTTT": 6.22, "MDHL": 14.45, "MDSH": 9.65}
    return {
        "departmentId": ident,
        "departmentName": name,
        "departmentCode": code,
        "totalScore": total,
        "ratio": total,
        "scoreDelta": 24.71,
        "groupScores": groups,
    }


NATIONAL = {
    "code": "OK",
    "data": {
        "overview": {
            "departmentName": "Cả nước",
            "departmentCode": None,
            "totalScore": 56.56,
            "totalMaxScore": 100,
            "ratio": 56.56,
        },
        "growthPercent": 39.79,
        "evaluation": [
            _province("H20", "019d2be3-6a85-74ec-a344-751a7a0bbdb5", "UBND tỉnh Đồng Tháp", 68.32),
            _province("H21", GIA_LAI, "UBND tỉnh Gia Lai", 66.23),
            _province(
                "H29", "019d2be3-6a87-7317-855a-9a81af57b106", "UBND Thành phố Hồ Chí Minh", 63.1
            ),
        ],
    },
    "message": "OK",
}

OVERVIEW = {
    "departmentName": "UBND tỉnh Gia Lai",
    "departmentCode": "H21",
    "totalScore": 66.23,
    "totalMaxScore": 100,
    "ratio": 66.23,
}


def _units(count: int) -> list[dict]:
    units = []
    for i in range(count):
        agency = i < 3
        units.append(
            {
                "departmentId": f"019d2be3-0000-0000-0000-{i:012d}",
                "departmentName": f"Sở thứ {i + 1}" if agency else f"UBND xã Thử {i + 1}",
                "departmentCode": f"H21.{i + 1:02d}" if agency else f"H21.{100 + i}",
                "childGroup": "AGENCY" if agency else "COMMUNE",
                "totalScore": round(80 - i * 1.5, 2),
                "ratio": round(80 - i * 1.5, 2),
                "scoreDelta": None,
                "groupScores": {"CKMB": 11.79, "TDGQ": 19.97, "CLGQ": 6.72},
            }
        )
    return units


class Replay:
    """A local stand-in for the portal: checks every request, answers from ``national`` and
    ``units``, and applies ``faults`` (request number, counted from 1 -> kind)."""

    def __init__(self, national: bytes, units: list[dict], overview: dict = OVERVIEW):
        self.national = national
        self.units = units
        self.overview = overview
        self.faults: dict[int, str] = {}
        self.ignore_paging: set[str] = set()  # endpoints answering every unit on every page
        self.requests: list[dict] = []  # method, path, headers, body
        self.sent: dict[int, bytes] = {}  # request number -> body answered
        self.problems: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/reporting/"

    def posts(self, endpoint: str | None = None) -> list[dict]:
        return [
            r
            for r in self.requests
            if r["method"] == "POST" and (endpoint is None or r["path"] == API + endpoint)
        ]

    # ----------------------------------------------------------------------------------------

    def answer(self, number: int, path: str, body: dict) -> tuple[int, bytes, dict]:
        endpoint = path.removeprefix(API)
        fault = self.faults.get(number)
        if fault == "500":
            return 500, b'{"statusCode":500,"message":"Internal server error"}', {}
        if fault == "not-ok":
            return 201, _dump({"code": "ERROR", "message": "Hệ thống bận", "data": None}), {}
        if fault == "bad-json":
            return 201, b'{"code": "OK", "data": {"evaluation": [', {}
        if fault == "slow":
            time.sleep(1.0)
        if fault == "big":
            return 201, _dump({"code": "OK", "data": {"pad": "x" * 300_000}}), {}
        if fault == "gzip":
            body = gzip.compress(_dump({"code": "OK", "data": {}}))
            return 201, body, {"Content-Encoding": "gzip"}
        if fault == "redirect":
            return 302, b"", {"Location": "http://127.0.0.1:9/elsewhere"}
        if endpoint == fetch.SERVICE_RESULTS and "rootDepartmentId" not in body:
            return 200, self.national, {}  # as in the capture: HTTP 200 here, 201 below
        if body.get("rootDepartmentId") != GIA_LAI:
            return 201, _dump({"code": "OK", "data": {"evaluation": []}}), {}
        page, size = body.get("currentPage"), body.get("pageSize")
        units = self.units
        if endpoint not in self.ignore_paging:
            units = units[(page - 1) * size : page * size]
        if endpoint == fetch.SERVICE_RESULTS:
            data = {"overview": self.overview, "evaluation": units}
        elif endpoint.endswith("-tree"):
            data = {"departmentId": GIA_LAI, "children": [_score(u) for u in units]}
        else:
            data = {"evaluation": [_score(u) for u in units]}
        return 201, _dump({"code": "OK", "data": data, "message": "OK"}), {}

    def check(self, method: str, path: str, headers, raw: bytes) -> dict:
        """The request's JSON body; what breaks the rules goes to ``problems``."""
        agent = headers.get("User-Agent", "")
        if not UA.fullmatch(agent):
            self.problems.append(f"User-Agent {agent!r}")
        for name in ("Cookie", "Authorization", "Proxy-Authorization"):
            if headers.get(name):
                self.problems.append(f"sent {name}")
        if method != "POST":
            self.problems.append(f"{method} {path}")
            return {}
        if headers.get("Content-Type") != "application/json":
            self.problems.append(f"Content-Type {headers.get('Content-Type')!r}")
        try:
            body = json.loads(raw)
        except ValueError:
            self.problems.append(f"body is not JSON: {raw[:60]!r}")
            return {}
        endpoint = path.removeprefix(API)
        if endpoint not in fetch.ENDPOINTS:
            self.problems.append(f"unknown endpoint {path}")
        period_keys = {"timeType", "year", "quarter", "month"}
        if endpoint == "handling-satisfaction":
            if period_keys & body.keys() or not {"fromDate", "toDate"} <= body.keys():
                self.problems.append(f"handling-satisfaction body {body}")
        elif body.get("timeType") not in ("year", "quarter", "month") or "year" not in body:
            self.problems.append(f"{endpoint} body {body}")
        if "rootDepartmentId" in body and not {"currentPage", "pageSize"} <= body.keys():
            self.problems.append(f"{endpoint}: no paging in {body}")
        return body


def _score(unit: dict) -> dict:
    return {k: unit[k] for k in ("departmentId", "departmentCode", "departmentName")} | {
        "score": 9.5
    }


def _handler(replay: Replay):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _serve(self, method: str):
            with replay.lock:
                replay.in_flight += 1
                replay.max_in_flight = max(replay.max_in_flight, replay.in_flight)
            finished = []

            def done():
                if not finished:
                    finished.append(True)
                    with replay.lock:
                        replay.in_flight -= 1

            try:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with replay.lock:
                    body = replay.check(method, self.path, self.headers, raw)
                    replay.requests.append(
                        {"method": method, "path": self.path, "headers": self.headers, "body": body}
                    )
                    number = len(replay.requests)
                if method != "POST":
                    status, payload, extra = 405, b"", {}
                else:
                    status, payload, extra = replay.answer(number, self.path, body)
                replay.sent[number] = payload
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Set-Cookie", "SESSION=abc123; Path=/")
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                done()  # before the body: the client cannot ask again before it has it
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)
            finally:
                done()

        def do_POST(self):  # noqa: N802
            self._serve("POST")

        def do_GET(self):  # noqa: N802
            self._serve("GET")

    return Handler


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """A proxy of the environment must not see the requests to 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _serve(replay: Replay):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    server.daemon_threads = True
    replay.server = server
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def portal():
    replay = Replay(_dump(NATIONAL), _units(7))
    server, thread = _serve(replay)
    yield replay
    server.shutdown()
    server.server_close()
    thread.join(5)


class Sleeps(list):
    """A sleep that only remembers how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _run(portal: Replay, out: Path, plan=None, **options):
    plan = plan or plan_from_config(["H21"], ["2026"], page_size=3, today=TODAY)
    sleeps = Sleeps()
    lines: list[str] = []
    options = {
        "base_url": portal.base_url,
        "pause": 0.5,
        "retry_pause": 7.0,
        "sleep": sleeps,
        "clock": lambda: NOW,
        "log": lines.append,
        "timeout": 5.0,
        **options,
    }
    report = collect(plan, out, **options)
    return report, sleeps, lines


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _tree(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --------------------------------------------------------------------------------------------
# A whole run


def test_collects_every_page_and_saves_the_bytes_as_sent(portal, tmp_path):
    plan = plan_from_config(
        ["Gia Lai", "h21"], ["2026", "2026-Q3", "2026-09"], page_size=3, today=TODAY
    )
    report, sleeps, lines = _run(portal, tmp_path / "portal", plan)

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
    manifest = _csv(day / "manifest.csv")
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
    requests = _csv(day / "requests.csv")
    assert len(requests) == len(posts)
    for number, (row, post) in enumerate(zip(requests, posts, strict=True), start=1):
        assert json.loads(row["request_body"]) == post["body"]
        assert row["url"] == portal.base_url + "evaluation/" + post["path"].removeprefix(API)
        assert (day / row["file"]).read_bytes() == portal.sent[number]
        assert row["status"] == ("200" if row["province"] == "national" else "201")
    files = {r["file"] for r in manifest}
    assert _tree(day) - files == {
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
    }
    assert "H21/2026-Q3/provide-online-tree-page-2.json" in files

    # the index beside the days, for the reader of portal/manifest.csv
    index = _csv(tmp_path / "portal" / "manifest.csv")
    assert [r["file"] for r in index] == [f"2026-10-10/{r['file']}" for r in manifest]

    # a pause before every request but the first; one line per request
    assert sleeps == [0.5] * (len(posts) - 1)
    assert len(lines) == len(posts)
    assert lines[1] == "#2 H21 2026 service-results trang 1: HTTP 201, " + (
        f"{len(portal.sent[2])} byte"
    )
    assert not list((tmp_path / "portal").glob("*.new"))


def test_paging_stops_on_a_short_page_or_when_a_page_brings_nothing_new(portal, tmp_path):
    portal.units = _units(6)  # two full pages of 3, then an empty one
    portal.ignore_paging = {"dvc-progress-tree"}  # answers all 6 units on every page
    plan = plan_from_config(
        ["H21"], ["2026"], endpoints=["service-results", "dvc-progress-tree"], page_size=3
    )
    report, _, _ = _run(portal, tmp_path, plan)
    pages = [r["body"]["currentPage"] for r in portal.posts("service-results")[1:]]
    assert pages == [1, 2, 3]
    assert [r["body"]["currentPage"] for r in portal.posts("dvc-progress-tree")] == [1, 2]
    assert portal.problems == []
    assert len(report.files) == 1 + 3 + 2


def test_a_page_size_larger_than_the_province_reads_it_in_one_request(portal, tmp_path):
    plan = plan_from_config(["H21"], ["2026"], endpoints=["service-results"], today=TODAY)
    report, sleeps, _ = _run(portal, tmp_path, plan)
    assert [r["body"].get("pageSize") for r in portal.posts()] == [None, fetch.PAGE_SIZE]
    saved = json.loads((report.folder / "H21/2026/service-results-page-1.json").read_bytes())
    assert len(saved["data"]["evaluation"]) == 7
    assert sleeps == [0.5]


def test_a_run_with_no_province_saves_the_national_rankings(portal, tmp_path):
    plan = plan_from_config([], ["2026", "2026-Q4"], today=TODAY)
    report, _, _ = _run(portal, tmp_path, plan)
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


# --------------------------------------------------------------------------------------------
# Failures: one retry, skipping, the stop, nothing left behind


def test_a_failed_request_is_retried_once_after_the_retry_pause(portal, tmp_path):
    portal.faults = {2: "500"}
    report, sleeps, lines = _run(portal, tmp_path)
    posts = portal.posts("service-results")
    assert posts[1]["body"] == posts[2]["body"]  # the same request again
    assert sleeps[:2] == [0.5, 7.0]
    assert lines[1] == (
        "#2 H21 2026 service-results trang 1: lỗi: máy chủ trả lời HTTP 500; thử lại sau 7 giây"
    )
    assert report.skipped == []
    assert (report.folder / "H21/2026/service-results-page-1.json").read_bytes() == portal.sent[3]
    failed = _csv(report.folder / "requests.csv")[1]
    assert failed["status"] == "500" and failed["file"] == "" and "HTTP 500" in failed["error"]


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("not-ok", "code = 'ERROR' (Hệ thống bận)"),
        ("bad-json", "không phải JSON hợp lệ"),
        ("gzip", "phản hồi nén (gzip)"),
        ("redirect", "HTTP 302"),
        ("big", "lớn hơn 0.25 MB"),
    ],
)
def test_what_counts_as_a_failed_request(portal, tmp_path, kind, problem):
    portal.faults = {2: kind}
    report, _, lines = _run(portal, tmp_path, max_bytes=256 * 1024)
    assert problem in lines[1]
    assert len(portal.posts()) == 1 + 1 + 3 * 7  # the retry, then every page as usual
    assert report.skipped == []
    assert all(r["path"].startswith(API) for r in portal.requests)  # no redirect followed


def test_a_timeout_is_a_failed_request(portal, tmp_path):
    portal.faults = {2: "slow"}
    report, _, lines = _run(portal, tmp_path, timeout=0.3)
    assert "quá 0.3 giây" in lines[1]
    assert report.skipped == []


def test_a_request_failing_twice_is_skipped_with_every_page_of_its_endpoint(portal, tmp_path):
    # service-results: pages 1 (request 2) and 2 (3) come, page 3 fails twice (4, 5)
    portal.faults = {4: "500", 5: "not-ok"}
    report, sleeps, _ = _run(portal, tmp_path)
    assert report.skipped == ["H21 2026 service-results trang 3"]
    files = {r["file"] for r in report.files}
    assert not any("service-results-page" in f for f in files)  # no partial unit list
    assert "H21/2026/transparency-page-3.json" in files  # the run went on
    assert sleeps[3] == 7.0 and sleeps[4] == 0.5
    logged = _csv(report.folder / "requests.csv")
    assert [r["error"] for r in logged[1:3]] == ["bỏ: trang 3 không lấy được"] * 2
    assert all(r["file"] == "" for r in logged[1:5])


def test_the_run_stops_after_max_errors_failures_in_a_row(portal, tmp_path):
    out = tmp_path / "portal"
    earlier = out / "2026-10-09"
    earlier.mkdir(parents=True)
    (earlier / "manifest.csv").write_text("file,captured_at,time_type,year,period\n")
    today = out / "2026-10-10"  # the same day captured before: stays as it was
    today.mkdir()
    (today / "keep.json").write_text("{}")
    portal.faults = {2: "500", 3: "bad-json", 4: "500", 5: "500"}
    # 2 fails, 3 (its retry) fails: skipped; 4 (the next page) fails: third in a row
    with pytest.raises(InputError) as caught:
        _run(portal, out, max_errors=3)
    message = str(caught.value)
    assert message.startswith("cổng dịch vụ công (127.0.0.1:")
    assert "3 yêu cầu lỗi liên tiếp" in message and "HTTP 500" in message
    assert "\n" not in message
    assert len(portal.posts()) == 4  # nothing after the stop
    assert _tree(out) == {
        "2026-10-09",
        "2026-10-09/manifest.csv",
        "2026-10-10",
        "2026-10-10/keep.json",
    }


def test_a_lower_max_errors_stops_sooner_and_without_a_retry(portal, tmp_path):
    portal.faults = {2: "500"}
    with pytest.raises(InputError, match="1 yêu cầu lỗi liên tiếp"):
        _run(portal, tmp_path, max_errors=1)
    assert len(portal.posts()) == 2
    assert _tree(tmp_path) == set()


def test_the_national_ranking_is_needed_to_find_the_provinces(portal, tmp_path):
    portal.faults = {1: "500", 2: "500"}
    with pytest.raises(InputError) as caught:
        _run(portal, tmp_path)
    assert str(caught.value).endswith(
        ": không đọc được bảng xếp hạng toàn quốc 2026 (máy chủ trả lời HTTP 500); "
        "dữ liệu đã lấy trước giữ nguyên"
    )
    assert _tree(tmp_path) == set()


def test_a_province_missing_from_the_national_ranking_stops_the_run(portal, tmp_path):
    plan = plan_from_config(["H21", "Hà Giang"], ["2026"], today=TODAY)
    with pytest.raises(InputError, match="không thấy tỉnh/thành phố 'Hà Giang'"):
        _run(portal, tmp_path, plan)
    assert len(portal.posts()) == 1
    assert _tree(tmp_path) == set()


def test_provinces_by_name_with_or_without_marks(portal, tmp_path):
    plan = plan_from_config(
        ["thành phố hồ chí minh", "Dong Thap", "UBND tỉnh Gia Lai"], ["2026"], today=TODAY
    )
    report, _, _ = _run(portal, tmp_path, plan, max_errors=99)
    assert list(report.provinces) == ["H29", "H20", "H21"]


def test_the_same_day_captured_again_replaces_it_and_the_index_lists_every_day(portal, tmp_path):
    out = tmp_path / "portal"
    plan = plan_from_config([], ["2026"], today=TODAY)
    _run(portal, out, plan, clock=lambda: NOW - dt.timedelta(days=1))
    (out / "2026-10-10").mkdir()
    (out / "2026-10-10" / "old.json").write_text("{}")
    report, _, _ = _run(portal, out, plan)
    assert _tree(report.folder) == {
        "manifest.csv",
        "requests.csv",
        "national",
        "national/2026",
        "national/2026/service-results.json",
    }
    index = _csv(out / "manifest.csv")
    assert [(r["file"], r["captured_at"]) for r in index] == [
        ("2026-10-09/national/2026/service-results.json", "2026-10-09T07:00:13Z"),
        ("2026-10-10/national/2026/service-results.json", "2026-10-10T07:00:13Z"),
    ]


def test_a_stale_new_folder_is_removed(portal, tmp_path):
    (tmp_path / "2026-10-10.new" / "H21").mkdir(parents=True)
    _run(portal, tmp_path, plan_from_config([], ["2026"], today=TODAY))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-10-10", "manifest.csv"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.org/api/", "phải bắt đầu bằng https://"),
        ("https://user:secret@example.org/api/", "tên đăng nhập"),
        ("ftp://127.0.0.1/", "phải bắt đầu bằng https://"),
        ("https:///api", "không hợp lệ"),
    ],
)
def test_base_urls_refused(tmp_path, url, problem):
    plan = plan_from_config([], ["2026"], today=TODAY)
    with pytest.raises(InputError, match=problem):
        collect(plan, tmp_path, base_url=url, sleep=Sleeps(), clock=lambda: NOW)
    assert _tree(tmp_path) == set()


def test_the_default_user_agent_names_the_project_and_its_address():
    agent = fetch.default_user_agent("https://minhbach.example/")
    assert re.fullmatch(r"minhbach/\d+\.\d+\.\d+ \(\+https://minhbach\.example/\)", agent)


# --------------------------------------------------------------------------------------------
# The plan from config values


def test_plan_from_config_values():
    plan = plan_from_config(
        [" h21 ", "Gia Lai", "H21"],
        ["2026", "2026-Q3", "2026-09", "2026-q3", "last-month", "current-quarter", "current-year"],
        today=TODAY,
    )
    assert plan.provinces == ("H21", "Gia Lai")
    assert plan.periods == (
        Period("year", 2026),
        Period("quarter", 2026, 3),
        Period("month", 2026, 9),
        Period("quarter", 2026, 4),
    )
    assert plan.endpoints == fetch.ENDPOINTS
    assert plan.page_size == fetch.PAGE_SIZE
    january = dt.date(2027, 1, 15)
    assert plan_from_config([], ["last-month", "last-quarter"], today=january).periods == (
        Period("month", 2026, 12),
        Period("quarter", 2026, 4),
    )


def test_period_days():
    assert Period("quarter", 2026, 1).date_fields() == {
        "fromDate": "2026-01-01",
        "toDate": "2026-03-31",
    }
    assert Period("month", 2028, 2).last_day == dt.date(2028, 2, 29)
    assert Period("year", 2026).last_day == dt.date(2026, 12, 31)
    assert [Period("month", 2026, 9).label, Period("quarter", 2026, 3).label] == [
        "2026-09",
        "2026-Q3",
    ]


@pytest.mark.parametrize(
    ("periods", "problem"),
    [
        (["2026-10"], "tháng 2026-10 chưa kết thúc"),
        (["2026-13"], "kỳ '2026-13' không hợp lệ"),
        (["2026-Q5"], "không hợp lệ"),
        (["26"], "không hợp lệ"),
        (["tháng trước"], "không hợp lệ"),
        (["2027"], "kỳ 2027 chưa bắt đầu"),
        (["2026-11"], "kỳ 2026-11 chưa bắt đầu"),
        ([], "chưa nêu kỳ nào"),
    ],
)
def test_plan_periods_refused(periods, problem):
    with pytest.raises(InputError, match=re.escape(problem)):
        plan_from_config(["H21"], periods, today=TODAY)


def test_a_month_is_taken_the_day_after_it_ended_in_vietnam(tmp_path, capsys):
    assert plan_from_config([], ["2026-09"], today=dt.date(2026, 10, 1)).periods
    with pytest.raises(InputError, match="chưa kết thúc"):
        plan_from_config([], ["2026-09"], today=dt.date(2026, 9, 30))
    # 17:30 UTC on 30 September is 00:30 on 1 October in Vietnam
    late = dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC)
    args = ["--period", "2026-09", "--base-url", "http://example.org/", "--out", str(tmp_path)]
    fetch.main(args, clock=lambda: late)
    assert "tháng" not in capsys.readouterr().err  # the plan passed; the address did not
    fetch.main(args, clock=lambda: late - dt.timedelta(hours=1))
    assert "tháng 2026-09 chưa kết thúc" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"provinces": [""]}, "trống"),
        ({"endpoints": ["service-results", "ranking"]}, "điểm truy cập không có: ranking"),
        ({"endpoints": []}, "(trống)"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_plan_values_refused(kwargs, problem):
    values = {"provinces": ["H21"], "periods": ["2026"], "today": TODAY, **kwargs}
    with pytest.raises(InputError, match=re.escape(problem)):
        plan_from_config(values.pop("provinces"), values.pop("periods"), **values)


# --------------------------------------------------------------------------------------------
# The command


def _main(portal, args, capsys, **options):
    options = {"sleep": Sleeps(), "clock": lambda: NOW, **options}
    try:
        code = fetch.main([*args, "--base-url", portal.base_url], **options)
    except SystemExit as exc:  # argparse's errors (one lỗi line, as build.py)
        code = exc.code
    return code, capsys.readouterr()


def test_command_collects_and_prints_one_line_per_request(portal, tmp_path, capsys):
    args = ["--province", "H21", "--year", "2026", "--month", "9", "--out", str(tmp_path)]
    args += ["--endpoint", "service-results", "transparency", "--page-size", "5", "--pause", "0"]
    code, out = _main(portal, args, capsys)
    assert code == 0
    lines = out.err.splitlines()
    assert len(lines) == len(portal.posts()) + 1 == 1 + 2 + 2 + 1
    assert lines[0].startswith("#1 toàn quốc 2026-09 service-results: HTTP 200")
    assert lines[-1] == f"đã lưu 5 phản hồi (5 yêu cầu) vào {tmp_path / '2026-10-10'}"
    assert portal.posts()[0]["body"]["month"] == 9
    assert out.out == ""
    assert portal.problems == []


def test_command_failure_is_one_line_and_exit_2(portal, tmp_path, capsys):
    portal.faults = {n: "500" for n in range(1, 10)}
    code, out = _main(portal, ["--province", "H21", "--out", str(tmp_path)], capsys)
    assert code == 2
    last = out.err.splitlines()[-1]
    assert last.startswith("lỗi: cổng dịch vụ công (127.0.0.1:")
    assert "bảng xếp hạng toàn quốc 2026" in last
    assert "Traceback" not in out.err
    assert len(portal.posts()) == 2  # the national ranking and its one retry
    assert _tree(tmp_path) == set()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--month", "10"], "tháng 2026-10 chưa kết thúc"),
        (["--quarter", "5"], "tham số dòng lệnh"),
        (["--province", "H99"], "không thấy tỉnh/thành phố 'H99'"),
        (["--pause", "-1"], "--pause"),
    ],
)
def test_command_bad_input(portal, tmp_path, capsys, args, problem):
    code, out = _main(portal, [*args, "--out", str(tmp_path)], capsys)
    assert code == 2
    assert out.err.count("\n") == 1 + (len(portal.posts()))  # request lines, then lỗi
    assert out.err.splitlines()[-1].startswith("lỗi: ") and problem in out.err
    assert _tree(tmp_path) == set()


def test_command_refuses_plain_http_to_another_host(tmp_path, capsys):
    code = fetch.main(["--base-url", "http://example.org/", "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err == ("lỗi: --base-url: địa chỉ phải bắt đầu bằng https://\n")


# --------------------------------------------------------------------------------------------
# The real captures


@pytest.mark.skipif(not REAL.is_dir(), reason="data/real/portal-766 is not in this checkout")
def test_replays_the_real_captures(tmp_path):
    national = (REAL / "national_2026-09-17.json").read_bytes()
    agencies = json.loads((REAL / "gia-lai" / "agencies_2026-10-10.json").read_bytes())
    communes = json.loads((REAL / "gia-lai" / "communes_2026-10-10.json").read_bytes())
    replay = Replay(national, agencies["agencies"] + communes["communes"], agencies["overview"])
    server, thread = _serve(replay)
    try:
        plan = plan_from_config(
            ["Gia Lai"], ["2026"], endpoints=["service-results"], page_size=100, today=TODAY
        )
        report, _, _ = _run(replay, tmp_path, plan)
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
