"""The page kinds not yet moved into :mod:`minhbach.render` (home, rankings, units,
procedures, downloads, methodology, data quality, history), on the package's writer, site data,
figures and filters; :func:`minhbach.render.start_all` calls them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from . import fmt
from .config import ROOT
from .render.env import change, limit_days, proc_dir
from .render.env import period_full as _period
from .render.figures import (
    fig_channels,
    fig_days,
    fig_group_scores,
    fig_open_age,
    fig_procedure_months,
    fig_ratings,
    fig_trend,
)
from .render.site import Site, by_key, query
from .render.writer import Writer

if TYPE_CHECKING:
    from .config import Settings

TABLE_LABELS = {
    "agencies": "Đơn vị (agencies)",
    "procedures": "Thủ tục (procedures)",
    "dossiers": "Hồ sơ (dossiers)",
    "supplements": "Yêu cầu bổ sung (supplements)",
    "ratings": "Đánh giá hài lòng (ratings)",
    "feedback": "Phản ánh, kiến nghị (feedback)",
    "procedure_publications": "Công bố thủ tục (procedure_publications)",
    "official_scores": "Điểm chính thức (official_scores)",
}

# Levels: tab label (ranking), the unit's level in a sentence, its peers ("hạng 3/18 trong …").
LEVEL_ORDER = ("department", "district", "commune", "other")
LEVEL_TAB = {
    "province": "Toàn tỉnh",
    "department": "Sở, ban, ngành",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
    "other": "Đơn vị khác",
}
LEVEL_NAME = {
    "province": "cấp tỉnh (toàn tỉnh)",
    "department": "sở, ban, ngành",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "other": "đơn vị khác",
}
LEVEL_PEERS = {
    "province": "toàn tỉnh",
    "department": "các sở, ban, ngành",
    "district": "các đơn vị cấp huyện",
    "commune": "các xã, phường, đặc khu",
    "other": "các đơn vị khác",
}

# The six groups of the 766 index (methodology §3), in order.
GROUPS = (
    ("CKMB", "Công khai, minh bạch"),
    ("TDGQ", "Tiến độ giải quyết"),
    ("CLGQ", "Dịch vụ công trực tuyến"),
    ("TTTT", "Thanh toán trực tuyến"),
    ("MDSH", "Số hóa hồ sơ"),
    ("MDHL", "Mức độ hài lòng"),
)
GROUP_NAME = dict(GROUPS)

ONLINE_LEVEL = {
    "full": "Toàn trình (nộp và nhận kết quả trực tuyến)",
    "partial": "Một phần (nộp trực tuyến một phần)",
    "none": "Không cung cấp trực tuyến",
}
RATING_LEVELS = (
    ("ratings_1", "1 – Rất không hài lòng"),
    ("ratings_2", "2 – Không hài lòng"),
    ("ratings_3", "3 – Bình thường"),
    ("ratings_4", "4 – Hài lòng"),
    ("ratings_5", "5 – Rất hài lòng"),
)
OPEN_AGE = (
    ("not_yet_due", "Chưa đến hạn"),
    ("overdue_1_5", "Quá hạn 1–5 ngày"),
    ("overdue_6_15", "Quá hạn 6–15 ngày"),
    ("overdue_16_30", "Quá hạn 16–30 ngày"),
    ("overdue_over_30", "Quá hạn trên 30 ngày"),
)
CHANNELS = (
    ("received_online", "Trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_postal", "Bưu chính công ích"),
)
# Report 06a rows of a unit page: (key, label, depth); depth 0 rows are totals.
ROWS_06A = (
    ("carried_over", "Hồ sơ kỳ trước chuyển sang", 0),
    ("received_new", "Hồ sơ tiếp nhận mới trong kỳ", 0),
    ("received_online", "trực tuyến", 1),
    ("received_direct", "trực tiếp", 1),
    ("received_postal", "qua bưu chính công ích", 1),
    ("to_handle", "Tổng số hồ sơ phải giải quyết", 0),
    ("resolved", "Đã giải quyết", 0),
    ("resolved_early", "trước hạn", 1),
    ("resolved_on_time", "đúng hạn", 1),
    ("resolved_late", "quá hạn", 1),
    ("withdrawn_stopped", "Rút hồ sơ, dừng xử lý", 0),
    ("waiting_applicant", "Chờ người nộp bổ sung", 0),
    ("in_progress", "Đang giải quyết", 0),
    ("in_progress_within", "trong hạn", 1),
    ("in_progress_overdue", "quá hạn", 1),
    ("refused_at_intake", "Không được tiếp nhận (không tính vào tổng)", 0),
    ("postal_uses", "Lượt sử dụng dịch vụ bưu chính công ích", 0),
)
RATES_06A = (
    ("on_time_pct", "Tỷ lệ giải quyết trước hạn, đúng hạn", "pct"),
    ("late_pct", "Tỷ lệ giải quyết quá hạn", "pct"),
    ("online_pct", "Tỷ lệ tiếp nhận trực tuyến", "pct"),
    ("overdue_open_pct", "Tỷ lệ hồ sơ tồn đã quá hạn", "pct"),
    ("satisfied_pct", "Tỷ lệ đánh giá hài lòng (mức 4–5)", "pct"),
    ("avg_processing_days", "Số ngày giải quyết trung bình (ngày lịch)", "days"),
)


PROCEDURE_FIELDS = (
    "procedure_id",
    "name",
    "field",
    "online_level",
    "statutory_days",
    "has_fee",
    "online_payment_enabled",
    "issues_result_document",
)
TOP_LATE = 10
TOP_BOTTOM = 5


# --------------------------------------------------------------------------------------------
# Home


def kpis(metrics: dict | None, changes: dict | None, score: dict | None, since: str) -> list:
    """The KPI cards: 766 total, on-time, online, overdue-open, satisfaction."""
    changes = changes or {}
    cards = []
    if score is not None:
        cards.append(
            {
                "label": "Tổng điểm 766 (thang 100)",
                "value": fmt.points(score.get("total_100")),
                "change": change(score.get("change_total_100"), unit="điểm", since=since),
                "band": score.get("band"),
            }
        )
    spec = (
        ("on_time_pct", "Hồ sơ giải quyết trước hạn, đúng hạn", True),
        ("online_pct", "Hồ sơ nộp trực tuyến", True),
        ("overdue_open_pct", "Hồ sơ tồn đã quá hạn", False),
        ("satisfied_pct", "Đánh giá hài lòng", True),
    )
    for key, label, better_up in spec:
        cards.append(
            {
                "label": label,
                "value": fmt.percent((metrics or {}).get(key)),
                "change": change(
                    changes.get(f"change_{key}"),
                    unit="điểm phần trăm",
                    since=since,
                    higher_is_better=better_up,
                ),
                "band": None,
            }
        )
    return cards


def render_home(con, w: Writer, site: Site) -> None:
    latest = site.latest
    prov = site.province
    ctx_page: dict = {
        "period": latest,
        "province_unit": prov,
        "score": None,
        "metrics": None,
        "cards": [],
        "groups": [],
        "best": {},
        "worst": {},
        "counts": {},
        "dossiers_used": 0,
        "group_names": GROUP_NAME,
    }
    figures: list = []
    tables = query(con, "select * from input_quality order by table_name")
    ctx_page["dossiers_used"] = next(
        (t["rows_used"] for t in tables if t["table_name"] == "dossiers"), 0
    )
    if latest and prov:
        pid, period = prov["agency_id"], latest["period"]
        score = next(
            iter(
                query(
                    con,
                    "select * from scores_766 where agency_id = ? and period = ?",
                    [pid, period],
                )
            ),
            None,
        )
        metrics = next(
            iter(
                query(
                    con,
                    "select * from agency_period_metrics where agency_id = ? and period = ?",
                    [pid, period],
                )
            ),
            None,
        )
        changes = next(
            iter(
                query(
                    con,
                    "select * from page_rate_changes where agency_id = ? and period = ?",
                    [pid, period],
                )
            ),
            None,
        )
        groups = query(
            con,
            "select * from page_group_scores where agency_id = ? and period = ? "
            "order by group_order",
            [pid, period],
        )
        months = query(
            con,
            "select * from (select m.period, m.on_time_pct, s.total_100 "
            "from agency_period_metrics as m left join scores_766 as s "
            "on s.agency_id = m.agency_id and s.period = m.period "
            "where m.agency_id = ? and m.period_type = 'month' and m.period <= ? "
            "order by m.period desc limit 12) order by period",
            [pid, period],
        )
        previous = site.period_by_id.get(latest.get("previous_period") or "")
        since = fmt.period_label(previous["period"]) if previous else "kỳ trước"
        ctx_page.update(
            score=score,
            metrics=metrics,
            cards=kpis(metrics, changes, score, since),
            groups=groups,
        )
        period_text = fmt.period_label(period)
        if score and groups:
            figures.append(fig_group_scores(groups, site.province["name"], score, period_text))
        figures.append(fig_trend(months, "Toàn tỉnh"))
        ranked = query(
            con,
            "select * from page_ranking where period = ? and ranked "
            "and level in ('department', 'commune') order by level, rank_order",
            [period],
        )
        for level, rows in by_key(ranked, "level").items():
            top = rows[:TOP_BOTTOM]
            rest = rows[len(top) :]
            ctx_page["best"][level] = top
            ctx_page["worst"][level] = rest[-TOP_BOTTOM:]
            ctx_page["counts"][level] = len(rows)
    w.page("index.md", "index.md.j2", figures=figures, **ctx_page)


# --------------------------------------------------------------------------------------------
# Rankings


def render_rankings(con, w: Writer, site: Site) -> int:
    rows = query(con, "select * from page_ranking where level <> 'province'")
    prov_rows = {}
    if site.province:
        prov_rows = {
            r["period"]: r
            for r in query(
                con,
                "select * from page_ranking where agency_id = ?",
                [site.province["agency_id"]],
            )
        }
    per_period = by_key(rows, "period")
    ordered = list(site.period_by_id.values())  # newest first
    by_year: dict[str, list[dict]] = defaultdict(list)
    for p in ordered:
        by_year[p["period"][:4]].append(p)
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    years = [
        {
            "year": year,
            "year_period": next((p for p in ps if p["period_type"] == "year"), None),
            "quarters": [
                {**p, "short": "quý " + roman.get(p["period"][-1], p["period"][-1])}
                for p in reversed(ps)
                if p["period_type"] == "quarter"
            ],
            "months": [
                {**p, "short": str(int(p["period"][5:7]))}
                for p in reversed(ps)
                if p["period_type"] == "month"
            ],
        }
        for year, ps in sorted(by_year.items(), reverse=True)
    ]
    # neighbours of the same type, for "kỳ trước / kỳ sau"
    neighbours: dict[str, tuple[dict | None, dict | None]] = {}
    for ptype in ("month", "quarter", "year"):
        seq = [p for p in reversed(ordered) if p["period_type"] == ptype]
        for i, p in enumerate(seq):
            neighbours[p["period"]] = (
                seq[i - 1] if i > 0 else None,
                seq[i + 1] if i + 1 < len(seq) else None,
            )

    def context(p: dict) -> dict:
        lines = per_period.get(p["period"], [])
        levels: list[dict] = []
        unranked_levels: list[dict] = []
        for level in LEVEL_ORDER:
            lv = [r for r in lines if r["level"] == level]
            ranked = [r for r in lv if r["ranked"]]
            if lv and not ranked:
                # no unit of this level could be ranked (e.g. districts after 1 July 2025):
                # no tab, the units are listed under the tables with the reason
                unranked_levels.append({"label": LEVEL_TAB[level], "rows": lv})
            elif lv:
                levels.append(
                    {
                        "level": level,
                        "label": LEVEL_TAB[level],
                        "peers": LEVEL_PEERS[level],
                        "rows": lv,
                        "ranked": len(ranked),
                        "unranked": len(lv) - len(ranked),
                        "leader": ranked[0] if ranked else None,
                    }
                )
        prev, nxt = neighbours.get(p["period"], (None, None))
        ptext = _period(p["period"], p["complete"])
        parts = [f"{lv['ranked']} {LEVEL_NAME[lv['level']]}" for lv in levels]
        leader = next((lv for lv in levels if lv["leader"]), None)
        description = f"Xếp hạng Bộ chỉ số 766 của {w.info.province_name}, {ptext}: " + (
            ", ".join(parts) if parts else "chưa có đơn vị nào được xếp hạng"
        )
        if leader:
            description += (
                f"; dẫn đầu {LEVEL_NAME[leader['level']]}: {leader['leader']['agency_name']} "
                f"({fmt.points(leader['leader']['total_100'])} điểm)"
            )
        return {
            "description": description + ".",
            "unranked_levels": unranked_levels,
            "period": p,
            "levels": levels,
            "province_row": prov_rows.get(p["period"]),
            "prev": prev,
            "next": nxt,
            "years": years,
            "groups": GROUPS,
        }

    count = 0
    for p in ordered:
        w.page(
            f"xep-hang/{p['period']}/index.md",
            "xep-hang.md.j2",
            root="../../",
            hub=False,
            **context(p),
        )
        count += 1
    if site.latest:
        w.page("xep-hang/index.md", "xep-hang.md.j2", root="../", hub=True, **context(site.latest))
    else:
        w.page(
            "xep-hang/index.md",
            "xep-hang.md.j2",
            root="../",
            hub=True,
            period=None,
            levels=[],
            unranked_levels=[],
            description=f"Xếp hạng Bộ chỉ số 766 của {w.info.province_name}: chưa có số liệu.",
            province_row=None,
            prev=None,
            next=None,
            years=years,
            groups=GROUPS,
        )
    return count


# --------------------------------------------------------------------------------------------
# Units


def _headline_rows(con, table: str, extra: str = "") -> dict[str, dict]:
    """One row per unit: the row of ``table`` for the unit's page period."""
    rows = query(
        con,
        f"select t.* from {table} as t inner join page_units as u "
        "on u.agency_id = t.agency_id and u.period = t.period " + extra,
    )
    return {r["agency_id"]: r for r in rows}


def _headline_lists(con, table: str, extra: str = "", order: str = "") -> dict[str, list[dict]]:
    rows = query(
        con,
        f"select t.* from {table} as t inner join page_units as u "
        f"on u.agency_id = t.agency_id and u.period = t.period {extra} {order}",
    )
    return by_key(rows, "agency_id")


def unit_description(unit: dict, period_text: str, score: dict | None, m: dict | None) -> str:
    """One sentence for share previews, with the unit's key numbers."""
    name = unit["name"]
    level = "toàn tỉnh" if unit["is_province"] else LEVEL_NAME.get(unit["level"], unit["level"])
    if not m:
        return f"{name} ({level}): chưa có số liệu giải quyết hồ sơ."
    text = f"{name} ({level}), {period_text}: "
    if score and score.get("total_100") is not None:
        text += f"{fmt.points(score['total_100'])}/100 điểm Bộ chỉ số 766"
        if score.get("band"):
            text += f", xếp loại {score['band']}"
        if score.get("ranked") and not unit["is_province"]:
            text += f", hạng {score['rank']}/{score['rank_of']} trong {LEVEL_PEERS[unit['level']]}"
        text += "; "
    text += (
        f"{fmt.percent(m.get('on_time_pct'))} hồ sơ giải quyết trước hạn, đúng hạn, "
        f"{fmt.number(m.get('in_progress_overdue'))} hồ sơ đang quá hạn."
    )
    return text


def render_units(con, w: Writer, site: Site, settings: Settings) -> int:
    scores = _headline_rows(con, "scores_766")
    metrics = _headline_rows(con, "agency_period_metrics")
    changes = _headline_rows(con, "page_rate_changes")
    ages = _headline_rows(con, "agency_open_age")
    groups = _headline_lists(con, "page_group_scores", order="order by t.group_order")
    indicators = _headline_lists(con, "index_766", order="order by t.indicator")
    late = _headline_lists(
        con,
        "agency_procedure_late",
        extra=f"where t.late_rank <= {TOP_LATE}",
        order="order by t.late_rank",
    )
    months = by_key(
        query(con, "select * from page_unit_months order by agency_id, period"), "agency_id"
    )
    reasons = {
        r["agency_id"]: r["not_ranked_reason"]
        for r in query(
            con,
            "select t.agency_id, t.not_ranked_reason from page_ranking as t "
            "inner join page_units as u on u.agency_id = t.agency_id and u.period = t.period",
        )
    }
    predecessors = by_key([u for u in site.units.values() if u["successor_id"]], "successor_id")
    for preds in predecessors.values():
        preds.sort(key=lambda u: (u["merged_on"] or u["valid_to"] or "", u["name"]))

    for agency_id, unit in site.units.items():
        period = site.period_by_id.get(unit["period"]) if unit["period"] else None
        score = scores.get(agency_id)
        m = metrics.get(agency_id)
        chg = changes.get(agency_id)
        name = unit["name"]
        period_text = _period(period["period"], period["complete"]) if period else ""
        previous = site.period_by_id.get(period.get("previous_period") or "") if period else None
        since = fmt.period_label(previous["period"]) if previous else "kỳ trước"
        inds = indicators.get(agency_id, [])
        not_assessed = [i for i in inds if not i["assessed"]]
        feedback = next((i for i in inds if i["indicator"] == "5.1"), None)
        unit_months = months.get(agency_id, [])
        figures = []
        if score and groups.get(agency_id):
            figures.append(fig_group_scores(groups[agency_id], name, score, period_text))
        if len(unit_months) > 1:
            figures.append(fig_trend(unit_months, name))
            figures.append(fig_channels(unit_months, name))
        figures.append(fig_open_age(ages.get(agency_id), period_text))
        figures.append(fig_ratings(m, period_text))
        figures = [f for f in figures if f is not None]
        parent = site.unit_link(unit["parent_id"])
        description = unit_description(unit, period_text, score, m)
        cards = kpis(m, chg, score, since) if m else []
        if cards and score and score.get("ranked") and not unit["is_province"]:
            cards.insert(
                1,
                {
                    "label": f"Xếp hạng trong {LEVEL_PEERS.get(unit['level'], '')}",
                    "value": f"{score['rank']}/{score['rank_of']}",
                    "change": None,
                    "band": None,
                    "note": period_text,
                },
            )
        w.page(
            f"co-quan/{unit['slug']}/index.md",
            "co-quan.md.j2",
            figures=figures,
            root="../../",
            unit=unit,
            level_name=LEVEL_NAME.get(unit["level"], unit["level"]),
            level_tab=LEVEL_TAB.get(unit["level"], unit["level"]),
            peers=LEVEL_PEERS.get(unit["level"], ""),
            parent=parent,
            period=period,
            period_text=period_text,
            score=score,
            m=m,
            cards=cards,
            groups=groups.get(agency_id, []),
            group_names=GROUP_NAME,
            indicators=inds,
            not_assessed=not_assessed,
            feedback=feedback,
            late=late.get(agency_id, []),
            age=ages.get(agency_id),
            predecessors=predecessors.get(agency_id, []),
            rows_06a=ROWS_06A,
            rates_06a=RATES_06A,
            proc_dir=proc_dir,
            figure_ids=[f.id for f in figures],
            months_count=len(unit_months),
            description=description,
            rank_reason=reasons.get(agency_id),
            official_tolerance=settings.official_score_tolerance,
        )
    return len(site.units)


# --------------------------------------------------------------------------------------------
# Procedures


def render_procedures(con, w: Writer, site: Site) -> int:
    ids = [
        r["procedure_id"]
        for r in query(
            con,
            "select procedure_id, any_value(procedure_name) as name from procedure_metrics "
            "group by procedure_id order by procedure_id",
        )
    ]
    names = {
        r["procedure_id"]: r["name"]
        for r in query(
            con,
            "select procedure_id, any_value(procedure_name) as name from procedure_metrics "
            "group by procedure_id",
        )
    }
    where = by_key(
        query(
            con,
            "select pu.*, u.name as agency_name, u.slug, u.level, u.is_province "
            "from page_procedure_units as pu inner join page_units as u "
            "on u.agency_id = pu.agency_id order by pu.procedure_id, pu.received_new desc, u.name",
        ),
        "procedure_id",
    )
    months = by_key(
        query(con, "select * from page_procedure_months order by procedure_id, period"),
        "procedure_id",
    )
    window = query(
        con,
        "select min(first_period) as first_period, max(last_period) as last_period "
        "from page_procedure_units",
    )[0]
    catalogue = {
        p["procedure_id"]: p
        for p in query(
            con,
            f"select {', '.join(PROCEDURE_FIELDS)} from stg_procedures where reject_reason is null",
        )
    }
    for pid in ids:
        info = catalogue.get(pid) or dict.fromkeys(PROCEDURE_FIELDS)
        name = info.get("name") or names.get(pid) or pid
        rows = where.get(pid, [])
        total = next((r for r in rows if r["is_province"]), None)
        units = [r for r in rows if not r["is_province"]]
        pm = months.get(pid, [])
        statutory = info.get("statutory_days")
        if statutory is None and pm:
            statutory = pm[-1].get("statutory_days")
        figures = [fig_procedure_months(pm, name) if pm else None, fig_days(pm, statutory)]
        figures = [f for f in figures if f is not None]
        window_text = (
            f"12 tháng ({fmt.period_label(window['first_period'])} – "
            f"{fmt.period_label(window['last_period'])})"
            if window["first_period"]
            else "12 tháng gần nhất"
        )
        cards = []
        description = f"Thủ tục {name} (mã {pid})"
        if total:
            cards = [
                {
                    "label": f"Hồ sơ tiếp nhận mới, {window_text}",
                    "value": fmt.number(total["received_new"]),
                    "change": None,
                    "band": None,
                },
                {
                    "label": "Giải quyết trước hạn, đúng hạn",
                    "value": fmt.percent(total["on_time_pct"]),
                    "change": None,
                    "band": None,
                    "note": f"trên {fmt.number(total['resolved'])} hồ sơ đã giải quyết",
                },
                {
                    "label": "Nộp trực tuyến",
                    "value": fmt.percent(total["online_pct"]),
                    "change": None,
                    "band": None,
                },
                {
                    "label": "Thời hạn theo quy định",
                    "value": f"{fmt.number(statutory, 1)} ngày"
                    if statutory is not None
                    else fmt.EMPTY,
                    "change": None,
                    "band": None,
                    "note": "ngày làm việc",
                },
            ]
            description += (
                f": {window_text}, {fmt.number(total['received_new'])} hồ sơ tiếp nhận mới trong "
                f"toàn tỉnh, {fmt.percent(total['on_time_pct'])} giải quyết trước hạn, đúng hạn, "
                f"{fmt.percent(total['online_pct'])} nộp trực tuyến"
            )
        else:
            description += ": không có hồ sơ trong 12 tháng gần nhất"
        if statutory is not None:
            description += f"; thời hạn {limit_days(statutory)} ngày làm việc"
        description += "."
        w.page(
            f"thu-tuc/{proc_dir(pid)}/index.md",
            "thu-tuc.md.j2",
            figures=figures,
            root="../../",
            pid=pid,
            name=name,
            info=info,
            online_level=ONLINE_LEVEL.get(info.get("online_level") or ""),
            statutory=statutory,
            total=total,
            units=units,
            months=pm,
            window=window,
            level_tab=LEVEL_TAB,
            figure_ids=[f.id for f in figures],
            cards=cards,
            description=description,
        )
    return len(ids)


# --------------------------------------------------------------------------------------------
# Downloads, methodology, data quality, history


def render_methodology(w: Writer, s: Settings) -> None:
    w.page(
        "phuong-phap/index.md",
        "phuong-phap.md.j2",
        bands=[tuple(b) for b in s.bands],
        second_supplement_is_late=s.second_supplement_is_late,
        official_score_tolerance=s.official_score_tolerance,
    )


def render_quality(con, w: Writer) -> None:
    tables = query(con, "select * from input_quality order by table_name")
    reasons = query(
        con,
        'select "table", reason, count(*) as rows from quarantine '
        'group by all order by "table", rows desc, reason',
    )
    shortened = query(con, "select * from shortened_values")
    as_of = query(con, "select * from as_of_date")[0]
    checks = sorted(p.stem for p in (ROOT / "queries" / "checks").glob("*.sql"))
    w.page(
        "chat-luong-du-lieu/index.md",
        "chat-luong-du-lieu.md.j2",
        tables=tables,
        reasons=reasons,
        shortened=shortened,
        labels=TABLE_LABELS,
        as_of_info=as_of,
        checks=checks,
    )
