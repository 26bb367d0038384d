"""Running one page table's SQL (queries/pages/<name>.sql) on hand-made tables, with the
macros and the seeds (queries/seeds: the labels): the tests of a pick the page layer makes (an
order, a fallback) without building a whole province."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from conftest import rows

from minhbach.render.context import Common
from minhbach.render.env import environment
from minhbach.sql import runner, seeds

PAGES = Path(__file__).resolve().parents[2] / "queries" / "pages"


def page_rows(
    name: str,
    tables: dict[str, str],
    order_by: str | None = None,
    *,
    pages: tuple[str, ...] = (),
) -> list[dict]:
    """The rows of ``queries/pages/<name>.sql`` on ``tables`` (table name: a SELECT making it,
    e.g. ``select * from (values (1, 'a')) as t(id, name)``), the macros and the seeds; the page
    tables it reads (``pages``, in order) are made first from their own SQL."""
    con = duckdb.connect()
    runner.run_macros(con)
    seeds.load(con)
    for table, select in tables.items():
        con.execute(f'create table "{table}" as {select}')
    for page in pages:
        sql = (PAGES / f"{page}.sql").read_text(encoding="utf-8").strip().rstrip(";")
        con.execute(f'create table "{page}" as {sql}')
    sql = (PAGES / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")
    return rows(con, f"select * from ({sql})" + (f" order by {order_by}" if order_by else ""))


def render(context, as_of: dt.date = dt.date(2026, 10, 10)) -> str:
    """A page context rendered by its template, with the variables every page shares (those of
    a hand-made, non-synthetic build of Tỉnh Thử as of ``as_of``) and no figures."""
    common = Common(
        province_name="Tỉnh Thử", synthetic=False, synthetic_note="", as_of=as_of,
        build_time=dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()),
        rule_set="qd766-v1", max_quarantine_pct=5.0, empty_legend="",
    )  # fmt: skip
    template = environment().get_template(context.TEMPLATE)
    return template.render(**common.values(), **context.values(), figures={})
