"""Text before DuckDB reads it (minhbach.ingest.text): encodings, BOMs, NUL bytes, gzip, line
ends."""

from __future__ import annotations

import gzip

import pytest

from minhbach.ingest import text as ingest_text

from .files import (
    AGENCIES,
    DOSSIER_HEADER,
    SECRET_NAME,
    all_text,
    cp1258,
    dossier_row,
    dossiers_csv,
    input_error,
    make_dir,
    read,
)


def test_nul_bytes_are_an_error(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": AGENCIES.encode() + b"B,x\x00y,other\n"})
    error = input_error(data)
    assert error.file == "agencies.csv" and "NUL" in error.problem


def test_corrupt_gzip_is_an_error(tmp_path):
    good = gzip.compress(AGENCIES.encode())
    data = make_dir(tmp_path, **{"agencies.csv": None, "agencies.csv.gz": good[: len(good) // 2]})
    error = input_error(data)
    assert error.file == "agencies.csv.gz" and "gzip" in error.problem


def test_utf8_with_bom(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": b"\xef\xbb\xbf" + AGENCIES.encode()})
    con, _ = read(data)
    assert con.execute("SELECT agency_id, name FROM raw_agencies ORDER BY _line").fetchall() == [
        ("P", "Tỉnh Thử"),
        ("A", "Sở Tư pháp"),
    ]


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")],
)
def test_utf16_excel_unicode_text(tmp_path, encoding, bom):
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF line ends.
    text = AGENCIES.replace(",", "\t").replace("\n", "\r\n")
    data = make_dir(tmp_path, **{"agencies.csv": bom + text.encode(encoding)})
    con, _ = read(data)
    got = con.execute("SELECT agency_id, name, level, _line FROM raw_agencies ORDER BY _line")
    assert got.fetchall() == [
        ("P", "Tỉnh Thử", "province", 2),
        ("A", "Sở Tư pháp", "department", 3),
    ]


def test_windows_1258_is_an_error_naming_the_file(tmp_path):
    content = cp1258("MaDonVi,TenDonVi,CapDonVi\nA,Sở Tư pháp,department\n")
    error = input_error(make_dir(tmp_path, **{"agencies.csv": content}))
    assert error.file == "agencies.csv"
    assert "UTF-8" in error.problem and "dòng 2" in error.problem


def test_bad_bytes_far_into_the_file_are_found(tmp_path):
    # Past the part checked in Python, and in a column that is dropped.
    lines = [dossier_row(i, name="Trần Thị Ba").encode() for i in range(1, 120_001)]
    lines[110_000] = dossier_row(110_001, name="@").encode().replace(b"@", cp1258("Sở Tư"))
    content = (DOSSIER_HEADER + "\n").encode() + b"\n".join(lines) + b"\n"
    assert len(content) > ingest_text.CHUNK
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": content}))
    assert error.file == "dossiers.csv"
    assert "UTF-8" in error.problem and "dòng 110002" in error.problem


def test_invalid_utf16_is_an_error(tmp_path):
    content = (
        b"\xff\xfe" + "MaDonVi\tTenDonVi".encode("utf-16-le") + b"\x00\xd8A\x00"
    )  # lone surrogate
    error = input_error(make_dir(tmp_path, **{"agencies.csv": content}))
    assert error.file == "agencies.csv" and "UTF-16" in error.problem


def test_csv_gz(tmp_path):
    data = make_dir(
        tmp_path,
        **{"dossiers.csv": None, "dossiers.csv.gz": gzip.compress(dossiers_csv().encode())},
    )
    con, report = read(data)
    assert con.execute(
        "SELECT dossier_id, _source, _line FROM raw_dossiers ORDER BY _line"
    ).fetchall() == [
        ("H1", "dossiers.csv.gz", 2),
        ("H2", "dossiers.csv.gz", 3),
        ("H3", "dossiers.csv.gz", 4),
    ]
    assert report["dossiers"].personal_columns == ["ChuHoSo", "SoDienThoai"]
    assert SECRET_NAME not in all_text(con)


def test_csv_gz_with_utf16_inside(tmp_path):
    content = gzip.compress(b"\xff\xfe" + AGENCIES.replace(",", "\t").encode("utf-16-le"))
    con, _ = read(make_dir(tmp_path, **{"agencies.csv": None, "agencies.csv.gz": content}))
    assert con.execute("SELECT name FROM raw_agencies ORDER BY _line").fetchall() == [
        ("Tỉnh Thử",),
        ("Sở Tư pháp",),
    ]


def test_crlf_and_old_mac_line_ends(tmp_path):
    for newline in ("\r\n", "\r"):
        data = make_dir(tmp_path, **{"agencies.csv": AGENCIES.replace("\n", newline)})
        con, _ = read(data)
        assert con.execute("SELECT agency_id, level, _line FROM raw_agencies").fetchall() == [
            ("P", "province", 2),
            ("A", "department", 3),
        ]


def test_mixed_line_ends(tmp_path):
    # Excel writes CR LF between rows and LF inside a cell; files pasted together mix both.
    agencies = (
        'MaDonVi,TenDonVi,CapDonVi\r\nP,"Tỉnh\nThử",province\r\nA,Sở,department\n'
        "B,Sở B,department\r\n"
    )
    con, _ = read(make_dir(tmp_path, **{"agencies.csv": agencies}))
    got = con.execute("SELECT agency_id, name, level, _line FROM raw_agencies ORDER BY _line")
    assert got.fetchall() == [
        ("P", "Tỉnh\nThử", "province", 2),
        ("A", "Sở", "department", 3),
        ("B", "Sở B", "department", 4),
    ]
