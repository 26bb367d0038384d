"""Excel inputs (minhbach.ingest.xlsx): the first sheet, dates and serials, batches, empty
sheets."""

from __future__ import annotations

import datetime as dt

from minhbach.ingest import xlsx as ingest_xlsx

from .files import (
    DOSSIER_COLUMNS,
    SECRET_NAME,
    all_text,
    input_error,
    make_dir,
    read,
    rows,
    write_xlsx,
)


def test_xlsx_first_sheet_with_dates_serials_and_numbers(tmp_path):
    data = make_dir(tmp_path, **{"dossiers.csv": None})
    write_xlsx(
        data / "dossiers.xlsx",
        [
            [*DOSSIER_COLUMNS, "NgayNopHoSo", "ChuHoSo"],
            [
                "H1",
                "A",
                1.000001,
                9.0,
                dt.datetime(2026, 3, 1, 14, 30),
                dt.date(2026, 3, 10),
                46084.6041666667,
                20260301080000,
                SECRET_NAME,
            ],
            [None, None, None, None, None, None, None, None, None],  # an empty row: skipped
            ["H2", "A", "1.000001", 4, "01/03/2026 08:00", 46090, None, None, "B"],
        ],
        sheets=2,
    )
    con, report = read(data)
    got = rows(
        con,
        "SELECT dossier_id, procedure_id, status, received_at, due_at, finished_at, submitted_at,"
        " _source, _line FROM raw_dossiers ORDER BY _line",
    )
    assert got == [
        {
            "dossier_id": "H1",
            "procedure_id": "1.000001",
            "status": "9",
            "received_at": "2026-03-01 14:30:00",
            "due_at": "2026-03-10 00:00:00",
            "finished_at": "2026-03-03 14:30:00",  # Excel serial 46084.604166…
            "submitted_at": "20260301080000",  # a number too large to be a serial: kept as digits
            "_source": "dossiers.xlsx",
            "_line": 2,
        },
        {
            "dossier_id": "H2",
            "procedure_id": "1.000001",
            "status": "4",
            "received_at": "01/03/2026 08:00",
            "due_at": "2026-03-09 00:00:00",
            "finished_at": None,
            "submitted_at": None,
            "_source": "dossiers.xlsx",
            "_line": 4,
        },
    ]
    assert report["dossiers"].rows_read == 2
    assert report["dossiers"].dropped_columns == ["ChuHoSo"]
    assert SECRET_NAME not in all_text(con)


def test_xlsx_read_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_xlsx, "BATCH_ROWS", 2)
    data = make_dir(tmp_path, **{"agencies.csv": None})
    sheet = [["MaDonVi", "TenDonVi", "CapDonVi", "DiaChi"]]
    sheet += [[f"A{i}", f"Sở {i}", "department", SECRET_NAME] for i in range(5)]
    write_xlsx(data / "agencies.xlsx", sheet)
    messages: list[str] = []
    con, report = read(data, progress=messages.append)
    got = con.execute("SELECT agency_id, parent_id, _line FROM raw_agencies ORDER BY _line")
    assert got.fetchall() == [(f"A{i}", None, i + 2) for i in range(5)]
    assert report["agencies"].rows_read == 5
    assert "đọc agencies.xlsx: 4 dòng" in messages
    assert SECRET_NAME not in all_text(con)


def test_xlsx_date_columns_and_cell_text():
    epoch = dt.datetime(1899, 12, 30)
    assert ingest_xlsx.cell_text(46090, "date", epoch) == "2026-03-09"
    assert ingest_xlsx.cell_text(dt.datetime(2026, 3, 9), "date", epoch) == "2026-03-09"
    assert ingest_xlsx.cell_text(
        dt.datetime(2026, 3, 9, 23, 59, 59, 999_999), "timestamp", epoch
    ) == ("2026-03-10 00:00:00")
    assert ingest_xlsx.cell_text(4.0, "int", epoch) == "4"
    assert ingest_xlsx.cell_text(0.1 + 0.2, "number", epoch) == "0.3"
    assert ingest_xlsx.cell_text(True, "bool", epoch) == "true"
    assert ingest_xlsx.cell_text(46090, "text", epoch) == "46090"
    assert ingest_xlsx.cell_text(None, "timestamp", epoch) is None
    mac = dt.datetime(1904, 1, 1)
    assert ingest_xlsx.cell_text(44628, "date", mac) == "2026-03-09"


def test_xlsx_missing_required_column_and_empty_sheet(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": None})
    write_xlsx(data / "agencies.xlsx", [["MaDonVi", "TenDonVi"], ["A", "Sở"]])
    error = input_error(data)
    assert error.file == "agencies.xlsx" and "level (CapDonVi)" in error.problem
    write_xlsx(data / "agencies.xlsx", [])
    assert "tệp rỗng" in input_error(data).problem
