"""The part table: one file's rows with raw_<name>'s columns, before they join raw_<name>.

A CSV or Excel file is loaded into a table of its own first (CSV: CREATE TABLE AS, whose row ids
follow the file and give each row its line); the first such table becomes raw_<name>, later ones
are appended to it (``table.py``). Parquet files are read straight into raw_<name> with the same
select list.
"""

from __future__ import annotations

import duckdb

from .. import contract
from ..sql.quote import ident, literal

PART = "_minhbach_part"  # the file being read, before it joins raw_<name>


def part_select(
    table: contract.Table, values: dict[str, str], source: str, line: str | None
) -> str:
    """The select list of raw_<name>'s columns: ``values`` (SQL per canonical column, NULL for
    the others), ``source`` (SQL of _source) and ``line`` (SQL of _line; None: left out)."""
    select = [
        f"CAST({values[c]} AS VARCHAR) AS {ident(c)}"
        if c in values
        else f"CAST(NULL AS VARCHAR) AS {ident(c)}"
        for c in table.column_names
    ]
    select.append(f"CAST({source} AS VARCHAR) AS _source")
    if line is not None:
        select.append(f"CAST({line} AS BIGINT) AS _line")
    return ", ".join(select)


def create_part(
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
    select = part_select(table, values, literal(rel), line)
    if extra:
        select += ", " + extra
    (rows,) = con.execute(f"CREATE TABLE {PART} AS SELECT {select} FROM {from_sql}").fetchone()
    return rows
