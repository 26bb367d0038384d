"""Checking snapshots against their release.json: the history is a public record, a damaged file
is never published again.

Every snapshot read is checked file by file (nothing missing, nothing unlisted, each
``gz_bytes`` and ``gz_sha256``: one streaming pass per file and build, about 1.2 s per GB), and
the CSV inside each gzip against ``bytes`` and ``sha256`` (decompressing costs about a minute
per GB, so it is done once per file: the archive's ``.verified`` lists the
``gz_sha256 sha256 bytes`` already checked; a file whose gzip hash is in it and matches is not
decompressed again). A mismatch stops the build (InputError naming the file).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ...errors import InputError
from .release import SHA256_RE, Release

VERIFIED = ".verified"  # in the archive: "gz_sha256 sha256 bytes" of the files already checked
CHUNK = 1 << 20  # bytes read at a time when hashing or downloading
Fact = tuple[str, str, int]  # a gzip's sha256 holds a CSV of that sha256 and size


def facts(release: Release) -> set[Fact]:
    """What checking a release's files establishes: each gzip (by its sha256) holds a CSV of
    that sha256 and size."""
    return {facts_of(t) for t in release.tables.values()}


def read_verified(archive: Path) -> set[Fact]:
    """The archive's ``.verified``: the gzip files (by sha256) whose CSV was checked already.
    A line that does not read is skipped (it only costs a decompression)."""
    try:
        text = (Path(archive) / VERIFIED).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return set()
    known = set()
    for line in text.splitlines():
        parts = line.split()
        if (
            len(parts) == 3
            and SHA256_RE.match(parts[0])
            and SHA256_RE.match(parts[1])
            and parts[2].isdigit()
        ):
            known.add((parts[0], parts[1], int(parts[2])))
    return known


def write_verified(archive: Path, known: set[Fact]) -> None:
    tmp = archive / f"{VERIFIED}.tmp-{os.getpid()}"
    try:
        tmp.write_text(
            "".join(f"{gz} {sha} {size}\n" for gz, sha, size in sorted(known)), encoding="ascii"
        )
        tmp.replace(archive / VERIFIED)
    finally:
        tmp.unlink(missing_ok=True)


class Digest:
    """One snapshot file read in one streaming pass: its size and sha256 and, with ``plain``,
    the size and sha256 of the CSV inside (decompressed as it is read)."""

    def __init__(self, plain: bool):
        self.size = 0
        self.sha = hashlib.sha256()
        self.inflate = zlib.decompressobj(wbits=31) if plain else None
        self.plain_size = 0
        self.plain_sha = hashlib.sha256()
        self.broken = False

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.sha.update(chunk)
        if self.inflate is None or self.broken:
            return
        try:
            data = self.inflate.decompress(chunk, CHUNK)
            while True:
                self.plain_size += len(data)
                self.plain_sha.update(data)
                if not self.inflate.unconsumed_tail:
                    break
                data = self.inflate.decompress(self.inflate.unconsumed_tail, CHUNK)
        except zlib.error:
            self.broken = True

    def problem(self, info: Mapping) -> str | None:
        """What differs from the table's entry in release.json (None: nothing)."""
        if self.size != int(info["gz_bytes"]):
            return f"{self.size} byte, release.json ghi {info['gz_bytes']} byte"
        if self.sha.hexdigest() != info["gz_sha256"]:
            return "gz_sha256 không khớp"
        if self.inflate is not None:
            if self.broken or not self.inflate.eof or self.inflate.unused_data:
                return "không giải nén được"
            plain = (self.plain_sha.hexdigest(), self.plain_size)
            if plain != (info["sha256"], int(info["bytes"])):
                return "tệp CSV bên trong không khớp sha256 hoặc bytes"
        return None


def check_file(path: Path, info: Mapping, plain: bool) -> str | None:
    digest = Digest(plain)
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.problem(info)


def damaged(where: str, problem: str) -> InputError:
    return InputError(
        where,
        f"tệp khác với release.json ({problem}): bản lưu trữ bị hỏng hoặc bị sửa; không công bố "
        "lại tệp hỏng: chép lại tệp đúng từ trang đã đăng hoặc bản sao lưu",
    )


def verify(releases: list[Release], known: set[Fact]) -> None:
    """Check the snapshot folders of ``releases`` against their release.json: exactly the files
    it lists, each of its gz_bytes and gz_sha256, and the CSV inside of its bytes and sha256
    unless ``known`` has that file. The first problem, in date and file order, is an
    InputError naming the file."""
    jobs: list[tuple[Path, dict, bool]] = []
    for release in releases:
        folder = Path(release.path)
        listed = set(release.files)
        for child in sorted(folder.iterdir()):
            if child.name not in listed:
                raise InputError(
                    str(child),
                    "không có trong release.json: thư mục của một bản công bố chỉ chứa các tệp "
                    "release.json ghi; hãy chuyển tệp này ra khỏi thư mục lưu trữ",
                )
        for name in release.table_names():
            info = release.tables[name]
            path = folder / info["file"]
            if not path.is_file():
                raise InputError(str(path), "thiếu tệp của bản công bố (release.json có ghi)")
            size = path.stat().st_size
            if size != info["gz_bytes"]:
                raise damaged(str(path), f"{size} byte, release.json ghi {info['gz_bytes']} byte")
            jobs.append((path, info, facts_of(info) not in known))
    if not jobs:
        return
    # hashlib and zlib let go of the GIL: the files are read side by side.
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1, 4)) as pool:
        results = pool.map(lambda job: check_file(*job), jobs)
        try:
            for (path, _, _), problem in zip(jobs, results, strict=True):
                if problem:
                    raise damaged(str(path), problem)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def facts_of(info: Mapping) -> Fact:
    return (info["gz_sha256"], info["sha256"], int(info["bytes"]))
