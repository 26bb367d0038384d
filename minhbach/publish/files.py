"""The published files: what a download is (its files, columns and words, as the /du-lieu/ page
and the data package describe it), their name, size and hash, and a deterministic gzip (the
downloads of a big table and the release snapshots: the same file always gives the same bytes)."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MEDIATYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "gz": "application/gzip",
}
# zlib level 6 (gzip's default): about 20 times smaller for these files; level 1 is twice as
# fast and 40-80% larger.
GZIP_LEVEL = 6
GZIP_CHUNK = 1 << 20
UPDATE_FREQUENCY = "hằng ngày"


@dataclass(frozen=True)
class DownloadFile:
    format: str  # csv, json, parquet, xlsx, zip: what the data is
    name: str  # file name inside du-lieu/ (the link is du-lieu/<name>)
    bytes: int  # of the file as published (compressed when ``compression``)
    sha256: str
    mediatype: str  # of the file as published (application/gzip when compressed)
    compression: str = ""  # "gz" for <name>.<format>.gz
    plain_bytes: int | None = None  # of the data uncompressed (compressed files only)
    plain_sha256: str = ""


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime, time
    description: str  # Vietnamese
    sql_type: str  # the DuckDB type, as DESCRIBE shows it


@dataclass(frozen=True)
class DatasetInfo:
    """What the /du-lieu/ page lists for one download."""

    name: str
    title: str
    description: str
    row_text: str  # what one row is (the contract's grain)
    rows: int
    columns: tuple[ColumnInfo, ...]
    files: tuple[DownloadFile, ...]  # csv, json, parquet, xlsx (none when too long), in order
    primary_key: tuple[str, ...] = ()
    update_frequency: str = UPDATE_FREQUENCY

    def file(self, fmt: str) -> DownloadFile:
        for f in self.files:
            if f.format == fmt:
                return f
        raise KeyError(fmt)


def file_info(path: Path, fmt: str) -> DownloadFile:
    """A written file's name, size and sha256."""
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    return DownloadFile(
        format=fmt,
        name=path.name,
        bytes=path.stat().st_size,
        sha256=digest.hexdigest(),
        mediatype=MEDIATYPES[fmt],
    )


def gzip_copy(
    path: Path, write: Callable[[bytes], object], level: int = GZIP_LEVEL
) -> tuple[str, int]:
    """Stream the gzip of the file ``path`` into ``write``: RFC 1952 with no file name, mtime 0
    and OS 'unknown' (the bytes of ``gzip.GzipFile(filename="", mtime=0)``), so the same file
    always gives the same bytes. Returns the plain file's sha256 (hex) and size."""
    xfl = 2 if level == 9 else 4 if level == 1 else 0
    write(b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + bytes([xfl, 255]))
    digest = hashlib.sha256()
    comp = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = 0
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(GZIP_CHUNK):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            write(comp.compress(chunk))
    write(comp.flush())
    write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return digest.hexdigest(), size


def compressed(path: Path, fmt: str) -> DownloadFile:
    """Replace the file ``path`` by ``path.gz`` (:func:`gzip_copy`); its DownloadFile."""
    gz_path = path.with_name(path.name + ".gz")
    digest = hashlib.sha256()
    with open(gz_path, "wb") as out:

        def write(data: bytes) -> None:
            digest.update(data)
            out.write(data)

        plain_sha, plain_size = gzip_copy(path, write)
    path.unlink()
    return DownloadFile(
        format=fmt,
        name=gz_path.name,
        bytes=gz_path.stat().st_size,
        sha256=digest.hexdigest(),
        mediatype=MEDIATYPES["gz"],
        compression="gz",
        plain_bytes=plain_size,
        plain_sha256=plain_sha,
    )
