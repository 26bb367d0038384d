"""The procedure pages ``thu-tuc/<procedure_id>/index.md``, one per procedure with dossiers.

Every row comes from the page tables ``queries/pages/page_procedure*.sql``, already chosen and
ordered (the catalogue's facts with the statutory-days fallback, the 12-month window, the
province's totals, the units that handle it, its months); this module groups them by procedure,
formats the key figures and the sentence and registers each page with its charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import duckdb

from .. import fmt
from .context import PageContext
from .env import limit_days
from .figures import fig_days, fig_procedure_months
from .site import Site, by_key, query

if TYPE_CHECKING:
    from .writer import Writer

# The tables this module reads (the pipeline keeps them until the pages are written).
READS = (
    "page_procedures",
    "page_procedure_totals",
    "page_procedure_units",
    "page_procedure_months",
)


@dataclass(frozen=True)
class ProcedurePage(PageContext):
    """The variables of ``thu-tuc.md.j2``: rows of the page tables, and sentences."""

    TEMPLATE: ClassVar[str] = "thu-tuc.md.j2"

    root: str
    procedure: dict  # page_procedures
    total: dict | None  # page_procedure_totals: the whole province over the 12 months
    units: tuple[dict, ...]  # page_procedure_units
    months: tuple[dict, ...]  # page_procedure_months
    cards: tuple[dict, ...]  # the key figures (label, value, change, band, note)
    description: str  # the sentence for share previews
    figure_ids: tuple[str, ...]


def window_text(procedure: dict) -> str:
    """The 12-month window in words: '12 tháng (tháng 11/2025 – tháng 10/2026)'."""
    if not procedure["first_period"]:
        return "12 tháng gần nhất"
    return (
        f"12 tháng ({fmt.period_label(procedure['first_period'])} – "
        f"{fmt.period_label(procedure['last_period'])})"
    )


def procedure_cards(procedure: dict, total: dict | None) -> tuple[dict, ...]:
    """The key figures: dossiers received over the window, on-time and online rates, the
    statutory limit; none without dossiers in the window."""
    if not total:
        return ()
    statutory = procedure["statutory_days"]
    cards = (
        (f"Hồ sơ tiếp nhận mới, {window_text(procedure)}", fmt.number(total["received_new"])),
        ("Giải quyết trước hạn, đúng hạn", fmt.percent(total["on_time_pct"])),
        ("Nộp trực tuyến", fmt.percent(total["online_pct"])),
        (
            "Thời hạn theo quy định",
            f"{fmt.number(statutory, 1)} ngày" if statutory is not None else fmt.EMPTY,
        ),
    )
    out = [{"label": label, "value": value, "change": None, "band": None} for label, value in cards]
    out[1]["note"] = f"trên {fmt.number(total['resolved'])} hồ sơ đã giải quyết"
    out[3]["note"] = "ngày làm việc"
    return tuple(out)


def procedure_description(procedure: dict, total: dict | None) -> str:
    """One sentence for share previews, with the procedure's key numbers."""
    text = f"Thủ tục {procedure['name']} (mã {procedure['procedure_id']})"
    if total:
        text += (
            f": {window_text(procedure)}, {fmt.number(total['received_new'])} hồ sơ tiếp nhận "
            f"mới trong toàn tỉnh, {fmt.percent(total['on_time_pct'])} giải quyết trước hạn, "
            f"đúng hạn, {fmt.percent(total['online_pct'])} nộp trực tuyến"
        )
    else:
        text += ": không có hồ sơ trong 12 tháng gần nhất"
    if procedure["statutory_days"] is not None:
        text += f"; thời hạn {limit_days(procedure['statutory_days'])} ngày làm việc"
    return text + "."


def procedure_page(
    procedure: dict, total: dict | None, units: tuple, months: tuple, labels: tuple
) -> tuple[ProcedurePage, list]:
    """The context of one procedure's page and its figures."""
    figures = [
        fig_procedure_months(list(months), procedure["name"], labels) if months else None,
        fig_days(list(months), procedure["statutory_days"]),
    ]
    figures = [f for f in figures if f is not None]
    context = ProcedurePage(
        root="../../",
        procedure=procedure,
        total=total,
        units=units,
        months=months,
        cards=procedure_cards(procedure, total),
        description=procedure_description(procedure, total),
        figure_ids=tuple(f.id for f in figures),
    )
    return context, figures


def render_procedures(con: duckdb.DuckDBPyConnection, w: Writer, site: Site) -> int:
    """Register every procedure's page with the writer; returns the number of procedures."""
    totals = {r["procedure_id"]: r for r in query(con, "select * from page_procedure_totals")}
    units = by_key(
        query(con, "select * from page_procedure_units order by procedure_id, row_order"),
        "procedure_id",
    )
    months = by_key(
        query(con, "select * from page_procedure_months order by procedure_id, row_order"),
        "procedure_id",
    )
    procedures = query(con, "select * from page_procedures order by procedure_id")
    for p in procedures:
        pid = p["procedure_id"]
        context, figures = procedure_page(
            p,
            totals.get(pid),
            tuple(units.get(pid, ())),
            tuple(months.get(pid, ())),
            site.chart_labels["procedure_channels"],
        )
        w.page(f"thu-tuc/{p['page_dir']}/index.md", context, figures=figures)
    return len(procedures)
