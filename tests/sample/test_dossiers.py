"""A month's dossiers (minhbach.sample.dossiers, .flaws, .exports, .satisfaction) as the files
show them: received while their unit existed, consistent statuses and dates, a few bad rows of
every kind, child rows that point at dossiers, fake personal data."""

from __future__ import annotations

import re
from datetime import date

from .province import N, dossiers, rows, ts


def test_no_dossier_is_received_outside_its_units_validity(data):
    out, _ = data
    units = {r["agency_id"]: r for r in rows(out / "agencies.csv")}
    seen = 0
    for r in dossiers(out):
        when = ts(r["NgayTiepNhan"]) or ts(r["NgayNopHoSo"])
        unit = units[r["MaDonVi"]]
        if unit["valid_from"]:
            assert when.date() >= date.fromisoformat(unit["valid_from"]), r["MaHoSo"]
        if unit["valid_to"]:
            assert when.date() <= date.fromisoformat(unit["valid_to"]), r["MaHoSo"]
        seen += 1
    assert seen == N


def test_statuses_and_timestamps_are_consistent(data):
    out, _ = data
    found = dossiers(out)
    statuses = {int(r["TrangThaiHoSo"]) for r in found}
    assert statuses >= {1, 3, 4, 7, 8, 9, 10}
    formats = {bool(re.fullmatch(r"\d{14}", r["NgayNopHoSo"])) for r in found}
    assert formats == {True, False}  # DVCQG form in most months, dd/mm/yyyy in a few
    for r in found:
        st = int(r["TrangThaiHoSo"])
        rec, fin, ret = ts(r["NgayTiepNhan"]), ts(r["NgayKetThucXuLy"]), ts(r["NgayTra"])
        if st in (1, 3):
            assert rec is None and r["NgayHenTra"] == ""
        if fin is not None:
            assert st in (7, 8, 9, 10)
            if rec is not None:
                assert fin >= rec
        if st in (7, 8, 9):
            assert fin is not None
        if ret is not None:
            assert st == 10 and r["HinhThuc"] in ("0", "1")


def test_deliberately_bad_rows_are_few_and_of_every_kind(data):
    out, _ = data
    found = dossiers(out)
    codes = {r["MaTTHC"] for r in rows(out / "procedures.csv")}
    ids: dict[str, int] = {}
    for r in found:
        ids[r["MaHoSo"]] = ids.get(r["MaHoSo"], 0) + 1
    kinds = {
        "due before receipt": sum(
            1 for r in found if r["NgayTiepNhan"] and ts(r["NgayHenTra"]) < ts(r["NgayTiepNhan"])
        ),
        "unknown procedure": sum(1 for r in found if r["MaTTHC"] not in codes),
        "repeated id": sum(n for n in ids.values() if n > 1),
        "status 4 without receipt": sum(
            1 for r in found if r["TrangThaiHoSo"] == "4" and not r["NgayTiepNhan"]
        ),
    }
    assert all(n > 0 for n in kinds.values()), kinds
    assert sum(kinds.values()) < 0.02 * len(found), kinds


def test_child_rows_point_at_dossiers(data):
    out, _ = data
    ids = {r["MaHoSo"] for r in dossiers(out)}
    supplements = rows(out / "supplements.csv")
    assert supplements and all(r["MaHoSo"] in ids for r in supplements)
    ratings = rows(out / "ratings.csv")
    assert all(1 <= int(r["DanhGia"]) <= 5 for r in ratings)
    assert any(r["MaHoSo"] == "" and r["MaDonVi"] for r in ratings)
    unknown = [r for r in ratings if r["MaHoSo"] and r["MaHoSo"] not in ids]
    assert len(unknown) <= 2
    feedback = rows(out / "feedback.csv")
    assert all(r["MaHoSo"] == "" or r["MaHoSo"] in ids for r in feedback)
    assert {r["PhanLoai"] for r in feedback} <= {"procedure", "staff", "other"}


def test_raw_files_carry_fake_personal_data(data):
    out, _ = data
    found = dossiers(out)
    for r in found:
        assert r["ChuHoSo"]
        assert re.fullmatch(r"09\d{8}", r["SoDienThoai"])
        assert re.fullmatch(r"099\d{9}", r["SoGiayToChuHoSo"])
        assert r["ChuHoSo"] in r["TrichYeuHoSo"]
    assert any(r["NguoiDanhGia"] for r in rows(out / "ratings.csv"))
    assert all(r["NoiDung"] for r in rows(out / "feedback.csv"))
