"""Read the national portal's published 766 evaluation (``portal.md``) into raw DuckDB tables.

``read_portal(con, portal_dir)`` reads every ``*.json`` under ``portal_dir`` (any names, any
subfolders, in sorted order; hidden files and folders are skipped) and recognises each by its
shape, not its name (``shapes.py``): a national ranking (``evaluation[]`` of provinces, overview
"Cả nước"), a unit list (``agencies[]`` / ``communes[]`` / ``evaluation[]`` with ``childGroup``)
or unit details (``unitsDetail[]``, ``agenciesDetail[]``, ... with ``componentIndicators``). A
file is either the raw API response (``{"code": "OK", "data": {...}}``; another code is a bad
file) or a crawler's file (``metadata`` beside the data members).

Period and capture time come from ``metadata`` (``timeType``, ``year``, ``period``,
``extractedAt``: UTC, a time without offset is taken as UTC) or, for a file without them, from a
row of ``portal_dir/manifest.csv`` (``file,captured_at,time_type,year,period``; ``file`` relative
to the folder; ``captured_at`` in ISO 8601, ``yyyyMMddHHmmss`` or ``dd/mm/yyyy HH:MM[:SS]``, local
time Asia/Ho_Chi_Minh unless it carries an offset, as in the data contract). Where both give a
value they must agree. ``period`` is empty for a year, 1-4 (or ``Q3``, ``2026-Q3``) for a quarter,
1-12 (or ``2026-09``) for a month (``periods.py``).

Everything is stored as published: numbers as DOUBLE exactly as in the JSON, ``null`` as NULL
(never 0), text as VARCHAR. Nothing is corrected: group scores that do not add up to the total,
a group above its maximum, a ratio off numerator / denominator are kept (the checks come later,
in SQL). The national ``radar`` (whose ``ONLINE_SERVICE`` is CLGQ + TTTT), ``donuts``,
``monthlyChart`` and ``dossierChart`` are not read, nor are unknown top-level members.

Tables (``captured_at`` is UTC; ``repeated`` is true on a row whose key an earlier file, or an
earlier entry of the same file, already gave, with the same values wherever both have one):

* ``raw_portal_captures``: one row per file. file (relative to ``portal_dir``, POSIX), shape
  (national, units, details), form (response, crawler), captured_at, time_type (year, quarter,
  month), year, period_number (quarter 1-4, month 1-12, NULL for a year), period (``2026``,
  ``2026-Q3``, ``2026-09``), period_start, period_end (first and last day), complete (false when
  captured before the period ended), province_code (metadata ``provinceCode`` or the overview's
  code; NULL for a national ranking), root_department_id (metadata), from_manifest (the period
  or capture time came from manifest.csv), entries (units listed, the overview excluded).
* ``raw_portal_units``: one row per unit entry, or overview, of a file. file, member (the list it
  is in: evaluation, agencies, communes, unitsDetail, ...; ``overview``), position (1-based in
  that list; NULL for the overview), level (``national`` for "Cả nước", ``province``, ``department``
  for AGENCY, ``commune`` for COMMUNE), portal_code (``departmentCode``), portal_id
  (``departmentId``), name, child_group (as published), province_code (a province's own code in a
  national ranking), total, total_max, ratio, score_delta, growth_percent, CKMB, TDGQ, CLGQ
  (``ONLINE`` in unit entries), TTTT, MDSH, MDHL, crawler_rank, crawler_group_rank (``rank``,
  ``groupRank``: computed by the crawler, not the portal), crawler_unit_count,
  crawler_agency_count, crawler_commune_count (the overview's counts), repeated.
* ``raw_portal_scores``: one row per unit (province and country included) x period x capture
  time, whichever files gave it: level, portal_code, time_type, year, period_number, period,
  captured_at, complete, province_code, portal_id, name, child_group, total ... MDHL as above,
  files (every file that gave it, in the order read). Where one file lacks a value (a details
  file's overview has no group scores; a province overview has ``scoreDelta`` null where the
  national ranking has a number) another's value is used; where both have one, they are equal.
* ``raw_portal_metrics``: details only; one row per group block (row_type ``group``: score,
  max_score, ratio) and per metric (row_type ``metric``) of a unit in a file. file, portal_code,
  block (as published, e.g. ``CKMB_CongKhaiMinhBach``), group_code (CKMB ... MDHL; ``ONLINE_`` is
  CLGQ), row_type, position (of the metric in its block), metric_code, metric_name, numerator,
  denominator, ratio, score, max_score, quality_status, quality_message
  (``dataQualityStatus``, ``dataQualityMessage``), repeated. Unknown codes are kept.
* ``raw_portal_tdgq``: one row per TDGQ block of a unit in a file. file, portal_code, block,
  received, on_time, overdue, avg_days (``totalReceived``, ``totalOnTime``, ``totalOverdue``,
  ``avgProcessingDays``), ratio, score, max_score, repeated.
* ``raw_portal_totals``: one row per other member of a block (TTTT's
  ``totalDossierOnlinePaymentSuccess`` ..., MDHL's ``totalPetitions`` ..., unknown ones too). file,
  portal_code, block, group_code, name (as published), value, repeated.

A bad file stops the build with an ``InputError``: one line naming the file (as
``<folder>/<path>``) and the problem. The same unit (or metric, TDGQ block, total), period and
capture time read twice with two different values stops it too, naming both files (a value
against a null is not a difference: one view may leave out what another gives). A unit is its
code (one code given two levels in one capture stops the build); a block's rows are its group's
(two spellings of one group's block are one block, whose values must agree).

``create_empty(con)`` makes the same tables with no rows: a build without a portal folder has
them, so that every SQL file runs on every build.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import InputError
from . import shapes
from .periods import (
    MANIFEST,
    MANIFEST_COLUMNS,
    Period,
    When,
    from_metadata,
    local_midnight,
    read_manifest,
)
from .shapes import GROUPS, Document, Problem, show

Progress = Callable[[str], None]


_S, _F, _I, _B = pa.string(), pa.float64(), pa.int32(), pa.bool_()
_TS, _D = pa.timestamp("us"), pa.date32()
_GROUP_COLUMNS = [(g, _F) for g in GROUPS]
_SCORE_VALUES = [
    ("portal_id", _S),
    ("name", _S),
    ("child_group", _S),
    ("total", _F),
    ("total_max", _F),
    ("ratio", _F),
    ("score_delta", _F),
    ("growth_percent", _F),
    *_GROUP_COLUMNS,
]
_PERIOD = [("time_type", _S), ("year", _I), ("period_number", _I), ("period", _S)]
TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "raw_portal_captures": [
        ("file", _S),
        ("shape", _S),
        ("form", _S),
        ("captured_at", _TS),
        *_PERIOD,
        ("period_start", _D),
        ("period_end", _D),
        ("complete", _B),
        ("province_code", _S),
        ("root_department_id", _S),
        ("from_manifest", _B),
        ("entries", _I),
    ],  # fmt: skip
    "raw_portal_units": [
        ("file", _S),
        ("member", _S),
        ("position", _I),
        ("level", _S),
        ("portal_code", _S),
        ("portal_id", _S),
        ("name", _S),
        ("child_group", _S),
        ("province_code", _S),
        ("total", _F),
        ("total_max", _F),
        ("ratio", _F),
        ("score_delta", _F),
        ("growth_percent", _F),
        *_GROUP_COLUMNS,
        ("crawler_rank", _F),
        ("crawler_group_rank", _F),
        ("crawler_unit_count", _F),
        ("crawler_agency_count", _F),
        ("crawler_commune_count", _F),
        ("repeated", _B),
    ],  # fmt: skip
    "raw_portal_scores": [
        ("level", _S),
        ("portal_code", _S),
        *_PERIOD,
        ("captured_at", _TS),
        ("complete", _B),
        ("province_code", _S),
        *_SCORE_VALUES,
        ("files", pa.list_(_S)),
    ],  # fmt: skip
    "raw_portal_metrics": [
        ("file", _S),
        ("portal_code", _S),
        ("block", _S),
        ("group_code", _S),
        ("row_type", _S),
        ("position", _I),
        ("metric_code", _S),
        ("metric_name", _S),
        ("numerator", _F),
        ("denominator", _F),
        ("ratio", _F),
        ("score", _F),
        ("max_score", _F),
        ("quality_status", _S),
        ("quality_message", _S),
        ("repeated", _B),
    ],  # fmt: skip
    "raw_portal_tdgq": [
        ("file", _S),
        ("portal_code", _S),
        ("block", _S),
        ("received", _F),
        ("on_time", _F),
        ("overdue", _F),
        ("avg_days", _F),
        ("ratio", _F),
        ("score", _F),
        ("max_score", _F),
        ("repeated", _B),
    ],  # fmt: skip
    "raw_portal_totals": [
        ("file", _S),
        ("portal_code", _S),
        ("block", _S),
        ("group_code", _S),
        ("name", _S),
        ("value", _F),
        ("repeated", _B),
    ],  # fmt: skip
}

# What two reads of one key must agree on (the crawler's ranks and counts, and where an entry
# sits in its file, may differ between files of one capture). A unit's key is its code and the
# capture (its level is compared: one code is one unit); a block's rows are keyed by their group
# (two spellings of one group's block, in one entry or in two files, are one block).
_COMPARED = {
    "units": ["level", *(c for c, _ in _SCORE_VALUES)],
    "metrics": ["metric_name", "numerator", "denominator", "ratio", "score", "max_score"]
    + ["quality_status", "quality_message"],
    "tdgq": ["received", "on_time", "overdue", "avg_days", "ratio", "score", "max_score"],
    "totals": ["value"],
}
_KEYS = {
    "metrics": ("group_code", "row_type", "metric_code"),
    "tdgq": ("group_code",),
    "totals": ("group_code", "name"),
}


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class PortalFile:
    """What one file gave."""

    file: str  # relative to the portal folder, POSIX
    shape: str
    form: str  # response (raw API response) or crawler
    period: Period
    captured_at: dt.datetime  # UTC, naive
    complete: bool
    entries: int  # units listed, the overview excluded


@dataclass
class PortalReport:
    """What ``read_portal`` read: the files in the order read, and rows per table."""

    portal_dir: Path
    files: list[PortalFile] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def shapes(self) -> dict[str, int]:
        counts = dict.fromkeys(shapes.SHAPES, 0)
        for f in self.files:
            counts[f.shape] += 1
        return counts


# --------------------------------------------------------------------------------------------
# Entry point


def read_portal(
    con: duckdb.DuckDBPyConnection, portal_dir: Path, *, progress: Progress | None = None
) -> PortalReport:
    """Read every JSON file under ``portal_dir`` into the ``raw_portal_*`` tables.

    Raises ``InputError`` (one line naming the file) on a bad file, a bad manifest, a file that
    names no period or capture time, or two reads of one unit, period and capture that differ.
    """
    portal_dir = Path(portal_dir)
    say = progress or (lambda _message: None)
    folder = portal_dir.name or str(portal_dir)
    if not portal_dir.is_dir():
        raise InputError(str(portal_dir), "không tìm thấy thư mục dữ liệu của cổng")
    files = _find_json(portal_dir, folder)
    if not files:
        raise InputError(folder + "/", "không có tệp JSON nào")
    manifest = read_manifest(portal_dir / MANIFEST, f"{folder}/{MANIFEST}", set(files))
    report = PortalReport(portal_dir=portal_dir)
    store = _Store()
    for rel, path in files.items():
        shown = f"{folder}/{rel}"
        form, content, meta = _unwrap(_load_json(path, shown), shown)
        try:
            doc = shapes.parse_document(content)
        except Problem as problem:
            raise InputError(shown, str(problem)) from None
        capture = _capture(rel, shown, doc, form, meta, manifest.get(rel))
        store.add(capture, doc, shown)
        report.files.append(
            PortalFile(
                rel, doc.shape, form, capture["_period"], capture["captured_at"],
                capture["complete"], doc.entries,
            )
        )  # fmt: skip
        say(f"cổng DVCQG: {rel}: {doc.shape}, {doc.entries} đơn vị, kỳ {capture['period']}")
    for table, rows in store.tables().items():
        _write(con, table, rows)
        report.rows[table] = len(rows)
    return report


def create_empty(con: duckdb.DuckDBPyConnection) -> None:
    """The ``raw_portal_*`` tables with their columns and no rows (no portal folder)."""
    for table in TABLES:
        _write(con, table, [])


def _find_json(portal_dir: Path, folder: str) -> dict[str, Path]:
    """Every ``*.json`` under the folder (hidden ones skipped), by relative POSIX path."""
    found: dict[str, Path] = {}

    def fail(_error: OSError) -> None:
        raise InputError(folder + "/", "không đọc được thư mục")

    for root, dirs, names in os.walk(portal_dir, onerror=fail):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(".json"):
                path = Path(root) / name
                found[path.relative_to(portal_dir).as_posix()] = path
    return dict(sorted(found.items()))


# --------------------------------------------------------------------------------------------
# One file


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


class _NotFinite(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _not_finite(_name: str) -> float:
    raise _NotFinite


def _load_json(path: Path, shown: str) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        raise InputError(shown, "không đọc được tệp") from None
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(shown, "không phải văn bản UTF-8") from None
    if not text.strip():
        raise InputError(shown, "tệp rỗng")
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_not_finite)
    except json.JSONDecodeError as exc:
        raise InputError(shown, f"JSON hỏng (dòng {exc.lineno}, cột {exc.colno})") from None
    except _DuplicateKey as exc:
        problem = f"JSON ghi khoá {show(exc.key)} hai lần trong một đối tượng"
        raise InputError(shown, problem) from None
    except _NotFinite:
        raise InputError(shown, "JSON có NaN hoặc Infinity (không phải số hợp lệ)") from None
    except RecursionError:
        raise InputError(shown, "JSON lồng quá sâu") from None


def _unwrap(top: Any, shown: str) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    """(form, the data members, metadata) of a raw API response or a crawler's file."""
    if not isinstance(top, dict):
        raise InputError(shown, "tệp JSON không phải một đối tượng {...}")
    if "code" in top:
        if top["code"] != "OK":
            raise InputError(shown, f"phản hồi của cổng báo lỗi (code {show(top['code'])})")
        content, form = top.get("data"), "response"
        if not isinstance(content, dict):
            raise InputError(shown, "phản hồi của cổng không có data {...}")
    elif isinstance(top.get("data"), dict) and not _has_units(top):
        content, form = top["data"], "crawler"  # a crawler's wrapper: metadata + data
    else:
        content, form = top, "crawler"
    meta = top.get("metadata", content.get("metadata"))
    if meta is not None and not isinstance(meta, dict):
        raise InputError(shown, "metadata không phải một đối tượng")
    return form, content, meta


def _has_units(content: dict[str, Any]) -> bool:
    return any(name in shapes.UNIT_LISTS or name.endswith(shapes.DETAIL_SUFFIX) for name in content)


# --------------------------------------------------------------------------------------------
# Period and capture time


def _capture(
    rel: str,
    shown: str,
    doc: Document,
    form: str,
    meta: dict[str, Any] | None,
    row: When | None,
) -> dict[str, Any]:
    """The file's row of raw_portal_captures (``_period`` holds its Period)."""
    try:
        said = from_metadata(meta or {})
    except ValueError as exc:
        raise InputError(shown, f"metadata: {exc}") from None
    listed = row or When()
    for what, mine, theirs in (
        ("thời điểm thu thập", said.captured_at, listed.captured_at),
        ("kỳ đánh giá", said.period, listed.period),
    ):
        if mine is not None and theirs is not None and mine != theirs:
            raise InputError(shown, f"metadata và {MANIFEST} ghi {what} khác nhau")
    period = said.period or listed.period
    captured = said.captured_at or listed.captured_at
    hint = (
        f"dòng của tệp trong {MANIFEST} để trống"
        if row
        else f"thêm một dòng cho tệp vào {MANIFEST} ({','.join(MANIFEST_COLUMNS)})"
    )
    if period is None:
        raise InputError(shown, f"tệp không ghi kỳ đánh giá (metadata timeType, year); {hint}")
    if captured is None:
        raise InputError(shown, f"tệp không ghi thời điểm thu thập (metadata extractedAt); {hint}")
    if captured < local_midnight(period.start):
        problem = f"thu thập lúc {captured:%Y-%m-%d %H:%M} UTC, trước khi kỳ {period.text} bắt đầu"
        raise InputError(shown, problem)
    meta = meta or {}
    return {
        "file": rel, "shape": doc.shape, "form": form, "captured_at": captured,
        "time_type": period.time_type, "year": period.year, "period_number": period.number,
        "period": period.text, "period_start": period.start, "period_end": period.end,
        "complete": captured >= local_midnight(period.end + dt.timedelta(days=1)),
        "province_code": _meta_text(meta, "provinceCode", shown) or doc.province_code,
        "root_department_id": _meta_text(meta, "rootDepartmentId", shown),
        "from_manifest": row is not None and (said.period is None or said.captured_at is None),
        "entries": doc.entries, "_period": period,
    }  # fmt: skip


def _meta_text(meta: dict[str, Any], key: str, shown: str) -> str | None:
    try:
        return shapes.text(meta.get(key), key)
    except Problem as problem:
        raise InputError(shown, f"metadata: {problem}") from None


# --------------------------------------------------------------------------------------------
# Rows, repeats and conflicts


class _Store:
    """The rows of every file, and the first values given for each key."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {
            kind: [] for kind in ("captures", "units", "metrics", "tdgq", "totals")
        }
        # (kind, key) -> (first file, values merged over the files, files)
        self.seen: dict[tuple, tuple[str, dict[str, Any], list[str]]] = {}
        self.scores: dict[tuple, dict[str, Any]] = {}  # unit key -> the scores row

    def add(self, capture: dict[str, Any], doc: Document, shown: str) -> None:
        self.rows["captures"].append(capture)
        when = (capture["time_type"], capture["year"], capture["period_number"])
        when += (capture["captured_at"],)
        for unit in doc.units:
            row = {**unit, "file": capture["file"]}
            if unit["level"] == "province" and doc.shape == "national":
                row["province_code"] = unit["portal_code"]
            elif unit["level"] != "national":
                row["province_code"] = capture["province_code"]
            key = ("units", unit["portal_code"], *when)
            row["repeated"] = self._check(key, unit, "units", capture, shown)
            self.rows["units"].append(row)
            self._score(key, row, capture)
        for kind in ("metrics", "tdgq", "totals"):
            for item in getattr(doc, kind):
                parts = tuple(item.get(k) for k in _KEYS[kind])
                key = (kind, item["portal_code"], *when, *parts)
                repeated = self._check(key, item, kind, capture, shown)
                self.rows[kind].append({**item, "file": capture["file"], "repeated": repeated})

    def _check(self, key: tuple, values: dict, kind: str, capture: dict, shown: str) -> bool:
        """False for a key read first; True for a repeat that agrees; InputError otherwise."""
        compared = {c: values[c] for c in _COMPARED[kind] if c in values}
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = (shown, compared, [capture["file"]])
            return False
        first_file, merged, files = first
        for column, value in compared.items():
            known = merged.get(column)
            if known is not None and value is not None and known != value:
                raise InputError(shown, _conflict(key, values, capture, column, first_file, shown))
            if known is None:  # absent or null so far: a value given here is used
                merged[column] = value
        if capture["file"] not in files:
            files.append(capture["file"])
        return True

    def _score(self, key: tuple, row: dict[str, Any], capture: dict[str, Any]) -> None:
        merged = self.seen[key][1]
        score = self.scores.setdefault(
            key,
            {
                "level": row["level"], "portal_code": row["portal_code"],
                "time_type": capture["time_type"], "year": capture["year"],
                "period_number": capture["period_number"], "period": capture["period"],
                "captured_at": capture["captured_at"], "complete": capture["complete"],
                "province_code": row.get("province_code"), "files": self.seen[key][2],
            },
        )  # fmt: skip
        score.update(merged)

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "raw_portal_captures": self.rows["captures"],
            "raw_portal_units": self.rows["units"],
            "raw_portal_scores": list(self.scores.values()),
            "raw_portal_metrics": self.rows["metrics"],
            "raw_portal_tdgq": self.rows["tdgq"],
            "raw_portal_totals": self.rows["totals"],
        }


def _conflict(key: tuple, values: dict, capture: dict, column: str, first: str, shown: str) -> str:
    kind, code = key[0], key[1]
    code = show(code) if code is not None else shapes.NATIONAL_NAME
    block = show(values.get("block"))
    if kind == "metrics":
        metric = values.get("metric_code")
        what = f" chỉ số {show(metric)}" if metric else f" khối {block}"
    elif kind == "tdgq":
        what = f" khối {block}"
    elif kind == "totals":
        what = f" {block}.{show(values.get('name'))}"
    else:
        what = ""
    when = f"kỳ {capture['period']}, thu thập {capture['captured_at']:%Y-%m-%d %H:%M:%S} UTC"
    where = "hai lần trong tệp này" if first == shown else f"khác với {first}"
    return f"{code}{what} ({when}): {column} {where}"


def _write(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    columns = TABLES[table]
    data = pa.table(
        {name: pa.array([r.get(name) for r in rows], type=kind) for name, kind in columns}
    )
    view = "_minhbach_portal_rows"
    con.register(view, data)
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM {view}')
    finally:
        con.unregister(view)
