"""The build, stage by stage: read inputs, run the SQL, check, write downloads and pages,
build the site with mkdocs, and swap it into --out only when every step passed."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import os
import pkgutil
import signal
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from . import ingest, publish, render
from .buildinfo import BuildInfo
from .config import ROOT, Settings, check_data_source, load_settings, source_is_url
from .errors import InputError
from .publish import downloads, releases, site, unit_csvs
from .sql import runner

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SYNTHETIC_MARKER = "_synthetic.toml"
DEFAULT_SAMPLE = ROOT / "data" / "sample"


@dataclass
class BuildContext:
    """What every page needs to know about this build."""

    settings: Settings
    data_dir: Path
    province_name: str
    synthetic: bool
    synthetic_note: str
    build_time: dt.datetime
    as_of: dt.date | None = None
    timings: dict[str, float] = field(default_factory=dict)
    datasets: list = field(default_factory=list)
    releases: list = field(default_factory=list)


class Progress:
    """One line per step on stderr, with its duration."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f} s] {message}", file=self.stream, flush=True)


def warn(message: str) -> None:
    """A line the operator must see, also with --quiet (an annotation on GitHub Actions)."""
    prefix = "::warning::" if os.environ.get("GITHUB_ACTIONS") == "true" else ""
    print(f"{prefix}cảnh báo: {message}", file=sys.stderr, flush=True)


def build_time_now() -> dt.datetime:
    """The build time: SOURCE_DATE_EPOCH when set (reproducible builds), else now; local time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), LOCAL_TZ).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise InputError("SOURCE_DATE_EPOCH", "không phải một số giây hợp lệ") from None
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def resolve_data_dir(data: Path | None, settings: Settings, progress: Progress) -> Path:
    if data is None:
        source = settings.data_source
        check_data_source(settings)  # file:/etc, ftp://… are not a folder named "file:"
        if source_is_url(source):
            from .publish.fetch import FETCHED

            if not FETCHED.is_dir():
                raise InputError(source, "nguồn dữ liệu là địa chỉ web: chạy `make fetch` trước")
            return FETCHED
        data = (ROOT / source) if not Path(source).is_absolute() else Path(source)
        if data.resolve() == DEFAULT_SAMPLE.resolve() and not data.exists():
            from . import sample

            progress("tạo dữ liệu mẫu giả lập (lần đầu)…")
            sample.generate(data)
    if not data.is_dir():
        raise InputError(str(data), "không tìm thấy thư mục dữ liệu")
    return data


def read_marker(data_dir: Path) -> tuple[bool, str | None, str, dt.date | None]:
    """The synthetic-data marker: (synthetic, fictional name, note, export date)."""
    marker = data_dir / SYNTHETIC_MARKER
    if not marker.exists():
        return False, None, "", None
    try:
        meta = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        raise InputError(SYNTHETIC_MARKER, "tệp đánh dấu dữ liệu giả lập không đọc được") from None
    as_of = meta.get("as_of")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        as_of = None
    elif not dt.date(2000, 1, 1) <= as_of <= dt.date(dt.date.today().year + 1, 12, 31):
        raise InputError(SYNTHETIC_MARKER, "as_of phải là một ngày từ 2000-01-01 đến hết năm sau")
    name, note = meta.get("province_name"), meta.get("note", "")
    if not isinstance(name, str | None) or not isinstance(note, str):
        raise InputError(SYNTHETIC_MARKER, "province_name và note phải là chuỗi")
    return True, name, note, as_of


# The tables this module reads: check_quarantine (after the staging layer), run (after the SQL).
READS = ("as_of_date", "dim_agencies", "input_quality", "quarantine")


def tables_read_after_sql() -> frozenset[str]:
    """Every table Python reads once the SQL has run: the READS of this module and of every
    module of the packages that read tables (render, publish). The runner keeps these; it drops
    every other table and view after the last SQL file that reads it."""
    found = set(READS)
    for package in (render, publish):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            found |= set(getattr(importlib.import_module(module.name), "READS", ()))
    return frozenset(found)


def compute(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    *,
    as_of: dt.date | None,
    build_date: dt.date,
    province_name: str,
) -> dict[str, float]:
    """Build every table from the raw inputs; raises on bad input or a broken invariant.
    Returns seconds per table. Each table is dropped once no later step reads it, so that DuckDB
    spills less and, at the end, the chart workers find the memory."""
    runner.set_variables(
        con,
        {
            "as_of_arg": as_of.isoformat() if as_of else None,
            "build_date": build_date.isoformat(),
            "second_supplement_is_late": settings.second_supplement_is_late,
            "province_name": province_name,
            "rule_set": settings.rule_set,
            "official_score_tolerance": settings.official_score_tolerance,
        },
    )
    runner.set_bands(con, settings.bands)
    return runner.run(
        con,
        keep=tables_read_after_sql(),
        after={"staging": lambda: check_quarantine(con, settings)},
    )


def check_quarantine(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Stop when a table lost more than max_quarantine_pct of its rows, or has none left."""
    rows = con.execute(
        "select table_name, rows_read, quarantined, quarantined_pct from input_quality "
        "where present order by table_name"
    ).fetchall()
    for table, read, quarantined, share in rows:
        if read and quarantined and float(share) > settings.max_quarantine_pct:
            # The commonest reason (a fixed text of the row rules: never a value of the data).
            reason, count = con.execute(
                'select reason, count(*) from quarantine where "table" = ? '
                "group by reason order by count(*) desc, reason limit 1",
                [table],
            ).fetchone() or ("?", 0)
            raise InputError(
                table,
                f"{quarantined}/{read} dòng ({float(share):.2f}%) bị cách ly, vượt ngưỡng "
                f"{settings.max_quarantine_pct:g}% (max_quarantine_pct); lý do nhiều nhất: "
                f"{reason} ({count} dòng); xem cách tìm lý do trong docs/van-hanh.md",
            )
    (as_of,) = con.execute("select as_of from as_of_date").fetchone()
    if as_of is None:
        raise InputError("dossiers", "không có hồ sơ hợp lệ nào có ngày sự kiện")


class Stopped(KeyboardInterrupt):
    """A stop signal arrived (Ctrl-C, SIGTERM): the build stops as on Ctrl-C, cleaning up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_stopped_by: int | None = None


def _on_stop_signal(signum: int, frame) -> None:
    global _stopped_by
    _stopped_by = signum
    raise Stopped(signum)


def stop_on_signals() -> None:
    """Make SIGTERM (by default it ends the build where it stands) and SIGINT stop the build
    cleanly, like Ctrl-C; unless they are ignored (nohup, a background job). The signal is also
    recorded (:func:`stopped_by`): a library may swallow the exception (DuckDB does, while it
    imports pandas) or turn it into its own (DuckDB's "Query interrupted"), so each stage checks
    it again when it starts."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_stop_signal)


def stopped_by() -> int | None:
    """The stop signal that arrived, if one did (see :func:`stop_on_signals`)."""
    return _stopped_by


class Stages:
    """Named build stages: progress lines, wall time per stage, and an optional JSON-lines log
    (MINHBACH_STAGE_LOG) that the benchmark reads to attribute peak memory to stages."""

    def __init__(self, ctx: BuildContext, progress: Progress):
        self.ctx = ctx
        self.progress = progress
        path = os.environ.get("MINHBACH_STAGE_LOG")
        self.log = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    @contextlib.contextmanager
    def __call__(self, name: str, message: str):
        if _stopped_by is not None:  # a stop signal whose exception was swallowed
            raise Stopped(_stopped_by)
        self.progress(message)
        self._event(name, "start")
        started = time.perf_counter()
        yield
        self.ctx.timings[name] = time.perf_counter() - started
        self._event(name, "end")

    def quietly(self, name: str, action: Callable[[], object]) -> None:
        """Run a step that prints nothing (also on failure), logged for the benchmark."""
        self._event(name, "start")
        action()
        self._event(name, "end")

    def _event(self, name: str, event: str, **extra) -> None:
        if self.log:
            record = {"stage": name, "event": event, "t": time.time(), **extra}
            self.log.write(json.dumps(record) + "\n")
            self.log.flush()

    def details(self, name: str, seconds: dict[str, float]) -> None:
        """Log the parts of a stage (the SQL tables) with their seconds, for the benchmark."""
        for part, secs in seconds.items():
            self._event(name, "part", part=part, secs=round(secs, 3))

    def close(self) -> None:
        if self.log:
            self.log.close()


def run(
    *,
    data: Path | None = None,
    out: Path = ROOT / "site",
    as_of: dt.date | None = None,
    config: Path | None = None,
    quiet: bool = False,
    releases_dir: Path | None | bool = None,
) -> BuildContext:
    """Build the site. ``releases_dir``: the archive of earlier releases (None: the config's;
    False: keep no history)."""
    progress = Progress(quiet=quiet)
    settings = load_settings(config)
    data_dir = resolve_data_dir(data, settings, progress)
    synthetic, synthetic_name, note, marker_as_of = read_marker(data_dir)
    build_time = build_time_now()
    ctx = BuildContext(
        settings=settings,
        data_dir=data_dir,
        province_name=synthetic_name or settings.province_name or "",
        synthetic=synthetic,
        synthetic_note=note,
        build_time=build_time,
    )
    as_of = as_of or marker_as_of
    archive: Path | None = None
    if releases_dir is None and settings.releases_archive:
        archive = Path(settings.releases_archive)
        archive = archive if archive.is_absolute() else ROOT / archive
    elif releases_dir:
        archive = Path(releases_dir)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Stages(ctx, progress)
    # What builds killed before their cleanup left (never what a live build owns).
    stage.quietly("sweep", lambda: site.clear_stale(out))
    folder = site.WorkFolder(out.parent)  # locked while this build lives
    work = folder.path
    cfg: Path | None = None  # the generated mkdocs config, in build/
    wait_charts: Callable[..., None] | None = None
    try:
        # In memory: nothing of the build's database is kept, so none of it is written to disk
        # unless it outgrows the memory limit (then DuckDB spills to the work folder).
        con = duckdb.connect(":memory:")
        con.execute("SET preserve_insertion_order = false")
        # Keep DuckDB's memory bounded (it spills to the work folder beyond this).
        con.execute(f"SET memory_limit = '{os.environ.get('MINHBACH_MEMORY_LIMIT', '2GB')}'")
        con.execute(f"SET temp_directory = '{work / 'spill'}'")
        earlier: list[releases.Release] = []
        if archive is not None:
            # First, before the long work: a history that cannot be read or checked stops the
            # build at once. Every earlier snapshot is checked against its release.json; the
            # published ones the archive lacks are downloaded into the work folder (and join
            # the archive only once the site is published).
            with stage("history", "đọc và kiểm tra lịch sử công bố…"):
                if settings.releases_source:
                    progress(f"đọc lịch sử đã công bố từ {settings.releases_source}…")
                earlier = releases.load_archive(
                    archive,
                    settings.releases_source or None,
                    cache=work / "lich-su-nguon",
                    replacing=build_time.date().isoformat(),
                    warn=warn,
                )
        with stage("ingest", f"đọc dữ liệu từ {data_dir}…"):
            ingest.read_inputs(con, data_dir, progress=progress)
        with stage("sql", "tính số liệu (SQL)…"):
            table_secs = compute(
                con,
                settings,
                as_of=as_of,
                build_date=build_time.date(),
                province_name=ctx.province_name or "Toàn tỉnh",
            )
            stage.details("sql", table_secs)
        (ctx.as_of,) = con.execute("select as_of from as_of_date").fetchone()
        if not ctx.province_name:  # the config names none: the data's province-level unit
            (ctx.province_name,) = con.execute(
                "select name from dim_agencies where is_province"
            ).fetchone()
        info = BuildInfo(
            province_name=ctx.province_name,
            as_of=ctx.as_of,
            build_time=build_time,
            rule_set=settings.rule_set,
            synthetic=ctx.synthetic,
            synthetic_note=ctx.synthetic_note,
            site_url=settings.site_url,
        )
        docs = work / "docs"
        with stage("downloads", "ghi tệp tải về…"):
            ctx.datasets = downloads.write_downloads(
                con, docs / "du-lieu", build=info, settings=settings
            )
            unit_csvs.write_unit_csvs(con, docs)
        release = release_files = None
        if archive is not None:
            with stage("releases", "lưu bản công bố vào lịch sử…"):
                date = build_time.date().isoformat()
                release, release_files = releases.make_release(
                    docs / "du-lieu",
                    info,
                    date=date,
                    previous=releases.previous_release(earlier, date),
                    datasets=ctx.datasets,
                )
                ctx.releases = releases.combine(earlier, release)
                releases.write_history(docs, ctx.releases, {release.date: release_files}, info)
        slugs = dict(con.execute("select agency_id, slug from dim_agencies").fetchall())
        moved = releases.former_slugs(ctx.releases, slugs) if ctx.releases else {}
        try:
            with stage("pages", "viết trang, vẽ biểu đồ…"):
                # The charts (kept aside from mkdocs' HTML parsing, put back after) are drawn by
                # a process pool while the pages are written and while mkdocs builds the site:
                # its one core would otherwise leave the other idle.
                nav, wait_charts = render.start_all(
                    con,
                    docs,
                    info,
                    settings,
                    datasets=ctx.datasets,
                    releases=ctx.releases,
                    timings=ctx.timings,
                    progress=progress,
                    figures_dir=work / "figures",
                    done_with_db=con.close,
                )
                stage.details("pages", {"pages.write": ctx.timings["pages.write"]})
            with stage("mkdocs", "dựng trang web (mkdocs)…"):
                cfg = site.write_config(
                    docs,
                    folder.site,
                    site_name=f"Minh bạch TTHC – {ctx.province_name}",
                    site_url=settings.site_url,
                    nav=nav,
                    extra={
                        "province_name": ctx.province_name,
                        "synthetic": ctx.synthetic,
                        "as_of": ctx.as_of.strftime("%d/%m/%Y"),
                        "build_time": build_time.strftime("%d/%m/%Y %H:%M"),
                        "rule_set": settings.rule_set,
                    },
                )
                site.mkdocs_build(cfg)
        except BaseException:
            # The build's own error is the one to tell; the charts are of no use now: their
            # workers stop at once (and write nothing more into the work folder).
            if wait_charts is not None:
                with contextlib.suppress(Exception):
                    wait_charts(abort=True)
            raise
        with stage("charts", "chờ vẽ xong biểu đồ, đặt vào trang…"):
            wait_charts()
            spliced = time.perf_counter()
            render.splice_figures(folder.site, work / "figures")
            site.write_redirects(folder.site, moved)
            stage.details(
                "charts",
                {
                    "pages.charts": ctx.timings["pages.charts"],
                    "splice": time.perf_counter() - spliced,
                },
            )
        with stage("publish", "thay trang cũ bằng trang mới…"):
            site.publish(folder, out)
            if release is not None:  # only a published build joins the history
                releases.save_to_archive(archive, release, release_files, earlier=ctx.releases)
        progress(f"xong: {out}")
        return ctx
    finally:
        stage.quietly("cleanup", lambda: folder.remove(cfg))
        stage.close()
