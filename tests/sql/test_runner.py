"""The runner: declared reads verified and followed, tables dropped after their last reader."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import load_raw, set_settings

from minhbach.config import DEFAULT_BANDS
from minhbach.errors import InvariantError
from minhbach.sql import runner


def write(root: Path, layer: str, name: str, reads: str | None, sql: str, *, view=False) -> None:
    """queries/<layer>/<name>.sql with a header, its reads line (None: none) and its SQL."""
    folder = root / layer
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"-- One row per thing of {name}."]
    if reads is not None:
        lines.append(f"-- reads: {reads}".rstrip())
    if view:
        lines.append("-- materialize: view")
    (folder / f"{name}.sql").write_text("\n".join([*lines, sql, ""]), encoding="utf-8")


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    found = con.execute("select table_name from information_schema.tables").fetchall()
    return {r[0] for r in found}


# --------------------------------------------------------------------------------------------
# Order


def test_each_file_runs_after_what_it_reads_layer_by_layer(tmp_path):
    # Alphabetical order would run a_total before z_base and facts' b before staging's c.
    write(tmp_path, "staging", "c_raw", "", "select 1 as n")
    write(tmp_path, "facts", "a_total", "z_base", "select sum(n) as n from z_base")
    write(tmp_path, "facts", "z_base", "c_raw", "select n + 1 as n from c_raw")
    write(tmp_path, "marts", "b_mart", "a_total, c_raw", "select a_total.n from a_total, c_raw")
    write(tmp_path, "checks", "b_ok", "b_mart", "select 'x' as problem from b_mart where n <> 2")
    con = duckdb.connect()
    timings = runner.run(con, root=tmp_path)
    assert list(timings) == ["staging/c_raw", "facts/z_base", "facts/a_total", "marts/b_mart"]
    assert con.execute("select n from b_mart").fetchone() == (2,)


def test_among_files_ready_together_the_order_is_by_name(tmp_path):
    for name in ("m", "b", "x", "a"):
        write(tmp_path, "marts", name, "", f"select '{name}' as n")
    order = [s.name for s in runner.plan(duckdb.connect(), tmp_path)]
    assert order == ["a", "b", "m", "x"]


def test_a_file_marked_as_a_view_becomes_a_view(tmp_path):
    write(tmp_path, "facts", "t_big", "", "select range as n from range(3)", view=True)
    write(tmp_path, "facts", "t_sum", "t_big", "select sum(n) as s from t_big")
    con = duckdb.connect()
    runner.run(con, layers=("facts",), root=tmp_path)
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_name like 't_%'"
        ).fetchall()
    )
    assert kinds == {"t_big": "VIEW", "t_sum": "BASE TABLE"}
    assert con.execute("select s from t_sum").fetchone() == (3,)


def test_only_runs_the_named_tables_of_a_layer(tmp_path):
    write(tmp_path, "marts", "a", "", "select 1 as n")
    write(tmp_path, "marts", "b", "a", "select n from a")
    write(tmp_path, "marts", "c", "", "select 3 as n")
    con = duckdb.connect()
    runner.run(con, root=tmp_path, layers=("marts",), only={"a", "b"})
    assert tables(con) == {"a", "b"}


def test_after_runs_once_a_layer_is_done(tmp_path):
    write(tmp_path, "staging", "s1", "", "select 1 as n")
    write(tmp_path, "staging", "s2", "s1", "select n from s1")
    write(tmp_path, "facts", "f", "s2", "select n from s2")
    con = duckdb.connect()
    seen = []
    runner.run(con, root=tmp_path, after={"staging": lambda: seen.append(sorted(tables(con)))})
    assert seen == [["s1", "s2"]]


# --------------------------------------------------------------------------------------------
# The reads lines, verified


@pytest.mark.parametrize(
    ("reads", "sql", "problem"),
    [
        (None, "select n from base", "cần đúng một dòng '-- reads:' (có 0)"),
        ("base\n-- reads: base", "select n from base", "cần đúng một dòng '-- reads:' (có 2)"),
        ("", "select n from base", "đọc base mà dòng '-- reads:' không nêu"),
        ("base, other", "select n from base", "khai báo đọc other nhưng SQL không nhắc đến"),
        ("base, nowhere", "select n from base, nowhere", "đọc nowhere: không có bảng"),
        ("base, later", "select n from base, later", "đọc later của tầng marts, sau tầng facts"),
        ("base, x", "select n from base, x", "đọc chính nó (x)"),
        ("base, Base", "select n from base", "tên không hợp lệ"),
    ],
)
def test_a_wrong_reads_line_is_an_error_naming_the_file(tmp_path, reads, sql, problem):
    write(tmp_path, "staging", "base", "", "select 1 as n")
    write(tmp_path, "marts", "later", "", "select 2 as n")
    write(tmp_path, "facts", "x", reads, sql)
    with pytest.raises(InvariantError) as info:
        runner.run(duckdb.connect(), root=tmp_path)
    assert str(info.value).startswith("queries/facts/x.sql: ")
    assert problem in str(info.value)


def test_names_in_strings_and_comments_are_not_reads(tmp_path):
    write(tmp_path, "staging", "base", "", "select 1 as n")
    sql = "select 'base' as t, n /* base */ from (select 1 as n) -- base\n"
    write(tmp_path, "facts", "x", "", sql)
    runner.run(duckdb.connect(), root=tmp_path)


def test_a_table_already_in_the_database_is_a_known_name(tmp_path):
    con = duckdb.connect()
    con.execute("create table raw_things as select 1 as n")
    write(tmp_path, "staging", "stg_things", "", "select n from raw_things")
    with pytest.raises(InvariantError, match="đọc raw_things mà"):
        runner.run(con, root=tmp_path)
    write(tmp_path, "staging", "stg_things", "raw_things", "select n from raw_things")
    runner.run(con, root=tmp_path)
    assert con.execute("select n from stg_things").fetchone() == (1,)


def test_files_reading_each_other_in_a_circle_are_an_error(tmp_path):
    write(tmp_path, "facts", "a", "b", "select * from b")
    write(tmp_path, "facts", "b", "a", "select * from a")
    with pytest.raises(InvariantError, match="vòng: queries/facts/a.sql, queries/facts/b.sql"):
        runner.run(duckdb.connect(), root=tmp_path)


def test_a_table_of_a_layer_not_run_must_exist(tmp_path):
    write(tmp_path, "staging", "base", "", "select 1 as n")
    write(tmp_path, "facts", "x", "base", "select n from base")
    with pytest.raises(InvariantError, match="queries/facts/x.sql: đọc base, chưa có"):
        runner.run(duckdb.connect(), root=tmp_path, layers=("facts",))


def test_a_file_of_a_layer_not_run_is_verified_too(tmp_path):
    write(tmp_path, "staging", "base", "", "select 1 as n")
    write(tmp_path, "marts", "m", "", "select n from base")
    with pytest.raises(InvariantError, match="queries/marts/m.sql"):
        runner.run(duckdb.connect(), root=tmp_path, layers=("staging",))


def test_every_file_of_the_project_declares_its_reads():
    con = duckdb.connect()
    load_raw(con, {})
    runner.set_bands(con, DEFAULT_BANDS)
    steps = runner.plan(con)
    assert {s.layer for s in steps} == set(runner.LAYERS)


# --------------------------------------------------------------------------------------------
# Drops after the last reader


def chain(root: Path) -> None:
    """raw (in the database) -> s -> v (view) -> f -> m, and k read by Python."""
    write(root, "staging", "s", "raw", "select n from raw")
    write(root, "facts", "v", "s", "select n from s", view=True)
    write(root, "facts", "f", "v", "select n from v")
    write(root, "marts", "k", "s", "select n from s")
    write(root, "marts", "m", "f", "select n from f")


def test_each_table_goes_after_its_last_reader_through_views(tmp_path):
    chain(tmp_path)
    con = duckdb.connect()
    con.execute("create table raw as select 1 as n")
    seen = {}
    snapshot = lambda label: seen.update({label: tables(con)})  # noqa: E731
    runner.run(con, root=tmp_path, keep={"k", "m"}, progress=snapshot)
    # When each step has just run (its own drops not yet done):
    assert seen["staging/s"] == {"raw", "s"}  # raw goes after s, its only reader
    assert seen["facts/f"] == {"s", "v", "f"}  # s is read through v (by f) and by k
    assert seen["marts/k"] == {"s", "f", "k"}  # v went with f, its last reader
    assert seen["marts/m"] == {"f", "k", "m"}  # s went after k
    assert tables(con) == {"k", "m"}


def test_a_kept_view_keeps_what_it_reads(tmp_path):
    chain(tmp_path)
    con = duckdb.connect()
    con.execute("create table raw as select 1 as n")
    runner.run(con, root=tmp_path, keep={"k", "m", "v"})
    assert tables(con) == {"k", "m", "v", "s"}
    assert con.execute("select n from v").fetchone() == (1,)


def test_without_keep_nothing_is_dropped(tmp_path):
    chain(tmp_path)
    con = duckdb.connect()
    con.execute("create table raw as select 1 as n")
    runner.run(con, root=tmp_path)
    assert tables(con) == {"raw", "s", "v", "f", "k", "m"}


def test_a_table_nothing_reads_is_an_error_when_keeping(tmp_path):
    chain(tmp_path)
    con = duckdb.connect()
    con.execute("create table raw as select 1 as n")
    with pytest.raises(InvariantError, match="đọc: k"):
        runner.run(con, root=tmp_path, keep={"m"})


def test_checks_read_tables_too(tmp_path):
    chain(tmp_path)
    write(tmp_path, "checks", "f_positive", "f", "select 'f' as problem from f where n < 1")
    con = duckdb.connect()
    con.execute("create table raw as select 1 as n")
    seen = {}
    snapshot = lambda label: seen.update({label: tables(con)})  # noqa: E731
    runner.run(con, root=tmp_path, keep={"k", "m"}, progress=snapshot)
    assert "f" in seen["marts/m"] and tables(con) == {"k", "m"}


def test_the_build_drops_at_least_as_early_as_the_prefix_rules_did():
    """Before the runner dropped tables, the pipeline dropped raw_* (but raw_rejects) after
    staging, stg_dossiers after the facts, and every fct_* and stg_* but stg_procedures after
    the checks. Each of those is gone by then now."""
    from minhbach import pipeline

    con = duckdb.connect()
    load_raw(con, {})
    set_settings(con)
    keep = pipeline.tables_read_after_sql()
    seen = {}

    def snapshot(layer: str):
        return lambda: seen.update({layer: tables(con)})

    runner.run(con, keep=keep, after={"staging": snapshot("staging"), "facts": snapshot("facts")})
    assert not {t for t in seen["staging"] if t.startswith("raw_") and t != "raw_rejects"}
    assert "stg_dossiers" not in seen["facts"]
    left = {t for t in tables(con) if t.startswith(("fct_", "stg_"))}
    assert left <= {"stg_procedures"}
    assert tables(con) <= keep
    assert {"dim_agencies", "scores_766", "quarantine", "input_quality"} <= tables(con)


# --------------------------------------------------------------------------------------------
# Checks


def test_a_violation_stops_with_the_check_and_its_first_problem(tmp_path):
    write(tmp_path, "marts", "m", "", "select * from range(5) as t (n)")
    sql = "select 'n = ' || n || ' is odd' as problem from m where n % 2 = 1 order by n"
    write(tmp_path, "checks", "m_even", "m", sql)
    con = duckdb.connect()
    with pytest.raises(InvariantError) as info:
        runner.run(con, root=tmp_path)
    assert str(info.value) == "kiểm tra m_even không đạt: n = 1 is odd (và 1 vi phạm khác)"
    con.execute("delete from m where n % 2 = 1")
    assert runner.run_checks(con, tmp_path) == 1
    assert runner.check_problems(con, "m_even", tmp_path) == []
