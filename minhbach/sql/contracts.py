"""The contract beside a table (``queries/**/<table>.yml``) and the checks generated from it.

A contract gives a table's grain, key, whether and how it is published, and every column with
its type, its Vietnamese description and its tests::

    table: scores_766
    title: "…"
    description: >-
      … (may name settings: {rule_set}, {official_score_tolerance}, …)
    grain: "một đơn vị trong một kỳ"
    key: [agency_id, period, period_type]
    publish: {name: scores_766, order: 3, order_by: [agency_id, period_type, period]}
    # publish: {…, requires_input: portal}: published only by a build that has that input
    # (a row of input_quality: a contract table, or portal)
    columns:
      - name: total_100
        type: number
        description: "…"
        tests: [not_null, {range: {min: 0, max: 100}}, {accepted_values: [a, b]},
                {accepted_values: {table: cfg_bands, column: label}}]

Tests: ``not_null``; ``unique`` (on the key: ``key`` implies it, with not_null on each key
column); ``accepted_values`` (a list, or the values of a column of another table); ``range``
(``min`` and/or ``max``, inclusive). Each generated check returns one line per violation naming
the table, the column and the test, like the hand-written checks of ``queries/checks/``; one more
check compares the table's columns with the contract's (either side having a column the other
lacks is a violation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvariantError
from . import QUERIES_DIR
from .quote import ident, literal

TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
TEST_KINDS = ("not_null", "unique", "accepted_values", "range")
_NAME = re.compile(r"[a-z_][a-z0-9_]*", re.I)
_TOP_KEYS = {"table", "title", "description", "grain", "key", "publish", "columns"}
_COLUMN_KEYS = {"name", "type", "description", "tests"}
_PUBLISH_KEYS = {"name", "order", "order_by", "requires_input"}


@dataclass(frozen=True)
class Test:
    """One test of a column: ``kind`` with its arguments."""

    kind: str
    values: tuple[Any, ...] | None = None  # accepted_values: the list
    table: str | None = None  # accepted_values: the values of table.column
    column: str | None = None
    min: float | None = None  # range, inclusive
    max: float | None = None


@dataclass(frozen=True)
class Column:
    name: str
    type: str | None
    description: str
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Publish:
    name: str  # /du-lieu/<name>.csv|json|parquet
    order: int  # position on /du-lieu/ and in the data package
    order_by: tuple[str, ...]
    requires_input: str | None = None  # published only when the build has this input


@dataclass(frozen=True)
class Contract:
    table: str
    title: str
    description: str
    grain: str
    key: tuple[str, ...]
    publish: Publish | None
    columns: tuple[Column, ...]
    path: Path

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class GeneratedCheck:
    """A check made from a contract: its name, its SQL (one ``problem`` per violation) and the
    tables it reads."""

    name: str
    sql: str
    reads: frozenset[str]
    source: str


def _fail(path: Path, problem: str) -> InvariantError:
    return InvariantError(f"{_shown(path)}: {problem}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(QUERIES_DIR.parent))
    except ValueError:
        return str(path)


def _text(path: Path, where: str, value: Any, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(path, f"{where} phải là một chuỗi")
    return value


def _names(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{where} phải là một danh sách tên cột")
    return tuple(value)


def _number(path: Path, where: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, f"{where} phải là một số")
    return value


def _test(path: Path, column: str, spec: Any) -> Test:
    where = f"cột {column}, tests"
    if isinstance(spec, str):
        if spec not in ("not_null", "unique"):
            known = ", ".join(TEST_KINDS)
            raise _fail(path, f"{where}: kiểm tra không biết {spec!r} (có: {known})")
        return Test(spec)
    if not isinstance(spec, dict) or len(spec) != 1:
        raise _fail(path, f"{where}: mỗi kiểm tra là một tên hoặc {{tên: tham số}}")
    ((kind, args),) = spec.items()
    if kind == "accepted_values":
        if isinstance(args, list) and args:
            return Test(kind, values=tuple(args))
        if isinstance(args, dict) and set(args) == {"table", "column"}:
            table, col = args["table"], args["column"]
            if isinstance(table, str) and _NAME.fullmatch(table) and isinstance(col, str):
                return Test(kind, table=table, column=col)
        raise _fail(path, f"{where}: accepted_values là một danh sách hoặc {{table, column}}")
    if kind == "range":
        if not isinstance(args, dict) or not args or set(args) - {"min", "max"}:
            raise _fail(path, f"{where}: range cần min và/hoặc max")
        low = _number(path, f"{where}: range min", args.get("min"))
        high = _number(path, f"{where}: range max", args.get("max"))
        if low is not None and high is not None and low > high:
            raise _fail(path, f"{where}: range có min lớn hơn max")
        return Test(kind, min=low, max=high)
    raise _fail(path, f"{where}: kiểm tra không biết {kind!r} (có: {', '.join(TEST_KINDS)})")


def _column(path: Path, spec: Any) -> Column:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise _fail(path, "mỗi cột (columns) cần có name")
    name = spec["name"]
    if set(spec) - _COLUMN_KEYS:
        raise _fail(path, f"cột {name}: khóa không biết {sorted(set(spec) - _COLUMN_KEYS)}")
    kind = spec.get("type")
    if kind is not None and kind not in TYPES:
        raise _fail(path, f"cột {name}: type {kind!r} không hợp lệ (có: {', '.join(TYPES)})")
    tests = spec.get("tests") or []
    if not isinstance(tests, list):
        raise _fail(path, f"cột {name}: tests phải là một danh sách")
    return Column(
        name=name,
        type=kind,
        description=_text(path, f"cột {name}: description", spec.get("description")),
        tests=tuple(_test(path, name, t) for t in tests),
    )


def _publish(path: Path, spec: Any, columns: tuple[str, ...]) -> Publish | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or set(spec) - _PUBLISH_KEYS or "name" not in spec:
        raise _fail(path, "publish cần name, order, order_by")
    order = spec.get("order")
    if isinstance(order, bool) or not isinstance(order, int):
        raise _fail(path, "publish: order phải là một số nguyên")
    order_by = _names(path, "publish: order_by", spec.get("order_by"))
    if unknown := sorted(set(order_by) - set(columns)):
        raise _fail(path, f"publish: order_by có cột không có: {unknown}")
    requires = spec.get("requires_input")
    if requires is not None and not (isinstance(requires, str) and _NAME.fullmatch(requires)):
        raise _fail(path, "publish: requires_input phải là tên một đầu vào (ví dụ portal)")
    name = _text(path, "publish: name", spec["name"], required=True)
    return Publish(name, order, order_by, requires)


def load(path: Path) -> Contract:
    """Read and validate one contract; any mistake raises InvariantError naming the file."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(path, f"không đọc được ({type(exc).__name__})") from None
    if not isinstance(spec, dict):
        raise _fail(path, "phải là một bảng YAML (table, columns, …)")
    if set(spec) - _TOP_KEYS:
        raise _fail(path, f"khóa không biết {sorted(set(spec) - _TOP_KEYS)}")
    table = _text(path, "table", spec.get("table"), required=True)
    if not _NAME.fullmatch(table):
        raise _fail(path, f"table {table!r} không phải tên bảng")
    if not isinstance(spec.get("columns"), list) or not spec["columns"]:
        raise _fail(path, "columns phải là một danh sách cột")
    columns = tuple(_column(path, c) for c in spec["columns"])
    names = [c.name for c in columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(path, f"cột lặp lại: {', '.join(repeated)}")
    key = _names(path, "key", spec.get("key"))
    if set(key) - set(names):
        raise _fail(path, f"key có cột không có trong columns: {sorted(set(key) - set(names))}")
    return Contract(
        table=table,
        title=_text(path, "title", spec.get("title")),
        description=_text(path, "description", spec.get("description")),
        grain=_text(path, "grain", spec.get("grain")),
        key=key,
        publish=_publish(path, spec.get("publish"), tuple(names)),
        columns=columns,
        path=path,
    )


def find(root: Path = QUERIES_DIR) -> dict[str, Contract]:
    """Every contract under ``root`` (``**/*.yml``), by table name."""
    found: dict[str, Contract] = {}
    for path in sorted(root.glob("**/*.yml")):
        contract = load(path)
        if contract.table in found:
            other = _shown(found[contract.table].path)
            raise _fail(path, f"bảng {contract.table} đã có hợp đồng ở {other}")
        found[contract.table] = contract
    return found


# --------------------------------------------------------------------------------------------
# Generated checks


def _one_line(expr: str) -> str:
    """A value as text on one line, at most 64 characters (a problem names it)."""
    return f"left(regexp_replace(coalesce(cast({expr} as varchar), ''), '\\s+', ' ', 'g'), 64)"


def _row(contract: Contract) -> str:
    """SQL text naming the row by its key ('' when the table has none)."""
    if not contract.key:
        return "''"
    parts = " || ', ' || ".join(
        f"{literal(k + '=')} || {_one_line(ident(k))}" for k in contract.key
    )
    return f"' (dòng ' || {parts} || ')'"


def _sql_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return literal(str(value))


def _bounds(test: Test) -> str:
    low = "" if test.min is None else f"{test.min:g}"
    high = "" if test.max is None else f"{test.max:g}"
    return f"[{low}, {high}]"


def _check(contract: Contract, name: str, sql: str, reads: Iterable[str] = ()) -> GeneratedCheck:
    """A generated check of ``contract``'s table, named ``<table>.<name>``."""
    return GeneratedCheck(
        f"{contract.table}.{name}", sql, frozenset({contract.table, *reads}), _shown(contract.path)
    )


def _column_check(contract: Contract, column: Column, test: Test) -> GeneratedCheck:
    t, c = ident(contract.table), ident(column.name)
    head = literal(f"{contract.table}.{column.name} ({test.kind}): ")
    value = _one_line(c)
    reads = set()
    if test.kind == "not_null":
        problem, where = f"{head} || 'trống'", f"{c} is null"
    elif test.kind == "range":
        conds = []
        if test.min is not None:
            conds.append(f"{c} < {test.min!r}")
        if test.max is not None:
            conds.append(f"{c} > {test.max!r}")
        problem = f"{head} || {value} || {literal(' ngoài khoảng ' + _bounds(test))}"
        where = " or ".join(conds)
    elif test.values is not None:
        allowed = ", ".join(_sql_value(v) for v in test.values)
        problem = f"{head} || {literal('giá trị ')} || {value} || ' không được phép'"
        where = f"{c} is not null and {c} not in ({allowed})"
    else:
        reads.add(test.table)
        ref = f"select {ident(test.column)} from {ident(test.table)}"
        problem = (
            f"{head} || {literal('giá trị ')} || {value} || "
            f"{literal(f' không có trong {test.table}.{test.column}')}"
        )
        where = f"{c} is not null and {c} not in ({ref})"
    sql = f"select {problem} || {_row(contract)} as problem from {t} where {where}"
    return _check(contract, f"{column.name}.{test.kind}", sql, reads)


def _unique_check(contract: Contract, columns: tuple[str, ...], *, key: bool) -> GeneratedCheck:
    """Rows sharing their values of ``columns``: the key (every row counts), or one column with
    the test ``unique`` (empty values do not)."""
    names = ", ".join(ident(c) for c in columns)
    shown = " || ', ' || ".join(_one_line(ident(c)) for c in columns)
    if key:
        head = literal(f"{contract.table} ({', '.join(columns)}) (unique): khóa ")
        name, where = "key.unique", ""
    else:
        head = literal(f"{contract.table}.{columns[0]} (unique): giá trị ")
        name, where = f"{columns[0]}.unique", f"where {names} is not null "
    sql = (
        f"select {head} || {shown} || ' có ' || count(*) || ' dòng' as problem "
        f"from {ident(contract.table)} {where}group by {names} having count(*) > 1"
    )
    return _check(contract, name, sql)


def _columns_check(contract: Contract) -> GeneratedCheck:
    """The table's columns are the contract's: a column on one side only is a violation."""
    expected = ", ".join(f"({literal(n)})" for n in contract.column_names)
    table = literal(contract.table)
    yml = contract.path.name
    sql = f"""
        with actual as (
            select column_name as name from information_schema.columns
            where table_schema = 'main' and table_name = {table}
        ),
        expected as (select * from (values {expected}) as t (name))
        select {literal(contract.table + ": cột ")} || name
            || {literal(" có trong bảng nhưng không có trong " + yml)} as problem
        from actual where name not in (select name from expected)
        union all
        select {literal(contract.table + ": cột ")} || name
            || {literal(" có trong " + yml + " nhưng không có trong bảng")}
        from expected where name not in (select name from actual)
    """
    return _check(contract, "columns", sql)


def checks(contract: Contract) -> list[GeneratedCheck]:
    """The checks of one contract: its columns, its key, then each column's tests in order."""
    out = [_columns_check(contract)]
    if contract.key:
        out.append(_unique_check(contract, contract.key, key=True))
        out += [
            _column_check(contract, contract.column(k), Test("not_null"))
            for k in contract.key
            if not any(t.kind == "not_null" for t in contract.column(k).tests)
        ]
    for column in contract.columns:
        for test in column.tests:
            if test.kind == "unique":
                out.append(_unique_check(contract, (column.name,), key=False))
            else:
                out.append(_column_check(contract, column, test))
    return out


def all_checks(contracts: Mapping[str, Contract]) -> list[GeneratedCheck]:
    """The generated checks of every contract, by table name."""
    return [check for table in sorted(contracts) for check in checks(contracts[table])]
