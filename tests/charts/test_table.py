"""The numbers behind a chart: its table in Vietnamese numbers, its CSV safe (BOM, CRLF, raw
numbers, neutralised cells; the site's CSV rules), NULL empty."""

from __future__ import annotations

import csv
import io
import re

from minhbach.publish.csv import cell


def test_table_uses_vietnamese_numbers(rendered):
    page, out = rendered
    table = re.search(r"<table>.*</table>", out[(page, "xu-huong")], re.S).group(0)
    assert '<th scope="col" class="num">Giá trị</th>' in table
    assert '<td class="num">96,57%</td>' in table
    assert '<td data-sort="2025-01">tháng 1/2025</td>' in table
    assert table.count("<tr>") == 1 + 48
    assert '<td class="num">—</td>' in table  # the NULL rate
    bars = out[(page, "ho-so-ton")]
    assert '<td class="num">21.969</td>' in bars
    days = out[(page, "thoi-gian")]
    assert '<td class="num">3,4</td>' in days
    groups = out[(page, "nhom-diem")]
    assert '<td class="num">12,50</td>' in groups


def test_csv_has_bom_crlf_raw_numbers_and_neutralised_cells(rendered):
    page, _ = rendered
    data = (page / "ho-so-ton.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["age", "n"]
    assert rows[1] == ["Chưa đến hạn", "21969"]
    assert rows[-1] == ['\'=HYPERLINK("http://x")', "1"]
    assert '"\'=HYPERLINK(""http://x"")"' in text  # RFC 4180 quoting
    trend = (page / "xu-huong.csv").read_bytes()[3:].decode()
    lines = trend.split("\r\n")
    assert lines[0] == "period,series,value"
    assert lines[2] == "2025-01,Đúng hạn (%),96.57"
    assert lines[12] == "2025-06,Đúng hạn (%),"  # NULL: empty, not 0


def test_csv_cells():
    from decimal import Decimal

    assert cell(None) == ""
    assert cell(-2.5) == "-2.5"  # numbers are never neutralised
    assert cell(1e-7) == "0.0000001"  # never an exponent
    assert cell(3.0) == "3"
    assert cell(Decimal("96.570")) == "96.570"
    assert cell(float("nan")) == ""
    assert cell(True) == "true"
    assert cell("") == '""'
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert cell(prefix + "1").lstrip('"').startswith("'" + prefix)
    assert cell("a,b") == '"a,b"'
