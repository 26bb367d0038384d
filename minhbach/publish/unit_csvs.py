"""A unit's own CSV: ``co-quan/<slug>/<slug>.csv`` for every unit of ``dim_agencies``.

Its rows are those of ``page_unit_csv`` (queries/pages/: the unit's agency_period_metrics rows,
one per period, with the period's scores_766 columns beside them), its columns those of the
table's contract, in order, under the CSV rules of the downloads (:mod:`minhbach.publish.csv`).
A unit with no rows gets the header only.

One ordered query formats every line in SQL (thousands of ``COPY`` statements would cost about
0.1 s each); Python only writes the lines out, unit after unit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

import duckdb

from ..errors import InvariantError
from ..sql.quote import ident
from . import csv
from .columns import csv_sql, resolve
from .datasets import UNIT_CSV_TABLE, Dataset, unit_csv

__all__ = ["READS", "write_unit_csvs"]

READS = (UNIT_CSV_TABLE, "dim_agencies")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BATCH = 10_000


def _slugs(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every unit's slug -> agency_id; a slug that is not one, or shared, stops the build (it
    names a folder and a file)."""
    units = con.execute("SELECT agency_id, slug FROM dim_agencies ORDER BY agency_id").fetchall()
    slugs: dict[str, str] = {}
    for agency_id, slug in units:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise InvariantError(f"tải về: đơn vị {agency_id} có slug không hợp lệ: {slug!r}")
        if slug in slugs:
            raise InvariantError(
                f"tải về: hai đơn vị {slugs[slug]} và {agency_id} cùng slug {slug}"
            )
        slugs[slug] = agency_id
    return slugs


def _lines_query(con: duckdb.DuckDBPyConnection, spec: Dataset) -> str:
    """Each row as ``slug, line``: the inner query computes each column's CSV value once, the
    outer one quotes it where needed and joins the fields."""
    columns = resolve(con, spec)
    values = [f"{csv_sql(c, 't.' + ident(c.name))} AS c{i}" for i, c in enumerate(columns)]
    keys = [f"t.{ident(k)} AS k{i}" for i, k in enumerate(spec.key)]
    line = " || ',' || ".join(
        csv.field_sql(f"c{i}", text=c.kind == "text") for i, c in enumerate(columns)
    )
    order = ", ".join(f"k{i} ASC NULLS LAST" for i in range(len(keys)))
    return (
        f"SELECT slug, {line} AS line FROM ("
        f"SELECT t.slug, {', '.join(keys)}, {', '.join(values)} FROM {ident(spec.table)} AS t) "
        f"ORDER BY slug, {order}"
    )


def write_unit_csvs(
    con: duckdb.DuckDBPyConnection, docs_dir: Path, spec: Dataset | None = None
) -> None:
    """Write ``co-quan/<slug>/<slug>.csv`` for every unit of ``dim_agencies``. ``spec``: the
    columns (default: the contract of ``page_unit_csv``)."""
    spec = spec or unit_csv()
    docs_dir = Path(docs_dir)
    slugs = _slugs(con)
    cursor = con.execute(_lines_query(con, spec))
    header = csv.header_line(spec.column_names).encode("utf-8")

    def open_unit(slug: str) -> BinaryIO:
        folder = docs_dir / "co-quan" / slug
        folder.mkdir(parents=True, exist_ok=True)
        f = open(folder / f"{slug}.csv", "wb")  # noqa: SIM115 - closed by the caller
        f.write(header)
        return f

    current: str | None = None
    f = None
    try:
        while batch := cursor.fetchmany(BATCH):
            for slug, text in batch:
                if slug != current:
                    if f:
                        f.close()
                    current, f = slug, open_unit(slug)
                    del slugs[slug]
                f.write(text.encode("utf-8") + csv.LINE_END.encode())
    finally:
        if f:
            f.close()
    for slug in slugs:  # units without rows
        open_unit(slug).close()
