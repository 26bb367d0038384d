"""What a build starts from, before any table is read: the data folder (the config's source,
fetched or generated when needed), the synthetic-data marker, the build time and the release
archive."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .buildinfo import LOCAL_TZ
from .config import ROOT, Settings, check_data_source, source_is_url
from .errors import InputError
from .runtime import Progress

SYNTHETIC_MARKER = "_synthetic.toml"
DEFAULT_SAMPLE = ROOT / "data" / "sample"
EARLIEST = dt.date(2000, 1, 1)  # the data contract quarantines anything before 2000


@dataclass(frozen=True)
class Marker:
    """The synthetic-data marker of a data folder (``_synthetic.toml``): the bundled sample is
    a fictional province, and every page built from it says so."""

    synthetic: bool = False
    province_name: str | None = None  # the fictional name: synthetic figures never carry a real one
    note: str = ""
    as_of: dt.date | None = None  # the export's date, when the marker gives one


def build_time_now() -> dt.datetime:
    """The build time: SOURCE_DATE_EPOCH when set (reproducible builds), else now; local time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), LOCAL_TZ).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise InputError("SOURCE_DATE_EPOCH", "không phải một số giây hợp lệ") from None
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def resolve_data_dir(data: Path | None, settings: Settings, progress: Progress) -> Path:
    """The folder to read: ``--data``, else the config's source (a folder, or the fetched copy
    of an https:// export); the bundled sample is generated the first time it is needed."""
    if data is None:
        source = settings.data_source
        check_data_source(settings)  # file:/etc, ftp://… are not a folder named "file:"
        if source_is_url(source):
            from .publish.fetch import FETCHED

            if not FETCHED.is_dir():
                raise InputError(source, "nguồn dữ liệu là địa chỉ web: chạy `make fetch` trước")
            return FETCHED
        data = (ROOT / source) if not Path(source).is_absolute() else Path(source)
        if data.resolve() == DEFAULT_SAMPLE.resolve() and not data.exists():
            from . import sample

            progress("tạo dữ liệu mẫu giả lập (lần đầu)…")
            sample.generate(data)
    if not data.is_dir():
        raise InputError(str(data), "không tìm thấy thư mục dữ liệu")
    return data


def read_marker(data_dir: Path) -> Marker:
    """The synthetic-data marker of ``data_dir`` (a real export has none)."""
    marker = data_dir / SYNTHETIC_MARKER
    if not marker.exists():
        return Marker()
    try:
        meta = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        raise InputError(SYNTHETIC_MARKER, "tệp đánh dấu dữ liệu giả lập không đọc được") from None
    as_of = meta.get("as_of")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        as_of = None
    elif not EARLIEST <= as_of <= dt.date(dt.date.today().year + 1, 12, 31):
        raise InputError(SYNTHETIC_MARKER, "as_of phải là một ngày từ 2000-01-01 đến hết năm sau")
    name, note = meta.get("province_name"), meta.get("note", "")
    if not isinstance(name, str | None) or not isinstance(note, str):
        raise InputError(SYNTHETIC_MARKER, "province_name và note phải là chuỗi")
    return Marker(True, name, note, as_of)


def archive_folder(releases_dir: Path | None | bool, settings: Settings) -> Path | None:
    """The release archive: ``--releases DIR``, none with ``--releases none`` (False), else the
    config's ``[releases] archive`` (relative to the repository)."""
    if releases_dir is None and settings.releases_archive:
        archive = Path(settings.releases_archive)
        return archive if archive.is_absolute() else ROOT / archive
    if releases_dir:
        return Path(releases_dir)
    return None
