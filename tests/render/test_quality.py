"""The data-quality page (chat-luong-du-lieu.md.j2)."""

from __future__ import annotations

import csv
from pathlib import Path

from minhbach.render.quality import QualityContext

from .page_sql import page_rows, render
from .province import front_matter, read


def test_quality_page_lists_every_input_table_and_the_checks(site):
    _, docs, _, _ = site
    text = read(docs, "chat-luong-du-lieu/index.md")
    assert "| Hồ sơ (dossiers) | có | 1 | 12 | 0 | 0,00% |" in text
    assert "| Đánh giá hài lòng (ratings) | không | 0 | 0 | 0 | — |" in text
    assert "Không có dòng nào bị cách ly." in text
    line = "- Hồ sơ phải giải quyết = đã giải quyết + rút, dừng + chờ bổ sung + đang giải quyết "
    assert line + "(`agency_period_balance`)" in text
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


PORTAL_CHECKS = (
    "select * from (values "
    "('H21.01', '2026', 'year', timestamp '2026-09-24 05:44:58', 'group_over_max', 'MDHL', "
    "'MDHL', 18.28, 18.0, 0.28, 0.005), "
    "('H21.02', '2026', 'year', timestamp '2026-10-10 14:00:18', 'metric_points', 'CKMB', "
    "'DOSSIER_SYNC', 5.0, 6.0, -1.0, 0.011), "
    "('H21.02', '2026', 'year', timestamp '2026-10-10 14:00:18', 'total_sum', null, 'total', "
    "70.1, 70.0, 0.1, 0.035)) "
    'as t(portal_code, period, period_type, captured_at, "check", "group", subject, '
    "published, expected, difference, tolerance)"
)
PORTAL_UNITS = (
    "select * from (values ('H21.01', 'Sở Một'), ('H21.02', 'Sở <b>Hai</b> | x')) "
    "as t(portal_code, name)"
)
PORTAL_SCORES = (
    "select 'H21.01' as portal_code, '2026' as period, "
    "timestamp '2026-09-24 05:44:58' as captured_at, false as complete"
)


def _portal_rows(checks: str = PORTAL_CHECKS) -> list[dict]:
    tables = {"portal_checks": checks, "portal_units": PORTAL_UNITS}
    return page_rows(
        "page_quality_portal_checks",
        {**tables, "portal_scores": PORTAL_SCORES},
        pages=("page_portal_checks",),
    )


def test_the_portal_s_inconsistencies_newest_capture_first_with_their_labels():
    found = _portal_rows()
    assert [(r["portal_code"], r["check_label"], r["subject_label"]) for r in found] == [
        ("H21.02", "Điểm chỉ số khác điểm tính lại theo quy tắc của Cổng",
         "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (DOSSIER_SYNC)"),
        ("H21.02", "Tổng điểm khác tổng điểm sáu nhóm", "Tổng điểm"),
        ("H21.01", "Điểm nhóm vượt điểm tối đa", "Mức độ hài lòng (MDHL)"),
    ]  # fmt: skip
    assert [r["unit"] for r in found] == ["Sở <b>Hai</b> | x", "Sở <b>Hai</b> | x", "Sở Một"]
    assert [r["complete"] for r in found] == [None, None, False]
    assert {r["deviations"] for r in found} == {3}


def test_at_most_200_of_the_portal_s_inconsistencies_are_listed():
    many = (
        "select 'H21.' || i as portal_code, '2026' as period, 'year' as period_type, "
        "timestamp '2026-10-10 14:00:00' + to_seconds(i) as captured_at, "
        "'total_sum' as \"check\", null as \"group\", 'total' as subject, 1.0 as published, "
        "0.0 as expected, 1.0 as difference, 0.035 as tolerance from range(250) as r(i)"
    )
    found = _portal_rows(many)
    assert len(found) == 200 and found[0]["deviations"] == 250
    assert found[0]["portal_code"] == "H21.249"  # the newest capture first


def _quality_page(portal_checks) -> str:
    context = QualityContext(
        as_of_source="data", dossiers=None, tables=(), reasons=(), shortened=(), checks=(),
        portal_checks=portal_checks, portal_unmatched=(),
    )  # fmt: skip
    return render(context)


def test_the_quality_page_lists_the_portal_s_inconsistencies_escaped():
    rows = _portal_rows()
    text = _quality_page(tuple(rows))
    assert "## Số liệu của Cổng Dịch vụ công quốc gia không khớp" in text
    assert "Có\n3 chỗ không khớp; danh sách đầy đủ" in text
    assert "| Sở Một (H21.01) | năm 2026 (chưa trọn kỳ), thu thập 24/09/2026 |" in text
    assert "<b>" not in text and "Sở &lt;b&gt;Hai&lt;/b&gt; \\| x" in text
    assert "| 18,28 | 18,00 | +0,28 |" in text and "| 5,00 | 6,00 | −1,00 |" in text
    # more than the page lists: it says how many it shows
    cut = _quality_page(tuple({**r, "deviations": 250} for r in rows))
    assert "Có\n250 chỗ không khớp; dưới đây là 3 chỗ của những lần thu thập gần nhất;" in cut


def test_without_portal_inconsistencies_the_page_has_no_such_section():
    assert "Cổng Dịch vụ công quốc gia" not in _quality_page(())


def test_every_invariant_check_is_named_in_vietnamese_on_the_page():
    """Each file of queries/checks has its words in seed_labels_checks, and only those."""
    root = Path(__file__).resolve().parents[2] / "queries"
    files = {p.stem for p in (root / "checks").glob("*.sql")}
    with (root / "seeds" / "labels_checks.csv").open(encoding="utf-8") as f:
        labelled = [r["check"] for r in csv.DictReader(f)]
    assert sorted(labelled) == sorted(files)
    rows = page_rows("page_quality_checks", {})
    assert [r["check"] for r in rows][:2] == [
        "agency_period_to_handle",
        "agency_period_received_split",
    ]
    assert all(r["label"] and not r["label"].isascii() for r in rows)  # Vietnamese words
