"""The gap page ``/kiem-tra-tu-xa/`` ("remote inspection"): where the national portal's
published figures and our recomputation from the one-stop dossier exports disagree, the largest
gaps first (``page_gaps_rows``: official_vs_recomputed, for the periods of
``page_gaps_periods``), or, when nothing can be compared, why (``page_gaps``)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .context import PageContext
from .site import by_key, query, query_one
from .writer import Writer

READS = ("page_gaps", "page_gaps_periods", "page_gaps_rows")


@dataclass(frozen=True)
class GapsContext(PageContext):
    TEMPLATE = "kiem-tra-tu-xa.md.j2"

    root: str
    summary: dict  # page_gaps: units on the portal, matched, compared
    periods: tuple  # page_gaps_periods, each with "totals" and "metrics" (page_gaps_rows)


def render_gaps(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    rows = by_key(query(con, "select * from page_gaps_rows"), "period_order")
    periods = []
    for p in query(con, "select * from page_gaps_periods"):
        mine = rows.get(p["row_order"], [])
        totals = tuple(r for r in mine if r["kind"] == "total")
        metrics = tuple(r for r in mine if r["kind"] == "metric")
        periods.append({**p, "totals": totals, "metrics": metrics})
    w.page(
        "kiem-tra-tu-xa/index.md",
        GapsContext(
            root="../",
            summary=query_one(con, "select * from page_gaps"),
            periods=tuple(periods),
        ),
    )
