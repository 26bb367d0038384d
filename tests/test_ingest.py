"""Reading a province's exports (minhbach.ingest): formats, aliases, encodings, rejects and
personal data. Every input is a small file written into tmp_path by the test itself."""

from __future__ import annotations

import datetime as dt
import gzip
import unicodedata
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from minhbach import contract, ingest, queries
from minhbach.errors import InputError
from minhbach.ingest import csv as ingest_csv
from minhbach.ingest import rejects as ingest_rejects
from minhbach.ingest import text as ingest_text
from minhbach.ingest import xlsx as ingest_xlsx

AGENCIES = "MaDonVi,TenDonVi,CapDonVi\nP,Tỉnh Thử,province\nA,Sở Tư pháp,department\n"
PROCEDURES = "MaTTHC,TenTTHC,MucDo\n1.000001,Thủ tục một,4\n"
DOSSIER_HEADER = (
    "MaHoSo,MaDonVi,MaTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,"
    "ChuHoSo,SoDienThoai"
)
SECRET_NAME = "Nguyễn Văn Bí Mật"
SECRET_PHONE = "0912345678"


def dossier_row(i: int, name: str = SECRET_NAME, phone: str = SECRET_PHONE) -> str:
    return f"H{i},A,1.000001,9,20260301080000,20260310170000,20260305100000,{name},{phone}"


def dossiers_csv(n: int = 3) -> str:
    return DOSSIER_HEADER + "\n" + "".join(dossier_row(i) + "\n" for i in range(1, n + 1))


def make_dir(tmp_path: Path, **files: str | bytes) -> Path:
    """A data folder with agencies, procedures and dossiers unless given; name=None omits."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    defaults = {
        "agencies.csv": AGENCIES,
        "procedures.csv": PROCEDURES,
        "dossiers.csv": dossiers_csv(),
    }
    given = {name.replace("__", "/"): content for name, content in files.items()}
    for name, content in {**defaults, **given}.items():
        if content is None:
            continue
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return data


def read(data: Path, progress=None) -> tuple[duckdb.DuckDBPyConnection, ingest.IngestReport]:
    con = duckdb.connect()
    report = ingest.read_inputs(con, data, progress=progress)
    return con, report


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def input_error(data: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read(data)
    return info.value


def all_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every value of every table DuckDB holds (temporary ones too), as one string."""
    parts = []
    for database, schema, name in con.execute(
        "SELECT database_name, schema_name, table_name FROM duckdb_tables()"
    ).fetchall():
        qualified = f'"{database}"."{schema}"."{name}"'
        for row in con.execute(f"SELECT * FROM {qualified}").fetchall():
            parts.append(" ".join("" if v is None else str(v) for v in row))
    return "\n".join(parts)


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes as Vietnamese Windows software writes them: the tone marks are
    combining characters after a letter that keeps its other marks (ơ, â, ư, ...)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


# --------------------------------------------------------------------------------------------
# Tables, columns, aliases


def test_reads_csv_under_canonical_names_in_contract_order(tmp_path):
    con, report = read(make_dir(tmp_path))
    got = rows(con, "SELECT * FROM raw_dossiers ORDER BY _line")
    assert [r["dossier_id"] for r in got] == ["H1", "H2", "H3"]
    assert got[0]["agency_id"] == "A"
    assert got[0]["received_at"] == "20260301080000"
    assert got[0]["channel"] is None  # optional, absent from the file
    assert [r["_line"] for r in got] == [2, 3, 4]
    assert {r["_source"] for r in got} == {"dossiers.csv"}
    described = con.execute("DESCRIBE raw_dossiers").fetchall()
    assert [d[0] for d in described] == [
        *contract.TABLES["dossiers"].column_names,
        "_source",
        "_line",
    ]
    assert [d[1] for d in described][:-1] == ["VARCHAR"] * (len(described) - 1)
    assert described[-1][1] == "BIGINT"
    assert report["dossiers"].present and report["dossiers"].rows_read == 3
    assert report["dossiers"].files == ["dossiers.csv"]
    assert "channel" in report["dossiers"].missing_columns


def test_mixed_case_headers_with_spaces_and_canonical_names(tmp_path):
    data = make_dir(
        tmp_path,
        **{
            "agencies.csv": " agency_id ,NAME,  capdonvi\nP,Tỉnh,province\n",
            "dossiers.csv": (
                " mahoso ,MADONVI,MaTthc,trangthaihoso,NgayTiepNhan ,ngayhentra,NGAYKETTHUCXULY\n"
                "H1,P,1.000001,2,x,y,\n"
            ),
        },
    )
    con, _ = read(data)
    assert rows(con, "SELECT agency_id, name, level FROM raw_agencies") == [
        {"agency_id": "P", "name": "Tỉnh", "level": "province"}
    ]
    got = rows(con, "SELECT dossier_id, agency_id, status, received_at FROM raw_dossiers")
    assert got == [{"dossier_id": "H1", "agency_id": "P", "status": "2", "received_at": "x"}]


def test_two_aliases_of_one_column_the_contract_order_wins(tmp_path):
    # MaDonViXuLy comes first in the file, but MaDonVi is listed first in the contract.
    data = make_dir(
        tmp_path,
        **{
            "dossiers.csv": (
                "MaHoSo,MaDonViXuLy,MaDonVi,MaTTHC,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,"
                "NgayKetThucXuLy\nH1,X,A,1.000001,9,a,b,c\n"
            )
        },
    )
    con, report = read(data)
    assert con.execute("SELECT agency_id FROM raw_dossiers").fetchall() == [("A",)]
    assert report["dossiers"].duplicate_columns == ["MaDonViXuLy"]
    assert report["dossiers"].dropped_columns == []


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(tmp_path, delimiter):
    def fix(text: str) -> str:
        return text.replace(",", delimiter)

    name = "Sở Tư pháp, tỉnh Thử"  # a comma inside a value: fine with ; or tab
    agencies = f'MaDonVi,TenDonVi,CapDonVi\nA,"{name}",department\n'
    data = make_dir(
        tmp_path,
        **{"agencies.csv": fix(agencies).replace(name.replace(",", delimiter), name)},
    )
    data.joinpath("dossiers.csv").write_text(fix(dossiers_csv(2)), encoding="utf-8")
    con, _ = read(data)
    assert con.execute("SELECT name FROM raw_agencies").fetchall() == [(name,)]
    assert con.execute("SELECT count(*) FROM raw_dossiers").fetchone() == (2,)


def test_quoted_delimiters_do_not_fool_the_sniffer():
    assert ingest_csv.sniff_delimiter('"a;b;c;d",x,y\n') == ","
    assert ingest_csv.sniff_delimiter("a;b;c\n") == ";"
    assert ingest_csv.sniff_delimiter("a\tb,c\td\n") == "\t"
    assert ingest_csv.sniff_delimiter("onlyone\n") == ","


def test_uppercase_file_names_are_found(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": None, "AGENCIES.CSV": AGENCIES})
    con, report = read(data)
    assert report["agencies"].files == ["AGENCIES.CSV"]
    assert con.execute("SELECT count(*) FROM raw_agencies").fetchone() == (2,)


def test_other_files_in_the_folder_are_ignored(tmp_path):
    data = make_dir(
        tmp_path,
        **{"_synthetic.toml": "note = 'x'\n", "README.md": "# dữ liệu\n", ".hidden.csv": "x"},
    )
    _, report = read(data)
    assert report.present == ["agencies", "procedures", "dossiers"]


def test_missing_required_table_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"procedures.csv": None}))
    assert error.file == "procedures"
    assert "thiếu bảng bắt buộc" in error.problem
    assert "\n" not in str(error)


def test_missing_table_mentions_an_unsupported_form(tmp_path):
    error = input_error(make_dir(tmp_path, **{"procedures.csv": None, "procedures.xls": b"x"}))
    assert "procedures.xls" in error.problem


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


def test_missing_required_column_names_it_and_its_alias(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": "MaDonVi,TenDonVi\nA,Sở\n"})
    error = input_error(data)
    assert error.file == "agencies.csv"
    assert "level (CapDonVi)" in error.problem


def test_header_that_is_one_column_hints_at_the_delimiter(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": "MaDonVi|TenDonVi|CapDonVi\nA|Sở|province\n"})
    assert "dấu phân cách" in input_error(data).problem


def test_two_forms_of_one_table_are_ambiguous(tmp_path):
    data = make_dir(tmp_path, **{"dossiers__2026-01.csv": dossiers_csv()})
    error = input_error(data)
    assert error.file == "dossiers"
    assert "dossiers.csv" in error.problem and "dossiers/" in error.problem


# --------------------------------------------------------------------------------------------
# Empty and odd files


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n", b"\r\n"])
def test_empty_file_is_an_error(tmp_path, content):
    error = input_error(make_dir(tmp_path, **{"agencies.csv": content}))
    assert error.file == "agencies.csv"
    assert "tệp rỗng" in error.problem


def test_blank_first_line_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"agencies.csv": "\n" + AGENCIES}))
    assert "dòng tiêu đề" in error.problem


def test_required_table_with_only_a_header_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": DOSSIER_HEADER + "\n"}))
    assert error.file == "dossiers.csv"
    assert "không có dòng dữ liệu" in error.problem


def test_optional_table_with_only_a_header_is_present_and_empty(tmp_path):
    con, report = read(make_dir(tmp_path, **{"ratings.csv": "MaHoSo,ThoiGianDanhGia,DanhGia"}))
    assert report["ratings"].present and report["ratings"].rows_read == 0
    assert con.execute("SELECT count(*) FROM raw_ratings").fetchone() == (0,)


def test_nul_bytes_are_an_error(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": AGENCIES.encode() + b"B,x\x00y,other\n"})
    error = input_error(data)
    assert error.file == "agencies.csv" and "NUL" in error.problem


@pytest.mark.parametrize("name", ["agencies.csv", "agencies.xlsx", "agencies.parquet"])
def test_binary_junk_is_an_error(tmp_path, name):
    junk = bytes(range(256)) * 50
    data = make_dir(tmp_path, **{"agencies.csv": None, name: junk})
    error = input_error(data)
    assert error.file == name
    assert "\n" not in str(error)


def test_corrupt_gzip_is_an_error(tmp_path):
    good = gzip.compress(AGENCIES.encode())
    data = make_dir(tmp_path, **{"agencies.csv": None, "agencies.csv.gz": good[: len(good) // 2]})
    error = input_error(data)
    assert error.file == "agencies.csv.gz" and "gzip" in error.problem


# --------------------------------------------------------------------------------------------
# Encodings


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


# --------------------------------------------------------------------------------------------
# CSV records: quoting, rejects, line numbers


def test_embedded_newlines_in_quoted_fields_keep_record_numbers(tmp_path):
    text = (
        DOSSIER_HEADER
        + "\n"
        + dossier_row(1, name='"Nguyễn\nVăn ""A"""')
        + "\n"
        + dossier_row(2)
        + "\n"
    )
    con, _ = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert con.execute("SELECT dossier_id, _line FROM raw_dossiers ORDER BY _line").fetchall() == [
        ("H1", 2),
        ("H2", 3),
    ]


def test_quoted_value_with_newline_in_a_kept_column(tmp_path):
    agencies = 'MaDonVi,TenDonVi,CapDonVi\r\nA,"Sở\r\nTư pháp",department\r\nB,Sở B,department\r\n'
    con, _ = read(make_dir(tmp_path, **{"agencies.csv": agencies}))
    assert con.execute("SELECT name, _line FROM raw_agencies ORDER BY _line").fetchall() == [
        ("Sở\r\nTư pháp", 2),
        ("Sở B", 3),
    ]


def test_malformed_lines_go_to_rejects_with_their_line_numbers(tmp_path):
    text = (
        DOSSIER_HEADER
        + "\n"
        + dossier_row(1)
        + "\n"
        + "H2,A,1.000001,9\n"  # too few fields
        + dossier_row(3)
        + ",extra\n"  # too many fields
        + dossier_row(4)
        + "\n"
        + "H5,A,1.000"  # truncated last line
    )
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert con.execute("SELECT dossier_id, _line FROM raw_dossiers ORDER BY _line").fetchall() == [
        ("H1", 2),
        ("H4", 5),
    ]
    rejects = rows(con, "SELECT * FROM raw_rejects ORDER BY _line")
    assert [(r["table_name"], r["_source"], r["_line"]) for r in rejects] == [
        ("dossiers", "dossiers.csv", 3),
        ("dossiers", "dossiers.csv", 4),
        ("dossiers", "dossiers.csv", 6),
    ]
    assert all(r["reason"] == "dòng CSV hỏng (số cột không khớp tiêu đề)" for r in rejects)
    assert report["dossiers"].rejects == 3
    assert report["dossiers"].rows_read == 5  # rejected lines count as read
    assert con.execute(
        "SELECT rows_read FROM input_tables WHERE table_name = 'dossiers'"
    ).fetchone() == (5,)
    assert SECRET_NAME not in all_text(con)


def test_stray_quote_in_a_field_is_rejected_alone(tmp_path):
    text = DOSSIER_HEADER + "\n" + dossier_row(1) + '\n"H2"x,A,1,9,a,b,c,d,e\n' + dossier_row(3)
    con, _ = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert con.execute("SELECT dossier_id, _line FROM raw_dossiers ORDER BY _line").fetchall() == [
        ("H1", 2),
        ("H3", 4),
    ]
    assert con.execute("SELECT _line, reason FROM raw_rejects").fetchall() == [
        (3, "dòng CSV hỏng (dấu ngoặc kép không đúng chỗ)")
    ]


@pytest.mark.parametrize(
    "bad",
    [
        'H2,A,1.000001,9,"2026,b,c,d,e',  # opens a quote that never closes
        'H2,A,1.000001,9,"2026',  # the same on the last line
    ],
)
def test_unbalanced_quote_is_a_clear_error_or_a_reject(tmp_path, bad):
    lines = [dossier_row(1), bad, dossier_row(3), dossier_row(4)]
    if bad.endswith('"2026'):
        lines = [dossier_row(1), dossier_row(3), bad]
    text = DOSSIER_HEADER + "\n" + "\n".join(lines) + "\n"
    con = duckdb.connect()
    try:
        report = ingest.read_inputs(con, make_dir(tmp_path, **{"dossiers.csv": text}))
    except InputError as error:
        assert error.file == "dossiers.csv"
        assert "ngoặc kép" in error.problem
        assert SECRET_NAME not in str(error)
    else:
        assert report["dossiers"].rejects >= 1
        assert con.execute("SELECT count(*) FROM raw_rejects").fetchone()[0] >= 1
    assert SECRET_NAME not in all_text(con)


def test_blank_lines_and_empty_records_are_skipped_but_counted_in_line_numbers(tmp_path):
    text = (
        DOSSIER_HEADER
        + "\n"
        + dossier_row(1)
        + "\n\n"  # a blank line: line 3
        + dossier_row(2)
        + "\n"
        + ",,,,,,,,\n"  # Excel's empty row: line 5
        + "bad\n"  # line 6
        + dossier_row(3)
        + "\n\n\n"
    )
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert con.execute("SELECT dossier_id, _line FROM raw_dossiers ORDER BY _line").fetchall() == [
        ("H1", 2),
        ("H2", 4),
        ("H3", 7),
    ]
    assert con.execute("SELECT _line FROM raw_rejects").fetchall() == [(6,)]
    assert report["dossiers"].rows_read == 4


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


def test_too_many_broken_lines_stop_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_rejects, "MAX_REJECTS", 10)
    text = DOSSIER_HEADER + "\n" + "".join(f"H{i},broken\n" for i in range(20))
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert error.file == "dossiers.csv" and "dòng CSV hỏng" in error.problem


def test_trailing_delimiter_on_the_header(tmp_path):
    agencies = "MaDonVi,TenDonVi,CapDonVi,\nP,Tỉnh,province,\nA,Sở,department\n"
    con, _ = read(make_dir(tmp_path, **{"agencies.csv": agencies}))
    assert con.execute("SELECT agency_id, level FROM raw_agencies ORDER BY _line").fetchall() == [
        ("P", "province"),
        ("A", "department"),
    ]


def test_line_numbers_in_a_large_file_read_in_parallel(tmp_path):
    # ~40 MB, so DuckDB splits the file between threads; rejects, values spanning lines, a
    # blank line and an empty record all shift the record numbers that follow them.
    n = 300_000
    bad = {17, 54_321, 100_000, 150_001, 299_999}
    padding = "x" * 40
    lines, expected, rejected = [], {}, []
    record = 1  # the header
    for i in range(1, n + 1):
        record += 1
        if i in bad:
            lines.append(f"H{i},broken")
            rejected.append(record)
            continue
        if i % 40_000 == 0:
            lines.append(dossier_row(i, name=f'"multi\nline {padding}"'))
        else:
            lines.append(dossier_row(i, name=padding))
        expected[f"H{i}"] = record
        if i == 200_000:
            lines.append("")  # a blank line
            record += 1
        if i == 250_000:
            lines.append(",,,,,,,,")  # an empty record
            record += 1
    text = DOSSIER_HEADER + "\n" + "\n".join(lines) + "\n"
    assert len(text) > 32 << 20
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    got = dict(con.execute("SELECT dossier_id, _line FROM raw_dossiers").fetchall())
    assert got == expected
    assert [r[0] for r in con.execute("SELECT _line FROM raw_rejects ORDER BY 1").fetchall()] == (
        rejected
    )
    assert report["dossiers"].rows_read == n


def test_huge_field_is_read_and_a_huge_line_is_an_error(tmp_path):
    big = "x" * (3 << 20)  # longer than DuckDB's default 2 MB line limit: read all the same
    text = DOSSIER_HEADER + "\n" + dossier_row(1, name=big) + "\n" + dossier_row(2) + "\n"
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert con.execute("SELECT dossier_id, _line FROM raw_dossiers").fetchall() == [
        ("H1", 2),
        ("H2", 3),
    ]
    assert con.execute("SELECT count(*) FROM raw_rejects").fetchone() == (0,)
    assert report["dossiers"].rows_read == 2
    huge = "y" * (ingest_text.MAX_PHYSICAL_LINE + 10)
    text = DOSSIER_HEADER + "\n" + dossier_row(1) + "\n" + dossier_row(2, name=huge) + "\n"
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert error.file == "dossiers.csv" and "dòng 3" in error.problem
    assert len(str(error)) < 200


def test_thousands_of_columns(tmp_path):
    extra = [f"Cot{i}" for i in range(3000)]
    header = DOSSIER_HEADER + "," + ",".join(extra)
    body = "".join(dossier_row(i) + "," + ",".join("v" for _ in extra) + "\n" for i in range(50))
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": header + "\n" + body}))
    assert con.execute("SELECT count(*) FROM raw_dossiers").fetchone() == (50,)
    assert len(report["dossiers"].dropped_columns) == 3002


# --------------------------------------------------------------------------------------------
# Personal data


def test_personal_columns_are_dropped_and_named(tmp_path):
    header = DOSSIER_HEADER + ",SoGiayToChuHoSo,DinhDanhCHS,Email,Fax,DiaChi,TrichYeuHoSo,Khac"
    secrets = ["012345678901", "DD-999", "bi.mat@example.vn", "0243", "Số 1 Phố Bí Mật"]
    row = dossier_row(1) + "," + ",".join(secrets) + ",Đề nghị của Nguyễn Văn Bí Mật,zz"
    con, report = read(make_dir(tmp_path, **{"dossiers.csv": header + "\n" + row + "\n"}))
    everything = all_text(con)
    for secret in [SECRET_NAME, SECRET_PHONE, *secrets, "Bí Mật"]:
        assert secret not in everything
    dossiers = report["dossiers"]
    assert dossiers.dropped_columns == [
        "ChuHoSo",
        "SoDienThoai",
        "SoGiayToChuHoSo",
        "DinhDanhCHS",
        "Email",
        "Fax",
        "DiaChi",
        "TrichYeuHoSo",
        "Khac",
    ]
    assert "Khac" not in dossiers.personal_columns and "ChuHoSo" in dossiers.personal_columns
    assert report.dropped_columns["dossiers"] == dossiers.dropped_columns


@pytest.mark.parametrize(
    "content",
    [
        # a broken line carrying personal data
        (DOSSIER_HEADER + "\n" + dossier_row(1) + f"\nH2,{SECRET_NAME},{SECRET_PHONE}\n").encode(),
        # a quote gone wrong around personal data
        (
            DOSSIER_HEADER + "\n" + dossier_row(1, name=f'"{SECRET_NAME}') + "\n" + dossier_row(2)
        ).encode(),
        # not UTF-8, next to personal data
        (DOSSIER_HEADER + "\n").encode() + cp1258(dossier_row(1, name="Sở Bí Mật")) + b"\n",
        # a line too long for DuckDB
        (DOSSIER_HEADER + "\n" + dossier_row(1, name=SECRET_NAME * 200_000) + "\n").encode(),
    ],
)
def test_personal_data_is_in_no_table_and_no_error(tmp_path, content):
    con = duckdb.connect()
    message = ""
    try:
        ingest.read_inputs(con, make_dir(tmp_path, **{"dossiers.csv": content}))
    except InputError as error:
        message = str(error) + repr(error.__context__) + repr(error.__cause__)
    for secret in (SECRET_NAME, SECRET_PHONE, "Bí Mật", "B\xed M"):
        assert secret not in message
    everything = all_text(con)
    for secret in (SECRET_NAME, SECRET_PHONE, "Bí Mật"):
        assert secret not in everything


# --------------------------------------------------------------------------------------------
# gzip, Parquet, Excel, folders


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


def write_xlsx(path: Path, rows: list[list], sheets: int = 1) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    for i in range(1, sheets):
        workbook.create_sheet(f"Khác {i}").append(["không đọc"])
    workbook.save(path)


def test_xlsx_first_sheet_with_dates_serials_and_numbers(tmp_path):
    data = make_dir(tmp_path, **{"dossiers.csv": None})
    write_xlsx(
        data / "dossiers.xlsx",
        [
            [
                "MaHoSo",
                "MaDonVi",
                "MaTTHC",
                "TrangThaiHoSo",
                "NgayTiepNhan",
                "NgayHenTra",
                "NgayKetThucXuLy",
                "NgayNopHoSo",
                "ChuHoSo",
            ],
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
            [
                "MaHoSo",
                "MaDonVi",
                "MaTTHC",
                "TrangThaiHoSo",
                "NgayTiepNhan",
                "NgayHenTra",
                "NgayKetThucXuLy",
            ],
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


def test_folder_problems(tmp_path):
    data = make_dir(tmp_path, **{"ratings__2026-01.xls": b"x"})
    error = input_error(data)
    assert error.file == "ratings/2026-01.xls"
    (data / "ratings" / "2026-01.xls").unlink()
    assert "không có tệp" in input_error(data).problem
    (data / "ratings" / "2026").mkdir()
    assert "thư mục con" in input_error(data).problem


def test_bad_file_in_a_folder_is_named(tmp_path):
    data = make_dir(
        tmp_path,
        **{"dossiers.csv": None, "dossiers__a.csv": dossiers_csv(), "dossiers__b.csv": b""},
    )
    assert input_error(data).file == "dossiers/b.csv"


# --------------------------------------------------------------------------------------------
# The connection is left as it was found


def test_leaves_no_helper_tables_and_keeps_settings(tmp_path):
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = true")
    text = DOSSIER_HEADER + "\n" + dossier_row(1) + "\nbroken\n\n" + dossier_row(3) + "\n"
    ingest.read_inputs(con, make_dir(tmp_path, **{"dossiers.csv": text}))
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    expected = {f"raw_{t}" for t in contract.TABLES} | {"raw_rejects", "input_tables"}
    assert names == expected
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)


def test_reading_twice_replaces_the_tables(tmp_path):
    data = make_dir(tmp_path)
    con = duckdb.connect()
    ingest.read_inputs(con, data)
    ingest.read_inputs(con, data)
    assert con.execute("SELECT count(*) FROM raw_dossiers").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM input_tables").fetchone() == (len(contract.TABLES),)


def test_missing_data_folder(tmp_path):
    with pytest.raises(InputError) as info:
        read(tmp_path / "nowhere")
    assert "thư mục dữ liệu" in info.value.problem


def test_names_lose_control_characters_and_direction_overrides():
    con = duckdb.connect()
    queries.run_macros(con)
    got = con.execute(
        "select clean_name(?), clean_name(?), clean_name(?)",
        ["  Sở \u202eTư\u200f pháp\x07 ", "\u202e\u2066", "Xã Đông\tHòa"],
    ).fetchone()
    assert got == ("Sở Tư pháp", None, "Xã Đông Hòa")
