"""Writing the site's Markdown pages from the computed tables (Jinja2 templates in
``site_src/templates``). Templates get figures; they compute nothing.

Every figure arrives computed by the SQL (``queries/``, the ``page_*`` marts hold what only the
pages need). This module fetches each table with a few set-based queries, groups the rows by unit
or procedure in Python, gathers every chart of the site, renders them all at once with
:func:`minhbach.charts.render_figures` (a process pool) and writes the pages meanwhile (in the
build, each figure is a mark that :func:`splice_figures` replaces once MkDocs has built the site):

- ``index.md`` (home), ``xep-hang/index.md`` and ``xep-hang/<period>/index.md`` (rankings),
- ``co-quan/<slug>/index.md`` (one scorecard per unit of ``dim_agencies``),
- ``thu-tuc/<procedure_id>/index.md`` (one page per procedure with dossiers),
- ``du-lieu/``, ``phuong-phap/``, ``chat-luong-du-lieu/``, ``lich-su/``.

Unit, procedure and per-period ranking pages are not in the navigation (hub pages link to them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import jinja2
from markupsafe import Markup

from . import charts, fmt
from .charts import Col, Figure
from .config import ROOT

if TYPE_CHECKING:
    from .pipeline import BuildContext

TEMPLATES = ROOT / "site_src" / "templates"
STATIC_PAGES = ROOT / "site_src" / "pages"
ASSETS = ROOT / "site_src" / "assets"

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

EMPTY_LEGEND = "— : không đánh giá, hoặc không có số liệu để tính (mẫu số bằng 0)."
NAV = [
    {"Trang chủ": "index.md"},
    {"Xếp hạng": "xep-hang/index.md"},
    {"Dữ liệu": "du-lieu/index.md"},
    {"Phương pháp": "phuong-phap/index.md"},
    {"Chất lượng dữ liệu": "chat-luong-du-lieu/index.md"},
    {"Lịch sử": "lich-su/index.md"},
]
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
SAFE_DIR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TOP_LATE = 10
TOP_BOTTOM = 5


# --------------------------------------------------------------------------------------------
# Formatting helpers (presentation only: no figure is computed here)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#])")


def _md_text(value) -> str:
    """Escape Markdown syntax (links, emphasis, attribute lists, table pipes) in a name shown in
    Markdown: headings, paragraphs, table cells. HTML escaping is left to autoescape."""
    return _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def _yaml(value) -> Markup:
    """A quoted YAML scalar (JSON strings are YAML) for front matter; not HTML-escaped."""
    return Markup(json.dumps("" if value is None else str(value), ensure_ascii=False))


def _slug(text: str) -> str:
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _band(label) -> Markup:
    """The band badge of the theme (class from the label: band-xuat-sac, band-tot, …)."""
    if not label:
        return Markup(fmt.EMPTY)
    return Markup('<span class="band-{}">{}</span>').format(_slug(label), label)


def _period(period, complete=True) -> str:
    if not period:
        return fmt.EMPTY
    label = fmt.period_label(str(period))
    return label if complete is not False else f"{label} (chưa trọn kỳ)"


def _filesize(n) -> str:
    """Bytes as Vietnamese text: 950 byte, 12,3 kB, 4,56 MB (formatting, like fmt)."""
    if n is None:
        return fmt.EMPTY
    n = int(n)
    if n < 1000:
        return f"{fmt.number(n)} byte"
    if n < 1_000_000:
        return f"{fmt.number(n / 1000, 1)} kB"
    if n < 1_000_000_000:
        return f"{fmt.number(n / 1_000_000, 1)} MB"
    return f"{fmt.number(n / 1_000_000_000, 2)} GB"


def _limit_days(value) -> str:
    """A statutory limit in days: '15', '1,5' (whole numbers without decimals)."""
    if value is None:
        return fmt.EMPTY
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def _magnitude(value, decimals: int = 2) -> str:
    """The absolute value as text, from fmt.signed (drops its sign)."""
    return fmt.signed(value, decimals).lstrip("+\u2212")


def change(value, *, unit: str, since: str, higher_is_better: bool = True) -> dict | None:
    """A change in words, with an arrow and the theme's class: mb-better / mb-worse / mb-same.
    None when there is nothing to compare with."""
    if value is None:
        return None
    if value > 0:
        arrow, word = "▲", "tăng"
        cls = "mb-better" if higher_is_better else "mb-worse"
    elif value < 0:
        arrow, word = "▼", "giảm"
        cls = "mb-worse" if higher_is_better else "mb-better"
    else:
        return {"text": f"■ không đổi so với {since}", "cls": "mb-same"}
    return {"text": f"{arrow} {word} {_magnitude(value)} {unit} so với {since}", "cls": cls}


def _plain(value):
    """Figure rows go to JSON: Decimal becomes float (same value, no arithmetic)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _rows(rows: Iterable[dict]) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in rows]


def proc_dir(procedure_id: str) -> str:
    """The folder of a procedure's page: its id as given when URL-safe (``1.001193``)."""
    pid = str(procedure_id)
    if SAFE_DIR.match(pid) and pid not in (".", ".."):
        return pid
    return "tt-" + (_slug(pid) or "khong-ten")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(fmt.FILTERS)
    env.filters.update(
        {
            "cell": _md_text,
            "md": _md_text,
            "yaml": _yaml,
            "band": _band,
            "period_full": _period,
            "filesize": _filesize,
            "days": lambda v: fmt.number(v, 1),
            "limit_days": _limit_days,
            "magnitude": _magnitude,
        }
    )
    return env


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def by_key(rows: Iterable[dict], key: str) -> dict[Any, list[dict]]:
    out: dict[Any, list[dict]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


# --------------------------------------------------------------------------------------------
# The writer: pages are registered with their figures, charts rendered once, then written


@dataclass
class PendingPage:
    path: str
    template: str
    context: dict
    page_dir: Path
    figure_ids: list[str] = field(default_factory=list)


FIGURE_MARK = "<!--mb-figure:{}-->"
FIGURE_MARK_RE = re.compile(r"<!--mb-figure:([a-z0-9-]+)-->")
# A raw HTML block that templates mark to be kept out of MkDocs like the figures (large
# tables of pages searched by title and description only).
DEFER_RE = re.compile(r"<!--mb-defer-->\n(.*?)\n<!--/mb-defer-->", re.S)


class Writer:
    def __init__(self, docs: Path, ctx: BuildContext, figures_dir: Path | None = None):
        self.docs = docs
        self.ctx = ctx
        self.figures_dir = figures_dir
        self.env = environment()
        self.common = {
            "province_name": ctx.province_name,
            "synthetic": ctx.synthetic,
            "synthetic_note": ctx.synthetic_note,
            "as_of": ctx.as_of,
            "build_time": ctx.build_time,
            "rule_set": ctx.settings.rule_set,
            "max_quarantine_pct": ctx.settings.max_quarantine_pct,
            "empty_legend": EMPTY_LEGEND,
        }
        self.pending: list[PendingPage] = []
        self.jobs: list[tuple[Path, Figure]] = []
        self.timings: dict[str, float] = {}

    def page(self, path: str, template: str, figures: Iterable[Figure] = (), **context) -> None:
        """Register a page; it is written by :meth:`finish`, with its figures' HTML."""
        page_dir = (self.docs / path).parent
        figs = [f for f in figures if f is not None]
        self.jobs.extend((page_dir, f) for f in figs)
        self.pending.append(PendingPage(path, template, context, page_dir, [f.id for f in figs]))

    def _defer_blocks(self, text: str, p: PendingPage) -> str:
        """Blocks between ``<!--mb-defer-->`` and ``<!--/mb-defer-->``: kept in place, or with
        ``figures_dir`` put aside like the figures (``bang-1``, ``bang-2``… of the page)."""
        if self.figures_dir is None:
            return DEFER_RE.sub(lambda m: m.group(1), text)
        folder = self._aside(p.page_dir)
        count = 0

        def put_aside(m: re.Match) -> str:
            nonlocal count
            count += 1
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"bang-{count}.html").write_text(m.group(1), encoding="utf-8")
            return FIGURE_MARK.format(f"bang-{count}")

        return DEFER_RE.sub(put_aside, text)

    def finish(self, progress: Callable[[str], None] | None = None) -> dict[str, float]:
        """Render the charts and write the pages (:meth:`start`, then wait)."""
        return self.start(progress)()

    def start(
        self, progress: Callable[[str], None] | None = None
    ) -> Callable[[], dict[str, float]]:
        """Start drawing the charts (a process pool, from a background thread) and write the
        pages; returns the function that waits for the charts and gives the timings.

        Without ``figures_dir`` the pages hold their figures, so they are written once the
        charts are drawn. With it, they only hold marks, so they are written while the chart
        workers draw (the main process would otherwise wait idle), the charts' files (CSV,
        Vega-Lite spec, HTML snippet) go to ``figures_dir`` and the caller may build the site
        with MkDocs before waiting: :func:`splice_figures` puts them in place afterwards."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if progress:
            progress(f"vẽ {len(self.jobs)} biểu đồ…")
        inline = self.figures_dir is None
        jobs = self.jobs if inline else [(self._aside(d), f) for d, f in self.jobs]
        waiter = ThreadPoolExecutor(max_workers=1)
        stop = charts.Abort()
        drawing = waiter.submit(charts.render_figures, jobs, abort=stop) if jobs else None
        try:
            snippets: dict = {}
            if inline:
                snippets = drawing.result() if drawing else {}
                timings["charts"] = time.perf_counter() - started
            write_started = time.perf_counter()
            if progress:
                progress(f"viết {len(self.pending)} trang…")
            self._write_pages(snippets if inline else None)
            timings["write"] = time.perf_counter() - write_started
            self.timings = timings
        except BaseException:  # the charts are of no use now: their workers stop at once
            stop()
            waiter.shutdown(wait=True, cancel_futures=True)
            raise
        self.pending.clear()
        self.jobs.clear()

        def wait(abort: bool = False) -> dict[str, float]:
            """Wait for the charts; with ``abort`` (the build failed), stop their workers at
            once instead (what they wrote is half done: the caller discards it)."""
            if abort:
                stop()
                waiter.shutdown(wait=True)
                return timings
            try:
                if not inline:
                    done = drawing.result() if drawing else {}
                    timings["charts"] = time.perf_counter() - started
                    for (folder, fid), html_text in done.items():
                        folder.mkdir(parents=True, exist_ok=True)
                        (folder / f"{fid}.html").write_text(html_text, encoding="utf-8")
            except BaseException:  # interrupted while waiting, or a chart failed
                stop()
                raise
            finally:
                waiter.shutdown(wait=True)
            return timings

        return wait

    def _aside(self, page_dir: Path) -> Path:
        """Where a page's figures are kept aside (``figures_dir`` mirrors ``docs``)."""
        assert self.figures_dir is not None
        return self.figures_dir / page_dir.relative_to(self.docs)

    def _write_pages(self, snippets: dict | None) -> None:
        """Every pending page: with ``snippets`` (no ``figures_dir``) the figures inline, else
        a mark per figure."""
        templates: dict[str, jinja2.Template] = {}
        for p in self.pending:
            if snippets is not None:
                figures = {fid: Markup(snippets[(p.page_dir, fid)]) for fid in p.figure_ids}
            else:
                figures = {fid: Markup(FIGURE_MARK.format(fid)) for fid in p.figure_ids}
            template = templates.get(p.template) or self.env.get_template(p.template)
            templates[p.template] = template
            text = self._defer_blocks(
                template.render(**self.common, **p.context, figures=figures), p
            )
            target = self.docs / p.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# What every page shares: periods, units, the province


@dataclass
class SiteData:
    periods: list[dict]
    period_by_id: dict[str, dict]
    latest: dict | None  # latest complete month (else the latest month)
    units: dict[str, dict]  # page_units by agency_id
    province: dict | None
    procedures: dict[str, dict]  # stg_procedures by id

    def unit_link(self, agency_id: str | None) -> dict | None:
        u = self.units.get(agency_id) if agency_id else None
        return {"name": u["name"], "slug": u["slug"]} if u else None


def load_site_data(con) -> SiteData:
    periods = query(
        con,
        "select period, period_type, first_day, last_day, complete, previous_period "
        "from dim_periods order by first_day desc, period_type",
    )
    months = [p for p in periods if p["period_type"] == "month"]
    latest = next((p for p in months if p["complete"]), months[0] if months else None)
    units = {u["agency_id"]: u for u in query(con, "select * from page_units")}
    province = next((u for u in units.values() if u["is_province"]), None)
    procedures = {
        p["procedure_id"]: p
        for p in query(
            con,
            f"select {', '.join(PROCEDURE_FIELDS)} from stg_procedures where reject_reason is null",
        )
    }
    return SiteData(
        periods=periods,
        period_by_id={p["period"]: p for p in periods},
        latest=latest,
        units=units,
        province=province,
        procedures=procedures,
    )


# --------------------------------------------------------------------------------------------
# Figures


def fig_group_scores(groups: list[dict], name: str, score: dict, period_text: str) -> Figure:
    rows = [
        {
            "group": f"{g['group']} – {GROUP_NAME.get(g['group'], g['group'])}",
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


SERIES_SCORE = "Điểm 766 (thang 100)"
SERIES_ON_TIME = "Tỷ lệ đúng hạn (%)"


def fig_trend(months: list[dict], name: str) -> Figure | None:
    rows = []
    for m in months:
        if m.get("total_100") is not None:
            rows.append({"period": m["period"], "series": SERIES_SCORE, "value": m["total_100"]})
        if m.get("on_time_pct") is not None:
            rows.append(
                {"period": m["period"], "series": SERIES_ON_TIME, "value": m["on_time_pct"]}
            )
    if not rows:
        return None
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
        options={"y_max": 100, "order": [SERIES_SCORE, SERIES_ON_TIME], "y_title": "Điểm / %"},
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


def fig_channels(months: list[dict], name: str) -> Figure | None:
    rows = _channel_rows(months, CHANNELS)
    if not any(r["dossiers"] for r in rows):
        return None
    last = months[-1]
    caption = (
        f"{fmt.period_label(last['period']).capitalize()}: {fmt.number(last['received_online'])} "
        f"trong {fmt.number(last['received_new'])} hồ sơ {name} tiếp nhận mới được nộp trực tuyến "
        f"({fmt.percent(last.get('online_pct'))}), {fmt.number(last['received_direct'])} nộp "
        f"trực tiếp, {fmt.number(last['received_postal'])} qua bưu chính công ích."
    )
    return _channel_figure("kenh", "Hồ sơ tiếp nhận mới theo kênh nộp", caption, rows, CHANNELS)


def fig_open_age(age: dict, period_text: str) -> Figure | None:
    if not age or not age.get("in_progress"):
        return None
    rows = [{"bucket": label, "dossiers": age[key]} for key, label in OPEN_AGE]
    caption = (
        f"Cuối {period_text} còn {fmt.number(age['in_progress'])} hồ sơ đang giải quyết: "
        f"{fmt.number(age['not_yet_due'])} chưa đến hạn, {fmt.number(age['overdue_over_30'])} "
        f"đã quá hạn hơn 30 ngày. {fmt.number(age['waiting_applicant'])} hồ sơ đang chờ người "
        "nộp bổ sung (đồng hồ tạm dừng) không tính ở đây."
    )
    return Figure(
        id="ho-so-ton",
        kind="bars",
        title="Hồ sơ đang giải quyết theo số ngày quá hạn",
        caption=caption,
        rows=_rows(rows),
        columns=[Col("bucket", "Tình trạng", "text"), Col("dossiers", "Số hồ sơ", "num")],
        x="bucket",
        y="dossiers",
        options={"order": [label for _, label in OPEN_AGE], "y_title": "Hồ sơ"},
    )


def fig_ratings(metrics: dict, period_text: str) -> Figure | None:
    if not metrics or not metrics.get("ratings"):
        return None
    rows = [{"level": label, "ratings": metrics[key]} for key, label in RATING_LEVELS]
    caption = (
        f"{fmt.number(metrics['ratings'])} lượt đánh giá trong {period_text}, "
        f"{fmt.percent(metrics.get('satisfied_pct'))} ở mức hài lòng hoặc rất hài lòng (4–5), "
        f"{fmt.number(metrics.get('ratings_unsatisfied'))} lượt không hài lòng (1–2)."
    )
    return Figure(
        id="hai-long",
        kind="bars",
        title="Đánh giá của người dân, doanh nghiệp theo mức",
        caption=caption,
        rows=_rows(rows),
        columns=[Col("level", "Mức đánh giá", "text"), Col("ratings", "Số lượt", "num")],
        x="level",
        y="ratings",
        options={"order": [label for _, label in RATING_LEVELS], "y_title": "Lượt đánh giá"},
    )


def fig_procedure_months(months: list[dict], name: str) -> Figure | None:
    labels = (("received_online", "Trực tuyến"), ("received_other", "Trực tiếp, bưu chính"))
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
    limit = (
        f"thời hạn theo quy định là {_limit_days(statutory_days)} ngày làm việc"
        if statutory_days is not None
        else "danh mục không ghi thời hạn giải quyết"
    )
    caption = (
        f"{fmt.period_label(last['period']).capitalize()}: một nửa số hồ sơ được giải quyết trong "
        f"{fmt.number(last.get('median_days'), 1)} ngày, 90% trong "
        f"{fmt.number(last.get('p90_days'), 1)} ngày (ngày lịch, trừ thời gian chờ bổ sung); "
        f"{limit}, nên hai con số không so sánh trực tiếp từng ngày được."
    )
    options: dict = {"order": [SERIES_MEDIAN, SERIES_P90], "y_title": "Ngày"}
    if statutory_days is not None:
        options["rule"] = _plain(statutory_days)
        options["rule_label"] = f"Thời hạn: {_limit_days(statutory_days)} ngày làm việc"
    return Figure(
        id="thoi-gian",
        kind="days_vs_limit",
        title="Số ngày giải quyết thực tế so với thời hạn",
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


def render_home(con, w: Writer, site: SiteData) -> None:
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


def render_rankings(con, w: Writer, site: SiteData) -> int:
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
    ordered = site.periods  # newest first
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
        description = f"Xếp hạng Bộ chỉ số 766 của {w.ctx.province_name}, {ptext}: " + (
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
            description=f"Xếp hạng Bộ chỉ số 766 của {w.ctx.province_name}: chưa có số liệu.",
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


def render_units(con, w: Writer, site: SiteData) -> int:
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
            official_tolerance=w.ctx.settings.official_score_tolerance,
        )
    return len(site.units)


# --------------------------------------------------------------------------------------------
# Procedures


def render_procedures(con, w: Writer, site: SiteData) -> int:
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
    for pid in ids:
        info = site.procedures.get(pid) or dict.fromkeys(PROCEDURE_FIELDS)
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
            description += f"; thời hạn {_limit_days(statutory)} ngày làm việc"
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


def render_downloads(con, w: Writer, site: SiteData) -> None:
    from . import downloads

    datasets = list(getattr(w.ctx, "datasets", None) or [])
    out_dir = w.docs / "du-lieu"
    package = []
    if (out_dir / downloads.DATAPACKAGE_NAME).exists() and (out_dir / downloads.ZIP_NAME).exists():
        package = downloads.package_files(out_dir)
    w.page(
        "du-lieu/index.md",
        "du-lieu.md.j2",
        datasets=datasets,
        package={f.format: f for f in package},
        compressed=[d.name for d in datasets if d.file("csv").compression],
        compress_over_mb=downloads.COMPRESS_OVER // 1_000_000,
        site_url=w.ctx.settings.site_url,
        license=downloads.CC_BY_4,
        latest=site.latest,
    )


def render_methodology(w: Writer) -> None:
    s = w.ctx.settings
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


def render_history(con, w: Writer, site: SiteData) -> None:
    counts = query(
        con,
        "select (select count(*) from dim_agencies) as units, "
        "(select count(distinct procedure_id) from procedure_metrics) as procedures, "
        "(select rows_used from input_quality where table_name = 'dossiers') as dossiers",
    )[0]
    w.page(
        "lich-su/index.md",
        "lich-su.md.j2",
        counts=counts,
        datasets=list(getattr(w.ctx, "datasets", None) or []),
        latest=site.latest,
        releases=list(reversed(getattr(w.ctx, "releases", None) or [])),
    )


# --------------------------------------------------------------------------------------------


def splice_figures(site_dir: Path, figures_dir: Path) -> int:
    """Put the figures kept aside by ``render_all(..., figures_dir=...)`` into the built HTML
    (``<page>/index.html``, in place of their ``<!--mb-figure:id-->`` marks) and move the
    charts' files (``<id>.csv``, ``<id>.vl.json``) beside their page. Returns the number of
    figures placed; a mark or a figure left over is a bug (BuildError)."""
    from .errors import BuildError

    site_dir, figures_dir = Path(site_dir), Path(figures_dir)
    placed = 0
    for dirpath, _dirs, names in sorted(os.walk(figures_dir)):
        folder = Path(dirpath)
        rel = folder.relative_to(figures_dir)
        snippets = {n[: -len(".html")] for n in names if n.endswith(".html")}
        if snippets:
            page = site_dir / rel / "index.html"
            if not page.is_file():
                raise BuildError(f"biểu đồ: không có trang {rel}/index.html để đặt biểu đồ vào")
            text = page.read_text(encoding="utf-8")

            def figure(
                m: re.Match, folder: Path = folder, rel: Path = rel, snippets: set = snippets
            ) -> str:
                if m.group(1) not in snippets:
                    raise BuildError(f"biểu đồ: thiếu {m.group(1)} của trang {rel}")
                return (folder / f"{m.group(1)}.html").read_text(encoding="utf-8")

            text, count = FIGURE_MARK_RE.subn(figure, text)
            if count != len(snippets):
                raise BuildError(f"biểu đồ: trang {rel} có {count} chỗ cho {len(snippets)} biểu đồ")
            page.write_text(text, encoding="utf-8")
            placed += count
        # The charts' own files (CSV, Vega-Lite spec) beside their page.
        others = [n for n in names if not n.endswith(".html")]
        if others:
            (site_dir / rel).mkdir(parents=True, exist_ok=True)
            for name in others:
                os.replace(folder / name, site_dir / rel / name)
    return placed


def render_all(
    con: duckdb.DuckDBPyConnection,
    docs: Path,
    ctx: BuildContext,
    progress: Callable[[str], None] | None = None,
    *,
    figures_dir: Path | None = None,
) -> list:
    """Write every page into ``docs`` and draw the charts; returns the navigation
    (:func:`start_all`, then wait for the charts)."""
    nav, wait = start_all(con, docs, ctx, progress, figures_dir=figures_dir)
    wait()
    return nav


def start_all(
    con: duckdb.DuckDBPyConnection,
    docs: Path,
    ctx: BuildContext,
    progress: Callable[[str], None] | None = None,
    *,
    figures_dir: Path | None = None,
    done_with_db: Callable[[], None] | None = None,
) -> tuple[list, Callable[[], None]]:
    """Write every page into ``docs`` while the charts are drawn; returns the navigation and
    the function that waits for the charts (with ``abort=True``, after a failure: that stops
    them at once instead).

    The downloads (``du-lieu/``, ``co-quan/<slug>/<slug>.csv``) are written before by the
    pipeline; ``ctx.datasets`` lists them for ``/du-lieu/``.

    Charts are inline HTML (SVG and a data table). Parsing them is two thirds of MkDocs' time,
    so with ``figures_dir`` (a folder outside ``docs``) each page gets a mark
    ``<!--mb-figure:id-->`` instead and the figure and its files are kept in ``figures_dir``:
    the caller may then build the site with MkDocs while the charts are still being drawn,
    wait, and run :func:`splice_figures` on the built site before publishing it. Without
    ``figures_dir`` the charts are drawn before the pages are written (nothing to wait for).
    ``done_with_db`` is called once every query is done, before the chart workers start (the
    pipeline closes the database there: its memory and the workers' never add up)."""
    started = time.perf_counter()
    docs.mkdir(parents=True, exist_ok=True)
    if ASSETS.exists():
        shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)
    w = Writer(docs, ctx, figures_dir)
    site = load_site_data(con)
    render_home(con, w, site)
    periods = render_rankings(con, w, site)
    units = render_units(con, w, site)
    procedures = render_procedures(con, w, site)
    render_downloads(con, w, site)
    render_methodology(w)
    render_quality(con, w)
    render_history(con, w, site)
    if progress:
        progress(
            f"trang: {units} đơn vị, {procedures} thủ tục, {periods} kỳ xếp hạng "
            f"({time.perf_counter() - started:.1f} s)"
        )
    if done_with_db is not None:
        done_with_db()
    wait_charts = w.start(progress)
    if hasattr(ctx, "timings"):
        ctx.timings["pages.write"] = w.timings["write"]

    def wait(abort: bool = False) -> None:
        timings = wait_charts(abort)
        if hasattr(ctx, "timings") and not abort:
            ctx.timings["pages.charts"] = timings["charts"]

    return [dict(item) for item in NAV], wait
