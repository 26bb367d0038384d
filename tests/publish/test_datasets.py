"""What is published, from the contracts beside the tables (queries/**/<table>.yml): site.md's
key columns first, descriptions that name the settings and seeds, one meaning per column name."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest
from conftest import build_db

from minhbach.config import Settings
from minhbach.errors import BuildError
from minhbach.publish import columns, datasets, downloads, unit_csvs
from minhbach.sql import contracts, runner, seeds

from .handmade import ROOT, SPEC_KEY_COLUMNS

PORTAL_TABLES = (
    "portal_units", "portal_scores", "portal_metrics", "portal_provinces", "portal_checks",
    "official_vs_recomputed",
)  # fmt: skip
# Where a name means something else in one download (the rest: one meaning per name).
SPECIAL = {
    "procedure_metrics": {"received_new", "resolved", "resolved_on_time", "received_online"},
    # recomputed from the dossier exports (portal_metrics: from the portal's own counts); what
    # is compared (portal_checks: what is checked)
    "official_vs_recomputed": {"recomputed_points", "subject"},
}
PRIMARY_KEYS = {
    "agency_period_metrics": ("agency_id", "period", "period_type"),
    "index_766": ("agency_id", "period", "period_type", "indicator"),
    "scores_766": ("agency_id", "period", "period_type"),
    "procedure_metrics": ("procedure_id", "agency_id", "period", "period_type"),
    "agencies": ("agency_id",),
    "quarantine": (),
}


def _seeded() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    seeds.load(con, contracts=contracts.find(ROOT / "queries"))
    return con


def _published(settings: Settings | None = None, con=None) -> dict[str, datasets.Dataset]:
    found = datasets.published(settings or Settings(), con or _seeded())
    return {d.name: d for d in found}


def test_the_downloads_are_site_md_s_in_its_order_key_columns_first():
    found = datasets.published(Settings(), _seeded())
    assert [d.name for d in found] == list(SPEC_KEY_COLUMNS)
    # and, published only by a build with the portal's evaluation (portal/), its tables
    assert datasets.published_names() == (*SPEC_KEY_COLUMNS, *PORTAL_TABLES)
    assert datasets.optional_names() == frozenset(PORTAL_TABLES)
    for d in found:
        keys = SPEC_KEY_COLUMNS[d.name]
        assert list(d.column_names[: len(keys)]) == keys, d.name
        assert d.key == PRIMARY_KEYS[d.name], d.name
        assert d.order_by == (d.key or d.column_names), d.name
        assert d.title and d.description and d.grain and d.source.endswith(".yml")
        assert all(c.description for c in d.columns), d.name
    assert {d.name: d.internal for d in found if d.internal} == {
        "index_766": ("points_exact",),
        "scores_766": ("rank_order",),
        "agencies": ("synthetic_row",),
    }
    assert {d.name: d.table for d in found}["agencies"] == "dim_agencies"


def test_default_settings_give_the_published_descriptions():
    scores = {c.name: c.description for c in _published()["scores_766"].columns}
    assert scores["band"] == (
        "Xếp loại theo total_100: Xuất sắc, Tốt, Khá, Trung bình, Yếu; trống khi đơn vị không "
        "được xét xếp hạng trong kỳ (không hoạt động, hoặc có ít hơn 20 hồ sơ phải giải quyết)"
    )
    assert scores["official_flag"] == (
        "true nếu chênh lệch với điểm chính thức lớn hơn ngưỡng cho phép (1 điểm)"
    )
    assert scores["CKMB"] == (
        "Điểm nhóm Công khai, minh bạch (tối đa 18); trống nếu không chỉ tiêu nào của nhóm được "
        "đánh giá"
    )
    assert scores["MDSH"] == "Điểm nhóm Số hóa hồ sơ (tối đa 22)"
    index = {c.name: c.description for c in _published()["index_766"].columns}
    assert index["group"] == "Nhóm chỉ số: CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL"
    assert index["rule_set"] == "Tên bộ quy tắc tính điểm (ví dụ qd766-v1), xem trang Phương pháp"


def test_descriptions_follow_the_settings_and_the_seeds():
    settings = Settings(
        bands=((85.0, "Rất tốt"), (60.0, "Đạt"), (0.0, "Chưa đạt")),
        official_score_tolerance=0.5,
        min_to_handle=12,
    )
    con = _seeded()
    con.execute("UPDATE seed_groups SET group_name = 'Minh bạch', max_points = 17 "
                "WHERE \"group\" = 'CKMB'")  # fmt: skip
    scores = {c.name: c.description for c in _published(settings, con)["scores_766"].columns}
    assert scores["band"] == (
        "Xếp loại theo total_100: Rất tốt, Đạt, Chưa đạt; trống khi đơn vị không được xét xếp "
        "hạng trong kỳ (không hoạt động, hoặc có ít hơn 12 hồ sơ phải giải quyết)"
    )
    assert scores["official_flag"].endswith("ngưỡng cho phép (0,5 điểm)")
    assert scores["CKMB"].startswith("Điểm nhóm Minh bạch (tối đa 17);")


def test_a_column_name_means_one_thing_in_every_download():
    seen: dict[str, tuple[str, str]] = {}
    for d in _published().values():
        for c in d.columns:
            if c.name in SPECIAL.get(d.name, ()):
                continue
            first = seen.setdefault(c.name, (d.name, c.description))
            assert c.description == first[1], (c.name, d.name, first[0])


def test_an_unknown_placeholder_stops_the_build():
    found = contracts.find(ROOT / "queries")
    bad = dataclasses.replace(found["quarantine"], description="Các dòng {khong_co}")
    with pytest.raises(BuildError, match=r"quarantine\.yml.*khong_co"):
        datasets.published(Settings(), _seeded(), {"quarantine": bad})


def test_two_downloads_in_one_place_stop_the_build():
    found = contracts.find(ROOT / "queries")
    moved = dataclasses.replace(
        found["quarantine"], publish=dataclasses.replace(found["quarantine"].publish, order=1)
    )
    with pytest.raises(BuildError, match="publish.order 1"):
        datasets.published(Settings(), _seeded(), {**found, "quarantine": moved})


def test_a_units_csv_has_the_metrics_then_the_periods_score():
    d = _published()
    metrics, scores = d["agency_period_metrics"], d["scores_766"]
    unit = datasets.unit_csv()
    more = [c for c in scores.columns if c.name not in metrics.column_names]
    expected = [*metrics.columns, *more]
    assert [(c.name, c.type) for c in unit.columns] == [(c.name, c.type) for c in expected]
    assert unit.internal == ("slug",) and unit.key == metrics.key


def test_the_writers_read_what_the_contracts_publish():
    found = contracts.find(ROOT / "queries").values()
    assert set(downloads.READS) == {c.table for c in found if c.publish is not None}
    assert set(unit_csvs.READS) == {datasets.UNIT_CSV_TABLE, "dim_agencies"}
    assert datasets.READS == ("seed_groups", "input_quality")


def test_the_contracts_match_the_tables_the_sql_makes():
    con = build_db({})
    runner.run_macros(con)
    for d in (*datasets.published(Settings(), con), datasets.unit_csv()):
        assert [c.name for c in columns.resolve(con, d)] == list(d.column_names), d.name


def test_the_portal_s_tables_are_published_only_with_its_input():
    con = _seeded()
    con.execute("create table input_quality (table_name varchar, present boolean)")
    con.execute("insert into input_quality values ('dossiers', true), ('portal', false)")
    assert [d.name for d in datasets.published(Settings(), con)] == list(SPEC_KEY_COLUMNS)
    con.execute("update input_quality set present = true where table_name = 'portal'")
    found = datasets.published(Settings(), con)
    assert [d.name for d in found] == [*SPEC_KEY_COLUMNS, *PORTAL_TABLES]
    (scores,) = [d for d in found if d.name == "portal_scores"]
    groups = {c.name: c.description for c in scores.columns}  # filled in
    assert groups["MDHL"] == "Điểm nhóm Mức độ hài lòng Cổng công bố (tối đa 18)"
