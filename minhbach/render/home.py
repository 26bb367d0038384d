"""The home page ``index.md``: the province in the site's period (its key figures with their
change, its six group scores, its 12-month trend), the best and worst units of the levels the
home page names, links onward. Every row comes from ``queries/pages/page_home*.sql``."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .. import fmt
from .cards import card
from .context import PageContext
from .figures import fig_group_scores, fig_trend
from .site import query, query_one
from .writer import Writer

READS = (
    "page_home",
    "page_home_cards",
    "page_home_groups",
    "page_home_levels",
    "page_home_trend",
)


@dataclass(frozen=True)
class HomeContext(PageContext):
    TEMPLATE = "index.md.j2"

    period: str | None  # the site's period
    province_slug: str | None  # the province unit's page
    score: dict | None  # the province's score in the period (scores_766)
    metrics: dict | None  # its 06a figures (agency_period_metrics)
    cards: tuple  # page_home_cards, formatted
    groups: tuple  # page_home_groups
    levels: tuple  # page_home_levels: the best and worst units per level
    dossiers_used: int
    score_label: str | None  # the recomputed total's name (seed_labels_cards)
    official: dict | None  # {label, value, gap}: the official score shown first


def render_home(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    home = query_one(con, "select * from page_home")
    period_text = fmt.period_label(home["period"]) if home["period"] else ""
    since = fmt.period_label(home["since_period"]) if home["since_period"] else None
    groups = tuple(query(con, "select * from page_home_groups"))
    cards = query(con, "select * from page_home_cards")
    figures = []
    if home["score"] and groups:
        # the province's figures are every unit's, not the People's Committee office's
        figures.append(fig_group_scores(list(groups), "Toàn tỉnh", home["score"], period_text))
    figures.append(fig_trend(query(con, "select * from page_home_trend"), "Toàn tỉnh"))
    context = HomeContext.from_row(
        home,
        cards=tuple(card(c, since, period_text) for c in cards),
        groups=groups,
        levels=tuple(query(con, "select * from page_home_levels")),
    )
    w.page("index.md", context, figures=figures)
