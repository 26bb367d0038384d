"""Reading the published history over HTTP: with ``[releases] source = "https://…/lich-su/"``
(or MINHBACH_RELEASES_SOURCE: the publish workflow reads the history back from the published
site, its runner keeping no archive), the releases its ``index.json`` lists and the archive
lacks are downloaded, each file checked as it arrives. A 404 on ``index.json`` means no history
was published there yet (a warning; the history starts with this release); any other failure
stops the build, so that no site is published whose history silently lost its past."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ... import __version__
from ...errors import InputError
from .release import INDEX_JSON, RELEASE_JSON, Release, valid_date
from .verify import CHUNK, Digest, Fact, facts_of

FETCH_TIMEOUT = 60  # seconds a request may wait for the server
MAX_JSON_BYTES = 64 << 20  # index.json, release.json (a snapshot file: its gz_bytes)
USER_AGENT = f"minhbach/{__version__} (release history reader)"


class NotFound(InputError):
    """HTTP 404."""


def fetch(url: str, sink: Callable[[bytes], None], limit: int) -> None:
    """Download ``url`` into ``sink``, chunk by chunk; more than ``limit`` bytes is an error.
    One request, with a timeout and minhbach's User-Agent; the failure as one line."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InputError(url, f"tệp lịch sử đã công bố lớn hơn {limit} byte")
                sink(chunk)
    except urllib.error.HTTPError as exc:
        exc.close()
        error = NotFound if exc.code == 404 else InputError
        raise error(url, f"không tải được lịch sử đã công bố (HTTP {exc.code})") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None)
        what = type(reason).__name__ if isinstance(reason, BaseException) else type(exc).__name__
        raise InputError(url, f"không tải được lịch sử đã công bố ({what})") from None


def fetch_json(url: str) -> tuple[bytes, object]:
    parts: list[bytes] = []
    fetch(url, parts.append, MAX_JSON_BYTES)
    raw = b"".join(parts)
    try:
        return raw, json.loads(raw)
    except ValueError:
        raise InputError(url, "không đúng định dạng JSON") from None


def mirror(
    source_url: str,
    folder: Path,
    *,
    have: set[str],
    known: set[Fact],
    warn: Callable[[str], None] | None,
) -> list[Release]:
    """Download the releases the published index.json lists and ``have`` lacks into
    ``folder``; each appears there whole, its files checked, or not at all."""
    scheme = urllib.parse.urlsplit(source_url).scheme
    if scheme not in ("http", "https"):
        raise InputError(source_url, "[releases] source phải là địa chỉ http(s)://…/lich-su/")
    base = source_url if source_url.endswith("/") else source_url + "/"
    index_url = base + INDEX_JSON
    try:
        _, index = fetch_json(index_url)
    except NotFound:
        if warn is not None:
            warn(
                f"{index_url}: chưa có lịch sử công bố ở địa chỉ này (HTTP 404): coi đây là lần "
                "công bố đầu tiên, lịch sử chỉ gồm bản này và các bản trong thư mục lưu trữ"
            )
        return []
    try:
        dates = [str(r["date"]) for r in index["releases"]]
    except (KeyError, TypeError):
        raise InputError(index_url, "index.json không đúng định dạng") from None
    for date in dates:
        if not valid_date(date):
            raise InputError(index_url, f"ngày công bố không hợp lệ: {date!r}")
    out = []
    for date in sorted(set(dates) - have):
        folder.mkdir(parents=True, exist_ok=True)
        out.append(_download(base, date, folder, known))
    return out


def _download(base: str, date: str, folder: Path, known: set[Fact]) -> Release:
    where = f"{base}{date}/{RELEASE_JSON}"
    raw, data = fetch_json(where)
    release = Release.from_json(data, where)
    if release.date != date:
        raise InputError(where, f"ngày {release.date} khác ngày trong index.json")
    tmp = folder / f".{date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        (tmp / RELEASE_JSON).write_bytes(raw)
        for name in release.table_names():
            info = release.tables[name]
            url = f"{base}{date}/{info['file']}"
            digest = Digest(plain=facts_of(info) not in known)
            with open(tmp / info["file"], "wb") as out:

                def sink(chunk: bytes, out=out, digest=digest) -> None:
                    digest.update(chunk)
                    out.write(chunk)

                fetch(url, sink, int(info["gz_bytes"]))
            problem = digest.problem(info)
            if problem:
                raise InputError(
                    url,
                    f"tệp tải về khác với release.json ({problem}): trang đã đăng bị hỏng hoặc "
                    "đang được cập nhật; không công bố lại tệp hỏng",
                )
        final = folder / date
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    release.path = folder / date
    return release
