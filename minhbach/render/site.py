"""What every page kind shares: the periods, the site's period (the latest complete month, else
the latest month), the units and the province unit, read from the page tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

READS = ("page_site_groups", "page_site_periods", "page_units")


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """The rows of a query as dicts (column name: value)."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def query_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> dict | None:
    """The one row of a query that gives at most one, else None."""
    rows = query(con, sql, params)
    if len(rows) > 1:
        raise ValueError(f"more than one row: {sql}")
    return rows[0] if rows else None


def by_key(rows: Iterable[dict], key: str) -> dict[Any, list[dict]]:
    """Rows grouped by the value of one column, each group in the rows' order."""
    out: dict[Any, list[dict]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


@dataclass(frozen=True)
class Site:
    latest: dict | None  # page_site_periods: the site's period
    period_by_id: dict[str, dict]  # page_site_periods by period
    units: dict[str, dict]  # page_units by agency_id
    province: dict | None  # page_units: the province-level unit
    groups: tuple  # page_site_groups: the six groups of the 766 index, in order

    def unit_link(self, agency_id: str | None) -> dict | None:
        u = self.units.get(agency_id) if agency_id else None
        return {"name": u["name"], "slug": u["slug"]} if u else None


def load_site(con: duckdb.DuckDBPyConnection) -> Site:
    periods = query(con, "select * from page_site_periods")
    units = query(con, "select * from page_units")
    return Site(
        latest=query_one(con, "select * from page_site_periods where is_latest"),
        period_by_id={p["period"]: p for p in periods},
        units={u["agency_id"]: u for u in units},
        province=query_one(con, "select * from page_units where is_province"),
        groups=tuple(query(con, "select * from page_site_groups")),
    )
