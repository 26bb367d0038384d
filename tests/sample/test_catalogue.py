"""The catalogue (minhbach.sample.units, .procedures, .catalogue): the 2025 restructuring, the
large province's size, who handles what."""

from __future__ import annotations

import numpy as np

from minhbach.sample.catalogue import COMMUNE, DISTRICT, build_catalogue
from minhbach.sample.procedures import build_procedures, parse_procedures
from minhbach.sample.units import build_units

from .province import rows


def test_the_2025_restructuring(data):
    out, _ = data
    agencies = {r["name"]: r for r in rows(out / "agencies.csv")}
    ids = {r["agency_id"] for r in agencies.values()}
    khdt, tc = agencies["Sở Kế hoạch và Đầu tư"], agencies["Sở Tài chính"]
    assert khdt["valid_to"] == "2025-02-28"
    assert khdt["successor_id"] == tc["agency_id"]
    assert tc["valid_to"] == ""
    nnmt = agencies["Sở Nông nghiệp và Môi trường"]
    assert nnmt["valid_from"] == "2025-03-01"
    for old in ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn"):
        assert agencies[old]["successor_id"] == nnmt["agency_id"]
    assert agencies["Sở Giao thông vận tải"]["successor_id"] == agencies["Sở Xây dựng"]["agency_id"]
    assert (
        agencies["Ban Dân tộc"]["successor_id"] == agencies["Sở Dân tộc và Tôn giáo"]["agency_id"]
    )
    levels = {}
    for r in agencies.values():
        levels.setdefault(r["level"], []).append(r)
        assert r["parent_id"] == "" or r["parent_id"] in ids
        assert r["successor_id"] == "" or r["successor_id"] in ids
    assert len(levels["province"]) == 1
    assert 18 <= len(levels["department"]) <= 25
    assert all(r["valid_to"] == "2025-06-30" for r in levels["district"])
    old = [r for r in levels["commune"] if r["valid_to"]]
    new = {r["agency_id"]: r for r in levels["commune"] if r["valid_from"] == "2025-07-01"}
    assert len(old) >= 60 and len(new) >= 20
    by_id = {r["agency_id"]: r for r in agencies.values()}
    for r in old:
        assert r["valid_to"] == "2025-06-30"
        assert r["successor_id"] in new
        assert by_id[r["parent_id"]]["level"] == "district"


def test_large_scale_catalogue():
    units = build_units("large")
    procs = build_procedures("large")
    assert len(procs.codes) == len(set(procs.codes)) == 1800
    assert len(set(procs.names)) == 1800
    assert len(units.ids) == len(set(units.ids))
    assert sum(k == "district" for k in units.kinds) == 60
    assert sum(k == "commune" for k in units.kinds) == 450
    assert 20 <= sum(k == "dept" for k in units.kinds) <= 26
    assert 650 <= len(units.ids) <= 750  # "about 700 units"
    # the 108 common procedures carry most of the volume; the long tail is rare
    assert procs.weight[:108].sum() > 0.6 * procs.weight.sum()


def test_a_procedure_record_is_a_line_then_its_name():
    text = """
# a comment
1.000001 | COMM | 0.5 | 4 | 101 | 2 | c | 0.3 | 0.1 | Hộ tịch
    Đăng ký một việc rất dài
    trên hai dòng
"""
    (p,) = parse_procedures(text)
    assert (p.code, p.owner, p.days, p.level, p.field) == ("1.000001", "COMM", 0.5, 4, "Hộ tịch")
    assert (p.fee, p.pay, p.doc, p.weight, p.app) == (1, 0, 1, 2.0, "c")
    assert p.name == "Đăng ký một việc rất dài trên hai dòng"


def test_owners_follow_the_restructuring():
    cat = build_catalogue("sample")
    codes = cat.procs.codes
    ids = cat.units.ids
    police = cat.units.keys.index("CA")

    def owner(code: str, epoch: int) -> int:
        return int(cat.owner[epoch, codes.index(code)])

    # driving licences: transport department, then the police from 1/3/2025
    assert ids[owner("1.002809", 0)].startswith("000.00.07.")
    assert owner("1.002809", 1) == owner("1.002809", 2) == police
    # the land department merged into agriculture and environment on 1/3/2025
    nnmt = cat.units.keys.index("NNMT")
    assert owner("1.012753", 0) != nnmt and owner("1.012753", 1) == nnmt
    # district procedures go to the communes once districts end (1/7/2025)
    assert owner("1.001612", 1) == DISTRICT and owner("1.001612", 2) == COMMUNE
    # each epoch's commune pool: old communes before 1/7/2025, merged ones after
    old_pool, new_pool = cat.pools[1][COMMUNE][0], cat.pools[2][COMMUNE][0]
    assert set(cat.kinds[old_pool]) == {"commune"} and set(cat.kinds[new_pool]) == {"new_commune"}
    assert np.all(np.diff(cat.pools[0][DISTRICT][1]) > 0)  # cumulative population
