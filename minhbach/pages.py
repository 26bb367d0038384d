"""The page kinds not yet moved into :mod:`minhbach.render` (home, rankings, units,
procedures, downloads, methodology, data quality, history), on the package's writer, site data,
figures and filters; :func:`minhbach.render.start_all` calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fmt
from .config import ROOT
from .render.env import change
from .render.figures import (
    fig_group_scores,
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
