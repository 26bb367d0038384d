"""The procedure pages: thu-tuc.md.j2 filled by minhbach/render/procedure.py from the page
tables queries/pages/page_procedure*.sql, on the hand-made province of tests/render/province.py
and on small tables made for one pick (the statutory-days fallback, the page's folder)."""

from __future__ import annotations

from conftest import rows

from minhbach.render.context import context_mismatch
from minhbach.render.procedure import ProcedurePage

from .page_sql import page_rows
from .province import front_matter, read, slug_of


def test_the_context_is_the_templates_variables():
    assert context_mismatch(ProcedurePage) == (set(), set())


def test_where_it_is_handled_most_dossiers_first_then_by_name(site):
    con, docs, _, _ = site
    units = rows(
        con,
        "select * from page_procedure_units where procedure_id = '1.000001' order by row_order",
    )
    # 12 months to March 2026, dossiers of 1.000001 received: A 4 (a1, a4, a5, a6), B 2,
    # C 2, X 1, D 1; ties by name (Sở Y tế before Xã Đông Hòa, "<script>…" before "Xã Cũ")
    assert [(r["agency_id"], r["received_new"]) for r in units] == [
        ("A", 4), ("B", 2), ("C", 2), ("X", 1), ("D", 1),
    ]  # fmt: skip
    assert units[0]["level_tab"] == "Sở, ban, ngành" and units[1]["level_tab"] == "Sở, ban, ngành"
    assert units[2]["level_tab"] == "Cấp xã"
    (total,) = rows(con, "select * from page_procedure_totals where procedure_id = '1.000001'")
    assert total["agency_id"] == "P" and total["received_new"] == 10  # the province: every unit
    text = read(docs, "thu-tuc/1.000001/index.md")
    links = [f'href="../../co-quan/{slug_of(con, a)}/"' for a in ("A", "B", "C", "X", "D")]
    assert [text.index(link) for link in links] == sorted(text.index(link) for link in links)
    assert '<th scope="row" colspan="2">Toàn tỉnh</th><td class="num">10</td>' in text
    assert f'href="../../co-quan/{slug_of(con, "P")}/"' not in text


def test_the_page_says_the_catalogues_facts(site):
    con, docs, _, _ = site
    text = read(docs, "thu-tuc/1.000002/index.md")
    assert "<td>Một phần (nộp trực tuyến một phần)</td>" in text
    assert "<td>15 ngày làm việc</td>" in text
    assert "có; thanh toán được trực tuyến trên Cổng Dịch vụ công quốc gia" in text
    description = front_matter(text)["description"]
    assert description.startswith("Thủ tục Cấp phép *xây dựng* (mã 1.000002): 12 tháng (tháng")
    assert description.endswith("; thời hạn 15 ngày làm việc.")


def test_statutory_days_fall_back_to_the_latest_months_and_names_to_the_metrics():
    tables = {
        "procedure_metrics": (
            "select * from (values ('1.1', 'Một'), ('2.2', 'Hai'), ('3.3', null), "
            "('9 9', 'Chín'), ('1.1', 'Một')) as t(procedure_id, procedure_name)"
        ),
        "stg_procedures": (
            "select * from (values "
            "('1.1', 'Một (danh mục)', 'Hộ tịch', 'full', 10.0, true, false, true, null), "
            "('2.2', 'Hai (danh mục)', null, 'none', null, false, false, true, null), "
            "('3.3', 'Ba', null, 'none', 3.0, false, false, true, 'bị cách ly')) as t("
            "procedure_id, name, field, online_level, statutory_days, has_fee, "
            "online_payment_enabled, issues_result_document, reject_reason)"
        ),
        "page_procedure_window": (
            "select * from (values ('1.1', 'P', '2025-04', '2026-03')) "
            "as t(procedure_id, agency_id, first_period, last_period)"
        ),
        "page_procedure_months": (
            "select * from (values ('1.1', '2026-03', 99.0), ('2.2', '2026-01', 5.0), "
            "('2.2', '2026-03', 7.0), ('2.2', '2026-02', 6.0), ('3.3', '2026-03', null), "
            "('3.3', '2026-02', 4.0)) as t(procedure_id, period, statutory_days)"
        ),
    }
    got = {r["procedure_id"]: r for r in page_rows("page_procedures", tables)}
    assert list(got) == ["1.1", "2.2", "3.3", "9 9"]
    # the catalogue's limit first; else the latest month's (7 in March), even when empty (3.3:
    # its catalogue row is quarantined, its latest month has none)
    assert [got[p]["statutory_days"] for p in got] == [10, 7, None, None]
    assert [got[p]["name"] for p in got] == ["Một (danh mục)", "Hai (danh mục)", "3.3", "Chín"]
    assert [got[p]["page_dir"] for p in got] == ["1.1", "2.2", "3.3", "tt-9-9"]
    assert got["1.1"]["online_level_label"] == "Toàn trình (nộp và nhận kết quả trực tuyến)"
    assert got["9 9"]["online_level_label"] is None and got["9 9"]["has_fee"] is None
    # the one 12-month window of every page
    assert {(r["first_period"], r["last_period"]) for r in got.values()} == {("2025-04", "2026-03")}
