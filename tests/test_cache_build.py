"""A build with the chart cache (MINHBACH_CACHE) writes the same site as one without it, both
when it fills the cache and when it draws from it (the rebuild of the next day's data)."""

from __future__ import annotations

from buildkit import run_build, tree_digest, write_export

from minhbach import cache


def test_a_build_with_the_cache_is_byte_identical_to_one_without(tmp_path):
    data = write_export(tmp_path / "data")
    env = {"SOURCE_DATE_EPOCH": "1795000000"}
    folder = tmp_path / "cache"
    cold = run_build(data, tmp_path / "cold", "--quiet", env=env)
    filled = run_build(data, tmp_path / "fill", "--quiet", env={**env, cache.ENV: str(folder)})
    drawings = sorted(p.name for p in (folder / "vega-svg").rglob("*") if p.is_file())
    again = run_build(data, tmp_path / "again", "--quiet", env={**env, cache.ENV: str(folder)})
    for result in (cold, filled, again):
        assert result.returncode == 0, result.stderr
    assert drawings  # the charts were kept...
    # ... and the second build drew none again (it used every one, wrote no other).
    assert sorted(p.name for p in (folder / "vega-svg").rglob("*") if p.is_file()) == drawings
    trees = [tree_digest(tmp_path / name) for name in ("cold", "fill", "again")]
    for tree in trees[1:]:
        assert tree.keys() == trees[0].keys()
        assert not sorted(k for k in tree if tree[k] != trees[0][k])
