"""A unit's archive ``co-quan/<slug>/cac-ky/index.md``: every complete period of the unit
(months, quarters, years), one row each whose anchor is the period, holding that period's
scorecard in brief (``page_unit_periods``). ``/co-quan/<slug>/cac-ky/#2026-10`` is the stable,
citable address of a unit's month. Out of the navigation; linked from the unit's page (its
"Trích dẫn" block). This module groups the rows by unit and period type; it computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import duckdb

from .citation import Citation, citation
from .context import PageContext
from .site import Site, by_key, query

if TYPE_CHECKING:
    from .writer import Writer

READS = ("page_unit_periods", "page_unit_headline")

ARCHIVE_DIR = "cac-ky"  # under the unit's page: co-quan/<slug>/cac-ky/
TITLE = "Bảng điểm qua các kỳ"


@dataclass(frozen=True)
class UnitPeriodsPage(PageContext):
    """The variables of ``co-quan-cac-ky.md.j2``."""

    TEMPLATE: ClassVar[str] = "co-quan-cac-ky.md.j2"

    root: str
    unit: dict  # page_unit_headline
    months: tuple[dict, ...]  # page_unit_periods of the months, newest first
    quarters: tuple[dict, ...]  # … of the quarters
    years: tuple[dict, ...]  # … of the years
    groups: tuple  # page_site_groups: the group columns
    citation: Citation


def archive_path(slug: str) -> str:
    return f"co-quan/{slug}/{ARCHIVE_DIR}/index.md"


def unit_periods_page(unit: dict, rows: list[dict], groups: tuple, cite: Citation):
    """The context of one unit's archive from its rows of ``page_unit_periods``."""
    kinds = by_key(rows, "period_type")
    return UnitPeriodsPage(
        root="../../../",
        unit=unit,
        months=tuple(kinds.get("month", ())),
        quarters=tuple(kinds.get("quarter", ())),
        years=tuple(kinds.get("year", ())),
        groups=groups,
        citation=cite,
    )


def render_archives(con: duckdb.DuckDBPyConnection, w: Writer, site: Site) -> int:
    """Register every unit's archive page; returns how many."""
    rows = by_key(
        query(con, "select * from page_unit_periods order by agency_id, row_order"), "agency_id"
    )
    units = query(con, "select * from page_unit_headline order by agency_id")
    for unit in units:
        path = archive_path(unit["slug"])
        cite = citation(w.info, path, f"{TITLE}: {unit['name']}", "")
        context = unit_periods_page(unit, rows.get(unit["agency_id"], []), site.groups, cite)
        w.page(path, context)
    return len(units)
