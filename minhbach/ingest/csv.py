"""CSV files (and CSV.gz): the header and its delimiter, DuckDB's strict reader, line numbers.

Every file is read by ``read_csv`` with the dialect fixed here (never DuckDB's own detection):
RFC 4180 quoting, the delimiter sniffed from the header line, the file's one kind of line end
(``text.as_utf8`` makes sure there is one). Only the contract's columns are kept; the others
are read only to check the record is valid UTF-8 and not empty.

``_line`` is where a person finds the row: the CSV record number + 1 (the header is line 1; a
quoted value spanning several lines is one record, as a spreadsheet shows it). Blank lines and
records whose every field is empty are not rows, but they count in the numbers that follow.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from .. import contract
from ..errors import InputError
from ..sql.quote import literal
from . import rejects
from .header import Mapping, map_header
from .part import PART, create_part
from .text import CHUNK, MAX_PHYSICAL_LINE, MAX_RECORD, TextFile, as_utf8

# how read_csv wants a tab and line ends spelled
_ESCAPES = {"\t": "\\t"}
_LF, _CRLF = "\\n", "\\r\\n"
_LINE_IN_ERROR = re.compile(r"\bline:?\s+(\d+)", re.IGNORECASE)


def read_csv(
    con: duckdb.DuckDBPyConnection, table: contract.Table, path: Path, rel: str, tmp: Path
) -> tuple[Mapping, int, int]:
    """Read one CSV file into the part table: (its header mapping, records read, rejected)."""
    text = as_utf8(path, rel, tmp)
    try:
        return load_csv(con, table, text, rel)
    finally:
        if text.path != path:
            text.path.unlink(missing_ok=True)


def load_csv(
    con: duckdb.DuckDBPyConnection, table: contract.Table, text: TextFile, rel: str
) -> tuple[Mapping, int, int]:
    """Read checked UTF-8 text into the part table, its rows numbered by record."""
    delimiter, names = read_header(text, rel)
    mapping = map_header(table, names, rel)
    parsed, rejected = _parse(con, table, text, rel, delimiter, mapping, len(names))
    # Rows are numbered by position: with preserve_insertion_order (set by read_inputs) the
    # table's rowid follows the file. A window function would do the same at twice the cost.
    con.execute(f"ALTER TABLE {PART} ADD COLUMN _line BIGINT")
    con.execute(f"UPDATE {PART} SET _line = rowid + 2")
    skipped = set(rejected)
    if text.lines != 1 + parsed + len(rejected) and _has_blank_inside(text):
        # Physical lines and records disagree (values spanning lines, blank lines): only
        # blank lines shift the numbers, and only those before the last record.
        skipped.update(_blank_records(text, delimiter))
    if skipped:
        _renumber(con, sorted(skipped))
    (empty,) = con.execute(f"DELETE FROM {PART} WHERE NOT _keep").fetchone()
    con.execute(f"ALTER TABLE {PART} DROP COLUMN _keep")
    rows = parsed - empty
    return mapping, rows + len(rejected), len(rejected)


def read_header(text: TextFile, rel: str) -> tuple[str, list[str]]:
    """The delimiter (sniffed from the first line) and the header's column names."""
    problem = None
    names: list[str] = []
    delimiter = ","
    try:
        with open(text.path, encoding="utf-8-sig", newline="") as f:
            first = f.readline(MAX_PHYSICAL_LINE)
            if not first.strip():
                f.seek(0)
                if f.read(CHUNK).strip():
                    problem = "dòng đầu tiên trống: dòng 1 phải là dòng tiêu đề"
                else:
                    problem = "tệp rỗng"
            else:
                delimiter = sniff_delimiter(first)
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


def sniff_delimiter(line: str) -> str:
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


def _parse(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    text: TextFile,
    rel: str,
    delimiter: str,
    mapping: Mapping,
    ncols: int,
) -> tuple[int, list[int]]:
    """Read the records into the part table (with a ``_keep`` flag, without ``_line``) and the
    broken ones into raw_rejects: (records parsed, rejected record numbers)."""
    # A record whose every field is empty (the ",,,,," rows Excel leaves) is not a row: it is
    # flagged here and deleted once rows are numbered. The flag reads every field, which also
    # makes DuckDB check that every field is valid UTF-8; nothing else of the fields outside
    # the contract is kept.
    every = ", ".join(f"c{i}" for i in range(ncols))
    keep = f"coalesce({every}, NULL) IS NOT NULL AS _keep"
    values = {col: f"c{pos}" for col, pos in mapping.positions.items()}
    spelled = _ESCAPES.get(delimiter, delimiter)
    problem = None
    try:
        # DuckDB's default limit first (larger ones cost memory on every file); a record over it
        # is a reason to read the file again, with the larger limit, rather than to lose the row.
        for max_line in (None, MAX_RECORD):
            rejects.drop_tables(con)
            con.execute(f"DROP TABLE IF EXISTS {PART}")
            reader = _reader(text, spelled, ncols, max_line)
            try:
                parsed = create_part(con, table, values, rel, None, reader, extra=keep)
            except duckdb.Error as exc:
                problem = _duckdb_problem(exc, "không đọc được tệp CSV")
            if problem:
                raise InputError(rel, problem)
            if not rejects.long_records(con):
                break
        key = rejects.reject_key(table, mapping, spelled)
        rejected = rejects.collect(con, table.name, rel, key)
    finally:
        rejects.drop_tables(con)
    return parsed, rejected


def _reader(text: TextFile, delimiter: str, ncols: int, max_line: int | None) -> str:
    """The ``read_csv`` call for a file of ``ncols`` columns (all text, named c0, c1, ...);
    ``delimiter`` spelled as read_csv takes it; ``max_line``: None for DuckDB's default."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    return (
        f"read_csv({literal(str(text.path))}, columns = {columns}, header = true, "
        f"delim = {literal(delimiter)}, quote = '\"', escape = '\"', "
        f"new_line = {literal(_CRLF if text.crlf else _LF)}, "
        "auto_detect = false, "
        "compression = 'none', encoding = 'utf-8', nullstr = '', "
        + rejects.reader_options()
        + (f", max_line_size = {max_line}" if max_line else "")
        + ")"
    )


def _duckdb_problem(exc: duckdb.Error, what: str) -> str:
    """Our own message for a DuckDB error: its text may quote the row, so only a line number
    is taken from it."""
    match = _LINE_IN_ERROR.search(str(exc))
    if match:
        return f"{what} (lỗi ở dòng {match.group(1)})"
    return what


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
            UPDATE {PART} SET _line = {PART}._line + m.shift
            FROM (
                SELECT r.p, s.n AS shift
                FROM (SELECT DISTINCT _line AS p FROM {PART}) AS r
                ASOF JOIN (SELECT t, max(n) AS n FROM _minhbach_skips GROUP BY t) AS s
                    ON r.p - 2 >= s.t
            ) AS m
            WHERE {PART}._line = m.p
            """
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _minhbach_skips")


def _has_blank_inside(text: TextFile) -> bool:
    """Whether a blank line comes before the last non-blank one (a second, rarer pass)."""
    blank = b"\n\r\n" if text.crlf else b"\n\n"
    first_blank = last_content = -1
    pos = 0
    tail = b""
    with open(text.path, "rb") as f:
        while chunk := f.read(CHUNK):
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


def _blank_records(text: TextFile, delimiter: str) -> list[int]:
    """Record numbers of blank lines: DuckDB skips them but counts them.

    Only called for files with a blank line inside, which is rare; Python's csv module is
    slower than DuckDB but numbers records the same way.
    """
    blanks = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 2 * MAX_PHYSICAL_LINE))
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
