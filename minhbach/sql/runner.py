"""Running ``queries/``: macros, seeds, every layer in the order of what each file reads, checks.

Each ``queries/<layer>/<name>.sql`` (layers: staging, facts, marts, pages) is one SELECT that
becomes the table ``<name>``, or a view when the file has the line ``-- materialize: view`` (for
a big intermediate that its few readers compute faster than it is stored). Each file has exactly
one line ``-- reads: a, b, c`` naming every table, view and seed it reads (``-- reads:`` alone
when it reads none). The runner

- checks those lines against the SQL: a known name (a file's table, a seed, a table already in
  the database such as the raw inputs) that the SQL mentions but the line omits, a name the line
  gives that the SQL never mentions or that nothing makes, and a read of a later layer, are
  errors naming the file;
- runs the files in an order where each comes after what it reads (layer by layer, then by
  name among those ready);
- when given ``keep`` (the tables Python reads afterwards), drops each table and view right after
  the last file that reads it (through a view: after the view's last reader), unless kept.

``queries/checks/*.sql`` are invariants, declared the same way: each returns one row per
violation with a one-line ``problem`` column. They run last, after them the checks generated
from the contracts (``queries/**/<table>.yml``); any row stops the build (InvariantError).
"""

from __future__ import annotations

import heapq
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..errors import InvariantError
from . import QUERIES_DIR, contracts, seeds
from .quote import ident

TABLE_LAYERS = ("staging", "facts", "marts", "pages")
CHECKS = "checks"
LAYERS = (*TABLE_LAYERS, CHECKS)

READS_LINE = re.compile(r"^-- reads:(.*)$", re.M)
VIEW_MARK = re.compile(r"^-- materialize: view$", re.M)
# SQL tokens: string literals and comments (skipped), quoted and bare identifiers.
_TOKEN = re.compile(
    r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/|\"((?:[^\"]|\"\")*)\"|([A-Za-z_][A-Za-z0-9_]*)", re.S
)
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Step:
    """One SQL file (a table or view to make, or a check to run), or a generated check."""

    layer: str
    name: str
    sql: str
    reads: frozenset[str]
    source: str  # the file, as errors name it
    view: bool = False
    generated: bool = False

    @property
    def is_check(self) -> bool:
        return self.layer == CHECKS

    @property
    def label(self) -> str:
        return f"{self.layer}/{self.name}"


def _fail(source: str, problem: str) -> InvariantError:
    return InvariantError(f"{source}: {problem}")


def mentioned_names(sql: str) -> set[str]:
    """The identifiers of a SQL text, lower-cased, outside string literals and comments."""
    names = set()
    for m in _TOKEN.finditer(sql):
        word = m.group(2) if m.group(2) is not None else m.group(1)
        if word is not None:
            names.add(word.replace('""', '"').lower())
    return names


def parse_file(path: Path, layer: str, source: str | None = None) -> Step:
    """One SQL file as a step, with its declared reads."""
    source = source or f"queries/{layer}/{path.name}"
    sql = path.read_text(encoding="utf-8").strip().rstrip(";")
    lines = READS_LINE.findall(sql)
    if len(lines) != 1:
        raise _fail(source, f"cần đúng một dòng '-- reads:' (có {len(lines)})")
    reads = [n.strip() for n in lines[0].split(",")] if lines[0].strip() else []
    if "" in reads:
        raise _fail(source, "dòng '-- reads:' có tên trống (một dòng, tên cách nhau bởi dấu phẩy)")
    if bad := [n for n in reads if not _NAME.fullmatch(n)]:
        raise _fail(source, f"dòng '-- reads:' có tên không hợp lệ: {', '.join(bad)}")
    if len(set(reads)) != len(reads):
        raise _fail(source, "dòng '-- reads:' nêu một tên hai lần")
    view = bool(VIEW_MARK.search(sql))
    return Step(layer, path.stem, sql, frozenset(reads), source, view=view)


def load_steps(root: Path = QUERIES_DIR, layers: Iterable[str] = LAYERS) -> list[Step]:
    """The SQL files of the given layers (unordered)."""
    steps = []
    for layer in layers:
        if layer not in LAYERS:
            raise ValueError(layer)
        layer_dir = root / layer
        if layer_dir.is_dir():
            steps += [parse_file(f, layer) for f in sorted(layer_dir.glob("*.sql"))]
    return steps


def generated_checks(found: Mapping[str, contracts.Contract]) -> list[Step]:
    """The checks made from the contracts, as steps of the checks layer."""
    return [
        Step(CHECKS, c.name, c.sql, c.reads, c.source, generated=True)
        for c in contracts.all_checks(found)
    ]


def verify(
    steps: Iterable[Step], known: Collection[str], running: Collection[Step] | None = None
) -> None:
    """Each file's ``-- reads:`` line against its SQL and the known names (errors name it). A
    name that nothing makes is an error only for the steps ``running`` (default: all): another
    layer's file may read a table Python makes before that layer runs (cfg_bands)."""
    made: dict[str, Step] = {}
    for s in steps:
        if s.is_check:
            continue
        if s.name in made:
            raise _fail(s.source, f"bảng {s.name} đã được tạo bởi {made[s.name].source}")
        made[s.name] = s
    names = set(known) | set(made)
    for s in steps:
        if s.generated:
            continue
        mentioned = mentioned_names(s.sql)
        problems = []
        if s.name in s.reads and not s.is_check:
            problems.append(f"đọc chính nó ({s.name})")
        if (running is None or s in running) and (unknown := sorted(s.reads - names)):
            problems.append(f"đọc {', '.join(unknown)}: không có bảng, view hay seed nào tên đó")
        if unused := sorted(s.reads - mentioned):
            problems.append(f"khai báo đọc {', '.join(unused)} nhưng SQL không nhắc đến")
        undeclared = (mentioned & names) - s.reads - ({s.name} if not s.is_check else set())
        if undeclared:
            problems.append(f"đọc {', '.join(sorted(undeclared))} mà dòng '-- reads:' không nêu")
        for r in sorted(s.reads & set(made)):
            if LAYERS.index(made[r].layer) > LAYERS.index(s.layer):
                problems.append(f"đọc {r} của tầng {made[r].layer}, sau tầng {s.layer}")
        if problems:
            raise _fail(s.source, "; ".join(problems))


def order(steps: Iterable[Step]) -> list[Step]:
    """The steps, each after the steps that make what it reads: layer by layer, then in the
    given order (by file name) among those ready; checks after every table."""
    steps = list(steps)
    made = {s.name: i for i, s in enumerate(steps) if not s.is_check}
    rank = [(LAYERS.index(s.layer), s.generated, i) for i, s in enumerate(steps)]
    waiting = [{made[r] for r in s.reads if made.get(r, i) != i} for i, s in enumerate(steps)]
    readers: dict[int, list[int]] = {}
    for i, deps in enumerate(waiting):
        for d in deps:
            readers.setdefault(d, []).append(i)
    ready = [rank[i] for i, deps in enumerate(waiting) if not deps]
    heapq.heapify(ready)
    done: list[Step] = []
    while ready:
        *_, i = heapq.heappop(ready)
        done.append(steps[i])
        for reader in readers.get(i, []):
            waiting[reader].discard(i)
            if not waiting[reader]:
                heapq.heappush(ready, rank[reader])
    if len(done) < len(steps):
        stuck = sorted(s.source for i, s in enumerate(steps) if waiting[i])
        raise InvariantError(f"các tệp đọc lẫn nhau thành vòng: {', '.join(stuck)}")
    return done


def drop_plan(steps: list[Step], keep: Collection[str], present: Collection[str]) -> list[list]:
    """For each step (in run order), the tables and views to drop right after it: those whose
    last reader it is, reading through views (a view's tables are read when the view is), except
    ``keep`` (and what a kept view reads). ``present``: the tables in the database before the
    run (inputs, seeds), dropped too once read. Views come first in each list."""
    views = {s.name: s for s in steps if s.view}
    made = {s.name for s in steps if not s.is_check}

    def through(names: Iterable[str], seen: frozenset = frozenset()) -> set[str]:
        out = set()
        for n in names:
            out.add(n)
            if n in views and n not in seen:
                out |= through(views[n].reads, seen | {n})
        return out

    kept = through(keep)
    last: dict[str, int] = {}
    for i, s in enumerate(steps):
        for n in through(s.reads):
            last[n] = i
    unread = sorted(made - set(last) - kept)
    if unread:
        raise InvariantError(
            f"không tệp SQL nào và không mô-đun Python nào (READS) đọc: {', '.join(unread)}"
        )
    plan: list[list] = [[] for _ in steps]
    for name, i in last.items():
        if name not in kept and (name in made or name in present):
            plan[i].append(name)
    for names in plan:
        names.sort(key=lambda n: (n not in views, n))
    return plan


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The tables and views of the database: name -> 'VIEW' or 'BASE TABLE'."""
    rows = con.execute(
        "select table_name, table_type from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    return dict(rows)


def run_macros(con: duckdb.DuckDBPyConnection, root: Path = QUERIES_DIR) -> None:
    """Create the macros of ``macros.sql`` (also used alone by tests of one macro)."""
    con.execute((root / "macros.sql").read_text(encoding="utf-8"))


def _run_check(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    try:
        found = con.execute(f"SELECT problem FROM ({step.sql}) LIMIT 3").fetchall()
        if found:
            (total,) = con.execute(f"SELECT count(*) FROM ({step.sql})").fetchone()
    except duckdb.Error as exc:
        raise _fail(step.source, f"kiểm tra {step.name} lỗi: {str(exc).splitlines()[0]}") from None
    if found:
        more = f" (và {total - 1} vi phạm khác)" if total > 1 else ""
        raise InvariantError(f"kiểm tra {step.name} không đạt: {found[0][0]}{more}")


def _make(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    kind = "VIEW" if step.view else "TABLE"
    con.execute(f"CREATE OR REPLACE {kind} {ident(step.name)} AS {step.sql}")


def plan(
    con: duckdb.DuckDBPyConnection,
    root: Path = QUERIES_DIR,
    layers: Iterable[str] = LAYERS,
    only: Collection[str] | None = None,
    found: Mapping[str, contracts.Contract] | None = None,
) -> list[Step]:
    """The steps to run, verified and ordered: the files of ``layers`` (only the tables named in
    ``only``, if given), then, with the checks layer, the checks of every contract (``found``:
    those under ``root``). Every file under ``root`` is verified, whether it runs or not."""
    layers = tuple(layers)
    found = contracts.find(root) if found is None else found
    every = load_steps(root)
    present = _tables(con)
    known = set(present) | set(seeds.seed_files(root / "seeds"))
    chosen = [s for s in every if s.layer in layers and (only is None or s.name in only)]
    if CHECKS in layers and only is None:
        chosen += generated_checks(found)
    verify([*every, *(c for c in chosen if c.generated)], known, running=chosen)
    ordered = order(chosen)
    available = set(present) | set(seeds.seed_files(root / "seeds"))  # run() loads the seeds
    for s in ordered:
        if missing := sorted(s.reads - available):
            raise _fail(s.source, f"đọc {', '.join(missing)}, chưa có (tầng đó chưa chạy)")
        if not s.is_check:
            available.add(s.name)
    return ordered


def run(
    con: duckdb.DuckDBPyConnection,
    *,
    root: Path = QUERIES_DIR,
    layers: Iterable[str] = LAYERS,
    only: Collection[str] | None = None,
    keep: Collection[str] | None = None,
    after: Mapping[str, Callable[[], None]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Create the macros and seeds, then run the steps of ``layers`` (see :func:`plan`); returns
    seconds per table (``<layer>/<name>``). ``keep``: the tables Python reads afterwards; when
    given, every other table and view is dropped after its last reader (and a table nothing
    reads is an error). ``after``: a function to call once a layer's last step has run (it may
    read only kept tables)."""
    if (root / "macros.sql").is_file():
        run_macros(con, root)
    found = contracts.find(root)
    seeds.load(con, root / "seeds", found)
    steps = plan(con, root, layers, only, found)
    present = _tables(con)
    drops = drop_plan(steps, keep, present) if keep is not None else [[] for _ in steps]
    kinds = {n: "VIEW" if t == "VIEW" else "TABLE" for n, t in present.items()}
    kinds |= {s.name: "VIEW" if s.view else "TABLE" for s in steps if not s.is_check}
    timings: dict[str, float] = {}
    for i, step in enumerate(steps):
        started = time.perf_counter()
        if step.is_check:
            _run_check(con, step)
        else:
            _make(con, step)
            timings[step.label] = time.perf_counter() - started
            if progress:
                progress(step.label)
        for name in drops[i]:
            con.execute(f"DROP {kinds.get(name, 'TABLE')} IF EXISTS {ident(name)}")
        following = steps[i + 1].layer if i + 1 < len(steps) else None
        if after and step.layer != following and step.layer in after:
            after[step.layer]()
    return timings


def run_checks(
    con: duckdb.DuckDBPyConnection, root: Path = QUERIES_DIR, only: Collection[str] | None = None
) -> int:
    """Run the checks (``queries/checks/`` then the contracts'; ``only``: these by name) on the
    tables as they are; the first violation raises InvariantError. Returns the checks run."""
    steps = plan(con, root, (CHECKS,), only)
    for step in steps:
        _run_check(con, step)
    return len(steps)


def check_problems(con: duckdb.DuckDBPyConnection, name: str, root: Path = QUERIES_DIR) -> list:
    """Every problem one check of ``queries/checks/`` finds (tests of one check)."""
    step = parse_file(root / CHECKS / f"{name}.sql", CHECKS)
    return [r[0] for r in con.execute(f"SELECT problem FROM ({step.sql})").fetchall()]


def set_variables(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> None:
    """Make settings visible to SQL as getvariable('name')."""
    for name, value in values.items():
        if not _NAME.fullmatch(name):
            raise ValueError(name)
        con.execute(f"SET VARIABLE {name} = ?", [value])


def set_bands(con: duckdb.DuckDBPyConnection, bands: tuple[tuple[float, str], ...]) -> None:
    """The band thresholds of the config file, as the table cfg_bands(min_score, label)."""
    con.execute("CREATE OR REPLACE TABLE cfg_bands (min_score DOUBLE, label VARCHAR)")
    con.executemany("INSERT INTO cfg_bands VALUES (?, ?)", [list(b) for b in bands])
