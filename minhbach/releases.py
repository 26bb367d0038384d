"""Releases: a dated snapshot of the downloads for every publication, under ``/lich-su/``.

A release is identified by its publication date ``YYYY-MM-DD`` (the build date in
Asia/Ho_Chi_Minh; with SOURCE_DATE_EPOCH, that date). A rebuild on the same day replaces that
day's release. Its snapshot is a folder ``lich-su/<date>/`` holding

- the six CSV downloads of ``/du-lieu/``, gzipped as ``<name>.csv.gz`` (deterministic gzip: no
  file name, mtime 0, level 6), the same names in every release;
- ``release.json``: date, as_of, build_time, rule_set, province_name, synthetic, per table
  ``{file, rows, bytes, sha256, gz_bytes, gz_sha256}`` (``sha256`` of the uncompressed CSV, the
  same as in ``du-lieu/datapackage.json`` that day), ``units`` (rows of agencies), ``changes``
  against the previous release and ``summary`` (those changes in one Vietnamese paragraph).

``lich-su/index.json`` lists every release (newest first) and ``lich-su/feed.xml`` is an Atom 1.0
feed with one entry per release. Earlier releases are read from an archive folder of
``<date>/`` snapshots (``[releases] archive``) and, with ``[releases] source =
"https://…/lich-su/"`` (or MINHBACH_RELEASES_SOURCE: the publish workflow reads the history
back from the published site), the published releases the archive lacks are downloaded. The
current release and the downloaded ones are added to the archive by :func:`save_to_archive`,
only once the whole build succeeded. Releases never touch ``/co-quan/``: a unit's page and CSV
never move.

The history is a public record: a damaged file is never published again. Every snapshot read
is checked against its release.json, file by file (nothing missing, nothing unlisted, each
``gz_bytes`` and ``gz_sha256``: one streaming pass per file and build, about 1.2 s per GB), and
the CSV inside each gzip against ``bytes`` and ``sha256`` (decompressing costs about a minute
per GB, so it is done once per file: the archive's ``.verified`` lists the
``gz_sha256 sha256 bytes`` already checked; a file whose gzip hash is in it and matches is not
decompressed again). A mismatch stops the build (InputError naming the file). At the source, a
404 on ``index.json`` means that no history was published there yet (a warning; the history
starts with this release); any other failure stops the build, so that no site is published
whose history silently lost its past.

Usage (the pipeline)::

    earlier = load_archive(archive, source_url, cache=work / "lich-su-nguon",
                           replacing=date, warn=warn)
    release, files = make_release(docs / "du-lieu", date=..., as_of=..., build_time=...,
                                  rule_set=..., province_name=..., synthetic=...,
                                  previous=previous_release(earlier, date), datasets=infos)
    history = combine(earlier, release)
    write_history(docs, history, {release.date: files}, site_url=..., province_name=...,
                  build_time=...)
    ...  # mkdocs, publish
    save_to_archive(archive, release, files, earlier=earlier)

"What changed" is computed by DuckDB over the two releases' CSVs: rows per table, units added
and removed (agencies by agency_id), and the 766 scores that moved (scores_766 rows with the
same agency_id, period and period_type in both whose total_100 differs: a past period revised),
with the new periods. Everything written is deterministic: the same inputs and build time give
the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from . import __version__, fmt
from .errors import BuildError, InputError
from .publish.datasets import published_names
from .publish.files import GZIP_LEVEL, DownloadFile, gzip_copy

__all__ = [
    "FEED_XML",
    "HISTORY_DIR",
    "INDEX_JSON",
    "RELEASE_JSON",
    "TABLES",
    "Release",
    "combine",
    "load_archive",
    "make_release",
    "previous_release",
    "save_to_archive",
    "write_history",
]

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FORMAT_VERSION = 1
HISTORY_DIR = "lich-su"
RELEASE_JSON = "release.json"
INDEX_JSON = "index.json"
FEED_XML = "feed.xml"
# The downloads of site.md, in its order; a snapshot holds each as <name>.csv.gz.
TABLES: tuple[str, ...] = published_names()
TOP_MOVES = 20  # score moves listed in release.json (all are counted)
LIST_UNITS = 100  # units added / removed listed in release.json (all are counted)
SUMMARY_NAMES = 3  # unit names spelled out in the summary
SUMMARY_PERIODS = 6  # new periods spelled out in the summary
FETCH_TIMEOUT = 60  # seconds a request may wait for the server
MAX_JSON_BYTES = 64 << 20  # index.json, release.json (a snapshot file: its gz_bytes)
USER_AGENT = f"minhbach/{__version__} (release history reader)"
VERIFIED = ".verified"  # in the archive: "gz_sha256 sha256 bytes" of the files already checked
CHUNK = 1 << 20  # bytes read at a time when hashing or downloading
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------
# A release


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
        """The snapshot's file names: the gzipped CSVs in site.md order, then release.json."""
        return [self.tables[n]["file"] for n in self._table_names()] + [RELEASE_JSON]

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
            for name in self._table_names()
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
        return {name: self.tables[name]["rows"] for name in self._table_names()}

    def _table_names(self) -> list[str]:
        known = [n for n in TABLES if n in self.tables]
        return known + sorted(n for n in self.tables if n not in TABLES)

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
            tables = data["tables"]
            if not isinstance(tables, dict) or not tables:
                raise TypeError("tables")
            for name, info in tables.items():
                if name not in TABLES or info.get("file") != f"{name}.csv.gz":
                    raise ValueError(f"table {name}")
                for key in ("rows", "bytes", "gz_bytes"):
                    if isinstance(info[key], bool) or not isinstance(info[key], int):
                        raise ValueError(f"{name}.{key}")
                    if info[key] < 0:
                        raise ValueError(f"{name}.{key}")
                for key in ("sha256", "gz_sha256"):
                    if not isinstance(info[key], str) or not SHA256_RE.match(info[key]):
                        raise ValueError(f"{name}.{key}")
            release = cls(
                date=str(data["date"]),
                as_of=str(data["as_of"]),
                build_time=str(data["build_time"]),
                rule_set=str(data["rule_set"]),
                province_name=str(data.get("province_name", "")),
                synthetic=bool(data["synthetic"]),
                tables=tables,
                units=int(data["units"]),
                changes=data.get("changes") or {},
                summary=str(data.get("summary", "")),
                path=path,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(where, f"release.json không đúng định dạng ({exc})") from None
        if not _valid_date(release.date):
            raise InputError(where, f"ngày công bố không hợp lệ: {release.date!r}")
        return release


def _valid_date(text: str) -> bool:
    if not DATE_RE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def release_json(release: Release) -> bytes:
    """The bytes of a release's release.json (sorted keys, two-space indent, final newline)."""
    return _json_bytes(release.to_json())


def _iso_time(value: dt.datetime | str) -> str:
    """ISO 8601 with the Vietnam offset: naive datetimes are local time (Asia/Ho_Chi_Minh)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(LOCAL_TZ).replace(microsecond=0).isoformat()


def _iso_date(value: dt.date | str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not _valid_date(text):
        raise ValueError(f"not a date: {value!r}")
    return text


# --------------------------------------------------------------------------------------------
# Choosing releases


def previous_release(releases: Iterable[Release], date: str | dt.date) -> Release | None:
    """The latest release published before ``date`` (a same-day release is replaced, so it is
    never the previous one)."""
    date = _iso_date(date)
    earlier = [r for r in releases if r.date < date]
    return max(earlier, key=lambda r: r.date) if earlier else None


def combine(earlier: Iterable[Release], current: Release) -> list[Release]:
    """Every release to publish, oldest first: the earlier ones, with ``current`` replacing a
    release of the same date. Synthetic and real releases never mix (InputError)."""
    out = [r for r in earlier if r.date != current.date]
    for r in out:
        _check_same_kind(r, current.synthetic)
    out.append(current)
    return sorted(out, key=lambda r: r.date)


def _check_same_kind(release: Release, synthetic: bool) -> None:
    if release.synthetic != synthetic:
        kind = "dữ liệu giả lập" if release.synthetic else "dữ liệu thật"
        raise InputError(
            str(release.path or release.date),
            f"lưu trữ có bản công bố ngày {release.date} dựng từ {kind}, không trộn với bản "
            "này: dùng thư mục lưu trữ khác ([releases] archive)",
        )


# --------------------------------------------------------------------------------------------
# Gzip, deterministically


def _gzip_file(path: Path, level: int = GZIP_LEVEL) -> tuple[bytes, str, int]:
    """The gzip of a file (:func:`minhbach.downloads.gzip_copy`: no file name, mtime 0), with
    the plain file's sha256 and size."""
    parts: list[bytes] = []
    sha, size = gzip_copy(path, parts.append, level)
    return b"".join(parts), sha, size


def _snapshot_file(path: Path, published: DownloadFile | None) -> tuple[bytes, str, int]:
    """A table's ``<name>.csv.gz`` for the snapshot: the downloads' own file when they
    published the CSV gzipped (the same deterministic gzip, level 6: the same bytes), else the
    gzip of ``<name>.csv``; with the plain CSV's sha256 and size."""
    if published is not None and published.compression == "gz":
        return path.read_bytes(), published.plain_sha256, int(published.plain_bytes or 0)
    return _gzip_file(path)


# --------------------------------------------------------------------------------------------
# Making a release


def make_release(
    du_lieu_dir: Path,
    *,
    date: str | dt.date | None = None,
    as_of: str | dt.date,
    build_time: dt.datetime | str,
    rule_set: str,
    province_name: str,
    synthetic: bool,
    previous: Release | None,
    datasets: Iterable | None = None,
) -> tuple[Release, dict[str, bytes]]:
    """The release of the downloads just written in ``du_lieu_dir`` (``<name>.csv``), and its
    files: ``{"<name>.csv.gz": bytes, ..., "release.json": bytes}``.

    ``date`` defaults to the build time's date. ``datasets`` (what ``write_downloads``
    returned) gives the row counts; without it they are counted. ``previous`` is the release
    to compare with (:func:`previous_release`); it must have its files (``path``)."""
    du_lieu_dir = Path(du_lieu_dir)
    build_iso = _iso_time(build_time)
    date = _iso_date(date if date is not None else dt.date.fromisoformat(build_iso[:10]))
    as_of = _iso_date(as_of)
    if previous is not None:
        if previous.date >= date:
            raise ValueError(f"previous release {previous.date} is not before {date}")
        _check_same_kind(previous, bool(synthetic))

    # The CSV as /du-lieu/ publishes it: <name>.csv, or <name>.csv.gz for a big table.
    published = {}
    for d in datasets or ():
        with contextlib.suppress(AttributeError, KeyError):
            published[d.name] = d.file("csv")
    paths = {
        name: du_lieu_dir / (published[name].name if name in published else f"{name}.csv")
        for name in TABLES
    }
    for path in paths.values():
        if not path.is_file():
            raise BuildError(f"lịch sử: thiếu tệp tải về {path.name} để lưu bản công bố")
    with ThreadPoolExecutor(max_workers=min(len(TABLES), os.cpu_count() or 1)) as pool:
        gz = dict(
            zip(
                TABLES,
                pool.map(lambda n: _snapshot_file(paths[n], published.get(n)), TABLES),
                strict=True,
            )
        )

    known_rows = {getattr(d, "name", None): getattr(d, "rows", None) for d in datasets or ()}
    con = duckdb.connect()
    try:
        tables: dict[str, dict] = {}
        for name in TABLES:
            data, sha, size = gz[name]
            rows = known_rows.get(name)
            if rows is None:
                (rows,) = con.execute(f"SELECT count(*) FROM {_read_csv(paths[name])}").fetchone()
            tables[name] = {
                "file": f"{name}.csv.gz",
                "rows": int(rows),
                "bytes": size,
                "sha256": sha,
                "gz_bytes": len(data),
                "gz_sha256": hashlib.sha256(data).hexdigest(),
            }
        changes = _changes(con, previous, paths, tables, as_of=as_of, rule_set=rule_set)
    finally:
        con.close()

    release = Release(
        date=date,
        as_of=as_of,
        build_time=build_iso,
        rule_set=rule_set,
        province_name=province_name,
        synthetic=bool(synthetic),
        tables=tables,
        units=tables["agencies"]["rows"],
        changes=changes,
    )
    release.summary = summary(release)
    files = {tables[name]["file"]: gz[name][0] for name in TABLES}
    files[RELEASE_JSON] = release_json(release)
    return release, files


# --------------------------------------------------------------------------------------------
# What changed


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv(path: Path) -> str:
    """A downloads CSV (plain or .gz) as text columns (the BOM is skipped by DuckDB)."""
    return (
        f"read_csv({_lit(str(path))}, header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"', auto_detect = true)"
    )


def _load(con: duckdb.DuckDBPyConnection, name: str, path: Path, columns: list[str]) -> None:
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {_read_csv(path)}")
    except duckdb.Error as exc:  # its message may quote a line of data: not repeated
        raise InputError(str(path), f"không đọc được tệp CSV ({type(exc).__name__})") from None
    have = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
    missing = [c for c in columns if c not in have]
    if missing:
        raise InputError(str(path), f"thiếu cột {', '.join(missing)}")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _changes(
    con: duckdb.DuckDBPyConnection,
    previous: Release | None,
    current: dict[str, Path],
    tables: dict[str, dict],
    *,
    as_of: str,
    rule_set: str,
) -> dict:
    if previous is None:
        return {
            "previous": None,
            "tables": {
                n: {"before": None, "after": t["rows"], "diff": None} for n, t in tables.items()
            },
            "units": None,
            "scores": None,
        }
    if previous.path is None:
        raise ValueError(f"previous release {previous.date} has no files (path)")
    rows = {}
    for name, t in tables.items():
        before = previous.tables.get(name, {}).get("rows")
        rows[name] = {
            "before": before,
            "after": t["rows"],
            "diff": None if before is None else t["rows"] - before,
        }
    before_dir = Path(previous.path)
    return {
        "previous": {"date": previous.date, "as_of": previous.as_of, "rule_set": previous.rule_set},
        "as_of": {"before": previous.as_of, "after": as_of},
        "rule_set": {"before": previous.rule_set, "after": rule_set},
        "tables": rows,
        "units": _unit_changes(con, before_dir / "agencies.csv.gz", current["agencies"]),
        "scores": _score_changes(con, before_dir / "scores_766.csv.gz", current["scores_766"]),
    }


def _unit_changes(con: duckdb.DuckDBPyConnection, before: Path, after: Path) -> dict:
    _load(con, "units_before", before, ["agency_id", "name"])
    _load(con, "units_after", after, ["agency_id", "name"])
    found = con.execute(
        """
        SELECT CASE WHEN b.agency_id IS NULL THEN 'added' ELSE 'removed' END AS change,
               coalesce(a.agency_id, b.agency_id) AS agency_id,
               coalesce(a.name, b.name) AS name
        FROM units_before AS b FULL JOIN units_after AS a ON a.agency_id = b.agency_id
        WHERE a.agency_id IS NULL OR b.agency_id IS NULL
        ORDER BY change, agency_id
        """
    ).fetchall()
    (n_before,) = con.execute("SELECT count(DISTINCT agency_id) FROM units_before").fetchone()
    (n_after,) = con.execute("SELECT count(DISTINCT agency_id) FROM units_after").fetchone()
    added = [{"agency_id": i, "name": n} for c, i, n in found if c == "added"]
    removed = [{"agency_id": i, "name": n} for c, i, n in found if c == "removed"]
    return {
        "before": n_before,
        "after": n_after,
        "added_count": len(added),
        "removed_count": len(removed),
        "added": added[:LIST_UNITS],
        "removed": removed[:LIST_UNITS],
    }


def _score_changes(con: duckdb.DuckDBPyConnection, before: Path, after: Path) -> dict:
    columns = ["agency_id", "agency_name", "period", "period_type", "total_100"]
    for name, path in (("scores_before", before), ("scores_after", after)):
        _load(con, name + "_raw", path, columns)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT agency_id, agency_name, period, "
            "period_type, TRY_CAST(total_100 AS DECIMAL(18, 4)) AS total_100 "
            f"FROM {name}_raw"
        )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE score_moves AS
        SELECT b.agency_id, a.agency_name, b.period, b.period_type,
               b.total_100 AS before, a.total_100 AS after, a.total_100 - b.total_100 AS diff
        FROM scores_before AS b
        JOIN scores_after AS a USING (agency_id, period, period_type)
        WHERE b.total_100 IS DISTINCT FROM a.total_100
        """
    )
    (moved_count, max_abs) = con.execute(
        "SELECT count(*), max(abs(diff)) FROM score_moves"
    ).fetchone()
    top = con.execute(
        f"""
        SELECT agency_id, agency_name, period, period_type, before, after, diff
        FROM score_moves
        ORDER BY abs(diff) DESC NULLS LAST, agency_id, period_type, period
        LIMIT {TOP_MOVES}
        """
    ).fetchall()
    (added, removed) = con.execute(
        """
        SELECT
          (SELECT count(*) FROM (SELECT agency_id, period, period_type FROM scores_after
                                 EXCEPT SELECT agency_id, period, period_type FROM scores_before)),
          (SELECT count(*) FROM (SELECT agency_id, period, period_type FROM scores_before
                                 EXCEPT SELECT agency_id, period, period_type FROM scores_after))
        """
    ).fetchone()

    def periods(a: str, b: str) -> list[dict]:
        return [
            {"period": p, "period_type": t}
            for p, t in con.execute(
                f"SELECT DISTINCT period, period_type FROM {a} "
                f"EXCEPT SELECT DISTINCT period, period_type FROM {b} "
                "ORDER BY period_type, period"
            ).fetchall()
        ]

    return {
        "moved_count": int(moved_count),
        "max_abs_diff": _number(max_abs),
        "moved": [
            {
                "agency_id": r[0],
                "agency_name": r[1],
                "period": r[2],
                "period_type": r[3],
                "before": _number(r[4]),
                "after": _number(r[5]),
                "diff": _number(r[6]),
            }
            for r in top
        ],
        "rows_added": int(added),
        "rows_removed": int(removed),
        "new_periods": periods("scores_after", "scores_before"),
        "removed_periods": periods("scores_before", "scores_after"),
    }


# --------------------------------------------------------------------------------------------
# The summary, in Vietnamese


def _names(items: list[dict], count: int) -> str:
    names = [i.get("name") or i.get("agency_id") or "" for i in items[:SUMMARY_NAMES]]
    text = ", ".join(names)
    if count > len(names):
        text += f" và {fmt.number(count - len(names))} đơn vị khác"
    return text


def _period_list(items: list[dict]) -> str:
    labels = [fmt.period_label(p["period"]) for p in items[:SUMMARY_PERIODS]]
    if len(items) > SUMMARY_PERIODS:
        return ", ".join(labels) + f" và {fmt.number(len(items) - SUMMARY_PERIODS)} kỳ khác"
    return ", ".join(labels)


def summary(release: Release) -> str:
    """What changed since the previous release, in one Vietnamese paragraph (the feed entry's
    summary and the /lich-su/ table's last column)."""
    c = release.changes or {}
    as_of = fmt.date(release.as_of)
    if not c.get("previous"):
        rows = ", ".join(
            f"{name} {fmt.number(t['rows'])} dòng"
            for name, t in ((n, release.tables[n]) for n in release._table_names())
        )
        return (
            f"Bản đầu tiên được lưu: số liệu đến ngày {as_of}, "
            f"{fmt.number(release.units)} đơn vị; {rows}."
        )
    prev = c["previous"]
    parts = [f"So với bản ngày {fmt.date(prev['date'])}: số liệu đến ngày {as_of}"]
    if prev.get("as_of") and prev["as_of"] != release.as_of:
        parts[0] += f" (trước: {fmt.date(prev['as_of'])})"
    if prev.get("rule_set") and prev["rule_set"] != release.rule_set:
        parts.append(f"đổi bộ quy tắc tính điểm từ {prev['rule_set']} sang {release.rule_set}")
    units = c.get("units") or {}
    unit_parts = []
    if units.get("added_count"):
        unit_parts.append(
            f"thêm {fmt.number(units['added_count'])} đơn vị "
            f"({_names(units['added'], units['added_count'])})"
        )
    if units.get("removed_count"):
        unit_parts.append(
            f"bớt {fmt.number(units['removed_count'])} đơn vị "
            f"({_names(units['removed'], units['removed_count'])})"
        )
    parts.append("; ".join(unit_parts) if unit_parts else "không thêm, bớt đơn vị nào")
    scores = c.get("scores") or {}
    moved = scores.get("moved_count", 0)
    if moved:
        text = f"{fmt.number(moved)} điểm 766 của kỳ đã công bố được tính lại"
        top = (scores.get("moved") or [None])[0]
        if top and top.get("diff") is not None:
            text += (
                f", thay đổi lớn nhất: {top['agency_name'] or top['agency_id']}, "
                f"{fmt.period_label(top['period'])}, {fmt.points(top['before'])} → "
                f"{fmt.points(top['after'])} ({fmt.signed(top['diff'])})"
            )
        parts.append(text)
    else:
        parts.append("không điểm 766 nào của kỳ đã công bố thay đổi")
    if scores.get("new_periods"):
        parts.append(f"kỳ mới: {_period_list(scores['new_periods'])}")
    if scores.get("removed_periods"):
        parts.append(f"bỏ kỳ: {_period_list(scores['removed_periods'])}")
    diffs = [
        f"{name} {fmt.signed(t['diff'], 0)}"
        for name, t in (c.get("tables") or {}).items()
        if t.get("diff")
    ]
    parts.append("số dòng: " + ", ".join(diffs) if diffs else "số dòng các bảng không đổi")
    return "; ".join(parts) + "."


# --------------------------------------------------------------------------------------------
# Writing /lich-su/


def write_history(
    docs_dir: Path,
    releases: list[Release],
    files: Mapping[str, Mapping[str, bytes]] | None = None,
    *,
    site_url: str,
    province_name: str,
    build_time: dt.datetime | str,
) -> None:
    """Write ``lich-su/<date>/`` (the .csv.gz files and release.json) of every release,
    ``lich-su/index.json`` and ``lich-su/feed.xml`` into ``docs_dir``.

    A release's files come from ``files[release.date]`` when given (the release just made),
    else are copied byte for byte from its folder (``release.path``). ``lich-su/index.md`` (the
    page) is left to the pages."""
    files = files or {}
    ordered = sorted(releases, key=lambda r: r.date)
    dates = [r.date for r in ordered]
    if len(set(dates)) != len(dates):
        raise ValueError("two releases with one date: use combine()")
    history = Path(docs_dir) / HISTORY_DIR
    history.mkdir(parents=True, exist_ok=True)
    for release in ordered:
        folder = history / release.date
        folder.mkdir(exist_ok=True)
        given = files.get(release.date)
        for name in release.files:
            if given is not None:
                if name not in given:
                    raise ValueError(f"release {release.date}: no bytes for {name}")
                (folder / name).write_bytes(given[name])
                continue
            if release.path is None:
                raise ValueError(f"release {release.date}: no files and no folder")
            source = Path(release.path) / name
            if not source.is_file():
                raise InputError(str(source), "thiếu tệp của bản công bố trong lưu trữ")
            if name != RELEASE_JSON and source.stat().st_size != _gz_bytes(release, name):
                raise InputError(str(source), "kích thước tệp khác với release.json (hỏng?)")
            shutil.copyfile(source, folder / name)
    build_iso = _iso_time(build_time)
    newest_first = ordered[::-1]
    (history / INDEX_JSON).write_bytes(
        _json_bytes(_index(newest_first, province_name=province_name, build_time=build_iso))
    )
    (history / FEED_XML).write_bytes(
        feed(newest_first, site_url=site_url, province_name=province_name, build_time=build_iso)
    )


def _gz_bytes(release: Release, file: str) -> int:
    for t in release.tables.values():
        if t["file"] == file:
            return int(t["gz_bytes"])
    raise KeyError(file)


def _index(releases: list[Release], *, province_name: str, build_time: str) -> dict:
    return {
        "format": FORMAT_VERSION,
        "province_name": province_name,
        "updated": build_time,
        "feed": FEED_XML,
        "releases": [
            {
                "date": r.date,
                "as_of": r.as_of,
                "build_time": r.build_time,
                "rule_set": r.rule_set,
                "synthetic": r.synthetic,
                "units": r.units,
                "rows": r.rows,
                "path": f"{r.date}/",
                "files": r.files,
                "summary": r.summary,
            }
            for r in releases
        ],
    }


def _link(site_url: str, path: str) -> str:
    return (site_url.rstrip("/") + "/" + path) if site_url else path


def feed(releases: list[Release], *, site_url: str, province_name: str, build_time: str) -> bytes:
    """The Atom 1.0 feed of the releases (given newest first): one entry per release, its id
    the release's URL (a urn:uuid derived from the province and date without a site URL)."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "vi"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, tag, attrs)
        if text is not None:
            el.text = text
        return el

    def entry_id(path: str) -> str:
        if site_url:
            return _link(site_url, path)
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"minhbach:{province_name}:{path}"))

    sub(root, "id", entry_id(f"{HISTORY_DIR}/"))
    sub(root, "title", f"Lịch sử công bố số liệu thủ tục hành chính – {province_name}")
    sub(
        root,
        "subtitle",
        "Mỗi lần công bố: bản chụp các tệp tải về và những thay đổi so với lần trước.",
    )
    sub(root, "updated", build_time)
    sub(
        root,
        "link",
        rel="self",
        type="application/atom+xml",
        href=_link(site_url, f"{HISTORY_DIR}/{FEED_XML}"),
    )
    sub(root, "link", rel="alternate", type="text/html", href=_link(site_url, f"{HISTORY_DIR}/"))
    author = sub(root, "author")
    sub(author, "name", f"minhbach – {province_name}")
    sub(root, "generator", "minhbach")
    for r in releases:
        entry = sub(root, "entry")
        sub(entry, "id", entry_id(f"{HISTORY_DIR}/{r.date}/"))
        title = f"Bản công bố ngày {fmt.date(r.date)} (số liệu đến ngày {fmt.date(r.as_of)})"
        if r.synthetic:
            title = "[Dữ liệu giả lập] " + title
        sub(entry, "title", title)
        sub(entry, "updated", r.build_time)
        sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=_link(site_url, f"{HISTORY_DIR}/#{r.anchor}"),
        )
        sub(
            entry,
            "link",
            rel="related",
            type="application/json",
            href=_link(site_url, f"{HISTORY_DIR}/{r.release_json_href}"),
        )
        sub(entry, "summary", r.summary or summary(r), type="text")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --------------------------------------------------------------------------------------------
# The archive


def save_to_archive(
    archive: Path,
    release: Release,
    files: Mapping[str, bytes],
    *,
    earlier: Iterable[Release] = (),
) -> None:
    """Store the release as ``<archive>/<date>/`` (replacing a release of the same date); the
    folder appears whole or not at all. Call it once the whole build succeeded.

    ``earlier``: what :func:`load_archive` returned (every file checked). Those downloaded into
    another folder are moved into the archive (unless it holds that date by now), and the
    archive's ``.verified`` learns their files and the release's, so that the next build does
    not decompress them again."""
    archive = Path(archive)
    archive.mkdir(parents=True, exist_ok=True)
    missing = [n for n in release.files if n not in files]
    if missing:
        raise ValueError(f"release {release.date}: no bytes for {', '.join(missing)}")
    _store(archive, release.date, {n: files[n] for n in release.files})
    release.path = archive / release.date
    known = _read_verified(archive) | _facts(release)
    for other in earlier:
        if other.date == release.date or other.path is None:
            continue
        folder = Path(other.path)
        if folder.resolve().parent != archive.resolve() and not (archive / other.date).exists():
            _adopt(archive, other.date, folder)
            other.path = archive / other.date
        known |= _facts(other)
    _write_verified(archive, known)


def _store(archive: Path, date: str, files: Mapping[str, bytes]) -> Path:
    final = archive / date
    tmp = archive / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if final.exists():
            old = archive / f".{date}.old-{os.getpid()}"
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _adopt(archive: Path, date: str, folder: Path) -> None:
    """Move a checked snapshot folder into the archive as ``<date>/`` (copied when it is on
    another file system); the folder appears whole or not at all."""
    tmp = archive / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        try:
            folder.rename(tmp)
        except OSError:  # another file system
            shutil.copytree(folder, tmp)
        tmp.rename(archive / date)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Checking snapshots against their release.json


def _facts(release: Release) -> set[tuple[str, str, int]]:
    """What checking a release's files establishes: each gzip (by its sha256) holds a CSV of
    that sha256 and size."""
    return {_facts_of(t) for t in release.tables.values()}


def _read_verified(archive: Path) -> set[tuple[str, str, int]]:
    """The archive's ``.verified``: the gzip files (by sha256) whose CSV was checked already.
    A line that does not read is skipped (it only costs a decompression)."""
    try:
        text = (Path(archive) / VERIFIED).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return set()
    known = set()
    for line in text.splitlines():
        parts = line.split()
        if (
            len(parts) == 3
            and SHA256_RE.match(parts[0])
            and SHA256_RE.match(parts[1])
            and parts[2].isdigit()
        ):
            known.add((parts[0], parts[1], int(parts[2])))
    return known


def _write_verified(archive: Path, known: set[tuple[str, str, int]]) -> None:
    tmp = archive / f"{VERIFIED}.tmp-{os.getpid()}"
    try:
        tmp.write_text(
            "".join(f"{gz} {sha} {size}\n" for gz, sha, size in sorted(known)), encoding="ascii"
        )
        tmp.replace(archive / VERIFIED)
    finally:
        tmp.unlink(missing_ok=True)


class _Digest:
    """One snapshot file read in one streaming pass: its size and sha256 and, with ``plain``,
    the size and sha256 of the CSV inside (decompressed as it is read)."""

    def __init__(self, plain: bool):
        self.size = 0
        self.sha = hashlib.sha256()
        self.inflate = zlib.decompressobj(wbits=31) if plain else None
        self.plain_size = 0
        self.plain_sha = hashlib.sha256()
        self.broken = False

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.sha.update(chunk)
        if self.inflate is None or self.broken:
            return
        try:
            data = self.inflate.decompress(chunk, CHUNK)
            while True:
                self.plain_size += len(data)
                self.plain_sha.update(data)
                if not self.inflate.unconsumed_tail:
                    break
                data = self.inflate.decompress(self.inflate.unconsumed_tail, CHUNK)
        except zlib.error:
            self.broken = True

    def problem(self, info: Mapping) -> str | None:
        """What differs from the table's entry in release.json (None: nothing)."""
        if self.size != int(info["gz_bytes"]):
            return f"{self.size} byte, release.json ghi {info['gz_bytes']} byte"
        if self.sha.hexdigest() != info["gz_sha256"]:
            return "gz_sha256 không khớp"
        if self.inflate is not None:
            if self.broken or not self.inflate.eof or self.inflate.unused_data:
                return "không giải nén được"
            plain = (self.plain_sha.hexdigest(), self.plain_size)
            if plain != (info["sha256"], int(info["bytes"])):
                return "tệp CSV bên trong không khớp sha256 hoặc bytes"
        return None


def _check_file(path: Path, info: Mapping, plain: bool) -> str | None:
    digest = _Digest(plain)
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.problem(info)


def _damaged(where: str, problem: str) -> InputError:
    return InputError(
        where,
        f"tệp khác với release.json ({problem}): bản lưu trữ bị hỏng hoặc bị sửa; không công bố "
        "lại tệp hỏng: chép lại tệp đúng từ trang đã đăng hoặc bản sao lưu",
    )


def _verify(releases: list[Release], known: set[tuple[str, str, int]]) -> None:
    """Check the snapshot folders of ``releases`` against their release.json: exactly the files
    it lists, each of its gz_bytes and gz_sha256, and the CSV inside of its bytes and sha256
    unless ``known`` has that file. The first problem, in date and file order, is an
    InputError naming the file."""
    jobs: list[tuple[Path, dict, bool]] = []
    for release in releases:
        folder = Path(release.path)
        listed = set(release.files)
        for child in sorted(folder.iterdir()):
            if child.name not in listed:
                raise InputError(
                    str(child),
                    "không có trong release.json: thư mục của một bản công bố chỉ chứa các tệp "
                    "release.json ghi; hãy chuyển tệp này ra khỏi thư mục lưu trữ",
                )
        for name in release._table_names():
            info = release.tables[name]
            path = folder / info["file"]
            if not path.is_file():
                raise InputError(str(path), "thiếu tệp của bản công bố (release.json có ghi)")
            size = path.stat().st_size
            if size != info["gz_bytes"]:
                raise _damaged(str(path), f"{size} byte, release.json ghi {info['gz_bytes']} byte")
            jobs.append((path, info, _facts_of(info) not in known))
    if not jobs:
        return
    # hashlib and zlib let go of the GIL: the files are read side by side.
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1, 4)) as pool:
        results = pool.map(lambda job: _check_file(*job), jobs)
        try:
            for (path, _, _), problem in zip(jobs, results, strict=True):
                if problem:
                    raise _damaged(str(path), problem)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _facts_of(info: Mapping) -> tuple[str, str, int]:
    return (info["gz_sha256"], info["sha256"], int(info["bytes"]))


def _read_local(folder: Path, skip: str | None = None) -> list[Release]:
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise InputError(str(folder), "lưu trữ bản công bố không phải thư mục")
    out = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or not child.is_dir() or not _valid_date(child.name):
            continue
        if child.name == skip:
            continue
        path = child / RELEASE_JSON
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise InputError(str(child), "thư mục bản công bố không có release.json") from None
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"không đọc được ({type(exc).__name__})") from None
        release = Release.from_json(data, str(path), path=child)
        if release.date != child.name:
            raise InputError(str(path), f"ngày {release.date} khác tên thư mục")
        out.append(release)
    return out


def load_archive(
    archive: Path | None,
    source_url: str | None,
    *,
    cache: Path | None = None,
    replacing: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Release]:
    """The earlier releases, oldest first, every file checked against its release.json.

    From ``archive`` (a folder of ``<date>/`` snapshots; missing means none yet). With
    ``source_url`` (the published ``…/lich-su/``), the releases listed in its ``index.json``
    and not in the archive are downloaded (into ``cache``, else into the archive: without an
    archive, ``cache`` is read as one), each file checked as it arrives. A 404 on index.json
    means no history was published there yet: ``warn`` is told and the archive's releases are
    all there is. Any other failure is an InputError: the build stops rather than publish a
    history with releases missing. ``replacing``: the date of the release being made; a
    release of that date is neither read nor downloaded (it is replaced)."""
    local = Path(archive) if archive else (Path(cache) if cache else None)
    target = Path(cache) if cache else local
    if source_url and target is None:
        raise ValueError("a source URL needs a folder to download into (archive or cache)")
    found = _read_local(local, skip=replacing) if local else []
    known = _read_verified(local) if local else set()
    _verify(found, known)
    if source_url:
        have = {r.date for r in found} | ({replacing} if replacing else set())
        found += _mirror(source_url, target, have=have, known=known, warn=warn)
    return sorted(found, key=lambda r: r.date)


class _NotFound(InputError):
    """HTTP 404."""


def _fetch(url: str, sink: Callable[[bytes], None], limit: int) -> None:
    """Download ``url`` into ``sink``, chunk by chunk; more than ``limit`` bytes is an error.
    One request, with a timeout and minhbach's User-Agent; the failure as one line."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InputError(url, f"tệp lịch sử đã công bố lớn hơn {limit} byte")
                sink(chunk)
    except urllib.error.HTTPError as exc:
        exc.close()
        error = _NotFound if exc.code == 404 else InputError
        raise error(url, f"không tải được lịch sử đã công bố (HTTP {exc.code})") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None)
        what = type(reason).__name__ if isinstance(reason, BaseException) else type(exc).__name__
        raise InputError(url, f"không tải được lịch sử đã công bố ({what})") from None


def _fetch_json(url: str) -> tuple[bytes, object]:
    parts: list[bytes] = []
    _fetch(url, parts.append, MAX_JSON_BYTES)
    raw = b"".join(parts)
    try:
        return raw, json.loads(raw)
    except ValueError:
        raise InputError(url, "không đúng định dạng JSON") from None


def _mirror(
    source_url: str,
    folder: Path,
    *,
    have: set[str],
    known: set[tuple[str, str, int]],
    warn: Callable[[str], None] | None,
) -> list[Release]:
    """Download the releases the published index.json lists and ``have`` lacks into
    ``folder``; each appears there whole, its files checked, or not at all."""
    scheme = urllib.parse.urlsplit(source_url).scheme
    if scheme not in ("http", "https"):
        raise InputError(source_url, "[releases] source phải là địa chỉ http(s)://…/lich-su/")
    base = source_url if source_url.endswith("/") else source_url + "/"
    index_url = base + INDEX_JSON
    try:
        _, index = _fetch_json(index_url)
    except _NotFound:
        if warn is not None:
            warn(
                f"{index_url}: chưa có lịch sử công bố ở địa chỉ này (HTTP 404): coi đây là lần "
                "công bố đầu tiên, lịch sử chỉ gồm bản này và các bản trong thư mục lưu trữ"
            )
        return []
    try:
        dates = [str(r["date"]) for r in index["releases"]]
    except (KeyError, TypeError):
        raise InputError(index_url, "index.json không đúng định dạng") from None
    for date in dates:
        if not _valid_date(date):
            raise InputError(index_url, f"ngày công bố không hợp lệ: {date!r}")
    out = []
    for date in sorted(set(dates) - have):
        folder.mkdir(parents=True, exist_ok=True)
        out.append(_download(base, date, folder, known))
    return out


def _download(base: str, date: str, folder: Path, known: set[tuple[str, str, int]]) -> Release:
    where = f"{base}{date}/{RELEASE_JSON}"
    raw, data = _fetch_json(where)
    release = Release.from_json(data, where)
    if release.date != date:
        raise InputError(where, f"ngày {release.date} khác ngày trong index.json")
    tmp = folder / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        (tmp / RELEASE_JSON).write_bytes(raw)
        for name in release._table_names():
            info = release.tables[name]
            url = f"{base}{date}/{info['file']}"
            digest = _Digest(plain=_facts_of(info) not in known)
            with open(tmp / info["file"], "wb") as out:

                def sink(chunk: bytes, out=out, digest=digest) -> None:
                    digest.update(chunk)
                    out.write(chunk)

                _fetch(url, sink, int(info["gz_bytes"]))
            problem = digest.problem(info)
            if problem:
                raise InputError(
                    url,
                    f"tệp tải về khác với release.json ({problem}): trang đã đăng bị hỏng hoặc "
                    "đang được cập nhật; không công bố lại tệp hỏng",
                )
        final = folder / date
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    release.path = folder / date
    return release


def former_slugs(earlier: Iterable[Release], current: Mapping[str, str]) -> dict[str, str]:
    """Old slug -> current slug, for units whose slug changed since an earlier release (a unit
    renamed keeps its old address as a redirect). ``current``: agency_id -> slug now. Slugs used
    by a unit now are never redirected."""
    taken = set(current.values())
    moved: dict[str, str] = {}
    con = duckdb.connect()
    try:
        for release in earlier:
            path = release.path / "agencies.csv.gz" if release.path else None
            if path is None or not path.exists():
                continue
            rows = con.execute(
                "select agency_id, slug from read_csv(?, header = true, all_varchar = true)",
                [str(path)],
            ).fetchall()
            for agency_id, slug in rows:
                new = current.get(agency_id)
                if slug and new and slug != new and slug not in taken:
                    moved[slug] = new
    finally:
        con.close()
    return dict(sorted(moved.items()))
