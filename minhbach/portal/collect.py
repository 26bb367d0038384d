"""One collection of the portal's published Decision 766 evaluation, every response saved exactly
as received (portal.md, "Where the files come from").

``collect(plan, out_dir)`` asks the portal's public evaluation endpoints, through the polite
client (``client.py``), for the periods and provinces of a ``FetchPlan``. For each period it first
reads the national ranking (``service-results`` with ``{"timeType", "year", [quarter|month],
"departmentType": "ADMINISTRATIVE_UNIT"}``), which gives every province's ``departmentId``; a
province named by code (``H21``) or by name (``Gia Lai``) is resolved there to the
``rootDepartmentId`` of its requests. Then, per province, each endpoint of the plan, page after
page (``currentPage``, ``pageSize``) until a page is short or brings no unit not seen before.
``handling-satisfaction`` takes ``fromDate``/``toDate`` (the period's first and last day) instead of
``timeType``.

Saved layout (one folder per capture day, UTC)::

    <out>/<YYYY-MM-DD>/national/<period>/service-results.json
    <out>/<YYYY-MM-DD>/<H21>/<period>/service-results-page-<n>.json
    <out>/<YYYY-MM-DD>/.raw/<H21>/<period>/<endpoint>-page-<n>.json   the six group endpoints
    <out>/<YYYY-MM-DD>/manifest.csv   file,captured_at,time_type,year,period (what the reader
                                      needs), then province (H21 or national), endpoint, page
    <out>/<YYYY-MM-DD>/requests.csv   every request made: URL, exact body, status, size, sha256…
    <out>/manifest.csv                the reader's index: the rows of every capture day
                                      (file = <day>/<path>), the .raw/ files left out

The build reads ``<out>`` as its ``portal/`` input (``read.py``). The six group endpoints' raw
responses (``data.evaluation`` without ``childGroup``, or a tree under ``data.children``) are not
among the reader's shapes yet: they are kept under ``.raw/``, which the reader skips as it skips
every hidden file and folder, and are left out of ``<out>/manifest.csv`` (whose every row must name
a file the reader reads). Periods are written ``2026``, ``2026-Q3``, ``2026-09``; the manifest's
``period`` is the quarter or month number (empty for a year), as the crawlers' ``metadata.period``.
The request bodies are kept in ``requests.csv`` rather than as ``.request.json`` files beside the
responses, because the reader recognises every JSON file of the folder by its shape and a request
body has none it knows.

A run writes into ``<out>/.<day>.new/`` (hidden from the reader), which replaces ``<out>/<day>/``
(the same day captured again) only when the run succeeded; a failed or interrupted run removes it
and leaves every earlier capture as it was.

A request that fails twice is skipped (with every page of its endpoint for that province and
period, so that no saved set is partial) and reported; after ``max_errors`` failed requests in a
row the run stops, nothing saved. The national ranking of the first period is needed to resolve
the provinces: without it the run stops. A run that only skipped some requests succeeds: its
report counts them and ``requests.csv`` gives each one's error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..publish.fetch import remove, swap
from .client import (
    DEFAULT_BASE_URL,
    MAX_BYTES,
    MAX_ERRORS,
    PAUSE,
    RETRY_PAUSE,
    TIMEOUT,
    Response,
    Session,
    Stop,
    check_base_url,
    default_opener,
    default_user_agent,
    printable,
)
from .plan import PROVINCE_CODE, READABLE_ENDPOINTS, SERVICE_RESULTS, FetchPlan, Period, utc_now

MAX_PAGES = 50  # pages of one endpoint, province and period before the run stops
NATIONAL = "national"  # folder of the national rankings
RAW = ".raw"  # folder of the responses the reader does not know (hidden from it)
MANIFEST = "manifest.csv"
REQUESTS = "requests.csv"
_DATES_ONLY = "handling-satisfaction"  # fromDate/toDate instead of timeType/year/quarter/month
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
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
        if isinstance(code, str) and PROVINCE_CODE.fullmatch(code) and isinstance(ident, str):
            found[code.upper()] = (ident, str(item.get("departmentName") or ""))
    return found


def resolve(province: str, table: dict[str, tuple[str, str]], where: str = "[portal]") -> str:
    """The portal code of a province given by code or by name, or ``InputError``."""
    if PROVINCE_CODE.fullmatch(province):
        if province.upper() in table:
            return province.upper()
    else:
        for strip in (False, True):
            wanted = _name_key(province, strip_marks=strip)
            hits = [c for c, (_, n) in table.items() if _name_key(n, strip_marks=strip) == wanted]
            if len(hits) == 1:
                return hits[0]
    raise InputError(
        f"{where} provinces",
        f"không thấy tỉnh/thành phố {printable(province, 40)!r} trong bảng xếp hạng toàn quốc "
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
    clock: Callable[[], dt.datetime] = utc_now,
    log: Callable[[str], None] | None = None,
) -> CollectReport:
    """Collect ``plan`` into ``out_dir/<day>/`` (see the module's docstring); raises
    ``InputError`` (one line, nothing written) when the run cannot complete."""
    if not plan.periods:
        raise InputError(f"{plan.where} periods", "chưa nêu kỳ nào")
    if max_errors < 1:
        raise InputError("--max-errors", "phải từ 1 trở lên")
    session = Session(
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
    report = CollectReport(folder=out_dir / day, captured_on=day)
    staging = out_dir / f".{day}.new"  # hidden: the reader never sees a capture in progress
    remove(staging)  # left by a run that was killed before it could clean up
    try:
        staging.mkdir(parents=True)
        try:
            _run(plan, session, staging, report)
        except Stop as exc:
            raise InputError(session.where, f"{exc}; dữ liệu đã lấy trước giữ nguyên") from None
        if not report.files:
            nothing = "không lấy được phản hồi nào; dữ liệu đã lấy trước giữ nguyên"
            raise InputError(session.where, nothing)
        write_csv(staging / MANIFEST, MANIFEST_COLUMNS, report.files)
        write_csv(staging / REQUESTS, REQUEST_COLUMNS, session.log_rows)
        swap(staging, report.folder, out_dir / f".{day}.old")
    finally:
        remove(staging)
    report.requests = session.sent
    write_index(out_dir)
    return report


def _run(plan: FetchPlan, session: Session, staging: Path, report: CollectReport) -> None:
    table: dict[str, tuple[str, str]] = {}
    codes: list[str] | None = None
    for period in plan.periods:
        response = _national(session, staging, report, period)
        if response is not None:
            table.update(provinces_of(response.data))
        if codes is None:
            if not table:
                problem = f"không đọc được bảng xếp hạng toàn quốc {period.label}"
                if response is None:
                    problem += f" ({session.last_problem})"
                else:
                    problem += " (không có tỉnh/thành phố nào)"
                raise InputError(session.where, f"{problem}; dữ liệu đã lấy trước giữ nguyên")
            codes = list(dict.fromkeys(resolve(p, table, plan.where) for p in plan.provinces))
            report.provinces = {code: table[code][0] for code in codes}
        for code in codes:
            root = report.provinces[code]
            for endpoint in plan.endpoints:
                _collect_pages(plan, session, staging, report, period, code, root, endpoint)


def _period_row(period: Period) -> dict:
    return {"time_type": period.time_type, "year": period.year, "period": period.number}


def _national(session: Session, staging: Path, report: CollectReport, period: Period):
    """The national ranking of ``period``, saved; None when it failed twice."""
    row = dict(_period_row(period), province=NATIONAL, endpoint=SERVICE_RESULTS, page="")
    body = dict(period.fields(), departmentType="ADMINISTRATIVE_UNIT")
    what = f"toàn quốc {period.label} {SERVICE_RESULTS}"
    response = session.post(SERVICE_RESULTS, body, what, row)
    if response is None:
        report.skipped.append(what)
    else:
        _save(staging, Path(NATIONAL, period.label, f"{SERVICE_RESULTS}.json"), response, report)
    return response


def _first_body(period: Period, root: str, endpoint: str) -> dict:
    if endpoint == _DATES_ONLY:
        return dict(period.date_fields(), rootDepartmentId=root)
    if endpoint == SERVICE_RESULTS:
        return dict(period.fields(), departmentType="ADMINISTRATIVE_UNIT", rootDepartmentId=root)
    return dict(period.fields(), rootDepartmentId=root)


def _collect_pages(plan, session, staging, report, period, code, root, endpoint) -> None:
    """Every page of one endpoint for one province and period, saved only when all came."""
    base = _first_body(period, root, endpoint)
    pages: list[Response] = []
    seen: set[str] = set()
    for number in range(1, MAX_PAGES + 1):
        body = dict(base, currentPage=number, pageSize=plan.page_size)
        what = f"{code} {period.label} {endpoint} trang {number}"
        row = dict(_period_row(period), province=code, endpoint=endpoint, page=number)
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
    folder = Path(code) if endpoint in READABLE_ENDPOINTS else Path(RAW, code)
    for number, response in enumerate(pages, start=1):
        path = folder / period.label / f"{endpoint}-page-{number}.json"
        _save(staging, path, response, report)


def _save(staging: Path, relative: Path, response: Response, report: CollectReport) -> None:
    dest = staging / relative
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("xb") as out:
        out.write(response.body)
    entry = response.entry
    entry["file"] = relative.as_posix()
    report.files.append(
        {"file": relative.as_posix(), "captured_at": response.captured_at}
        | {key: entry[key] for key in MANIFEST_COLUMNS[2:]}
    )


# --------------------------------------------------------------------------------------------
# Files


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> None:
    """A CSV of ``rows`` (None as empty), written whole or not at all."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def hidden(relative: str) -> bool:
    """Whether a path (POSIX, relative) is in a hidden folder or is a hidden file: the reader
    skips it."""
    return any(part.startswith(".") for part in relative.split("/"))


def capture_days(out_dir: Path) -> list[Path]:
    """The capture days of a folder (``YYYY-MM-DD/`` with a manifest), oldest first."""
    return sorted(
        p
        for p in Path(out_dir).iterdir()
        if p.is_dir() and DAY.fullmatch(p.name) and (p / MANIFEST).is_file()
    )


def write_index(out_dir: Path) -> Path | None:
    """``<out>/manifest.csv``: the manifest rows of every capture day, paths from ``out_dir``,
    but those of hidden files (the reader skips them and checks every row against its files)."""
    out_dir = Path(out_dir)
    rows: list[dict] = []
    for folder in capture_days(out_dir):
        for row in read_csv(folder / MANIFEST):
            if not hidden(row.get("file", "")):
                rows.append(dict(row, file=f"{folder.name}/{row.get('file', '')}"))
    if not rows:
        return None
    index = out_dir / MANIFEST
    write_csv(index, MANIFEST_COLUMNS, rows)
    return index
