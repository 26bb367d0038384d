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

Values are kept as text, exactly as read; the staging SQL trims and types them.

Personal data: every column that is not in the contract (ChuHoSo, SoDienThoai, ...) is left out
while the file is read, so no value of it is stored in DuckDB, logged or put in a message. Only
the names of such columns are kept, for the data-quality report.

Rows that cannot be parsed as records (a CSV line with the wrong number of fields, a stray quote,
a truncated last line) go to ``raw_rejects`` with a short reason, their line number and, when it
can be read safely, their key (the row's id: see ``_reject_key``), never the rest of their
content; downstream they count as quarantined. (DuckDB collects them in a temporary table that
holds the rejected line's text; it is read only in SQL, for line numbers, error kinds and that
key, and dropped at once.) A record longer than DuckDB's usual limit (2 MB: a huge summary or
name) is not lost: the file is read again with a limit above the longest line allowed (8 MB).
Blank lines and records whose every field is empty are not rows. A problem with a whole file
stops the build with an ``InputError`` that names the file; DuckDB's own error messages are
never passed on, since they can quote a row's content.

Also created: ``input_tables`` (one row per contract table: present, files, rows_read; rows_read
counts rejected lines too) and, for tables that are absent, an empty ``raw_<name>``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import itertools
import math
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from . import contract
from .errors import InputError

Progress = Callable[[str], None]

# Recognised forms of a table, in the order they are listed in messages.
FORMS = (".csv", ".csv.gz", ".parquet", ".xlsx")

REJECTS_DDL = "table_name VARCHAR, _source VARCHAR, _line BIGINT, reason VARCHAR, key VARCHAR"
INPUT_TABLES_DDL = "table_name VARCHAR, present BOOLEAN, files INTEGER, rows_read BIGINT"

_CHUNK = 8 << 20  # bytes read at a time when checking a text file
_MAX_PHYSICAL_LINE = 8 << 20  # longer lines stop the build (DuckDB cannot reject them reliably)
# A record (lines joined by quoted line breaks) up to this long is read when a file has one over
# DuckDB's default limit (2 MB); longer ones are rejected.
_MAX_RECORD = 2 * _MAX_PHYSICAL_LINE
_MAX_REJECTS = 500_000  # per file; more means the file is not what it claims to be
_REJECTS_TABLE = "_minhbach_reject_errors"
_REJECTS_SCAN = "_minhbach_reject_scans"
_PART = "_minhbach_part"  # the file being read, before it joins raw_<name>
# how read_csv wants a tab and line ends spelled
_ESCAPES = {"\t": "\\t"}
_LF, _CRLF = "\\n", "\\r\\n"
_XLSX_BATCH = 100_000  # sheet rows held in memory at a time
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31; larger numbers in a date column are not serials
_VN_UTC_OFFSET_US = 7 * 3600 * 1_000_000  # Asia/Ho_Chi_Minh has been UTC+7 without DST since 1975

_CSV_REASONS = {
    "MISSING COLUMNS": "dòng CSV hỏng (số cột không khớp tiêu đề)",
    "TOO MANY COLUMNS": "dòng CSV hỏng (số cột không khớp tiêu đề)",
    "UNQUOTED VALUE": "dòng CSV hỏng (dấu ngoặc kép không đúng chỗ)",
    "LINE SIZE OVER MAXIMUM": f"dòng CSV quá dài (hơn {_MAX_RECORD >> 20} MB)",
    "INVALID ENCODING": "dòng CSV có byte không phải UTF-8",
}
_CSV_REASON_OTHER = "dòng CSV hỏng"

# The column that names a broken CSV line in the quarantine, as quarantine.sql names the table's
# other rows: the first of these that the file has. Tables not listed get the line number.
_REJECT_KEYS = {
    "agencies": ("agency_id",),
    "procedures": ("procedure_id",),
    "dossiers": ("dossier_id",),
    "supplements": ("dossier_id",),
    "ratings": ("rating_id", "dossier_id"),
    "feedback": ("feedback_id",),
}
_KEY_SAMPLE = 10_000  # keys of well-read rows whose shapes a broken line's key must match

_NOT_TEXT = (
    "không phải UTF-8 hoặc UTF-16{where} — có thể là Windows-1258 hoặc TCVN3; "
    "hãy lưu lại dưới dạng CSV UTF-8"
)


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class TableReport:
    """What was read for one contract table."""

    name: str
    required: bool
    present: bool = False
    files: list[str] = field(default_factory=list)  # paths relative to the data folder
    rows_read: int = 0  # records read, rejected ones included (blank lines excluded)
    rejects: int = 0  # records that could not be parsed (in raw_rejects)
    dropped_columns: list[str] = field(default_factory=list)  # header names not in the contract
    personal_columns: list[str] = field(default_factory=list)  # the known-personal among them
    duplicate_columns: list[str] = field(default_factory=list)  # second spellings, ignored
    missing_columns: list[str] = field(default_factory=list)  # optional columns in no file

    @property
    def file_count(self) -> int:
        return len(self.files)


@dataclass
class IngestReport:
    """What ``read_inputs`` read, table by table (contract order)."""

    data_dir: Path
    tables: dict[str, TableReport]

    def __getitem__(self, name: str) -> TableReport:
        return self.tables[name]

    @property
    def present(self) -> list[str]:
        return [t.name for t in self.tables.values() if t.present]

    @property
    def absent(self) -> list[str]:
        return [t.name for t in self.tables.values() if not t.present]

    @property
    def rejects(self) -> int:
        return sum(t.rejects for t in self.tables.values())

    @property
    def dropped_columns(self) -> dict[str, list[str]]:
        return {t.name: t.dropped_columns for t in self.tables.values() if t.dropped_columns}


# --------------------------------------------------------------------------------------------
# Entry point


def read_inputs(
    con: duckdb.DuckDBPyConnection, data_dir: Path, *, progress: Progress | None = None
) -> IngestReport:
    """Read every contract table from ``data_dir`` into ``raw_<name>`` tables.

    Also creates ``raw_rejects`` and ``input_tables``. Raises ``InputError`` (one line, naming
    the file) when a required table is missing or a file cannot be read as a whole.
    """
    data_dir = Path(data_dir)
    say = progress or (lambda _message: None)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "không tìm thấy thư mục dữ liệu")

    try:
        inputs = {name: _locate(data_dir, table) for name, table in contract.TABLES.items()}
    except OSError:
        raise InputError(str(data_dir), "không đọc được thư mục dữ liệu") from None

    con.execute(f"CREATE OR REPLACE TABLE raw_rejects ({REJECTS_DDL})")
    con.execute(f"CREATE OR REPLACE TABLE input_tables ({INPUT_TABLES_DDL})")
    for table in contract.TABLES.values():
        columns = ", ".join(f"{_ident(c)} VARCHAR" for c in table.column_names)
        con.execute(
            f"CREATE OR REPLACE TABLE {_ident('raw_' + table.name)} "
            f"({columns}, _source VARCHAR, _line BIGINT)"
        )

    # Line numbers come from the order rows arrive in: keep it, whatever the caller set; and
    # no progress bar of DuckDB's own on the terminal (``progress`` says what is going on).
    saved = {
        name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0]
        for name in ("preserve_insertion_order", "enable_progress_bar")
    }
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    reports: dict[str, TableReport] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="minhbach-ingest-") as tmp:
            for name, table in contract.TABLES.items():
                report = TableReport(name=name, required=table.required)
                reports[name] = report
                files = inputs[name]
                if files is None:
                    if table.required:  # _locate raised already; kept for clarity
                        raise InputError(name, "thiếu bảng bắt buộc")
                    say(f"{name}: không có (bảng tuỳ chọn)")
                else:
                    _read_table(con, data_dir, table, files, report, Path(tmp), say)
                # literals, not parameters: binding parameters makes DuckDB import pandas
                con.execute(
                    f"INSERT INTO input_tables VALUES ({_literal(name)}, {report.present}, "
                    f"{report.file_count}, {report.rows_read})"
                )
    finally:
        for name, value in saved.items():
            con.execute(f"SET {name} = {'true' if value else 'false'}")
        _drop_reject_tables(con)
    return IngestReport(data_dir=data_dir, tables=reports)


# --------------------------------------------------------------------------------------------
# Finding the files


def _is_hidden(name: str) -> bool:
    # dot-files, and the lock files Excel leaves beside an open workbook (~$name.xlsx)
    return name.startswith((".", "~$"))


def _form(name: str) -> str | None:
    lower = name.lower()
    for suffix in (".csv.gz", ".csv", ".parquet", ".xlsx"):
        if lower.endswith(suffix):
            return suffix
    return None


def _locate(data_dir: Path, table: contract.Table) -> list[Path] | None:
    """The files of one table, in reading order; None when the table is absent.

    Names are matched case-insensitively (exports made on Windows often say DOSSIERS.CSV).
    """
    name = table.name
    wanted = {name + suffix for suffix in FORMS}
    found: list[Path] = []
    other_forms: list[str] = []
    for entry in sorted(data_dir.iterdir()):
        if _is_hidden(entry.name):
            continue
        lower = entry.name.lower()
        if entry.is_dir():
            if lower == name:
                found.append(entry)
            elif lower in wanted:  # a folder named like a file (dossiers.csv/)
                raise InputError(
                    entry.name + "/",
                    f"là thư mục, không phải tệp dữ liệu: {name} phải là một tệp "
                    f"hoặc thư mục {name}/",
                )
        elif lower in wanted:
            found.append(entry)
        elif lower.split(".", 1)[0] == name and "." in lower:
            other_forms.append(entry.name)
    if len(found) > 1:
        shown = ", ".join(p.name + ("/" if p.is_dir() else "") for p in found)
        raise InputError(name, f"bảng có nhiều dạng cùng lúc ({shown}): hãy chỉ giữ một")
    if not found:
        if table.required:
            hint = ""
            if other_forms:
                hint = (
                    f"; có {', '.join(other_forms)} nhưng định dạng này không được đọc "
                    "(hãy lưu thành .csv hoặc .xlsx)"
                )
            raise InputError(
                name,
                f"thiếu bảng bắt buộc: cần {name}.csv, {name}.csv.gz, {name}.parquet, "
                f"{name}.xlsx hoặc thư mục {name}/{hint}",
            )
        return None
    path = found[0]
    if not path.is_dir():
        return [path]
    files: list[Path] = []
    for entry in sorted(path.iterdir(), key=lambda p: p.name):
        if _is_hidden(entry.name):
            continue
        rel = _rel(data_dir, entry)
        if entry.is_dir():
            raise InputError(
                rel + "/",
                f"thư mục con không được đọc: hãy để mọi tệp của {name} ngay trong {name}/",
            )
        if _form(entry.name) is not None:
            files.append(entry)
        elif entry.name.lower().startswith("readme") or entry.name.lower().endswith(".md"):
            continue  # notes beside the data
        else:
            raise InputError(rel, "định dạng không được đọc (chỉ .csv, .csv.gz, .parquet, .xlsx)")
    if not files:
        raise InputError(name + "/", "thư mục không có tệp dữ liệu nào")
    return files


def _rel(data_dir: Path, path: Path) -> str:
    return path.relative_to(data_dir).as_posix()


# --------------------------------------------------------------------------------------------
# One table
#
# A CSV or Excel file is loaded into a table of its own first (CSV: CREATE TABLE AS, whose row
# ids follow the file and give each row its line); the first such table becomes raw_<name>,
# later ones are appended to it. Parquet files with the same columns (the usual monthly files)
# are read by one statement straight into raw_<name>.


def _read_table(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    table: contract.Table,
    files: list[Path],
    report: TableReport,
    tmp: Path,
    say: Progress,
) -> None:
    report.present = True
    target = _ident("raw_" + table.name)
    rels = {path: _rel(data_dir, path) for path in files}
    report.files = list(rels.values())
    for path, rel in rels.items():
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError(rel, "không đọc được tệp") from None
        if size == 0:
            raise InputError(rel, "tệp rỗng")
    parquet_groups = _parquet_groups(con, [p for p in files if _form(p.name) == ".parquet"], rels)
    filled = False  # raw_<name> has rows (else the first part table replaces it)
    mappings: list[_Mapping] = []
    done: set[Path] = set()
    for number, path in enumerate(files, start=1):
        if path in done:
            continue
        rel = rels[path]
        form = _form(path.name)
        if form == ".parquet":
            group = parquet_groups[path]
            done.update(group.paths)
            names = rel if len(group.paths) == 1 else f"{len(group.paths)} tệp Parquet"
            say(f"đọc {table.name}: {names}" if len(files) > 1 else f"đọc {rel}")
            mapping, rows = _read_parquet(con, table, target, group, rels)
            rejects = 0
            filled = True
        else:
            say(
                f"đọc {table.name}: {number}/{len(files)} tệp ({rel})"
                if len(files) > 1
                else f"đọc {rel}"
            )
            con.execute(f"DROP TABLE IF EXISTS {_PART}")
            try:
                if form == ".xlsx":
                    mapping, rows, rejects = _read_xlsx(con, table, path, rel, say)
                else:
                    mapping, rows, rejects = _read_csv(con, table, path, rel, tmp)
                if filled:
                    con.execute(f"INSERT INTO {target} SELECT * FROM {_PART}")
                else:
                    con.execute(f"DROP TABLE {target}")
                    con.execute(f"ALTER TABLE {_PART} RENAME TO {target}")
                    filled = True
            finally:
                con.execute(f"DROP TABLE IF EXISTS {_PART}")
        report.rows_read += rows
        report.rejects += rejects
        mappings.append(mapping)
    for mapping in mappings:
        for column in mapping.dropped:
            if column not in report.dropped_columns:
                report.dropped_columns.append(column)
        for column in mapping.duplicates:
            if column not in report.duplicate_columns:
                report.duplicate_columns.append(column)
    personal = {contract.normalise_header(c) for c in contract.PERSONAL_COLUMNS}
    report.personal_columns = [
        c for c in report.dropped_columns if contract.normalise_header(c) in personal
    ]
    seen = {c for mapping in mappings for c in mapping.positions}
    report.missing_columns = [c for c in table.column_names if c not in seen]
    if table.required and report.rows_read == 0:
        where = report.files[0] if len(report.files) == 1 else table.name + "/"
        raise InputError(where, "bảng bắt buộc không có dòng dữ liệu nào")
    say(
        f"{table.name}: {report.rows_read} dòng"
        + (f", {report.rejects} dòng hỏng" if report.rejects else "")
    )


def _create_part(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    values: dict[str, str],
    rel: str,
    line: str | None,
    from_sql: str,
    extra: str = "",
) -> int:
    """CREATE the per-file table with raw_<name>'s columns; returns its row count.

    ``values`` maps canonical columns to SQL over ``from_sql``; the others are NULL. ``line`` is
    the SQL of _line (None: the caller adds it); ``extra`` more select items for the caller.
    """
    select = _part_select(table, values, _literal(rel), line)
    if extra:
        select += ", " + extra
    (rows,) = con.execute(f"CREATE TABLE {_PART} AS SELECT {select} FROM {from_sql}").fetchone()
    return rows


def _part_select(
    table: contract.Table, values: dict[str, str], source: str, line: str | None
) -> str:
    """The select list of raw_<name>'s columns: ``values`` (SQL per canonical column, NULL for
    the others), ``source`` (SQL of _source) and ``line`` (SQL of _line; None: left out)."""
    select = [
        f"CAST({values[c]} AS VARCHAR) AS {_ident(c)}"
        if c in values
        else f"CAST(NULL AS VARCHAR) AS {_ident(c)}"
        for c in table.column_names
    ]
    select.append(f"CAST({source} AS VARCHAR) AS _source")
    if line is not None:
        select.append(f"CAST({line} AS BIGINT) AS _line")
    return ", ".join(select)


# --------------------------------------------------------------------------------------------
# Header matching


@dataclass
class _Mapping:
    positions: dict[str, int]  # canonical column -> position in the file's header
    dropped: list[str]  # header names outside the contract
    duplicates: list[str]  # header names of contract columns already supplied by another


def _map_header(table: contract.Table, names: list[str], rel: str) -> _Mapping:
    """Match a file's header to the contract.

    When several headers name the same contract column (real DVCQG exports carry both MaDonVi
    and MaDonViXuLy, or a canonical name beside its alias), the one earliest in the contract's
    list wins -- canonical name first, then the aliases in the order the contract gives them --
    whatever the order of the file's columns; the others are ignored (and named in the report).
    Exact repeats of a header keep the leftmost. Empty header cells are ignored.
    """
    aliases = contract.alias_map(table)
    rank: dict[str, int] = {}
    for col in table.columns:
        for i, alias in enumerate((col.name, *col.aliases)):
            rank[contract.normalise_header(alias)] = i
    best: dict[str, tuple[int, int]] = {}  # canonical -> (rank, position)
    dropped: list[str] = []
    candidates: list[tuple[str, int, str]] = []
    for pos, raw in enumerate(names):
        key = contract.normalise_header(raw)
        if not key:
            continue
        canonical = aliases.get(key)
        if canonical is None:
            label = _label(raw)
            if label not in dropped:
                dropped.append(label)
            continue
        candidates.append((canonical, pos, raw))
        choice = (rank[key], pos)
        if canonical not in best or choice < best[canonical]:
            best[canonical] = choice
    positions = {canonical: pos for canonical, (_, pos) in best.items()}
    duplicates = [_label(raw) for canonical, pos, raw in candidates if positions[canonical] != pos]
    missing = [c for c in table.columns if c.required and c.name not in positions]
    if missing:
        shown = ", ".join(f"{c.name} ({c.aliases[0]})" if c.aliases else c.name for c in missing)
        problem = f"thiếu cột bắt buộc {shown}"
        if len([n for n in names if n.strip()]) <= 1:
            problem += " (chỉ thấy một cột: dấu phân cách phải là dấu phẩy, chấm phẩy hoặc tab)"
        raise InputError(rel, problem)
    return _Mapping(positions, dropped, duplicates)


def _label(name: str) -> str:
    """A header name as the report shows it: trimmed, at most 64 characters."""
    text = name.replace("\ufeff", "").replace("\u200b", "").strip()
    return text if len(text) <= 64 else text[:63] + "…"


# --------------------------------------------------------------------------------------------
# CSV


@dataclass
class _TextFile:
    path: Path  # UTF-8 text: the original file, or a transcoded/decompressed/normalised copy
    crlf: bool  # every line ends with CR LF (else every line ends with LF)
    lines: int  # physical lines


def _read_csv(
    con: duckdb.DuckDBPyConnection, table: contract.Table, path: Path, rel: str, tmp: Path
) -> tuple[_Mapping, int, int]:
    text = _as_utf8(path, rel, tmp)
    try:
        return _load_csv(con, table, text, rel)
    finally:
        if text.path != path:
            text.path.unlink(missing_ok=True)


def _load_csv(
    con: duckdb.DuckDBPyConnection, table: contract.Table, text: _TextFile, rel: str
) -> tuple[_Mapping, int, int]:
    delimiter, names = _read_header(text, rel)
    mapping = _map_header(table, names, rel)
    ncols = len(names)
    every = ", ".join(f"c{i}" for i in range(ncols))
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"

    def reader(max_line: int | None) -> str:
        return (
            f"read_csv({_literal(str(text.path))}, columns = {columns}, header = true, "
            f"delim = {_literal(_ESCAPES.get(delimiter, delimiter))}, quote = '\"', escape = '\"', "
            f"new_line = {_literal(_CRLF if text.crlf else _LF)}, "
            "auto_detect = false, "
            "compression = 'none', encoding = 'utf-8', nullstr = '', store_rejects = true, "
            f"rejects_table = '{_REJECTS_TABLE}', rejects_scan = '{_REJECTS_SCAN}', "
            f"rejects_limit = {_MAX_REJECTS}"
            + (f", max_line_size = {max_line}" if max_line else "")
            + ")"
        )

    # A record whose every field is empty (the ",,,,," rows Excel leaves) is not a row: it is
    # flagged here and deleted once rows are numbered. The flag reads every field, which also
    # makes DuckDB check that every field is valid UTF-8; nothing else of the fields outside
    # the contract is kept.
    keep = f"coalesce({every}, NULL) IS NOT NULL AS _keep"
    values = {col: f"c{pos}" for col, pos in mapping.positions.items()}
    problem = None
    try:
        # DuckDB's default limit first (larger ones cost memory on every file); a record over it
        # is a reason to read the file again, with the larger limit, rather than to lose the row.
        for max_line in (None, _MAX_RECORD):
            _drop_reject_tables(con)
            con.execute(f"DROP TABLE IF EXISTS {_PART}")
            try:
                parsed = _create_part(con, table, values, rel, None, reader(max_line), extra=keep)
            except duckdb.Error as exc:
                problem = _duckdb_problem(exc, "không đọc được tệp CSV")
            if problem:
                raise InputError(rel, problem)
            (long_records,) = con.execute(
                f"SELECT count(*) FROM temp.{_REJECTS_TABLE} "
                "WHERE error_type = 'LINE SIZE OVER MAXIMUM'"
            ).fetchone()
            if not long_records:
                break
        rejects = _collect_csv_rejects(con, table.name, rel, _reject_key(table, mapping, delimiter))
    finally:
        _drop_reject_tables(con)

    # Rows are numbered by position: with preserve_insertion_order (set by read_inputs) the
    # table's rowid follows the file. A window function would do the same at twice the cost.
    con.execute(f"ALTER TABLE {_PART} ADD COLUMN _line BIGINT")
    con.execute(f"UPDATE {_PART} SET _line = rowid + 2")
    skipped = set(rejects)
    if text.lines != 1 + parsed + len(rejects) and _has_blank_inside(text):
        # Physical lines and records disagree (values spanning lines, blank lines): only
        # blank lines shift the numbers, and only those before the last record.
        skipped.update(_blank_records(text, delimiter))
    if skipped:
        _renumber(con, sorted(skipped))
    (empty,) = con.execute(f"DELETE FROM {_PART} WHERE NOT _keep").fetchone()
    con.execute(f"ALTER TABLE {_PART} DROP COLUMN _keep")
    rows = parsed - empty
    return mapping, rows + len(rejects), len(rejects)


def _collect_csv_rejects(
    con: duckdb.DuckDBPyConnection, table: str, rel: str, key: str | None
) -> list[int]:
    """Move DuckDB's rejects of one file into raw_rejects: line, reason and the key that ``key``
    (SQL over the rejected line, ``csv_line``: see ``_reject_key``) reads; never the content.

    Raises when they show the file as a whole is broken.
    """
    rejects = f"temp.{_REJECTS_TABLE}"
    (bad_byte,) = con.execute(
        f"SELECT min(line) FROM {rejects} WHERE error_type = 'INVALID ENCODING'"
    ).fetchone()
    if bad_byte is not None:
        raise InputError(rel, _NOT_TEXT.format(where=f": byte lạ ở dòng {bad_byte}"))
    (entries,) = con.execute(f"SELECT count(*) FROM {rejects}").fetchone()
    if entries >= _MAX_REJECTS:
        raise InputError(
            rel,
            f"hơn {_MAX_REJECTS} dòng CSV hỏng: tệp không đúng dạng CSV "
            "(kiểm tra dấu phân cách và dấu ngoặc kép)",
        )
    # The line breaks inside a rejected record are counted in SQL: its text never reaches
    # Python. A rejected record spanning several lines means a quote opened or closed in the
    # wrong place: how many records it swallowed is unknown, so no count downstream could be
    # trusted. Better to stop and say where.
    (spanning,) = con.execute(
        f"""
        SELECT min(line) FROM {rejects}
        WHERE position(chr(10) IN trim(csv_line, chr(13) || chr(10))) > 0
           OR position(chr(13) IN trim(csv_line, chr(13) || chr(10))) > 0
        """
    ).fetchone()
    if spanning is not None:
        raise InputError(
            rel,
            f"dòng {spanning}: dấu ngoặc kép không khớp làm hỏng nhiều dòng liền nhau "
            '(thường là một ô có dấu " lẻ hoặc tệp bị cắt ngắn)',
        )
    lines = [
        r[0] for r in con.execute(f"SELECT DISTINCT line FROM {rejects} ORDER BY 1").fetchall()
    ]
    if not lines:
        return []
    reasons = " ".join(
        f"WHEN {_literal(kind)} THEN {_literal(reason)}" for kind, reason in _CSV_REASONS.items()
    )
    con.execute(
        f"""
        INSERT INTO raw_rejects
        SELECT {_literal(table)}, {_literal(rel)}, line,
               CASE min(error_type::VARCHAR) {reasons} ELSE {_literal(_CSV_REASON_OTHER)} END,
               {key or "NULL"}
        FROM {rejects} GROUP BY line ORDER BY line
        """
    )
    return lines


def _reject_key(table: contract.Table, mapping: _Mapping, delimiter: str) -> str | None:
    """SQL (an aggregate over one line's rows of DuckDB's rejects) giving the broken line's key,
    or NULL; None when the table has no key column in this file.

    The key is the field at the key column's place in the header, read from the start of the
    line by RFC 4180 rules, and only when it can be trusted to be the row's id rather than some
    other value of the row (a name, a phone: a missing or extra field before it shifts the
    fields): it must be followed by a delimiter (so a line cut short did not cut it), not be
    digits only (a phone or ID number could look like that), and have the shape of the key of
    a row of the same file that was read well (letters as ``a``, digits as ``9``, runs as one:
    ``HS-2026-001`` and ``HS-2025-17`` are both ``a-9-9``; a name is not). The rest of the line is
    never read into the table.
    """
    column = next((c for c in _REJECT_KEYS.get(table.name, ()) if c in mapping.positions), None)
    if column is None:
        return None
    position = mapping.positions[column]
    if position > 1000:  # RE2 repeats a group at most 1000 times
        return None
    d = _ESCAPES.get(delimiter, delimiter)
    field_re = f'"(?:[^"]|"")*"|[^{d}"]*'
    pattern = _literal(f"^(?:(?:{field_re}){d}){{{position}}}({field_re}){d}")
    raw = f"regexp_extract(any_value(csv_line), {pattern}, 1)"
    value = (
        f"trim(CASE WHEN starts_with({raw}, '\"') "
        f"THEN replace(substr({raw}, 2, length({raw}) - 2), '\"\"', '\"') ELSE {raw} END)"
    )

    def shape(sql: str) -> str:
        return f"regexp_replace(regexp_replace({sql}, '[0-9]+', '9', 'g'), '[A-Za-z]+', 'a', 'g')"

    good = f"trim({_ident(column)})"
    known = (
        f"SELECT DISTINCT {shape('k')} FROM (SELECT {good} AS k FROM {_PART} "
        f"WHERE {good} <> '' LIMIT {_KEY_SAMPLE})"
    )
    return (
        f"CASE WHEN {value} <> '' AND NOT regexp_full_match({value}, '[0-9]+') "
        f"AND {shape(value)} IN ({known}) THEN {value} END"
    )


def _renumber(con: duckdb.DuckDBPyConnection, skipped: list[int]) -> None:
    """Turn the part's provisional line numbers (row count + 1) into record numbers.

    ``skipped`` are record numbers that produced no row (rejected records, blank lines). The
    k-th row kept is the k-th record number, from 2, that is not skipped. Before the j-th
    skipped record s_j come s_j - 1 - j rows; so a row with provisional number p = k + 1 moves
    by the number of j with s_j - 1 - j <= k - 1 = p - 2.
    """
    values = ", ".join(str(s) for s in skipped)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _minhbach_skips AS "
        "SELECT s - 1 - n AS t, n FROM (SELECT s, row_number() OVER (ORDER BY s) AS n "
        f"FROM (SELECT unnest([{values}]::BIGINT[]) AS s))"
    )
    try:
        con.execute(
            f"""
            UPDATE {_PART} SET _line = {_PART}._line + m.shift
            FROM (
                SELECT r.p, s.n AS shift
                FROM (SELECT DISTINCT _line AS p FROM {_PART}) AS r
                ASOF JOIN (SELECT t, max(n) AS n FROM _minhbach_skips GROUP BY t) AS s
                    ON r.p - 2 >= s.t
            ) AS m
            WHERE {_PART}._line = m.p
            """
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _minhbach_skips")


def _has_blank_inside(text: _TextFile) -> bool:
    """Whether a blank line comes before the last non-blank one (a second, rarer pass)."""
    blank = b"\n\r\n" if text.crlf else b"\n\n"
    first_blank = last_content = -1
    pos = 0
    tail = b""
    with open(text.path, "rb") as f:
        while chunk := f.read(_CHUNK):
            if first_blank < 0:
                hit = (tail + chunk).find(blank)
                if hit >= 0:
                    first_blank = pos - len(tail) + hit
            stripped = chunk.rstrip(b"\r\n")
            if stripped:
                last_content = pos + len(stripped) - 1
            tail = chunk[-(len(blank) - 1) :]
            pos += len(chunk)
    return 0 <= first_blank < last_content


def _blank_records(text: _TextFile, delimiter: str) -> list[int]:
    """Record numbers of blank lines: DuckDB skips them but counts them.

    Only called for files with a blank line inside, which is rare; Python's csv module is
    slower than DuckDB but numbers records the same way.
    """
    blanks = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 2 * _MAX_PHYSICAL_LINE))
    try:
        with open(text.path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter, quotechar='"', doublequote=True)
            for number, row in enumerate(reader, start=1):
                if not row:
                    blanks.append(number)
    except csv.Error:
        pass  # a record too odd for the csv module: line numbers after it may be off
    finally:
        csv.field_size_limit(limit)
    return blanks


def _read_header(text: _TextFile, rel: str) -> tuple[str, list[str]]:
    """The delimiter (sniffed from the first line) and the header's column names."""
    problem = None
    names: list[str] = []
    delimiter = ","
    try:
        with open(text.path, encoding="utf-8-sig", newline="") as f:
            first = f.readline(_MAX_PHYSICAL_LINE)
            if not first.strip():
                f.seek(0)
                if f.read(_CHUNK).strip():
                    problem = "dòng đầu tiên trống: dòng 1 phải là dòng tiêu đề"
                else:
                    problem = "tệp rỗng"
            else:
                delimiter = _sniff_delimiter(first)
                f.seek(0)  # the utf-8-sig decoder drops the BOM again
                reader = csv.reader(f, delimiter=delimiter, quotechar='"', doublequote=True)
                names = next(reader, [])
    except (csv.Error, UnicodeDecodeError):
        problem = "không đọc được dòng tiêu đề"
    if problem:
        raise InputError(rel, problem)
    while names and not names[-1].strip():
        names.pop()  # a trailing delimiter on the header line
    if not names:
        raise InputError(rel, "dòng tiêu đề trống")
    return delimiter, names


def _sniff_delimiter(line: str) -> str:
    """The most frequent of , ; and tab outside double quotes (comma when none or a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    return next(d for d in (",", ";", "\t") if counts[d] == best)


class _Scan:
    """Checks text bytes as they stream past: NUL bytes and over-long lines; counts line ends."""

    def __init__(self) -> None:
        self.pos = 0
        self.lf = 0
        self.cr = 0
        self.last_break = -1
        self.last_byte = b""

    @property
    def lines(self) -> int:
        """Line breaks so far (CR LF counts once; CR alone only in a file with no LF)."""
        return self.lf or self.cr

    def feed(self, chunk: bytes) -> str | None:
        if not chunk:
            return None
        if b"\x00" in chunk:
            line = self.lines + _count_lines(chunk[: chunk.find(b"\x00")]) + 1
            return f"có byte NUL ở dòng {line}: không phải tệp văn bản CSV (tệp nhị phân?)"
        breaks = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
        if not breaks:
            if self.pos + len(chunk) - self.last_break > _MAX_PHYSICAL_LINE:
                return self._too_long()
        else:
            if self.pos + min(breaks) - self.last_break > _MAX_PHYSICAL_LINE:
                return self._too_long()
            self.last_break = self.pos + max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        self.lf += chunk.count(b"\n")
        if self.cr or b"\r" in chunk:
            self.cr += chunk.count(b"\r")
        self.pos += len(chunk)
        self.last_byte = chunk[-1:]
        return None

    def _too_long(self) -> str:
        return (
            f"dòng {self.lines + 1} dài hơn {_MAX_PHYSICAL_LINE >> 20} MB: "
            "tệp không phải CSV hoặc bị hỏng"
        )

    @property
    def physical_lines(self) -> int:
        return self.lines + (1 if self.last_byte not in (b"", b"\n", b"\r") else 0)


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") or data.count(b"\r")


class _ToLF:
    """Rewrites CR LF and lone CR line ends as LF, across chunk boundaries."""

    def __init__(self) -> None:
        self.pending_cr = False

    def __call__(self, data: bytes, final: bool = False) -> bytes:
        if self.pending_cr:
            data = b"\r" + data
            self.pending_cr = False
        if b"\r" not in data:
            return data
        if data.endswith(b"\r") and not final:
            data = data[:-1]
            self.pending_cr = True
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _as_utf8(path: Path, rel: str, tmp: Path) -> _TextFile:
    """Check the file is UTF-8 or UTF-16 text; decompress, transcode or normalise it if needed.

    UTF-8 files with one kind of line end (LF, or CR LF) are read in place. UTF-16 (with a BOM,
    or recognised by its NUL bytes), gzip files and files mixing line ends (DuckDB's strict
    reader loses rows on those) are written as UTF-8 with LF line ends to the build's private
    temporary folder (mode 0700), deleted as soon as DuckDB has read them. UTF-16 is decoded
    here in full; UTF-8 is decoded here at the start (a Windows-1258 or TCVN3 file fails at
    once) and by DuckDB everywhere else (every field is read, see _load_csv).
    """
    gz = path.name.lower().endswith(".gz")
    problem = None
    scan = _Scan()
    out = path
    try:
        raw = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115
    except OSError:
        raise InputError(rel, "không mở được tệp") from None
    try:
        try:
            head = raw.read(_CHUNK)
            encoding, bom = _detect_encoding(head)
            if encoding is None:
                problem = "có byte NUL: không phải tệp văn bản CSV (tệp nhị phân?)"
            elif encoding == "utf-8" and not gz:
                problem = _check_text(raw, head, encoding, scan, None)
            else:
                out = _temp_file(tmp)
                with open(out, "wb") as sink:
                    problem = _check_text(raw, head[len(bom) :], encoding, scan, sink)
        except (OSError, EOFError, zlib.error):
            problem = "tệp nén .gz bị hỏng hoặc không phải gzip" if gz else "không đọc được tệp"
    finally:
        raw.close()
    if problem or scan.pos == 0:
        if out != path:
            out.unlink(missing_ok=True)
        raise InputError(rel, problem or "tệp rỗng")
    if scan.cr and scan.cr != scan.lf:  # mixed or old-Mac line ends (only the in-place case)
        out = _temp_file(tmp)
        scan = _Scan()
        to_lf = _ToLF()
        with open(path, "rb") as source, open(out, "wb") as sink:
            while chunk := source.read(_CHUNK):
                data = to_lf(chunk)
                scan.feed(data)
                sink.write(data)
            data = to_lf(b"", final=True)
            scan.feed(data)
            sink.write(data)
    return _TextFile(path=out, crlf=scan.cr > 0, lines=scan.physical_lines)


def _temp_file(tmp: Path) -> Path:
    handle, name = tempfile.mkstemp(suffix=".csv", dir=tmp)
    os.close(handle)
    return Path(name)


def _detect_encoding(head: bytes) -> tuple[str | None, bytes]:
    """(encoding, BOM) from the first bytes; None when the bytes are binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", codecs.BOM_UTF8
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", codecs.BOM_UTF16_LE
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", codecs.BOM_UTF16_BE
    if b"\x00" not in head:
        return "utf-8", b""
    # UTF-16 without a BOM: the headers and most values are ASCII, so every other byte is NUL.
    pairs = len(head) // 2
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if pairs and odd >= 0.3 * pairs and even == 0:
        return "utf-16-le", b""
    if pairs and even >= 0.3 * pairs and odd == 0:
        return "utf-16-be", b""
    return None, b""


def _check_text(
    raw: io.BufferedIOBase, head: bytes, encoding: str, scan: _Scan, sink: io.BufferedIOBase | None
) -> str | None:
    """Stream the file through ``scan`` as UTF-8 bytes; with a ``sink``, also write them there
    with LF line ends. UTF-16 is decoded in full; UTF-8 only in its first chunk (DuckDB checks
    the rest). Returns a problem, or None."""
    utf8 = encoding == "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    to_lf = _ToLF()
    first = True
    for chunk in itertools.chain(_chunks(raw, head), [b""]):
        final = not chunk
        data = chunk
        if first or not utf8:
            try:
                text = decoder.decode(chunk, final=final and not utf8)
            except UnicodeDecodeError as exc:
                if final:
                    return _NOT_TEXT.format(where=": tệp kết thúc giữa một ký tự")
                if utf8:
                    return _not_text(scan, chunk, exc.start)
                return _NOT_TEXT.format(where=f": byte lạ sau dòng {scan.lines + 1}")
            if not utf8:
                data = text.encode("utf-8")
        first = False
        if sink is not None:
            data = to_lf(data, final=final)
        problem = scan.feed(data)
        if problem:
            return problem
        if sink is not None and data:
            sink.write(data)
    return None


def _chunks(raw: io.BufferedIOBase, head: bytes) -> Iterator[bytes]:
    if head:
        yield head
    while chunk := raw.read(_CHUNK):
        yield chunk


def _not_text(scan: _Scan, chunk: bytes, start: int) -> str:
    """The message for an undecodable byte at ``start`` of a chunk not yet fed to ``scan``."""
    line = scan.lines + _count_lines(chunk[: max(start, 0)]) + 1
    return _NOT_TEXT.format(where=f": byte lạ ở dòng {line}")


# --------------------------------------------------------------------------------------------
# Parquet


@dataclass
class _ParquetGroup:
    paths: list[Path]  # files with the same columns, read by one statement
    schema: list[tuple[str, str]]  # (column name, DuckDB type)


def _parquet_groups(
    con: duckdb.DuckDBPyConnection, paths: list[Path], rels: dict[Path, str]
) -> dict[Path, _ParquetGroup]:
    """Parquet files grouped by their columns (names and types): each file -> its group."""
    groups: dict[tuple, _ParquetGroup] = {}
    out: dict[Path, _ParquetGroup] = {}
    for path in paths:
        problem = None
        try:
            described = con.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_literal(str(path))})"
            ).fetchall()
        except duckdb.Error:
            problem = "không đọc được tệp Parquet (tệp hỏng hoặc không phải Parquet)"
        if problem:
            raise InputError(rels[path], problem)
        schema = [(name, dtype) for name, dtype, *_ in described]
        if {name.lower() for name, _ in schema} & {"filename", "file_row_number"}:
            raise InputError(
                rels[path], "có cột tên filename hoặc file_row_number (tên dành riêng): hãy đổi tên"
            )
        group = groups.setdefault(tuple(schema), _ParquetGroup([], schema))
        group.paths.append(path)
        out[path] = group
    return out


def _read_parquet(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    target: str,
    group: _ParquetGroup,
    rels: dict[Path, str],
) -> tuple[_Mapping, int]:
    """Read a group of Parquet files straight into raw_<name>; their row numbers come from the
    reader (file_row_number), their file from its ``filename`` column."""
    first = rels[group.paths[0]]
    mapping = _map_header(table, [name for name, _ in group.schema], first)
    values = {}
    for col, pos in mapping.positions.items():
        name, dtype = group.schema[pos]
        values[col] = _parquet_text(_ident(name), dtype)
    files = "[" + ", ".join(_literal(str(p)) for p in group.paths) + "]"
    if len(group.paths) == 1:
        source = _literal(first)
    else:
        whens = " ".join(f"WHEN {_literal(str(p))} THEN {_literal(rels[p])}" for p in group.paths)
        source = f"CASE filename {whens} END"
    select = _part_select(table, values, source, "file_row_number + 2")
    columns = ", ".join(_ident(c) for c in (*table.column_names, "_source", "_line"))
    problem = None
    try:
        (rows,) = con.execute(
            f"INSERT INTO {target} ({columns}) SELECT {select} FROM read_parquet({files})"
        ).fetchone()
    except duckdb.Error as exc:
        # name the damaged file when DuckDB's message does (the message itself is not shown)
        text = str(exc)
        bad = next((p for p in group.paths if str(p) in text), None)
        problem = (rels[bad] if bad else first, "không đọc được tệp Parquet (tệp hỏng)")
    if problem:
        raise InputError(*problem)
    return mapping, rows


def _parquet_text(col: str, dtype: str) -> str:
    """SQL turning a Parquet column into the text a CSV export would carry."""
    t = dtype.upper()
    if t == "VARCHAR":
        return col
    if t.startswith("TIMESTAMP WITH TIME ZONE") or t == "TIMESTAMPTZ":
        # local time in Việt Nam, without the offset, like every other timestamp
        return (
            f"strftime(make_timestamp(epoch_us({col}) + {_VN_UTC_OFFSET_US}), '%Y-%m-%d %H:%M:%S')"
        )
    if t.startswith("TIMESTAMP"):
        return f"strftime(CAST({col} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S')"
    if t == "DATE":
        return f"strftime({col}, '%Y-%m-%d')"
    if t in ("FLOAT", "DOUBLE", "REAL") or t.startswith("DECIMAL"):
        x = f"CAST({col} AS DOUBLE)"
        return (
            f"CASE WHEN isfinite({x}) AND {x} = trunc({x}) AND abs({x}) < 1e15 "
            f"THEN CAST(CAST({x} AS BIGINT) AS VARCHAR) ELSE CAST({x} AS VARCHAR) END"
        )
    return f"TRY_CAST({col} AS VARCHAR)"


# --------------------------------------------------------------------------------------------
# Excel


def _read_xlsx(
    con: duckdb.DuckDBPyConnection, table: contract.Table, path: Path, rel: str, say: Progress
) -> tuple[_Mapping, int, int]:
    import openpyxl  # imported here: only Excel inputs need it

    problem = None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign file
        problem = "không đọc được tệp Excel .xlsx (tệp hỏng, có mật khẩu hoặc không phải .xlsx)"
    if problem:
        raise InputError(rel, problem)
    try:
        rows = _sheet_rows(workbook, rel)
        header = next(rows, None)
        if header is None or all(_empty(v) for v in header):
            if header is None or not any(any(not _empty(v) for v in r) for r in rows):
                if len(workbook.worksheets) > 1:
                    raise InputError(
                        rel,
                        "trang tính đầu tiên trống: chỉ trang tính đầu tiên được đọc, "
                        "hãy đưa dữ liệu lên trang đầu",
                    )
                raise InputError(rel, "tệp rỗng")
            raise InputError(rel, "dòng đầu tiên trống: dòng 1 phải là dòng tiêu đề")
        mapping = _map_header(table, ["" if v is None else str(v) for v in header], rel)
        wanted = [
            (col.name, mapping.positions[col.name], col.kind)
            for col in table.columns
            if col.name in mapping.positions
        ]
        epoch = workbook.epoch
        batch = _XlsxBatch(con, table, rel)
        for number, row in enumerate(rows, start=2):
            if all(_empty(v) for v in row):
                continue  # an empty sheet row is not a record
            for name, pos, kind in wanted:
                value = row[pos] if pos < len(row) else None
                batch.columns[name].append(_cell_text(value, kind, epoch))
            batch.lines.append(number)
            if len(batch.lines) >= _XLSX_BATCH:
                batch.flush()
                say(f"đọc {rel}: {batch.rows} dòng")
        batch.flush(last=True)
    finally:
        workbook.close()
    return mapping, batch.rows, 0


def _sheet_rows(workbook, rel: str) -> Iterator[tuple]:
    """The first sheet's rows as tuples of values; a damaged sheet is an InputError."""
    problem = None
    try:
        if not workbook.worksheets:
            problem = "tệp rỗng (không có trang tính nào)"
        else:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the stored size is often wrong; read every cell there is
            rows = sheet.iter_rows(values_only=True)
    except Exception:
        problem = "không đọc được tệp Excel .xlsx (trang tính đầu tiên bị hỏng)"
    if problem:
        raise InputError(rel, problem)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # a damaged sheet fails while it is read, not when it is opened
            problem = "không đọc được tệp Excel .xlsx (trang tính đầu tiên bị hỏng)"
        if problem:
            raise InputError(rel, problem)
        yield row


class _XlsxBatch:
    """Rows of a sheet on their way to the part table, a batch at a time (bounded memory)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: contract.Table, rel: str):
        self.con, self.table, self.rel = con, table, rel
        self.columns: dict[str, list[str | None]] = {c: [] for c in table.column_names}
        self.lines: list[int] = []
        self.rows = 0
        self.created = False

    def flush(self, last: bool = False) -> None:
        if not self.lines and (self.created or not last):
            return
        n = len(self.lines)
        data = {
            col: pa.array(values if len(values) == n else [None] * n, type=pa.string())
            for col, values in self.columns.items()
        }
        data["_line"] = pa.array(self.lines, type=pa.int64())
        self.con.register("_minhbach_xlsx", pa.table(data))
        try:
            values = {col: _ident(col) for col in self.table.column_names}
            select = _part_select(self.table, values, _literal(self.rel), "_line")
            verb = f"INSERT INTO {_PART}" if self.created else f"CREATE TABLE {_PART} AS"
            self.con.execute(f"{verb} SELECT {select} FROM _minhbach_xlsx")
        finally:
            self.con.unregister("_minhbach_xlsx")
        self.created = True
        self.rows += n
        for values in self.columns.values():
            values.clear()
        self.lines.clear()


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object, kind: str, epoch: dt.datetime) -> str | None:
    """An Excel cell as the text a CSV export would carry."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _datetime_text(value, kind)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if kind in ("timestamp", "date") and 0 < value <= _EXCEL_MAX_SERIAL:
            return _datetime_text(_from_serial(float(value), epoch), kind)
        if isinstance(value, int):
            return str(value)
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}"  # what Excel shows: 15 significant digits
    return str(value)


def _from_serial(serial: float, epoch: dt.datetime) -> dt.datetime:
    """An Excel date serial (days since the workbook's epoch) as a datetime."""
    from openpyxl.utils.datetime import from_excel

    return from_excel(serial, epoch=epoch)


def _datetime_text(value: dt.datetime, kind: str) -> str:
    value = value.replace(tzinfo=None)
    if value.microsecond:  # Excel stores fractions of a day: round to the second
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if kind == "date" and value.time() == dt.time(0):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------------------------
# Helpers


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_LINE_IN_ERROR = re.compile(r"\bline:?\s+(\d+)", re.IGNORECASE)


def _duckdb_problem(exc: duckdb.Error, what: str, *, lines: bool = True) -> str:
    """Our own message for a DuckDB error: its text may quote the row, so only a line number
    is taken from it."""
    if lines:
        match = _LINE_IN_ERROR.search(str(exc))
        if match:
            return f"{what} (lỗi ở dòng {match.group(1)})"
    return what


def _drop_reject_tables(con: duckdb.DuckDBPyConnection) -> None:
    # They hold the rejected lines' text (csv_line): never left behind.
    con.execute(f"DROP TABLE IF EXISTS temp.{_REJECTS_TABLE}")
    con.execute(f"DROP TABLE IF EXISTS temp.{_REJECTS_SCAN}")
