"""The release of the downloads just written: a dated snapshot of every table's CSV, gzipped
(``<name>.csv.gz``, deterministic gzip: no file name, mtime 0, level 6), and its release.json
(per table ``{file, rows, bytes, sha256, gz_bytes, gz_sha256}``, ``sha256`` of the plain CSV as
in ``du-lieu/datapackage.json`` that day; what changed since the previous release)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from ...buildinfo import BuildInfo
from ...errors import BuildError
from ..datasets import optional_names
from ..files import GZIP_LEVEL, DownloadFile, gzip_copy
from . import changes
from .release import RELEASE_JSON, Release, check_same_kind, iso_date, iso_time, release_json
from .release import tables as release_tables
from .summary import summary

Snapshot = tuple[bytes, str, int]  # the .csv.gz's bytes, the plain CSV's sha256 and size


def _gzip_file(path: Path, level: int = GZIP_LEVEL) -> Snapshot:
    """The gzip of a file (:func:`minhbach.publish.files.gzip_copy`: no file name, mtime 0),
    with the plain file's sha256 and size."""
    parts: list[bytes] = []
    sha, size = gzip_copy(path, parts.append, level)
    return b"".join(parts), sha, size


def _snapshot_file(path: Path, published: DownloadFile | None) -> Snapshot:
    """A table's ``<name>.csv.gz`` for the snapshot: the downloads' own file when they
    published the CSV gzipped (the same deterministic gzip, level 6: the same bytes), else the
    gzip of ``<name>.csv``; with the plain CSV's sha256 and size."""
    if published is not None and published.compression == "gz":
        return path.read_bytes(), published.plain_sha256, int(published.plain_bytes or 0)
    return _gzip_file(path)


def _published(du_lieu_dir: Path, datasets: Iterable) -> tuple[dict[str, Path], dict]:
    """Each table's CSV as /du-lieu/ publishes it (``<name>.csv``, or ``<name>.csv.gz`` for a
    big table), and its DownloadFile when ``datasets`` gives it. A download that depends on an
    input (the portal's) is in the snapshot when the build published it."""
    published = {}
    for d in datasets:
        with contextlib.suppress(AttributeError, KeyError):
            published[d.name] = d.file("csv")
    optional = optional_names()
    paths = {
        name: du_lieu_dir / (published[name].name if name in published else f"{name}.csv")
        for name in release_tables()
        if name not in optional
        or name in published
        or any((du_lieu_dir / f"{name}{ext}").is_file() for ext in (".csv", ".csv.gz"))
    }
    for path in paths.values():
        if not path.is_file():
            raise BuildError(f"lịch sử: thiếu tệp tải về {path.name} để lưu bản công bố")
    return paths, published


def _snapshots(paths: Mapping[str, Path], published: Mapping) -> dict[str, Snapshot]:
    names = list(paths)
    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        made = pool.map(lambda n: _snapshot_file(paths[n], published.get(n)), names)
        return dict(zip(names, made, strict=True))


def _entry(snapshot: Snapshot, name: str, rows: int) -> dict:
    """A table's entry in release.json."""
    data, sha, size = snapshot
    return {
        "file": f"{name}.csv.gz",
        "rows": int(rows),
        "bytes": size,
        "sha256": sha,
        "gz_bytes": len(data),
        "gz_sha256": hashlib.sha256(data).hexdigest(),
    }


def make_release(
    du_lieu_dir: Path,
    build: BuildInfo,
    *,
    previous: Release | None,
    date: str | dt.date | None = None,
    datasets: Iterable = (),
) -> tuple[Release, dict[str, bytes]]:
    """The release of the downloads just written in ``du_lieu_dir``, and its files:
    ``{"<name>.csv.gz": bytes, ..., "release.json": bytes}``.

    ``date`` defaults to the build time's date. ``datasets`` (what ``write_downloads``
    returned) gives the row counts; without it they are counted. ``previous`` is the release
    to compare with (:func:`previous_release`); it must have its files (``path``)."""
    build_iso = iso_time(build.build_time)
    date = iso_date(date if date is not None else dt.date.fromisoformat(build_iso[:10]))
    as_of = iso_date(build.as_of)
    if previous is not None:
        if previous.date >= date:
            raise ValueError(f"previous release {previous.date} is not before {date}")
        check_same_kind(previous, bool(build.synthetic))
    datasets = list(datasets or ())
    paths, published = _published(Path(du_lieu_dir), datasets)
    gz = _snapshots(paths, published)
    known_rows = {getattr(d, "name", None): getattr(d, "rows", None) for d in datasets}
    con = duckdb.connect()
    try:
        tables = {}
        for name in paths:
            rows = known_rows.get(name)
            rows = changes.count_rows(con, paths[name]) if rows is None else rows
            tables[name] = _entry(gz[name], name, rows)
        what = changes.first_changes(tables)
        if previous is not None:
            what = changes.changes(
                con, previous, paths, tables, as_of=as_of, rule_set=build.rule_set
            )
    finally:
        con.close()
    release = Release(
        date=date,
        as_of=as_of,
        build_time=build_iso,
        rule_set=build.rule_set,
        province_name=build.province_name,
        synthetic=bool(build.synthetic),
        tables=tables,
        units=tables["agencies"]["rows"],
        changes=what,
    )
    release.summary = summary(release)
    files = {tables[name]["file"]: gz[name][0] for name in paths}
    files[RELEASE_JSON] = release_json(release)
    return release, files
