"""A release: one publication's ``release.json`` (what it holds and what changed), its dates, and
choosing among releases (the previous one; every one to publish)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...buildinfo import LOCAL_TZ
from ...errors import InputError
from ..datasets import published_names

FORMAT_VERSION = 1
HISTORY_DIR = "lich-su"
RELEASE_JSON = "release.json"
INDEX_JSON = "index.json"
FEED_XML = "feed.xml"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# What each field of release.json holds (the /du-lieu/ page's data dictionary; a test checks
# that every key of Release.to_json is here): (field, meaning in Vietnamese).
RELEASE_FIELDS = (
    ("format", "Phiên bản định dạng của tệp release.json (hiện là 1)"),
    ("date", "Ngày công bố bản chụp, YYYY-MM-DD (tên thư mục của bản chụp)"),
    ("as_of", "Ngày chốt số liệu của bản chụp, YYYY-MM-DD"),
    ("build_time", "Thời điểm dựng, ISO 8601 giờ Việt Nam (+07:00)"),
    ("rule_set", "Bộ quy tắc tính điểm 766 của bản chụp"),
    ("province_name", "Tên tỉnh"),
    (
        "synthetic",
        "true nếu số liệu tính từ dữ liệu hư cấu do minhbach sinh ra, không phải tỉnh thật",
    ),
    (
        "tables",
        "Mỗi bảng của bản chụp: file (tên tệp <bảng>.csv.gz), rows (số dòng), bytes và sha256 "
        "(của tệp CSV chưa nén), gz_bytes và gz_sha256 (của tệp nén)",
    ),
    ("units", "Số cơ quan, đơn vị (số dòng của bảng agencies)"),
    (
        "changes",
        "Thay đổi so với bản chụp trước: previous (ngày, ngày chốt, bộ quy tắc của bản trước; "
        "null nếu là bản đầu tiên), as_of và rule_set (trước, sau), tables (số dòng trước, sau, "
        "chênh lệch của từng bảng), units (số đơn vị trước, sau; đơn vị thêm, bớt), scores (số "
        "dòng điểm thay đổi, mức thay đổi lớn nhất, các thay đổi lớn nhất, dòng thêm, bớt, kỳ "
        "mới, kỳ bỏ)",
    ),
    ("summary", "Tóm tắt thay đổi bằng một đoạn văn tiếng Việt (như trên trang Lịch sử)"),
)


@functools.cache
def tables() -> tuple[str, ...]:
    """The downloads a snapshot holds, as ``<name>.csv.gz``: those of ``/du-lieu/``, in order."""
    return published_names()


@dataclass
class Release:
    """One publication: what its ``release.json`` says, and where its files are."""

    date: str  # YYYY-MM-DD, the publication date
    as_of: str  # YYYY-MM-DD, the data's as-of date
    build_time: str  # ISO 8601 with the +07:00 offset
    rule_set: str
    province_name: str
    synthetic: bool
    tables: dict[str, dict]  # name -> {file, rows, bytes, sha256, gz_bytes, gz_sha256}
    units: int
    changes: dict
    summary: str = ""
    # The folder holding release.json and the .csv.gz files (an archive or a fetched copy);
    # None for a release just made, whose files are in memory.
    path: Path | None = field(default=None, compare=False, repr=False)

    @property
    def files(self) -> list[str]:
        """The snapshot's file names: the gzipped CSVs in the downloads' order, then
        release.json."""
        return [self.tables[n]["file"] for n in self.table_names()] + [RELEASE_JSON]

    @property
    def downloads(self) -> list[dict]:
        """For the /lich-su/ page: each table with its link relative to /lich-su/."""
        return [
            {
                "name": name,
                "file": self.tables[name]["file"],
                "href": f"{self.date}/{self.tables[name]['file']}",
                "rows": self.tables[name]["rows"],
                "gz_bytes": self.tables[name]["gz_bytes"],
            }
            for name in self.table_names()
        ]

    @property
    def release_json_href(self) -> str:
        """The link to release.json relative to /lich-su/."""
        return f"{self.date}/{RELEASE_JSON}"

    @property
    def anchor(self) -> str:
        """The id of this release's row on /lich-su/ (the feed links to ``lich-su/#<anchor>``)."""
        return f"ban-{self.date}"

    @property
    def rows(self) -> dict[str, int]:
        return {name: self.tables[name]["rows"] for name in self.table_names()}

    def table_names(self) -> list[str]:
        """The release's tables: the downloads' order, then any other by name."""
        known = [n for n in tables() if n in self.tables]
        return known + sorted(n for n in self.tables if n not in tables())

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "date": self.date,
            "as_of": self.as_of,
            "build_time": self.build_time,
            "rule_set": self.rule_set,
            "province_name": self.province_name,
            "synthetic": self.synthetic,
            "tables": self.tables,
            "units": self.units,
            "changes": self.changes,
            "summary": self.summary,
        }

    @classmethod
    def from_json(cls, data: object, where: str, path: Path | None = None) -> Release:
        """A release from its release.json (``where`` names it in errors)."""
        try:
            if not isinstance(data, dict):
                raise TypeError("not an object")
            _check_tables(data["tables"])
            release = cls(
                date=str(data["date"]),
                as_of=str(data["as_of"]),
                build_time=str(data["build_time"]),
                rule_set=str(data["rule_set"]),
                province_name=str(data.get("province_name", "")),
                synthetic=bool(data["synthetic"]),
                tables=data["tables"],
                units=int(data["units"]),
                changes=data.get("changes") or {},
                summary=str(data.get("summary", "")),
                path=path,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(where, f"release.json không đúng định dạng ({exc})") from None
        if not valid_date(release.date):
            raise InputError(where, f"ngày công bố không hợp lệ: {release.date!r}")
        return release


def _check_tables(tables_: object) -> None:
    """release.json's ``tables``: known names, each file ``<name>.csv.gz`` with its sizes and
    hashes (TypeError or ValueError naming what is wrong)."""
    if not isinstance(tables_, dict) or not tables_:
        raise TypeError("tables")
    for name, info in tables_.items():
        if name not in tables() or info.get("file") != f"{name}.csv.gz":
            raise ValueError(f"table {name}")
        for key in ("rows", "bytes", "gz_bytes"):
            if isinstance(info[key], bool) or not isinstance(info[key], int):
                raise ValueError(f"{name}.{key}")
            if info[key] < 0:
                raise ValueError(f"{name}.{key}")
        for key in ("sha256", "gz_sha256"):
            if not isinstance(info[key], str) or not SHA256_RE.match(info[key]):
                raise ValueError(f"{name}.{key}")


def valid_date(text: str) -> bool:
    if not DATE_RE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def json_bytes(data: object) -> bytes:
    """JSON as the history writes it: sorted keys, two-space indent, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def release_json(release: Release) -> bytes:
    """The bytes of a release's release.json."""
    return json_bytes(release.to_json())


def iso_time(value: dt.datetime | str) -> str:
    """ISO 8601 with the Vietnam offset: naive datetimes are local time (Asia/Ho_Chi_Minh)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(LOCAL_TZ).replace(microsecond=0).isoformat()


def iso_date(value: dt.date | str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not valid_date(text):
        raise ValueError(f"not a date: {value!r}")
    return text


# --------------------------------------------------------------------------------------------
# Choosing releases


def previous_release(releases: Iterable[Release], date: str | dt.date) -> Release | None:
    """The latest release published before ``date`` (a same-day release is replaced, so it is
    never the previous one)."""
    date = iso_date(date)
    earlier = [r for r in releases if r.date < date]
    return max(earlier, key=lambda r: r.date) if earlier else None


def combine(earlier: Iterable[Release], current: Release) -> list[Release]:
    """Every release to publish, oldest first: the earlier ones, with ``current`` replacing a
    release of the same date. Synthetic and real releases never mix (InputError)."""
    out = [r for r in earlier if r.date != current.date]
    for r in out:
        check_same_kind(r, current.synthetic)
    out.append(current)
    return sorted(out, key=lambda r: r.date)


def check_same_kind(release: Release, synthetic: bool) -> None:
    if release.synthetic != synthetic:
        kind = "dữ liệu giả lập" if release.synthetic else "dữ liệu thật"
        raise InputError(
            str(release.path or release.date),
            f"lưu trữ có bản công bố ngày {release.date} dựng từ {kind}, không trộn với bản "
            "này: dùng thư mục lưu trữ khác ([releases] archive)",
        )
