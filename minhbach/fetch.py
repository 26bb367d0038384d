"""Fetching the export named in minhbach.toml ([data] source) before a build.

A folder source needs nothing. An https:// source is a zip of the export: it is downloaded
(with the bearer token in MINHBACH_DATA_TOKEN, if set) and unpacked into data/fetched/, which the
build then reads. ``python -m minhbach.fetch [--config FILE]``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

from .config import ROOT, Settings, load_settings
from .errors import BuildError, InputError

FETCHED = ROOT / "data" / "fetched"
MAX_BYTES = 4 * 1024**3


def fetched_dir(settings: Settings) -> Path | None:
    """Where the build reads a URL source from (None for a folder source)."""
    if settings.data_source.startswith(("http://", "https://")):
        return FETCHED
    return None


def fetch(settings: Settings, target: Path = FETCHED) -> Path | None:
    source = settings.data_source
    if not source.startswith(("http://", "https://")):
        return None
    if not source.startswith("https://"):
        raise InputError(source, "chỉ tải dữ liệu qua https://")
    request = urllib.request.Request(source)
    token = os.environ.get("MINHBACH_DATA_TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(source, f"không tải được dữ liệu ({type(exc).__name__})") from None
    if len(payload) > MAX_BYTES:
        raise InputError(source, "tệp tải về lớn hơn 4 GB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise InputError(source, "tệp tải về không phải tệp zip") from None
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for member in archive.infolist():
        name = Path(member.filename)
        if member.is_dir() or name.is_absolute() or ".." in name.parts:
            continue
        dest = staging / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as src, dest.open("wb") as out:
            shutil.copyfileobj(src, out)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tải dữ liệu xuất theo minhbach.toml.")
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    try:
        target = fetch(load_settings(args.config))
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"dữ liệu: {target}" if target else "nguồn dữ liệu là thư mục: không cần tải")
    return 0


if __name__ == "__main__":
    sys.exit(main())
