"""A published table's columns as DuckDB holds them, matched with its contract, and the SQL
that writes each kind of value in each format.

The contract gives the published columns, their order and their Table Schema types; the
table's own types decide how a value is written. Every column of the table is in the contract
and every column of the contract in the table (an internal one has no type and is never
written); a published column's contract type must be the one its DuckDB type gives. Anything
else stops the build (:class:`BuildError`) before a file is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from ..errors import BuildError, InvariantError
from ..sql.quote import ident
from . import csv
from .datasets import Dataset

# DuckDB type -> kind: how a value is written.
_INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}
# kind -> Table Schema type (the descriptor's).
SCHEMA_TYPES = {
    "text": "string",
    "integer": "integer",
    "decimal": "number",
    "float": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "datetime_tz": "datetime",
    "time": "time",
}


@dataclass(frozen=True)
class Column:
    """A column to write: its name, its DuckDB type and the kind of value it holds."""

    name: str
    sql_type: str
    kind: str  # text, integer, decimal, float, boolean, date, datetime, datetime_tz, time

    @property
    def schema_type(self) -> str:
        return SCHEMA_TYPES[self.kind]


def kind_of(sql_type: str) -> str | None:
    """The kind of a DuckDB type; None for a type no download can hold (lists, structs…)."""
    t = sql_type.upper()
    if t == "VARCHAR" or t.startswith("ENUM(") or t == "UUID":
        return "text"
    if t in _INTEGER_TYPES:
        return "integer"
    if t.startswith("DECIMAL"):
        return "decimal"
    if t in ("DOUBLE", "FLOAT"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE":
        return "date"
    if t in ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):
        return "datetime"
    if t == "TIMESTAMP WITH TIME ZONE":
        return "datetime_tz"
    if t == "TIME":
        return "time"
    return None


_MISSING = re.compile(r"with name (\S+) does not exist")


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The table's columns and their DuckDB types, in the table's order. A missing table, or a
    missing table that a view reads, stops the build."""
    try:
        rows = con.execute(f"DESCRIBE {ident(table)}").fetchall()
    except duckdb.CatalogException as exc:
        found = _MISSING.search(str(exc))
        missing = found[1] if found else table
        through = f", bảng {table} đọc nó" if missing != table else ""
        raise BuildError(f"tải về: không có bảng {missing} (cần cho /du-lieu/{through})") from None
    return {r[0]: r[1] for r in rows}


def resolve(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> list[Column]:
    """The published columns of ``dataset``, in the contract's order, with their DuckDB types;
    the table and the contract must have the same columns, of matching types."""
    available = table_columns(con, dataset.table)
    listed = [*dataset.column_names, *dataset.internal]
    where = dataset.source or dataset.table
    missing = [c for c in listed if c not in available]
    if missing:
        raise BuildError(f"tải về: bảng {dataset.table} thiếu cột {', '.join(missing)} ({where})")
    extra = [c for c in available if c not in listed]
    if extra:
        raise BuildError(
            f"tải về: bảng {dataset.table} có cột {', '.join(extra)} không có trong {where}"
        )
    columns = []
    for spec in dataset.columns:
        sql_type = available[spec.name]
        kind = kind_of(sql_type)
        if kind is None:
            raise BuildError(
                f"tải về: cột {dataset.table}.{spec.name} có kiểu {sql_type} không ghi được ra CSV"
            )
        column = Column(spec.name, sql_type, kind)
        if column.schema_type != spec.type:
            raise BuildError(
                f"tải về: cột {dataset.table}.{spec.name} có kiểu {sql_type} ({column.schema_type})"
                f", {where} ghi {spec.type}"
            )
        columns.append(column)
    return columns


def check_key(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> None:
    """The primary key is unique and never empty (the same input then gives the same bytes)."""
    keys = ", ".join(ident(c) for c in key)
    nulls = " OR ".join(f"{ident(c)} IS NULL" for c in key)
    (dupes,) = con.execute(
        f"SELECT count(*) FROM (SELECT {keys} FROM {ident(table)} GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    (empty,) = con.execute(f"SELECT count(*) FROM {ident(table)} WHERE {nulls}").fetchone()
    if dupes or empty:
        raise InvariantError(
            f"tải về: bảng {table} có {dupes} khóa ({', '.join(key)}) trùng và "
            f"{empty} dòng khóa trống"
        )


def order_by(columns: tuple[str, ...] | list[str], alias: str = "t") -> str:
    return ", ".join(f"{alias}.{ident(c)} ASC NULLS LAST" for c in columns)


# --------------------------------------------------------------------------------------------
# A value in each format


def value_sql(col: Column, ref: str) -> str:
    """The column as stored, except non-finite floats become NULL (all formats)."""
    if col.kind == "float":
        return f"CASE WHEN isfinite({ref}) THEN {ref} END"
    return ref


def _iso_datetime_sql(col: Column, ref: str) -> str:
    if col.kind == "datetime_tz":
        return f"replace(CAST(timezone('UTC', {ref}) AS VARCHAR), ' ', 'T') || 'Z'"
    return f"replace(CAST({ref} AS VARCHAR), ' ', 'T')"


def csv_sql(col: Column, ref: str) -> str:
    """The value as a CSV cell holds it (before quoting: see :func:`csv.field_sql`)."""
    if col.kind == "text":
        return csv.neutralised_sql(ref)
    if col.kind == "float":
        return csv.plain_number_sql(ref)
    if col.kind in ("datetime", "datetime_tz"):
        return _iso_datetime_sql(col, ref)
    return ref


def json_sql(col: Column, ref: str) -> str:
    """The value as the JSON download holds it (never neutralised: JSON is not a spreadsheet)."""
    if col.kind in ("datetime", "datetime_tz"):
        return _iso_datetime_sql(col, ref)
    if col.kind == "time":
        return f"CAST({ref} AS VARCHAR)"
    return value_sql(col, ref)
