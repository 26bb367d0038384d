"""The benchmark's own arithmetic (minhbach.bench): which files differ between two sites, what
counts as a unit page, and the targets it prints beside a build's figures."""

from __future__ import annotations

from minhbach import bench


def _site(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_compare_sites_names_every_difference(tmp_path):
    same = {"index.html": "a", "co-quan/x/index.html": "b", "co-quan/x/x.csv": "c"}
    a = _site(tmp_path / "a", same)
    b = _site(tmp_path / "b", same)
    assert bench.compare_sites(a, b) == []
    (b / "co-quan" / "x" / "x.csv").write_text("C", encoding="utf-8")  # same size, other bytes
    (b / "new.html").write_text("n", encoding="utf-8")
    (a / "co-quan" / "x" / "index.html").unlink()
    assert bench.compare_sites(a, b) == ["co-quan/x/index.html", "co-quan/x/x.csv", "new.html"]


def test_site_size_counts_unit_pages_not_their_subpages(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": "x" * 10,
            "co-quan/index.html": "x" * 5000,
            "co-quan/a/index.html": "x" * 2048,
            "co-quan/a/cac-ky/index.html": "x" * 100,
            "co-quan/b/index.html": "x" * 1024,
            "thu-tuc/t/index.html": "x" * 10,
        },
    )
    size = bench.site_size(site)
    assert size["pages"] == 6 and size["unit_pages"] == 2
    assert size["largest_page"] == (5000, "co-quan/index.html")
    assert size["largest_unit_page"] == "co-quan/a/index.html" and size["unit_page_kb"] == 2


def test_targets_beside_the_figures():
    fast = {"wall_s": 44.0, "peak_gb": 1.9}
    slow = {"wall_s": 46.0, "peak_gb": 1.9}
    assert bench.cold_target(5_000_000, None, fast).endswith(": đạt")
    assert bench.cold_target(5_000_000, None, slow).endswith("CHƯA ĐẠT")
    heavy = {"wall_s": 40.0, "peak_gb": 2.1}
    assert bench.cold_target(5_000_000, None, heavy).endswith("CHƯA ĐẠT")
    # 2,000 units: 3x faster than Evidence's 131 s (43.7 s) with at most 1.9 GB.
    assert bench.cold_target(1_000_000, 2000, {"wall_s": 43.6, "peak_gb": 1.9}).endswith("đạt")
    assert "CHƯA" in bench.cold_target(1_000_000, 2000, {"wall_s": 43.8, "peak_gb": 1.0})


def test_the_day_before_is_the_working_day_before_the_last_one():
    import datetime as dt

    sunday, friday, thursday = dt.date(2026, 11, 15), dt.date(2026, 11, 13), dt.date(2026, 11, 12)
    assert bench.day_before(sunday) == thursday  # Sunday's data is Friday's: one day less
    assert bench.day_before(friday) == thursday
    assert bench.day_before(dt.date(2026, 11, 16)) == friday  # a Monday
