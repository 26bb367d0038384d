"""Shared by the ingest tests: small export files written into tmp_path, and ways to look at
what the reader made of them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
import openpyxl
import pytest

from minhbach import ingest
from minhbach.errors import InputError

AGENCIES = "MaDonVi,TenDonVi,CapDonVi\nP,Tỉnh Thử,province\nA,Sở Tư pháp,department\n"
PROCEDURES = "MaTTHC,TenTTHC,MucDo\n1.000001,Thủ tục một,4\n"
# the dossier columns every file must have (DVCQG names)
DOSSIER_COLUMNS = [
    "MaHoSo",
    "MaDonVi",
    "MaTTHC",
    "TrangThaiHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
]
DOSSIER_HEADER = ",".join([*DOSSIER_COLUMNS, "ChuHoSo", "SoDienThoai"])
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


def dossier_lines(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(dossier_id, _line) of raw_dossiers, in line order."""
    return con.execute("SELECT dossier_id, _line FROM raw_dossiers ORDER BY _line").fetchall()
