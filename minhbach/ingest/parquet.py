"""Parquet files: read where they are, values turned into the text a CSV would carry.

A table whose files are all Parquet becomes the view raw_<name> over them: its rows are not
copied into DuckDB's memory (at millions of dossiers that copy alone filled most of the build's
memory), the staging SQL reads them from the files. Files of one table with the same columns
(names and types: the usual monthly files) are read by one SELECT; a row's ``_line`` is its row
index + 2 (as if the file had a header line).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import contract
from ..errors import InputError
from ..sql.quote import ident, literal
from .header import Mapping, map_header
from .part import part_select

_VN_UTC_OFFSET_US = 7 * 3600 * 1_000_000  # Asia/Ho_Chi_Minh has been UTC+7 without DST since 1975


@dataclass
class ParquetGroup:
    paths: list[Path]  # files with the same columns, read by one statement
    schema: list[tuple[str, str]]  # (column name, DuckDB type)


def parquet_groups(
    con: duckdb.DuckDBPyConnection, paths: list[Path], rels: dict[Path, str]
) -> dict[Path, ParquetGroup]:
    """Parquet files grouped by their columns (names and types): each file -> its group."""
    groups: dict[tuple, ParquetGroup] = {}
    out: dict[Path, ParquetGroup] = {}
    for path in paths:
        problem = None
        try:
            described = con.execute(
                f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))})"
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
        group = groups.setdefault(tuple(schema), ParquetGroup([], schema))
        group.paths.append(path)
        out[path] = group
    return out


def parquet_select(
    table: contract.Table, group: ParquetGroup, rels: dict[Path, str]
) -> tuple[Mapping, str]:
    """A group of Parquet files as the SELECT of raw_<name>'s columns over them; their row
    numbers come from the reader (file_row_number), their file from its ``filename`` column."""
    first = rels[group.paths[0]]
    mapping = map_header(table, [name for name, _ in group.schema], first)
    values = {}
    for col, pos in mapping.positions.items():
        name, dtype = group.schema[pos]
        values[col] = parquet_text(ident(name), dtype)
    files = "[" + ", ".join(literal(str(p)) for p in group.paths) + "]"
    if len(group.paths) == 1:
        source = literal(first)
    else:
        whens = " ".join(f"WHEN {literal(str(p))} THEN {literal(rels[p])}" for p in group.paths)
        source = f"CASE filename {whens} END"
    line = "file_row_number + 2"
    return mapping, f"SELECT {part_select(table, values, source, line)} FROM read_parquet({files})"


def run_parquet(
    con: duckdb.DuckDBPyConnection, sql: str, group: ParquetGroup, rels: dict[Path, str]
) -> int:
    """Run a statement that reads a group's files (its first value: a row count); a damaged file
    stops the build, naming the file."""
    problem = None
    try:
        (rows, *_) = con.execute(sql).fetchone()
    except duckdb.Error as exc:
        # name the damaged file when DuckDB's message does (the message itself is not shown)
        text = str(exc)
        bad = next((p for p in group.paths if str(p) in text), None)
        problem = (rels[bad or group.paths[0]], "không đọc được tệp Parquet (tệp hỏng)")
    if problem:
        raise InputError(*problem)
    return rows


def check_parquet(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    select: str,
    group: ParquetGroup,
    rels: dict[Path, str],
) -> int:
    """Read a group's SELECT through once, every value of it (a damaged file stops the build
    now, not in the SQL stage); returns its row count."""
    taken = ", ".join(f"count({ident(c)})" for c in (*table.column_names, "_source", "_line"))
    return run_parquet(con, f"SELECT count(*), {taken} FROM ({select})", group, rels)


def parquet_text(col: str, dtype: str) -> str:
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
