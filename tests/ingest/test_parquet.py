"""Parquet inputs (minhbach.ingest.parquet): typed values as CSV text, files with the same
columns read together, reserved and missing columns."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from .files import SECRET_NAME, all_text, input_error, make_dir, read, rows


def test_parquet(tmp_path):
    data = make_dir(tmp_path, **{"dossiers.csv": None})
    table = pa.table(
        {
            "MaHoSo": ["H1", "H2"],
            "madonvi": ["A", "A"],
            "MaTTHC": ["1.000001", "1.000001"],
            "TrangThaiHoSo": pa.array([9, 4], type=pa.int64()),
            "NgayTiepNhan": pa.array(
                [dt.datetime(2026, 3, 1, 8, 0), dt.datetime(2026, 3, 2, 9, 30, 15)],
                type=pa.timestamp("us"),
            ),
            "NgayHenTra": pa.array([dt.date(2026, 3, 10), None], type=pa.date32()),
            "NgayKetThucXuLy": pa.array(
                [dt.datetime(2026, 3, 5, 3, 0), None], type=pa.timestamp("us", tz="UTC")
            ),
            "HinhThuc": pa.array([1.0, 2.5], type=pa.float64()),
            "DaDongBo": pa.array([True, False]),
            "ChuHoSo": [SECRET_NAME, "B"],
        }
    )
    pq.write_table(table, data / "dossiers.parquet")
    con, report = read(data)
    got = rows(
        con,
        "SELECT dossier_id, agency_id, status, received_at, due_at, finished_at, return_method,"
        " synced_national, _source, _line FROM raw_dossiers ORDER BY _line",
    )
    assert got == [
        {
            "dossier_id": "H1",
            "agency_id": "A",
            "status": "9",
            "received_at": "2026-03-01 08:00:00",
            "due_at": "2026-03-10",
            "finished_at": "2026-03-05 10:00:00",  # UTC converted to Việt Nam time
            "return_method": "1",
            "synced_national": "true",
            "_source": "dossiers.parquet",
            "_line": 2,
        },
        {
            "dossier_id": "H2",
            "agency_id": "A",
            "status": "4",
            "received_at": "2026-03-02 09:30:15",
            "due_at": None,
            "finished_at": None,
            "return_method": "2.5",
            "synced_national": "false",
            "_source": "dossiers.parquet",
            "_line": 3,
        },
    ]
    assert report["dossiers"].dropped_columns == ["ChuHoSo"]
    assert SECRET_NAME not in all_text(con)


def test_folder_of_parquet_files_read_together(tmp_path):
    data = make_dir(tmp_path, **{"dossiers.csv": None})
    folder = data / "dossiers"
    folder.mkdir()

    def month(ids: list[str], extra: dict | None = None) -> pa.Table:
        n = len(ids)
        columns = {
            "MaHoSo": ids,
            "MaDonVi": ["A"] * n,
            "MaTTHC": ["1.000001"] * n,
            "TrangThaiHoSo": ["9"] * n,
            "NgayTiepNhan": ["a"] * n,
            "NgayHenTra": ["b"] * n,
            "NgayKetThucXuLy": ["c"] * n,
            "ChuHoSo": [SECRET_NAME] * n,
        }
        return pa.table({**columns, **(extra or {})})

    pq.write_table(month(["H1", "H2"]), folder / "2026-01.parquet")
    pq.write_table(month(["H3"]), folder / "2026-02.parquet")
    # another layout: read on its own
    pq.write_table(month(["H4", "H5"], {"KenhThucHien": ["2", "1"]}), folder / "2026-03.parquet")
    messages: list[str] = []
    con, report = read(data, progress=messages.append)
    got = con.execute(
        "SELECT dossier_id, channel, _source, _line FROM raw_dossiers ORDER BY dossier_id"
    )
    assert got.fetchall() == [
        ("H1", None, "dossiers/2026-01.parquet", 2),
        ("H2", None, "dossiers/2026-01.parquet", 3),
        ("H3", None, "dossiers/2026-02.parquet", 2),
        ("H4", "2", "dossiers/2026-03.parquet", 2),
        ("H5", "1", "dossiers/2026-03.parquet", 3),
    ]
    assert report["dossiers"].rows_read == 5 and report["dossiers"].file_count == 3
    assert "đọc dossiers: 2 tệp Parquet" in messages
    assert SECRET_NAME not in all_text(con)


def test_parquet_with_a_reserved_column_name(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": None})
    table = {"MaDonVi": ["A"], "TenDonVi": ["Sở"], "CapDonVi": ["other"], "filename": ["x"]}
    pq.write_table(pa.table(table), data / "agencies.parquet")
    error = input_error(data)
    assert error.file == "agencies.parquet" and "filename" in error.problem


def test_parquet_missing_required_column(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": None})
    pq.write_table(pa.table({"MaDonVi": ["A"], "TenDonVi": ["Sở"]}), data / "agencies.parquet")
    error = input_error(data)
    assert error.file == "agencies.parquet" and "level (CapDonVi)" in error.problem
