"""The index pages /thu-tuc/ and /co-quan/: thu-tuc-index.md.j2 and co-quan-index.md.j2 filled
by minhbach/render/indexes.py from queries/pages/page_index_*.sql, on small tables made for the
Vietnamese order (Đ after D, Ẩ under A, E after Đ: not the byte order) and on the hand-made
province of tests/render/province.py (every procedure and unit page linked, names escaped)."""

from __future__ import annotations

import re

from minhbach.render.context import context_mismatch
from minhbach.render.indexes import ProcedureIndexPage, UnitIndexPage, procedure_index, unit_index

from .page_sql import page_rows
from .province import HOSTILE, read


def test_the_contexts_are_the_templates_variables():
    assert context_mismatch(ProcedureIndexPage) == (set(), set())
    assert context_mismatch(UnitIndexPage) == (set(), set())


PROCEDURES = {
    "page_procedures": (
        "select * from (values "
        "('1', '1', 'Đăng ký khai sinh', 'Hộ tịch'), "
        "('2', '2', 'Em bé', 'Xây dựng'), "
        "('3', '3', 'Dung dịch', 'Đất đai'), "
        "('4', '4', 'Ẩm thực', null), "
        "('5', '5', 'Đa dạng', 'Hộ tịch'), "
        "('6', '6', 'Bò sữa', 'Đất đai'), "
        "('7', '7', '<b>Số 1</b>', 'Hộ tịch')"
        ") as t(procedure_id, page_dir, name, field)"
    ),
    "page_procedure_totals": (
        "select * from (values ('1', 12), ('3', 4)) as t(procedure_id, received_new)"
    ),
}


def test_procedures_a_to_z_in_vietnamese_order_d_before_dd_before_e():
    got = page_rows("page_index_procedures", PROCEDURES, order_by="row_order")
    names = [r["name"] for r in got if r["letter"] != "#"]
    # byte order would give Bò, Dung, Em, Ẩm, Đa, Đăng; Vietnamese: Ẩ is an A, Đ comes after
    # D and before E, Đa before Đăng (a before ă)
    assert names == ["Ẩm thực", "Bò sữa", "Dung dịch", "Đa dạng", "Đăng ký khai sinh", "Em bé"]
    letters = {r["name"]: (r["letter"], r["letter_anchor"], r["letter_order"]) for r in got}
    assert letters["Ẩm thực"] == ("A", "chu-a", 1)
    assert letters["Dung dịch"] == ("D", "chu-d", 3)
    assert letters["Đăng ký khai sinh"] == ("Đ", "chu-dd", 4)
    assert letters["Em bé"] == ("E", "chu-e", 5)
    assert letters["<b>Số 1</b>"] == ("#", "chu-khac", 6)  # not a letter: the last group
    # the fields in Vietnamese order (Đất đai before Hộ tịch before Xây dựng), none last
    fields = {r["name"]: (r["field_label"], r["field_order"], r["field_anchor"]) for r in got}
    assert fields["Bò sữa"] == ("Đất đai", 1, "linh-vuc-dat-dai")
    assert fields["Đa dạng"] == ("Hộ tịch", 2, "linh-vuc-ho-tich")
    assert fields["Em bé"] == ("Xây dựng", 3, "linh-vuc-xay-dung")
    assert fields["Ẩm thực"] == ("Chưa rõ lĩnh vực", 4, "linh-vuc-chua-ro-linh-vuc")
    # new dossiers from the province's totals, 0 without a row
    assert {r["procedure_id"]: r["received_new"] for r in got}["1"] == 12
    assert {r["procedure_id"]: r["received_new"] for r in got}["2"] == 0


def test_the_procedure_index_groups_keep_the_order():
    page = procedure_index(page_rows("page_index_procedures", PROCEDURES, order_by="row_order"))
    assert [g["letter"] for g in page.letters] == ["A", "B", "D", "Đ", "E", "#"]
    assert [r["name"] for r in page.letters[3]["rows"]] == ["Đa dạng", "Đăng ký khai sinh"]
    assert [g["label"] for g in page.fields] == [
        "Đất đai", "Hộ tịch", "Xây dựng", "Chưa rõ lĩnh vực",
    ]  # fmt: skip
    assert [r["name"] for r in page.fields[1]["rows"]][-2:] == ["Đa dạng", "Đăng ký khai sinh"]
    assert page.count == 7


UNITS = {
    "page_units": (
        "select * from (values "
        "('P', 'Ủy ban nhân dân tỉnh Thử', 'tinh', 'province', null, null, null), "
        "('A', 'Sở Tư pháp', 'a', 'department', null, null, null), "
        "('C', 'Xã Đông Hòa', 'c', 'commune', null, null, null), "
        "('D', 'Xã Cũ | Tây', 'd', 'commune', date '2026-01-31', 'Xã Đông Hòa', 'c'), "
        "('E', 'Phường An Bình', 'e', 'commune', null, null, null), "
        "('F', 'Thị trấn Dương', 'f', 'commune', null, null, null), "
        "('G', 'Huyện đảo Hòn Ngọc', 'g', 'district', null, null, null), "
        "('H', 'Huyện Ba Vì', 'h', 'district', null, null, null), "
        "('X', '<script>alert(1)</script>', 'x', 'department', null, null, null)"
        ") as t(agency_id, name, slug, level, valid_to, successor_name, successor_slug)"
    ),
}


def test_units_by_level_and_a_to_z_by_the_name_after_its_kind():
    got = {r["agency_id"]: r for r in page_rows("page_index_units", UNITS)}
    # the longest kind that matches: "Huyện đảo" before "Huyện", "Ủy ban nhân dân tỉnh"
    sort_names = {a: r["sort_name"] for a, r in got.items()}
    assert sort_names == {
        "P": "Thử", "A": "Tư pháp", "C": "Đông Hòa", "D": "Cũ | Tây", "E": "An Bình",
        "F": "Dương", "G": "Hòn Ngọc", "H": "Ba Vì", "X": HOSTILE,
    }  # fmt: skip
    by_row = [a for a, _ in sorted(got.items(), key=lambda kv: kv[1]["row_order"])]
    # A–Z: An Bình, Ba Vì, Cũ, Dương, Đông Hòa, Hòn Ngọc, Thử, Tư pháp; the non-letter in #
    assert [a for a in by_row if a != "X"] == ["E", "H", "D", "F", "C", "G", "P", "A"]
    assert (got["F"]["letter"], got["C"]["letter"]) == ("D", "Đ")
    assert got["F"]["letter_order"] < got["C"]["letter_order"] < got["G"]["letter_order"]
    assert got["X"]["letter"] == "#" and got["X"]["letter_order"] == max(
        r["letter_order"] for r in got.values()
    )
    # levels: the province first, then departments, districts, communes (the seed's order)
    assert [got[a]["level_order"] for a in "PAGC"] == [1, 2, 3, 4]
    assert got["P"]["level_heading"] == "Cấp tỉnh" and got["G"]["level_anchor"] == "cap-district"
    communes = sorted((r["level_row_order"], a) for a, r in got.items() if r["level"] == "commune")
    assert [a for _, a in communes] == ["E", "D", "F", "C"]


def test_the_unit_index_lists_every_level_in_order():
    page = unit_index(page_rows("page_index_units", UNITS, order_by="row_order"))
    assert [g["label"] for g in page.levels] == [
        "Cấp tỉnh", "Sở, ban, ngành", "Cấp huyện", "Cấp xã (xã, phường, đặc khu)",
    ]  # fmt: skip
    assert [r["agency_id"] for r in page.levels[3]["rows"]] == ["E", "D", "F", "C"]
    assert [r["agency_id"] for r in page.levels[2]["rows"]] == ["H", "G"]
    assert page.letters[-1]["letter"] == "#"


def linked_pages(text: str, kind: str) -> set[str]:
    """The <kind>/<folder>/ pages a page links to (hrefs like ../co-quan/x/)."""
    return set(re.findall(rf'href="\.\./{kind}/([^/"]+)/"', text))


def test_every_procedure_and_unit_page_is_linked_from_its_index(site):
    _, docs, _, _ = site
    for kind in ("thu-tuc", "co-quan"):
        pages = {p.parent.name for p in (docs / kind).glob("*/index.md")}
        assert pages, kind
        linked = linked_pages(read(docs, f"{kind}/index.md"), kind)
        assert linked == pages, kind
    home = read(docs, "index.md")
    assert "](co-quan/index.md)" in home and "](thu-tuc/index.md)" in home


def test_names_are_escaped_in_the_indexes(site):
    _, docs, _, _ = site
    units = read(docs, "co-quan/index.md")
    assert HOSTILE not in units
    assert units.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # by level and A–Z
    procedures = read(docs, "thu-tuc/index.md")
    # a name in an HTML list: neither Markdown (no emphasis) nor HTML is interpreted
    assert ">Cấp phép *xây dựng*</a>" in procedures
    assert "### Xây dựng { #linh-vuc-xay-dung }" in procedures
