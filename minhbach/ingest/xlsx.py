"""Excel workbooks (.xlsx): the first sheet, its cells as the text a CSV export would carry.

A row's ``_line`` is its sheet row; empty sheet rows are not records. Rows go to the part table
a batch at a time, so a large sheet is read in bounded memory. Date and time cells, and Excel
date serials in a date or timestamp column, become ISO text (local time, to the second).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import contract
from ..errors import InputError
from ..sql.quote import ident, literal
from .header import Mapping, map_header
from .part import PART, part_select
from .report import Progress

BATCH_ROWS = 100_000  # sheet rows held in memory at a time
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31; larger numbers in a date column are not serials
_DAMAGED = "không đọc được tệp Excel .xlsx (trang tính đầu tiên bị hỏng)"


def read_xlsx(
    con: duckdb.DuckDBPyConnection, table: contract.Table, path: Path, rel: str, say: Progress
) -> tuple[Mapping, int, int]:
    """Read the first sheet into the part table: (its header mapping, rows read, 0 rejected)."""
    import openpyxl  # imported here: only Excel inputs need it

    problem = None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign file
        problem = "không đọc được tệp Excel .xlsx (tệp hỏng, có mật khẩu hoặc không phải .xlsx)"
    if problem:
        raise InputError(rel, problem)
    try:
        rows = _sheet_rows(workbook, rel)
        mapping = map_header(table, _header(workbook, rows, rel), rel)
        count = _load_rows(con, table, rel, rows, mapping, workbook.epoch, say)
    finally:
        workbook.close()
    return mapping, count, 0


def cell_text(value: object, kind: str, epoch: dt.datetime) -> str | None:
    """An Excel cell as the text a CSV export would carry."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _datetime_text(value, kind)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if kind in ("timestamp", "date") and 0 < value <= _EXCEL_MAX_SERIAL:
            return _datetime_text(_from_serial(float(value), epoch), kind)
        if isinstance(value, int):
            return str(value)
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}"  # what Excel shows: 15 significant digits
    return str(value)


def _sheet_rows(workbook, rel: str) -> Iterator[tuple]:
    """The first sheet's rows as tuples of values; a damaged sheet is an InputError."""
    problem = None
    try:
        if not workbook.worksheets:
            problem = "tệp rỗng (không có trang tính nào)"
        else:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the stored size is often wrong; read every cell there is
            rows = sheet.iter_rows(values_only=True)
    except Exception:
        problem = _DAMAGED
    if problem:
        raise InputError(rel, problem)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # a damaged sheet fails while it is read, not when it is opened
            problem = _DAMAGED
        if problem:
            raise InputError(rel, problem)
        yield row


def _header(workbook, rows: Iterator[tuple], rel: str) -> list[str]:
    """The header row's names; an empty sheet or a blank first row is an InputError."""
    header = next(rows, None)
    if header is None or all(_empty(v) for v in header):
        if header is None or not any(any(not _empty(v) for v in r) for r in rows):
            if len(workbook.worksheets) > 1:
                raise InputError(
                    rel,
                    "trang tính đầu tiên trống: chỉ trang tính đầu tiên được đọc, "
                    "hãy đưa dữ liệu lên trang đầu",
                )
            raise InputError(rel, "tệp rỗng")
        raise InputError(rel, "dòng đầu tiên trống: dòng 1 phải là dòng tiêu đề")
    return ["" if v is None else str(v) for v in header]


def _load_rows(
    con: duckdb.DuckDBPyConnection,
    table: contract.Table,
    rel: str,
    rows: Iterator[tuple],
    mapping: Mapping,
    epoch: dt.datetime,
    say: Progress,
) -> int:
    """The rows after the header into the part table; returns how many."""
    wanted = [
        (col.name, mapping.positions[col.name], col.kind)
        for col in table.columns
        if col.name in mapping.positions
    ]
    batch = _XlsxBatch(con, table, rel)
    for number, row in enumerate(rows, start=2):
        if all(_empty(v) for v in row):
            continue  # an empty sheet row is not a record
        for name, pos, kind in wanted:
            value = row[pos] if pos < len(row) else None
            batch.columns[name].append(cell_text(value, kind, epoch))
        batch.lines.append(number)
        if len(batch.lines) >= BATCH_ROWS:
            batch.flush()
            say(f"đọc {rel}: {batch.rows} dòng")
    batch.flush(last=True)
    return batch.rows


class _XlsxBatch:
    """Rows of a sheet on their way to the part table, a batch at a time (bounded memory)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: contract.Table, rel: str):
        self.con, self.table, self.rel = con, table, rel
        self.columns: dict[str, list[str | None]] = {c: [] for c in table.column_names}
        self.lines: list[int] = []
        self.rows = 0
        self.created = False

    def flush(self, last: bool = False) -> None:
        if not self.lines and (self.created or not last):
            return
        n = len(self.lines)
        data = {
            col: pa.array(values if len(values) == n else [None] * n, type=pa.string())
            for col, values in self.columns.items()
        }
        data["_line"] = pa.array(self.lines, type=pa.int64())
        self.con.register("_minhbach_xlsx", pa.table(data))
        try:
            values = {col: ident(col) for col in self.table.column_names}
            select = part_select(self.table, values, literal(self.rel), "_line")
            verb = f"INSERT INTO {PART}" if self.created else f"CREATE TABLE {PART} AS"
            self.con.execute(f"{verb} SELECT {select} FROM _minhbach_xlsx")
        finally:
            self.con.unregister("_minhbach_xlsx")
        self.created = True
        self.rows += n
        for values in self.columns.values():
            values.clear()
        self.lines.clear()


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _from_serial(serial: float, epoch: dt.datetime) -> dt.datetime:
    """An Excel date serial (days since the workbook's epoch) as a datetime."""
    from openpyxl.utils.datetime import from_excel

    return from_excel(serial, epoch=epoch)


def _datetime_text(value: dt.datetime, kind: str) -> str:
    value = value.replace(tzinfo=None)
    if value.microsecond:  # Excel stores fractions of a day: round to the second
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if kind == "date" and value.time() == dt.time(0):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M:%S")
