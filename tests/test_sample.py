"""The bundled synthetic province (minhbach.sample): deterministic, complete, realistic enough."""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from minhbach import sample
from minhbach.contract import TABLES, alias_map, normalise_header

AS_OF = date(2026, 11, 15)
N = 3_000


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample")
    counts = sample.generate(out, dossiers=N, seed=7)
    return out, counts


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _dossiers(out: Path) -> list[dict[str, str]]:
    rows = []
    for f in sorted((out / "dossiers").glob("*.csv")):
        rows += _rows(f)
    return rows


def _ts(value: str) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y%m%d%H%M%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            pass
    return datetime.fromisoformat(value)


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_arguments_give_byte_identical_files(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    sample.generate(a, dossiers=800, seed=11)
    sample.generate(b, dossiers=800, seed=11)
    sample.generate(c, dossiers=800, seed=12)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)


def test_every_table_is_written_with_the_expected_headers(data):
    out, counts = data
    expected = {
        "agencies": sample.AGENCY_COLUMNS,
        "procedures": sample.PROCEDURE_COLUMNS,
        "supplements": sample.SUPPLEMENT_COLUMNS,
        "ratings": sample.RATING_COLUMNS,
        "feedback": sample.FEEDBACK_COLUMNS,
        "procedure_publications": sample.PUBLICATION_COLUMNS,
        "official_scores": sample.SCORE_COLUMNS,
    }
    for name, columns in expected.items():
        path = out / f"{name}.csv"
        assert _header(path) == list(columns), name
        assert len(_rows(path)) == counts[name] > 0, name
    months = sorted(p.name for p in (out / "dossiers").iterdir())
    assert months[0] == "2024-10.csv" and months[-1] == "2026-11.csv"
    assert len(months) == 26
    for f in months:
        assert _header(out / "dossiers" / f) == list(sample.DOSSIER_COLUMNS)
    assert len(_dossiers(out)) == counts["dossiers"] == N


def test_every_contract_column_is_understood(data):
    """Each header maps to a contract column, or is a personal-data column the build drops."""
    out, _ = data
    files = {name: out / f"{name}.csv" for name in sample.TABLE_FILES}
    files["dossiers"] = out / "dossiers" / "2024-10.csv"
    personal = {normalise_header(c) for c in ("ChuHoSo", "SoDienThoai", "SoGiayToChuHoSo")}
    personal |= {normalise_header(c) for c in ("TrichYeuHoSo", "NguoiDanhGia", "NoiDung")}
    for name, path in files.items():
        aliases = alias_map(TABLES[name])
        mapped = set()
        for col in _header(path):
            key = normalise_header(col)
            assert key in aliases or key in personal, (name, col)
            if key in aliases:
                mapped.add(aliases[key])
        required = {c.name for c in TABLES[name].columns if c.required}
        assert required <= mapped, (name, required - mapped)


def test_marker_says_the_province_is_not_real(data):
    out, _ = data
    marker = tomllib.loads((out / "_synthetic.toml").read_text(encoding="utf-8"))
    assert marker["province_name"] == "Tỉnh Minh Họa (giả lập)"
    assert "giả lập" in marker["note"] and "không" in marker["note"]
    assert marker["seed"] == 7
    assert marker["as_of"] == AS_OF
    assert marker["generator"].startswith("minhbach.sample")


def test_the_2025_restructuring(data):
    out, _ = data
    agencies = {r["name"]: r for r in _rows(out / "agencies.csv")}
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
    for r in old:
        assert r["valid_to"] == "2025-06-30"
        assert r["successor_id"] in new
        assert agencies_by_id(agencies)[r["parent_id"]]["level"] == "district"


def agencies_by_id(agencies: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["agency_id"]: r for r in agencies.values()}


def test_no_dossier_is_received_outside_its_units_validity(data):
    out, _ = data
    units = {r["agency_id"]: r for r in _rows(out / "agencies.csv")}
    seen = 0
    for r in _dossiers(out):
        when = _ts(r["NgayTiepNhan"]) or _ts(r["NgayNopHoSo"])
        unit = units[r["MaDonVi"]]
        if unit["valid_from"]:
            assert when.date() >= date.fromisoformat(unit["valid_from"]), r["MaHoSo"]
        if unit["valid_to"]:
            assert when.date() <= date.fromisoformat(unit["valid_to"]), r["MaHoSo"]
        seen += 1
    assert seen == N


def test_no_event_after_the_as_of_date(data):
    out, _ = data
    events = {
        "dossiers": ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra"),
        "supplements": ("NgayYeuCauBoSung", "NgayTiepNhanBoSung"),
        "ratings": ("ThoiGianDanhGia",),
        "feedback": ("NgayTiepNhan", "NgayXuLy"),
        "procedure_publications": ("published_at", "made_public_at"),
    }
    later_due = 0
    for table, columns in events.items():
        rows = _dossiers(out) if table == "dossiers" else _rows(out / f"{table}.csv")
        for r in rows:
            for c in columns:
                t = _ts(r[c])
                assert t is None or t.date() <= AS_OF, (table, c, r[c])
            if table == "dossiers" and r["TrangThaiHoSo"] in ("2", "4", "5", "6"):
                later_due += _ts(r["NgayHenTra"]) is not None and _ts(r["NgayHenTra"]) > _ts(
                    "20261115000000"
                )
    assert later_due > 0  # open dossiers may be due after the as-of date


def test_statuses_and_timestamps_are_consistent(data):
    out, _ = data
    rows = _dossiers(out)
    statuses = {int(r["TrangThaiHoSo"]) for r in rows}
    assert statuses >= {1, 3, 4, 7, 8, 9, 10}
    formats = {bool(re.fullmatch(r"\d{14}", r["NgayNopHoSo"])) for r in rows}
    assert formats == {True, False}  # DVCQG form in most months, dd/mm/yyyy in a few
    for r in rows:
        st = int(r["TrangThaiHoSo"])
        rec, fin, ret = _ts(r["NgayTiepNhan"]), _ts(r["NgayKetThucXuLy"]), _ts(r["NgayTra"])
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
    rows = _dossiers(out)
    codes = {r["MaTTHC"] for r in _rows(out / "procedures.csv")}
    ids: dict[str, int] = {}
    for r in rows:
        ids[r["MaHoSo"]] = ids.get(r["MaHoSo"], 0) + 1
    kinds = {
        "due before receipt": sum(
            1 for r in rows if r["NgayTiepNhan"] and _ts(r["NgayHenTra"]) < _ts(r["NgayTiepNhan"])
        ),
        "unknown procedure": sum(1 for r in rows if r["MaTTHC"] not in codes),
        "repeated id": sum(n for n in ids.values() if n > 1),
        "status 4 without receipt": sum(
            1 for r in rows if r["TrangThaiHoSo"] == "4" and not r["NgayTiepNhan"]
        ),
    }
    assert all(n > 0 for n in kinds.values()), kinds
    assert sum(kinds.values()) < 0.02 * len(rows), kinds


def test_child_rows_point_at_dossiers(data):
    out, _ = data
    ids = {r["MaHoSo"] for r in _dossiers(out)}
    supplements = _rows(out / "supplements.csv")
    assert supplements and all(r["MaHoSo"] in ids for r in supplements)
    ratings = _rows(out / "ratings.csv")
    assert all(1 <= int(r["DanhGia"]) <= 5 for r in ratings)
    assert any(r["MaHoSo"] == "" and r["MaDonVi"] for r in ratings)
    unknown = [r for r in ratings if r["MaHoSo"] and r["MaHoSo"] not in ids]
    assert len(unknown) <= 2
    feedback = _rows(out / "feedback.csv")
    assert all(r["MaHoSo"] == "" or r["MaHoSo"] in ids for r in feedback)
    assert {r["PhanLoai"] for r in feedback} <= {"procedure", "staff", "other"}


def test_raw_files_carry_fake_personal_data(data):
    out, _ = data
    rows = _dossiers(out)
    for r in rows:
        assert r["ChuHoSo"]
        assert re.fullmatch(r"09\d{8}", r["SoDienThoai"])
        assert re.fullmatch(r"099\d{9}", r["SoGiayToChuHoSo"])
        assert r["ChuHoSo"] in r["TrichYeuHoSo"]
    assert any(r["NguoiDanhGia"] for r in _rows(out / "ratings.csv"))
    assert all(r["NoiDung"] for r in _rows(out / "feedback.csv"))


def test_parquet_has_the_same_layout_and_values(tmp_path):
    a, b = tmp_path / "csv", tmp_path / "parquet"
    sample.generate(a, dossiers=500, seed=3)
    sample.generate(b, dossiers=500, seed=3, fmt="parquet")
    names = [*sample.TABLE_FILES, *(f"dossiers/{p.stem}" for p in (a / "dossiers").iterdir())]
    for name in names:
        assert (b / f"{name}.parquet").is_file() and not (b / f"{name}.csv").exists()
        opts = pacsv.ConvertOptions(
            column_types={c: "string" for c in _header(a / f"{name}.csv")},
            strings_can_be_null=True,
        )
        from_csv = pacsv.read_csv(a / f"{name}.csv", convert_options=opts)
        assert pq.read_table(b / f"{name}.parquet").equals(from_csv), name


def test_removes_only_its_own_files(tmp_path):
    (tmp_path / "dossiers").mkdir()
    (tmp_path / "notes.txt").write_text("keep")
    (tmp_path / "dossiers" / "README").write_text("keep")
    (tmp_path / "agencies.parquet").write_bytes(b"stale")
    (tmp_path / "dossiers" / "2019-01.csv").write_text("stale")
    sample.generate(tmp_path, dossiers=200)
    assert (tmp_path / "notes.txt").read_text() == "keep"
    assert (tmp_path / "dossiers" / "README").read_text() == "keep"
    assert not (tmp_path / "agencies.parquet").exists()
    assert not (tmp_path / "dossiers" / "2019-01.csv").exists()


def test_command_line(tmp_path, capsys):
    assert sample.main(["--out", str(tmp_path), "--dossiers", "300", "--seed", "5"]) == 0
    assert "dossiers" in capsys.readouterr().out
    assert len(_dossiers(tmp_path)) == 300


def test_large_scale_catalogue():
    units = sample._build_units("large")
    procs = sample._build_procedures("large")
    assert len(procs.codes) == len(set(procs.codes)) == 1800
    assert len(set(procs.names)) == 1800
    assert len(units.ids) == len(set(units.ids))
    assert sum(k == "district" for k in units.kinds) == 60
    assert sum(k == "commune" for k in units.kinds) == 450
    assert 20 <= sum(k == "dept" for k in units.kinds) <= 26
    assert 650 <= len(units.ids) <= 750  # "about 700 units"
    # the 108 common procedures carry most of the volume; the long tail is rare
    assert procs.weight[:108].sum() > 0.6 * procs.weight.sum()
