"""The gap page /kiem-tra-tu-xa/ (kiem-tra-tu-xa.md.j2, minhbach/render/gaps.py) and the unit
page's section "Điểm của Cổng DVCQG và điểm tính lại" (co-quan.md.j2, page_unit_portal): on the
hand-made province without the portal (nothing to compare, and why), and on the same province
with a hand-made capture of the portal for March 2026 where two units carry a portal code."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from conftest import load_raw, rows, set_settings
from portal.kit import block, details, metric, tdgq, unit

from minhbach.portal import read_portal
from minhbach.render import NAV
from minhbach.render.context import context_mismatch
from minhbach.render.gaps import GapsContext
from minhbach.sql import runner

from .page_sql import page_rows, render
from .province import (
    AGENCIES,
    DOSSIERS,
    HOSTILE,
    PROCEDURES,
    make_info,
    read,
    render_site,
    slug_of,
)


def test_the_context_is_the_templates_variables():
    assert context_mismatch(GapsContext) == (set(), set())


def test_without_the_portal_the_page_says_there_is_nothing_to_compare(site):
    _, docs, _, _ = site
    text = read(docs, "kiem-tra-tu-xa/index.md")
    assert "# Kiểm tra từ xa: số liệu của Cổng so với dữ liệu một cửa" in text
    assert "## Chưa có gì để so sánh" in text
    assert "Bản dựng này không có số liệu đánh giá của Cổng Dịch vụ công quốc gia" in text
    assert ("Kiểm tra từ xa", "kiem-tra-tu-xa/index.md") in NAV


def _summary(units: str, compared: str, dossiers: bool = True) -> dict:
    quality = f"select 'dossiers' as table_name, {str(dossiers).lower()} as present"
    tables = {"portal_units": units, "official_vs_recomputed": compared, "input_quality": quality}
    (found,) = page_rows("page_gaps", tables)
    return found


def _gaps_page(context: GapsContext) -> str:
    return render(context, as_of=dt.date(2026, 3, 31))


def test_the_summary_tells_why_nothing_is_compared():
    nothing = "select 'x' as agency_id, '2026' as period where false"
    found = _summary(
        "select * from (values ('H99.01', 'a'), ('H99.02', null)) as t(portal_code, agency_id)",
        nothing,
    )
    assert (found["portal_units"], found["matched_units"], found["compared_rows"]) == (2, 1, 0)
    assert found["has_dossiers"]
    alone = _summary("select 'H99.01' as portal_code, null as agency_id", nothing, dossiers=False)
    assert not alone["has_dossiers"]


@pytest.mark.parametrize(
    ("summary", "says"),
    [
        ({"has_dossiers": False, "portal_units": 5, "matched_units": 0},
         "chỉ có số liệu của Cổng Dịch vụ công quốc gia, không có dữ liệu hồ sơ"),
        ({"has_dossiers": True, "portal_units": 0, "matched_units": 0},
         "không có số liệu đánh giá của Cổng Dịch vụ công quốc gia (thư mục `portal/`"),
        ({"has_dossiers": True, "portal_units": 5, "matched_units": 0},
         "Số liệu của Cổng có 5 đơn vị, nhưng không đơn vị nào"),
        ({"has_dossiers": True, "portal_units": 5, "matched_units": 2},
         "2 đơn vị có mã đơn vị trên Cổng, nhưng không lần thu thập nào\nkhớp"),
    ],
)  # fmt: skip
def test_the_page_says_why_nothing_is_compared(summary, says):
    text = _gaps_page(GapsContext(root="../", summary=summary, periods=()))
    assert "## Chưa có gì để so sánh" in text and says in text


MARCH = {"timeType": "month", "year": 2026, "period": 3, "extractedAt": "2026-04-02T03:00:00Z"}
GROUPS = {"CKMB": 10.0, "TDGQ": 20.0, "ONLINE": 8.0, "TTTT": 5.0, "MDSH": 11.0, "MDHL": 12.0}
TDGQ = "TDGQ_TienDoGiaiQuyet"
CKMB = "CKMB_CongKhaiMinhBach"


@pytest.fixture(scope="module")
def compared_site(tmp_path_factory):
    """The hand-made province with a portal capture of March 2026 (made on 2 April, after the
    month, as of 31 March: compared). Sở Tư pháp (A) is H99.01, the hostile name (X) H99.02.
    X's one dossier of March (x1: due 4 March, resolved 12 March) is late: 2.1 = 0/1, 0 points;
    the portal says 1 on time of 1 received, 20 points: a gap of +20, the largest possible."""
    tmp = tmp_path_factory.mktemp("gaps")
    agencies = [
        {**a, "portal_code": {"A": "H99.01", "X": "H99.02"}.get(a["agency_id"])} for a in AGENCIES
    ]
    blocks_a = {
        TDGQ: tdgq(6, 6, 0, 100, 20),
        CKMB: block(6, 18, metric("DOSSIER_SYNC", 6, 6, 100, 6, 6)),
    }
    blocks_x = {TDGQ: tdgq(1, 1, 0, 100, 20)}
    document = details(
        unit("H99.01", 66.0, GROUPS, blocks_a),
        unit("H99.02", 66.0, GROUPS, blocks_x),
        **MARCH,
    )
    folder = tmp / "portal"
    folder.mkdir()
    (folder / "march.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    con = duckdb.connect()
    load_raw(con, {"agencies": agencies, "procedures": PROCEDURES, "dossiers": DOSSIERS})
    read_portal(con, folder)
    set_settings(con)
    runner.run(con, layers=runner.TABLE_LAYERS)
    docs = tmp / "docs"
    render_site(con, docs, make_info(synthetic=True))
    return con, docs


def test_the_hand_made_capture_is_compared_with_march(compared_site):
    con, _ = compared_site
    found = rows(
        con,
        "select agency_id, kind, subject, official_points, recomputed_points, gap, gap_rank "
        "from official_vs_recomputed where agency_id = 'X' and subject = 'TDGQ' "
        "and kind = 'metric'",
    )
    assert [(r["official_points"], float(r["recomputed_points"]), float(r["gap"]), r["gap_rank"])
            for r in found] == [(20.0, 0.0, 20.0, 1)]  # fmt: skip
    periods = {r["period"] for r in rows(con, "select period from official_vs_recomputed")}
    assert periods == {"2026-03"}


def test_the_gap_page_ranks_the_largest_gap_first_with_escaped_names(compared_site):
    con, docs = compared_site
    text = read(docs, "kiem-tra-tu-xa/index.md")
    assert "Chưa có gì để so sánh" not in text
    assert "## tháng 3/2026" in text
    assert "2 đơn vị được so sánh, với số liệu Cổng thu thập\nlúc 02/04/2026 10:00 (sau khi" in text
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    metrics = text.split("### Các chỉ số lệch nhiều nhất")[1]
    first = metrics.split("<tbody>")[1].split("</tr>")[0]
    link = f'<a href="../co-quan/{slug_of(con, "X")}/">&lt;script&gt;'
    assert link in first
    # 1 of 1 on the portal, 0 of 1 recomputed: 20 points against 0
    assert '<td class="num">1 / 1</td><td class="num">100,00%</td>' in first
    assert '<td class="num">0 / 1</td><td class="num">0,00%</td>' in first
    assert '<td class="num">+20,00</td>' in first
    # each metric's largest gaps, in the portal's order: DOSSIER_SYNC (Sở Tư pháp), TDGQ (X, A)
    by_metric = text.split("### Theo từng chỉ số")[1].split("</tbody>")[0]
    lines = [line for line in by_metric.splitlines() if line.startswith("<tr>")]
    assert len(lines) == 3
    assert lines[0].startswith(
        '<tr><th scope="row">Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (DOSSIER_SYNC'
    )
    assert ">Sở Tư pháp</a>" in lines[0] and "+6,00" in lines[0]  # 6/6 against 0/5
    assert lines[1].startswith('<tr><th scope="row">Tỷ lệ hồ sơ giải quyết trước hạn')
    assert "&lt;script&gt;" in lines[1] and lines[2].startswith("<tr><td></td>")


def test_the_unit_page_sets_the_portal_s_figures_beside_ours(compared_site):
    con, docs = compared_site
    text = read(docs, f"co-quan/{slug_of(con, 'X')}/index.md")
    section = text.split("## Điểm của Cổng DVCQG và điểm tính lại")[1]
    assert "(mã trên Cổng: H99.02) số\nliệu tháng 3/2026, thu thập lúc 02/04/2026 10:00." in section
    table = section.split("</table>")[0]
    assert '<th scope="row">Tổng điểm</th>' in table
    assert '<th scope="row">TDGQ – Tiến độ giải quyết</th>' in table
    assert '(TDGQ; 2.1)</th><td class="num">1 / 1</td>' in table
    # a unit without a portal code has no such section
    other = read(docs, f"co-quan/{slug_of(con, 'B')}/index.md")
    assert "Điểm của Cổng DVCQG" not in other


def test_the_gap_rows_keep_the_totals_and_the_top_metrics_in_rank_order():
    compared = (
        "select * from (values "
        "('a', 'Sở A', 'H1', '2026-03', 'month', 'total', 'TOTAL', 2, 0), "
        "('b', 'Sở B', 'H2', '2026-03', 'month', 'total', 'TOTAL', 1, 0), "
        "('a', 'Sở A', 'H1', '2026-03', 'month', 'metric', 'TDGQ', 51, 105), "
        "('b', 'Sở B', 'H2', '2026-03', 'month', 'metric', 'TDGQ', 1, 105), "
        "('a', 'Sở A', 'H1', '2026-02', 'month', 'metric', 'TDGQ', 1, 105)) "
        "as t(agency_id, agency_name, portal_code, period, period_type, kind, subject, "
        "gap_rank, subject_order)"
    )
    periods = page_rows("page_gaps_periods", {"official_vs_recomputed": _with_times(compared)})
    assert [p["period"] for p in periods] == ["2026-03"]  # the latest month
    found = page_rows(
        "page_gaps_rows",
        {
            "official_vs_recomputed": compared,
            "page_gaps_periods": "select '2026-03' as period, 'month' as period_type, "
            "1 as row_order",
            "dim_agencies": "select 'a' as agency_id, 'Sở A' as name, 'so-a' as slug",
        },
    )
    got = [
        (r["kind"], r["agency_id"], r["gap_rank"], r["slug"], r["top_overall"], r["top_of_metric"])
        for r in found
    ]
    assert got == [
        ("total", "b", 1, None, False, False),
        ("total", "a", 2, "so-a", False, False),
        ("metric", "b", 1, None, True, True),
        # 51st: not among the largest 50, but second of its metric
        ("metric", "a", 51, "so-a", False, True),
    ]  # February: not the period shown


def _with_times(compared: str) -> str:
    return (
        f"select *, true as complete, timestamp '2026-04-02 10:00' as captured_at, "
        f"true as capture_complete, true as comparable from ({compared})"
    )
