"""Read a province's exports into raw DuckDB tables: the first stage of the build.

For every table of the data contract (``contract.TABLES``) the reader finds its input in the
data folder -- ``NAME.csv``, ``NAME.csv.gz``, ``NAME.parquet``, ``NAME.xlsx`` (first sheet) or a
folder ``NAME/`` of such files read as one table -- and loads it into ``raw_<name>``:

* one VARCHAR column per contract column, in contract order, under its canonical name (headers
  are matched with ``contract.alias_map``); a contract column missing from a file is NULL;
* ``_source``: the file, relative to the data folder (``dossiers/2025-03.csv``);
* ``_line``: where a person finds the row -- the CSV record number + 1 (the header is line 1; a
  quoted value spanning several lines is one record, as a spreadsheet shows it), the sheet row of
  an .xlsx, the row index + 2 of a Parquet file.

Values are kept as text, exactly as read; the staging SQL trims and types them. A table whose
files are all Parquet is a view over them (``parquet``), read through once here; its rows are
not copied into DuckDB.

Personal data: every column that is not in the contract (ChuHoSo, SoDienThoai, ...) is left out
while the file is read, so no value of it is stored in DuckDB, logged or put in a message. Only
the names of such columns are kept, for the data-quality report.

Rows that cannot be parsed as records (a CSV line with the wrong number of fields, a stray quote,
a truncated last line) go to ``raw_rejects`` with a short reason, their line number and, when it
can be read safely, their key, never the rest of their content; downstream they count as
quarantined. A record longer than DuckDB's usual limit (2 MB: a huge summary or name) is not
lost: the file is read again with a limit above the longest line allowed (8 MB). Blank lines and
records whose every field is empty are not rows. A problem with a whole file stops the build with
an ``InputError`` that names the file; DuckDB's own error messages are never passed on, since
they can quote a row's content.

Also created: ``input_tables`` (one row per contract table: present, files, rows_read; rows_read
counts rejected lines too) and, for tables that are absent, an empty ``raw_<name>``.

The national portal's published evaluation (``portal.md``), a ``portal/`` folder in the data
folder, is read after the contract tables by :func:`minhbach.portal.read_portal` into the
``raw_portal_*`` tables, and counted in ``input_tables`` as the input ``portal`` (its JSON files,
and as rows the unit entries read, the overviews included). Without the folder those tables are
created empty (so that every SQL file runs on every build) and ``input_tables`` has no row for
it (a build without portal files shows what it showed before).

The modules, in the order a file meets them:

* ``locate``: finding a table's files and their forms;
* ``table``: one table's files, in order, into raw_<name>, and its report;
* ``text``: encoding checks and conversion, line ends and lengths (CSV);
* ``csv``: CSV headers and delimiters, DuckDB's strict reader, record numbers;
* ``rejects``: broken CSV lines into raw_rejects, and their keys;
* ``parquet``, ``xlsx``: the other forms;
* ``header``: header names against the contract (aliases, columns left out, personal ones);
* ``part``: the per-file table every form fills with raw_<name>'s columns;
* ``report``: ``TableReport`` and ``IngestReport``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .. import contract, portal
from ..errors import InputError
from ..sql.quote import ident, literal
from . import rejects
from .locate import FORMS, locate
from .rejects import REJECTS_DDL
from .report import IngestReport, Progress, TableReport
from .table import read_table

__all__ = [
    "FORMS",
    "INPUT_TABLES_DDL",
    "REJECTS_DDL",
    "IngestReport",
    "Progress",
    "TableReport",
    "read_inputs",
]

INPUT_TABLES_DDL = "table_name VARCHAR, present BOOLEAN, files INTEGER, rows_read BIGINT"
PORTAL_FOLDER = "portal"  # the portal's evaluation, inside the data folder (portal.md)


def read_inputs(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    *,
    portal_dir: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read every contract table from ``data_dir`` into ``raw_<name>`` tables, and the portal's
    evaluation from ``portal_dir`` (default: ``<data_dir>/portal``).

    Also creates ``raw_rejects`` and ``input_tables``. Raises ``InputError`` (one line, naming
    the file) when a required table is missing or a file cannot be read as a whole. A data
    folder without any export table but with the portal's files is a build from the portal's
    figures alone: every export table is then absent (empty), none is required.
    """
    data_dir = Path(data_dir)
    portal_dir = data_dir / PORTAL_FOLDER if portal_dir is None else Path(portal_dir)
    say = progress or (lambda _message: None)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "không tìm thấy thư mục dữ liệu")
    try:
        inputs = {
            name: locate(data_dir, table, required=False) for name, table in contract.TABLES.items()
        }
        if any(inputs.values()) or not portal_dir.is_dir():
            inputs = {name: locate(data_dir, table) for name, table in contract.TABLES.items()}
    except OSError:
        raise InputError(str(data_dir), "không đọc được thư mục dữ liệu") from None
    _create_tables(con)
    reports: dict[str, TableReport] = {}
    with _reading(con), tempfile.TemporaryDirectory(prefix="minhbach-ingest-") as tmp:
        for name, table in contract.TABLES.items():
            reports[name] = _read_one(con, data_dir, table, inputs[name], Path(tmp), say)
    found = _read_portal(con, portal_dir, say)
    return IngestReport(data_dir=data_dir, tables=reports, portal=found)


def _read_portal(
    con: duckdb.DuckDBPyConnection, portal_dir: Path, say: Progress
) -> portal.PortalReport | None:
    """The portal's evaluation into raw_portal_* and its row of input_tables; without the
    folder, the tables empty and no row."""
    if not portal_dir.is_dir():
        portal.create_empty(con)
        return None
    report = portal.read_portal(con, portal_dir, progress=say)
    con.execute(
        f"INSERT INTO input_tables VALUES ({literal(PORTAL_FOLDER)}, true, "
        f"{len(report.files)}, {report.rows['raw_portal_units']})"
    )
    return report


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """raw_rejects, input_tables and an empty raw_<name> per contract table (replaced, the views
    of an earlier read too)."""
    con.execute(f"CREATE OR REPLACE TABLE raw_rejects ({REJECTS_DDL})")
    con.execute(f"CREATE OR REPLACE TABLE input_tables ({INPUT_TABLES_DDL})")
    views = {v for (v,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for table in contract.TABLES.values():
        if "raw_" + table.name in views:
            con.execute(f"DROP VIEW {ident('raw_' + table.name)}")
        columns = ", ".join(f"{ident(c)} VARCHAR" for c in table.column_names)
        con.execute(
            f"CREATE OR REPLACE TABLE {ident('raw_' + table.name)} "
            f"({columns}, _source VARCHAR, _line BIGINT)"
        )


@contextmanager
def _reading(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The connection's settings while files are read, put back afterwards.

    Line numbers come from the order rows arrive in: keep it, whatever the caller set; and no
    progress bar of DuckDB's own on the terminal (``progress`` says what is going on). DuckDB's
    reject tables are dropped however reading ends.
    """
    saved = {
        name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0]
        for name in ("preserve_insertion_order", "enable_progress_bar")
    }
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    try:
        yield
    finally:
        for name, value in saved.items():
            con.execute(f"SET {name} = {'true' if value else 'false'}")
        rejects.drop_tables(con)


def _read_one(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    table: contract.Table,
    files: list[Path] | None,
    tmp: Path,
    say: Progress,
) -> TableReport:
    """Read one contract table (``files``: None when it is absent) and record it in
    input_tables."""
    report = TableReport(name=table.name, required=table.required)
    if files is None:  # locate raised already for a required table, unless portal-only
        say(f"{table.name}: không có")
    else:
        read_table(con, data_dir, table, files, report, tmp, say)
    # literals, not parameters: binding parameters makes DuckDB import pandas
    con.execute(
        f"INSERT INTO input_tables VALUES ({literal(table.name)}, {report.present}, "
        f"{report.file_count}, {report.rows_read})"
    )
    return report
