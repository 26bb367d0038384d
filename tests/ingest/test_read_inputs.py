"""The entry point (minhbach.ingest.read_inputs): the connection is left as it was found,
reading twice replaces the tables; and the names the staging SQL cleans."""

from __future__ import annotations

import duckdb

from minhbach import contract, ingest
from minhbach.sql import runner

from .files import DOSSIER_HEADER, dossier_row, make_dir


def test_leaves_no_helper_tables_and_keeps_settings(tmp_path):
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = true")
    text = DOSSIER_HEADER + "\n" + dossier_row(1) + "\nbroken\n\n" + dossier_row(3) + "\n"
    ingest.read_inputs(con, make_dir(tmp_path, **{"dossiers.csv": text}))
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    expected = {f"raw_{t}" for t in contract.TABLES} | {"raw_rejects", "input_tables"}
    assert names == expected
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)


def test_reading_twice_replaces_the_tables(tmp_path):
    data = make_dir(tmp_path)
    con = duckdb.connect()
    ingest.read_inputs(con, data)
    ingest.read_inputs(con, data)
    assert con.execute("SELECT count(*) FROM raw_dossiers").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM input_tables").fetchone() == (len(contract.TABLES),)


def test_names_lose_control_characters_and_direction_overrides():
    con = duckdb.connect()
    runner.run_macros(con)
    got = con.execute(
        "select clean_name(?), clean_name(?), clean_name(?)",
        ["  Sở \u202eTư\u200f pháp\x07 ", "\u202e\u2066", "Xã Đông\tHòa"],
    ).fetchone()
    assert got == ("Sở Tư pháp", None, "Xã Đông Hòa")
