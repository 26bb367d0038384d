"""The ranking pages: ``/xep-hang/<period>/`` for every period and the hub ``/xep-hang/`` (the
site's period and the list of every period), from ``page_ranking_pages`` (one row per page:
its levels and their lines, neighbours, the province's line, its description's parts) and
``page_ranking_years``."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .citation import Citation, ranking_citation
from .context import PageContext
from .site import Site, query, query_one
from .writer import Writer

READS = ("page_ranking_pages", "page_ranking_years")


@dataclass(frozen=True)
class RankingContext(PageContext):
    TEMPLATE = "xep-hang.md.j2"

    root: str  # the way back to the site's root
    hub: bool  # the hub page: it also lists every period
    period: dict | None  # {period, complete}; None on a hub without data
    prev: dict | None  # the previous period of the same type
    next: dict | None  # the next period of the same type
    province_row: dict | None  # the province's line: slug, total_100, band, on_time_pct
    levels: list  # [{label, ranked, unranked, rows}]: the levels with a ranked unit
    unranked_levels: list  # [{label, rows}]: the levels without one
    ranked_text: str | None  # the units ranked per level, in words (the description)
    leader: dict | None  # {level_name, agency_name, total_100} (the description)
    years: tuple  # page_ranking_years: every period by year
    groups: tuple  # page_site_groups: the group columns
    citation: Citation | None = None  # the "Trích dẫn" block


def render_rankings(con: duckdb.DuckDBPyConnection, w: Writer, site: Site) -> int:
    """Register every ranking page; returns the number of periods."""
    years = tuple(query(con, "select * from page_ranking_years"))
    pages = query(con, "select * from page_ranking_pages")
    for page in pages:
        cite = ranking_citation(w.info, page["path"], page["period"])
        w.page(
            page["path"],
            RankingContext.from_row(page, years=years, groups=site.groups, citation=cite),
        )
    return query_one(con, "select count(*) as n from page_ranking_pages where not hub")["n"]
