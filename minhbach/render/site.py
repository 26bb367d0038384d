"""What every page kind shares, read from the page tables: the site's period (the latest
complete month, else the latest month), the groups of the 766 index, the series of the charts
whose series are labels; and the helpers that read page tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

READS = ("page_site_chart_labels", "page_site_groups", "page_site_periods")


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
    groups: tuple  # page_site_groups: the six groups of the 766 index, in order
    # page_site_chart_labels: each chart's series, (column, label) in order, by chart
    chart_labels: dict[str, tuple[tuple[str, str], ...]]


def load_site(con: duckdb.DuckDBPyConnection) -> Site:
    return Site(
        latest=query_one(con, "select * from page_site_periods where is_latest"),
        groups=tuple(query(con, "select * from page_site_groups")),
        chart_labels={
            chart: tuple((r["key"], r["label"]) for r in rows)
            for chart, rows in by_key(
                query(con, "select * from page_site_chart_labels"), "chart"
            ).items()
        },
    )
