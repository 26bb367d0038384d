"""The scale benchmark: ``make bench`` / ``python -m minhbach.bench [--dossiers N ...]
[--units N ...] [--runs R] [--no-incremental]``.

Generates large synthetic provinces (36 months, 1,800 procedures; ~700 units, or about
``--units N``; ratings and feedback in proportion; cached between runs in ``--work``), builds
each with ``build.py`` in a child process, and prints wall time and peak memory (RSS of the build
and every process it starts, polled every 50 ms) per stage, the slowest SQL tables and page
steps, the pages, the site's size and its largest page. Then one table of every build, with the
targets of issue 14 beside the figures:

- by dossiers (default 0.5M, 1M, 5M at ~700 units): cold builds, the largest ``--runs`` times
  (the spread over the runs is printed), then an incremental build of it: the day before (its
  ``--as-of`` one day earlier) built with an empty chart cache (MINHBACH_CACHE), then the data
  of the next day with that cache, its site compared file by file with the cold build's;
- by units (default 700, 2,000, 5,000 units at ``--unit-dossiers``, default 1M): cold builds.

Figures, not assertions: a benchmark never fails on a target, it prints them side by side.
Every build runs with SOURCE_DATE_EPOCH fixed, so that two builds of the same data compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import ROOT

# Issue 14's targets on this machine (2 cores).
TARGET_5M_S, TARGET_5M_GB = 45, 2.0  # a cold build of the 5M-dossier province
TARGET_INCREMENTAL_S = 15  # a rebuild of it with one more day of data
EVIDENCE_2000_S, EVIDENCE_2000_GB = 131, 3.8  # legacy Evidence, 2,000 lighter pages
TARGET_2000_S, TARGET_2000_GB = EVIDENCE_2000_S / 3, 1.9  # at least 3x faster, half its memory
SOURCE_DATE_EPOCH = "1700000000"


@dataclass
class Run:
    """One build measured."""

    label: str  # what the table's first column says
    dossiers: int
    units: int | None  # asked of the generator (None: the large scale's ~700)
    kind: str  # "lạnh" (cold) or "tăng dần" (incremental)
    m: dict = field(default_factory=dict)
    target: str = ""
    spread: str = ""


def _rss_tree_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def ensure_data(dossiers: int, work: Path, units: int | None = None) -> Path:
    """The synthetic province's data folder (generated once, kept in ``work``)."""
    data = work / (f"data-{dossiers}" if units is None else f"data-{dossiers}-u{units}")
    from . import sample

    marker = data / "_synthetic.toml"
    if marker.exists():
        meta = tomllib.loads(marker.read_text(encoding="utf-8"))
        same = (meta.get("dossiers"), meta.get("scale"), meta.get("shape"), meta.get("units"))
        if same == (dossiers, "large", sample.SHAPE, units):
            return data

    about = "" if units is None else f", khoảng {units:,} đơn vị"
    print(f"tạo tỉnh giả lập lớn: {dossiers:,} hồ sơ{about}…", flush=True)
    started = time.perf_counter()
    sample.generate(data, dossiers=dossiers, scale="large", fmt="parquet", units=units)
    print(f"  xong sau {time.perf_counter() - started:.1f} s", flush=True)
    return data


def data_as_of(data: Path) -> dt.date:
    meta = tomllib.loads((data / "_synthetic.toml").read_text(encoding="utf-8"))
    value = meta["as_of"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def measure(
    data: Path,
    out: Path,
    log: Path,
    *,
    as_of: dt.date | None = None,
    cache: Path | None = None,
) -> dict:
    """Build ``data`` into ``out`` in a child process; its wall time, peak memory (the whole
    process tree), stages and site."""
    log.unlink(missing_ok=True)
    env = dict(os.environ, MINHBACH_STAGE_LOG=str(log), SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    env.pop("MINHBACH_CACHE", None)
    if cache is not None:
        env["MINHBACH_CACHE"] = str(cache)
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "--data",
        str(data),
        "--out",
        str(out),
        "--quiet",
        "--releases",
        str(out.parent / f"releases-{out.name}"),
    ]
    if as_of is not None:
        command += ["--as-of", as_of.isoformat()]
    # Each build starts from no history: a second build the same day would replace the first
    # one's release (and cost the same), so that the runs compare.
    shutil.rmtree(out.parent / f"releases-{out.name}", ignore_errors=True)
    started = time.time()
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []

    def sample_memory() -> None:
        while proc.poll() is None:
            samples.append((time.time(), _rss_tree_kb(proc.pid)))
            time.sleep(0.05)

    thread = threading.Thread(target=sample_memory, daemon=True)
    thread.start()
    _, stderr = proc.communicate()
    thread.join()
    wall = time.time() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {stderr.strip()[-500:]}")
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    stages: dict[str, dict] = {}
    parts: list[tuple[float, str]] = []
    for e in events:
        if e["event"] == "part":
            parts.append((e["secs"], f"{e['stage']}:{e['part']}"))
            continue
        stages.setdefault(e["stage"], {})[e["event"]] = e["t"]
    rows = []
    for name, span in stages.items():
        t0, t1 = span.get("start"), span.get("end", time.time())
        peak = max((kb for t, kb in samples if t0 <= t <= t1), default=0)
        rows.append((name, t1 - t0, peak / 1024**2))
    return {
        "wall_s": wall,
        "peak_gb": max((kb for _, kb in samples), default=0) / 1024**2,
        "stages": rows,
        "slowest_parts": sorted(parts, reverse=True)[:6],
        **site_size(out),
    }


def site_size(site: Path) -> dict:
    total, largest, largest_unit = 0, (0, ""), (0, "")
    pages = units = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            pages += 1
            rel = str(path.relative_to(site))
            largest = max(largest, (size, rel))
            if rel.startswith("co-quan/") and rel != "co-quan/index.html":
                largest_unit = max(largest_unit, (size, rel))
                units += rel.count("/") == 2  # a unit's page (co-quan/<slug>/index.html)
    return {
        "site_mb": total / 1024**2,
        "pages": pages,
        "unit_pages": units,
        "largest_page": largest,
        "unit_page_kb": largest_unit[0] / 1024,
        "largest_unit_page": largest_unit[1],
    }


def compare_sites(a: Path, b: Path) -> list[str]:
    """The files that differ between two built sites (or are in one only)."""
    differ: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        differ.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differ.extend(prefix + n for n in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(differ)


def report(title: str, m: dict) -> None:
    print(f"\n== {title} ==")
    print(f"{'giai đoạn':<12} {'thời gian (s)':>14} {'bộ nhớ đỉnh (GB)':>18}")
    for name, secs, gb in m["stages"]:
        print(f"{name:<12} {secs:>14.1f} {gb:>18.2f}")
    other = m["wall_s"] - sum(secs for _, secs, _ in m["stages"])
    print(f"{'(khác)':<12} {other:>14.1f}")
    print(f"{'tổng':<12} {m['wall_s']:>14.1f} {m['peak_gb']:>18.2f}")
    if m["slowest_parts"]:
        slow = ", ".join(f"{name} {secs:.1f} s" for secs, name in m["slowest_parts"])
        print(f"phần chậm nhất: {slow}")
    print(
        f"trang: {m['pages']:,} ({m['unit_pages']:,} trang đơn vị); site: {m['site_mb']:.1f} MB; "
        f"trang lớn nhất: {m['largest_page'][1]} ({m['largest_page'][0] / 1024:.1f} KB); "
        f"trang đơn vị lớn nhất: {m['largest_unit_page']} ({m['unit_page_kb']:.1f} KB)"
    )


def _verdict(ok: bool) -> str:
    return "đạt" if ok else "CHƯA ĐẠT"


def cold_target(dossiers: int, units: int | None, m: dict) -> str:
    """The issue's target for a cold build of this size, beside its figures."""
    wall, peak = m["wall_s"], m["peak_gb"]
    if dossiers == 5_000_000 and units is None:
        ok = wall <= TARGET_5M_S and peak <= TARGET_5M_GB
        return f"≤ {TARGET_5M_S} s, ≤ {TARGET_5M_GB:g} GB: {_verdict(ok)}"
    if units == 2000:
        ok = wall <= TARGET_2000_S and peak <= TARGET_2000_GB
        return (
            f"≤ {TARGET_2000_S:.1f} s (Evidence {EVIDENCE_2000_S} s / 3), "
            f"≤ {TARGET_2000_GB:g} GB: {_verdict(ok)}"
        )
    return "tuyến tính theo trang và hồ sơ (xem tăng trưởng)"


def table(runs: list[Run]) -> None:
    """Every build of this benchmark in one table, the targets beside the figures."""
    head = (
        f"{'cỡ':<22} {'kiểu':<9} {'thời gian':>10} {'bộ nhớ đỉnh':>12} {'trang':>7} "
        f"{'site':>9} {'trang lớn nhất':>26}  mục tiêu"
    )
    print("\n== bảng (issue 14) ==")
    print(head)
    print("-" * len(head))
    for r in runs:
        m = r.m
        largest = f"{m['largest_page'][0] / 1024:.0f} KB {m['largest_page'][1]}"
        wall = f"{m['wall_s']:.1f} s"
        print(
            f"{r.label:<22} {r.kind:<9} {wall:>10} {m['peak_gb']:>9.2f} GB {m['pages']:>7,} "
            f"{m['site_mb']:>6.0f} MB {largest[:26]:>26}  {r.target}"
        )
        if r.spread:
            print(f"{'':<22} {'':<9} {r.spread}")


def cold_runs(
    label: str, dossiers: int, units: int | None, work: Path, runs: int, kept: list[Run]
) -> Path:
    """``runs`` cold builds of one size; the median one goes into the table, with the spread.
    Returns the site of the last build."""
    data = ensure_data(dossiers, work, units)
    name = f"{dossiers}" if units is None else f"{dossiers}-u{units}"
    measured = []
    for i in range(runs):
        out = work / f"site-{name}"
        m = measure(data, out, work / f"stages-{name}.jsonl")
        title = f"{label}: lạnh" + (f", lần {i + 1}/{runs}" if runs > 1 else "")
        report(title, m)
        measured.append(m)
    middle = sorted(measured, key=lambda m: m["wall_s"])[len(measured) // 2]
    run = Run(label, dossiers, units, "lạnh", middle, cold_target(dossiers, units, middle))
    if runs > 1:
        walls = [m["wall_s"] for m in measured]
        peaks = [m["peak_gb"] for m in measured]
        run.spread = (
            f"{runs} lần: {min(walls):.1f}–{max(walls):.1f} s (trung vị "
            f"{statistics.median(walls):.1f} s), bộ nhớ {min(peaks):.2f}–{max(peaks):.2f} GB"
        )
    kept.append(run)
    return work / f"site-{name}"


def day_before(as_of: dt.date) -> dt.date:
    """The as-of date of the build a day of data earlier: the weekday before the last weekday
    up to ``as_of`` (offices receive nothing at the weekend, so a Sunday's data is Friday's)."""
    last = as_of
    while last.weekday() >= 5:
        last -= dt.timedelta(days=1)
    before = last - dt.timedelta(days=1)
    while before.weekday() >= 5:
        before -= dt.timedelta(days=1)
    return before


def incremental(label: str, dossiers: int, work: Path, cold_site: Path, kept: list[Run]) -> None:
    """The day before built with an empty cache, then the next day's data with that cache;
    its site compared with the cold build's of the same data."""
    data = ensure_data(dossiers, work)
    as_of = data_as_of(data)
    previous = day_before(as_of)
    cache = work / f"cache-{dossiers}"
    shutil.rmtree(cache, ignore_errors=True)
    before = measure(
        data,
        work / f"site-{dossiers}-prev",
        work / f"stages-{dossiers}-prev.jsonl",
        as_of=previous,
        cache=cache,
    )
    report(f"{label}: ngày làm việc trước ({previous}), lấp bộ đệm", before)
    out = work / f"site-{dossiers}-incr"
    filled = {p.name for p in cache.rglob("*") if p.is_file()}
    m = measure(data, out, work / f"stages-{dossiers}-incr.jsonl", cache=cache)
    report(f"{label}: tăng dần (dữ liệu đến {as_of}, có bộ đệm)", m)
    used = {p.name for p in cache.rglob("*") if p.is_file()}
    print(
        f"bộ đệm biểu đồ: {len(used & filled):,} hình vẽ dùng lại, {len(used - filled):,} vẽ "
        f"mới (số liệu đã đổi), {len(filled - used):,} bỏ đi"
    )
    differ = compare_sites(cold_site, out) if cold_site.is_dir() else None
    same = (
        "chưa có bản lạnh để so"
        if differ is None
        else "giống hệt bản dựng lạnh"
        if not differ
        else f"{len(differ)} tệp khác bản lạnh, vd. {', '.join(differ[:3])}"
    )
    ok = m["wall_s"] <= TARGET_INCREMENTAL_S and differ == []
    kept.append(
        Run(
            label,
            dossiers,
            None,
            "tăng dần",
            m,
            f"≤ {TARGET_INCREMENTAL_S} s, giống bản lạnh: {_verdict(ok)} ({same})",
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo tốc độ và bộ nhớ khi dựng một tỉnh lớn.")
    parser.add_argument(
        "--dossiers",
        type=int,
        nargs="*",
        default=[500_000, 1_000_000, 5_000_000],
        help="số hồ sơ (tỉnh ~700 đơn vị; một hay nhiều, hoặc không có)",
    )
    parser.add_argument(
        "--units",
        type=int,
        nargs="*",
        default=[700, 2000, 5000],
        help="số đơn vị (một hay nhiều, hoặc không có), mỗi tỉnh --unit-dossiers hồ sơ",
    )
    parser.add_argument("--unit-dossiers", type=int, default=1_000_000)
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="số lần dựng lạnh cỡ hồ sơ lớn nhất (độ dao động); 0: chỉ đo lần dựng tăng dần",
    )
    parser.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="không đo lần dựng tăng dần (cỡ hồ sơ lớn nhất)",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    largest = max(args.dossiers, default=None)
    for n in sorted(args.dossiers):
        label = f"{n / 1e6:g}M hồ sơ"
        if n == largest and args.runs == 0:  # only the incremental, beside an earlier cold build
            site = args.work / f"site-{n}"
        else:
            site = cold_runs(label, n, None, args.work, args.runs if n == largest else 1, runs)
        if n == largest and args.incremental:
            incremental(label, n, args.work, site, runs)
    for u in sorted(args.units):
        label = f"{u:,} đơn vị ({args.unit_dossiers / 1e6:g}M)"
        cold_runs(label, args.unit_dossiers, u, args.work, 1, runs)
    if runs:
        table(runs)
    grow = [r for r in runs if r.kind == "lạnh"]
    if len(grow) > 1:
        print("\n== tăng trưởng (lạnh) ==")
        for r in grow:
            m = r.m
            per_page = m["wall_s"] / max(m["pages"], 1) * 1000
            print(
                f"{r.label:<22} {m['wall_s']:7.1f} s, {m['peak_gb']:.2f} GB, "
                f"{m['pages']:,} trang ({per_page:.1f} ms/trang), {m['site_mb']:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
