"""One table's files into raw_<name> (minhbach.ingest.table): absent and empty tables, files
that cannot be read as a whole, folders of files in several forms."""

from __future__ import annotations

import gzip

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from minhbach import contract

from .files import (
    DOSSIER_COLUMNS,
    DOSSIER_HEADER,
    SECRET_NAME,
    all_text,
    dossiers_csv,
    input_error,
    make_dir,
    read,
    rows,
    write_xlsx,
)


def test_absent_optional_table_is_an_empty_raw_table(tmp_path):
    con, report = read(make_dir(tmp_path))
    assert report["ratings"].present is False
    assert "ratings" in report.absent
    assert con.execute("SELECT count(*) FROM raw_ratings").fetchone() == (0,)
    columns = [d[0] for d in con.execute("DESCRIBE raw_ratings").fetchall()]
    assert columns == [*contract.TABLES["ratings"].column_names, "_source", "_line"]
    tables = rows(con, "SELECT * FROM input_tables ORDER BY table_name")
    assert {"table_name": "ratings", "present": False, "files": 0, "rows_read": 0} in tables
    assert {"table_name": "dossiers", "present": True, "files": 1, "rows_read": 3} in tables


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n", b"\r\n"])
def test_empty_file_is_an_error(tmp_path, content):
    error = input_error(make_dir(tmp_path, **{"agencies.csv": content}))
    assert error.file == "agencies.csv"
    assert "tệp rỗng" in error.problem


def test_required_table_with_only_a_header_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": DOSSIER_HEADER + "\n"}))
    assert error.file == "dossiers.csv"
    assert "không có dòng dữ liệu" in error.problem


def test_optional_table_with_only_a_header_is_present_and_empty(tmp_path):
    con, report = read(make_dir(tmp_path, **{"ratings.csv": "MaHoSo,ThoiGianDanhGia,DanhGia"}))
    assert report["ratings"].present and report["ratings"].rows_read == 0
    assert con.execute("SELECT count(*) FROM raw_ratings").fetchone() == (0,)


@pytest.mark.parametrize("name", ["agencies.csv", "agencies.xlsx", "agencies.parquet"])
def test_binary_junk_is_an_error(tmp_path, name):
    junk = bytes(range(256)) * 50
    data = make_dir(tmp_path, **{"agencies.csv": None, name: junk})
    error = input_error(data)
    assert error.file == name
    assert "\n" not in str(error)


def test_bad_file_in_a_folder_is_named(tmp_path):
    data = make_dir(
        tmp_path,
        **{"dossiers.csv": None, "dossiers__a.csv": dossiers_csv(), "dossiers__b.csv": b""},
    )
    assert input_error(data).file == "dossiers/b.csv"


def test_folder_of_monthly_files_in_several_forms(tmp_path):
    data = make_dir(tmp_path, **{"dossiers.csv": None})
    folder = data / "dossiers"
    folder.mkdir()
    (folder / "2026-01.csv").write_text(dossiers_csv(2), encoding="utf-8")
    (folder / "2026-02.csv.gz").write_bytes(
        gzip.compress(dossiers_csv(1).replace("H1,", "H3,").replace(",", ";").encode())
    )
    write_xlsx(
        folder / "2026-03.xlsx",
        [
            DOSSIER_COLUMNS,
            ["H4", "A", "1.000001", 9, "a", "b", "c"],
        ],
    )
    pq.write_table(
        pa.table(
            {
                "MaHoSo": ["H5"],
                "MaDonVi": ["A"],
                "MaTTHC": ["1"],
                "TrangThaiHoSo": ["9"],
                "NgayTiepNhan": ["a"],
                "NgayHenTra": ["b"],
                "NgayKetThucXuLy": ["c"],
            }
        ),
        folder / "2026-04.parquet",
    )
    (folder / ".DS_Store").write_bytes(b"\x00junk")
    (folder / "~$2026-03.xlsx").write_bytes(b"lock")
    (folder / "README.md").write_text("tháng 1–4\n", encoding="utf-8")
    messages: list[str] = []
    con, report = read(data, progress=messages.append)
    got = con.execute("SELECT dossier_id, _source, _line FROM raw_dossiers ORDER BY dossier_id")
    assert got.fetchall() == [
        ("H1", "dossiers/2026-01.csv", 2),
        ("H2", "dossiers/2026-01.csv", 3),
        ("H3", "dossiers/2026-02.csv.gz", 2),
        ("H4", "dossiers/2026-03.xlsx", 2),
        ("H5", "dossiers/2026-04.parquet", 2),
    ]
    assert report["dossiers"].files == [
        "dossiers/2026-01.csv",
        "dossiers/2026-02.csv.gz",
        "dossiers/2026-03.xlsx",
        "dossiers/2026-04.parquet",
    ]
    assert report["dossiers"].rows_read == 5
    assert con.execute(
        "SELECT files, rows_read FROM input_tables WHERE table_name = 'dossiers'"
    ).fetchone() == (4, 5)
    assert any("2/4" in m for m in messages)
    assert SECRET_NAME not in all_text(con)
