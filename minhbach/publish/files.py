"""The published files: what a download is (its files, columns and words, as the /du-lieu/ page
and the data package describe it), their name, size and hash, and a deterministic gzip (the
downloads of a big table and the release snapshots: the same file always gives the same bytes)."""

from __future__ import annotations

import contextlib
import hashlib
import struct
import threading
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


class Gzip:
    """A deterministic gzip stream (RFC 1952 with no file name, mtime 0 and OS 'unknown': the
    bytes of ``gzip.GzipFile(filename="", mtime=0)``) written into ``write`` as the plain data
    comes (the output does not depend on how the data is cut into chunks). Keeps the plain
    data's sha256 and size."""

    def __init__(self, write: Callable[[bytes], object], level: int = GZIP_LEVEL) -> None:
        xfl = 2 if level == 9 else 4 if level == 1 else 0
        self._write = write
        self._comp = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._crc = 0
        self.plain_sha256 = hashlib.sha256()
        self.plain_bytes = 0
        write(b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + bytes([xfl, 255]))

    def add(self, chunk: bytes | memoryview) -> None:
        self.plain_sha256.update(chunk)
        self._crc = zlib.crc32(chunk, self._crc)
        self.plain_bytes += len(chunk)
        self._write(self._comp.compress(chunk))

    def close(self) -> None:
        self._write(self._comp.flush())
        self._write(struct.pack("<II", self._crc & 0xFFFFFFFF, self.plain_bytes & 0xFFFFFFFF))


def gzip_copy(
    path: Path, write: Callable[[bytes], object], level: int = GZIP_LEVEL
) -> tuple[str, int]:
    """Stream the gzip of the file ``path`` into ``write`` (:class:`Gzip`), so the same file
    always gives the same bytes. Returns the plain file's sha256 (hex) and size."""
    gz = Gzip(write, level)
    with open(path, "rb") as f:
        while chunk := f.read(GZIP_CHUNK):
            gz.add(chunk)
    gz.close()
    return gz.plain_sha256.hexdigest(), gz.plain_bytes


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
    return gzipped_file(fmt, gz_path, digest.hexdigest(), plain_size, plain_sha)


def gzipped_file(
    fmt: str, gz_path: Path, sha256: str, plain_bytes: int, plain_sha256: str
) -> DownloadFile:
    """The DownloadFile of a gzipped download written at ``gz_path``."""
    return DownloadFile(
        format=fmt,
        name=gz_path.name,
        bytes=gz_path.stat().st_size,
        sha256=sha256,
        mediatype=MEDIATYPES["gz"],
        compression="gz",
        plain_bytes=plain_bytes,
        plain_sha256=plain_sha256,
    )


class GzipChoice:
    """Whether a file written as it comes (:func:`receive`) is published gzipped: ``always``,
    or once it is larger than ``over`` bytes. ``decided`` is set as soon as the answer is known
    (``chosen``): at once, when the size passes ``over``, or at the file's end."""

    def __init__(self, *, always: bool = False, over: int | None = None) -> None:
        self.over = None if always else over
        self.chosen = always
        self.decided = threading.Event()
        if self.over is None:
            self.decided.set()


def _widen(source) -> None:
    """A pipe's buffer of GZIP_CHUNK bytes (Linux), so that the writer waits less often."""
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(source.fileno(), fcntl.F_SETPIPE_SZ, GZIP_CHUNK)


def receive(source: Path, path: Path, fmt: str, gzip: GzipChoice) -> DownloadFile:
    """Read ``source`` (a pipe DuckDB writes into, or a file) to its end into ``path``, or
    into ``path.gz`` (:class:`Gzip`) as ``gzip`` chooses, hashing it on the way; its
    DownloadFile. A file chosen for gzip once over its size limit is compressed from its
    plain beginning on, then the plain file is removed: the bytes are those of
    :func:`compressed`."""
    gz_path = path.with_name(path.name + ".gz")
    plain_sha = hashlib.sha256()
    size = 0
    published_sha = hashlib.sha256()
    out = None
    gz: Gzip | None = None

    def write(data: bytes) -> None:
        published_sha.update(data)
        out.write(data)

    def start_gzip() -> Gzip:
        nonlocal out
        out = open(gz_path, "wb")  # noqa: SIM115 - closed below
        return Gzip(write)

    try:
        with open(source, "rb", buffering=0) as src:
            _widen(src)
            if gzip.chosen:
                gz = start_gzip()
            else:
                out = open(path, "wb")  # noqa: SIM115 - closed below
            while chunk := _read(src):
                if gz is not None:
                    gz.add(chunk)
                    continue
                plain_sha.update(chunk)
                out.write(chunk)
                size += len(chunk)
                if gzip.over is not None and size > gzip.over:  # too big: gzip from the start
                    gzip.chosen = True
                    gzip.decided.set()
                    out.close()
                    gz = start_gzip()
                    with open(path, "rb") as written:
                        while part := written.read(GZIP_CHUNK):
                            gz.add(part)
                    path.unlink()
            if gz is not None:
                gz.close()
    finally:
        gzip.decided.set()
        if out is not None:
            out.close()
    if gz is None:
        return DownloadFile(
            format=fmt,
            name=path.name,
            bytes=size,
            sha256=plain_sha.hexdigest(),
            mediatype=MEDIATYPES[fmt],
        )
    return gzipped_file(
        fmt, gz_path, published_sha.hexdigest(), gz.plain_bytes, gz.plain_sha256.hexdigest()
    )


def _read(source) -> bytes:
    """Up to GZIP_CHUNK bytes of ``source`` (unbuffered: a pipe gives what it holds), b"" at
    its end."""
    parts, got = [], 0
    while got < GZIP_CHUNK:
        data = source.read(GZIP_CHUNK - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)
