"""A build stopped by a signal (SIGKILL, SIGTERM, Ctrl-C) while its chart workers draw: no
process of it survives, the old site is untouched, and what a killed build could not clean up
(its work folder beside --out, its mkdocs config in build/) is deleted by the next build, which
never touches what a live build owns."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from buildkit import DOSSIER_HEADER, ROOT, tree_digest

from minhbach.publish import site

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

BUILD_DIR = ROOT / "build"
PATIENCE = 120  # seconds: generous bounds on waits; the tests assert outcomes, not durations
STOPPED = "lỗi: đã dừng theo yêu cầu; trang cũ giữ nguyên"


def write_export(folder: Path, units: int = 12, procedures: int = 6) -> Path:
    """An export with enough units and procedures that the charts (about a hundred) are still
    being drawn while mkdocs runs."""
    folder.mkdir(parents=True, exist_ok=True)
    agencies = ["agency_id,name,level,parent_id,valid_from,valid_to,successor_id"]
    agencies.append("000.00.00.Z99,Tỉnh Thử Nghiệm,province,,,,")
    ids = [f"000.00.{i:02d}.Z99" for i in range(1, units + 1)]
    agencies += [f"{a},Sở Số {i},department,000.00.00.Z99,,," for i, a in enumerate(ids, 1)]
    procs = ["MaTTHC,TenTTHC,LinhVuc,MucDo,SoNgayGiaiQuyet,CoPhiLePhi"]
    codes = [f"1.00{i:04d}" for i in range(1, procedures + 1)]
    procs += [f"{c},Thủ tục số {i},Lĩnh vực {i % 3},4,{5 + i},1" for i, c in enumerate(codes, 1)]
    rows = [DOSSIER_HEADER]
    for i in range(600):
        month, day = 1 + i % 3, 1 + i % 27
        status = 10 if i % 4 else 4
        done = f"20260{month}{day + 1:02d}090000" if status == 10 else ""
        rows.append(
            f"HS{i:05d},{ids[i % units]},{codes[i % procedures]},{1 + i % 3},{status},"
            f"20260{month}{day:02d}080000,20260{month}{min(day + 3, 28):02d}170000,{done},,,"
        )
    (folder / "agencies.csv").write_text("\n".join(agencies) + "\n", encoding="utf-8")
    (folder / "procedures.csv").write_text("\n".join(procs) + "\n", encoding="utf-8")
    (folder / "dossiers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    # Units enough for mkdocs to take a few seconds while the charts are drawn (it got fast).
    return write_export(tmp_path_factory.mktemp("killed") / "data", units=60, procedures=12)


def _old_site(tmp_path: Path) -> Path:
    """The site in place (a stopped build must leave it as it is), in a folder of its own."""
    out = tmp_path / "www" / "site"
    (out / "co-quan").mkdir(parents=True)
    (out / "index.html").write_text("<p>trang cũ</p>", encoding="utf-8")
    (out / "co-quan" / "index.html").write_text("<p>đơn vị</p>", encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------------
# Processes, from /proc


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie is dead


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in _children(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_until(condition, what: str, timeout: float = PATIENCE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# --------------------------------------------------------------------------------------------
# A build as a user starts it


def _start(data: Path, out: Path, logs: Path, *, session: bool = False) -> subprocess.Popen:
    """build.py, with its output and its stage log (MINHBACH_STAGE_LOG) in ``logs``."""
    logs.mkdir()
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "MINHBACH_STAGE_LOG": str(logs / "stages.jsonl"),
    }
    args = [sys.executable, str(ROOT / "build.py"), "--data", str(data), "--out", str(out)]
    args += ["--as-of", "2026-03-31", "--releases", "none", "--quiet"]
    build = subprocess.Popen(
        args,
        stdout=(logs / "stdout.txt").open("w"),
        stderr=(logs / "stderr.txt").open("w"),
        env=env,
        start_new_session=session,  # its own process group, as a terminal's foreground job
    )
    build.logs = logs
    return build


def _stages(build: subprocess.Popen) -> list[str]:
    log = build.logs / "stages.jsonl"
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [f"{r['stage']}:{r['event']}" for r in map(json.loads, lines) if r["event"] != "part"]


def _stderr(build: subprocess.Popen) -> str:
    return (build.logs / "stderr.txt").read_text(encoding="utf-8")


def _workers(build: subprocess.Popen) -> set[int]:
    return {p for p in _children(build.pid) if "spawn_main" in _cmdline(p)}


def _while_drawing_in_mkdocs(build: subprocess.Popen) -> set[int]:
    """Wait until mkdocs runs while the chart workers draw; returns every process of the build
    but itself."""

    def ready():
        assert build.poll() is None, f"the build ended before it could be stopped: {_stderr(build)}"
        stages = _stages(build)
        return len(_workers(build)) >= 2 and "mkdocs:start" in stages

    _wait_until(ready, "mkdocs to run while the charts are drawn")
    return _descendants(build.pid)


def _work_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f"{site.WORK_PREFIX}*"))


# --------------------------------------------------------------------------------------------


def test_sigkill_leaves_no_process_and_the_next_build_clears_its_litter(data, tmp_path):
    out = _old_site(tmp_path)
    before = tree_digest(out)
    build = _start(data, out, tmp_path / "killed")
    processes = _while_drawing_in_mkdocs(build)
    config = BUILD_DIR / f"mkdocs-{build.pid}.yml"
    assert config.exists()
    build.kill()
    assert build.wait(timeout=PATIENCE) == -signal.SIGKILL
    # The chart workers and multiprocessing's resource tracker die with the build.
    _wait_until(lambda: not any(map(_alive, processes)), "the build's processes to end")
    assert tree_digest(out) == before
    assert _stderr(build) == ""
    [stale] = _work_folders(out)

    # The next build deletes what it could not clean up (its config, unless another build's
    # sweep already did), and a build that starts meanwhile leaves the running one's alone.
    next_build = _start(data, out, tmp_path / "next")
    _while_drawing_in_mkdocs(next_build)
    assert not stale.exists()
    assert not config.exists()
    [work] = _work_folders(out)
    next_config = BUILD_DIR / f"mkdocs-{next_build.pid}.yml"
    site.clear_stale(out)
    assert work.exists() and next_config.exists()
    assert next_build.wait(timeout=PATIENCE) == 0, _stderr(next_build)
    assert tree_digest(out) != before
    assert [p.name for p in out.parent.iterdir()] == ["site"]
    assert not next_config.exists()


@pytest.mark.parametrize(
    "sig, group",
    [
        (signal.SIGTERM, False),  # kill <pid>, a CI job cancelled
        (signal.SIGTERM, True),  # systemd or a container stopping every process
        (signal.SIGINT, True),  # Ctrl-C: the terminal signals the whole foreground job
    ],
    ids=["sigterm", "sigterm-group", "ctrl-c"],
)
def test_a_stopped_build_says_so_in_one_line_and_leaves_nothing(data, tmp_path, sig, group):
    out = _old_site(tmp_path)
    before = tree_digest(out)
    build = _start(data, out, tmp_path / "run", session=True)
    processes = _while_drawing_in_mkdocs(build)
    if group:
        os.killpg(build.pid, sig)
    else:
        os.kill(build.pid, sig)
    code = build.wait(timeout=PATIENCE)
    assert _stderr(build).splitlines() == [STOPPED], _stderr(build)
    assert code == 128 + sig
    _wait_until(lambda: not any(map(_alive, processes)), "the build's processes to end")
    assert tree_digest(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]
    assert not (BUILD_DIR / f"mkdocs-{build.pid}.yml").exists()


# --------------------------------------------------------------------------------------------
# The sweep, on litter made by hand
