"""Collecting the portal's published Decision 766 evaluation (portal.md, "Where the files come
from"), politely, and saving every response exactly as received.

``collect(plan, out_dir)`` asks the national public-service portal's public evaluation endpoints
(``POST <base>/evaluation/<endpoint>`` with a JSON body) for the periods and provinces of a
``FetchPlan``. For each period it first reads the national ranking (``service-results`` with
``{"timeType", "year", [quarter|month], "departmentType": "ADMINISTRATIVE_UNIT"}``), which gives
every province's ``departmentId``; a province named by code (``H21``) or by name (``Gia Lai``) is
resolved there to the ``rootDepartmentId`` of its requests. Then, per province, each endpoint of
the plan: ``service-results`` (the province's units) and the six group endpoints, page after page
(``currentPage``, ``pageSize``) until a page is short or brings no unit not seen before.
``handling-satisfaction`` takes ``fromDate``/``toDate`` (the period's first and last day) instead of
``timeType``.

Saved layout (one folder per capture day, UTC)::

    <out>/<YYYY-MM-DD>/national/<period>/service-results.json
    <out>/<YYYY-MM-DD>/<H21>/<period>/<endpoint>-page-<n>.json
    <out>/<YYYY-MM-DD>/manifest.csv   file,captured_at,time_type,year,period (what the reader
                                      needs), then province (H21 or national), endpoint, page
    <out>/<YYYY-MM-DD>/requests.csv   every request made: URL, exact body, status, size, sha256…
    <out>/manifest.csv                the same rows for every capture day (file = <day>/<path>)

Periods are written ``2026``, ``2026-Q3``, ``2026-09``; the manifest's ``period`` is the quarter or
month number (empty for a year), as the crawlers' ``metadata.period``. The request bodies are kept
in ``requests.csv`` rather than as ``.request.json`` files beside the responses, because the reader
recognises every JSON file of the folder by its shape and a request body has none it knows.

A run writes into ``<out>/<day>.new/``, which replaces ``<out>/<day>/`` (the same day captured
again) only when the run succeeded; a failed or interrupted run removes it and leaves every earlier
capture as it was.

Politeness: one request at a time; ``pause`` seconds before every request but the first; a
User-Agent naming the project and its address (``minhbach/<version> (+<url>)``); a timeout per
request; no cookies, no credentials, no redirects followed (a redirect is an error); a body larger
than ``max_bytes`` is refused. A response is good when it is HTTP 200 or 201 (the portal answers its
POSTs with 201 Created) with a JSON body whose ``code`` is ``"OK"``. A failed request is retried
once, after ``retry_pause`` seconds, never more. A request that fails twice is skipped (with every
page of its endpoint for that province and period, so that no saved set is partial) and reported;
after ``max_errors`` failed requests in a row (retries included) the run stops: exit code 2,
nothing saved. The national ranking of the first period is needed to resolve the provinces: without
it the run stops. A run that only skipped some requests succeeds (exit code 0): its last line counts
them and ``requests.csv`` gives each one's error.

What ``read.py`` reads today: the national rankings and the provinces' ``service-results`` pages.
The six group endpoints' raw responses (``data.evaluation`` without ``childGroup``, or a tree under
``data.children``) are not among its shapes yet; ask for ``service-results`` only until they are.

``python -m minhbach.portal.fetch --province H21 --year 2026 --quarter 3 --out data/portal``
prints one line per request on stderr, and on failure one ``lỗi: …`` line with exit code 2.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import os
import re
import signal
import socket
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import BuildError, InputError
from ..publish.fetch import OneLineParser, remove, swap

# --------------------------------------------------------------------------------------------
# Settings

DEFAULT_BASE_URL = "https://dichvucong.gov.vn/api/v1/reporting/"
PROJECT_URL = "https://example.org/minhbach/"  # [province] site_url is the natural setting
DEFAULT_OUT = Path(__file__).resolve().parent.parent.parent / "data" / "portal"
PAUSE = 2.0  # seconds between two requests
RETRY_PAUSE = 20.0  # seconds before the one retry of a failed request
TIMEOUT = 60.0  # seconds for one request, connection to last byte
MAX_ERRORS = 3  # failed requests in a row (retries included) that stop the run
MAX_BYTES = 32 * 1024**2  # the largest response accepted (a province's details are ~1 MB)
PAGE_SIZE = 300  # units per page (the crawlers read Gia Lai's 149 units in one page of 300)
MAX_PAGES = 50  # pages of one endpoint, province and period before the run stops

NATIONAL = "national"  # folder of the national rankings
SERVICE_RESULTS = "service-results"
GROUP_ENDPOINTS = (
    "transparency",
    "dvc-progress-tree",
    "provide-online-tree",
    "formality-online-payment-tree",
    "dossier-digitized",
    "handling-satisfaction",
)
ENDPOINTS = (SERVICE_RESULTS, *GROUP_ENDPOINTS)
_DATES_ONLY = "handling-satisfaction"  # fromDate/toDate instead of timeType/year/quarter/month
_GOOD_STATUS = (200, 201)
_CHUNK = 256 * 1024
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROVINCE_CODE = re.compile(r"[Hh]\d{2}")
# the reader's five columns (portal.md), then where the response came from
MANIFEST_COLUMNS = (
    "file",
    "captured_at",
    "time_type",
    "year",
    "period",
    "province",
    "endpoint",
    "page",
)
REQUEST_COLUMNS = (
    "file",
    "captured_at",
    "method",
    "url",
    "request_body",
    "status",
    "bytes",
    "sha256",
    "province",
    "endpoint",
    "page",
    "time_type",
    "year",
    "period",
    "error",
)


def default_user_agent(project_url: str = PROJECT_URL) -> str:
    """The User-Agent every request carries: the project, its version and where to read about it."""
    return f"minhbach/{__version__} (+{project_url})"


# --------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class Period:
    """A period of the evaluation: a year, a quarter (1-4) or a month (1-12)."""

    time_type: str  # "year", "quarter" or "month"
    year: int
    number: int | None = None  # the quarter or the month; None for a year

    @property
    def label(self) -> str:
        if self.time_type == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.time_type == "month":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def first_day(self) -> dt.date:
        if self.time_type == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        if self.time_type == "month":
            return dt.date(self.year, self.number, 1)
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        month = {"quarter": 3 * (self.number or 0), "month": self.number or 0}.get(
            self.time_type, 12
        )
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def fields(self) -> dict:
        """The body members naming the period (timeType, year and quarter or month)."""
        body: dict = {"timeType": self.time_type, "year": self.year}
        if self.time_type in ("quarter", "month"):
            body[self.time_type] = self.number
        return body

    def date_fields(self) -> dict:
        """The body members of handling-satisfaction: the period's first and last day."""
        return {"fromDate": self.first_day.isoformat(), "toDate": self.last_day.isoformat()}


@dataclass(frozen=True)
class FetchPlan:
    """What to collect: provinces (portal codes such as ``H21`` or names), periods, endpoints."""

    provinces: tuple[str, ...]
    periods: tuple[Period, ...]
    endpoints: tuple[str, ...] = ENDPOINTS
    page_size: int = PAGE_SIZE


_WHERE_PLAN = "[portal]"

_PERIOD = re.compile(r"(\d{4})(?:-(?:[Qq]([1-4])|(\d{2})))?")
_RELATIVE = ("current-year", "current-quarter", "last-quarter", "last-month")


def parse_period(text: str, today: dt.date) -> Period:
    """``2026``, ``2026-Q3``, ``2026-09``, or one of current-year, current-quarter,
    last-quarter, last-month (relative to ``today``), checked against ``today``: a month only once
    it has ended, a year or quarter once it has begun (the current one is year-to-date)."""
    token = str(text).strip()
    quarter_now = (today.month - 1) // 3 + 1
    if token == "current-year":
        period = Period("year", today.year)
    elif token == "current-quarter":
        period = Period("quarter", today.year, quarter_now)
    elif token == "last-quarter":
        year, quarter = (today.year, quarter_now - 1) if quarter_now > 1 else (today.year - 1, 4)
        period = Period("quarter", year, quarter)
    elif token == "last-month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        period = Period("month", year, month)
    else:
        match = _PERIOD.fullmatch(token)
        month = int(match.group(3)) if match and match.group(3) else None
        if not match or int(match.group(1)) < 2000 or (month is not None and not 1 <= month <= 12):
            raise InputError(
                _WHERE_PLAN,
                f"kỳ {token[:40]!r} không hợp lệ (dùng 2026, 2026-Q3, 2026-09 hoặc "
                + ", ".join(_RELATIVE)
                + ")",
            )
        year = int(match.group(1))
        if match.group(2):
            period = Period("quarter", year, int(match.group(2)))
        elif month is not None:
            period = Period("month", year, month)
        else:
            period = Period("year", year)
    if period.first_day > today:
        raise InputError(_WHERE_PLAN, f"kỳ {period.label} chưa bắt đầu")
    if period.time_type == "month" and period.last_day >= today:
        raise InputError(
            _WHERE_PLAN, f"tháng {period.label} chưa kết thúc: chỉ lấy những tháng đã qua"
        )
    return period


def plan_from_config(
    provinces: Iterable[str],
    periods: Iterable[str],
    *,
    endpoints: Iterable[str] | None = None,
    page_size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> FetchPlan:
    """A plan from plain values, such as ``[portal] provinces = ["H21"]`` and
    ``periods = ["2026", "2026-Q3", "2026-09", "last-month"]``; ``today`` defaults to today in
    Vietnam (where the portal's days begin). Raises ``InputError`` naming the value at fault."""
    today = today or _vn_today(_utc_now())
    names: list[str] = []
    for value in provinces:
        if not isinstance(value, str) or not value.strip():
            raise InputError(_WHERE_PLAN, "tên hoặc mã tỉnh/thành phố trống")
        name = " ".join(value.split())
        name = name.upper() if _PROVINCE_CODE.fullmatch(name) else name
        if name not in names:
            names.append(name)
    chosen: list[Period] = []
    for value in periods:
        period = parse_period(value, today)
        if period not in chosen:
            chosen.append(period)
    if not chosen:
        raise InputError(_WHERE_PLAN, 'chưa nêu kỳ nào (ví dụ periods = ["2026"])')
    wanted = ENDPOINTS if endpoints is None else tuple(dict.fromkeys(endpoints))
    unknown = [e for e in wanted if e not in ENDPOINTS]
    if unknown or not wanted:
        raise InputError(
            _WHERE_PLAN,
            f"điểm truy cập không có: {', '.join(unknown) or '(trống)'} "
            f"(có: {', '.join(ENDPOINTS)})",
        )
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 1000:
        raise InputError(_WHERE_PLAN, "page_size phải từ 1 đến 1000")
    return FetchPlan(tuple(names), tuple(chosen), wanted, page_size)


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class CollectReport:
    """What a successful run did."""

    folder: Path  # the capture, in place
    captured_on: str  # its day, YYYY-MM-DD (UTC)
    requests: int = 0  # every request sent, retries included
    files: list[dict] = field(default_factory=list)  # manifest rows (file relative to folder)
    skipped: list[str] = field(default_factory=list)  # requests that failed twice, as shown
    provinces: dict[str, str] = field(default_factory=dict)  # code -> rootDepartmentId


# --------------------------------------------------------------------------------------------
# Requests


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed (the error handler then reports its 3xx status)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def default_opener() -> urllib.request.OpenerDirector:
    """urllib's opener without redirects (it has no cookie handler: nothing is stored or sent)."""
    return urllib.request.build_opener(_NoRedirects)


class _Failed(Exception):
    """One request that did not give a good response; ``problem`` is the Vietnamese reason."""

    def __init__(self, problem: str, status: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.status = status


class _Stop(Exception):
    """Too many failed requests in a row."""


@dataclass
class _Response:
    body: bytes
    status: int
    captured_at: str
    data: object  # the parsed "data" member
    entry: dict = field(default_factory=dict)  # its row of requests.csv


def _printable(text: str, limit: int = 80) -> str:
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_base_url(base_url: str) -> str:
    """The base address, ending with '/': https://, or http:// to this machine only (tests);
    never a login in it."""
    where = "--base-url"
    parts = urllib.parse.urlsplit(base_url)
    if parts.username or parts.password:
        raise InputError(where, "địa chỉ không được chứa tên đăng nhập hay mật khẩu")
    if parts.query or parts.fragment or not parts.hostname:
        raise InputError(where, f"địa chỉ {_printable(base_url)!r} không hợp lệ")
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise InputError(where, "địa chỉ phải bắt đầu bằng https://")
    return base_url if base_url.endswith("/") else base_url + "/"


class _Session:
    """Sends the requests of one run, one at a time, with the pauses, the single retry and the
    stop after too many failures in a row."""

    def __init__(
        self,
        *,
        base_url: str,
        user_agent: str,
        opener,
        timeout: float,
        pause: float,
        retry_pause: float,
        max_errors: int,
        max_bytes: int,
        sleep: Callable[[float], None],
        clock: Callable[[], dt.datetime],
        log: Callable[[str], None],
    ):
        self.base_url = base_url
        self.user_agent = user_agent
        self.opener = opener
        self.timeout = timeout
        self.pause = pause
        self.retry_pause = retry_pause
        self.max_errors = max_errors
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.clock = clock
        self.log = log
        self.where = f"cổng dịch vụ công ({urllib.parse.urlsplit(base_url).netloc})"
        self.sent = 0
        self.errors_in_a_row = 0
        self.last_problem = ""
        self.log_rows: list[dict] = []  # requests.csv

    def url(self, endpoint: str) -> str:
        return f"{self.base_url}evaluation/{endpoint}"

    def post(self, endpoint: str, body: dict, what: str, row: dict) -> _Response | None:
        """The good response to ``body``, or None when it failed twice (the run goes on);
        raises ``_Stop`` after ``max_errors`` failures in a row."""
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for attempt in (1, 2):
            if self.sent:  # never before the first request of the run
                self.sleep(self.retry_pause if attempt == 2 else self.pause)
            self.sent += 1
            entry = dict(
                row,
                method="POST",
                url=self.url(endpoint),
                request_body=payload.decode("utf-8"),
                file="",
            )
            self.log_rows.append(entry)
            try:
                response = self._send(endpoint, payload)
            except _Failed as exc:
                entry.update(
                    captured_at=_iso(self.clock()),
                    status="" if exc.status is None else exc.status,
                    error=exc.problem,
                )
                self.errors_in_a_row += 1
                self.last_problem = exc.problem
                again = attempt == 1 and self.errors_in_a_row < self.max_errors
                then = f"; thử lại sau {self.retry_pause:g} giây" if again else ""
                self.log(f"#{self.sent} {what}: lỗi: {exc.problem}{then}")
                if self.errors_in_a_row >= self.max_errors:
                    raise _Stop(
                        f"{self.errors_in_a_row} yêu cầu lỗi liên tiếp (lần cuối: {what}: "
                        f"{exc.problem}); đã dừng"
                    ) from None
                continue
            self.errors_in_a_row = 0
            entry.update(
                captured_at=response.captured_at,
                status=response.status,
                bytes=len(response.body),
                sha256=hashlib.sha256(response.body).hexdigest(),
                error="",
            )
            self.log(f"#{self.sent} {what}: HTTP {response.status}, {len(response.body)} byte")
            response.entry = entry
            return response
        return None

    def _send(self, endpoint: str, payload: bytes) -> _Response:
        request = urllib.request.Request(
            self.url(endpoint),
            data=payload,
            method="POST",
            headers={
                "User-Agent": self.user_agent,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        deadline = time.monotonic() + self.timeout
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise _Failed(f"máy chủ trả lời HTTP {exc.code}", exc.code) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Failed(_network_problem(exc, self.timeout)) from None
        with response:
            status = getattr(response, "status", None) or response.getcode()
            if status not in _GOOD_STATUS:
                raise _Failed(f"máy chủ trả lời HTTP {status}", status)
            encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
            if encoding != "identity":
                raise _Failed(f"phản hồi nén ({_printable(encoding, 20)}) dù không yêu cầu", status)
            length = (response.headers.get("Content-Length") or "").strip()
            if length.isdigit() and int(length) > self.max_bytes:
                raise _Failed(self._too_big(), status)
            chunks: list[bytes] = []
            total = 0
            try:
                while chunk := response.read(_CHUNK):
                    total += len(chunk)
                    if total > self.max_bytes:
                        raise _Failed(self._too_big(), status)
                    if time.monotonic() > deadline:
                        raise _Failed(f"quá {self.timeout:g} giây chưa nhận xong", status)
                    chunks.append(chunk)
            except (OSError, http.client.HTTPException) as exc:
                raise _Failed(_network_problem(exc, self.timeout), status) from None
        body = b"".join(chunks)
        captured_at = _iso(self.clock())
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _Failed("phản hồi không phải JSON hợp lệ", status) from None
        if not isinstance(parsed, dict) or parsed.get("code") != "OK":
            code = parsed.get("code") if isinstance(parsed, dict) else None
            message = parsed.get("message") if isinstance(parsed, dict) else None
            said = f" ({_printable(str(message))})" if message else ""
            raise _Failed(f"phản hồi có code = {_printable(str(code), 30)!r}{said}", status)
        if not isinstance(parsed.get("data"), dict | list):
            raise _Failed("phản hồi không có data", status)
        return _Response(body, status, captured_at, parsed["data"])

    def _too_big(self) -> str:
        return f"phản hồi lớn hơn {self.max_bytes / 1024**2:g} MB: không nhận"


def _network_problem(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", None)
    cause = reason if isinstance(reason, BaseException) else exc
    if isinstance(cause, socket.timeout | TimeoutError):
        return f"quá {timeout:g} giây không có trả lời"
    return f"không kết nối được ({type(cause).__name__})"


def _iso(moment: dt.datetime) -> str:
    """UTC, ISO 8601, to the second: 2026-10-10T07:00:13Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving


def _vn_today(moment: dt.datetime) -> dt.date:
    """The day in Vietnam at ``moment``: a month has ended once the portal's has."""
    return moment.astimezone(_VIETNAM).date()


# --------------------------------------------------------------------------------------------
# Reading what the responses say (only what the run needs: province ids, page contents)

_UNIT_LISTS = ("evaluation", "children", "agencies", "communes", "items", "content", "records")


def _units(data: object) -> list:
    """The list of units (or rows) of a response's data: the list itself or its first list."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _UNIT_LISTS:
            if isinstance(data.get(key), list):
                return data[key]
    return []


def _unit_key(item: object) -> str:
    if isinstance(item, dict):
        for key in ("departmentId", "departmentCode", "id", "code"):
            if item.get(key) not in (None, ""):
                return f"{key}={item[key]}"
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _name_key(name: str, *, strip_marks: bool = False) -> str:
    """A province name for matching: no 'UBND', 'tỉnh', 'thành phố', case or extra spaces."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"^\s*(ubnd\s+)?(tỉnh|thành phố|tp\.?)\s+", "", text)
    text = " ".join(text.split())
    if strip_marks:
        text = unicodedata.normalize("NFD", text.replace("đ", "d"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


def provinces_of(data: object) -> dict[str, tuple[str, str]]:
    """The national ranking's provinces: code (H21) -> (departmentId, departmentName)."""
    found = {}
    for item in _units(data):
        if not isinstance(item, dict):
            continue
        code, ident = item.get("departmentCode"), item.get("departmentId")
        if isinstance(code, str) and _PROVINCE_CODE.fullmatch(code) and isinstance(ident, str):
            found[code.upper()] = (ident, str(item.get("departmentName") or ""))
    return found


def resolve(province: str, table: dict[str, tuple[str, str]]) -> str:
    """The portal code of a province given by code or by name, or ``InputError``."""
    if _PROVINCE_CODE.fullmatch(province):
        if province.upper() in table:
            return province.upper()
    else:
        for strip in (False, True):
            wanted = _name_key(province, strip_marks=strip)
            hits = [c for c, (_, n) in table.items() if _name_key(n, strip_marks=strip) == wanted]
            if len(hits) == 1:
                return hits[0]
    raise InputError(
        _WHERE_PLAN,
        f"không thấy tỉnh/thành phố {_printable(province, 40)!r} trong bảng xếp hạng toàn quốc "
        f"của cổng (có {len(table)} mã, ví dụ {', '.join(sorted(table)[:3])})",
    )


# --------------------------------------------------------------------------------------------
# Collecting


def collect(
    plan: FetchPlan,
    out_dir: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    pause: float = PAUSE,
    retry_pause: float = RETRY_PAUSE,
    user_agent: str | None = None,
    opener=None,
    timeout: float = TIMEOUT,
    max_errors: int = MAX_ERRORS,
    max_bytes: int = MAX_BYTES,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], dt.datetime] = _utc_now,
    log: Callable[[str], None] | None = None,
) -> CollectReport:
    """Collect ``plan`` into ``out_dir/<day>/`` (see the module's docstring); raises
    ``InputError`` (one line, nothing written) when the run cannot complete."""
    if not plan.periods:
        raise InputError(_WHERE_PLAN, "chưa nêu kỳ nào")
    if max_errors < 1:
        raise InputError("--max-errors", "phải từ 1 trở lên")
    session = _Session(
        base_url=check_base_url(base_url),
        user_agent=user_agent or default_user_agent(),
        opener=opener if opener is not None else default_opener(),
        timeout=timeout,
        pause=pause,
        retry_pause=retry_pause,
        max_errors=max_errors,
        max_bytes=max_bytes,
        sleep=sleep,
        clock=clock,
        log=log or (lambda line: print(line, file=sys.stderr, flush=True)),
    )
    out_dir = Path(out_dir)
    day = clock().astimezone(dt.UTC).date().isoformat()
    target = out_dir / day
    staging = out_dir / f"{day}.new"
    remove(staging)  # left by a run that was killed before it could clean up
    report = CollectReport(folder=target, captured_on=day)
    try:
        staging.mkdir(parents=True)
        try:
            _run(plan, session, staging, report)
        except _Stop as exc:
            raise InputError(session.where, f"{exc}; dữ liệu đã lấy trước giữ nguyên") from None
        if not report.files:
            nothing = "không lấy được phản hồi nào; dữ liệu đã lấy trước giữ nguyên"
            raise InputError(session.where, nothing)
        _write_csv(staging / "manifest.csv", MANIFEST_COLUMNS, report.files)
        _write_csv(staging / "requests.csv", REQUEST_COLUMNS, session.log_rows)
        swap(staging, target)
    finally:
        remove(staging)
    report.requests = session.sent
    write_index(out_dir)
    return report


def _run(plan: FetchPlan, session: _Session, staging: Path, report: CollectReport) -> None:
    table: dict[str, tuple[str, str]] = {}
    codes: list[str] | None = None
    for period in plan.periods:
        common = {"time_type": period.time_type, "year": period.year, "period": period.number}
        row = dict(common, province=NATIONAL, endpoint=SERVICE_RESULTS, page="")
        body = dict(period.fields(), departmentType="ADMINISTRATIVE_UNIT")
        what = f"toàn quốc {period.label} {SERVICE_RESULTS}"
        response = session.post(SERVICE_RESULTS, body, what, row)
        if response is None:
            report.skipped.append(what)
        else:
            path = Path(NATIONAL, period.label, f"{SERVICE_RESULTS}.json")
            _save(staging, path, response, report)
            table.update(provinces_of(response.data))
        if codes is None:
            if not table:
                problem = f"không đọc được bảng xếp hạng toàn quốc {period.label}"
                if response is None:
                    problem += f" ({session.last_problem})"
                else:
                    problem += " (không có tỉnh/thành phố nào)"
                raise InputError(session.where, f"{problem}; dữ liệu đã lấy trước giữ nguyên")
            codes = list(dict.fromkeys(resolve(p, table) for p in plan.provinces))
            report.provinces = {code: table[code][0] for code in codes}
        for code in codes:
            root = report.provinces[code]
            for endpoint in plan.endpoints:
                _collect_pages(plan, session, staging, report, period, code, root, endpoint)


def _collect_pages(plan, session, staging, report, period, code, root, endpoint) -> None:
    """Every page of one endpoint for one province and period, saved only when all came."""
    if endpoint == _DATES_ONLY:
        base = dict(period.date_fields(), rootDepartmentId=root)
    elif endpoint == SERVICE_RESULTS:
        base = dict(period.fields(), departmentType="ADMINISTRATIVE_UNIT", rootDepartmentId=root)
    else:
        base = dict(period.fields(), rootDepartmentId=root)
    common = {"time_type": period.time_type, "year": period.year, "period": period.number}
    pages: list[_Response] = []
    seen: set[str] = set()
    for number in range(1, MAX_PAGES + 1):
        body = dict(base, currentPage=number, pageSize=plan.page_size)
        what = f"{code} {period.label} {endpoint} trang {number}"
        row = dict(common, province=code, endpoint=endpoint, page=number)
        response = session.post(endpoint, body, what, row)
        if response is None:
            report.skipped.append(what)
            for earlier in pages:
                earlier.entry["error"] = f"bỏ: trang {number} không lấy được"
            return
        pages.append(response)
        keys = {_unit_key(item) for item in _units(response.data)}
        new = keys - seen
        seen |= keys
        if len(_units(response.data)) < plan.page_size or not new:
            break
    else:
        raise InputError(
            f"cổng dịch vụ công ({code} {period.label} {endpoint})",
            f"hơn {MAX_PAGES} trang: dừng để không hỏi mãi",
        )
    for number, response in enumerate(pages, start=1):
        path = Path(code, period.label, f"{endpoint}-page-{number}.json")
        _save(staging, path, response, report)


def _save(staging: Path, relative: Path, response: _Response, report: CollectReport) -> None:
    dest = staging / relative
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("xb") as out:
        out.write(response.body)
    entry = response.entry
    entry["file"] = relative.as_posix()
    report.files.append(
        {
            "file": relative.as_posix(),
            "captured_at": response.captured_at,
            "time_type": entry["time_type"],
            "year": entry["year"],
            "period": entry["period"],
            "province": entry["province"],
            "endpoint": entry["endpoint"],
            "page": entry["page"],
        }
    )


# --------------------------------------------------------------------------------------------
# Files


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def write_index(out_dir: Path) -> Path | None:
    """``<out>/manifest.csv``: the manifest rows of every capture day, paths from ``out_dir``."""
    out_dir = Path(out_dir)
    rows: list[dict] = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and _DAY.fullmatch(p.name)):
        manifest = folder / "manifest.csv"
        if not manifest.is_file():
            continue
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(dict(row, file=f"{folder.name}/{row.get('file', '')}"))
    if not rows:
        return None
    index = out_dir / "manifest.csv"
    _write_csv(index, MANIFEST_COLUMNS, rows)
    return index


# --------------------------------------------------------------------------------------------
# Command line


def _stop_on_signal(signum, frame):  # noqa: ARG001 - signal handler
    raise KeyboardInterrupt


def _periods_from_args(args, today: dt.date) -> list[str]:
    periods = list(args.period or [])
    year = args.year if args.year is not None else today.year
    periods += [f"{year}-Q{q}" for q in args.quarter or []]
    periods += [f"{year}-{m:02d}" for m in args.month or []]
    if not periods or (args.year is not None and not (args.quarter or args.month)):
        periods.append(str(year))
    return periods


def main(argv: list[str] | None = None, **collect_options) -> int:
    parser = OneLineParser(
        prog="python -m minhbach.portal.fetch",
        description="Lấy kết quả đánh giá theo Quyết định 766 từ Cổng Dịch vụ công quốc gia.",
    )
    parser.add_argument(
        "--province",
        action="extend",
        nargs="+",
        default=[],
        help="mã (H21) hoặc tên tỉnh/thành phố; nhiều tỉnh: lặp lại hoặc liệt kê",
    )
    parser.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    parser.add_argument(
        "--quarter", type=int, action="extend", nargs="+", choices=range(1, 5), help="quý 1-4"
    )
    parser.add_argument(
        "--month", type=int, action="extend", nargs="+", choices=range(1, 13), help="tháng 1-12"
    )
    parser.add_argument(
        "--period",
        action="extend",
        nargs="+",
        help="kỳ: 2026, 2026-Q3, 2026-09, current-year, current-quarter, last-quarter, last-month",
    )
    parser.add_argument(
        "--endpoint", action="extend", nargs="+", choices=ENDPOINTS, help="mặc định: tất cả"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="thư mục lưu (mặc định: data/portal/)"
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="địa chỉ gốc của API")
    parser.add_argument("--project-url", default=PROJECT_URL, help="địa chỉ ghi trong User-Agent")
    parser.add_argument("--pause", type=float, default=PAUSE, help="số giây nghỉ giữa hai yêu cầu")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="số giây chờ một yêu cầu")
    parser.add_argument(
        "--max-errors", type=int, default=MAX_ERRORS, help="dừng sau chừng ấy lỗi liên tiếp"
    )
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="số đơn vị mỗi trang")
    args = parser.parse_args(argv)
    if args.pause < 0 or args.timeout <= 0:
        parser.error("--pause phải >= 0 và --timeout phải > 0")
    clock = collect_options.get("clock", _utc_now)
    today = _vn_today(clock())
    previous = signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        plan = plan_from_config(
            args.province,
            _periods_from_args(args, today),
            endpoints=args.endpoint,
            page_size=args.page_size,
            today=today,
        )
        options = {
            "base_url": args.base_url,
            "pause": args.pause,
            "timeout": args.timeout,
            "max_errors": args.max_errors,
            "user_agent": default_user_agent(args.project_url),
            **collect_options,
        }
        report = collect(plan, args.out, **options)
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"lỗi: {where}không ghi được ({exc.strerror or type(exc).__name__}); "
            "dữ liệu đã lấy trước giữ nguyên",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("lỗi: đã dừng theo yêu cầu; dữ liệu đã lấy trước giữ nguyên", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    skipped = f"; {len(report.skipped)} yêu cầu bỏ qua sau hai lần lỗi" if report.skipped else ""
    print(
        f"đã lưu {len(report.files)} phản hồi ({report.requests} yêu cầu) vào "
        f"{report.folder}{skipped}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
