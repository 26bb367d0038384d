"""The templates' filters: they format values that arrive computed, nothing more."""

from __future__ import annotations

from minhbach.render import env


def test_num_auto_writes_a_setting_with_the_decimals_it_has():
    assert env.num_auto(90.0) == "90"
    assert env.num_auto(1) == "1"
    assert env.num_auto(0.5) == "0,5"
    assert env.num_auto(2.25) == "2,25"
    assert env.num_auto(1234.5) == "1.234,5"


def test_sizes_in_words():
    assert env.megabytes(50_000_000) == "50"
    assert env.filesize(950) == "950 byte"
    assert env.filesize(12_345) == "12,3 kB"
    assert env.filesize(4_560_000) == "4,6 MB"
    assert env.filesize(None) == "—"


def test_band_badge_escapes_its_label():
    assert env.band("Xuất sắc", "xuat-sac") == '<span class="band-xuat-sac">Xuất sắc</span>'
    assert env.band("<b>", "b") == '<span class="band-b">&lt;b&gt;</span>'
    assert env.band(None, None) == "—"


def test_names_are_escaped_for_markdown_and_quoted_for_yaml():
    assert env.md_text("Xã *A* | [B](x)") == "Xã \\*A\\* \\| \\[B\\](x)"
    assert env.yaml_text('Tỉnh "A": <b>') == '"Tỉnh \\"A\\": <b>"'
    assert env.yaml_text(None) == '""'


def test_a_change_says_which_way_and_whether_it_is_better():
    up = env.change(1.5, unit="điểm", since="tháng 2/2026")
    assert up == {"text": "▲ tăng 1,50 điểm so với tháng 2/2026", "cls": "mb-better"}
    worse = env.change(-0.25, unit="điểm phần trăm", since="quý I/2026")
    assert worse["cls"] == "mb-worse" and worse["text"].startswith("▼ giảm 0,25 ")
    assert env.change(2, unit="điểm", since="x", higher_is_better=False)["cls"] == "mb-worse"
    assert env.change(0, unit="điểm", since="x")["cls"] == "mb-same"
    assert env.change(None, unit="điểm", since=None) is None


def test_a_period_not_over_says_so():
    assert env.period_full("2026-03") == "tháng 3/2026"
    assert env.period_full("2026-Q1", False) == "quý I/2026 (chưa trọn kỳ)"
    assert env.period_full(None) == "—"
