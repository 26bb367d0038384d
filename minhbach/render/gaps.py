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
    # page_gaps_periods, each with its rows of page_gaps_rows: "totals", "metrics" (the largest
    # gaps) and "by_metric" (each metric's three largest, in the metrics' order)
    periods: tuple


def render_gaps(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    rows = by_key(query(con, "select * from page_gaps_rows order by row_order"), "period_order")
    by_metric = by_key(
        query(
            con,
            "select * from page_gaps_rows where top_of_metric "
            "order by subject_order, subject, metric_row",
        ),
        "period_order",
    )
    periods = []
    for p in query(con, "select * from page_gaps_periods order by row_order"):
        mine = rows.get(p["row_order"], [])
        periods.append(
            {
                **p,
                "totals": tuple(r for r in mine if r["kind"] == "total"),
                "metrics": tuple(r for r in mine if r["top_overall"]),
                "by_metric": tuple(by_metric.get(p["row_order"], ())),
            }
        )
    w.page(
        "kiem-tra-tu-xa/index.md",
        GapsContext(
            root="../",
            summary=query_one(con, "select * from page_gaps"),
            periods=tuple(periods),
        ),
    )
