"""The data package of ``/du-lieu/``: its Frictionless Data Package v2 descriptor
(``du-lieu/datapackage.json``) and its zip (``du-lieu/minhbach-du-lieu.zip``).

The descriptor describes each table's CSV as published (its path, size, hash, dialect and
Table Schema: the columns' types and Vietnamese descriptions come from the tables' contracts);
JSON and Parquet are the same tables in other formats, one link each on the page. The zip is
the data package itself: the descriptor and every table's CSV (as published, gzipped for a big
table), the files the descriptor names, at its root so that its paths work once unzipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..buildinfo import LOCAL_TZ, BuildInfo
from .files import MEDIATYPES, UPDATE_FREQUENCY, DatasetInfo, DownloadFile, file_info

__all__ = [
    "CC_BY_4",
    "DATAPACKAGE_NAME",
    "UPDATE_FREQUENCY",
    "ZIP_NAME",
    "License",
    "descriptor",
    "package_files",
    "package_name",
    "write",
]

DATAPACKAGE_NAME = "datapackage.json"
ZIP_NAME = "minhbach-du-lieu.zip"
# Deflate level of the zip's text files: level 1 compresses CSV and JSON 4-8 times faster
# than the default 6, for a file about 15% larger (two million synthetic rows).
ZIP_LEVEL = 1


@dataclass(frozen=True)
class License:
    """A licence of the data package (Data Package v2 ``licenses`` item)."""

    name: str
    title: str
    path: str


# The computed figures are published under CC BY 4.0: anyone may reuse and republish them,
# commercially too, provided they name the source. It is the licence of the Open Definition
# that suits a public-sector derived dataset and the one most journalists already know.
CC_BY_4 = License(
    name="CC-BY-4.0",
    title="Creative Commons Attribution 4.0 International",
    path="https://creativecommons.org/licenses/by/4.0/",
)


def write(
    out_dir: Path,
    infos: Sequence[DatasetInfo],
    build: BuildInfo,
    *,
    name: str,
    license: License = CC_BY_4,
) -> None:
    """Write the descriptor (the package ``name``: :func:`package_name`) and the zip of the
    tables already written into ``out_dir``."""
    package = descriptor(infos, build, name=name, license=license)
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    (out_dir / DATAPACKAGE_NAME).write_text(text, encoding="utf-8")
    _write_zip(out_dir, infos, build)


def package_files(out_dir: Path) -> list[DownloadFile]:
    """The descriptor and the zip as written by :func:`write` (for the page); none when either
    is missing."""
    paths = (Path(out_dir) / DATAPACKAGE_NAME, Path(out_dir) / ZIP_NAME)
    if not all(p.exists() for p in paths):
        return []
    return [file_info(paths[0], "json"), file_info(paths[1], "zip")]


# --------------------------------------------------------------------------------------------
# The descriptor


def package_name(con: duckdb.DuckDBPyConnection, province_name: str) -> str:
    """The package's name: ``minhbach-`` and the province's slug (the SQL macro ``slugify``,
    the rule of the units' addresses)."""
    (slug,) = con.execute("SELECT slugify(?)", [province_name]).fetchone()
    return "minhbach-" + (slug or "du-lieu")


def _created(build_time: dt.datetime) -> str:
    if build_time.tzinfo is None:
        build_time = build_time.replace(tzinfo=LOCAL_TZ)
    return build_time.replace(microsecond=0).isoformat()


def _title_source_caveat(build: BuildInfo) -> tuple[str, dict, str]:
    province = build.province_name
    if build.synthetic:
        return (
            f"Minh bạch TTHC – {province} (dữ liệu giả lập)",
            {"title": "Dữ liệu giả lập do minhbach sinh ra (không mô tả tỉnh, thành phố thật nào)"},
            " DỮ LIỆU GIẢ LẬP: các con số không mô tả bất kỳ tỉnh, thành phố hay cơ quan thật nào.",
        )
    source = (
        f"Dữ liệu hồ sơ thủ tục hành chính của {province} (Hệ thống thông tin giải quyết "
        "TTHC), xuất để tính toán"
    )
    return f"Minh bạch TTHC – {province}", {"title": source}, ""


def descriptor(
    infos: Sequence[DatasetInfo], build: BuildInfo, *, name: str, license: License = CC_BY_4
) -> dict:
    """The Frictionless Data Package v2 descriptor of the CSV downloads."""
    province = build.province_name
    title, source, caveat = _title_source_caveat(build)
    description = (
        f"Số liệu giải quyết hồ sơ thủ tục hành chính (mẫu 06a) và Bộ chỉ số phục vụ người dân, "
        f"doanh nghiệp (Quyết định 766/QĐ-TTg) của các đơn vị thuộc {province}, tính từ dữ liệu "
        f"hồ sơ đến ngày {build.as_of.strftime('%d/%m/%Y')} theo bộ quy tắc {build.rule_set}. "
        "Mỗi bảng có bản CSV (UTF-8 có BOM; ô văn bản bắt đầu bằng =, +, -, @, tab hoặc CR được "
        "thêm dấu ' ở đầu để bảng tính không coi là công thức), JSON, Parquet và Excel (XLSX: mã "
        "và kỳ là ô văn bản) cùng tên, liệt kê ở minhbach.other_formats của từng bảng." + caveat
    )
    out: dict = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": title,
        "description": description,
        "version": build.build_time.date().isoformat(),
        "created": _created(build.build_time),
        "keywords": ["thủ tục hành chính", "766", "06a", province],
        "licenses": [{"name": license.name, "title": license.title, "path": license.path}],
        "sources": [source],
        "contributors": [{"title": "minhbach", "roles": ["creator"]}],
    }
    if build.site_url:
        homepage = build.site_url.rstrip("/") + "/du-lieu/"
        out["homepage"] = homepage
        out["sources"][0]["path"] = homepage
    # Properties of this project (Data Package v2 allows them): the facts a citation needs.
    out["minhbach"] = {
        "as_of": build.as_of.isoformat(),
        "rule_set": build.rule_set,
        "synthetic": build.synthetic,
        "province_name": province,
        "update_frequency": UPDATE_FREQUENCY,
    }
    out["resources"] = [_resource(info) for info in infos]
    return out


def _schema(info: DatasetInfo) -> dict:
    schema: dict = {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": [
            {"name": c.name, "type": c.type, "description": c.description} for c in info.columns
        ],
        "missingValues": [""],
    }
    if info.primary_key:
        schema["primaryKey"] = list(info.primary_key)
    return schema


def _resource(info: DatasetInfo) -> dict:
    csv = info.file("csv")
    resource = {
        "name": info.name,
        "title": info.title,
        "description": f"{info.description} Mỗi dòng: {info.row_text}.",
        "type": "table",
        "path": csv.name,
        "scheme": "file",
        "format": "csv",
        "mediatype": MEDIATYPES["csv"],
        "encoding": "utf-8-sig",
    }
    if csv.compression:
        # frictionless reads <name>.csv.gz itself; bytes and hash are of the file as published.
        resource["compression"] = csv.compression
    resource = resource | {
        "bytes": csv.bytes,
        "hash": f"sha256:{csv.sha256}",
        "dialect": {
            "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
            "header": True,
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
        },
        "schema": _schema(info),
    }
    # The same table in the other formats of /du-lieu/ (a property of this project: Data
    # Package v2 allows them; the resource itself is the CSV that frictionless validates).
    others = [_other_format(f) for f in info.files if f.format != "csv"]
    if others:
        resource["minhbach"] = {"other_formats": others}
    return resource


def _other_format(f: DownloadFile) -> dict:
    out = {"path": f.name, "format": f.format, "mediatype": f.mediatype, "bytes": f.bytes}
    if f.compression:
        out["compression"] = f.compression
    return out | {"hash": f"sha256:{f.sha256}"}


# --------------------------------------------------------------------------------------------
# The zip


def _zip_time(build_time: dt.datetime) -> tuple[int, int, int, int, int, int]:
    t = max(build_time.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _entry(name: str, size: int, date_time: tuple) -> zipfile.ZipInfo:
    """A zip entry with the build time and fixed permissions; deflated at :data:`ZIP_LEVEL`,
    or stored when already compressed (Parquet, gzip: stored as is, they cost no time)."""
    entry = zipfile.ZipInfo(name, date_time=date_time)
    entry.create_system = 3  # unix, whatever builds it
    entry.external_attr = 0o100644 << 16
    if name.endswith((".parquet", ".gz")):
        entry.compress_type = zipfile.ZIP_STORED
    else:
        entry.compress_type = zipfile.ZIP_DEFLATED
        if hasattr(entry, "compress_level"):  # Python 3.13+
            entry.compress_level = ZIP_LEVEL
        else:
            entry._compresslevel = ZIP_LEVEL
    entry.file_size = size
    return entry


def _write_zip(out_dir: Path, infos: Sequence[DatasetInfo], build: BuildInfo) -> None:
    """The descriptor and every table's CSV as published, sorted by name."""
    names = sorted([info.file("csv").name for info in infos] + [DATAPACKAGE_NAME])
    date_time = _zip_time(build.build_time)
    tmp = out_dir / (ZIP_NAME + ".tmp")
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
        for name in names:
            path = out_dir / name
            entry = _entry(name, path.stat().st_size, date_time)
            with open(path, "rb") as src, zf.open(entry, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, out_dir / ZIP_NAME)
