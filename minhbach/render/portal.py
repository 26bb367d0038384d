"""The pages of the national portal's published evaluation (portal.md, "Pages"): the national
ranking ``/toan-quoc/`` (page_portal_national, page_portal_country), the hub ``/danh-gia-cong/``
and one scorecard per unit the portal evaluates, ``/danh-gia-cong/<slug>/`` (page_portal_units:
official total and groups; page_portal_unit_metrics, page_portal_unit_counts: metrics with
numerators and denominators, TDGQ and other counts; page_portal_unit_checks: the portal's own
inconsistencies; page_portal_unit_trend: the year-to-date score across captures; a province's
page also ranks its departments and communes, page_portal_rankings). Built only when the build
has the portal's files; every figure is the portal's, as published."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .. import fmt
from ..charts import Col, Figure
from .context import PageContext
from .figures import _rows
from .site import Site, by_key, query, query_one
from .writer import Writer

READS = (
    "page_portal_captures",
    "page_portal_country",
    "page_portal_national",
    "page_portal_rankings",
    "page_portal_unit_checks",
    "page_portal_unit_counts",
    "page_portal_unit_metrics",
    "page_portal_unit_trend",
    "page_portal_units",
)
NATIONAL = "toan-quoc/index.md"
HUB = "danh-gia-cong/index.md"


@dataclass(frozen=True)
class NationalContext(PageContext):
    TEMPLATE = "toan-quoc.md.j2"

    root: str
    provinces: tuple  # page_portal_national: the provinces in the portal's order
    country: dict | None  # page_portal_country: the country's own figures
    groups: tuple  # page_site_groups: the group columns


@dataclass(frozen=True)
class HubContext(PageContext):
    TEMPLATE = "danh-gia-cong.md.j2"

    root: str
    provinces: tuple  # page_portal_units of the provinces with units, by name
    national: bool  # the build has a national ranking (/toan-quoc/)
    captures: tuple  # page_portal_captures: every file read, where the figures come from


@dataclass(frozen=True)
class PortalUnitContext(PageContext):
    TEMPLATE = "danh-gia-cong-don-vi.md.j2"

    root: str
    unit: dict  # page_portal_units: the unit at its shown capture
    metrics: tuple  # page_portal_unit_metrics, grouped: [{group, group_name, rows}]
    counts: tuple  # page_portal_unit_counts, grouped: [{group, group_name, rows}]
    checks: tuple  # page_portal_unit_checks
    trend: tuple  # page_portal_unit_trend
    levels: tuple  # page_portal_rankings of a province: [{level_tab, rows}]
    groups: tuple
    national: bool


def _grouped(rows: list[dict]) -> tuple:
    """Rows (already in order) as [{group, group_name, rows}], one per group."""
    return tuple(
        {"group": g, "group_name": rs[0]["group_name"], "rows": rs}
        for g, rs in by_key(rows, "group").items()
    )


def fig_national(provinces: tuple, captured: str, synthetic: bool) -> Figure:
    """The provinces' official totals, in the portal's order."""
    top = provinces[0]
    source = "(giả lập) theo dạng" if synthetic else "do"
    caption = (
        f"Tổng điểm Bộ chỉ số 766 của {len(provinces)} tỉnh, thành phố {source} Cổng Dịch vụ "
        f"công quốc gia công bố (bản chụp ngày {captured}); cao nhất: {top['name']} "
        f"({fmt.points(top['total'])} điểm)."
    )
    return Figure(
        id="toan-quoc",
        kind="bars",
        title="Tổng điểm các tỉnh, thành phố theo Cổng Dịch vụ công quốc gia",
        caption=caption,
        rows=_rows({"name": p["name"], "total": p["total"]} for p in provinces),
        columns=[Col("name", "Tỉnh, thành phố", "text"), Col("total", "Tổng điểm", "pts")],
        x="name",
        y="total",
        options={"order": [p["name"] for p in provinces], "y_title": "Điểm", "y_max": 100},
    )


def render_portal(con: duckdb.DuckDBPyConnection, w: Writer, site: Site) -> int:
    """Register the portal's pages; returns the number of unit pages (0: no portal files)."""
    units = query(con, "select * from page_portal_units")
    if not units:
        return 0
    provinces = tuple(query(con, "select * from page_portal_national"))
    national = bool(provinces)
    if national:
        captured = provinces[0]["captured_at"].strftime("%d/%m/%Y")
        w.page(
            NATIONAL,
            NationalContext(
                root="../",
                provinces=provinces,
                country=query_one(con, "select * from page_portal_country"),
                groups=site.groups,
            ),
            [fig_national(provinces, captured, w.info.synthetic)],
        )
    levels = by_key(query(con, "select * from page_portal_rankings"), "province_code")
    metrics = by_key(query(con, "select * from page_portal_unit_metrics"), "portal_code")
    counts = by_key(query(con, "select * from page_portal_unit_counts"), "portal_code")
    checks = by_key(query(con, "select * from page_portal_unit_checks"), "portal_code")
    trend = by_key(query(con, "select * from page_portal_unit_trend"), "portal_code")
    for u in units:
        code = u["portal_code"]
        ranked = levels.get(code, []) if u["is_province"] else []
        w.page(
            u["path"],
            PortalUnitContext(
                root="../../",
                unit=u,
                metrics=_grouped(metrics.get(code, [])),
                counts=_grouped(counts.get(code, [])),
                checks=tuple(checks.get(code, [])),
                trend=tuple(trend.get(code, [])),
                levels=tuple(
                    {"level_tab": rs[0]["level_tab"], "rows": rs}
                    for rs in by_key(ranked, "level").values()
                ),
                groups=site.groups,
                national=national,
            ),
        )
    with_units = tuple(query(con, "select * from page_portal_units where has_units order by name"))
    captures = tuple(query(con, "select * from page_portal_captures"))
    w.page(HUB, HubContext(root="../", provinces=with_units, national=national, captures=captures))
    return len(units)


@dataclass(frozen=True)
class PortalHomeContext(PageContext):
    TEMPLATE = "index-cong.md.j2"

    root: str
    captures: tuple  # page_portal_captures: every file read, where the figures come from
    provinces: tuple  # page_portal_units with units
    national: bool


def render_portal_home(con: duckdb.DuckDBPyConnection, w: Writer) -> None:
    """The home page of a build from the portal's files alone: what the site is built from."""
    w.page(
        "index.md",
        PortalHomeContext(
            root="",
            captures=tuple(query(con, "select * from page_portal_captures")),
            provinces=tuple(
                query(con, "select * from page_portal_units where has_units order by name")
            ),
            national=bool(
                query_one(con, "select count(*) > 0 as n from page_portal_national")["n"]
            ),
        ),
    )
