"""Shared test helpers: build a DuckDB database from small hand-made tables.

Tables are given as lists of dicts with canonical column names and text values, exactly as the
reader would store them (raw_<table>, all VARCHAR); the SQL layers then run on them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from minhbach import contract, portal
from minhbach.config import DEFAULT_BANDS
from minhbach.sql import runner

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_AGENCIES = [
    {"agency_id": "P", "name": "Tỉnh Thử", "level": "province"},
    {"agency_id": "A", "name": "Sở Tư pháp", "level": "department", "parent_id": "P"},
    {"agency_id": "B", "name": "Sở Y tế", "level": "department", "parent_id": "P"},
]
DEFAULT_PROCEDURES = [
    {
        "procedure_id": "1.000001",
        "name": "Thủ tục một",
        "online_level": "full",
        "statutory_days": "10",
        "has_fee": "1",
        "online_payment_enabled": "1",
    },
    {
        "procedure_id": "1.000002",
        "name": "Thủ tục hai",
        "online_level": "none",
        "statutory_days": "5",
    },
]


def load_raw(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    """Create raw_<table> (all contract tables), raw_rejects and input_tables, and the
    portal's raw_portal_* tables, empty (a build without a portal folder)."""
    tables = dict(tables)
    portal.create_empty(con)
    tables.setdefault("agencies", DEFAULT_AGENCIES)
    tables.setdefault("procedures", DEFAULT_PROCEDURES)
    con.execute(
        "CREATE OR REPLACE TABLE raw_rejects "
        "(table_name VARCHAR, _source VARCHAR, _line BIGINT, reason VARCHAR, key VARCHAR)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE input_tables "
        "(table_name VARCHAR, present BOOLEAN, files INTEGER, rows_read BIGINT)"
    )
    for name, table in contract.TABLES.items():
        cols = table.column_names
        col_sql = ", ".join(f'"{c}" VARCHAR' for c in cols)
        con.execute(
            f'CREATE OR REPLACE TABLE "raw_{name}" ({col_sql}, _source VARCHAR, _line BIGINT)'
        )
        rows = tables.get(name)
        for i, row in enumerate(rows or [], start=2):
            unknown = set(row) - set(cols)
            assert not unknown, f"{name}: unknown columns {unknown}"
            values = [None if row.get(c) is None else str(row[c]) for c in cols]
            marks = ", ".join("?" for _ in range(len(cols) + 2))
            con.execute(f'INSERT INTO "raw_{name}" VALUES ({marks})', [*values, f"{name}.csv", i])
        con.execute(
            "INSERT INTO input_tables VALUES (?, ?, ?, ?)",
            [name, rows is not None, 1 if rows is not None else 0, len(rows or [])],
        )


def set_settings(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: str | None = "2026-03-31",
    build_date: str = "2026-11-21",
    second_supplement_is_late: bool = True,
    min_to_handle: int = 1,
) -> None:
    """The settings the SQL reads (getvariable, cfg_bands), as the pipeline sets them; the
    hand-made tables are small, so any unit with a dossier to handle is banded and ranked unless
    a test sets ``min_to_handle``."""
    runner.set_variables(
        con,
        {
            "as_of_arg": as_of,
            "build_date": build_date,
            "second_supplement_is_late": second_supplement_is_late,
            "province_name": "Tỉnh Thử",
            "rule_set": "qd766-v1",
            "official_score_tolerance": 1.0,
            "min_to_handle": min_to_handle,
        },
    )
    runner.set_bands(con, DEFAULT_BANDS)


def build_db(
    tables: dict[str, list[dict]],
    *,
    layers: tuple[str, ...] = runner.TABLE_LAYERS,
    **settings,
) -> duckdb.DuckDBPyConnection:
    """The hand-made raw tables, then the SQL of ``layers`` (no checks); ``settings``: those of
    :func:`set_settings`."""
    con = duckdb.connect()
    load_raw(con, tables)
    set_settings(con, **settings)
    runner.run(con, layers=layers)
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@pytest.fixture
def db():
    return build_db
