"""A file's header against the contract: canonical names, aliases, columns left out.

Headers are matched with ``contract.alias_map`` (case-insensitive after trimming). Every column
outside the contract -- personal data such as ChuHoSo or SoDienThoai, and anything unknown -- is
left out while the file is read: only its name is kept, for the data-quality report, and the
report says which of them are known to carry personal data (``contract.PERSONAL_COLUMNS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import contract
from ..errors import InputError
from .report import TableReport


@dataclass
class Mapping:
    positions: dict[str, int]  # canonical column -> position in the file's header
    dropped: list[str]  # header names outside the contract
    duplicates: list[str]  # header names of contract columns already supplied by another


def map_header(table: contract.Table, names: list[str], rel: str) -> Mapping:
    """Match a file's header to the contract.

    When several headers name the same contract column (real DVCQG exports carry both MaDonVi
    and MaDonViXuLy, or a canonical name beside its alias), the one earliest in the contract's
    list wins -- canonical name first, then the aliases in the order the contract gives them --
    whatever the order of the file's columns; the others are ignored (and named in the report).
    Exact repeats of a header keep the leftmost. Empty header cells are ignored.
    """
    aliases = contract.alias_map(table)
    rank: dict[str, int] = {}
    for col in table.columns:
        for i, alias in enumerate((col.name, *col.aliases)):
            rank[contract.normalise_header(alias)] = i
    best: dict[str, tuple[int, int]] = {}  # canonical -> (rank, position)
    dropped: list[str] = []
    candidates: list[tuple[str, int, str]] = []
    for pos, raw in enumerate(names):
        key = contract.normalise_header(raw)
        if not key:
            continue
        canonical = aliases.get(key)
        if canonical is None:
            label = _label(raw)
            if label not in dropped:
                dropped.append(label)
            continue
        candidates.append((canonical, pos, raw))
        choice = (rank[key], pos)
        if canonical not in best or choice < best[canonical]:
            best[canonical] = choice
    positions = {canonical: pos for canonical, (_, pos) in best.items()}
    duplicates = [_label(raw) for canonical, pos, raw in candidates if positions[canonical] != pos]
    _check_required(table, positions, names, rel)
    return Mapping(positions, dropped, duplicates)


def report_columns(report: TableReport, table: contract.Table, mappings: list[Mapping]) -> None:
    """Fill the report's column lists from the mappings of a table's files (in reading order)."""
    for mapping in mappings:
        for column in mapping.dropped:
            if column not in report.dropped_columns:
                report.dropped_columns.append(column)
        for column in mapping.duplicates:
            if column not in report.duplicate_columns:
                report.duplicate_columns.append(column)
    personal = {contract.normalise_header(c) for c in contract.PERSONAL_COLUMNS}
    report.personal_columns = [
        c for c in report.dropped_columns if contract.normalise_header(c) in personal
    ]
    seen = {c for mapping in mappings for c in mapping.positions}
    report.missing_columns = [c for c in table.column_names if c not in seen]


def _check_required(
    table: contract.Table, positions: dict[str, int], names: list[str], rel: str
) -> None:
    missing = [c for c in table.columns if c.required and c.name not in positions]
    if missing:
        shown = ", ".join(f"{c.name} ({c.aliases[0]})" if c.aliases else c.name for c in missing)
        problem = f"thiếu cột bắt buộc {shown}"
        if len([n for n in names if n.strip()]) <= 1:
            problem += " (chỉ thấy một cột: dấu phân cách phải là dấu phẩy, chấm phẩy hoặc tab)"
        raise InputError(rel, problem)


def _label(name: str) -> str:
    """A header name as the report shows it: trimmed, at most 64 characters."""
    text = name.replace("\ufeff", "").replace("\u200b", "").strip()
    return text if len(text) <= 64 else text[:63] + "…"
