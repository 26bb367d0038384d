"""The procedure pages: thu-tuc.md.j2 filled by minhbach/render/procedure.py from the page
tables queries/pages/page_procedure*.sql, on the hand-made province of tests/render/province.py
and on small tables made for one pick (the statutory-days fallback, the page's folder)."""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb
from conftest import rows

from minhbach.render.context import context_mismatch
from minhbach.render.procedure import ProcedurePage
from minhbach.sql import runner, seeds

from .page_sql import PAGES, page_rows
from .province import front_matter, read, slug_of


def page_sql(name: str) -> str:
    return (PAGES / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


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
    assert (
        units[0]["level_label"] == "Sở, ban, ngành" and units[1]["level_label"] == "Sở, ban, ngành"
    )
    assert units[2]["level_label"] == "Cấp xã"
    (total,) = rows(con, "select * from page_procedure_totals where procedure_id = '1.000001'")
    assert total["agency_id"] == "P" and total["received_new"] == 10  # the province: every unit
    text = read(docs, "thu-tuc/1.000001/index.md")
    links = [f'href="../../co-quan/{slug_of(con, a)}/"' for a in ("A", "B", "C", "X", "D")]
    assert [text.index(link) for link in links] == sorted(text.index(link) for link in links)
    assert '<th scope="row" colspan="2">Toàn tỉnh</th><td class="num">10</td>' in text
    # the province received none itself: no desk row for it
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


def test_the_page_opens_with_the_real_days_beside_the_limit(site):
    _, docs, _, _ = site
    text = read(docs, "thu-tuc/1.000001/index.md")
    # 1.000001 resolved in the window (April 2025 – March 2026), days = end − received:
    # a6 (20/2 08:00 → 2/3 09:00) 10,04; a1 4,04; b1 1,04; b2 1,04; x1 10,04; c1 3,04;
    # c2 7,04; d1 4,04. Sorted: 1,04 1,04 3,04 4,04 4,04 7,04 10,04 10,04: median (4,04 + 4,04)
    # / 2 = 4,04 → "4,0"; p90 at 0,9 × 7 = 6,3: 10,04 → "10,0". On time: all but a6 and x1, 6/8.
    lead = text[text.index('<p class="mb-lead">') : text.index("## Nơi giải quyết")]
    assert "trên 8 hồ sơ đã giải quyết" in lead
    assert "một nửa số hồ sơ xong trong <strong>4,0 ngày</strong>" in lead
    assert "90% xong trong <strong>10,0 ngày</strong>" in lead
    assert "<strong>3 ngày làm việc</strong>" in lead and "không so trực tiếp được" in lead
    assert "<strong>75,00%</strong> (6/8)" in lead
    cards = re.findall(
        r'<dt class="mb-kpi-label">([^<]+)</dt>\n<dd class="mb-kpi-value">([^<]+)', lead
    )
    assert cards[:4] == [
        ("Thời gian giải quyết thực tế: trung vị", "4,0 ngày"),
        ("Thời gian giải quyết thực tế: phân vị 90", "10,0 ngày"),
        ("Thời hạn theo quy định", "3 ngày làm việc"),
        ("Giải quyết trước hạn, đúng hạn", "75,00%"),
    ]
    assert "6/8 hồ sơ đã giải quyết" in lead
    # the days come before the tables, the per-unit table has each unit's days
    assert text.index("mb-lead") < text.index("<caption>Thông tin thủ tục")
    row = re.search(r"<tr><td><a href=[^>]+>Sở Tư pháp</a>.*?</tr>", text).group(0)
    # Sở Tư pháp resolved a6 (10,04, late) and a1 (4,04, early): median 7,04, p90 9,44
    assert re.findall(r'<td class="num"[^>]*>([^<]+)', row) == [
        "4",
        "2",
        "50,00% ",
        "7,0",
        "9,4",
        "100,00%",
    ]
    assert '<span class="mb-muted">(1/2)</span>' in row


def window_tables() -> dict[str, str]:
    """A province P with its own desk, a department A; months February 2025 – April 2026, April
    incomplete: the window is April 2025 – March 2026."""
    months = ", ".join(
        f"('{y}-{m:02d}', 'month', date '{y}-{m:02d}-01', "
        f"last_day(date '{y}-{m:02d}-01'), {'false' if (y, m) == (2026, 4) else 'true'})"
        for y, m in [(2025, m) for m in range(2, 13)] + [(2026, m) for m in range(1, 5)]
    )
    dossiers = [
        # id, procedure, agency, received?, received_on, channel, end_kind, end_on, outcome, days
        ("p1", "1.1", "P", True, "2026-01-10", 2, "resolved", "2026-01-20", "on_time", 10.0),
        ("p2", "1.1", "P", True, "2026-02-01", 1, "resolved", "2026-02-05", "early", 4.0),
        ("p3", "1.1", "P", True, "2026-03-01", 1, "resolved", "2026-03-31", "late", 30.0),
        ("p4", "1.1", "P", True, "2025-03-15", 1, "resolved", "2025-04-02", "early", 2.0),
        ("a1", "1.1", "A", True, "2026-03-05", 2, "resolved", "2026-04-02", "early", 28.0),
        ("a2", "1.1", "A", True, "2025-12-01", 2, "resolved", "2025-12-03", "early", 1.5),
        ("a3", "1.1", "A", True, "2026-01-01", 1, "withdrawn_stopped", "2026-01-01", None, None),
        ("a4", "1.1", "A", False, "2026-01-01", 2, None, None, None, None),
        ("p5", "2.2", "P", True, "2026-03-10", 2, "resolved", "2026-03-12", "on_time", 2.0),
        ("p6", "3.3", "P", True, "2025-03-01", 2, "resolved", "2025-03-20", "early", 1.0),
    ]

    def lit(v):
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        return f"'{v}'"

    values = ", ".join("(" + ", ".join(lit(v) for v in d) + ")" for d in dossiers)
    return {
        "dim_agencies": (
            "select * from (values ('P', true), ('A', false)) as t(agency_id, is_province)"
        ),
        "dim_periods": (
            f"select * from (values {months}) "
            "as t(period, period_type, first_day, last_day, complete)"
        ),
        "fct_dossiers": (
            f"select dossier_id, procedure_id, agency_id, is_received, cast(received_on as date) "
            f"as received_on, channel, end_kind, cast(end_on as date) as end_on, outcome, "
            f"cast(processing_days as double) as processing_days from (values {values}) as t("
            "dossier_id, procedure_id, agency_id, is_received, received_on, channel, end_kind, "
            "end_on, outcome, processing_days)"
        ),
    }


def test_the_window_counts_each_desk_and_the_province_with_their_days():
    got = {
        (r["procedure_id"], r["agency_id"], r["is_total"]): r
        for r in page_rows("page_procedure_window", window_tables())
    }
    # 3.3 has nothing in the window (p6 ended in March 2025); 2.2 only the province's desk
    assert sorted(got) == [
        ("1.1", "A", False), ("1.1", "P", False), ("1.1", "P", True),
        ("2.2", "P", False), ("2.2", "P", True),
    ]  # fmt: skip
    assert {(r["first_period"], r["last_period"]) for r in got.values()} == {("2025-04", "2026-03")}
    desk = got[("1.1", "P", False)]
    # received p1, p2, p3 (p4 before April 2025); resolved p1, p2, p3, p4: days 2, 4, 10, 30;
    # median at 1,5 between 4 and 10: 7; p90 at 2,7 between 10 and 30: 24; on time 3/4
    assert (desk["received_new"], desk["received_online"], desk["resolved"]) == (3, 1, 4)
    assert (desk["resolved_on_time"], desk["resolved_late"]) == (3, 1)
    assert (desk["on_time_pct"], desk["online_pct"]) == (Decimal("75.00"), Decimal("33.33"))
    assert (desk["median_days"], desk["p90_days"]) == (Decimal("7.00"), Decimal("24.00"))
    a = got[("1.1", "A", False)]
    # received a1, a2, a3 (a4 never received); resolved a2 only (a1 ends in April, a3 withdrawn)
    assert (a["received_new"], a["received_online"], a["resolved"]) == (3, 2, 1)
    assert (a["median_days"], a["p90_days"], a["online_pct"]) == (
        Decimal("1.50"), Decimal("1.50"), Decimal("66.67"),
    )  # fmt: skip
    total = got[("1.1", "P", True)]
    # every desk: days 1,5 2 4 10 30: median 4; p90 at 3,6 between 10 and 30: 22; on time 4/5
    assert (total["received_new"], total["received_online"], total["resolved"]) == (6, 3, 5)
    assert (total["median_days"], total["p90_days"]) == (Decimal("4.00"), Decimal("22.00"))
    assert (total["on_time_pct"], total["online_pct"]) == (Decimal("80.00"), Decimal("50.00"))


def test_the_per_unit_table_includes_the_provinces_own_desk():
    tables = window_tables()
    con = duckdb.connect()
    runner.run_macros(con)
    seeds.load(con)
    for table, select in tables.items():
        con.execute(f'create table "{table}" as {select}')
    con.execute(f"create table page_procedure_window as {page_sql('page_procedure_window')}")
    con.execute(
        "create table page_units as select * from (values "
        "('P', 'Ủy ban nhân dân tỉnh Thử', 'tinh-thu', 'province', true), "
        "('A', 'Sở Tư pháp', 'so-tu-phap', 'department', false)) "
        "as t(agency_id, name, slug, level, is_province)"
    )
    units = rows(
        con, f"select * from ({page_sql('page_procedure_units')}) order by procedure_id, row_order"
    )
    # 1.1: A and the province's desk received 3 each: by name, Sở before Ủy; 2.2: the desk alone
    assert [
        (u["procedure_id"], u["agency_id"], u["level_label"], u["received_new"]) for u in units
    ] == [
        ("1.1", "A", "Sở, ban, ngành", 3),
        ("1.1", "P", "Cấp tỉnh", 3),
        ("2.2", "P", "Cấp tỉnh", 1),
    ]
    assert [u["row_order"] for u in units] == [1, 2, 1]
    assert units[2]["median_days"] == Decimal("2.00") and units[2]["resolved_on_time"] == 1
    totals = rows(con, f"select * from ({page_sql('page_procedure_totals')})")
    assert {(t["procedure_id"], t["agency_id"], t["received_new"]) for t in totals} == {
        ("1.1", "P", 6), ("2.2", "P", 1),
    }  # fmt: skip


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
