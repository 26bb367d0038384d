"""What changed since the previous release, in one Vietnamese paragraph: the feed entry's summary
and the /lich-su/ table's last column."""

from __future__ import annotations

from ... import fmt
from .release import Release

SUMMARY_NAMES = 3  # unit names spelled out in the summary
SUMMARY_PERIODS = 6  # new periods spelled out in the summary


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
            for name, t in ((n, release.tables[n]) for n in release.table_names())
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
