"""The unit scorecards ``co-quan/<slug>/index.md``, one per unit of ``page_units``.

Every row comes from the page tables ``queries/pages/page_unit_*.sql``, already chosen and
ordered (the unit's page period, its top ten late procedures, its predecessors, its key-figure
cards…); this module groups them by unit, formats the sentences and registers each page with
its charts. It computes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import duckdb

from .. import fmt
from .cards import card
from .citation import Citation, citation
from .context import PageContext
from .env import period_full
from .figures import (
    fig_channels,
    fig_group_scores,
    fig_open_age,
    fig_ratings,
    fig_trend,
)
from .site import Site, by_key, query

if TYPE_CHECKING:
    from ..config import Settings
    from .writer import Writer

# The tables this module reads: one row per unit at most (by agency_id), and a list per unit
# in the order of its row_order.
_ONE = (
    "page_unit_scores",
    "page_unit_metrics",
    "page_unit_open_age",
    "page_unit_feedback",
    "page_unit_verdict",
)
_MANY = (
    "page_unit_cards",
    "page_unit_compare",
    "page_unit_groups",
    "page_unit_indicators",
    "page_unit_not_assessed",
    "page_unit_late",
    "page_unit_months",
    "page_unit_predecessors",
    "page_unit_06a",
    "page_unit_rates",
    "page_unit_portal",
)
READS = ("page_unit_headline", *_ONE, *_MANY)  # kept by the pipeline until the pages are written


@dataclass(frozen=True)
class UnitPage(PageContext):
    """The variables of ``co-quan.md.j2``: rows of the page tables, and sentences."""

    TEMPLATE: ClassVar[str] = "co-quan.md.j2"

    root: str
    unit: dict  # page_unit_headline
    period_text: str  # the page period in words ("" when the unit has no figures)
    description: str  # the sentence for share previews
    cards: tuple[dict, ...]  # page_unit_cards, formatted (label, value, change, band, notes)
    verdict: dict | None  # page_unit_verdict: the verdict's and the summary's parts
    compare: tuple[dict, ...]  # page_unit_compare: each rate beside the province and median
    score: dict | None  # page_unit_scores
    m: dict | None  # page_unit_metrics
    age: dict | None  # page_unit_open_age
    feedback: dict | None  # page_unit_feedback
    groups: tuple[dict, ...]  # page_unit_groups
    indicators: tuple[dict, ...]  # page_unit_indicators
    not_assessed: tuple[dict, ...]  # page_unit_not_assessed
    late: tuple[dict, ...]  # page_unit_late
    predecessors: tuple[dict, ...]  # page_unit_predecessors
    rows_06a: tuple[dict, ...]  # page_unit_06a
    rates_06a: tuple[dict, ...]  # page_unit_rates
    portal: tuple[dict, ...]  # page_unit_portal: the portal's figures beside ours
    official_tolerance: float
    figure_ids: tuple[str, ...]
    citation: Citation | None = None  # the "Trích dẫn" block (render_units fills it)


def unit_description(
    unit: dict, period_text: str, score: dict | None, m: dict | None, verdict: dict | None = None
) -> str:
    """One sentence for share previews, with the unit's key numbers: the official score first
    when there is one, then the recomputed one, named."""
    name, level = unit["name"], unit["level_name"]
    if not m:
        return f"{name} ({level}): chưa có số liệu giải quyết hồ sơ."
    text = f"{name} ({level}), {period_text}: "
    if verdict and verdict["official_value"] is not None:
        text += f"{verdict['official_label']}: {fmt.points(verdict['official_value'])}; "
    if score and score["total_100"] is not None:
        text += f"{fmt.points(score['total_100'])}/100 điểm Bộ chỉ số 766 tính lại"
        if score["band"]:
            text += f", xếp loại {score['band']}"
        elif verdict and verdict["band_note"]:
            text += f", {verdict['band_note']}"
        if unit["show_rank"]:
            text += f", hạng {score['rank']}/{score['rank_of']} trong {unit['peers']}"
        text += "; "
    text += (
        f"{fmt.percent(m['on_time_pct'])} hồ sơ giải quyết đúng hạn (mẫu 06a), "
        f"{fmt.number(m['in_progress_overdue'])} hồ sơ đang quá hạn."
    )
    return text


def _figures(unit: dict, rows: dict, period_text: str, labels: dict) -> list:
    verdict = rows["page_unit_verdict"]  # 'toàn tỉnh' names the province unit's figures
    name = verdict["subject"][:1].upper() + verdict["subject"][1:] if verdict else unit["name"]
    months = rows["page_unit_months"]
    score, groups = rows["page_unit_scores"], rows["page_unit_groups"]
    figures = []
    if score and groups:
        figures.append(fig_group_scores(list(groups), name, score, period_text))
    if unit["show_trend"]:
        figures.append(fig_trend(list(months), name))
        figures.append(fig_channels(list(months), name, labels["unit_channels"]))
    figures.append(fig_open_age(rows["page_unit_open_age"], period_text, labels["open_age"]))
    figures.append(fig_ratings(rows["page_unit_metrics"], period_text, labels["ratings"]))
    return [f for f in figures if f is not None]


def unit_page(
    unit: dict, rows: dict, official_tolerance: float, chart_labels: dict
) -> tuple[UnitPage, list]:
    """The context of one unit's page and its figures; ``rows``: its rows of each table,
    ``chart_labels``: the series of the charts (Site.chart_labels)."""
    period_text = period_full(unit["period"], unit["period_complete"]) if unit["period"] else ""
    since = fmt.period_label(unit["since_period"]) if unit["since_period"] else "kỳ trước"
    figures = _figures(unit, rows, period_text, chart_labels)
    context = UnitPage(
        root="../../",
        unit=unit,
        period_text=period_text,
        description=unit_description(
            unit,
            period_text,
            rows["page_unit_scores"],
            rows["page_unit_metrics"],
            rows["page_unit_verdict"],
        ),
        cards=tuple(card(c, since, period_text) for c in rows["page_unit_cards"]),
        verdict=rows["page_unit_verdict"],
        compare=rows["page_unit_compare"],
        score=rows["page_unit_scores"],
        m=rows["page_unit_metrics"],
        age=rows["page_unit_open_age"],
        feedback=rows["page_unit_feedback"],
        groups=rows["page_unit_groups"],
        indicators=rows["page_unit_indicators"],
        not_assessed=rows["page_unit_not_assessed"],
        late=rows["page_unit_late"],
        predecessors=rows["page_unit_predecessors"],
        rows_06a=rows["page_unit_06a"],
        rates_06a=rows["page_unit_rates"],
        portal=rows["page_unit_portal"],
        official_tolerance=official_tolerance,
        figure_ids=tuple(f.id for f in figures),
    )
    return context, figures


def render_units(con: duckdb.DuckDBPyConnection, w: Writer, site: Site, settings: Settings) -> int:
    """Register every unit's page with the writer; returns the number of units."""
    one = {t: {r["agency_id"]: r for r in query(con, f"select * from {t}")} for t in _ONE}
    many = {
        t: by_key(query(con, f"select * from {t} order by agency_id, row_order"), "agency_id")
        for t in _MANY
    }
    units = query(con, "select * from page_unit_headline order by agency_id")
    for unit in units:
        agency_id = unit["agency_id"]
        rows = {t: one[t].get(agency_id) for t in _ONE}
        rows |= {t: tuple(many[t].get(agency_id, ())) for t in _MANY}
        context, figures = unit_page(
            unit, rows, settings.official_score_tolerance, site.chart_labels
        )
        path = f"co-quan/{unit['slug']}/index.md"
        anchor = unit["period"] if unit["period"] and unit["period_complete"] else ""
        cite = citation(w.info, path, unit["name"], context.period_text, "cac-ky/", anchor)
        w.page(path, dataclasses.replace(context, citation=cite), figures=figures)
    return len(units)
