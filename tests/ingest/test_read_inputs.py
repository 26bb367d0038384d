"""The entry point (minhbach.ingest.read_inputs): the connection is left as it was found,
reading twice replaces the tables; and the names the staging SQL cleans."""

from __future__ import annotations

import json

import duckdb
import pytest

from minhbach import contract, ingest, portal
from minhbach.errors import InputError
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
    assert names == expected | set(portal.TABLES)  # the portal's, empty: no portal/ folder
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


NATIONAL = {
    "overview": {"departmentName": "Cả nước", "departmentCode": None, "totalScore": 50},
    "evaluation": [
        {"departmentCode": "H98", "departmentName": "Tỉnh Một", "totalScore": 60},
        {"departmentCode": "H99", "departmentName": "Tỉnh Hai", "totalScore": 40},
    ],
}


def test_without_a_portal_folder_the_portal_tables_are_empty_and_not_an_input(tmp_path):
    con = duckdb.connect()
    report = ingest.read_inputs(con, make_dir(tmp_path))
    assert report.portal is None
    for table, columns in portal.TABLES.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        described = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert described == [name for name, _ in columns]
    names = [r[0] for r in con.execute("SELECT table_name FROM input_tables").fetchall()]
    assert names == list(contract.TABLES)


def test_a_portal_folder_is_read_and_counted_as_an_input(tmp_path):
    data = make_dir(tmp_path)
    (data / "portal").mkdir()
    (data / "portal" / "toan-quoc.json").write_text(json.dumps(NATIONAL), encoding="utf-8")
    (data / "portal" / "manifest.csv").write_text(
        "file,captured_at,time_type,year,period\ntoan-quoc.json,2026-09-17 10:40,year,2026,\n",
        encoding="utf-8",
    )
    con = duckdb.connect()
    report = ingest.read_inputs(con, data)
    assert [f.file for f in report.portal.files] == ["toan-quoc.json"]
    assert con.execute("SELECT count(*) FROM raw_portal_scores").fetchone() == (3,)
    # one JSON file; three unit rows: the country and two provinces
    assert con.execute(
        "SELECT present, files, rows_read FROM input_tables WHERE table_name = 'portal'"
    ).fetchall() == [(True, 1, 3)]


def _portal_only(tmp_path):
    """A data folder with the portal's files and no export table."""
    data = tmp_path / "data"
    (data / "portal").mkdir(parents=True)
    (data / "portal" / "toan-quoc.json").write_text(json.dumps(NATIONAL), encoding="utf-8")
    (data / "portal" / "manifest.csv").write_text(
        "file,captured_at,time_type,year,period\ntoan-quoc.json,2026-09-17 10:40,year,2026,\n",
        encoding="utf-8",
    )
    return data


def test_a_folder_with_only_the_portals_files_is_read_with_every_export_absent(tmp_path):
    con = duckdb.connect()
    ingest.read_inputs(con, _portal_only(tmp_path))
    present = dict(con.execute("SELECT table_name, present FROM input_tables").fetchall())
    assert present == {**{name: False for name in contract.TABLES}, "portal": True}
    assert con.execute("SELECT count(*) FROM raw_agencies").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raw_portal_scores").fetchone() == (3,)


def test_the_portal_folder_may_be_elsewhere(tmp_path):
    data = _portal_only(tmp_path)
    elsewhere = tmp_path / "captures"
    (data / "portal").rename(elsewhere)
    con = duckdb.connect()
    ingest.read_inputs(con, data, portal_dir=elsewhere)
    assert con.execute("SELECT count(*) FROM raw_portal_scores").fetchone() == (3,)


def test_an_export_with_a_required_table_missing_still_stops_even_with_portal_files(tmp_path):
    data = _portal_only(tmp_path)
    (data / "dossiers.csv").write_text(DOSSIER_HEADER + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="^agencies: thiếu bảng bắt buộc"):
        ingest.read_inputs(duckdb.connect(), data)


def test_a_folder_with_neither_exports_nor_portal_files_names_the_missing_table(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="^agencies: thiếu bảng bắt buộc"):
        ingest.read_inputs(duckdb.connect(), tmp_path / "empty")
