"""Labels: a long category label wraps at the same place as the Vega expression does."""

from __future__ import annotations

from minhbach.charts.text import wrap_label


def test_wrap_label_matches_the_vega_expression():
    assert wrap_label("Quá hạn trên 30 ngày") == "Quá hạn\ntrên 30 ngày"
    assert wrap_label("Chưa đến hạn") == "Chưa đến hạn"  # 12 characters: one line
    assert wrap_label("Quáhạntrên30ngày") == "Quáhạntrên30ngày"
