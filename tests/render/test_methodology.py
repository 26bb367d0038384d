"""The methodology page (phuong-phap.md.j2)."""

from __future__ import annotations

import csv
from pathlib import Path

from .province import read


def test_methodology_page_is_the_editors_template(site):
    _, docs, _, _ = site
    text = read(docs, "phuong-phap/index.md")
    assert text.startswith("---\ntitle: Phương pháp tính")
    assert "Xuất sắc" in text and "qd766-v1" in text


def test_every_indicator_of_every_rule_set_has_its_words_in_its_rule_set_file():
    """Each indicator's rule is one row of one file: its words too (formula, points in words)."""
    seeds = Path(__file__).resolve().parents[2] / "queries" / "seeds"
    rows = [
        r for f in seeds.glob("rule_set_*.csv") for r in csv.DictReader(f.open(encoding="utf-8"))
    ]
    assert len(rows) == 19 + 23  # qd766-v1 and qd766-2026
    for r in rows:
        assert r["formula"].strip() and r["points_text"].strip(), (r["rule_set"], r["indicator"])
    assert not (seeds / "labels_indicators.csv").exists()


def test_methodology_tables_come_from_the_rule_set_and_the_settings(site):
    _, docs, _, _ = site
    text = read(docs, "phuong-phap/index.md")
    assert "| Tiến độ giải quyết | `TDGQ` | 20 |\n" in text
    assert "| **Tổng** | | **100** |" in text
    assert "### Nhóm Số hóa hồ sơ (MDSH, 22 điểm) { #mdsh }" in text
    line = "| 3.3 | Hồ sơ nộp trực tuyến | Số hồ sơ nộp trực tuyến / số hồ sơ mới tiếp nhận | 6 |"
    assert line in text
    assert "| Từ 90 điểm trở lên | Xuất sắc |" in text
    assert "| Dưới 50 điểm | Yếu |" in text
    assert "Chênh lệch lớn hơn **1 điểm**" in text


def test_methodology_states_the_minimum_volume_and_the_portal_pages(site):
    _, docs, _, _ = site
    text = read(docs, "phuong-phap/index.md")
    assert "có **ít hơn\n  20 hồ sơ phải giải quyết** trong kỳ" in text  # Settings() default
    assert "### Các trang về số liệu của Cổng { #cong-trang }" in text
    assert "tính các đơn vị đủ hồ sơ để xếp hạng (ít nhất 20 hồ sơ phải giải quyết)" in text
