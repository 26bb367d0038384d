"""The data-quality page ``/chat-luong-du-lieu/``: rows read and quarantined per input table and
reason, the names shown shortened, where the as-of date comes from, the checks that passed, and
the national portal's own inconsistencies (portal_checks) when there are any, and the units of
the export and of the portal's files that match nothing on the other side."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .context import PageContext
from .site import query, query_one
from .writer import Writer

READS = (
    "page_quality",
    "page_quality_checks",
    "page_quality_portal_checks",
    "page_quality_portal_unmatched",
    "page_quality_reasons",
    "page_quality_shortened",
    "page_quality_tables",
)


@dataclass(frozen=True)
class QualityContext(PageContext):
    TEMPLATE = "chat-luong-du-lieu.md.j2"

    as_of_source: str  # page_quality: argument or data
    dossiers: dict | None  # page_quality: the dossiers read and quarantined
    tables: tuple  # page_quality_tables
    reasons: tuple  # page_quality_reasons
    shortened: tuple  # page_quality_shortened
    checks: tuple  # page_quality_checks: the invariants of queries/checks, in words
    portal_checks: tuple  # page_quality_portal_checks: the portal's own inconsistencies
    portal_unmatched: (
        tuple  # page_quality_portal_unmatched: units matching nothing on the other side
    )


def render_quality(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    w.page(
        "chat-luong-du-lieu/index.md",
        QualityContext.from_row(
            query_one(con, "select * from page_quality"),
            tables=tuple(query(con, "select * from page_quality_tables")),
            reasons=tuple(query(con, "select * from page_quality_reasons")),
            shortened=tuple(query(con, "select * from page_quality_shortened")),
            checks=tuple(query(con, "select * from page_quality_checks")),
            portal_checks=tuple(query(con, "select * from page_quality_portal_checks")),
            portal_unmatched=tuple(query(con, "select * from page_quality_portal_unmatched")),
        ),
    )
