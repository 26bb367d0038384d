"""The methodology page ``/phuong-phap/``: the editors' text (``phuong-phap.md.j2``) with the
rule set's groups and indicators (``page_methodology_groups``: seed_groups, seed_rule_set and
the indicators' words), the bands of the settings and the thresholds it states, and the section
on the national portal's evaluation: its 2026 metrics and rules (``page_methodology_portal``,
``page_methodology_portal_unconfirmed``: the seed of qd766-2026) and the checks run on its
figures (``page_methodology_portal_checks``)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..config import Settings
from .context import PageContext
from .site import query, query_one
from .writer import Writer

READS = (
    "page_methodology",
    "page_methodology_bands",
    "page_methodology_groups",
    "page_methodology_portal",
    "page_methodology_portal_checks",
    "page_methodology_portal_unconfirmed",
)


@dataclass(frozen=True)
class MethodologyContext(PageContext):
    TEMPLATE = "phuong-phap.md.j2"

    total_points: int  # page_methodology: the rule set's maximum
    rule_sets: tuple  # page_methodology: the rule sets a config may choose
    groups: tuple  # page_methodology_groups: each group with its indicators
    bands: tuple  # page_methodology_bands
    portal_groups: tuple  # page_methodology_portal: the portal's groups with their metrics
    portal_unconfirmed: tuple  # page_methodology_portal_unconfirmed
    portal_checks: tuple  # page_methodology_portal_checks
    default_rule_set: str  # the settings' default (Settings.rule_set)
    second_supplement_is_late: bool  # settings
    official_score_tolerance: float  # settings
    min_to_handle: int  # settings: below it, no band and no rank


def render_methodology(con: duckdb.DuckDBPyConnection, w: Writer, settings: Settings) -> None:
    row = query_one(con, "select * from page_methodology")
    w.page(
        "phuong-phap/index.md",
        MethodologyContext.from_row(
            row,
            rule_sets=tuple(row["rule_sets"]),
            groups=tuple(query(con, "select * from page_methodology_groups")),
            bands=tuple(query(con, "select * from page_methodology_bands")),
            portal_groups=tuple(query(con, "select * from page_methodology_portal")),
            portal_unconfirmed=tuple(
                query(con, "select * from page_methodology_portal_unconfirmed")
            ),
            portal_checks=tuple(query(con, "select * from page_methodology_portal_checks")),
            default_rule_set=Settings().rule_set,
            second_supplement_is_late=settings.second_supplement_is_late,
            official_score_tolerance=settings.official_score_tolerance,
            min_to_handle=settings.min_to_handle,
        ),
    )
