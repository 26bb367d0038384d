"""Fetching the export named in minhbach.toml ([data] source) before a build.

A folder source needs nothing. An https:// source is a zip of the export: it is downloaded
(with the bearer token in MINHBACH_DATA_TOKEN, if set) and unpacked into data/fetched/, which the
build then reads. ``python -m minhbach.publish.fetch [--config FILE] [--out DIR]``.

The download goes to ``fetched.new/`` beside the target and is unpacked there; only a complete,
checked export replaces ``fetched/``. Every failure leaves ``fetched/`` as it was and removes
``fetched.new/``, with one ``lỗi:`` line and exit code 2. A zip is refused, before anything is
unpacked, when it holds a symbolic link or another special file, a path that is absolute or
climbs out (``..``), the same path twice, a file where a folder is needed, an encrypted entry,
more than ``MAX_ENTRIES`` entries, or entries whose declared sizes add up to more than
``[data] max_unpacked_gb`` (or than the disk has free). The bytes are counted while unpacking too,
since declared sizes can lie.
"""

from __future__ import annotations

import argparse
import errno
import http.client
import os
import re
import shutil
import signal
import stat
import struct
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from pathlib import Path

from ..config import ROOT, Settings, check_data_source, load_settings, source_is_url
from ..errors import BuildError, InputError

FETCHED = ROOT / "data" / "fetched"
MAX_BYTES = 4 * 1024**3  # the largest download
MAX_ENTRIES = (
    10_000  # files and folders in the zip (an export holds tens, monthly files a few hundred)
)
MAX_CENTRAL_DIRECTORY = 64 * 1024**2  # bytes of the zip's listing, read into memory
TIMEOUT = 300  # seconds without a byte from the server
_CHUNK = 1024**2
_ARCHIVE = "export.zip"  # the download, inside fetched.new/
_UNPACKED = "export"  # the unpacked export, inside fetched.new/, renamed to fetched/ at the end


def fetched_dir(settings: Settings) -> Path | None:
    """Where the build reads a URL source from (None for a folder source)."""
    return FETCHED if source_is_url(settings.data_source) else None


def shown(url: str) -> str:
    """An address as messages show it: no ?query (a signed link's secret) and no login."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def fetch(settings: Settings, target: Path = FETCHED) -> Path | None:
    """Download and unpack an https:// source into ``target``; None for a folder source."""
    source = settings.data_source
    check_data_source(settings)
    if not source_is_url(source):
        return None
    where = shown(source)
    target = Path(target)
    staging = target.with_name(target.name + ".new")
    remove(staging)  # a fetch killed before it could clean up
    try:
        staging.mkdir(parents=True)
        archive = staging / _ARCHIVE
        download(source, archive, where=where)
        limit = int(settings.max_unpacked_gb * 1024**3)
        unpack(archive, staging / _UNPACKED, limit=limit, where=where)
        archive.unlink()
        swap(staging / _UNPACKED, target)
    finally:
        remove(staging)
    return target


# --------------------------------------------------------------------------------------------
# Download


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to https:// only (never down to http://, file: or ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        if not newurl.lower().startswith("https://"):
            raise InputError(
                shown(req.full_url), "máy chủ chuyển hướng sang địa chỉ không phải https://"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _open(request: urllib.request.Request):
    """The server's response (the one place that touches the network; tests replace it)."""
    opener = urllib.request.build_opener(_HttpsOnlyRedirects)
    return opener.open(request, timeout=TIMEOUT)


def _network_problem(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"không tải được dữ liệu (máy chủ trả lời HTTP {exc.code})"
    reason = getattr(exc, "reason", None)
    name = type(reason if isinstance(reason, BaseException) else exc).__name__
    return f"không tải được dữ liệu ({name})"


def download(url: str, dest: Path, *, where: str, limit: int | None = None) -> None:
    """Write the body at ``url`` into ``dest``; at most ``limit`` bytes (``MAX_BYTES``)."""
    limit = MAX_BYTES if limit is None else limit
    request = urllib.request.Request(url, headers={"User-Agent": "minhbach-fetch"})
    token = os.environ.get("MINHBACH_DATA_TOKEN")
    if token:
        # never sent on to where a redirect points (a storage host's signed link needs none)
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    too_big = f"tệp tải về lớn hơn {limit / 1024**3:g} GB"
    with dest.open("wb") as out:  # a local problem (disk full, no permission) is an OSError
        try:
            response = _open(request)
        except (OSError, http.client.HTTPException) as exc:
            raise InputError(where, _network_problem(exc)) from None
        with response:
            length = response.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > limit:
                raise InputError(where, too_big)
            total = 0
            while True:
                try:
                    chunk = response.read(_CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise InputError(where, _network_problem(exc)) from None
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise InputError(where, too_big)
                out.write(chunk)
    if total == 0:
        raise InputError(where, "tệp tải về rỗng")


# --------------------------------------------------------------------------------------------
# Unpacking


def _entry(name: str) -> str:
    """An entry's name as a message shows it: one line, printable, at most 80 characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in name)
    return text if len(text) <= 80 else text[:79] + "…"


_DRIVE = re.compile(r"[A-Za-z]:")
# What zipfile may raise on a damaged archive or entry (bad CRC, cut short, bad header…)
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, struct.error, ValueError, NotImplementedError)


def _plan(infos: list[zipfile.ZipInfo], where: str) -> tuple[list[tuple], set[tuple]]:
    """The files (info, path parts) and folders (path parts) of a zip, or the one reason to
    refuse it."""
    if len(infos) > MAX_ENTRIES:
        raise InputError(where, f"tệp zip có {len(infos)} mục, nhiều hơn {MAX_ENTRIES}")
    files: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    folders: set[tuple[str, ...]] = set()
    seen: set[tuple[str, ...]] = set()
    for info in infos:
        name = info.filename
        here = f"{where}: {_entry(name)}"
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise InputError(here, "là liên kết tượng trưng (symlink): tệp zip không được chứa")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise InputError(here, "không phải tệp hay thư mục thường: tệp zip không được chứa")
        if info.flag_bits & 0x1:
            raise InputError(here, "được mã hoá bằng mật khẩu: hãy nén lại không đặt mật khẩu")
        if any(not ch.isprintable() for ch in name):
            raise InputError(here, "tên có ký tự điều khiển")
        path = name.replace("\\", "/")  # zips made on Windows may separate with backslashes
        if path.startswith("/") or _DRIVE.match(path):
            raise InputError(here, "đường dẫn tuyệt đối: mọi tệp phải nằm trong tệp zip")
        parts = tuple(p for p in path.split("/") if p not in ("", "."))
        if ".." in parts:
            raise InputError(here, "đường dẫn có '..' (ra ngoài thư mục giải nén): không nhận")
        if not parts:
            continue  # "./": the folder itself
        is_folder = info.is_dir() or path.endswith("/")
        if parts in seen and not (is_folder and parts in folders):
            raise InputError(here, "trùng tên với một mục khác trong tệp zip")
        seen.add(parts)
        folders.update(parts[:i] for i in range(1, len(parts) + (1 if is_folder else 0)))
        if not is_folder:
            files.append((info, parts))
    for info, parts in files:
        if parts in folders:
            raise InputError(
                f"{where}: {_entry(info.filename)}", "là tệp nhưng cũng là thư mục của mục khác"
            )
    if not files:
        raise InputError(where, "tệp zip không có tệp nào")
    return files, folders


def _central_directory(archive: Path, where: str) -> None:
    """Refuse a zip whose listing alone is too big to read (millions of tiny entries)."""
    # zipfile's own reader of the end record (there since Python 2, but a private name: without
    # it, the listing is read and then counted)
    read_end = getattr(zipfile, "_EndRecData", None)
    if read_end is None:
        return
    with archive.open("rb") as handle:
        try:
            end = read_end(handle)
        except (OSError, *_DAMAGED):
            end = None
    if end is None:
        raise InputError(where, "tệp tải về không phải tệp zip (hoặc tải về không đầy đủ)")
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if entries > MAX_ENTRIES:
        raise InputError(where, f"tệp zip có {entries} mục, nhiều hơn {MAX_ENTRIES}")
    if size > MAX_CENTRAL_DIRECTORY:
        raise InputError(where, "danh mục của tệp zip quá lớn")


def unpack(archive: Path, dest: Path, *, limit: int, where: str) -> None:
    """Unpack the zip ``archive`` into the new folder ``dest`` (at most ``limit`` bytes), or
    raise ``InputError`` naming the zip (and the entry) and the problem. ``dest`` may be left
    half-written: the caller removes it."""
    gb = f"{limit / 1024**3:g} GB"
    too_big = f"giải nén ra hơn {gb} ([data] max_unpacked_gb): không nhận"
    _central_directory(archive, where)
    try:
        zf = zipfile.ZipFile(archive)
    except (*_DAMAGED, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno != errno.EINVAL:  # EINVAL: a bad offset
            raise
        raise InputError(where, "tệp zip bị hỏng hoặc tải về không đầy đủ") from None
    with zf:
        files, folders = _plan(zf.infolist(), where)
        declared = sum(info.file_size for info, _ in files)
        if declared > limit:
            raise InputError(where, too_big)
        dest.mkdir()
        free = shutil.disk_usage(dest).free
        if declared > free:
            raise InputError(
                where,
                f"ổ đĩa không đủ chỗ để giải nén (cần {declared / 1024**3:.1f} GB, "
                f"còn {free / 1024**3:.1f} GB)",
            )
        for parts in sorted(folders, key=len):
            dest.joinpath(*parts).mkdir(exist_ok=True)
        total = 0
        for info, parts in files:
            here = f"{where}: {_entry(info.filename)}"
            try:
                with zf.open(info) as src, dest.joinpath(*parts).open("xb") as out:
                    written = 0
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if written > info.file_size:
                            raise InputError(here, "giải nén ra nhiều hơn kích thước khai báo")
                        if total > limit:
                            raise InputError(where, too_big)
                        out.write(chunk)
            except _DAMAGED:
                raise InputError(here, "bị hỏng trong tệp zip (hoặc tải về không đầy đủ)") from None


# --------------------------------------------------------------------------------------------
# Folders


def remove(path: Path) -> None:
    """Remove a file, a link (not what it points to) or a folder, if there (also the portal
    fetch's)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def swap(new: Path, target: Path, old: Path | None = None) -> None:
    """Put ``new`` in place of ``target``; the old one goes only once the new one is there
    (meanwhile it is ``old``: ``<target>.old`` unless named)."""
    old = old or target.with_name(target.name + ".old")
    remove(old)
    if target.exists() or target.is_symlink():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() or old.is_symlink():
            old.rename(target)
        raise
    remove(old)


# --------------------------------------------------------------------------------------------
# Command line


class OneLineParser(argparse.ArgumentParser):
    """Argument errors as one ``lỗi:`` line with exit code 2 (as build.py); also the portal
    fetch's command line."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        message = " ".join(message.split())
        print(f"lỗi: tham số dòng lệnh: {message} (xem --help)", file=sys.stderr)
        sys.exit(2)


def _os_problem(exc: OSError) -> str:
    """One line for an OSError: the path and the system's short name of the problem."""
    problem = errno.errorcode.get(exc.errno, "") if exc.errno else ""
    if exc.errno == errno.ENOSPC:
        problem = "ổ đĩa đã đầy"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        problem = "không có quyền ghi"
    elif exc.errno == errno.EROFS:
        problem = "ổ đĩa chỉ đọc"
    where = "" if exc.filename is None else f"{exc.filename}: "
    return f"{where}không đọc/ghi được ({problem or type(exc).__name__})"


def _stop(signum, frame):  # noqa: ARG001 - signal handler
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(description="Tải dữ liệu xuất theo minhbach.toml.")
    parser.add_argument("--config", type=Path, help="tệp cấu hình (mặc định: minhbach.toml)")
    parser.add_argument(
        "--out", type=Path, default=FETCHED, help="thư mục giải nén (mặc định: data/fetched/)"
    )
    args = parser.parse_args(argv)
    # SIGTERM (a cancelled CI job) unwinds like Ctrl+C, so fetched.new/ is removed
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        target = fetch(load_settings(args.config), args.out)
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"lỗi: {_os_problem(exc)}; dữ liệu đã tải trước giữ nguyên", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lỗi: đã dừng theo yêu cầu; dữ liệu đã tải trước giữ nguyên", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"dữ liệu: {target}" if target else "nguồn dữ liệu là thư mục: không cần tải")
    return 0


if __name__ == "__main__":
    sys.exit(main())
