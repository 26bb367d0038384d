"""The charts of the pages: each ``fig_*`` turns a page's rows into a :class:`charts.Figure`
(rows, columns, caption, title); :func:`minhbach.charts.render_figures` draws them.

Captions say in words what a chart shows and its key number; they only format figures that
arrive computed.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .. import fmt
from ..charts import Col, Credit, Figure, anchor
from ..publish.datapackage import CC_BY_4
from .env import limit_days

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo

# A chart's series: (the rows' column, its label), in order (page_site_chart_labels).
Labels = tuple[tuple[str, str], ...]


def page_url(info: BuildInfo, path: str) -> str:
    """A page's address from its path under docs ("co-quan/x/index.md"), "" without a site
    URL (directory URLs: mkdocs.yml)."""
    if not info.site_url:
        return ""
    page = path.removesuffix("index.md")
    if page.endswith(".md"):
        page = page.removesuffix(".md") + "/"
    return info.site_url.rstrip("/") + "/" + page


def _portal_page(path: str) -> bool:
    """The portal's pages, whose figures are the portal's own."""
    from .portal import HUB, NATIONAL

    return path == NATIONAL or path.startswith(HUB.removesuffix("index.md"))


def chart_source(info: BuildInfo, portal: bool = False) -> str:
    """Where a chart's numbers come from: computed by minhbach from the province's one-stop
    data, or from the portal's published figures (``portal``: a page of the portal's own
    figures; or a build from the portal's files alone), with the capture dates as
    :meth:`BuildInfo.source_text` writes them. The sample says its figures are invented."""
    if info.portal_captured and (portal or not info.dossiers):
        if info.synthetic:
            return "Nguồn: minhbach, tính từ số liệu giả lập theo dạng Cổng Dịch vụ công quốc gia"
        captures = dataclasses.replace(info, dossiers=False).source_text()
        return "Nguồn: minhbach, tính từ số liệu của " + captures.removeprefix("Nguồn: ")
    data = "dữ liệu giả lập" if info.synthetic else "dữ liệu một cửa"
    return f"Nguồn: minhbach, tính từ {data} của {info.province_name}"


def chart_credit(info: BuildInfo, path: str, figure: Figure) -> Credit:
    """What a chart of the page ``path`` carries under it: its source, the as-of date, the
    licence of the data (the downloads page's, CC BY 4.0) and its address."""
    url = page_url(info, path)
    return Credit(
        source=chart_source(info, portal=_portal_page(path)),
        as_of=info.as_of.strftime("%d/%m/%Y"),
        licence=CC_BY_4.name.replace("-", " "),
        url=f"{url}#{anchor(figure)}" if url else "",
    )


def _plain(value):
    """Figure rows go to JSON: Decimal becomes float (same value, no arithmetic)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _rows(rows) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in rows]


def fig_group_scores(groups: list[dict], name: str, score: dict, period_text: str) -> Figure:
    rows = [
        {
            "group": f"{g['group']} – {g['group_name']}",
            "points": g["points"],
            "assessed_max": g["assessed_max"],
            "max_points": g["max_points"],
        }
        for g in groups
    ]
    caption = (
        f"{name} đạt {fmt.points(score.get('total'))} trên "
        f"{fmt.number(score.get('assessed_max'))} điểm tối đa của các chỉ số được đánh giá trong "
        f"{period_text}, quy về thang 100 là {fmt.points(score.get('total_100'))} điểm. "
        "Thanh nhạt là mức tối đa của nhóm (chỉ tính các chỉ số được đánh giá)."
    )
    return Figure(
        id="nhom-diem",
        kind="group_scores",
        title="Điểm sáu nhóm chỉ số so với mức tối đa",
        caption=caption,
        rows=_rows(rows),
        columns=[
            Col("group", "Nhóm chỉ số", "text"),
            Col("points", "Điểm đạt", "pts"),
            Col("assessed_max", "Tối đa (chỉ số được đánh giá)", "num"),
            Col("max_points", "Tối đa theo bộ chỉ số", "num"),
        ],
        x="group",
        y="points",
        options={"max_key": "assessed_max", "y_title": "Điểm"},
    )


SERIES_SCORE = "Điểm 766 tính lại (thang 100)"
SERIES_ON_TIME = "Tỷ lệ đúng hạn mẫu 06a (%)"
SERIES_PROVINCE_ON_TIME = "Toàn tỉnh: tỷ lệ đúng hạn mẫu 06a (%)"


def fig_trend(months: list[dict], name: str) -> Figure | None:
    rows = []
    for m in months:
        if m.get("total_100") is not None:
            rows.append({"period": m["period"], "series": SERIES_SCORE, "value": m["total_100"]})
        if m.get("on_time_pct") is not None:
            rows.append(
                {"period": m["period"], "series": SERIES_ON_TIME, "value": m["on_time_pct"]}
            )
        if m.get("province_on_time_pct") is not None:  # a unit's page: the province beside it
            rows.append(
                {
                    "period": m["period"],
                    "series": SERIES_PROVINCE_ON_TIME,
                    "value": m["province_on_time_pct"],
                }
            )
    if not rows:
        return None
    order = [SERIES_SCORE, SERIES_ON_TIME]
    if any(r["series"] == SERIES_PROVINCE_ON_TIME for r in rows):
        order.append(SERIES_PROVINCE_ON_TIME)
    first, last = months[0], months[-1]
    caption = (
        f"{name}, {fmt.period_label(last['period'])}: {fmt.points(last.get('total_100'))} điểm "
        f"và {fmt.percent(last.get('on_time_pct'))} hồ sơ giải quyết trước hạn, đúng hạn; "
        f"{fmt.period_label(first['period'])}: {fmt.points(first.get('total_100'))} điểm và "
        f"{fmt.percent(first.get('on_time_pct'))}."
    )
    return Figure(
        id="xu-huong",
        kind="trend",
        title=f"Điểm 766 và tỷ lệ đúng hạn qua {len(months)} tháng",
        caption=caption,
        rows=_rows(rows),
        columns=[
            Col("period", "Tháng", "period"),
            Col("series", "Chỉ tiêu", "text"),
            Col("value", "Giá trị", "pts"),
        ],
        x="period",
        y="value",
        series="series",
        options={"y_max": 100, "order": order, "y_title": "Điểm / %"},
    )


def _channel_rows(months: list[dict], labels) -> list[dict]:
    return [
        {"period": m["period"], "channel": label, "dossiers": m[key]}
        for m in months
        for key, label in labels
    ]


def _channel_figure(fig_id: str, title: str, caption: str, rows: list[dict], labels) -> Figure:
    """Dossiers received per month, stacked by channel (unit and procedure pages)."""
    return Figure(
        id=fig_id,
        kind="stacked",
        title=title,
        caption=caption,
        rows=_rows(rows),
        columns=[
            Col("period", "Tháng", "period"),
            Col("channel", "Kênh", "text"),
            Col("dossiers", "Số hồ sơ", "num"),
        ],
        x="period",
        y="dossiers",
        series="channel",
        options={"order": [label for _, label in labels], "y_title": "Hồ sơ"},
    )


def fig_channels(months: list[dict], name: str, labels: Labels) -> Figure | None:
    rows = _channel_rows(months, labels)
    if not any(r["dossiers"] for r in rows):
        return None
    last = months[-1]
    caption = (
        f"{fmt.period_label(last['period']).capitalize()}: {fmt.number(last['received_online'])} "
        f"trong {fmt.number(last['received_new'])} hồ sơ {name} tiếp nhận mới được nộp trực tuyến "
        f"({fmt.percent(last.get('online_pct'))}), {fmt.number(last['received_direct'])} nộp "
        f"trực tiếp, {fmt.number(last['received_postal'])} qua bưu chính công ích."
    )
    return _channel_figure("kenh", "Hồ sơ tiếp nhận mới theo kênh nộp", caption, rows, labels)


def _bars(fig_id: str, title: str, caption: str, row: dict, labels: Labels, cols, y_title):
    """One bar per series of ``labels``, its number from ``row`` (unit pages)."""
    x, y = cols
    rows = [{x.key: label, y.key: row[key]} for key, label in labels]
    return Figure(
        id=fig_id,
        kind="bars",
        title=title,
        caption=caption,
        rows=_rows(rows),
        columns=[x, y],
        x=x.key,
        y=y.key,
        options={"order": [label for _, label in labels], "y_title": y_title},
    )


def fig_open_age(age: dict, period_text: str, labels: Labels) -> Figure | None:
    if not age or not age.get("in_progress"):
        return None
    caption = (
        f"Cuối {period_text} còn {fmt.number(age['in_progress'])} hồ sơ đang giải quyết: "
        f"{fmt.number(age['not_yet_due'])} chưa đến hạn, {fmt.number(age['overdue_over_30'])} "
        f"đã quá hạn hơn 30 ngày. {fmt.number(age['waiting_applicant'])} hồ sơ đang chờ người "
        "nộp bổ sung (đồng hồ tạm dừng) không tính ở đây."
    )
    title = "Hồ sơ đang giải quyết theo số ngày quá hạn"
    cols = (Col("bucket", "Tình trạng", "text"), Col("dossiers", "Số hồ sơ", "num"))
    return _bars("ho-so-ton", title, caption, age, labels, cols, "Hồ sơ")


def fig_ratings(metrics: dict, period_text: str, labels: Labels) -> Figure | None:
    if not metrics or not metrics.get("ratings"):
        return None
    caption = (
        f"{fmt.number(metrics['ratings'])} lượt đánh giá trong {period_text}, "
        f"{fmt.percent(metrics.get('satisfied_pct'))} ở mức hài lòng hoặc rất hài lòng (4–5), "
        f"{fmt.number(metrics.get('ratings_unsatisfied'))} lượt không hài lòng (1–2)."
    )
    title = "Đánh giá của người dân, doanh nghiệp theo mức"
    cols = (Col("level", "Mức đánh giá", "text"), Col("ratings", "Số lượt", "num"))
    return _bars("hai-long", title, caption, metrics, labels, cols, "Lượt đánh giá")


def fig_procedure_months(months: list[dict], name: str, labels: Labels) -> Figure | None:
    rows = _channel_rows(months, labels)
    if not any(r["dossiers"] for r in rows):
        return None
    last = months[-1]
    caption = (
        f"{fmt.period_label(last['period']).capitalize()}: {fmt.number(last['received_new'])} hồ "
        f"sơ «{name}» được tiếp nhận trong toàn tỉnh, {fmt.percent(last.get('online_pct'))} nộp "
        "trực tuyến."
    )
    return _channel_figure(
        "ho-so-thang", "Hồ sơ tiếp nhận mỗi tháng theo kênh nộp", caption, rows, labels
    )


SERIES_MEDIAN = "Trung vị"
SERIES_P90 = "90% hồ sơ (phân vị 90)"


def fig_days(months: list[dict], statutory_days) -> Figure | None:
    rows = []
    for m in months:
        if m.get("median_days") is not None:
            rows.append({"period": m["period"], "measure": SERIES_MEDIAN, "days": m["median_days"]})
        if m.get("p90_days") is not None:
            rows.append({"period": m["period"], "measure": SERIES_P90, "days": m["p90_days"]})
    if not rows:
        return None
    last = next((m for m in reversed(months) if m.get("median_days") is not None), months[-1])
    # The limit is in working days, the real days in calendar days: the limit is said in the
    # caption, never drawn on the calendar-day axis.
    limit = (
        f"thời hạn theo quy định là {limit_days(statutory_days)} ngày làm việc (không tính thứ "
        "Bảy, Chủ nhật, ngày lễ), nên không vẽ trên trục ngày lịch này"
        if statutory_days is not None
        else "danh mục không ghi thời hạn giải quyết"
    )
    caption = (
        f"{fmt.period_label(last['period']).capitalize()}: một nửa số hồ sơ được giải quyết trong "
        f"{fmt.number(last.get('median_days'), 1)} ngày, 90% trong "
        f"{fmt.number(last.get('p90_days'), 1)} ngày (ngày lịch, trừ thời gian chờ bổ sung); "
        f"{limit}."
    )
    options: dict = {"order": [SERIES_MEDIAN, SERIES_P90], "y_title": "Ngày lịch"}
    return Figure(
        id="thoi-gian",
        kind="days_vs_limit",
        title="Số ngày giải quyết thực tế (ngày lịch)",
        caption=caption,
        rows=_rows(rows),
        columns=[
            Col("period", "Tháng", "period"),
            Col("measure", "Chỉ số", "text"),
            Col("days", "Số ngày (ngày lịch)", "days"),
        ],
        x="period",
        y="days",
        series="measure",
        options=options,
    )
