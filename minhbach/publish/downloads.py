"""Writing the open-data downloads: the public contract of ``/du-lieu/``.

Every table whose contract (``queries/**/<table>.yml``) has a ``publish`` block is written as
CSV, JSON and Parquet under ``du-lieu/<name>.<ext>``, in the contract's order; then the data
package's descriptor and zip (:mod:`minhbach.publish.datapackage`). The files are a contract
that journalists cite, so:

- Columns: the contract's, in its order (an internal column, without a type, is never
  written); the table must have exactly those (:mod:`minhbach.publish.columns`). A missing table
  or column stops the build (:class:`BuildError`).
- Rows are sorted by the contract's ``order_by`` (the primary key, or every column where there
  is none), and the primary key is checked to be unique and non-empty, so the same input gives
  the same bytes.
- CSV: the rules of :mod:`minhbach.publish.csv` (UTF-8 with a byte-order mark, RFC 4180, CRLF,
  numbers plain, text cells that a spreadsheet would take for a formula neutralised); dates
  ``2026-03-31``, timestamps ``2026-03-31T10:00:00``.
- JSON: one array of objects, keys in column order, NULL as ``null``; not neutralised.
- Parquet: typed columns, zstd.
- Excel (``<name>.xlsx``, :mod:`minhbach.publish.xlsx`): ids and periods as text, written from
  the Parquet copy while DuckDB writes the next table; none for a table longer than a sheet.
- A big table (its CSV over :data:`COMPRESS_OVER`, 50 MB) is published with its CSV and JSON
  gzip-compressed (``<name>.csv.gz``, ``<name>.json.gz``; deterministic gzip, level 6) and its
  Parquet as usual: a site must fit its host (GitHub Pages: 1 GB in all), a 400 MB CSV of two
  million rows cannot be opened in Excel anyway (1,048,576 rows at most), and every tool that
  reads CSV reads it gzipped. The descriptor says so (``compression: "gz"``) and the page too.
- A floating-point value that is not finite (NaN, ±inf) is written as NULL in every format.

All the writing is done by DuckDB's ``COPY ... TO`` (streamed, multi-threaded); the formatting
rules are SQL expressions, so two million rows take seconds, not minutes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..buildinfo import BuildInfo
from ..config import Settings
from ..sql.quote import ident, literal
from . import csv, datapackage
from .columns import Column, check_key, csv_sql, json_sql, order_by, resolve, value_sql
from .datasets import Dataset, published
from .files import ColumnInfo, DatasetInfo, DownloadFile, compressed, file_info
from .xlsx import write_xlsx

__all__ = ["COMPRESS_OVER", "READS", "ColumnInfo", "DatasetInfo", "write_downloads"]

# The tables written (the contracts with a publish block; a test keeps this list true).
READS = (
    "agency_period_metrics",
    "index_766",
    "scores_766",
    "procedure_metrics",
    "dim_agencies",
    "quarantine",
    "portal_units",
    "portal_scores",
    "portal_metrics",
    "portal_provinces",
    "portal_checks",
    "official_vs_recomputed",
)
# A table whose CSV is larger than this is published with its CSV and JSON gzip-compressed
# (see the module's docstring). The benchmark province (5M dossiers): procedure_metrics' CSV is
# 400 MB and its JSON 900 MB, 20 and 25 MB gzipped; the bundled sample's largest CSV is 7 MB.
COMPRESS_OVER = 50_000_000  # bytes (50 MB, as the pages count them)


# --------------------------------------------------------------------------------------------
# Writing a table


@contextmanager
def ordered_writes(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """COPY keeps ORDER BY only while insertion order is preserved (the pipeline turns it off
    to save memory while computing): turn it on for the writes, then restore it."""
    (before,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")


_JSON = "FORMAT json, ARRAY true"
_PQ = "FORMAT parquet, COMPRESSION zstd"


def _csv_select(columns: list[Column], source: str, order: str) -> str:
    """The CSV query; the byte-order mark rides at the start of the first header name, so
    DuckDB writes it as the file's first bytes (no second pass over the file)."""
    parts = []
    for i, col in enumerate(columns):
        alias = (csv.BOM + col.name) if i == 0 else col.name
        parts.append(f"{csv_sql(col, 't.' + ident(col.name))} AS {ident(alias)}")
    return f"SELECT {', '.join(parts)} FROM {source} AS t ORDER BY {order}"


def _select(columns: list[Column], value: Callable[[Column, str], str], source, order) -> str:
    values = ", ".join(f"{value(c, 't.' + ident(c.name))} AS {ident(c.name)}" for c in columns)
    return f"SELECT {values} FROM {source} AS t ORDER BY {order}"


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> int:
    result = con.execute(f"COPY ({query}) TO {literal(str(path))} ({options})").fetchone()
    return int(result[0]) if result else 0


def _info(dataset: Dataset, columns: list[Column], rows: int) -> DatasetInfo:
    """What the page lists for the dataset (its files come once written)."""
    return DatasetInfo(
        name=dataset.name,
        title=dataset.title,
        description=dataset.description,
        row_text=dataset.grain,
        rows=rows,
        columns=tuple(
            ColumnInfo(c.name, c.schema_type, spec.description, c.sql_type)
            for c, spec in zip(columns, dataset.columns, strict=True)
        ),
        files=(),
        primary_key=dataset.key,
    )


def _write_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    out_dir: Path,
    pool: ThreadPoolExecutor,
    compress_over: int,
    build_time,
) -> tuple[DatasetInfo, list[Future[DownloadFile | None]]]:
    """Write the table's files; hashing them (or gzipping the CSV and JSON of a big table) and
    the Excel copy are left to ``pool``, so that they run while DuckDB writes the next table.
    Returns the DatasetInfo without its files, and their futures (the Excel one None when the
    table is too long for a sheet)."""
    columns = resolve(con, dataset)
    if dataset.key:
        check_key(con, dataset.table, dataset.key)
    order = order_by(dataset.order_by or dataset.column_names)
    source = ident(dataset.table)

    def publish(fmt: str, gzip_it: bool = False) -> Future[DownloadFile]:
        path = out_dir / f"{dataset.name}.{fmt}"
        return pool.submit(compressed if gzip_it else file_info, path, fmt)

    csv_path = out_dir / f"{dataset.name}.csv"
    rows = _copy(con, _csv_select(columns, source, order), csv_path, csv.COPY_OPTIONS)
    big = csv_path.stat().st_size > compress_over
    pending = [publish("csv", big)]
    _copy(con, _select(columns, json_sql, source, order), csv_path.with_suffix(".json"), _JSON)
    pending.append(publish("json", big))
    parquet_path = csv_path.with_suffix(".parquet")
    _copy(con, _select(columns, value_sql, source, order), parquet_path, _PQ)
    pending.append(publish("parquet"))
    types = [(c.name, c.schema_type) for c in columns]
    xlsx_path = csv_path.with_suffix(".xlsx")
    pending.append(pool.submit(write_xlsx, parquet_path, xlsx_path, types, build_time))
    return _info(dataset, columns, rows), pending


def write_downloads(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    build: BuildInfo,
    settings: Settings | None = None,
    datasets: tuple[Dataset, ...] | None = None,
    license: datapackage.License = datapackage.CC_BY_4,
    compress_over: int | None = None,
) -> list[DatasetInfo]:
    """Write every download, the data package descriptor and the zip into ``out_dir``
    (the site's ``du-lieu/`` folder). Returns what the /du-lieu/ page lists, in the contracts'
    order. ``datasets``: what to publish (default: every published contract, its descriptions
    filled from ``settings``). A table whose CSV is over ``compress_over`` bytes (default
    :data:`COMPRESS_OVER`) gets its CSV and JSON gzipped."""
    if datasets is None:
        datasets = published(settings or Settings(), con)
    if compress_over is None:
        compress_over = COMPRESS_OVER
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        with ordered_writes(con):
            written = [
                _write_dataset(con, d, out_dir, pool, compress_over, build.build_time)
                for d in datasets
            ]
        infos = [
            dataclasses.replace(
                info, files=tuple(f for f in (p.result() for p in pending) if f is not None)
            )
            for info, pending in written
        ]
    name = datapackage.package_name(con, build.province_name)
    datapackage.write(out_dir, infos, build, name=name, license=license)
    return infos
