"""One portal document (the ``data`` of an API response, or a crawler file) turned into rows.

``parse_document`` recognises the shape (``portal.md``'s table) and returns plain dicts, one per
unit entry, group block, metric, TDGQ block and total; no DuckDB here (``read.py`` loads them).

A row dict holds only what the JSON holds: a member absent from the entry is absent from the
dict (so that two files of one capture can be compared on what both publish), a member that is
``null`` is ``None``. Numbers are floats exactly as parsed; text is kept as it is. Nothing is
corrected or recomputed. A document that does not fit raises ``Problem`` with a short Vietnamese
message (``read.py`` adds the file name); messages show at most short, cleaned keys, never names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")
# Other spellings of a group key. ONLINE_SERVICE (the national radar's CLGQ + TTTT, max 22) is a
# different figure, not an alias: the radar is not read.
GROUP_ALIASES = {"ONLINE": "CLGQ"}
CHILD_LEVELS = {"AGENCY": "department", "COMMUNE": "commune"}
NATIONAL_NAME = "Cả nước"

SHAPES = ("national", "units", "details")
UNIT_LISTS = ("evaluation", "agencies", "communes")  # ... and every member ending in "Detail"
DETAIL_SUFFIX = "Detail"  # unitsDetail (all units), agenciesDetail, communesDetail

_PROVINCE_CODE = re.compile(r"H\d\d")
_SAFE = re.compile(r"[\w.\-]{1,40}")

# entry member -> column (numbers)
UNIT_NUMBERS = {
    "totalScore": "total",
    "totalMaxScore": "total_max",
    "ratio": "ratio",
    "scoreDelta": "score_delta",
    "growthPercent": "growth_percent",
    "rank": "crawler_rank",
    "groupRank": "crawler_group_rank",
}
OVERVIEW_COUNTS = {
    "totalUnitsCount": "crawler_unit_count",
    "agencyCount": "crawler_agency_count",
    "communeCount": "crawler_commune_count",
}
BLOCK_NUMBERS = {"score": "score", "maxScore": "max_score", "ratio": "ratio"}
TDGQ_COUNTS = {
    "totalReceived": "received",
    "totalOnTime": "on_time",
    "totalOverdue": "overdue",
    "avgProcessingDays": "avg_days",
}
METRIC_NUMBERS = {
    "numerator": "numerator",
    "denominator": "denominator",
    "ratio": "ratio",
    "score": "score",
    "maxScore": "max_score",
}
METRIC_TEXTS = {
    "name": "metric_name",
    "dataQualityStatus": "quality_status",
    "dataQualityMessage": "quality_message",
}


class Problem(Exception):
    """The document does not fit a shape; the message is one short Vietnamese line."""


@dataclass
class Document:
    """The rows of one document. Unit rows carry ``level`` and ``portal_code`` (their key)."""

    shape: str
    province_code: str | None = None  # the overview's code in a unit list or details file
    entries: int = 0  # units listed (the overview excluded)
    units: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    tdgq: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)


def show(value: object, limit: int = 40) -> str:
    """A key or code fit for a message: short and printable."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.lru_cache(maxsize=4096)
def _shown_key(key: object) -> str:
    text = str(key)
    return text if _SAFE.fullmatch(text) else "(tên lạ)"


# --------------------------------------------------------------------------------------------
# Shapes


def unit_lists(content: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The members of ``content`` that list units, in document order."""
    found = []
    for name, value in content.items():
        if name in UNIT_LISTS or name.endswith(DETAIL_SUFFIX):
            if not isinstance(value, list):
                raise Problem(f"{_shown_key(name)} không phải một danh sách")
            found.append((name, value))
    return found


def recognise(content: dict[str, Any]) -> str:
    """``national``, ``units`` or ``details``: what the document is, by its members."""
    names = [name for name, _ in unit_lists(content)]
    if any(name.endswith(DETAIL_SUFFIX) for name in names):
        return "details"
    if "agencies" in names or "communes" in names:
        return "units"
    if "evaluation" in names:
        entries = content["evaluation"]
        if any(isinstance(e, dict) and e.get("childGroup") is not None for e in entries):
            return "units"
        overview = content.get("overview")
        national = isinstance(overview, dict) and overview.get("departmentName") == NATIONAL_NAME
        codes = [e.get("departmentCode") if isinstance(e, dict) else None for e in entries]
        provinces = bool(codes) and all(
            isinstance(c, str) and _PROVINCE_CODE.fullmatch(c) for c in codes
        )
        if national or provinces:
            return "national"
        if not entries:
            return "units"  # an empty page of a province's units: no rows
    raise Problem(
        "không nhận ra dạng tệp: cần evaluation[] (xếp hạng toàn quốc hoặc đơn vị), "
        "agencies[]/communes[] hoặc unitsDetail[] (xem portal.md)"
    )


def parse_document(content: dict[str, Any]) -> Document:
    """Every row of the document; raises ``Problem`` when it does not fit its shape."""
    doc = Document(shape=recognise(content))
    overview = content.get("overview")
    if overview is not None:
        doc.units.append(_overview(overview, content, doc.shape))
        if doc.shape != "national":
            doc.province_code = doc.units[-1]["portal_code"]
    for member, entries in unit_lists(content):
        for position, entry in enumerate(entries, start=1):
            where = f"{_shown_key(member)}, mục {position}"
            unit = _unit(entry, where, doc.shape)
            unit.update(member=member, position=position)
            doc.units.append(unit)
            doc.entries += 1
            indicators = entry.get("componentIndicators")
            if indicators is not None:
                _indicators(indicators, unit, where, doc)
    return doc


# --------------------------------------------------------------------------------------------
# Units


def _overview(overview: object, content: dict[str, Any], shape: str) -> dict[str, Any]:
    where = "overview"
    if not isinstance(overview, dict):
        raise Problem(f"{where} không phải một đối tượng")
    code = text(overview.get("departmentCode"), f"{where}: departmentCode")
    row: dict[str, Any] = {"member": "overview", "position": None}
    if shape == "national":
        row.update(level="national", portal_code=code)
    else:
        if not code or not code.strip():
            raise Problem(f"{where}: thiếu departmentCode")
        row.update(level="province", portal_code=code)
    _header(row, overview, where)
    # The crawler puts these in the overview; a details file has them beside it, a raw
    # national response has growthPercent beside it.
    for key, column in {"growthPercent": "growth_percent", **OVERVIEW_COUNTS}.items():
        source = overview if key in overview else content
        if key in source:
            row[column] = number(source[key], f"{where}: {key}")
    return row


def _unit(entry: object, where: str, shape: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise Problem(f"{where}: không phải một đối tượng")
    code = text(entry.get("departmentCode"), f"{where}: departmentCode")
    if not code or not code.strip():
        raise Problem(f"{where}: thiếu departmentCode")
    row: dict[str, Any] = {"portal_code": code}
    if shape == "national":
        row["level"] = "province"
    else:
        child = entry.get("childGroup")
        if child is None:
            raise Problem(f"{where}: thiếu childGroup (AGENCY hoặc COMMUNE)")
        if child not in CHILD_LEVELS:
            raise Problem(f"{where}: childGroup không rõ: {_shown_key(child)}")
        row.update(level=CHILD_LEVELS[child], child_group=child)
    _header(row, entry, where)
    return row


def _header(row: dict[str, Any], entry: dict[str, Any], where: str) -> None:
    """The members a unit entry and an overview share."""
    if "departmentId" in entry:
        row["portal_id"] = text(entry["departmentId"], f"{where}: departmentId")
    if "departmentName" in entry:
        row["name"] = text(entry["departmentName"], f"{where}: departmentName")
    for key, column in UNIT_NUMBERS.items():
        if key in entry:
            row[column] = number(entry[key], f"{where}: {key}")
    scores = entry.get("groupScores")
    if scores is not None:
        row.update(group_scores(scores, where))


def group_scores(scores: object, where: str) -> dict[str, float | None]:
    """``groupScores`` under the six canonical keys (aliases read); a bad value is a Problem."""
    if not isinstance(scores, dict):
        raise Problem(f"{where}: groupScores không phải một đối tượng")
    out: dict[str, float | None] = {}
    for key, value in scores.items():
        group = group_of(key)
        if group is None:
            raise Problem(f"{where}: groupScores có nhóm không rõ: {_shown_key(key)}")
        score = number(value, f"{where}: groupScores.{_shown_key(key)}")
        if group in out and out[group] != score:
            raise Problem(f"{where}: groupScores ghi nhóm {group} hai lần với hai giá trị")
        out[group] = score
    return out


def group_of(key: object) -> str | None:
    """The canonical group of a key (``ONLINE`` -> ``CLGQ``), or None."""
    if not isinstance(key, str):
        return None
    name = key.strip().upper()
    name = GROUP_ALIASES.get(name, name)
    return name if name in GROUPS else None


# --------------------------------------------------------------------------------------------
# Component indicators (details files)


def _indicators(indicators: object, unit: dict[str, Any], where: str, doc: Document) -> None:
    if not isinstance(indicators, dict):
        raise Problem(f"{where}: componentIndicators không phải một đối tượng")
    for block, body in indicators.items():
        group = group_of(block.split("_", 1)[0])
        if group is None:
            raise Problem(f"{where}: khối chỉ số không rõ: {_shown_key(block)}")
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise Problem(f"{where}, {_shown_key(block)}: không phải một đối tượng")
        bwhere = f"{where}, {_shown_key(block)}"
        base = {
            "level": unit["level"],
            "portal_code": unit["portal_code"],
            "block": block,
            "group_code": group,
        }
        head = {**base, "row_type": "group", "position": None, "metric_code": None}
        _numbers(head, body, BLOCK_NUMBERS, bwhere)
        doc.metrics.append(head)
        known = set(BLOCK_NUMBERS) | {"metrics"}
        if group == "TDGQ":
            tdgq = dict(base)
            _numbers(tdgq, body, {**TDGQ_COUNTS, **BLOCK_NUMBERS}, bwhere)
            doc.tdgq.append(tdgq)
            known |= set(TDGQ_COUNTS)
        for key, value in body.items():
            if key not in known:
                total = number(value, f"{bwhere}: {_shown_key(key)}")
                doc.totals.append({**base, "name": key, "value": total})
        metrics = body.get("metrics")
        if metrics is not None:
            if not isinstance(metrics, list):
                raise Problem(f"{bwhere}: metrics không phải một danh sách")
            for position, metric in enumerate(metrics, start=1):
                doc.metrics.append(_metric(metric, base, position, f"{bwhere}, chỉ số {position}"))


def _metric(metric: object, base: dict[str, Any], position: int, where: str) -> dict[str, Any]:
    if not isinstance(metric, dict):
        raise Problem(f"{where}: không phải một đối tượng")
    code = text(metric.get("code"), f"{where}: code")
    if not code or not code.strip():
        raise Problem(f"{where}: thiếu code")
    row = {**base, "row_type": "metric", "position": position, "metric_code": code}
    for key, column in METRIC_TEXTS.items():
        if key in metric:
            row[column] = text(metric[key], f"{where}: {key}")
    _numbers(row, metric, METRIC_NUMBERS, where)
    return row


# --------------------------------------------------------------------------------------------
# Values


def _numbers(row: dict[str, Any], source: dict[str, Any], names: dict[str, str], where: str):
    for key, column in names.items():
        if key in source:
            row[column] = number(source[key], f"{where}: {key}")


def number(value: object, what: str) -> float | None:
    """A JSON number as a float (exactly as parsed), null as None; anything else a Problem."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Problem(f"{what} không phải số")
    return float(value)


def text(value: object, what: str) -> str | None:
    """A JSON string as it is (a whole number as its digits), null as None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise Problem(f"{what} không phải chuỗi")
