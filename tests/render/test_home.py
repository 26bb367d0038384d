"""The home page (index.md.j2)."""

from __future__ import annotations

from .province import build_site, read


def test_home_page_says_when_data_are_synthetic(site, tmp_path):
    _, docs, _, _ = site
    home = read(docs, "index.md")
    assert "Dữ liệu giả lập" in home
    assert "Xếp hạng" in home and "xep-hang/index.md" in home
    assert "tháng 3/2026" in home
    _, docs, _, _ = build_site(tmp_path, synthetic=False)
    assert "giả lập" not in read(docs, "index.md")
