"""The Excel copy of a download: ``du-lieu/<name>.xlsx``, one sheet, the header then the rows
in the order of the CSV, for readers whose regional settings break a CSV (a comma decimal
separator, or Excel reading ``2026-10`` as a date and ``1.000001`` as a number).

- Text columns (ids, periods ``2026-10``, ``2026-Q3``, codes) are text cells formatted as text
  (``@``), so Excel neither converts nor reformats them; a text starting with ``=`` stays text
  (never a formula).
- Numbers are numbers, booleans booleans, dates and timestamps Excel dates shown ISO-style
  (``2026-03-31``); an empty cell is no value; a non-finite number is empty (as in every
  format).
- The same table gives the same bytes: the workbook's dates are the build time and every zip
  entry carries it.
- A table with more rows than a sheet holds (1,048,576 with the header) gets no Excel copy: the
  page says to use Parquet.

Read from the Parquet copy just written (typed columns), in a worker thread of the downloads.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from .files import DownloadFile, file_info

__all__ = ["MAX_ROWS", "write_xlsx"]

MAX_ROWS = 1_048_576 - 1  # a sheet's rows, less the header
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
SHEET_TITLE = "du_lieu"


def _number(value):
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    t = max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The zip ``data`` with every entry dated ``when`` (openpyxl dates them now)."""
    out = io.BytesIO()
    date_time = _zip_time(when)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(item.filename))
    return out.getvalue()


def write_xlsx(
    parquet_path: Path, path: Path, types: Sequence[tuple[str, str]], build_time: dt.datetime
) -> DownloadFile | None:
    """Write ``path`` from the Parquet file ``parquet_path`` whose columns are ``types``
    ((name, Table Schema type), in order); None (nothing written) when the table has more rows
    than a sheet holds."""
    from openpyxl import Workbook  # imported here: only the downloads need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    parquet = pq.ParquetFile(parquet_path)
    if parquet.metadata.num_rows > MAX_ROWS:
        return None
    workbook = Workbook(write_only=True)
    when = build_time.replace(tzinfo=None, microsecond=0)
    workbook.properties.creator = "minhbach"
    workbook.properties.created = when
    sheet = workbook.create_sheet(SHEET_TITLE)

    def text(value) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=None if value is None else str(value))
        cell.data_type = "s"  # never a formula, whatever it starts with
        cell.number_format = TEXT_FORMAT
        return cell

    def dated(value, fmt: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = fmt
        return cell

    sheet.append([text(name) for name, _ in types])
    names = [name for name, _ in types]
    kinds = [kind for _, kind in types]
    for batch in parquet.iter_batches(batch_size=20_000, columns=names):
        columns = [batch.column(i).to_pylist() for i in range(len(names))]
        for values in zip(*columns, strict=True):
            row = []
            for kind, value in zip(kinds, values, strict=True):
                if value is None:
                    row.append(None)
                elif kind == "string":
                    row.append(text(value))
                elif kind == "date":
                    row.append(dated(value, DATE_FORMAT))
                elif kind == "datetime":
                    row.append(dated(value.replace(tzinfo=None), DATETIME_FORMAT))
                elif kind in ("number", "integer"):
                    row.append(_number(value))
                else:  # boolean, and any other typed value as it is
                    row.append(value)
            sheet.append(row)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        workbook.properties.modified = when
        ExcelWriter(workbook, archive).save()
    path.write_bytes(_fixed_zip(buffer.getvalue(), when))
    return file_info(path, "xlsx")
