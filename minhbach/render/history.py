"""The history page ``/lich-su/``: this release (its date, as-of date, rule set, counts and
downloads) and the earlier releases with what changed (``minhbach.publish.releases``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from .context import PageContext
from .site import Site, query_one
from .writer import Writer

READS = ("page_history_counts",)


@dataclass(frozen=True)
class HistoryContext(PageContext):
    TEMPLATE = "lich-su.md.j2"

    counts: dict  # page_history_counts
    datasets: tuple  # the downloads of this release (DatasetInfo)
    latest: dict | None  # the site's period
    releases: tuple  # the releases, newest first (Release)


def render_history(
    con: duckdb.DuckDBPyConnection,
    w: Writer,
    site: Site,
    datasets: Sequence,
    releases: Sequence,
) -> None:
    """``releases``: the archive's releases and this one, oldest first."""
    w.page(
        "lich-su/index.md",
        HistoryContext(
            counts=query_one(con, "select * from page_history_counts"),
            datasets=tuple(datasets),
            latest=site.latest,
            releases=tuple(reversed(releases)),
        ),
    )
