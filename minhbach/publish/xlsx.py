"""The Excel copy of a download: ``du-lieu/<name>.xlsx``, one sheet, the header then the rows
in the order of the CSV, for readers whose regional settings break a CSV (a comma decimal
separator, or Excel reading ``2026-10`` as a date and ``1.000001`` as a number).

- Text columns (ids, periods ``2026-10``, ``2026-Q3``, codes) are text cells formatted as text
  (``@``), so Excel neither converts nor reformats them; a text starting with ``=`` stays text
  (no cell is ever a formula).
- Numbers are numbers, booleans booleans, dates and timestamps Excel dates shown ISO-style
  (``2026-03-31``); an empty value is no cell; a non-finite number is empty (as in every
  format). Characters XML cannot hold (control characters other than tab and line breaks)
  are left out.
- The same table gives the same bytes (every zip entry is dated at the build time).
- A table with more rows than a sheet holds (1,048,576 with the header) gets no Excel copy: the
  page says to use Parquet.

The workbook is the smallest SpreadsheetML package Excel, LibreOffice and openpyxl read (the
tests read it back with openpyxl): inline strings, four cell styles. Like the other downloads,
each row's XML is made by DuckDB from the Parquet copy just written (its own connection, in a
worker thread of the downloads) and written as Arrow hands it over (no Python string per row):
openpyxl would take a minute per 100,000 rows.
"""

# ruff: noqa: E501 - the package's XML parts and cells are kept one element a line

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ..sql.quote import ident, literal
from .files import DownloadFile, file_info

__all__ = ["MAX_ROWS", "write_xlsx"]

MAX_ROWS = 1_048_576 - 1  # a sheet's rows, less the header
FETCH = 20_000  # rows per batch from DuckDB

# Cell styles (styles.xml cellXfs, in order): 0 general, 1 text (built-in format 49, "@"),
# 2 date, 3 date and time.
TEXT, DATE, DATETIME = 1, 2, 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)  # fmt: skip
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)  # fmt: skip
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)  # fmt: skip
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def column_letter(i: int) -> str:
    """The letters of the column ``i`` (0 → A, 25 → Z, 26 → AA)."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _xml_text_sql(expr: str) -> str:
    """A text value as XML text: the characters XML cannot hold removed, then escaped."""
    clean = (
        f"regexp_replace(CAST({expr} AS VARCHAR), '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]', '', 'g')"
    )
    return f"replace(replace(replace({clean}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _cell_sql(letter: str, kind: str, expr: str) -> str:
    """The SQL giving the cell's XML ('' when it has no value), the row number being ``rn``."""
    ref = f"'<c r=\"{letter}' || rn || '\""
    if kind == "string":
        value = f'{ref} t="inlineStr" s="{TEXT}"><is><t xml:space="preserve">\' || {_xml_text_sql(expr)} || \'</t></is></c>\''
    elif kind == "boolean":
        value = f"{ref} t=\"b\"><v>' || (CASE WHEN {expr} THEN '1' WHEN NOT {expr} THEN '0' END) || '</v></c>'"
    elif kind == "date":
        days = f"CAST(date_diff('day', DATE '1899-12-30', CAST({expr} AS DATE)) AS VARCHAR)"
        value = f"{ref} s=\"{DATE}\"><v>' || {days} || '</v></c>'"
    elif kind == "datetime":
        seconds = f"(epoch(CAST({expr} AS TIMESTAMP)) - epoch(TIMESTAMP '1899-12-30 00:00:00'))"
        value = f"{ref} s=\"{DATETIME}\"><v>' || CAST({seconds} / 86400.0 AS VARCHAR) || '</v></c>'"
    elif kind in ("number", "integer"):
        number = f"CAST({expr} AS VARCHAR)"
        value = f"{ref}><v>' || {number} || '</v></c>'"
        if kind == "number":  # NaN and ±inf: no value, as in every format
            return (
                f"CASE WHEN {expr} IS NULL OR NOT isfinite(CAST({expr} AS DOUBLE)) THEN '' "
                f"ELSE {value} END"
            )
    else:  # any other type: its text
        value = f'{ref} t="inlineStr"><is><t xml:space="preserve">\' || {_xml_text_sql(expr)} || \'</t></is></c>\''
    return f"coalesce({value}, '')"


def _rows_sql(parquet_path: Path, types: Sequence[tuple[str, str]], ordered: bool) -> str:
    """Each row's number and XML, in the file's order (``ordered``: sorted by its number;
    else as read, which DuckDB keeps with preserve_insertion_order, and :func:`_write_rows`
    checks)."""
    cells = " || ".join(
        _cell_sql(column_letter(i), kind, f"t.{ident(name)}")
        for i, (name, kind) in enumerate(types)
    )
    source = f"read_parquet({literal(str(parquet_path))}, file_row_number = true)"
    return (
        f"SELECT rn, '<row r=\"' || rn || '\">' || {cells} || '</row>' AS xml FROM "
        f"(SELECT *, file_row_number + 2 AS rn FROM {source}) AS t"
        + (" ORDER BY rn" if ordered else "")
    )


class _OutOfOrder(Exception):
    """The rows did not come in the file's order."""


def _text_bytes(column: pa.Array) -> bytes | memoryview:
    """The UTF-8 of every string of ``column``, one after the other: its data buffer as it is
    (no Python string per row)."""
    if column.null_count == 0 and (
        pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    ):
        width = np.int32 if pa.types.is_string(column.type) else np.int64
        _, offsets, data = column.buffers()
        bounds = np.frombuffer(offsets, dtype=width)[
            column.offset : column.offset + len(column) + 1
        ]
        return memoryview(data)[int(bounds[0]) : int(bounds[-1])] if len(column) else b""
    return "".join(column.to_pylist()).encode("utf-8")


def _write_rows(sheet, con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Write the rows' XML into ``sheet``; _OutOfOrder when a row number is not the next."""
    reader = con.sql(query).to_arrow_reader(FETCH)
    expected = 2
    for batch in reader:
        numbers = batch.column(0).to_numpy()
        if len(numbers) and not (numbers[0] == expected and (np.diff(numbers) == 1).all()):
            raise _OutOfOrder
        expected += len(numbers)
        sheet.write(_text_bytes(batch.column(1)))


def _header(types: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f'<c r="{column_letter(i)}1" t="inlineStr" s="{TEXT}"><is><t>{_escape(name)}</t></is></c>'
        for i, (name, _) in enumerate(types)
    )
    return f'<row r="1">{cells}</row>'


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    t = max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write_xlsx(
    parquet_path: Path,
    path: Path,
    types: Sequence[tuple[str, str]],
    build_time: dt.datetime,
    sheet_name: str = "du_lieu",
) -> DownloadFile | None:
    """Write ``path`` from the Parquet file ``parquet_path`` whose columns are ``types``
    ((name, Table Schema type), in order); None (nothing written) when the table has more rows
    than a sheet holds."""
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        [(rows,)] = con.execute(
            f"SELECT count(*) FROM read_parquet({literal(str(parquet_path))})"
        ).fetchall()
        if rows > MAX_ROWS:
            return None
        date_time = _zip_time(build_time)

        def entry(name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            return info

        tmp = path.with_name(path.name + ".tmp")

        def write(ordered: bool) -> None:
            with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
                zf.writestr(entry("[Content_Types].xml"), _CONTENT_TYPES)
                zf.writestr(entry("_rels/.rels"), _RELS)
                zf.writestr(entry("xl/workbook.xml"), _workbook(sheet_name))
                zf.writestr(entry("xl/_rels/workbook.xml.rels"), _WORKBOOK_RELS)
                zf.writestr(entry("xl/styles.xml"), _STYLES)
                with zf.open(entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as sheet:
                    sheet.write((_SHEET_HEAD + _header(types)).encode("utf-8"))
                    _write_rows(sheet, con, _rows_sql(parquet_path, types, ordered))
                    sheet.write(_SHEET_TAIL.encode("utf-8"))

        try:
            try:
                write(ordered=False)  # as read: no sort of the rows' XML
            except _OutOfOrder:
                write(ordered=True)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        con.close()
    return file_info(path, "xlsx")
