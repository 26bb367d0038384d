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
rules are SQL expressions, so two million rows take seconds, not minutes. The rows are sorted
once, for the Parquet copy; the CSV and JSON are read from it (in its order: DuckDB's batch
COPY keeps it, and a plan that would not is written from the sorted table instead), each by a
cursor of its own, into a pipe that a thread hashes and, for a big table, gzips as it comes:
the plain text of two million rows never touches the disk.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from ..buildinfo import BuildInfo
from ..config import Settings
from ..sql.quote import ident, literal
from . import csv, datapackage
from .columns import Column, check_key, csv_sql, json_sql, order_by, resolve, value_sql
from .datasets import Dataset, published
from .files import ColumnInfo, DatasetInfo, DownloadFile, GzipChoice, file_info, receive
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


def _csv_select(columns: list[Column], source: str, order: str | None) -> str:
    """The CSV query; the byte-order mark rides at the start of the first header name, so
    DuckDB writes it as the file's first bytes (no second pass over the file)."""
    parts = []
    for i, col in enumerate(columns):
        alias = (csv.BOM + col.name) if i == 0 else col.name
        parts.append(f"{csv_sql(col, 't.' + ident(col.name))} AS {ident(alias)}")
    return f"SELECT {', '.join(parts)} FROM {source} AS t" + (f" ORDER BY {order}" if order else "")


def _select(
    columns: list[Column], value: Callable[[Column, str], str], source: str, order: str | None
) -> str:
    values = ", ".join(f"{value(c, 't.' + ident(c.name))} AS {ident(c.name)}" for c in columns)
    return f"SELECT {values} FROM {source} AS t" + (f" ORDER BY {order}" if order else "")


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> int:
    result = con.execute(f"COPY ({query}) TO {literal(str(path))} ({options})").fetchone()
    return int(result[0]) if result else 0


def _stream(
    con: duckdb.DuckDBPyConnection,
    query: str,
    options: str,
    path: Path,
    fmt: str,
    gzip: GzipChoice,
) -> DownloadFile:
    """COPY ``query`` into a pipe read by a thread that writes ``path`` (or ``path.gz``) and
    hashes it as it comes (:func:`receive`): the plain text of a big table never touches the
    disk, and its gzip is made while DuckDB writes. ``con`` is a cursor of its own (closed
    here), so that two tables' files are written at once. Without named pipes (Windows), the
    text goes through a temporary file."""
    staged = path.with_name(f".{path.name}.pipe")
    staged.unlink(missing_ok=True)
    try:
        if not hasattr(os, "mkfifo"):
            _copy(con, query, staged, options)
            return receive(staged, path, fmt, gzip)
        os.mkfifo(staged)
        with ThreadPoolExecutor(max_workers=1) as reader:
            got = reader.submit(receive, staged, path, fmt, gzip)
            try:
                _copy(con, query, staged, options)
            finally:
                _release_reader(staged, got)
            return got.result()
    finally:
        gzip.decided.set()
        staged.unlink(missing_ok=True)
        con.close()


def _release_reader(pipe: Path, got: Future) -> None:
    """Let the reader of ``pipe`` end: once DuckDB closed the pipe it reads to its end; when
    DuckDB never opened it (a failed COPY), a writer opened and closed here ends its wait."""
    while not got.done():
        with suppress(OSError):  # no reader yet (ENXIO): it is about to open the pipe
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        with suppress(TimeoutError):
            got.exception(timeout=0.05)


def _sorted_source(
    con: duckdb.DuckDBPyConnection, parquet_path: Path, columns: list[Column]
) -> str | None:
    """The Parquet copy just written (its rows in the published order) as the source of the
    CSV and JSON, so that the table is sorted once; None when a column does not read back
    with its own type (the files are then written from the table)."""
    source = f"read_parquet({literal(str(parquet_path))})"
    read_back = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    if [(r[0], r[1]) for r in read_back] != [(c.name, c.sql_type) for c in columns]:
        return None
    return source


def _keeps_order(con: duckdb.DuckDBPyConnection, query: str, options: str) -> bool:
    """Whether DuckDB writes the rows of ``query`` (no ORDER BY) in the order it reads them:
    only its batch COPY does; some plans (a join, say) lose the order."""
    plan = con.execute(f"EXPLAIN COPY ({query}) TO 'x' ({options})").fetchall()
    return "Batch Copy To File" in "".join(str(row[-1]) for row in plan)


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The table's rows; 0 when it is missing (resolve() then stops the build, in order)."""
    try:
        [(rows,)] = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchall()
    except duckdb.Error:
        return 0
    return int(rows)


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
    pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
    compress_over: int,
    build_time,
) -> tuple[DatasetInfo, list[Future[DownloadFile | None]]]:
    """Write the table's files. The Parquet copy first (the one sort of the rows), then the
    CSV and the JSON read from it, each by a cursor of its own on ``pools[0]`` (the JSON
    starts once the CSV's size says whether both are gzipped), and the Excel copy on
    ``pools[1]``, while the next table is written. Returns the DatasetInfo without its files,
    and their futures (the Excel one None when the table is too long for a sheet)."""
    copies, others = pools
    columns = resolve(con, dataset)
    # The primary key is checked meanwhile (its error, if any, stops the build once raised).
    key_checked = others.submit(_check_key, con.cursor(), dataset.table, dataset.key)
    order = order_by(dataset.order_by or dataset.column_names)
    table = ident(dataset.table)
    parquet_path = out_dir / f"{dataset.name}.parquet"
    rows = _copy(con, _select(columns, value_sql, table, order), parquet_path, _PQ)
    source = _sorted_source(con, parquet_path, columns)
    if source is None:
        source, rows_order = table, order
    else:
        rows_order = None
    csv_query = _csv_select(columns, source, rows_order)
    json_query = _select(columns, json_sql, source, rows_order)
    if rows_order is None and not (
        _keeps_order(con, csv_query, csv.COPY_OPTIONS) and _keeps_order(con, json_query, _JSON)
    ):
        csv_query = _csv_select(columns, table, order)
        json_query = _select(columns, json_sql, table, order)
    csv_path = parquet_path.with_suffix(".csv")
    csv_gzip = GzipChoice(over=compress_over)
    pending = [
        copies.submit(_stream, con.cursor(), csv_query, csv.COPY_OPTIONS, csv_path, "csv", csv_gzip)
    ]
    csv_gzip.decided.wait()
    if pending[0].done() and pending[0].exception() is not None:
        pending[0].result()  # the CSV failed: raise its error now
    json_gzip = GzipChoice(always=csv_gzip.chosen)
    json_path = csv_path.with_suffix(".json")
    pending.append(
        copies.submit(_stream, con.cursor(), json_query, _JSON, json_path, "json", json_gzip)
    )
    pending.append(others.submit(file_info, parquet_path, "parquet"))
    types = [(c.name, c.schema_type) for c in columns]
    xlsx_path = csv_path.with_suffix(".xlsx")
    pending.append(others.submit(write_xlsx, parquet_path, xlsx_path, types, build_time))
    pending.append(key_checked)  # None: no file
    return _info(dataset, columns, rows), pending


def _check_key(cursor: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> None:
    try:
        if key:
            check_key(cursor, table, key)
    finally:
        cursor.close()


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
    # The longest tables first: their files take longest to write (and gzip), the others' are
    # written meanwhile; the page and the data package keep the contracts' order.
    longest_first = sorted(datasets, key=lambda d: -_rows(con, d.table))
    with ThreadPoolExecutor(max_workers=3) as copies, ThreadPoolExecutor(max_workers=2) as others:
        with ordered_writes(con):
            done = {
                d.name: _write_dataset(
                    con, d, out_dir, (copies, others), compress_over, build.build_time
                )
                for d in longest_first
            }
            written = [done[d.name] for d in datasets]
            for _, pending in written:  # the writes end before insertion order is restored
                for p in pending:
                    p.exception()
        infos = [
            dataclasses.replace(
                info, files=tuple(f for f in (p.result() for p in pending) if f is not None)
            )
            for info, pending in written
        ]
    name = datapackage.package_name(con, build.province_name)
    datapackage.write(out_dir, infos, build, name=name, license=license)
    return infos
