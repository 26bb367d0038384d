"""The methodology page ``/phuong-phap/``: the editors' text (``phuong-phap.md.j2``) with the
rule set's groups and indicators (``page_methodology_groups``: seed_groups, seed_rule_set and
the indicators' words), the bands of the settings and the thresholds it states."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from .context import PageContext
from .site import query, query_one
from .writer import Writer

if TYPE_CHECKING:
    from ..config import Settings

READS = ("page_methodology", "page_methodology_bands", "page_methodology_groups")


@dataclass(frozen=True)
class MethodologyContext(PageContext):
    TEMPLATE = "phuong-phap.md.j2"

    total_points: int  # page_methodology: the rule set's maximum
    groups: tuple  # page_methodology_groups: each group with its indicators
    bands: tuple  # page_methodology_bands
    second_supplement_is_late: bool  # settings
    official_score_tolerance: float  # settings


def render_methodology(con: duckdb.DuckDBPyConnection, w: Writer, settings: Settings) -> None:
    w.page(
        "phuong-phap/index.md",
        MethodologyContext.from_row(
            query_one(con, "select * from page_methodology"),
            groups=tuple(query(con, "select * from page_methodology_groups")),
            bands=tuple(query(con, "select * from page_methodology_bands")),
            second_supplement_is_late=settings.second_supplement_is_late,
            official_score_tolerance=settings.official_score_tolerance,
        ),
    )
