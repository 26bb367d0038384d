"""The data package of /du-lieu/: its Frictionless descriptor and its zip."""

from __future__ import annotations

import json
import zipfile

import duckdb
import frictionless

from minhbach.publish import datapackage
from minhbach.sql import runner

from .handmade import SPEC_KEY_COLUMNS, ZIP


def test_datapackage_validates_with_frictionless(built):
    _con, out, infos = built
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "minhbach-tinh-minh-hoa"
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == "2026-04-01"
    assert descriptor["created"] == "2026-04-01T06:30:00+07:00"
    assert "giả lập" in descriptor["title"]
    assert [r["name"] for r in descriptor["resources"]] == list(SPEC_KEY_COLUMNS)
    apm = descriptor["resources"][0]
    fields = {f["name"]: f["type"] for f in apm["schema"]["fields"]}
    assert fields["received_new"] == "integer" and fields["on_time_pct"] == "number"
    assert fields["complete"] == "boolean" and fields["avg_days"] == "number"
    assert apm["schema"]["primaryKey"] == ["agency_id", "period", "period_type"]
    assert all(f["description"] for r in descriptor["resources"] for f in r["schema"]["fields"])
    agencies = descriptor["resources"][4]
    types = {f["name"]: f["type"] for f in agencies["schema"]["fields"]}
    assert types["valid_from"] == "date"
    assert "primaryKey" not in descriptor["resources"][5]["schema"]
    assert {i.name: i.rows for i in infos}["quarantine"] == 3


def test_zip_is_the_data_package_sorted_with_fixed_times(built):
    _con, out, infos = built
    with zipfile.ZipFile(out / ZIP) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        # The descriptor and the files it names (every table's CSV), nothing else.
        expected = sorted([f"{i.name}.csv" for i in infos] + ["datapackage.json"])
        assert names == expected
        descriptor = json.loads(zf.read("datapackage.json"))
        paths = sorted(r["path"] for r in descriptor["resources"])
        assert paths == [n for n in names if n != "datapackage.json"]
        assert {e.date_time for e in zf.infolist()} == {(2026, 4, 1, 6, 30, 0)}
        assert zf.read("agencies.csv") == (out / "agencies.csv").read_bytes()


def test_gzipped_table_in_descriptor_and_zip(gz_built):
    big, _plain, out, infos = gz_built
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert rows[big] == {i.name: i.rows for i in infos}[big]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in descriptor["resources"]}
    assert res[big]["path"] == f"{big}.csv.gz"
    assert (res[big]["compression"], res[big]["format"]) == ("gz", "csv")
    assert sum("compression" in r for r in res.values()) == 1
    with zipfile.ZipFile(out / ZIP) as zf:
        entry = zf.getinfo(f"{big}.csv.gz")
        assert entry.compress_type == zipfile.ZIP_STORED
        assert zf.read(entry) == (out / f"{big}.csv.gz").read_bytes()


def test_the_package_is_named_by_the_slug_rule_of_unit_addresses():
    con = duckdb.connect()
    runner.run_macros(con)
    name = datapackage.package_name(con, "Tỉnh Minh Họa (giả lập)")
    assert name == "minhbach-tinh-minh-hoa-gia-lap"
    assert datapackage.package_name(con, "Đắk Lắk") == "minhbach-dak-lak"
    assert datapackage.package_name(con, "***") == "minhbach-du-lieu"


def test_the_page_lists_no_package_files_before_they_are_written(tmp_path, built):
    _con, out, _infos = built
    assert datapackage.package_files(tmp_path) == []
    names = [f.name for f in datapackage.package_files(out)]
    assert names == ["datapackage.json", ZIP]
