"""The Excel copy of each download (minhbach/publish/xlsx.py), read back with openpyxl on the
hand-made tables of handmade.py: ids, periods and codes are text cells formatted as text (Excel
would turn "1.000001" into a number and "2026-03" into a date), numbers stay numbers, a text
that starts like a formula stays text, and the same table gives the same bytes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from minhbach.publish import xlsx


def _sheet(out, name):
    book = openpyxl.load_workbook(out / f"{name}.xlsx")
    (sheet,) = book.worksheets
    return sheet


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_every_download_has_an_excel_copy_listed(built):
    _con, out, infos = built
    for info in infos:
        f = info.file("xlsx")
        assert f.name == f"{info.name}.xlsx" and (out / f.name).is_file()
        assert f.mediatype == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = _sheet(out, info.name)
        assert [c.value for c in next(sheet.iter_rows())] == [c.name for c in info.columns]
        assert sheet.max_row == info.rows + 1


def test_ids_and_periods_are_text_cells(built):
    _con, out, _ = built
    rows = _records(_sheet(out, "procedure_metrics"))
    first = next(r for r in rows if r["procedure_id"].value == "1.000001")
    for name in ("procedure_id", "period", "agency_id"):
        cell = first[name]
        assert cell.data_type == "s", name
        assert cell.number_format == "@", name
    assert first["period"].value == "2026-03"
    # a text cell starting like a formula stays text
    assert first["procedure_name"].value == "-Cấp phiếu lý lịch tư pháp"
    assert first["procedure_name"].data_type == "s"
    # numbers stay numbers
    assert first["received_new"].value == 10 and first["received_new"].data_type == "n"
    assert first["on_time_pct"].value == 87.5


def test_a_formula_is_never_written(built):
    _con, out, _ = built
    rows = _records(_sheet(out, "agency_period_metrics"))
    names = {r["agency_name"].value: r["agency_name"] for r in rows}
    cell = names['=HYPERLINK("x")']
    assert cell.data_type == "s"


def test_types_dates_booleans_and_empty(tmp_path):
    table = pa.table(
        {
            "id": ["007", "=1+1", None],
            "day": [dt.date(2026, 3, 31), None, dt.date(2026, 1, 1)],
            "ok": [True, False, None],
            "x": [Decimal("1.50"), None, Decimal("2")],
            "f": [float("nan"), 2.5, float("inf")],
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    types = [("id", "string"), ("day", "date"), ("ok", "boolean"), ("x", "number"),
             ("f", "number")]  # fmt: skip
    when = dt.datetime(2026, 4, 1, 6, 30)
    f = xlsx.write_xlsx(tmp_path / "t.parquet", tmp_path / "t.xlsx", types, when)
    assert f is not None and f.format == "xlsx"
    rows = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert rows[1] == ("007", dt.datetime(2026, 3, 31), True, 1.5, None)
    assert rows[2] == ("=1+1", None, False, None, 2.5)
    assert rows[3] == (None, dt.datetime(2026, 1, 1), None, 2, None)
    # the same table, the same bytes (the zip's dates are the build's)
    again = xlsx.write_xlsx(tmp_path / "t.parquet", tmp_path / "u.xlsx", types, when)
    assert (tmp_path / "t.xlsx").read_bytes() == (tmp_path / "u.xlsx").read_bytes()
    assert again.sha256 == f.sha256


def test_a_table_longer_than_a_sheet_gets_no_excel_copy(tmp_path, monkeypatch):
    pq.write_table(pa.table({"id": ["a", "b", "c"]}), tmp_path / "t.parquet")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    when = dt.datetime(2026, 4, 1)
    assert (
        xlsx.write_xlsx(tmp_path / "t.parquet", tmp_path / "t.xlsx", [("id", "string")], when)
        is None
    )
    assert not (tmp_path / "t.xlsx").exists()


def test_the_data_package_lists_the_other_formats(built):
    import json

    _con, out, infos = built
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in package["resources"]}
    for info in infos:
        resource = by_name[info.name]
        assert resource["path"] == f"{info.name}.csv"  # the resource is the CSV
        others = resource["minhbach"]["other_formats"]
        assert [o["format"] for o in others] == ["json", "parquet", "xlsx"]
        xlsx_file = info.file("xlsx")
        assert others[2] == {
            "path": f"{info.name}.xlsx",
            "format": "xlsx",
            "mediatype": xlsx_file.mediatype,
            "bytes": (out / f"{info.name}.xlsx").stat().st_size,
            "hash": f"sha256:{xlsx_file.sha256}",
        }


def test_text_is_escaped_and_characters_xml_cannot_hold_are_left_out(tmp_path):
    table = pa.table({"name": ["<b>A & B</b>", "tab\tline\nbell\x07end", 'say "hi"']})
    pq.write_table(table, tmp_path / "t.parquet")
    when = dt.datetime(2026, 4, 1)
    xlsx.write_xlsx(tmp_path / "t.parquet", tmp_path / "t.xlsx", [("name", "string")], when)
    values = [
        r[0] for r in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True)
    ]
    assert values == ["name", "<b>A & B</b>", "tab\tline\nbellend", 'say "hi"']


def test_timestamps_and_column_letters(tmp_path):
    assert [xlsx.column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    names = [f"c{i}" for i in range(28)]  # past Z: the 27th and 28th columns are AA and AB
    table = pa.table(
        {n: [i] for i, n in enumerate(names)} | {"t": [dt.datetime(2026, 3, 31, 14, 30)]}
    )
    pq.write_table(table, tmp_path / "t.parquet")
    types = [(n, "integer") for n in names] + [("t", "datetime")]
    xlsx.write_xlsx(tmp_path / "t.parquet", tmp_path / "t.xlsx", types, dt.datetime(2026, 4, 1))
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet["AA2"].value == 26 and sheet["AB2"].value == 27
    assert sheet["AC1"].value == "t"
    assert sheet["AC2"].value == dt.datetime(2026, 3, 31, 14, 30)
    assert sheet["AC2"].number_format == "yyyy-mm-dd hh:mm:ss"
