"""Seeds: the constants of ``queries/seeds/*.csv`` (rule sets, groups, labels) as tables.

``<stem>.csv`` becomes the table ``seed_<stem>``, except the rule sets: every
``rule_set_<name>.csv`` goes into the one table ``seed_rule_set`` (its ``rule_set`` column names
the rule set: one value per file, the file's name with ``-`` written ``_``; SQL picks the build's
with ``where rule_set = getvariable('rule_set')``). The files are UTF-8 CSV with a header row;
an empty cell is NULL. Column types come from the seed's contract (``queries/seeds/<...>.yml``
whose ``table`` is the seed's table; its columns are the file's header, in order); a seed
without a contract has the types DuckDB's CSV sniffer infers (give one a contract when text
could read as a number, like indicator codes ``1.1``).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import duckdb

from ..errors import InvariantError
from . import QUERIES_DIR
from .contracts import Contract
from .contracts import find as find_contracts
from .quote import ident, literal

SEEDS_DIR = QUERIES_DIR / "seeds"
RULE_SET_PREFIX = "rule_set_"
RULE_SET_TABLE = "seed_rule_set"
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "INTEGER",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}


def seed_files(seeds_dir: Path = SEEDS_DIR) -> dict[str, list[Path]]:
    """The seed tables and their files: ``seed_<stem>``, and ``seed_rule_set`` for every
    ``rule_set_<name>.csv``."""
    tables: dict[str, list[Path]] = {}
    for path in sorted(seeds_dir.glob("*.csv")) if seeds_dir.is_dir() else []:
        rule_set = path.stem.startswith(RULE_SET_PREFIX)
        tables.setdefault(RULE_SET_TABLE if rule_set else f"seed_{path.stem}", []).append(path)
    return tables


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(QUERIES_DIR.parent))
    except ValueError:
        return str(path)


def _header_and_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvariantError(f"{_shown(path)}: không đọc được ({type(exc).__name__})") from None


def rule_set_names(seeds_dir: Path = SEEDS_DIR, *, recomputable: bool = False) -> tuple[str, ...]:
    """The rule sets the seeds define, sorted (the ``rule_set`` of each rule-set file). With
    ``recomputable``, only those the build computes from dossier exports: every row of the file
    has ``recomputable`` true (a rule set whose SQL is not written yet is in the seeds for the
    portal's checks, and cannot be chosen in the config)."""
    names = []
    for path in seed_files(seeds_dir).get(RULE_SET_TABLE, []):
        name, rows = _rule_set_file(path)
        if not recomputable or all(_true(r.get("recomputable")) for r in rows):
            names.append(name)
    return tuple(sorted(names))


def _true(cell: str | None) -> bool:
    return (cell or "").strip().lower() == "true"


def _rule_set_name(path: Path) -> str:
    return _rule_set_file(path)[0]


def _rule_set_file(path: Path) -> tuple[str, list[dict[str, str]]]:
    """The one ``rule_set`` value of a rule-set file, which its file name spells with ``_``,
    and its rows."""
    header, rows = _header_and_rows(path)
    names = {r.get("rule_set") for r in rows}
    if not header or header[0] != "rule_set" or len(names) != 1:
        raise InvariantError(
            f"{_shown(path)}: cột đầu tiên phải là rule_set, cùng một giá trị ở mọi dòng"
        )
    (name,) = names
    if not name or name.replace("-", "_") != path.stem.removeprefix(RULE_SET_PREFIX):
        raise InvariantError(
            f"{_shown(path)}: rule_set {name!r} không khớp tên tệp "
            f"({RULE_SET_PREFIX}<rule_set, '-' viết '_'>.csv)"
        )
    return name, rows


def _columns(path: Path, contract: Contract | None) -> str | None:
    """The read_csv ``columns`` argument from the contract (None: inferred); the file's header
    must be the contract's columns, in order."""
    header, _ = _header_and_rows(path)
    if contract is None:
        return None
    if header != list(contract.column_names):
        raise InvariantError(
            f"{_shown(path)}: tiêu đề {', '.join(header)} khác các cột của "
            f"{_shown(contract.path)} ({', '.join(contract.column_names)})"
        )
    untyped = [c.name for c in contract.columns if c.type is None]
    if untyped:
        raise InvariantError(f"{_shown(contract.path)}: cột {', '.join(untyped)} thiếu type")
    pairs = ", ".join(f"{literal(c.name)}: {literal(SQL_TYPES[c.type])}" for c in contract.columns)
    return "{" + pairs + "}"


def _read_sql(paths: list[Path], columns: str | None) -> str:
    files = "[" + ", ".join(literal(str(p)) for p in paths) + "]"
    options = "header = true, delim = ',', quote = '\"', escape = '\"', encoding = 'utf-8'"
    if columns:
        options += f", auto_detect = false, columns = {columns}"
    return f"select * from read_csv({files}, {options})"


def load(
    con: duckdb.DuckDBPyConnection,
    seeds_dir: Path = SEEDS_DIR,
    contracts: Mapping[str, Contract] | None = None,
) -> list[str]:
    """Create every seed table (replacing any of the same name); returns their names. Types
    come from ``contracts`` (default: the contracts under the seeds folder's parent, queries/)."""
    if contracts is None:
        contracts = find_contracts(seeds_dir.parent)
    made = []
    for table, paths in seed_files(seeds_dir).items():
        if table == RULE_SET_TABLE:
            names = [_rule_set_name(p) for p in paths]
            if len(set(names)) != len(names):
                raise InvariantError(f"{_shown(seeds_dir)}: hai tệp cùng một rule_set")
        (columns, *_) = [_columns(p, contracts.get(table)) for p in paths]
        try:
            con.execute(f"CREATE OR REPLACE TABLE {ident(table)} AS {_read_sql(paths, columns)}")
        except duckdb.Error as exc:
            path, problem = _broken(con, paths, columns) or (paths[0], exc)
            problem = str(problem).splitlines()[0]
            raise InvariantError(f"{_shown(path)}: không nạp được ({problem})") from None
        made.append(table)
    return made


def _broken(
    con: duckdb.DuckDBPyConnection, paths: list[Path], columns: str | None
) -> tuple[Path, duckdb.Error] | None:
    """The first of several files of one seed table that does not load alone, and why."""
    for path in paths:
        try:
            con.execute(_read_sql([path], columns)).fetchall()  # every value converted
        except duckdb.Error as exc:
            return path, exc
    return None
