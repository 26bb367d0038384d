"""The data contract's columns for the portal (agencies.portal_code,
agencies.offers_e_certified_copy, procedures.for_citizens, procedures.citizen_data_connected):
typed in staging with the usual quarantine rules, and portal_code linking a one-stop unit to the
portal's (portal_units.agency_id)."""

from __future__ import annotations

from conftest import DEFAULT_AGENCIES, DEFAULT_PROCEDURES, build_db, rows

from .kit import portal_db, unit, unit_list

GROUPS = {"CKMB": 10, "TDGQ": 10, "ONLINE": 10, "TTTT": 10, "MDSH": 10, "MDHL": 10}


def staged(agencies=DEFAULT_AGENCIES, procedures=DEFAULT_PROCEDURES):
    return build_db({"agencies": agencies, "procedures": procedures}, layers=("staging",))


def test_the_new_columns_are_optional_and_empty_means_unknown():
    con = staged()
    agencies = rows(con, "select portal_code, offers_e_certified_copy from stg_agencies")
    assert {(a["portal_code"], a["offers_e_certified_copy"]) for a in agencies} == {(None, None)}
    procedures = rows(con, "select for_citizens, citizen_data_connected from stg_procedures")
    assert {(p["for_citizens"], p["citizen_data_connected"]) for p in procedures} == {(None, None)}


def test_booleans_are_read_and_a_bad_one_is_quarantined():
    agencies = [
        {**DEFAULT_AGENCIES[0], "offers_e_certified_copy": "có"},
        {**DEFAULT_AGENCIES[1], "offers_e_certified_copy": "0"},
        {**DEFAULT_AGENCIES[2], "offers_e_certified_copy": "thỉnh thoảng"},
    ]
    procedures = [
        {**DEFAULT_PROCEDURES[0], "for_citizens": "x", "citizen_data_connected": "false"},
        {**DEFAULT_PROCEDURES[1], "for_citizens": "1", "citizen_data_connected": "?"},
    ]
    con = staged(agencies, procedures)
    got = rows(
        con,
        "select agency_id, offers_e_certified_copy, reject_reason from stg_agencies "
        "order by agency_id",
    )
    assert [(a["agency_id"], a["offers_e_certified_copy"], a["reject_reason"]) for a in got] == [
        ("A", False, None),
        ("B", None, "giá trị đúng/sai không hợp lệ ở cột offers_e_certified_copy"),
        ("P", True, None),
    ]
    got = rows(
        con,
        "select procedure_id, for_citizens, citizen_data_connected, reject_reason "
        "from stg_procedures order by procedure_id",
    )
    assert [tuple(p.values()) for p in got] == [
        ("1.000001", True, False, None),
        ("1.000002", True, None, "giá trị đúng/sai không hợp lệ ở cột citizen_data_connected"),
    ]


def test_a_portal_code_given_to_two_agencies_quarantines_both():
    agencies = [
        DEFAULT_AGENCIES[0],
        {**DEFAULT_AGENCIES[1], "portal_code": "H99.01"},
        {**DEFAULT_AGENCIES[2], "portal_code": " h99.01 "},  # the same code, trimmed, any case
    ]
    con = staged(agencies)
    got = rows(con, "select agency_id, portal_code, reject_reason from stg_agencies")
    reason = "mã trên Cổng Dịch vụ công quốc gia trùng với đơn vị khác (portal_code)"
    assert sorted(tuple(a.values()) for a in got) == [
        ("A", "H99.01", reason),
        ("B", "H99.01", reason),
        ("P", None, None),
    ]
    quarantined = rows(con, "select key, reason from quarantine where \"table\" = 'agencies'")
    assert sorted(q["key"] for q in quarantined) == ["A", "B"]


def test_portal_units_name_the_one_stop_unit_with_their_code(tmp_path):
    agencies = [
        {**DEFAULT_AGENCIES[0], "portal_code": "H99"},
        {**DEFAULT_AGENCIES[1], "portal_code": "h99.01"},
        DEFAULT_AGENCIES[2],
    ]
    listed = unit_list(unit("H99.01", 60, GROUPS), unit("H99.02", 60, GROUPS))
    con = portal_db(tmp_path, {"list.json": listed}, agencies)
    got = rows(con, "select portal_code, agency_id, level, name from portal_units")
    assert [tuple(u.values()) for u in got] == [
        ("H99", "P", "province", "UBND tỉnh Thử"),
        ("H99.01", "A", "department", "Đơn vị H99.01"),
        ("H99.02", None, "department", "Đơn vị H99.02"),
    ]
