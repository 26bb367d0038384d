"""Hand-made figures of every kind (names carrying markup, NULLs, long labels, a formula-like
category) and helpers that read what the charts wrote."""

from __future__ import annotations

import re

from minhbach.charts import Col, Figure

NAME = 'Sở <script>alert(1)</script> & "Tư pháp"'
AGES = [
    "Chưa đến hạn",
    "Quá hạn 1–5 ngày",
    "Quá hạn 6–15 ngày",
    "Quá hạn 16–30 ngày",
    "Quá hạn trên 30 ngày",
]


def months(n: int = 24, year: int = 2024, month: int = 12) -> list[str]:
    out = []
    for _ in range(n):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        out.append(f"{year}-{month:02d}")
    return out


def fig_group_scores() -> Figure:
    groups = [
        ("Công khai, minh bạch", 12.5, 18),
        ("Tiến độ giải quyết", 17.25, 20),
        ("Chất lượng giải quyết", 20, 22),
        ("Số hóa hồ sơ", 9.75, 16),
        ("Mức độ hài lòng", 16, 18),
        (NAME, None, 6),
    ]
    return Figure(
        id="nhom-diem",
        kind="group_scores",
        title=f"Điểm sáu nhóm chỉ số của {NAME}",
        caption=f"{NAME} đạt cao nhất ở nhóm Chất lượng giải quyết: 20/22 điểm.",
        rows=[{"group": g, "score": s, "max": m} for g, s, m in groups],
        columns=[
            Col("group", "Nhóm", "text"),
            Col("score", "Điểm", "pts"),
            Col("max", "Tối đa", "pts"),
        ],
        x="group",
        y="score",
        options={"max_key": "max", "order": [g for g, _, _ in groups]},
    )


def fig_trend() -> Figure:
    rows = []
    for i, p in enumerate(months()):
        rows.append({"period": p, "series": "Tổng điểm (/100)", "value": 70 + i})
        rate = None if i == 5 else 96.57
        rows.append({"period": p, "series": "Đúng hạn (%)", "value": rate})
    return Figure(
        id="xu-huong",
        kind="trend",
        title="Tổng điểm và tỷ lệ đúng hạn, 24 tháng",
        caption="Tỷ lệ đúng hạn giữ ở 96,57%.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("series", "Chỉ số", "text"),
            Col("value", "Giá trị", "pct"),
        ],
        x="period",
        y="value",
        series="series",
        options={"y_max": 100, "order": ["Tổng điểm (/100)", "Đúng hạn (%)"]},
    )


def fig_stacked() -> Figure:
    rows = [
        {"period": p, "online": 1000 + i, "direct": 21969, "postal": 5}
        for i, p in enumerate(months(12))
    ]
    rows[0]["online"] = None
    return Figure(
        id="kenh",
        kind="stacked",
        title="Hồ sơ tiếp nhận theo kênh",
        caption="Mỗi tháng 21.969 hồ sơ nộp trực tiếp.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("online", "Trực tuyến"),
            Col("direct", "Trực tiếp"),
            Col("postal", "Bưu chính"),
        ],
        x="period",
        y="online",
        options={
            "fold": {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính"},
            "y_title": "Hồ sơ",
        },
    )


def fig_bars() -> Figure:
    rows = [{"age": a, "n": n} for a, n in zip(AGES, [21969, 120, 80, 33, 57], strict=True)]
    rows.append({"age": '=HYPERLINK("http://x")', "n": 1})
    return Figure(
        id="ho-so-ton",
        kind="bars",
        title="Hồ sơ đang giải quyết theo thời gian quá hạn",
        caption="21.969 hồ sơ chưa đến hạn.",
        rows=rows,
        columns=[Col("age", "Tình trạng", "text"), Col("n", "Số hồ sơ")],
        x="age",
        y="n",
        options={"order": [*AGES, '=HYPERLINK("http://x")']},
    )


def fig_days() -> Figure:
    rows = [
        {"period": p, "median": 3.4, "p90": None if i == 3 else 9.5 + i % 4, "limit": 15}
        for i, p in enumerate(months())
    ]
    return Figure(
        id="thoi-gian",
        kind="days_vs_limit",
        title="Số ngày giải quyết thực tế so với thời hạn",
        caption="Trung vị 3,4 ngày, dưới thời hạn 15 ngày.",
        rows=rows,
        columns=[
            Col("period", "Tháng", "period"),
            Col("median", "Trung vị", "days"),
            Col("p90", "Phân vị 90", "days"),
            Col("limit", "Thời hạn", "num"),
        ],
        x="period",
        y="median",
        options={
            "fold": {"median": "Trung vị", "p90": "Phân vị 90"},
            "rule": 15,
            "rule_label": "Thời hạn quy định: 15 ngày",
            "y_title": "Ngày",
        },
    )


ALL = [fig_group_scores, fig_trend, fig_stacked, fig_bars, fig_days]


def fig_days_8_ticks() -> Figure:
    """Days per month up to 12,3, no limit: 8 value ticks, 0 to 14 by 2."""
    days = fig_days()
    days.options = {**days.options, "rule": None}
    days.rows = [dict(r, p90=12.3 if i == 2 else r["p90"]) for i, r in enumerate(days.rows)]
    return days


def svg_of(snippet: str) -> str:
    return re.search(r"<svg .*?</svg>", snippet, re.S).group(0)


def spec_rows(spec: dict) -> list[dict]:
    """The rows of an interactive spec's data, as its top-level transforms make them (its
    columns flattened, the coded ones decoded)."""
    [columns] = spec["data"]["values"]
    keys = spec["transform"][0]["flatten"]
    codes = columns.get("_dict", {})
    return [
        {k: codes[k][columns[k][i]] if k in codes else columns[k][i] for k in keys}
        for i in range(len(columns[keys[0]]))
    ]
