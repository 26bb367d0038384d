"""The build, stage by stage: read inputs, run the SQL, check, write downloads and pages,
build the site with mkdocs, and swap it into --out only when every step passed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from . import ingest, pages, queries, sitebuild
from .config import ROOT, Settings, load_settings
from .errors import InputError

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
        if source.startswith(("http://", "https://")):
            from .fetch import FETCHED

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


def read_marker(data_dir: Path) -> tuple[bool, str | None, str]:
    marker = data_dir / SYNTHETIC_MARKER
    if not marker.exists():
        return False, None, ""
    try:
        meta = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        raise InputError(SYNTHETIC_MARKER, "tệp đánh dấu dữ liệu giả lập không đọc được") from None
    return True, meta.get("province_name"), str(meta.get("note", ""))


def compute(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    settings: Settings,
    *,
    as_of: dt.date | None,
    build_date: dt.date,
    progress: Callable[[str], None],
    province_name: str,
) -> ingest.IngestReport:
    """Read the inputs and build every table; raises on bad input or a broken invariant."""
    report = ingest.read_inputs(con, data_dir, progress=progress)
    queries.set_variables(
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
    queries.set_bands(con, settings.bands)
    queries.run_macros(con)
    queries.run_layers(con, ("staging",))
    check_quarantine(con, settings)
    progress("tính số liệu (SQL)…")
    queries.run_layers(con, ("facts", "marts"))
    queries.run_checks(con)
    return report


def check_quarantine(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Stop when a table lost more than max_quarantine_pct of its rows, or has none left."""
    rows = con.execute(
        "select table_name, rows_read, quarantined, quarantined_pct from input_quality "
        "where present order by table_name"
    ).fetchall()
    for table, read, quarantined, share in rows:
        if read and quarantined and float(share) > settings.max_quarantine_pct:
            raise InputError(
                table,
                f"{quarantined}/{read} dòng ({float(share):.2f}%) bị cách ly, vượt ngưỡng "
                f"{settings.max_quarantine_pct:g}% (max_quarantine_pct): xem lý do trong "
                "quarantine của lần dựng này hoặc sửa tệp xuất",
            )
    (as_of,) = con.execute("select as_of from as_of_date").fetchone()
    if as_of is None:
        raise InputError("dossiers", "không có hồ sơ hợp lệ nào có ngày sự kiện")


def run(
    *,
    data: Path | None = None,
    out: Path = ROOT / "site",
    as_of: dt.date | None = None,
    config: Path | None = None,
    quiet: bool = False,
) -> BuildContext:
    progress = Progress(quiet=quiet)
    settings = load_settings(config)
    data_dir = resolve_data_dir(data, settings, progress)
    synthetic, synthetic_name, note = read_marker(data_dir)
    build_time = build_time_now()
    ctx = BuildContext(
        settings=settings,
        data_dir=data_dir,
        province_name=synthetic_name or settings.province_name,
        synthetic=synthetic,
        synthetic_note=note,
        build_time=build_time,
    )
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".minhbach-build-", dir=out.parent))
    try:
        con = duckdb.connect(str(work / "build.duckdb"))
        con.execute("SET preserve_insertion_order = false")
        started = time.perf_counter()
        progress(f"đọc dữ liệu từ {data_dir}…")
        compute(
            con,
            data_dir,
            settings,
            as_of=as_of,
            build_date=build_time.date(),
            progress=progress,
            province_name=ctx.province_name,
        )
        ctx.timings["compute"] = time.perf_counter() - started
        (ctx.as_of,) = con.execute("select as_of from as_of_date").fetchone()
        docs = work / "docs"
        progress("viết trang…")
        started = time.perf_counter()
        nav = pages.render_all(con, docs, ctx, progress=progress)
        ctx.timings["pages"] = time.perf_counter() - started
        con.close()
        progress("dựng trang web (mkdocs)…")
        started = time.perf_counter()
        cfg = sitebuild.write_config(
            docs,
            work / "site",
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
        sitebuild.mkdocs_build(cfg)
        ctx.timings["mkdocs"] = time.perf_counter() - started
        sitebuild.publish(work / "site", out)
        progress(f"xong: {out}")
        return ctx
    finally:
        shutil.rmtree(work, ignore_errors=True)
