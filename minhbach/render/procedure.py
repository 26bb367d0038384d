"""The procedure pages ``thu-tuc/<procedure_id>/index.md``, one per procedure with dossiers.

Every row comes from the page tables ``queries/pages/page_procedure*.sql``, already chosen and
ordered (the catalogue's facts with the statutory-days fallback, the 12-month window, the
province's totals with the real processing days, the units that handle it, the province's own
desk included, each with its days, its months); this module groups them by procedure, formats
the key figures and the sentence and registers each page with its charts. It computes nothing.

Real processing days are calendar days (methodology §1), the statutory limit working days: the
page states them as separate figures and never puts the limit on the calendar-day scale; the
on-time rate is the comparison with the limit (each dossier against its own due date).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import duckdb

from .. import fmt
from .citation import Citation, citation
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
    units: tuple[dict, ...]  # page_procedure_units (the province's own desk included)
    months: tuple[dict, ...]  # page_procedure_months
    cards: tuple[dict, ...]  # the key figures (label, value, change, band, note): days first
    description: str  # the sentence for share previews
    figure_ids: tuple[str, ...]
    citation: Citation | None = None  # the "Trích dẫn" block (render_procedures fills it)


def window_text(procedure: dict) -> str:
    """The 12-month window in words: '12 tháng (tháng 11/2025 – tháng 10/2026)'."""
    if not procedure["first_period"]:
        return "12 tháng gần nhất"
    return (
        f"12 tháng ({fmt.period_label(procedure['first_period'])} – "
        f"{fmt.period_label(procedure['last_period'])})"
    )


def procedure_cards(procedure: dict, total: dict | None) -> tuple[dict, ...]:
    """The key figures, the real processing days first: median and 90th percentile (calendar
    days), the statutory limit (working days: a separate figure, never drawn on the same scale),
    the on-time rate with its counts (the comparison with each dossier's own due date), then the
    dossiers received and the online share; none without dossiers in the window."""
    if not total:
        return ()
    statutory = procedure["statutory_days"]
    cards = (
        (
            "Thời gian giải quyết thực tế: trung vị",
            f"{fmt.number(total['median_days'], 1)} ngày"
            if total["median_days"] is not None
            else fmt.EMPTY,
            "ngày lịch, trừ thời gian chờ bổ sung; một nửa số hồ sơ xong nhanh hơn",
        ),
        (
            "Thời gian giải quyết thực tế: phân vị 90",
            f"{fmt.number(total['p90_days'], 1)} ngày"
            if total["p90_days"] is not None
            else fmt.EMPTY,
            "ngày lịch, trừ thời gian chờ bổ sung; 90% số hồ sơ xong nhanh hơn",
        ),
        (
            "Thời hạn theo quy định",
            f"{limit_days(statutory)} ngày làm việc" if statutory is not None else fmt.EMPTY,
            "không tính thứ Bảy, Chủ nhật, ngày lễ: không so trực tiếp được với ngày lịch",
        ),
        (
            "Giải quyết trước hạn, đúng hạn",
            fmt.percent(total["on_time_pct"]),
            f"{fmt.number(total['resolved_on_time'])}/{fmt.number(total['resolved'])} hồ sơ đã "
            "giải quyết, so với hạn trả kết quả của từng hồ sơ",
        ),
        (
            f"Hồ sơ tiếp nhận mới, {window_text(procedure)}",
            fmt.number(total["received_new"]),
            None,
        ),
        (
            "Nộp trực tuyến",
            fmt.percent(total["online_pct"]),
            f"{fmt.number(total['received_online'])}/{fmt.number(total['received_new'])} hồ sơ "
            "tiếp nhận mới",
        ),
    )
    return tuple(
        {"label": label, "value": value, "change": None, "band": None, "note": note}
        for label, value, note in cards
    )


def procedure_description(procedure: dict, total: dict | None) -> str:
    """One sentence for share previews, with the procedure's key numbers."""
    text = f"Thủ tục {procedure['name']} (mã {procedure['procedure_id']})"
    if total:
        text += (
            f": {window_text(procedure)}, {fmt.number(total['received_new'])} hồ sơ tiếp nhận mới"
        )
        if total["median_days"] is not None:
            text += (
                f"; thời gian giải quyết thực tế trung vị {fmt.number(total['median_days'], 1)} "
                f"ngày, phân vị 90 {fmt.number(total['p90_days'], 1)} ngày (ngày lịch)"
            )
        text += (
            f"; {fmt.percent(total['on_time_pct'])} giải quyết trước hạn, đúng hạn, "
            f"{fmt.percent(total['online_pct'])} nộp trực tuyến"
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
        path = f"thu-tuc/{p['page_dir']}/index.md"
        cite = citation(w.info, path, p["name"], window_text(p))
        w.page(path, dataclasses.replace(context, citation=cite), figures=figures)
    return len(procedures)
