"""Reproducible builds: the same inputs and SOURCE_DATE_EPOCH give a byte-identical site."""

from __future__ import annotations

from buildkit import run_build, tree_digest, write_export


def test_same_inputs_and_source_date_epoch_give_identical_sites(tmp_path):
    data = write_export(tmp_path / "data")
    env = {"SOURCE_DATE_EPOCH": "1795000000"}
    first = run_build(data, tmp_path / "a", "--quiet", env=env)
    second = run_build(data, tmp_path / "b", "--quiet", env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    a, b = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert a.keys() == b.keys()
    differing = sorted(k for k in a if a[k] != b[k])
    assert not differing, differing[:10]
    assert any(k.startswith("du-lieu/") for k in a)  # downloads are part of the comparison


def test_build_time_follows_source_date_epoch(tmp_path):
    data = write_export(tmp_path / "data")
    result = run_build(data, tmp_path / "s", "--quiet", env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 0, result.stderr
    # 1795000000 s after the epoch is 18/11/2026 11:06:40 UTC = 18:06 in Asia/Ho_Chi_Minh.
    assert "18/11/2026 18:06" in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
