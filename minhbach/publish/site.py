"""Building the static site with mkdocs-material, and swapping it into --out.

The generated config lives in ``build/`` (one level below the repository root) and inherits the
top-level ``mkdocs.yml``; docs and site folders are absolute paths in a work folder beside
``--out``, so the finished site is moved into place with renames on one filesystem.

A build owns its work folder (:class:`WorkFolder`) by a lock held for its lifetime, which the
system releases however the build ends, SIGKILL included. Every build starts by deleting what
killed builds left (:func:`clear_stale`): work folders whose lock is free, and the mkdocs
configs of such folders; never what a live build owns, so builds may run side by side.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from ..config import ROOT
from ..errors import BuildError

try:
    import fcntl
except ImportError:  # not POSIX: work folders are not locked, and none is ever taken for stale
    fcntl = None

BUILD_DIR = ROOT / "build"
WORK_PREFIX = ".minhbach-build-"
OWNER_FILE = ".owner"  # in the work folder: locked by its build, which then writes its pid
NEW_SITE = "site"  # in the work folder: the new site, until published
REPLACED = "replaced"  # in the work folder: the site that the new one replaced, to delete
# A work folder without an owner file is one being created this instant, or one left by a
# version that did not lock it: taken for stale only once it is this old (seconds).
UNOWNED_GRACE = 3600
# Where earlier versions kept the replaced site until deleted: beside --out.
_LEGACY_OLD_SITE = re.compile(r"\.(?P<name>.+)\.old-(?P<pid>[0-9]+)")


class WorkFolder:
    """A build's work folder beside --out (``.minhbach-build-*``), locked for the build's
    lifetime. The new site is built in :attr:`site`; :func:`publish` moves the site it replaces
    into :attr:`replaced`; :meth:`remove` deletes it all at the end."""

    def __init__(self, parent: Path):
        self.path = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
        self.site = self.path / NEW_SITE
        self.replaced = self.path / REPLACED
        self._fd: int | None = None
        if fcntl is None:
            return
        try:
            self._fd = os.open(self.path / OWNER_FILE, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            os.write(self._fd, f"{os.getpid()}\n".encode())  # written once locked: see _claim
        except BaseException:
            self.remove()
            raise

    def remove(self, *others: Path | None) -> None:
        """Delete the folder and ``others``, side by side (each is mostly waiting on the disk);
        the owner file goes last, so that no other build takes the folder for stale before."""
        try:
            parts = [p for p in self.path.iterdir() if p.name != OWNER_FILE]
        except OSError:
            parts = []
        remove(*parts, *others)
        (self.path / OWNER_FILE).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.path.rmdir()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > UNOWNED_GRACE
    except OSError:
        return False


def _claim(work: Path) -> int | None:
    """Take a work folder that no live build owns: returns the lock's file descriptor (-1 for
    an old folder without an owner file) to close once the folder is deleted, or None when a
    build owns it or may own it."""
    try:
        fd = os.open(work / OWNER_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return -1 if _old(work) else None
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # Free. Its build wrote its pid once it held the lock: an empty file is one whose build
        # has not locked it yet (or was killed right then).
        if os.pread(fd, 32, 0).strip() or _old(work):
            return fd
    except OSError:  # locked: a live build's
        pass
    os.close(fd)
    return None


def _config_is_stale(config: Path) -> bool:
    """A generated mkdocs config whose build is gone: its work folder (the parent of its
    ``docs_dir``) is missing or stale."""
    try:
        docs = yaml.safe_load(config.read_text(encoding="utf-8"))["docs_dir"]
        work = Path(docs).parent
    except Exception:  # unreadable, or being written this instant
        return _old(config)
    if not work.name.startswith(WORK_PREFIX) or not work.is_dir():
        return True
    fd = _claim(work)
    if fd is not None and fd >= 0:
        os.close(fd)
    return fd is not None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's
        return True
    return pid != os.getpid()  # this build does not make those


def _restore(work: Path) -> None:
    """A build killed between the two renames of :func:`publish` left --out missing: put back
    the site it replaced."""
    with contextlib.suppress(OSError):
        for old in (work / REPLACED).iterdir():
            out = work.parent / old.name
            if (work / NEW_SITE).is_dir() and not out.exists() and not out.is_symlink():
                old.rename(out)


def clear_stale(out: Path) -> None:
    """Delete what builds killed before their cleanup left beside ``out`` and in ``build/``:
    work folders no live build owns (after putting back a site one of them had taken down),
    their mkdocs configs, and the replaced sites that earlier versions kept beside ``out``
    (``.<name>.old-<pid>``) whose build is gone. Quietly: what cannot be deleted stays."""
    if fcntl is None:
        return
    out = Path(out).resolve()
    stale: list[Path] = []
    with contextlib.suppress(OSError):
        stale += [c for c in BUILD_DIR.glob("mkdocs-*.yml") if _config_is_stale(c)]
    claimed: list[int] = []
    try:
        with contextlib.suppress(OSError):
            for entry in out.parent.iterdir():
                if entry.is_symlink() or not entry.is_dir():
                    continue
                if entry.name.startswith(WORK_PREFIX):
                    fd = _claim(entry)
                    if fd is None:
                        continue
                    if fd >= 0:
                        claimed.append(fd)
                    _restore(entry)
                    stale.append(entry)
                elif (
                    (m := _LEGACY_OLD_SITE.fullmatch(entry.name))
                    and m["name"] == out.name
                    and not _alive(int(m["pid"]))
                ):
                    stale.append(entry)
        remove(*stale)
    finally:
        for fd in claimed:
            os.close(fd)


def config_path() -> Path:
    """This build's generated mkdocs config (one per build process, in ``build/``)."""
    return BUILD_DIR / f"mkdocs-{os.getpid()}.yml"


def write_config(
    docs_dir: Path,
    site_dir: Path,
    *,
    site_name: str,
    site_url: str,
    nav: list,
    extra: dict,
) -> Path:
    BUILD_DIR.mkdir(exist_ok=True)
    path = config_path()
    cfg = {
        "INHERIT": "../mkdocs.yml",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "site_name": site_name,
        "site_url": site_url,
        "nav": nav,
        "extra": extra,
    }
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config_file: Path) -> None:
    """Run mkdocs in-process; warnings are shown, info chatter is not."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2
    for name in ("mkdocs", "mkdocs.plugins", "mkdocs.structure", "mkdocs.commands"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        cfg = load_config(config_file=str(config_file))
        build(cfg)
    except (MkDocsException, SystemExit) as exc:
        raise BuildError(f"mkdocs không dựng được trang: {exc}") from None
    finally:
        config_file.unlink(missing_ok=True)


def publish(work: WorkFolder, out: Path) -> None:
    """Replace ``out`` with the work folder's new site (both on one filesystem, two renames).
    The old site goes into the work folder (:attr:`WorkFolder.replaced`), deleted with it."""
    out = out.resolve()
    if not out.exists():
        work.site.rename(out)
        return
    work.replaced.mkdir()
    old = work.replaced / out.name
    out.rename(old)
    try:
        work.site.rename(out)
    except OSError:
        old.rename(out)
        raise


def remove(*paths: Path | None) -> None:
    """Delete these files or folders, side by side (each is mostly waiting on the disk)."""

    def one(path: Path | None) -> None:
        if path is None:
            return
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    with ThreadPoolExecutor(max_workers=max(1, len(paths))) as pool:
        list(pool.map(one, paths))


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REDIRECT_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Trang đã chuyển</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="../{new}/">
<meta http-equiv="refresh" content="0; url=../{new}/">
</head><body><p>Đơn vị này đã đổi tên; trang của đơn vị ở
<a href="../{new}/">địa chỉ mới</a>.</p></body></html>
"""


def write_redirects(site: Path, moved: dict[str, str]) -> None:
    """Keep the old address of every renamed unit: a redirect page, and its CSV under the old
    name too (a unit's page and CSV never move). Both names must be slugs (they come from the
    data and from earlier releases' agencies.csv.gz): anything else, markup or a path, is
    neither written into the page nor made a folder."""
    for old, new in moved.items():
        if not (SLUG.fullmatch(old) and SLUG.fullmatch(new)):
            continue
        folder = site / "co-quan" / old
        if folder.exists():
            continue
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(REDIRECT_PAGE.format(new=new), encoding="utf-8")
        csv_now = site / "co-quan" / new / f"{new}.csv"
        if csv_now.exists():
            shutil.copyfile(csv_now, folder / f"{old}.csv")
