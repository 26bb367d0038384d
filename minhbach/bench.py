"""The scale benchmark: ``make bench`` / ``python -m minhbach.bench [--dossiers N ...]``.

Generates a large synthetic province (default 5,000,000 dossiers over 36 months, ~700 units,
1,800 procedures, ratings and feedback in proportion; cached between runs), builds it with
``build.py`` in a child process, and prints wall time and peak memory (RSS of the build and its
worker processes) per stage, the slowest SQL tables and page steps, the site's size and its
largest unit page. Several ``--dossiers``
values print the growth series. Figures, not assertions: targets are in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

from .config import ROOT

TARGETS = {"wall_s": 120, "peak_gb": 3.0, "unit_page_kb": 150, "site_mb": 500}


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


def ensure_data(dossiers: int, work: Path) -> Path:
    data = work / f"data-{dossiers}"
    from . import sample

    marker = data / "_synthetic.toml"
    if marker.exists():
        meta = tomllib.loads(marker.read_text(encoding="utf-8"))
        same = (meta.get("dossiers"), meta.get("scale"), meta.get("shape"))
        if same == (dossiers, "large", sample.SHAPE):
            return data

    print(f"tạo tỉnh giả lập lớn: {dossiers:,} hồ sơ…", flush=True)
    started = time.perf_counter()
    sample.generate(data, dossiers=dossiers, scale="large", fmt="parquet")
    print(f"  xong sau {time.perf_counter() - started:.1f} s", flush=True)
    return data


def measure(data: Path, out: Path, log: Path) -> dict:
    log.unlink(missing_ok=True)
    env = dict(os.environ, MINHBACH_STAGE_LOG=str(log))
    started = time.time()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--data",
            str(data),
            "--out",
            str(out),
            "--quiet",
            "--releases",
            str(out.parent / "releases"),
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
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
    pages = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            pages += 1
            rel = str(path.relative_to(site))
            largest = max(largest, (size, rel))
            if rel.startswith("co-quan/"):
                largest_unit = max(largest_unit, (size, rel))
    return {
        "site_mb": total / 1024**2,
        "pages": pages,
        "largest_page": largest,
        "unit_page_kb": largest_unit[0] / 1024,
        "largest_unit_page": largest_unit[1],
    }


def report(dossiers: int, m: dict) -> None:
    print(f"\n== {dossiers:,} hồ sơ ==")
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
        f"trang: {m['pages']:,}; site: {m['site_mb']:.1f} MB; trang lớn nhất: "
        f"{m['largest_page'][1]} ({m['largest_page'][0] / 1024:.1f} KB); trang đơn vị lớn nhất: "
        f"{m['largest_unit_page']} ({m['unit_page_kb']:.1f} KB)"
    )
    verdict = [
        f"thời gian {m['wall_s']:.0f}/{TARGETS['wall_s']} s",
        f"bộ nhớ {m['peak_gb']:.2f}/{TARGETS['peak_gb']} GB",
        f"trang đơn vị {m['unit_page_kb']:.0f}/{TARGETS['unit_page_kb']} KB",
        f"site {m['site_mb']:.0f}/{TARGETS['site_mb']} MB",
    ]
    ok = (
        m["wall_s"] <= TARGETS["wall_s"]
        and m["peak_gb"] <= TARGETS["peak_gb"]
        and m["unit_page_kb"] <= TARGETS["unit_page_kb"]
        and m["site_mb"] <= TARGETS["site_mb"]
    )
    print(("ĐẠT" if ok else "CHƯA ĐẠT") + " mục tiêu: " + "; ".join(verdict))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo tốc độ và bộ nhớ khi dựng một tỉnh lớn.")
    parser.add_argument(
        "--dossiers", type=int, nargs="+", default=[5_000_000], help="số hồ sơ (một hay nhiều)"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.dossiers:
        data = ensure_data(n, args.work)
        m = measure(data, args.work / f"site-{n}", args.work / f"stages-{n}.jsonl")
        report(n, m)
        results.append((n, m))
    if len(results) > 1:
        print("\n== tăng trưởng ==")
        for n, m in results:
            wall, peak, size = m["wall_s"], m["peak_gb"], m["site_mb"]
            print(f"{n:>10,} hồ sơ: {wall:7.1f} s, {peak:.2f} GB, {size:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
