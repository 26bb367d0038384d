"""The CSV rules (minhbach.publish.csv): the Python cell function and the SQL expressions
spell every value the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from minhbach.publish import csv as C


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-12, "-12"),
        (1.5, "1.5"),
        (3.0, "3"),
        (1e-05, "0.00001"),
        (1e16, "10000000000000000"),
        (float("nan"), ""),
        (float("inf"), ""),
        (Decimal("96.57"), "96.57"),
        (Decimal("NaN"), ""),
        (dt.date(2026, 3, 31), "2026-03-31"),
        (dt.datetime(2026, 3, 31, 10, 0), "2026-03-31T10:00:00"),
        ("", '""'),
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("=1+1", "'=1+1"),
        ("+84", "'+84"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", '"\'\rx"'),
        ('=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'),
        ("a=b", "a=b"),
    ],
)
def test_cell(value, expected):
    assert C.cell(value) == expected


def test_numbers_are_never_neutralised():
    assert C.cell(-5) == "-5" and C.cell(-0.5) == "-0.5" and C.cell(Decimal("-1.25")) == "-1.25"


def test_document_has_bom_header_and_crlf():
    data = C.document(["a", "b"], [[1, "=x"], [None, "y,z"]])
    assert data == '\ufeffa,b\r\n1,\'=x\r\n,"y,z"\r\n'.encode()


def test_header_line():
    assert C.header_line(["agency_id", "a,b"]) == '\ufeffagency_id,"a,b"\r\n'


TEXTS = [
    None,
    "",
    "plain",
    "Sở Tư pháp",
    "a,b",
    'q"q',
    "line\nbreak",
    "cr\rinside",
    "=1",
    "+1",
    "-1",
    "@x",
    "\tt",
    "\rr",
    "x=1",
    "'=already",
]


@pytest.mark.parametrize("text", TEXTS)
def test_sql_text_field_matches_python(text):
    """neutralised_sql then field_sql give the field cell() gives."""
    con = duckdb.connect()
    (got,) = con.execute(
        f"SELECT {C.field_sql('v', text=True)} FROM "
        f"(SELECT {C.neutralised_sql('t')} AS v FROM (SELECT CAST(? AS VARCHAR) AS t))",
        [text],
    ).fetchone()
    assert got == C.cell(text)


@pytest.mark.parametrize(
    "number", [0.0, -0.0, 1.5, -2.25, 1e-05, -3.5e-07, 1e15, 1.25e16, -1e20, 123456.789, 0.001]
)
def test_sql_plain_number_matches_python(number):
    con = duckdb.connect()
    (got,) = con.execute(
        f"SELECT {C.field_sql(C.plain_number_sql('v'), text=False)} FROM (SELECT ?::DOUBLE AS v)",
        [number],
    ).fetchone()
    assert "e" not in got.lower()
    assert float(got) == number
    # DuckDB keeps the ".0" of a whole DOUBLE (1000000000000000.0), cell() drops it.
    assert got.removesuffix(".0") == C.cell(number)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_sql_plain_number_not_finite_is_empty(number):
    con = duckdb.connect()
    (got,) = con.execute(
        f"SELECT {C.field_sql(C.plain_number_sql('v'), text=False)} FROM (SELECT ?::DOUBLE AS v)",
        [number],
    ).fetchone()
    assert got == ""


def test_copy_options_write_rfc4180(tmp_path):
    con = duckdb.connect()
    path = tmp_path / "t.csv"
    con.execute(f"COPY (SELECT 'a,b' AS x, NULL AS y, 1 AS z) TO '{path}' ({C.COPY_OPTIONS})")
    assert path.read_bytes() == b'x,y,z\r\n"a,b",,1\r\n'
