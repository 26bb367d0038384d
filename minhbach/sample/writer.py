"""Writing the tables: one file per table (CSV or Parquet, every column text), the marker that
says the data are synthetic, and removing what an earlier run wrote."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import __version__
from .tables import MARKER, TABLE_FILES
from .units import PROVINCE_NAME


class Sink:
    """One output table file; every column is text (empty cell = null), same as the CSV."""

    def __init__(self, path: Path, columns: tuple[str, ...], fmt: str, *, bom: bool = False):
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.rows = 0
        self._file = None
        if fmt == "csv":
            self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
            if bom:
                self._file.write(b"\xef\xbb\xbf")
            self._writer = pacsv.CSVWriter(
                self._file,
                self.schema,
                write_options=pacsv.WriteOptions(quoting_style="needed"),
            )
        else:
            self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, arrays: list) -> None:
        arrays = [a if isinstance(a, pa.Array) else pa.array(a, type=pa.string()) for a in arrays]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> int:
        self._writer.close()
        if self._file is not None:
            self._file.close()
        return self.rows


def write_table(out: Path, name: str, columns: tuple[str, ...], arrays: list, fmt: str) -> int:
    """Write a whole table at once; its row count."""
    sink = Sink(out / f"{name}.{fmt}", columns, fmt)
    sink.write(arrays)
    return sink.close()


def clean(out: Path) -> None:
    """Remove only the files this generator writes (in either format)."""
    for name in TABLE_FILES:
        for ext in ("csv", "parquet"):
            (out / f"{name}.{ext}").unlink(missing_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    folder = out / "dossiers"
    if folder.is_dir():
        for f in folder.iterdir():
            if re.fullmatch(r"\d{4}-\d{2}\.(csv|parquet)", f.name):
                f.unlink()


def write_marker(
    out: Path,
    *,
    seed: int,
    as_of: date,
    scale: str,
    dossiers: int,
    shape: int,
    units: int | None = None,
) -> None:
    """_synthetic.toml: the build shows a "synthetic data" banner when it finds it."""
    text = (
        "# Dữ liệu giả lập (synthetic data): the build shows a banner on every page.\n"
        f'province_name = "{PROVINCE_NAME}"\n'
        "synthetic = true\n"
        'note = "Dữ liệu giả lập do máy sinh ngẫu nhiên để minh họa. Tỉnh Minh Họa không có '
        "thật; mọi cơ quan, hồ sơ, tên người, số điện thoại và số giấy tờ đều là bịa đặt và "
        'không mô tả bất kỳ tỉnh, cơ quan hay người dân có thật nào."\n'
        f'generator = "minhbach.sample {__version__}"\n'
        f"seed = {seed}\n"
        f"as_of = {as_of.isoformat()}\n"
        f'scale = "{scale}"\n'
        f"dossiers = {dossiers}\n"
        f"shape = {shape}\n"
    ) + (f"units = {units}\n" if units is not None else "")
    (out / MARKER).write_text(text, encoding="utf-8")
