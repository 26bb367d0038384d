"""Drawing in a process pool: every figure's key comes back with the same bytes as in one
process; bad figures are refused. (The pool under a killed build: tests/test_killed_build.py.)"""

from __future__ import annotations

import copy

import pytest

from minhbach import charts

from .figures import ALL, fig_bars


def test_render_figures_in_a_pool_returns_every_key(tmp_path):
    jobs = []
    for i in range(4):
        for make in ALL:
            figure = make()
            figure.rows = copy.deepcopy(figure.rows)
            jobs.append((tmp_path / f"trang-{i}", figure))
    out = charts.render_figures(jobs, workers=2)
    assert set(out) == {(page, figure.id) for page, figure in jobs}
    single = charts.render_figures(jobs[:5], workers=1)
    for key, html in single.items():
        assert out[key] == html  # the pool gives the same bytes
    for page, figure in jobs:
        assert (page / f"{figure.id}.csv").exists()
        assert not (page / f"{figure.id}.vl.json").exists()


def test_bad_figures_are_refused(tmp_path):
    figure = fig_bars()
    figure.id = "Hình 1"
    with pytest.raises(ValueError, match="slug"):
        charts.render_figures([(tmp_path, figure)])
    figure = fig_bars()
    figure.kind = "pie"
    with pytest.raises(ValueError, match="kind"):
        charts.render_figures([(tmp_path, figure)])
    with pytest.raises(ValueError, match="twice"):
        charts.render_figures([(tmp_path, fig_bars()), (tmp_path, fig_bars())])
