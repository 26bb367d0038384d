"""What a collection of the portal's evaluation asks for: provinces, periods and endpoints, from
plain values (``[portal]`` in minhbach.toml or the command line), checked against today.

Periods are written ``2026``, ``2026-Q3``, ``2026-09``, or relative to today: ``current-year``,
``current-quarter``, ``last-quarter``, ``last-month``. A month is taken only once it has ended in
Vietnam (where the portal's days begin); a year or quarter once it has begun (the current one is
year-to-date, as the portal computes it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import InputError
from . import periods

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
# What the reader (read.py) knows: the national ranking and the provinces' unit lists. The six
# group endpoints' raw responses are not among its shapes yet (see collect.RAW).
READABLE_ENDPOINTS = (SERVICE_RESULTS,)
PAGE_SIZE = 300  # units per page (the crawlers read Gia Lai's 149 units in one page of 300)
RELATIVE_PERIODS = ("current-year", "current-quarter", "last-quarter", "last-month")

_PERIOD = re.compile(r"(\d{4})(?:-(?:[Qq]([1-4])|(\d{2})))?")
PROVINCE_CODE = re.compile(r"[Hh]\d{2}")
_VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def vn_today(moment: dt.datetime) -> dt.date:
    """The day in Vietnam at ``moment``: a month has ended once the portal's has."""
    return moment.astimezone(_VIETNAM).date()


@dataclass(frozen=True)
class Period(periods.Period):
    """A period of the evaluation, as the reader knows it (a year, a quarter 1-4 or a month
    1-12), with the members naming it in a request's body."""

    number: int | None = None  # the quarter or the month; None for a year

    @property
    def label(self) -> str:
        return self.text

    @property
    def first_day(self) -> dt.date:
        return self.start

    @property
    def last_day(self) -> dt.date:
        return self.end

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
    where: str = "[portal]"  # where its values came from, for messages: "<where> provinces"


def period_problem(text: object) -> str | None:
    """Why ``text`` is not a period as written in the config (None: it is one). The calendar
    (has it begun, has the month ended) is checked when the plan is made."""
    if not isinstance(text, str):
        return 'mỗi kỳ phải là một chuỗi (ví dụ "2026-Q3")'
    token = text.strip()
    if token in RELATIVE_PERIODS:
        return None
    match = _PERIOD.fullmatch(token)
    month = int(match.group(3)) if match and match.group(3) else None
    if not match or int(match.group(1)) < 2000 or (month is not None and not 1 <= month <= 12):
        shown = " ".join(token.split())[:40]
        return (
            f"kỳ {shown!r} không hợp lệ (dùng 2026, 2026-Q3, 2026-09 hoặc "
            + ", ".join(RELATIVE_PERIODS)
            + ")"
        )
    return None


def _relative(token: str, today: dt.date) -> Period:
    quarter_now = (today.month - 1) // 3 + 1
    if token == "current-year":
        return Period("year", today.year)
    if token == "current-quarter":
        return Period("quarter", today.year, quarter_now)
    if token == "last-quarter":
        year, quarter = (today.year, quarter_now - 1) if quarter_now > 1 else (today.year - 1, 4)
        return Period("quarter", year, quarter)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return Period("month", year, month)


def parse_period(text: str, today: dt.date, where: str = "[portal] periods") -> Period:
    """``2026``, ``2026-Q3``, ``2026-09``, or one of current-year, current-quarter,
    last-quarter, last-month (relative to ``today``), checked against ``today``: a month only once
    it has ended, a year or quarter once it has begun (the current one is year-to-date)."""
    problem = period_problem(text)
    if problem:
        raise InputError(where, problem)
    token = str(text).strip()
    if token in RELATIVE_PERIODS:
        period = _relative(token, today)
    else:
        match = _PERIOD.fullmatch(token)
        year = int(match.group(1))
        if match.group(2):
            period = Period("quarter", year, int(match.group(2)))
        elif match.group(3):
            period = Period("month", year, int(match.group(3)))
        else:
            period = Period("year", year)
    if period.first_day > today:
        raise InputError(where, f"kỳ {period.label} chưa bắt đầu")
    if period.time_type == "month" and period.last_day >= today:
        raise InputError(where, f"tháng {period.label} chưa kết thúc: chỉ lấy những tháng đã qua")
    return period


def province_problem(value: object) -> str | None:
    """Why ``value`` names no province (None: a code such as ``H21``, or a name)."""
    if not isinstance(value, str) or not value.strip():
        return "tên hoặc mã tỉnh/thành phố trống"
    return None


def plan_from_config(
    provinces: Iterable[str],
    periods: Iterable[str],
    *,
    endpoints: Iterable[str] | None = None,
    page_size: int = PAGE_SIZE,
    today: dt.date | None = None,
    where: str = "[portal]",
) -> FetchPlan:
    """A plan from plain values, such as ``[portal] provinces = ["H21"]`` and
    ``periods = ["2026", "2026-Q3", "2026-09", "last-month"]``; ``today`` defaults to today in
    Vietnam. Raises ``InputError`` naming the key (``<where> periods``) and the value at fault."""
    today = today or vn_today(utc_now())
    names: list[str] = []
    for value in provinces:
        problem = province_problem(value)
        if problem:
            raise InputError(f"{where} provinces", problem)
        name = " ".join(value.split())
        name = name.upper() if PROVINCE_CODE.fullmatch(name) else name
        if name not in names:
            names.append(name)
    chosen: list[Period] = []
    for value in periods:
        period = parse_period(value, today, f"{where} periods")
        if period not in chosen:
            chosen.append(period)
    if not chosen:
        raise InputError(f"{where} periods", 'chưa nêu kỳ nào (ví dụ periods = ["2026"])')
    wanted = ENDPOINTS if endpoints is None else tuple(dict.fromkeys(endpoints))
    problem = endpoints_problem(wanted)
    if problem:
        raise InputError(f"{where} endpoints", problem)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 1000:
        raise InputError(f"{where} page_size", "page_size phải từ 1 đến 1000")
    return FetchPlan(tuple(names), tuple(chosen), wanted, page_size, where)


def endpoints_problem(endpoints: Iterable[object]) -> str | None:
    """Why ``endpoints`` are not a choice of the portal's evaluation endpoints (None: they are)."""
    wanted = list(endpoints)
    unknown = [str(e) for e in wanted if e not in ENDPOINTS]
    if unknown or not wanted:
        listed = ", ".join(unknown) or "(trống)"
        return f"điểm truy cập không có: {listed} (có: {', '.join(ENDPOINTS)})"
    return None
