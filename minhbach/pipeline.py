"""The build, stage by stage. Each stage takes what the stages before it made, passed in by
:func:`run`, and returns what it makes; none reaches back for anything:

    inputs (data folder, marker, build time, archive)        minhbach.inputs
    history   earlier releases, every snapshot checked       publish.releases
    ingest    the exports into raw tables                    ingest
    sql       staging, facts, marts, pages, checks           sql.runner over queries/
    (BuildInfo made once: province, as-of date, build time, rule set, synthetic, site URL)
    downloads every published table, the data package        publish.downloads
    releases  this build's dated snapshot and the history    publish.releases
    pages     Markdown pages; the charts drawn meanwhile     render
    mkdocs    the site, while the charts are still drawn     publish.site
    charts    the figures put in place                       render.splice_figures
    publish   the new site swapped into --out                publish.site

Bad input stops the build with one line (errors.InputError) and the last good site stays.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import pkgutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from . import ingest, publish, render
from .buildinfo import BuildInfo
from .config import ROOT, Settings, load_settings
from .errors import InputError
from .inputs import Marker, archive_folder, build_time_now, read_marker, resolve_data_dir
from .portal import folders as portal_folders
from .publish import downloads, releases, site, unit_csvs
from .runtime import Progress, Stages, warn
from .sql import runner

# The tables this module reads: check_quarantine (after the staging layer), run (after the SQL).
READS = (
    "as_of_date",
    "dim_agencies",
    "input_quality",
    "page_portal_captures",
    "page_portal_units",
    "quarantine",
)


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
            "min_to_handle": settings.min_to_handle,
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


def open_database(work: Path) -> duckdb.DuckDBPyConnection:
    """The build's database: in memory (nothing of it is kept), bounded (MINHBACH_MEMORY_LIMIT,
    default 1.7 GB: with Python's own memory and what DuckDB allocates outside its limit, the
    process stays under 2 GB at 5M dossiers), spilling to the work folder beyond that."""
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET memory_limit = '{os.environ.get('MINHBACH_MEMORY_LIMIT', '1.7GB')}'")
    con.execute(f"SET temp_directory = '{work / 'spill'}'")
    return con


def read_history(
    stages: Stages, archive: Path, settings: Settings, work: Path, build_time: dt.datetime
) -> list[releases.Release]:
    """The earlier releases, read first, before the long work: a history that cannot be read or
    checked stops the build at once. Every snapshot is checked against its release.json; the
    published ones the archive lacks are downloaded into the work folder (they join the archive
    only once the site is published)."""
    with stages("history", "đọc và kiểm tra lịch sử công bố…"):
        if settings.releases_source:
            stages.progress(f"đọc lịch sử đã công bố từ {settings.releases_source}…")
        return releases.load_archive(
            archive,
            settings.releases_source or None,
            cache=work / "lich-su-nguon",
            replacing=build_time.date().isoformat(),
            warn=warn,
        )


def run_sql(
    stages: Stages,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    marker: Marker,
    as_of: dt.date | None,
    build_time: dt.datetime,
) -> BuildInfo:
    """Every table, then the build's identity: its as-of date comes from the data and, when
    neither the config nor the marker names the province, so does its name."""
    province_name = marker.province_name or settings.province_name or ""
    with stages("sql", "tính số liệu (SQL)…"):
        seconds = compute(
            con,
            settings,
            as_of=as_of or marker.as_of,
            build_date=build_time.date(),
            province_name=province_name or "Toàn tỉnh",
        )
        stages.details("sql", seconds)
    (data_as_of,) = con.execute("select as_of from as_of_date").fetchone()
    (dossiers,) = con.execute(
        "select count(*) > 0 from input_quality where table_name = 'dossiers' and present"
    ).fetchone()
    first, last = con.execute(
        "select min(captured_at), max(captured_at) from page_portal_captures"
    ).fetchone()
    if not province_name:  # the data's province-level unit, else the portal's province
        province_name = _province_name(con)
    return BuildInfo(
        province_name=province_name,
        as_of=data_as_of,
        build_time=build_time,
        rule_set=settings.rule_set,
        synthetic=marker.synthetic,
        synthetic_note=marker.note,
        site_url=settings.site_url,
        dossiers=dossiers,
        portal_captured=(first, last) if first else None,
    )


def _province_name(con: duckdb.DuckDBPyConnection) -> str:
    """The data's province-level unit; in a build from the portal's files alone, the one
    province whose units the portal lists, else the country."""
    found = con.execute("select name from dim_agencies where is_province").fetchone()
    if found:
        return found[0]
    names = con.execute("select name from page_portal_units where has_units").fetchall()
    return names[0][0] if len(names) == 1 else "Cả nước"


def write_release(
    stages: Stages, docs: Path, info: BuildInfo, earlier: list, datasets: list
) -> tuple[releases.Release, dict, list]:
    """This build's dated snapshot of the downloads and the history pages' files; returns the
    release, its files (saved to the archive only once the site is published) and the history
    (earlier releases and this one)."""
    with stages("releases", "lưu bản công bố vào lịch sử…"):
        date = info.build_time.date().isoformat()
        release, files = releases.make_release(
            docs / "du-lieu",
            info,
            date=date,
            previous=releases.previous_release(earlier, date),
            datasets=datasets,
        )
        history = releases.combine(earlier, release)
        releases.write_history(docs, history, {release.date: files}, info)
    return release, files, history


def site_config(docs: Path, site_dir: Path, info: BuildInfo, nav: list) -> Path:
    """The generated mkdocs config of this build (it inherits mkdocs.yml)."""
    return site.write_config(
        docs,
        site_dir,
        site_name=f"Minh bạch TTHC – {info.province_name}",
        site_url=info.site_url,
        nav=nav,
        extra={
            "province_name": info.province_name,
            "synthetic": info.synthetic,
            "as_of": info.as_of.strftime("%d/%m/%Y"),
            "build_time": info.build_time.strftime("%d/%m/%Y %H:%M"),
            "rule_set": info.rule_set,
            "source": info.source_text(),
        },
    )


def build_site(
    stages: Stages,
    con: duckdb.DuckDBPyConnection,
    work: site.WorkFolder,
    info: BuildInfo,
    settings: Settings,
    *,
    datasets: list,
    history: list,
) -> Callable[..., None]:
    """The pages (the charts are drawn by a process pool meanwhile, kept aside from mkdocs' HTML
    parsing) and the mkdocs site; returns the function that waits for the charts. The database
    is closed once the pages have their rows, before the chart workers need the memory."""
    docs, wait_charts = work.path / "docs", None
    try:
        with stages("pages", "viết trang, vẽ biểu đồ…"):
            nav, wait_charts = render.start_all(
                con,
                docs,
                info,
                settings,
                datasets=datasets,
                releases=history,
                timings=stages.timings,
                progress=stages.progress,
                figures_dir=work.path / "figures",
                done_with_db=con.close,
            )
            stages.details("pages", {"pages.write": stages.timings["pages.write"]})
        config = site_config(docs, work.site, info, nav)  # in place once mkdocs starts
        with stages("mkdocs", "dựng trang web (mkdocs)…"):
            site.mkdocs_build(config)
    except BaseException:
        # The build's own error is the one to tell; the charts are of no use now: their
        # workers stop at once (and write nothing more into the work folder).
        if wait_charts is not None:
            with contextlib.suppress(Exception):
                wait_charts(abort=True)
        raise
    return wait_charts


def place_charts(
    stages: Stages, work: site.WorkFolder, wait_charts: Callable[..., None], moved: dict
) -> None:
    """Wait for the charts, put them beside their pages, and keep renamed units' addresses."""
    with stages("charts", "chờ vẽ xong biểu đồ, đặt vào trang…"):
        wait_charts()
        spliced = time.perf_counter()
        render.splice_figures(work.site, work.path / "figures")
        site.write_redirects(work.site, moved)
        stages.details(
            "charts",
            {
                "pages.charts": stages.timings["pages.charts"],
                "splice": time.perf_counter() - spliced,
            },
        )


def run(
    *,
    data: Path | None = None,
    out: Path = ROOT / "site",
    as_of: dt.date | None = None,
    config: Path | None = None,
    quiet: bool = False,
    releases_dir: Path | None | bool = None,
) -> BuildInfo:
    """Build the site into ``out``. ``releases_dir``: the archive of earlier releases (None:
    the config's; False: keep no history)."""
    progress = Progress(quiet=quiet)
    settings = load_settings(config)
    data_dir = resolve_data_dir(data, settings, progress)
    marker, build_time = read_marker(data_dir), build_time_now()
    archive = archive_folder(releases_dir, settings)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stages = Stages(progress)
    stages.quietly("sweep", lambda: site.clear_stale(out))  # litter of killed builds, never live
    work = site.WorkFolder(out.parent)  # locked while this build lives
    try:
        earlier = read_history(stages, archive, settings, work.path, build_time) if archive else []
        con = open_database(work.path)
        with stages("ingest", f"đọc dữ liệu từ {data_dir}…"):
            ingest.read_inputs(
                con,
                data_dir,
                portal_dir=portal_folders.input_folder(
                    settings, data_dir, synthetic=marker.synthetic
                ),
                progress=progress,
            )
        info = run_sql(stages, con, settings, marker, as_of, build_time)
        docs = work.path / "docs"
        with stages("downloads", "ghi tệp tải về…"):
            datasets = downloads.write_downloads(
                con, docs / "du-lieu", build=info, settings=settings
            )
            if info.dossiers:
                unit_csvs.write_unit_csvs(con, docs)
        release, files, history = None, {}, []
        if archive is not None:
            release, files, history = write_release(stages, docs, info, earlier, datasets)
        slugs = dict(con.execute("select agency_id, slug from dim_agencies").fetchall())
        moved = releases.former_slugs(history, slugs) if history else {}
        wait_charts = build_site(
            stages, con, work, info, settings, datasets=datasets, history=history
        )
        place_charts(stages, work, wait_charts, moved)
        with stages("publish", "thay trang cũ bằng trang mới…"):
            site.publish(work, out)
            if release is not None:  # only a published build joins the history
                releases.save_to_archive(archive, release, files, earlier=history)
        progress(f"xong: {out}")
        return info
    finally:
        stages.quietly("cleanup", lambda: work.remove(site.config_path()))
        stages.close()
