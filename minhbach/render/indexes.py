"""The index pages ``thu-tuc/index.md`` (every procedure with a page, A–Z and by field) and
``co-quan/index.md`` (every unit, by level and A–Z): plain lists of links that work without
JavaScript, so that no procedure or unit page is reachable only by search.

Every row comes from ``queries/pages/page_index_procedures.sql`` and
``page_index_units.sql``, already ordered, lettered (Vietnamese order: Đ after D) and anchored;
this module only cuts the ordered rows into their groups. It computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import duckdb

from .context import PageContext
from .site import query

if TYPE_CHECKING:
    from .writer import Writer

# The tables this module reads (the pipeline keeps them until the pages are written).
READS = ("page_index_procedures", "page_index_units")


@dataclass(frozen=True)
class ProcedureIndexPage(PageContext):
    """The variables of ``thu-tuc-index.md.j2``."""

    TEMPLATE: ClassVar[str] = "thu-tuc-index.md.j2"

    root: str
    count: int  # procedures listed
    letters: tuple[dict, ...]  # {letter, anchor, rows}: page_index_procedures A–Z
    fields: tuple[dict, ...]  # {label, anchor, rows}: the same rows by field


@dataclass(frozen=True)
class UnitIndexPage(PageContext):
    """The variables of ``co-quan-index.md.j2``."""

    TEMPLATE: ClassVar[str] = "co-quan-index.md.j2"

    root: str
    count: int  # units listed
    levels: tuple[dict, ...]  # {label, anchor, rows}: page_index_units by level
    letters: tuple[dict, ...]  # {letter, anchor, rows}: the same rows A–Z


def groups(rows: list[dict], order: str, **columns: str) -> tuple[dict, ...]:
    """The rows cut into groups by ``order`` (each group's rows in the given order), each group
    with ``columns`` (name in the group: column of its first row) and its ``rows``."""
    out: dict = {}
    for r in sorted(rows, key=lambda r: r[order]):  # stable: keeps the rows' order
        if r[order] not in out:
            out[r[order]] = {name: r[col] for name, col in columns.items()} | {"rows": []}
        out[r[order]]["rows"].append(r)
    return tuple({**g, "rows": tuple(g["rows"])} for g in out.values())


def procedure_index(rows: list[dict]) -> ProcedureIndexPage:
    """The context of ``/thu-tuc/`` from page_index_procedures' rows (in row_order)."""
    return ProcedureIndexPage(
        root="../",
        count=len(rows),
        letters=groups(rows, "letter_order", letter="letter", anchor="letter_anchor"),
        fields=groups(rows, "field_order", label="field_label", anchor="field_anchor"),
    )


def unit_index(rows: list[dict]) -> UnitIndexPage:
    """The context of ``/co-quan/`` from page_index_units' rows (in row_order)."""
    by_level = sorted(rows, key=lambda r: r["level_row_order"])
    return UnitIndexPage(
        root="../",
        count=len(rows),
        levels=groups(by_level, "level_order", label="level_heading", anchor="level_anchor"),
        letters=groups(rows, "letter_order", letter="letter", anchor="letter_anchor"),
    )


def render_indexes(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    """Register ``thu-tuc/index.md`` and ``co-quan/index.md`` with the writer."""
    procedures = query(con, "select * from page_index_procedures order by row_order")
    units = query(con, "select * from page_index_units order by row_order")
    w.page("thu-tuc/index.md", procedure_index(procedures))
    w.page("co-quan/index.md", unit_index(units))
