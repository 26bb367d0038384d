"""Writing ``/lich-su/``'s files: ``lich-su/<date>/`` (every release's .csv.gz files and
release.json, byte for byte), ``lich-su/index.json`` (every release, newest first) and
``lich-su/feed.xml``. The page itself (``lich-su/index.md``) is the pages' (minhbach.render)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from ...buildinfo import BuildInfo
from ...errors import InputError
from .feed import feed
from .release import (
    FEED_XML,
    FORMAT_VERSION,
    HISTORY_DIR,
    INDEX_JSON,
    RELEASE_JSON,
    Release,
    iso_time,
    json_bytes,
)


def _gz_bytes(release: Release, file: str) -> int:
    for t in release.tables.values():
        if t["file"] == file:
            return int(t["gz_bytes"])
    raise KeyError(file)


def _copy_files(release: Release, folder: Path, given: Mapping[str, bytes] | None) -> None:
    """A release's files into ``folder``: ``given`` (the release just made), else copied from
    its folder in the archive, each of the size release.json gives."""
    folder.mkdir(exist_ok=True)
    for name in release.files:
        if given is not None:
            if name not in given:
                raise ValueError(f"release {release.date}: no bytes for {name}")
            (folder / name).write_bytes(given[name])
            continue
        if release.path is None:
            raise ValueError(f"release {release.date}: no files and no folder")
        source = Path(release.path) / name
        if not source.is_file():
            raise InputError(str(source), "thiếu tệp của bản công bố trong lưu trữ")
        if name != RELEASE_JSON and source.stat().st_size != _gz_bytes(release, name):
            raise InputError(str(source), "kích thước tệp khác với release.json (hỏng?)")
        shutil.copyfile(source, folder / name)


def write_history(
    docs_dir: Path,
    releases: list[Release],
    files: Mapping[str, Mapping[str, bytes]] | None,
    build: BuildInfo,
) -> None:
    """Write ``lich-su/<date>/`` of every release, ``lich-su/index.json`` and
    ``lich-su/feed.xml`` into ``docs_dir``. A release's files come from
    ``files[release.date]`` when given (the release just made), else are copied byte for byte
    from its folder (``release.path``)."""
    files = files or {}
    ordered = sorted(releases, key=lambda r: r.date)
    dates = [r.date for r in ordered]
    if len(set(dates)) != len(dates):
        raise ValueError("two releases with one date: use combine()")
    history = Path(docs_dir) / HISTORY_DIR
    history.mkdir(parents=True, exist_ok=True)
    for release in ordered:
        _copy_files(release, history / release.date, files.get(release.date))
    build_iso = iso_time(build.build_time)
    newest_first = ordered[::-1]
    province = build.province_name
    (history / INDEX_JSON).write_bytes(
        json_bytes(_index(newest_first, province_name=province, build_time=build_iso))
    )
    (history / FEED_XML).write_bytes(
        feed(newest_first, site_url=build.site_url, province_name=province, build_time=build_iso)
    )


def _index(releases: list[Release], *, province_name: str, build_time: str) -> dict:
    return {
        "format": FORMAT_VERSION,
        "province_name": province_name,
        "updated": build_time,
        "feed": FEED_XML,
        "releases": [
            {
                "date": r.date,
                "as_of": r.as_of,
                "build_time": r.build_time,
                "rule_set": r.rule_set,
                "synthetic": r.synthetic,
                "units": r.units,
                "rows": r.rows,
                "path": f"{r.date}/",
                "files": r.files,
                "summary": r.summary,
            }
            for r in releases
        ],
    }
