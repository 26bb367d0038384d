"""Broken CSV lines (minhbach.ingest.rejects): into raw_rejects with their line and reason, a
file broken as a whole stops the build, and no personal data reaches a table or a message."""

from __future__ import annotations

import duckdb
import pytest

from minhbach import ingest
from minhbach.errors import InputError
from minhbach.ingest import rejects as ingest_rejects

from .files import (
    DOSSIER_HEADER,
    SECRET_NAME,
    SECRET_PHONE,
    all_text,
    cp1258,
    dossier_lines,
    dossier_row,
    input_error,
    make_dir,
    read,
    rows,
)


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
    assert dossier_lines(con) == [
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
    assert dossier_lines(con) == [
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


def test_too_many_broken_lines_stop_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_rejects, "MAX_REJECTS", 10)
    text = DOSSIER_HEADER + "\n" + "".join(f"H{i},broken\n" for i in range(20))
    error = input_error(make_dir(tmp_path, **{"dossiers.csv": text}))
    assert error.file == "dossiers.csv" and "dòng CSV hỏng" in error.problem


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
