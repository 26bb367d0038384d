"""Broken CSV lines: from DuckDB's rejects into ``raw_rejects``, with a reason and a safe key.

Rows that cannot be parsed as records (a line with the wrong number of fields, a stray quote, a
truncated last line) go to ``raw_rejects`` with a short reason, their line number and, when it
can be read safely, their key (the row's id: see ``reject_key``), never the rest of their
content; downstream they count as quarantined. DuckDB collects them in temporary tables that
hold the rejected line's text: they are read only in SQL, for line numbers, error kinds and that
key, and dropped at once (``drop_tables``).
"""

from __future__ import annotations

import duckdb

from .. import contract
from ..errors import InputError
from ..sql.quote import ident, literal
from .header import Mapping
from .part import PART
from .text import MAX_RECORD, NOT_TEXT

REJECTS_DDL = "table_name VARCHAR, _source VARCHAR, _line BIGINT, reason VARCHAR, key VARCHAR"

MAX_REJECTS = 500_000  # per file; more means the file is not what it claims to be
REJECTS_TABLE = "_minhbach_reject_errors"
REJECTS_SCAN = "_minhbach_reject_scans"

CSV_REASONS = {
    "MISSING COLUMNS": "dòng CSV hỏng (số cột không khớp tiêu đề)",
    "TOO MANY COLUMNS": "dòng CSV hỏng (số cột không khớp tiêu đề)",
    "UNQUOTED VALUE": "dòng CSV hỏng (dấu ngoặc kép không đúng chỗ)",
    "LINE SIZE OVER MAXIMUM": f"dòng CSV quá dài (hơn {MAX_RECORD >> 20} MB)",
    "INVALID ENCODING": "dòng CSV có byte không phải UTF-8",
}
CSV_REASON_OTHER = "dòng CSV hỏng"

# The column that names a broken CSV line in the quarantine, as quarantine.sql names the table's
# other rows: the first of these that the file has. Tables not listed get the line number.
REJECT_KEYS = {
    "agencies": ("agency_id",),
    "procedures": ("procedure_id",),
    "dossiers": ("dossier_id",),
    "supplements": ("dossier_id",),
    "ratings": ("rating_id", "dossier_id"),
    "feedback": ("feedback_id",),
}
KEY_SAMPLE = 10_000  # keys of well-read rows whose shapes a broken line's key must match


def reader_options() -> str:
    """The options of ``read_csv`` that make DuckDB keep the rejected lines for ``collect``."""
    return (
        f"store_rejects = true, rejects_table = '{REJECTS_TABLE}', "
        f"rejects_scan = '{REJECTS_SCAN}', rejects_limit = {MAX_REJECTS}"
    )


def long_records(con: duckdb.DuckDBPyConnection) -> int:
    """How many records the last read rejected as longer than its line limit."""
    (count,) = con.execute(
        f"SELECT count(*) FROM temp.{REJECTS_TABLE} WHERE error_type = 'LINE SIZE OVER MAXIMUM'"
    ).fetchone()
    return count


def collect(con: duckdb.DuckDBPyConnection, table: str, rel: str, key: str | None) -> list[int]:
    """Move DuckDB's rejects of one file into raw_rejects: line, reason and the key that ``key``
    (SQL over the rejected line, ``csv_line``: see ``reject_key``) reads; never the content.
    Returns the rejected record numbers.

    Raises when they show the file as a whole is broken.
    """
    rejects = f"temp.{REJECTS_TABLE}"
    _refuse_broken_file(con, rel)
    lines = [
        r[0] for r in con.execute(f"SELECT DISTINCT line FROM {rejects} ORDER BY 1").fetchall()
    ]
    if not lines:
        return []
    reasons = " ".join(
        f"WHEN {literal(kind)} THEN {literal(reason)}" for kind, reason in CSV_REASONS.items()
    )
    con.execute(
        f"""
        INSERT INTO raw_rejects
        SELECT {literal(table)}, {literal(rel)}, line,
               CASE min(error_type::VARCHAR) {reasons} ELSE {literal(CSV_REASON_OTHER)} END,
               {key or "NULL"}
        FROM {rejects} GROUP BY line ORDER BY line
        """
    )
    return lines


def reject_key(table: contract.Table, mapping: Mapping, delimiter: str) -> str | None:
    """SQL (an aggregate over one line's rows of DuckDB's rejects) giving the broken line's key,
    or NULL; None when the table has no key column in this file. ``delimiter`` is spelled as
    ``read_csv`` and RE2 take it (a tab as ``\\t``).

    The key is the field at the key column's place in the header, read from the start of the
    line by RFC 4180 rules, and only when it can be trusted to be the row's id rather than some
    other value of the row (a name, a phone: a missing or extra field before it shifts the
    fields): it must be followed by a delimiter (so a line cut short did not cut it), not be
    digits only (a phone or ID number could look like that), and have the shape of the key of
    a row of the same file that was read well (letters as ``a``, digits as ``9``, runs as one:
    ``HS-2026-001`` and ``HS-2025-17`` are both ``a-9-9``; a name is not). The rest of the line is
    never read into the table.
    """
    column = next((c for c in REJECT_KEYS.get(table.name, ()) if c in mapping.positions), None)
    if column is None:
        return None
    position = mapping.positions[column]
    if position > 1000:  # RE2 repeats a group at most 1000 times
        return None
    d = delimiter
    field_re = f'"(?:[^"]|"")*"|[^{d}"]*'
    pattern = literal(f"^(?:(?:{field_re}){d}){{{position}}}({field_re}){d}")
    raw = f"regexp_extract(any_value(csv_line), {pattern}, 1)"
    value = (
        f"trim(CASE WHEN starts_with({raw}, '\"') "
        f"THEN replace(substr({raw}, 2, length({raw}) - 2), '\"\"', '\"') ELSE {raw} END)"
    )
    good = f"trim({ident(column)})"
    known = (
        f"SELECT DISTINCT {_shape('k')} FROM (SELECT {good} AS k FROM {PART} "
        f"WHERE {good} <> '' LIMIT {KEY_SAMPLE})"
    )
    return (
        f"CASE WHEN {value} <> '' AND NOT regexp_full_match({value}, '[0-9]+') "
        f"AND {_shape(value)} IN ({known}) THEN {value} END"
    )


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop DuckDB's reject tables. They hold the rejected lines' text (csv_line): never left
    behind."""
    con.execute(f"DROP TABLE IF EXISTS temp.{REJECTS_TABLE}")
    con.execute(f"DROP TABLE IF EXISTS temp.{REJECTS_SCAN}")


def _refuse_broken_file(con: duckdb.DuckDBPyConnection, rel: str) -> None:
    """An ``InputError`` when the rejects show that the file as a whole is broken: a byte that
    is not UTF-8, too many broken lines, or a broken record spanning several lines."""
    rejects = f"temp.{REJECTS_TABLE}"
    (bad_byte,) = con.execute(
        f"SELECT min(line) FROM {rejects} WHERE error_type = 'INVALID ENCODING'"
    ).fetchone()
    if bad_byte is not None:
        raise InputError(rel, NOT_TEXT.format(where=f": byte lạ ở dòng {bad_byte}"))
    (entries,) = con.execute(f"SELECT count(*) FROM {rejects}").fetchone()
    if entries >= MAX_REJECTS:
        raise InputError(
            rel,
            f"hơn {MAX_REJECTS} dòng CSV hỏng: tệp không đúng dạng CSV "
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


def _shape(sql: str) -> str:
    """SQL of a key's shape: letters as ``a``, digits as ``9``, each run as one."""
    return f"regexp_replace(regexp_replace({sql}, '[0-9]+', '9', 'g'), '[A-Za-z]+', 'a', 'g')"
