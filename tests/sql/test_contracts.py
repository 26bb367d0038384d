"""Contracts (queries/**/<table>.yml) and the checks generated from them, on hand-made tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from minhbach.errors import InvariantError
from minhbach.sql import contracts, runner

HERE = Path(__file__).resolve().parent / "contracts"
UNITS = HERE / "units.yml"
BANDS = HERE / "bands.yml"


def test_a_contract_loads_as_typed_fields():
    c = contracts.load(UNITS)
    assert (c.table, c.grain, c.key) == ("units", "một đơn vị trong một kỳ", ("unit_id", "period"))
    assert c.description == "Một bảng nhỏ cho các kiểm tra sinh từ hợp đồng ({rule_set})."
    assert c.publish == contracts.Publish("don_vi", 2, ("unit_id", "period"))
    assert c.column_names == ("unit_id", "period", "level", "band", "score", "note")
    assert c.column("score").type == "number" and c.column("note").type is None
    assert c.column("level").tests == (
        contracts.Test("not_null"),
        contracts.Test("accepted_values", values=("province", "department")),
    )
    assert c.column("band").tests == (
        contracts.Test("accepted_values", table="bands", column="label"),
    )
    assert c.column("score").tests == (contracts.Test("range", min=0, max=100),)
    assert contracts.load(BANDS).publish is None


def test_a_download_may_require_an_input(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text(
        "table: t\npublish: {name: x, order: 1, requires_input: portal}\ncolumns: [{name: a}]",
        encoding="utf-8",
    )
    assert contracts.load(path).publish == contracts.Publish("x", 1, (), "portal")
    assert contracts.load(UNITS).publish.requires_input is None


def test_the_project_contracts_load():
    found = contracts.find()
    assert {"seed_groups", "seed_rule_set"} <= set(found)
    assert all(c.path.name.endswith(".yml") for c in found.values())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- just a list", "phải là một bảng YAML"),
        ("table: t\ncolumns: [{name: a}]\ncolumn: []", "khóa không biết ['column']"),
        ("columns: [{name: a}]", "table phải là một chuỗi"),
        ("table: t\ncolumns: []", "columns phải là một danh sách cột"),
        ("table: t\ncolumns: [{name: a, typ: string}]", "cột a: khóa không biết ['typ']"),
        ("table: t\ncolumns: [{name: a, type: text}]", "cột a: type 'text' không hợp lệ"),
        ("table: t\ncolumns: [{name: a}, {name: a}]", "cột lặp lại: a"),
        ("table: t\nkey: [b]\ncolumns: [{name: a}]", "key có cột không có trong columns: ['b']"),
        ("table: t\ncolumns: [{name: a, tests: [unique_key]}]", "kiểm tra không biết 'unique_key'"),
        ("table: t\ncolumns: [{name: a, tests: [{range: {}}]}]", "range cần min và/hoặc max"),
        ("table: t\ncolumns: [{name: a, tests: [{range: {min: 2, max: 1}}]}]", "min lớn hơn max"),
        ("table: t\ncolumns: [{name: a, tests: [{accepted_values: []}]}]", "accepted_values là"),
        ("table: t\npublish: {name: x, order: one}\ncolumns: [{name: a}]", "order phải là"),
        ("table: t\npublish: {name: x, order: 1, order_by: [b]}\ncolumns: [{name: a}]", "['b']"),
        ("table: t\ncolumns: [{name: a}]\n  bad: [", "không đọc được"),
        (
            "table: t\npublish: {name: x, order: 1, requires_input: [a]}\ncolumns: [{name: a}]",
            "requires_input phải là tên một đầu vào",
        ),
    ],
)
def test_a_wrong_contract_is_an_error_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "t.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvariantError) as info:
        contracts.load(path)
    assert str(info.value).startswith(f"{path}: ")
    assert problem in str(info.value)


def test_two_contracts_of_one_table_are_an_error(tmp_path):
    (tmp_path / "marts").mkdir()
    shutil.copy(UNITS, tmp_path / "marts" / "units.yml")
    shutil.copy(UNITS, tmp_path / "marts" / "units_again.yml")
    with pytest.raises(InvariantError, match="bảng units đã có hợp đồng"):
        contracts.find(tmp_path)


# --------------------------------------------------------------------------------------------
# Generated checks


def tables() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table bands (label varchar, min_score double)")
    con.execute("insert into bands values ('Tốt', 80), ('Yếu', 0)")
    con.execute(
        "create table units (unit_id varchar, period varchar, level varchar, band varchar, "
        "score double, note varchar)"
    )
    con.execute(
        "insert into units values ('A', '2026-03', 'province', 'Tốt', 85.5, null), "
        "('B', '2026-03', 'department', null, null, 'x')"
    )
    return con


def problems(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every generated check with a violation: its name and its problems."""
    found = {"units": contracts.load(UNITS), "bands": contracts.load(BANDS)}
    out = {}
    for check in contracts.all_checks(found):
        rows = con.execute(f"select problem from ({check.sql}) order by 1").fetchall()
        if rows:
            out[check.name] = [r[0] for r in rows]
    return out


def test_valid_tables_pass_every_generated_check():
    assert problems(tables()) == {}


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (
            "insert into units values ('A', '2026-03', 'province', null, null, null)",
            {"units.key.unique": ["units (unit_id, period) (unique): khóa A, 2026-03 có 2 dòng"]},
        ),
        (
            "update units set period = null where unit_id = 'B'",
            {"units.period.not_null": ["units.period (not_null): trống (dòng unit_id=B, period=)"]},
        ),
        (
            "update units set level = null where unit_id = 'B'",
            {
                "units.level.not_null": [
                    "units.level (not_null): trống (dòng unit_id=B, period=2026-03)"
                ]
            },
        ),
        (
            "update units set level = 'commune' where unit_id = 'B'",
            {
                "units.level.accepted_values": [
                    "units.level (accepted_values): giá trị commune không được phép "
                    "(dòng unit_id=B, period=2026-03)"
                ]
            },
        ),
        (
            "update units set band = 'Khá' where unit_id = 'B'",
            {
                "units.band.accepted_values": [
                    "units.band (accepted_values): giá trị Khá không có trong bands.label "
                    "(dòng unit_id=B, period=2026-03)"
                ]
            },
        ),
        (
            "update units set score = 100.5 where unit_id = 'A'",
            {
                "units.score.range": [
                    "units.score (range): 100.5 ngoài khoảng [0, 100] "
                    "(dòng unit_id=A, period=2026-03)"
                ]
            },
        ),
        (
            "insert into bands values ('Tốt', 90)",
            {"bands.label.unique": ["bands.label (unique): giá trị Tốt có 2 dòng"]},
        ),
        (
            "update bands set min_score = -1 where label = 'Yếu'",
            {"bands.min_score.range": ["bands.min_score (range): -1.0 ngoài khoảng [0, ]"]},
        ),
        (
            "alter table units add column extra integer",
            {"units.columns": ["units: cột extra có trong bảng nhưng không có trong units.yml"]},
        ),
        (
            "alter table units drop column note",
            {"units.columns": ["units: cột note có trong units.yml nhưng không có trong bảng"]},
        ),
    ],
)
def test_each_violation_is_one_line_naming_table_column_and_test(breakage, expected):
    con = tables()
    con.execute(breakage)
    assert problems(con) == expected


def test_the_runner_runs_the_generated_checks_after_the_others(tmp_path):
    (tmp_path / "marts").mkdir()
    shutil.copy(UNITS, tmp_path / "marts" / "units.yml")
    shutil.copy(BANDS, tmp_path / "marts" / "bands.yml")
    (tmp_path / "marts" / "bands.sql").write_text(
        "-- reads:\nselect * from (values ('Tốt', 80.0)) as t (label, min_score)\n", "utf-8"
    )
    (tmp_path / "marts" / "units.sql").write_text(
        "-- reads:\nselect 'A' as unit_id, '2026-03' as period, 'province' as level, "
        "'Tốt' as band, 120.0 as score, null as note\n",
        "utf-8",
    )
    con = duckdb.connect()
    with pytest.raises(InvariantError) as info:
        runner.run(con, root=tmp_path)
    assert str(info.value) == (
        "kiểm tra units.score.range không đạt: units.score (range): 120.0 ngoài khoảng "
        "[0, 100] (dòng unit_id=A, period=2026-03)"
    )
    con.execute("update units set score = 99")
    assert runner.run_checks(con, tmp_path) == len(contracts.all_checks(contracts.find(tmp_path)))
