"""scripts/system-deps: what `make test` installs before the tests (Chromium, Node.js)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-deps"


def fake_bin(folder: Path, *names: str, body: str = "exit 0") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        tool = folder / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(0o755)
    return folder


def run(path: Path, chromium: Path) -> subprocess.CompletedProcess:
    """The script with only ``path`` on PATH (plus ``id``): no apt-get, no sudo unless faked."""
    (path / "id").symlink_to("/usr/bin/id")
    env = {"PATH": str(path), "MINHBACH_CHROMIUM": str(chromium)}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True)


def test_nothing_missing_installs_nothing(tmp_path):
    chromium = fake_bin(tmp_path / "browser", "chromium") / "chromium"
    # apt-get would fail loudly: it must not be called
    tools = fake_bin(tmp_path / "bin", "node", "npm")
    fake_bin(tools, "apt-get", body="echo called >&2; exit 9")
    result = run(tools, chromium)
    assert result.returncode == 0, result.stderr
    assert "called" not in result.stderr


def test_missing_browser_without_apt_get_is_one_line(tmp_path):
    tools = fake_bin(tmp_path / "bin", "node", "npm")
    result = run(tools, tmp_path / "no-chromium")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: make test cần chromium")


def test_missing_node_is_installed_with_apt_get(tmp_path):
    chromium = fake_bin(tmp_path / "browser", "chromium") / "chromium"
    log = tmp_path / "apt.log"
    tools = fake_bin(tmp_path / "bin", "apt-get", body=f'echo "$@" >> {log}')
    fake_bin(tools, "sudo", body='[ "$1" = -n ] && shift; "$@"')
    result = run(tools, chromium)
    assert result.returncode == 0, result.stderr
    assert "install -y -qq nodejs npm" in log.read_text()


def test_make_test_runs_it_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "system-deps" in test_rule.split(":", 1)[1]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
