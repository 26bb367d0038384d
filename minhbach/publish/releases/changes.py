"""What changed between two releases, computed by DuckDB over their CSVs: rows per table, units
added and removed (agencies by agency_id), the 766 scores that moved (scores_766 rows with the
same agency_id, period and period_type in both whose total_100 differs: a past period revised)
and the periods that came or went; and the old addresses of renamed units.

The SQL is in ``queries/releases/`` (one query per file, with its header and ``-- reads:`` line),
run on a connection of the releases' own: the CSVs are loaded as text into the tables the files
read (``units_before``, ``units_after``, ``scores_before``, ``scores_after``…)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import duckdb

from ...config import ROOT
from ...errors import InputError
from ...sql import runner
from ...sql.quote import literal
from .release import Release

RELEASE_QUERIES = ROOT / "queries" / "releases"
TOP_MOVES = 20  # score moves listed in release.json (all are counted)
LIST_UNITS = 100  # units added / removed listed in release.json (all are counted)
UNIT_COLUMNS = ["agency_id", "name"]
SCORE_COLUMNS = ["agency_id", "agency_name", "period", "period_type", "total_100"]


def query(con: duckdb.DuckDBPyConnection, name: str) -> duckdb.DuckDBPyConnection:
    """Run ``queries/releases/<name>.sql``; its rows are the connection's to fetch."""
    step = runner.parse_file(RELEASE_QUERIES / f"{name}.sql", "releases")
    return con.execute(step.sql)


def read_csv(path: Path) -> str:
    """A downloads CSV (plain or .gz) as text columns (the BOM is skipped by DuckDB)."""
    return (
        f"read_csv({literal(str(path))}, header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"', auto_detect = true)"
    )


def count_rows(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """The rows of a downloads CSV (a row is not a line: a text may hold line breaks)."""
    (rows,) = con.execute(f"SELECT count(*) FROM {read_csv(path)}").fetchone()
    return int(rows)


def load(con: duckdb.DuckDBPyConnection, name: str, path: Path, columns: list[str]) -> None:
    """A release's CSV as the temporary table ``name``, every column text; it must have
    ``columns``."""
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {read_csv(path)}")
    except duckdb.Error as exc:  # its message may quote a line of data: not repeated
        raise InputError(str(path), f"không đọc được tệp CSV ({type(exc).__name__})") from None
    have = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
    missing = [c for c in columns if c not in have]
    if missing:
        raise InputError(str(path), f"thiếu cột {', '.join(missing)}")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def first_changes(tables: Mapping[str, dict]) -> dict:
    """The changes of the first release: its rows, nothing to compare with."""
    return {
        "previous": None,
        "tables": {
            n: {"before": None, "after": t["rows"], "diff": None} for n, t in tables.items()
        },
        "units": None,
        "scores": None,
    }


def changes(
    con: duckdb.DuckDBPyConnection,
    previous: Release,
    current: Mapping[str, Path],
    tables: Mapping[str, dict],
    *,
    as_of: str,
    rule_set: str,
) -> dict:
    """What changed since ``previous`` (whose files are in its folder): ``current`` are the new
    release's CSVs by table, ``tables`` its entries of release.json."""
    if previous.path is None:
        raise ValueError(f"previous release {previous.date} has no files (path)")
    rows = {}
    for name, t in tables.items():
        before = previous.tables.get(name, {}).get("rows")
        rows[name] = {
            "before": before,
            "after": t["rows"],
            "diff": None if before is None else t["rows"] - before,
        }
    before_dir = Path(previous.path)
    return {
        "previous": {"date": previous.date, "as_of": previous.as_of, "rule_set": previous.rule_set},
        "as_of": {"before": previous.as_of, "after": as_of},
        "rule_set": {"before": previous.rule_set, "after": rule_set},
        "tables": rows,
        "units": unit_changes(con, before_dir / "agencies.csv.gz", current["agencies"]),
        "scores": score_changes(con, before_dir / "scores_766.csv.gz", current["scores_766"]),
    }


def unit_changes(con: duckdb.DuckDBPyConnection, before: Path, after: Path) -> dict:
    load(con, "units_before", before, UNIT_COLUMNS)
    load(con, "units_after", after, UNIT_COLUMNS)
    found = query(con, "units_changed").fetchall()
    (n_before, n_after) = query(con, "units_counted").fetchone()
    added = [{"agency_id": i, "name": n} for c, i, n in found if c == "added"]
    removed = [{"agency_id": i, "name": n} for c, i, n in found if c == "removed"]
    return {
        "before": n_before,
        "after": n_after,
        "added_count": len(added),
        "removed_count": len(removed),
        "added": added[:LIST_UNITS],
        "removed": removed[:LIST_UNITS],
    }


def _move(row: tuple) -> dict:
    agency_id, agency_name, period, period_type, before, after, diff = row
    return {
        "agency_id": agency_id,
        "agency_name": agency_name,
        "period": period,
        "period_type": period_type,
        "before": _number(before),
        "after": _number(after),
        "diff": _number(diff),
    }


def score_changes(con: duckdb.DuckDBPyConnection, before: Path, after: Path) -> dict:
    load(con, "scores_before", before, SCORE_COLUMNS)
    load(con, "scores_after", after, SCORE_COLUMNS)
    step = runner.parse_file(RELEASE_QUERIES / "score_moves.sql", "releases")
    con.execute(f"CREATE OR REPLACE TEMP TABLE score_moves AS {step.sql}")
    con.execute("SET VARIABLE release_top_moves = ?", [TOP_MOVES])
    (moved_count, max_abs) = query(con, "score_moves_summary").fetchone()
    top = query(con, "score_moves_top").fetchall()
    (added, removed) = query(con, "score_rows_changed").fetchone()
    periods = query(con, "score_periods_changed").fetchall()
    return {
        "moved_count": int(moved_count),
        "max_abs_diff": _number(max_abs),
        "moved": [_move(r) for r in top],
        "rows_added": int(added),
        "rows_removed": int(removed),
        "new_periods": [{"period": p, "period_type": t} for c, p, t in periods if c == "new"],
        "removed_periods": [
            {"period": p, "period_type": t} for c, p, t in periods if c == "removed"
        ],
    }


def former_slugs(earlier: Iterable[Release], current: Mapping[str, str]) -> dict[str, str]:
    """Old slug -> current slug, for units whose slug changed since an earlier release (a unit
    renamed keeps its old address as a redirect). ``current``: agency_id -> slug now. Slugs used
    by a unit now are never redirected."""
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TEMP TABLE release_slugs (release_order INTEGER, agency_id VARCHAR, "
            "slug VARCHAR)"
        )
        for order, release in enumerate(earlier):
            path = release.path / "agencies.csv.gz" if release.path else None
            if path is None or not path.exists():
                continue
            con.execute(
                "INSERT INTO release_slugs SELECT ?, agency_id, slug "
                "FROM read_csv(?, header = true, all_varchar = true)",
                [order, str(path)],
            )
        con.execute("CREATE TEMP TABLE current_slugs (agency_id VARCHAR, slug VARCHAR)")
        con.executemany("INSERT INTO current_slugs VALUES (?, ?)", list(current.items()))
        return dict(query(con, "former_slugs").fetchall())
    finally:
        con.close()
