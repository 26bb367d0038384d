"""Seeds: the rule sets and the groups as typed tables, read from queries/seeds/."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from minhbach.config import known_rule_sets
from minhbach.errors import InvariantError
from minhbach.sql import QUERIES_DIR, contracts, runner, seeds

# Methodology §3, rule set qd766-v1: indicator -> (group, max, rule, T, points when the
# denominator is 0, scope).
QD766_V1 = {
    "1.1": ("CKMB", 6, "proportional", None, None, "publishing_units"),
    "1.2": ("CKMB", 4, "proportional", None, None, "publishing_units"),
    "1.3": ("CKMB", 2, "proportional", None, None, "publishing_units"),
    "1.4": ("CKMB", 6, "proportional", None, None, "all"),
    "2.1": ("TDGQ", 20, "proportional", None, None, "all"),
    "3.1": ("CLGQ", 2, "full_at", 80, None, "all"),
    "3.2": ("CLGQ", 4, "proportional", None, None, "all"),
    "3.3": ("CLGQ", 6, "full_at", 50, None, "all"),
    "3.4": ("TTTT", 6, "proportional", None, None, "all"),
    "3.5": ("TTTT", 2, "min2", None, None, "all"),
    "3.6": ("TTTT", 2, "min2", None, None, "all"),
    "4.1": ("MDSH", 6, "proportional", None, None, "all"),
    "4.2": ("MDSH", 4, "proportional", None, None, "all"),
    "4.3": ("MDSH", 2, "full_at", 80, None, "all"),
    "4.4": ("MDSH", 4, "proportional", None, None, "all"),
    "4.5": ("MDSH", 6, "proportional", None, None, "province"),
    "5.1": ("MDHL", 6, "proportional", None, 6, "all"),
    "5.2": ("MDHL", 6, "proportional", None, 6, "all"),
    "5.3": ("MDHL", 6, "full_at", 90, 0, "all"),
}
# The portal's 2026 list (issue 12's plan, portal.md): metric -> (group, max, rule, T, points
# when the denominator is 0, capped at the maximum, confirmed by the real captures).
QD766_2026 = {
    "PUBLISH_ON_TIME": ("CKMB", 6, "proportional", None, None, False, True),
    "PUBLIC_UPDATE_ON_TIME": ("CKMB", 4, "proportional", None, None, False, True),
    "PUBLIC_CONTENT_FULL": ("CKMB", 2, "proportional", None, None, False, True),
    "DOSSIER_SYNC": ("CKMB", 6, "proportional", None, None, False, False),  # temporary denominator
    "TDGQ": ("TDGQ", 20, "proportional", None, 0, False, True),
    "3.1": ("CLGQ", 2, "full_at", 80, None, False, False),  # CLGQ: only the group is published
    "3.2": ("CLGQ", 4, "proportional", None, None, False, False),
    "3.3": ("CLGQ", 6, "full_at", 50, None, False, False),
    "3.4": ("TTTT", 6, "proportional", None, None, False, False),  # 6A + min(2, 2.5B) + 2.5C
    "3.5": ("TTTT", 2, "min2", None, None, False, False),
    "3.6": ("TTTT", 2, "min2", None, None, False, False),
    "ORIGINAL_RESULT_AVAILABLE": ("MDSH", 6, "proportional", None, None, True, True),
    "SO_HOA_GIAY_TO_GIAI_QUYET": ("MDSH", 4, "proportional", None, None, True, True),
    "REUSED_DIGITIZED_DATA": ("MDSH", 2, "full_at", 80, None, False, True),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("MDSH", 4, "proportional", None, None, True, True),
    "CITIZEN_DATA_CONNECTED_DOSSIER": ("MDSH", 2, "proportional", None, None, True, True),
    "CITIZEN_DATA_CONNECTED_FORMALITY": ("MDSH", 2, "proportional", None, None, True, True),
    "ELECTRONIC_CERTIFIED_COPY": ("MDSH", 2, "flag", None, None, False, False),
    "DOSSIER_RECEIVING_SATISFACTION": ("MDHL", 6, "full_at", 90, 0, False, True),
    "PETITION_PROCESSING_ON_TIME": ("MDHL", 6, "proportional", None, 6, False, True),
    "PETITION_HANDLING_SATISFACTION": ("MDHL", 6, "proportional", None, 6, False, True),
    "PETITION_CLASSIFICATION_TTHC": ("MDHL", 0, "tracked", None, None, False, True),
    "PETITION_CLASSIFICATION_STAFF": ("MDHL", 0, "tracked", None, None, False, True),
}
GROUPS = [
    ("CKMB", 1, "Công khai, minh bạch", 18),
    ("TDGQ", 2, "Tiến độ giải quyết", 20),
    ("CLGQ", 3, "Dịch vụ công trực tuyến", 12),
    ("TTTT", 4, "Thanh toán trực tuyến", 10),
    ("MDSH", 5, "Số hóa hồ sơ", 22),
    ("MDHL", 6, "Mức độ hài lòng", 18),
]


@pytest.fixture
def con():
    con = duckdb.connect()
    seeds.load(con)
    return con


def types(con, table: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"describe {table}").fetchall()}


def test_the_rule_set_qd766_v1_is_methodology_3(con):
    got = con.execute(
        'select indicator, "group", max_points, points_rule, full_at_pct, '
        "points_if_no_denominator, scope from seed_rule_set where rule_set = 'qd766-v1' "
        "order by indicator_order"
    ).fetchall()
    assert {r[0]: r[1:] for r in got} == QD766_V1
    assert [r[0] for r in got] == list(QD766_V1)  # indicator_order follows the codes


def test_the_portal_s_rule_set_qd766_2026(con):
    got = con.execute(
        'select indicator, "group", max_points, points_rule, full_at_pct, '
        "points_if_no_denominator, cap_at_max, confirmed from seed_rule_set "
        "where rule_set = 'qd766-2026' order by indicator_order"
    ).fetchall()
    assert {r[0]: r[1:] for r in got} == QD766_2026
    assert [r[0] for r in got] == list(QD766_2026)
    # the portal's own names (the real details file), every indicator for every level, and an
    # unconfirmed rule says why
    names = dict(
        con.execute(
            "select indicator, indicator_name from seed_rule_set where rule_set = 'qd766-2026'"
        ).fetchall()
    )
    assert names["SYNCED_WITH_DVCQG_PERSONAL_STORAGE"] == (
        "Tỷ lệ hồ sơ TTHC được số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng"
    )
    # every level is scored (communes on the citizen-data metrics too); what is recomputed from
    # procedure_publications is assessed for the units with rows in it, as qd766-v1's 1.1-1.3
    scopes = con.execute(
        "select indicator, scope, measure from seed_rule_set where rule_set = 'qd766-2026' "
        "and scope <> 'all' order by indicator_order"
    ).fetchall()
    assert scopes == [
        ("PUBLISH_ON_TIME", "publishing_units", "1.1"),
        ("PUBLIC_UPDATE_ON_TIME", "publishing_units", "1.2"),
        ("PUBLIC_CONTENT_FULL", "publishing_units", "1.3"),
    ]
    assert con.execute(
        "select count(*) from seed_rule_set where rule_set = 'qd766-2026' "
        "and not confirmed and note is null"
    ).fetchone() == (0,)


def test_the_six_groups_in_their_order(con):
    assert con.execute("select * from seed_groups order by group_order").fetchall() == GROUPS


def test_seed_columns_are_typed_by_their_contracts(con):
    rule_set = types(con, "seed_rule_set")
    assert rule_set["indicator"] == "VARCHAR"  # 1.1 stays text, never the number 1.1
    assert rule_set["max_points"] == rule_set["full_at_pct"] == "INTEGER"
    assert list(rule_set) == list(contracts.find()["seed_rule_set"].column_names)
    assert types(con, "seed_groups") == {
        "group": "VARCHAR",
        "group_order": "INTEGER",
        "group_name": "VARCHAR",
        "max_points": "INTEGER",
    }


def test_an_empty_cell_is_null(con):
    (row,) = con.execute(
        "select full_at_pct, points_if_no_denominator, reason_if_out_of_scope "
        "from seed_rule_set where indicator = '1.4'"
    ).fetchall()
    assert row == (None, None, None)


def test_known_rule_sets_are_those_of_the_seed_files_the_sql_computes():
    assert seeds.rule_set_names() == ("qd766-2026", "qd766-v1")
    assert known_rule_sets() == ("qd766-2026", "qd766-v1")  # both recomputed by index_766.sql


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(QUERIES_DIR / "seeds", folder)
    return folder


def test_a_new_rule_set_is_a_new_file(tmp_path):
    folder = seeds_copy(tmp_path)
    text = (folder / "rule_set_qd766_v1.csv").read_text(encoding="utf-8")
    (folder / "rule_set_test_2026.csv").write_text(
        text.replace("qd766-v1,", "test-2026,"), encoding="utf-8"
    )
    assert seeds.rule_set_names(folder) == ("qd766-2026", "qd766-v1", "test-2026")
    assert seeds.rule_set_names(folder, recomputable=True) == (
        "qd766-2026",
        "qd766-v1",
        "test-2026",
    )
    con = duckdb.connect()
    seeds.load(con, folder)
    got = con.execute("select rule_set, count(*) from seed_rule_set group by all order by 1")
    assert got.fetchall() == [("qd766-2026", 23), ("qd766-v1", 19), ("test-2026", 19)]


def _not_recomputed(path: Path) -> None:
    """The rule set file with its first indicator's recomputable set to false."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["recomputable"] = "false"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_rule_set_with_one_indicator_not_recomputed_cannot_be_chosen(tmp_path):
    folder = seeds_copy(tmp_path)
    _not_recomputed(folder / "rule_set_qd766_v1.csv")
    assert seeds.rule_set_names(folder) == ("qd766-2026", "qd766-v1")
    assert seeds.rule_set_names(folder, recomputable=True) == ("qd766-2026",)
    # one row of qd766-2026 not recomputed: neither can be chosen
    _not_recomputed(folder / "rule_set_qd766_2026.csv")
    assert seeds.rule_set_names(folder, recomputable=True) == ()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # the file's name spells another rule set
        (lambda t: t.replace("qd766-v1,", "qd766-v2,"), "rule_set 'qd766-v2' không khớp tên tệp"),
        # two rule sets in one file
        (lambda t: t.replace("qd766-v1,5.3", "other,5.3"), "cùng một giá trị ở mọi dòng"),
        # a column renamed: the header is not the contract's
        (lambda t: t.replace(",scope,", ",scope_kind,"), "khác các cột của queries/seeds/rule_set"),
        # a number column holding text
        (lambda t: t.replace(",6,proportional,", ",six,proportional,", 1), "không nạp được"),
    ],
)
def test_a_broken_seed_is_an_error_naming_its_file(tmp_path, change, problem):
    folder = seeds_copy(tmp_path)
    path = folder / "rule_set_qd766_v1.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InvariantError) as info:
        seeds.load(duckdb.connect(), folder, contracts.find(QUERIES_DIR))
    assert "rule_set_qd766_v1.csv" in str(info.value)
    assert problem in str(info.value)


def test_a_seed_without_a_contract_has_inferred_types(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "colours.csv").write_text('code,name,rank\nR,Đỏ,1\nG,"Xanh, lá",2\n', "utf-8")
    con = duckdb.connect()
    assert seeds.load(con, folder, {}) == ["seed_colours"]
    assert types(con, "seed_colours") == {"code": "VARCHAR", "name": "VARCHAR", "rank": "BIGINT"}
    assert con.execute("select name from seed_colours where rank = 2").fetchone() == ("Xanh, lá",)


def test_a_group_maximum_that_is_not_its_indicators_sum_stops_the_build(tmp_path):
    folder = seeds_copy(tmp_path)
    path = folder / "groups.csv"
    path.write_text(
        path.read_text("utf-8").replace(
            "TTTT,4,Thanh toán trực tuyến,10", "TTTT,4,Thanh toán trực tuyến,11"
        ),
        "utf-8",
    )
    con = duckdb.connect()
    seeds.load(con, folder, contracts.find(QUERIES_DIR))
    runner.set_variables(con, {"rule_set": "qd766-v1"})
    con.execute("create table dim_agency_periods (agency_id varchar, period varchar)")
    con.execute("create table index_766 (agency_id varchar, period varchar, indicator varchar)")
    con.execute("create table scores_766 (agency_id varchar, period varchar)")
    assert sorted(runner.check_problems(con, "index_766_row_coverage")) == [
        # every rule set of the seeds, not only the build's
        "seed_groups: nhóm TTTT tối đa 11 điểm nhưng các chỉ số của qd766-2026 cộng lại 10",
        "seed_groups: nhóm TTTT tối đa 11 điểm nhưng các chỉ số của qd766-v1 cộng lại 10",
    ]
