"""Whole builds with a history: a damaged or unreadable history stops the build; the publish
workflow reads it back from the published site."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from buildkit import ROOT, run_build, tree_digest, write_export

from minhbach.errors import InputError

from .releases_kit import (
    BUILD_PY,
    Server,
    flip,
    tree,
)

# --------------------------------------------------------------------------------------------
# Whole builds: each fault stops the build with one line and status 2, leaving the site online
# and the archive as they were, and no folder behind.

EPOCH_1 = "1794900000"  # 17/11/2026, local time
EPOCH_2 = "1795000000"  # 18/11/2026
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """A site built once with its history (one release, 17/11/2026), as the workflow deploys
    it, with the archive that build kept."""
    base = tmp_path_factory.mktemp("published")
    data = write_export(base / "data")
    result = run_build(
        data,
        base / "site",
        "--quiet",
        "--releases",
        str(base / "releases"),
        env={"SOURCE_DATE_EPOCH": EPOCH_1},
    )
    assert result.returncode == 0, result.stderr
    return data, base / "site", base / "releases"


def _online_site(published_site, tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the published site as the --out of the next build, with its digest."""
    out = tmp_path / "site"
    shutil.copytree(published_site[1], out)
    return out, tree_digest(out)


def _build(published_site, out: Path, archive: Path, source: str | None = None):
    env = {"SOURCE_DATE_EPOCH": EPOCH_2}
    if source:
        env["MINHBACH_RELEASES_SOURCE"] = source
    return run_build(published_site[0], out, "--quiet", "--releases", str(archive), env=env)


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_build_stops_on_a_damaged_snapshot_in_the_archive(published_site, tmp_path):
    archive = tmp_path / "releases"
    shutil.copytree(published_site[2], archive)
    damaged = archive / "2026-11-17" / "scores_766.csv.gz"
    flip(damaged)
    kept = tree_digest(archive)
    out, online = _online_site(published_site, tmp_path)
    result = _build(published_site, out, archive)
    assert result.returncode == 2, result.stderr
    (line,) = _lines(result.stderr)
    assert line.startswith(f"lỗi: {damaged}: tệp khác với release.json (gz_sha256 không khớp)")
    assert tree_digest(out) == online
    assert tree_digest(archive) == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["releases", "site"]


def test_build_stops_on_a_damaged_snapshot_of_the_published_site(published_site, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(published_site[1], served)
    flip(served / "lich-su" / "2026-11-17" / "agencies.csv.gz")
    out, online = _online_site(published_site, tmp_path)
    with Server(served) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 2, result.stderr
    (line,) = _lines(result.stderr)
    assert line.startswith(
        f"lỗi: {server.url}lich-su/2026-11-17/agencies.csv.gz: tệp tải về khác với release.json"
    )
    assert tree_digest(out) == online
    assert sorted(p.name for p in tmp_path.iterdir()) == ["served", "site"]  # no archive either


def test_build_stops_when_the_published_history_cannot_be_read(published_site, tmp_path):
    out, online = _online_site(published_site, tmp_path)
    with Server(published_site[1], status={"/lich-su/index.json": 500}) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 2, result.stderr
    assert _lines(result.stderr) == [
        f"lỗi: {server.url}lich-su/index.json: không tải được lịch sử đã công bố (HTTP 500)"
    ]
    assert tree_digest(out) == online
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_first_publication_starts_the_history_with_a_warning(published_site, tmp_path):
    """Nothing published yet (a 404 on the history's index): the build goes on, says so in a
    warning (an annotation on GitHub Actions), and the history starts with its release."""
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "site"
    with Server(empty) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in _lines(result.stderr) if "cảnh báo:" in line]
    assert len(warnings) == 1, result.stderr
    assert f"cảnh báo: {server.url}lich-su/index.json: chưa có lịch sử công bố" in warnings[0]
    index = json.loads((out / "lich-su" / "index.json").read_bytes())
    assert [r["date"] for r in index["releases"]] == ["2026-11-18"]


def _build_step() -> tuple[dict, str]:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if s.get("name") == "Build the site"]
    return step, step["run"]


def _run_build_step(tmp_path: Path, pages_url: str, build_args: list[str], env: dict):
    """Run the workflow's build step as GitHub Actions does (bash -eo pipefail), with stand-ins
    for ``make`` (nothing to set up) and ``.venv/bin/python`` (this build.py, into tmp_path)."""
    _, script = _build_step()
    repo, bin_dir = tmp_path / "checkout", tmp_path / "bin"
    (repo / ".venv" / "bin").mkdir(parents=True)
    bin_dir.mkdir()
    (bin_dir / "make").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    args = " ".join(shlex.quote(a) for a in build_args)
    (repo / ".venv" / "bin" / "python").write_text(
        f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(BUILD_PY))} {args}\n",
        encoding="utf-8",
    )
    for shim in (bin_dir / "make", repo / ".venv" / "bin" / "python"):
        shim.chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MINHBACH_")}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env={
            **environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PAGES_URL": pages_url,
            "NO_MKDOCS_2_WARNING": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_workflow_build_reads_the_history_back_from_the_published_site(
    published_site, tmp_path
):
    """The workflow's build step against a served copy of the published site, with an empty
    archive (as on a fresh runner): the new site lists both releases, the earlier one's files
    byte for byte as they were published."""
    data, site, _ = published_site
    out, archive = tmp_path / "out", tmp_path / "releases"
    args = ["--data", str(data), "--out", str(out), "--releases", str(archive), "--quiet"]
    with Server(site) as server:
        result = _run_build_step(tmp_path, server.url, args, {"SOURCE_DATE_EPOCH": EPOCH_2})
    assert result.returncode == 0, result.stderr
    assert "/lich-su/index.json" in server.requests
    index = json.loads((out / "lich-su" / "index.json").read_bytes())
    assert [r["date"] for r in index["releases"]] == ["2026-11-18", "2026-11-17"]
    page = (out / "lich-su" / "index.html").read_text(encoding="utf-8")
    assert "17/11/2026" in page and "18/11/2026" in page
    assert (out / "lich-su" / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 2
    assert tree(out / "lich-su" / "2026-11-17") == tree(site / "lich-su" / "2026-11-17")
    assert sorted(p.name for p in archive.iterdir()) == [".verified", "2026-11-17", "2026-11-18"]

    # Without the Pages address the step stops before building: never a site without its past.
    result = _run_build_step(tmp_path / "again", "", args, {})
    assert result.returncode == 2
    assert result.stdout.startswith("::error::")


def test_the_published_history_address_can_come_from_the_environment(tmp_path, monkeypatch):
    """MINHBACH_RELEASES_SOURCE (the publish workflow's Pages address) when the config names no
    published history; the config's own address comes first."""
    from minhbach.config import load_settings

    config = tmp_path / "minhbach.toml"
    config.write_text('[releases]\nsource = ""\n', encoding="utf-8")
    monkeypatch.setenv("MINHBACH_RELEASES_SOURCE", "https://to-chuc.github.io/minhbach/lich-su/")
    assert load_settings(config).releases_source == "https://to-chuc.github.io/minhbach/lich-su/"
    config.write_text('[releases]\nsource = "https://tinh.gov.vn/lich-su/"\n', encoding="utf-8")
    assert load_settings(config).releases_source == "https://tinh.gov.vn/lich-su/"
    config.write_text('[releases]\nsource = ""\n', encoding="utf-8")
    monkeypatch.setenv("MINHBACH_RELEASES_SOURCE", "/lich-su/")  # no Pages address
    with pytest.raises(InputError) as err:
        load_settings(config)
    assert str(err.value).startswith("MINHBACH_RELEASES_SOURCE: phải là địa chỉ web đầy đủ")
