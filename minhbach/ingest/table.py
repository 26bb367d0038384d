"""One table: its files, in order, into raw_<name>; what was read, into its report.

A CSV or Excel file is loaded into the part table first (``part.py``); the first such table
becomes raw_<name>, later ones are appended to it. Parquet files with the same columns (the
usual monthly files) are read by one statement: when every file of the table is Parquet,
raw_<name> becomes a view over them (checked here by one full read; the SQL reads the files),
else their rows are inserted into raw_<name>.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .. import contract
from ..errors import InputError
from ..sql.quote import ident
from .csv import read_csv
from .header import Mapping, report_columns
from .locate import form, rel
from .parquet import ParquetGroup, check_parquet, parquet_groups, parquet_select, run_parquet
from .part import PART
from .report import Progress, TableReport
from .xlsx import read_xlsx


def read_table(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    table: contract.Table,
    files: list[Path],
    report: TableReport,
    tmp: Path,
    say: Progress,
) -> None:
    """Read a present table's files into raw_<name> (which exists, empty) and fill ``report``."""
    report.present = True
    target = ident("raw_" + table.name)
    rels = _checked_files(data_dir, files)
    report.files = list(rels.values())
    groups = parquet_groups(con, [p for p in files if form(p.name) == ".parquet"], rels)
    # only Parquet files: raw_<name> is a view over them (their rows are not copied)
    as_view = len(groups) == len(files)
    selects: list[str] = []
    filled = False  # raw_<name> has rows (else the first part table replaces it)
    mappings: list[Mapping] = []
    done: set[Path] = set()
    for number, path in enumerate(files, start=1):
        if path in done:
            continue
        if form(path.name) == ".parquet":
            group = groups[path]
            done.update(group.paths)
            say(_reading_parquet(table, files, group, rels))
            mapping, select = parquet_select(table, group, rels)
            if as_view:
                rows = check_parquet(con, table, select, group, rels)
                selects.append(select)
            else:
                rows = run_parquet(con, f"INSERT INTO {target} {select}", group, rels)
            rejects = 0
        else:
            say(_reading(table, files, number, rels[path]))
            mapping, rows, rejects = _read_part(
                con, table, path, rels[path], tmp, say, target, filled
            )
        filled = True
        report.rows_read += rows
        report.rejects += rejects
        mappings.append(mapping)
    if selects:
        con.execute(f"DROP TABLE {target}")
        con.execute(f"CREATE VIEW {target} AS {' UNION ALL '.join(selects)}")
    report_columns(report, table, mappings)
    if table.required and report.rows_read == 0:
        where = report.files[0] if len(report.files) == 1 else table.name + "/"
        raise InputError(where, "bảng bắt buộc không có dòng dữ liệu nào")
    say(
        f"{table.name}: {report.rows_read} dòng"
        + (f", {report.rejects} dòng hỏng" if report.rejects else "")
    )


def _checked_files(data_dir: Path, files: list[Path]) -> dict[Path, str]:
    """Each file -> its path relative to the data folder; a file that cannot be read or is
    empty is an InputError."""
    rels = {path: rel(data_dir, path) for path in files}
    for path, shown in rels.items():
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError(shown, "không đọc được tệp") from None
        if size == 0:
            raise InputError(shown, "tệp rỗng")
    return rels


def _reading(table: contract.Table, files: list[Path], number: int, shown: str) -> str:
    if len(files) > 1:
        return f"đọc {table.name}: {number}/{len(files)} tệp ({shown})"
    return f"đọc {shown}"


def _reading_parquet(
    table: contract.Table, files: list[Path], group: ParquetGroup, rels: dict[Path, str]
) -> str:
    first = rels[group.paths[0]]
    names = first if len(group.paths) == 1 else f"{len(group.paths)} tệp Parquet"
    return f"đọc {table.name}: {names}" if len(files) > 1 else f"đọc {first}"


def _read_part(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    path: Path,
    shown: str,
    tmp: Path,
    say: Progress,
    target: str,
    filled: bool,
) -> tuple[Mapping, int, int]:
    """Read a CSV or Excel file into the part table, then into raw_<name>: appended when
    raw_<name> has rows already, else the part table becomes it."""
    con.execute(f"DROP TABLE IF EXISTS {PART}")
    try:
        if form(path.name) == ".xlsx":
            result = read_xlsx(con, table, path, shown, say)
        else:
            result = read_csv(con, table, path, shown, tmp)
        if filled:
            con.execute(f"INSERT INTO {target} SELECT * FROM {PART}")
        else:
            con.execute(f"DROP TABLE {target}")
            con.execute(f"ALTER TABLE {PART} RENAME TO {target}")
    finally:
        con.execute(f"DROP TABLE IF EXISTS {PART}")
    return result
