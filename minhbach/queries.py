"""Running the SQL under ``queries/``: macros, then the layers in dependency order, then checks.

Each ``queries/<layer>/<name>.sql`` is one SELECT that becomes the table ``<name>`` (or a view,
when the file has the line ``-- materialize: view``: for a big intermediate that its few readers
compute faster than it is stored). Within a layer, a file runs after the files whose table names
it mentions. ``queries/checks/*.sql`` are
invariants: each returns one row per violation, with a one-line ``problem`` column; any row stops
the build.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from .config import ROOT
from .errors import InvariantError

QUERIES_DIR = ROOT / "queries"
LAYERS = ("staging", "facts", "marts", "pages")

_COMMENT = re.compile(r"--[^\n]*")
VIEW_MARK = re.compile(r"^-- materialize: view$", re.M)


def _strip_comments(sql: str) -> str:
    return _COMMENT.sub("", sql)


def ordered_files(layer_dir: Path) -> list[Path]:
    """The layer's SQL files, each after the files whose table it reads (then by name)."""
    files = sorted(layer_dir.glob("*.sql"))
    names = {f.stem: f for f in files}
    deps: dict[str, set[str]] = {}
    for f in files:
        text = _strip_comments(f.read_text(encoding="utf-8")).lower()
        words = set(re.findall(r"[a-z_][a-z0-9_]*", text))
        deps[f.stem] = {n for n in names if n != f.stem and n in words}
    done: list[str] = []
    pending = sorted(names)
    while pending:
        ready = [n for n in pending if deps[n] <= set(done)]
        if not ready:
            raise InvariantError(f"queries/{layer_dir.name}: circular references among {pending}")
        done.append(ready[0])
        pending.remove(ready[0])
    return [names[n] for n in done]


def run_macros(con: duckdb.DuckDBPyConnection, root: Path = QUERIES_DIR) -> None:
    con.execute((root / "macros.sql").read_text(encoding="utf-8"))


def run_layers(
    con: duckdb.DuckDBPyConnection,
    layers: tuple[str, ...] = LAYERS,
    root: Path = QUERIES_DIR,
    progress: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Build every table of the given layers; returns seconds per table."""
    timings: dict[str, float] = {}
    for layer in layers:
        layer_dir = root / layer
        if not layer_dir.is_dir():
            continue
        for f in ordered_files(layer_dir):
            started = time.perf_counter()
            sql = f.read_text(encoding="utf-8").strip().rstrip(";")
            kind = "VIEW" if VIEW_MARK.search(sql) else "TABLE"
            con.execute(f'CREATE OR REPLACE {kind} "{f.stem}" AS {sql}')
            timings[f"{layer}/{f.stem}"] = time.perf_counter() - started
            if progress:
                progress(f"{layer}/{f.stem}")
    return timings


def run_checks(con: duckdb.DuckDBPyConnection, root: Path = QUERIES_DIR) -> int:
    """Run every invariant; raise InvariantError naming the first violations. Returns checks run."""
    count = 0
    for f in sorted((root / "checks").glob("*.sql")):
        sql = f.read_text(encoding="utf-8").strip().rstrip(";")
        rows = con.execute(f"SELECT problem FROM ({sql}) LIMIT 3").fetchall()
        count += 1
        if rows:
            total = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            more = f" (và {total - 1} vi phạm khác)" if total > 1 else ""
            raise InvariantError(f"kiểm tra {f.stem} không đạt: {rows[0][0]}{more}")
    return count


def set_variables(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> None:
    """Make settings visible to SQL as getvariable('name')."""
    for name, value in values.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(name)
        con.execute(f"SET VARIABLE {name} = ?", [value])


def set_bands(con: duckdb.DuckDBPyConnection, bands: tuple[tuple[float, str], ...]) -> None:
    """The band thresholds of the config file, as the table cfg_bands(min_score, label)."""
    con.execute("CREATE OR REPLACE TABLE cfg_bands (min_score DOUBLE, label VARCHAR)")
    con.executemany("INSERT INTO cfg_bands VALUES (?, ?)", [list(b) for b in bands])
