"""Periods and capture times: from a crawler file's ``metadata`` or from ``manifest.csv``.

A period is a year, a quarter or a month, written as the rest of the site writes periods
(``2026``, ``2026-Q3``, ``2026-09``). Capture times are naive UTC datetimes. ``extractedAt`` is
UTC (a time without offset is taken as UTC: the crawler writes UTC); a manifest's ``captured_at``
without offset is local time, Asia/Ho_Chi_Minh, as every timestamp of the data contract.
``ValueError`` messages are short Vietnamese phrases; the caller names the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .shapes import show

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "captured_at", "time_type", "year", "period")
TIME_TYPES = ("year", "quarter", "month")
VN_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving since 1975
UTC = dt.timedelta(0)


@dataclass(frozen=True)
class Period:
    time_type: str
    year: int
    number: int | None  # quarter 1-4, month 1-12; None for a year

    @property
    def text(self) -> str:
        if self.time_type == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.time_type == "month":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def start(self) -> dt.date:
        if self.time_type == "year":
            return dt.date(self.year, 1, 1)
        month = 3 * self.number - 2 if self.time_type == "quarter" else self.number
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        """The period's last day."""
        months = {"year": 12, "quarter": 3, "month": 1}[self.time_type]
        month = self.start.month - 1 + months
        return dt.date(self.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass
class When:
    """What metadata or a manifest row says about a file (None: says nothing)."""

    captured_at: dt.datetime | None = None
    period: Period | None = None


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant (UTC, naive) a day begins in Vietnam."""
    return dt.datetime.combine(day, dt.time()) - VN_OFFSET


def from_metadata(meta: dict[str, Any]) -> When:
    when = When()
    extracted = meta.get("extractedAt")
    if extracted is not None:
        if not isinstance(extracted, str):
            raise ValueError("extractedAt không phải chuỗi thời gian")
        when.captured_at = parse_instant(extracted, naive_offset=UTC, what="extractedAt")
    if meta.get("timeType") is not None or meta.get("year") is not None:
        time_type = meta.get("timeType")
        number = meta.get("period")
        if number is None and isinstance(time_type, str):
            number = meta.get(time_type.strip().lower())  # the API's "quarter" / "month"
        when.period = parse_period(time_type, meta.get("year"), number)
    return when


_NUMBER = re.compile(r"(?:(\d{4})-)?([Qq])?(\d{1,2})")


def parse_period(time_type: object, year: object, number: object) -> Period:
    """A period from its parts; ValueError (Vietnamese) when they do not make one."""
    kind = time_type.strip().lower() if isinstance(time_type, str) else None
    if kind not in TIME_TYPES:
        raise ValueError("timeType không rõ (cần year, quarter hoặc month)")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValueError("year không phải một năm")
    if isinstance(number, str):
        number = _period_number(number.strip(), year, kind)
    if isinstance(number, bool) or (number is not None and not isinstance(number, int)):
        raise ValueError("period không đọc được")
    if kind == "year":
        if number not in (None, year):
            raise ValueError("period phải để trống khi timeType là year")
        return Period(kind, year, None)
    top, unit = (4, "quý") if kind == "quarter" else (12, "tháng")
    if number is None or not 1 <= number <= top:
        raise ValueError(f"period ({unit}) phải từ 1 đến {top}")
    return Period(kind, year, number)


def _period_number(text: str, year: int, kind: str) -> int | None:
    """``3``, ``Q3``, ``2026-Q3``, ``09``, ``2026-09`` as a number (empty: None)."""
    if text == "" or (kind == "year" and text == str(year)):
        return None
    match = _NUMBER.fullmatch(text)
    if (
        not match
        or (match.group(1) and int(match.group(1)) != year)
        or (match.group(2) and kind != "quarter")
    ):
        raise ValueError("period không đọc được")
    return int(match.group(3))


_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_instant(value: str, *, naive_offset: dt.timedelta, what: str) -> dt.datetime:
    """A timestamp as a naive UTC datetime; one without offset is at ``naive_offset``."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{14}", text):
            moment = dt.datetime.strptime(text, "%Y%m%d%H%M%S")
        elif match := _VN_DATE.fullmatch(text):
            day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = dt.datetime(year, month, day, hour, minute, second)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} không đọc được (ví dụ 2026-09-17T10:40:19+07:00)") from None
    if moment.tzinfo is None:
        return moment - naive_offset
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def read_manifest(path: Path, shown: str, files: set[str]) -> dict[str, When]:
    """``file -> When`` from manifest.csv (absent: no rows)."""
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError:
        raise InputError(shown, "không đọc được tệp") from None
    except UnicodeDecodeError:
        raise InputError(shown, "không phải văn bản UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: dict[str, When] = {}
    columns: dict[str, int] | None = None
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = {name.strip().lower(): i for i, name in enumerate(record)}
                missing = [c for c in MANIFEST_COLUMNS if c not in columns]
                if missing:
                    raise InputError(shown, f"thiếu cột {', '.join(missing)}")
                continue
            cells = {c: record[i].strip() if i < len(record) else "" for c, i in columns.items()}
            where = f"dòng {reader.line_num}"
            _manifest_row(cells, rows, files, shown, where)
    except csv.Error:
        raise InputError(shown, f"CSV hỏng (dòng {reader.line_num})") from None
    return rows


def _manifest_row(
    cells: dict[str, str], rows: dict[str, When], files: set[str], shown: str, where: str
) -> None:
    name = cells["file"].replace("\\", "/").removeprefix("./")
    if not name:
        raise InputError(shown, f"{where}: cột file trống")
    if name not in files:
        raise InputError(shown, f"{where}: không có tệp JSON {show(name, 80)} trong thư mục")
    if name in rows:
        raise InputError(shown, f"{where}: tệp {show(name, 80)} đã có một dòng trước đó")
    when = When()
    try:
        if cells["captured_at"]:
            when.captured_at = parse_instant(
                cells["captured_at"], naive_offset=VN_OFFSET, what="captured_at"
            )
        if cells["time_type"] or cells["year"] or cells["period"]:
            when.period = parse_period(cells["time_type"], cells["year"], cells["period"])
    except ValueError as exc:
        raise InputError(shown, f"{where}: {exc}") from None
    rows[name] = when
