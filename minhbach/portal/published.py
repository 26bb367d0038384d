"""The captures on the published site: written there by the build, read back by ``make fetch``.

Captures are history: the evaluation the portal showed on a day is not published again later.
The publish workflow's runner keeps no files between runs, so, like the releases (``/lich-su/``),
the captures are read back from the published site: the build publishes the capture folder
(``[portal] folder``) under ``/du-lieu/cong-dvcqg/`` (``publish_captures``), and the workflow's
``make fetch`` restores the days the folder lacks from there (``restore``) before it collects
today's. They are also the raw figures behind the portal tables, for anyone to check.

What is published of each capture day: ``manifest.csv``, ``requests.csv`` and every response the
reader reads (the ``.raw/`` responses of the six group endpoints are not published: hidden files
are not part of the site), each checked against the size and SHA-256 its ``requests.csv``
recorded when it was received; and the folder's ``manifest.csv`` (the index of every day). A
damaged capture stops the build (one line naming the file): a public record is never published
again damaged.

``restore``: a 404 on the index means no capture was published yet (a warning); any other failure
(the site unreadable, a file that differs from its ``requests.csv``) stops, so that no site is
published whose captures lost their past. A day appears in the folder whole, checked, or not at
all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..publish.fetch import remove
from ..publish.releases.remote import NotFound, fetch
from .client import MAX_BYTES
from .collect import DAY, MANIFEST, REQUESTS, capture_days, hidden, read_csv, write_index

SITE_FOLDER = "du-lieu/cong-dvcqg"  # where the site publishes the captures
MAX_CSV_BYTES = 64 * 1024**2  # a manifest or request log
_SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def _recorded(day: Path | str, rows: list[dict], where: str) -> dict[str, tuple[int, str]]:
    """``file -> (bytes, sha256)`` of the responses a day's requests.csv says were saved."""
    recorded: dict[str, tuple[int, str]] = {}
    for row in rows:
        name = row.get("file") or ""
        if not name or hidden(name):
            continue
        size, digest = row.get("bytes") or "", row.get("sha256") or ""
        if not size.isdigit() or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise InputError(where, f"{day}/{name}: requests.csv không ghi kích thước và sha256")
        recorded[name] = (int(size), digest)
    return recorded


def _problem(data: bytes, expected: tuple[int, str]) -> str | None:
    if len(data) != expected[0]:
        return f"{len(data)} byte thay vì {expected[0]}"
    if hashlib.sha256(data).hexdigest() != expected[1]:
        return "sha256 khác"
    return None


# --------------------------------------------------------------------------------------------
# Publishing


def publish_captures(folder: Path, dest: Path) -> list[Path]:
    """Copy the capture days of ``folder`` (what the reader reads, each day's manifest.csv and
    requests.csv, the index) into ``dest``, every response checked against its requests.csv.
    Returns the files written; none when the folder holds no capture."""
    folder, dest = Path(folder), Path(dest)
    days = capture_days(folder) if folder.is_dir() else []
    if not days or not (folder / MANIFEST).is_file():
        return []
    written: list[Path] = []
    for day in days:
        recorded = _recorded(day, read_csv(day / REQUESTS), str(day / REQUESTS))
        for name, expected in recorded.items():
            source = day / name
            data = source.read_bytes() if source.is_file() else b""
            problem = "không có tệp" if not source.is_file() else _problem(data, expected)
            if problem:
                raise InputError(str(source), f"bản chụp bị hỏng ({problem}): không công bố lại")
            written.append(_copy(data, dest / day.name / name))
        for name in (MANIFEST, REQUESTS):
            written.append(_copy((day / name).read_bytes(), dest / day.name / name))
    written.append(_copy((folder / MANIFEST).read_bytes(), dest / MANIFEST))
    return written


def _copy(data: bytes, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


# --------------------------------------------------------------------------------------------
# Reading back


def _get(url: str, limit: int) -> bytes:
    parts: list[bytes] = []
    fetch(url, parts.append, limit)
    return b"".join(parts)


def _rows(data: bytes, where: str) -> list[dict]:
    try:
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        raise InputError(where, "không đọc được (không phải CSV UTF-8)") from None


def _published_days(index_url: str, data: bytes) -> dict[str, list[str]]:
    """``day -> files`` (relative to the day) of the published index, every path checked."""
    days: dict[str, list[str]] = {}
    for row in _rows(data, index_url):
        parts = (row.get("file") or "").split("/")
        bad = len(parts) < 2 or not DAY.fullmatch(parts[0])
        if bad or not all(_SAFE_PART.fullmatch(p) for p in parts[1:]):
            raise InputError(index_url, f"đường dẫn không hợp lệ: {row.get('file', '')[:80]!r}")
        days.setdefault(parts[0], []).append("/".join(parts[1:]))
    return days


def restore(url: str, folder: Path, *, warn: Callable[[str], None]) -> list[str]:
    """Download into ``folder`` the capture days published at ``url`` (``…/du-lieu/cong-dvcqg/``)
    that it lacks, each checked; returns those days."""
    base = url if url.endswith("/") else url + "/"
    index_url = base + MANIFEST
    try:
        index = _get(index_url, MAX_CSV_BYTES)
    except NotFound:
        warn(
            f"{index_url}: chưa có bản chụp nào của cổng được công bố ở địa chỉ này (HTTP 404): "
            "các bản chụp bắt đầu từ lần này"
        )
        return []
    folder = Path(folder)
    have = {p.name for p in capture_days(folder)} if folder.is_dir() else set()
    restored = []
    for day, files in sorted(_published_days(index_url, index).items()):
        if day not in have:
            folder.mkdir(parents=True, exist_ok=True)
            _restore_day(base, day, files, folder)
            restored.append(day)
    if restored:
        write_index(folder)
    return restored


def _restore_day(base: str, day: str, files: list[str], folder: Path) -> None:
    staging = folder / f".{day}.restore"  # hidden: the reader never sees a day half restored
    remove(staging)
    try:
        staging.mkdir()
        logs = {name: _get(f"{base}{day}/{name}", MAX_CSV_BYTES) for name in (MANIFEST, REQUESTS)}
        where = f"{base}{day}/{REQUESTS}"
        recorded = _recorded(day, _rows(logs[REQUESTS], where), where)
        for name in files:
            url = base + urllib.parse.quote(f"{day}/{name}")
            if name not in recorded:
                raise InputError(url, "requests.csv của ngày đó không ghi tệp này")
            data = _get(url, MAX_BYTES)
            problem = _problem(data, recorded[name])
            if problem:
                raise InputError(
                    url,
                    f"tệp tải về khác với requests.csv ({problem}): trang đã đăng bị hỏng hoặc "
                    "đang được cập nhật; không công bố lại tệp hỏng",
                )
            _copy(data, staging / name)
        for name, data in logs.items():
            _copy(data, staging / name)
        staging.rename(folder / day)
    finally:
        remove(staging)
