"""The release archive: a folder of ``<date>/`` snapshots (``[releases] archive``). Reading it
(every earlier release, each file checked against its release.json, the published ones the
archive lacks downloaded: :mod:`.remote`) and storing a release once the whole build succeeded
(the folder appears whole or not at all)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ...errors import InputError
from .release import RELEASE_JSON, Release, valid_date
from .remote import mirror
from .verify import facts, read_verified, verify, write_verified


def read_local(folder: Path, skip: str | None = None) -> list[Release]:
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise InputError(str(folder), "lưu trữ bản công bố không phải thư mục")
    out = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or not child.is_dir() or not valid_date(child.name):
            continue
        if child.name == skip:
            continue
        path = child / RELEASE_JSON
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise InputError(str(child), "thư mục bản công bố không có release.json") from None
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"không đọc được ({type(exc).__name__})") from None
        release = Release.from_json(data, str(path), path=child)
        if release.date != child.name:
            raise InputError(str(path), f"ngày {release.date} khác tên thư mục")
        out.append(release)
    return out


def load_archive(
    archive: Path | None,
    source_url: str | None,
    *,
    cache: Path | None = None,
    replacing: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Release]:
    """The earlier releases, oldest first, every file checked against its release.json.

    From ``archive`` (a folder of ``<date>/`` snapshots; missing means none yet). With
    ``source_url`` (the published ``…/lich-su/``), the releases listed in its ``index.json``
    and not in the archive are downloaded (into ``cache``, else into the archive: without an
    archive, ``cache`` is read as one), each file checked as it arrives. A 404 on index.json
    means no history was published there yet: ``warn`` is told and the archive's releases are
    all there is. Any other failure is an InputError: the build stops rather than publish a
    history with releases missing. ``replacing``: the date of the release being made; a
    release of that date is neither read nor downloaded (it is replaced)."""
    local = Path(archive) if archive else (Path(cache) if cache else None)
    target = Path(cache) if cache else local
    if source_url and target is None:
        raise ValueError("a source URL needs a folder to download into (archive or cache)")
    found = read_local(local, skip=replacing) if local else []
    known = read_verified(local) if local else set()
    verify(found, known)
    if source_url:
        have = {r.date for r in found} | ({replacing} if replacing else set())
        found += mirror(source_url, target, have=have, known=known, warn=warn)
    return sorted(found, key=lambda r: r.date)


def save_to_archive(
    archive: Path,
    release: Release,
    files: Mapping[str, bytes],
    *,
    earlier: Iterable[Release] = (),
) -> None:
    """Store the release as ``<archive>/<date>/`` (replacing a release of the same date); the
    folder appears whole or not at all. Call it once the whole build succeeded.

    ``earlier``: what :func:`load_archive` returned (every file checked). Those downloaded into
    another folder are moved into the archive (unless it holds that date by now), and the
    archive's ``.verified`` learns their files and the release's, so that the next build does
    not decompress them again."""
    archive = Path(archive)
    archive.mkdir(parents=True, exist_ok=True)
    missing = [n for n in release.files if n not in files]
    if missing:
        raise ValueError(f"release {release.date}: no bytes for {', '.join(missing)}")
    _store(archive, release.date, {n: files[n] for n in release.files})
    release.path = archive / release.date
    known = read_verified(archive) | facts(release)
    for other in earlier:
        if other.date == release.date or other.path is None:
            continue
        folder = Path(other.path)
        if folder.resolve().parent != archive.resolve() and not (archive / other.date).exists():
            _adopt(archive, other.date, folder)
            other.path = archive / other.date
        known |= facts(other)
    write_verified(archive, known)


def _store(archive: Path, date: str, files: Mapping[str, bytes]) -> Path:
    final = archive / date
    tmp = archive / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if final.exists():
            old = archive / f".{date}.old-{os.getpid()}"
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _adopt(archive: Path, date: str, folder: Path) -> None:
    """Move a checked snapshot folder into the archive as ``<date>/`` (copied when it is on
    another file system); the folder appears whole or not at all."""
    tmp = archive / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        try:
            folder.rename(tmp)
        except OSError:  # another file system
            shutil.copytree(folder, tmp)
        tmp.rename(archive / date)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
