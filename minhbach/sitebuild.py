"""Building the static site with mkdocs-material, and swapping it into --out.

The generated config lives in ``build/`` (one level below the repository root) and inherits the
top-level ``mkdocs.yml``; docs and site folders are absolute paths in a work folder beside
``--out``, so the finished site is moved into place with renames on one filesystem.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from .config import ROOT
from .errors import BuildError

BUILD_DIR = ROOT / "build"


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
    path = BUILD_DIR / f"mkdocs-{os.getpid()}.yml"
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


def publish(new_site: Path, out: Path) -> Path | None:
    """Replace ``out`` with ``new_site`` (both on one filesystem, two renames). Returns the old
    site, renamed beside ``out`` (``.<name>.old-<pid>``), for the caller to delete
    (:func:`remove`), or None when there was none."""
    out = out.resolve()
    if not out.exists():
        new_site.rename(out)
        return None
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    try:
        new_site.rename(out)
    except OSError:
        old.rename(out)
        raise
    return old


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
