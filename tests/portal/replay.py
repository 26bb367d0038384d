"""A local stand-in for the portal's evaluation endpoints: it replays portal responses, checks
every request (User-Agent, body, one at a time) and fails some requests on purpose. Only
127.0.0.1 is ever contacted.

The replayed responses are small hand-made bodies shaped like the real captures (national ranking:
``data.evaluation`` of provinces with their real ids; a province's units: ``data.evaluation`` with
``childGroup``); the real files themselves are replayed when ``data/real/portal-766/`` is in the
repository.
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

from minhbach.portal import plan as portal_plan
from minhbach.portal.collect import collect
from minhbach.portal.plan import plan_from_config

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "data" / "real" / "portal-766"
NOW = dt.datetime(2026, 10, 10, 7, 0, 13, tzinfo=dt.UTC)
TODAY = NOW.date()
GIA_LAI = "019d2be3-6a85-74ec-a346-6489e82ae4c7"  # the real id of UBND tỉnh Gia Lai
UA = re.compile(r"minhbach/\d+\.\d+\.\d+ \(\+https?://\S+\)")
API = "/api/v1/reporting/evaluation/"


def dump(value) -> bytes:
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


def make_units(count: int) -> list[dict]:
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
            return 201, dump({"code": "ERROR", "message": "Hệ thống bận", "data": None}), {}
        if fault == "bad-json":
            return 201, b'{"code": "OK", "data": {"evaluation": [', {}
        if fault == "slow":
            time.sleep(1.0)
        if fault == "big":
            return 201, dump({"code": "OK", "data": {"pad": "x" * 300_000}}), {}
        if fault == "gzip":
            body = gzip.compress(dump({"code": "OK", "data": {}}))
            return 201, body, {"Content-Encoding": "gzip"}
        if fault == "redirect":
            return 302, b"", {"Location": "http://127.0.0.1:9/elsewhere"}
        if endpoint == portal_plan.SERVICE_RESULTS and "rootDepartmentId" not in body:
            return 200, self.national, {}  # as in the capture: HTTP 200 here, 201 below
        if body.get("rootDepartmentId") != GIA_LAI:
            return 201, dump({"code": "OK", "data": {"evaluation": []}}), {}
        page, size = body.get("currentPage"), body.get("pageSize")
        units = self.units
        if endpoint not in self.ignore_paging:
            units = units[(page - 1) * size : page * size]
        if endpoint == portal_plan.SERVICE_RESULTS:
            data = {"overview": self.overview, "evaluation": units}
        elif endpoint.endswith("-tree"):
            data = {"departmentId": GIA_LAI, "children": [score(u) for u in units]}
        else:
            data = {"evaluation": [score(u) for u in units]}
        return 201, dump({"code": "OK", "data": data, "message": "OK"}), {}

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
        if endpoint not in portal_plan.ENDPOINTS:
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


def score(unit: dict) -> dict:
    return {k: unit[k] for k in ("departmentId", "departmentCode", "departmentName")} | {
        "score": 9.5
    }


def _handler(replay: Replay):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def serve(self, method: str):
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
            self.serve("POST")

        def do_GET(self):  # noqa: N802
            self.serve("GET")

    return Handler


def serve(replay: Replay):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    server.daemon_threads = True
    replay.server = server
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, thread


class Sleeps(list):
    """A sleep that only remembers how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(portal: Replay, out: Path, plan=None, **options):
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


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
