"""The build cache (minhbach.cache) and the chart drawing it keeps between builds: nothing
without MINHBACH_CACHE, an entry found by its content, pruned when a build did not use it, and
a chart drawn from the cache byte-identical to one drawn again."""

from __future__ import annotations

import os
import time

import pytest

from minhbach import cache, charts
from minhbach.charts import static

from .figures import fig_bars, fig_trend


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_no_folder_no_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.folder() is None
    cache.put("k", cache.key("a"), "text")
    assert cache.get("k", cache.key("a")) is None
    assert cache.prune("k", time.time()) == 0
    assert list(tmp_path.iterdir()) == []


def test_an_entry_is_found_by_its_content_only(folder):
    cache.put("vega-svg", cache.key("spec", "locale"), "<svg/>")
    assert cache.get("vega-svg", cache.key("spec", "locale")) == "<svg/>"
    assert cache.get("vega-svg", cache.key("spec", "other locale")) is None
    assert cache.get("other-kind", cache.key("spec", "locale")) is None
    # The parts are kept apart: ("ab", "c") is not ("a", "bc").
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("ab", "c") == cache.key("ab", "c")


def test_prune_removes_what_the_build_did_not_use(folder):
    old, used = cache.key("old"), cache.key("used")
    cache.put("vega-svg", old, "old")
    cache.put("vega-svg", used, "used")
    stale = time.time() - 3600
    for digest in (old, used):
        os.utime(folder / "vega-svg" / digest[:2] / digest, (stale, stale))
    started = time.time()
    assert cache.get("vega-svg", used) == "used"  # read by this build: touched
    (folder / "vega-svg" / "ab").mkdir(exist_ok=True)
    (folder / "vega-svg" / "ab" / ".tmp-half-written").write_text("x")
    assert cache.prune("vega-svg", started) == 2
    assert cache.get("vega-svg", old) is None
    assert cache.get("vega-svg", used) == "used"
    assert not (folder / "vega-svg" / "ab" / ".tmp-half-written").exists()


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker))
    cache.put("vega-svg", cache.key("a"), "text")  # cannot write: ignored
    assert cache.get("vega-svg", cache.key("a")) is None


def test_charts_drawn_from_the_cache_are_the_same_bytes(folder, tmp_path, monkeypatch):
    figures = [fig_trend(), fig_bars()]
    static._vega_svg.cache_clear()
    first = charts.render_figures([(tmp_path / "a", f) for f in figures], workers=1)
    entries = sorted((folder / "vega-svg").rglob("*"))
    assert len([p for p in entries if p.is_file()]) == 4  # two figures, wide and narrow

    def no_drawing(*args, **kwargs):
        raise AssertionError("drawn again although cached")

    import vl_convert

    monkeypatch.setattr(vl_convert, "vega_to_svg", no_drawing)
    static._vega_svg.cache_clear()
    again = charts.render_figures([(tmp_path / "b", f) for f in figures], workers=1)
    assert list(again.values()) == list(first.values())
    for f in figures:
        name = f"{f.id}.csv"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    static._vega_svg.cache_clear()


def test_a_build_keeps_only_the_drawings_it_used(folder, tmp_path):
    static._vega_svg.cache_clear()
    charts.render_figures([(tmp_path / "a", fig_trend()), (tmp_path / "a", fig_bars())], workers=1)
    files = [p for p in (folder / "vega-svg").rglob("*") if p.is_file()]
    stale = time.time() - 3600
    for p in files:
        os.utime(p, (stale, stale))
    static._vega_svg.cache_clear()
    charts.render_figures([(tmp_path / "b", fig_trend())], workers=1)
    kept = [p for p in (folder / "vega-svg").rglob("*") if p.is_file()]
    assert len(files) == 4 and len(kept) == 2
    static._vega_svg.cache_clear()
