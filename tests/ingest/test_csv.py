"""CSV records (minhbach.ingest.csv): delimiters, quoting, blank lines, record numbers, long
records and lines."""

from __future__ import annotations

import pytest

from minhbach.ingest import csv as ingest_csv
from minhbach.ingest import text as ingest_text

from .files import (
    AGENCIES,
    DOSSIER_HEADER,
    dossier_lines,
    dossier_row,
    dossiers_csv,
    input_error,
    make_dir,
    read,
)


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


def test_blank_first_line_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"agencies.csv": "\n" + AGENCIES}))
    assert "dòng tiêu đề" in error.problem


def test_trailing_delimiter_on_the_header(tmp_path):
    agencies = "MaDonVi,TenDonVi,CapDonVi,\nP,Tỉnh,province,\nA,Sở,department\n"
    con, _ = read(make_dir(tmp_path, **{"agencies.csv": agencies}))
    assert con.execute("SELECT agency_id, level FROM raw_agencies ORDER BY _line").fetchall() == [
        ("P", "province"),
        ("A", "department"),
    ]


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
    assert dossier_lines(con) == [
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
    assert dossier_lines(con) == [
        ("H1", 2),
        ("H2", 4),
        ("H3", 7),
    ]
    assert con.execute("SELECT _line FROM raw_rejects").fetchall() == [(6,)]
    assert report["dossiers"].rows_read == 4


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
