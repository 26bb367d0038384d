"""Writing the site's Markdown pages from the computed tables (Jinja2 templates in
``site_src/templates``). Templates get figures; they compute nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import jinja2

from . import fmt
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


def _md_cell(value) -> str:
    """Escape text for a Markdown table cell (HTML already escaped by autoescape)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


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
    env.filters["cell"] = _md_cell
    return env


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class Writer:
    def __init__(self, docs: Path, ctx: BuildContext):
        self.docs = docs
        self.ctx = ctx
        self.env = environment()
        self.common = {
            "province_name": ctx.province_name,
            "synthetic": ctx.synthetic,
            "synthetic_note": ctx.synthetic_note,
            "as_of": ctx.as_of,
            "build_time": ctx.build_time,
            "rule_set": ctx.settings.rule_set,
            "max_quarantine_pct": ctx.settings.max_quarantine_pct,
        }

    def page(self, path: str, template: str, **context) -> None:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = self.env.get_template(template).render(**self.common, **context)
        target.write_text(text, encoding="utf-8")


def render_home(con, w: Writer) -> None:
    tables = query(con, "select * from input_quality order by table_name")
    w.page(
        "index.md",
        "index.md.j2",
        tables=tables,
        labels=TABLE_LABELS,
        dossiers_used=next((t["rows_used"] for t in tables if t["table_name"] == "dossiers"), 0),
    )


def render_quality(con, w: Writer) -> None:
    tables = query(con, "select * from input_quality order by table_name")
    reasons = query(
        con,
        'select "table", reason, count(*) as rows from quarantine '
        'group by all order by "table", rows desc, reason',
    )
    as_of = query(con, "select * from as_of_date")[0]
    checks = sorted(p.stem for p in (ROOT / "queries" / "checks").glob("*.sql"))
    w.page(
        "chat-luong-du-lieu/index.md",
        "chat-luong-du-lieu.md.j2",
        tables=tables,
        reasons=reasons,
        labels=TABLE_LABELS,
        as_of_info=as_of,
        checks=checks,
    )


def render_all(
    con: duckdb.DuckDBPyConnection,
    docs: Path,
    ctx: BuildContext,
    progress: Callable[[str], None] | None = None,
) -> list:
    """Write every page into ``docs``; returns the navigation."""
    docs.mkdir(parents=True, exist_ok=True)
    if ASSETS.exists():
        shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)
    w = Writer(docs, ctx)
    render_home(con, w)
    render_quality(con, w)
    nav = [
        {"Trang chủ": "index.md"},
        {"Chất lượng dữ liệu": "chat-luong-du-lieu/index.md"},
    ]
    return nav
