"""The data-quality page (chat-luong-du-lieu.md.j2)."""

from __future__ import annotations

from .page_sql import page_rows
from .province import front_matter, read


def test_quality_page_lists_every_input_table_and_the_checks(site):
    _, docs, _, _ = site
    text = read(docs, "chat-luong-du-lieu/index.md")
    assert "| Hồ sơ (dossiers) | có | 1 | 12 | 0 | 0,00% |" in text
    assert "| Đánh giá hài lòng (ratings) | không | 0 | 0 | 0 | — |" in text
    assert "Không có dòng nào bị cách ly." in text
    assert "- `agency_period_balance`" in text
    assert "(ngày của sự kiện muộn nhất trong dữ liệu hồ sơ)" not in text  # given as argument
    assert "(do người dựng chỉ định)" in text
    description = front_matter(text)["description"]
    assert "12 dòng hồ sơ đã đọc, 0 dòng bị cách ly (0,00%)" in description


def test_a_table_without_a_label_is_named_as_it_is():
    tables = page_rows(
        "page_quality_tables",
        {
            "input_quality": "select * from (values ('zeta', true, 1, 3, 1, 33.33), "
            "('dossiers', true, 1, 9, 0, 0.0)) "
            "as t(table_name, present, files, rows_read, quarantined, quarantined_pct)",
        },
    )
    assert [(t["table_name"], t["label"]) for t in tables] == [
        ("dossiers", "Hồ sơ (dossiers)"),
        ("zeta", "zeta"),
    ]
