"""A cache of the build's costliest pure step, keyed by content and kept between builds.

The folder is the one ``MINHBACH_CACHE`` names (the publish workflow keeps ``.minhbach-cache``
between its runs with actions/cache); without it nothing is cached. What is cached:

- ``vega-svg``: vl-convert's SVG of a filled Vega template (minhbach.charts.static), keyed by the
  template's text, the number and time locale and vl-convert's version: the drawing of a chart
  whose spec and data did not change since the last build. Everything the build puts around
  that SVG (the texts, the tooltips, the credit with its as-of date, the ids) is still done on
  every build, so that a build with the cache writes the same bytes as one without it.

An entry is a file named by the SHA-256 of its key (``<kind>/<2 hex>/<64 hex>``), written
whole (a temporary file renamed: two chart workers may write the same one) and touched when
read; :func:`prune` removes the entries a build did not use, so that the folder holds the last
build's charts and no more. A cache that cannot be read or written is not an error: the value
is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path

__all__ = ["ENV", "folder", "get", "key", "prune", "put"]

ENV = "MINHBACH_CACHE"
# Bumped when what an entry holds changes meaning: the old entries are then never read again
# (and pruned by the next build).
VERSION = "1"


def folder() -> Path | None:
    """The cache folder (``MINHBACH_CACHE``), or None when the build keeps no cache."""
    value = os.environ.get(ENV, "").strip()
    return Path(value).resolve() if value else None


def key(*parts: str) -> str:
    """The SHA-256 (hex) of the parts and this module's VERSION."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _path(root: Path, kind: str, digest: str) -> Path:
    return root / kind / digest[:2] / digest


def get(kind: str, digest: str) -> str | None:
    """The entry's text, or None (no cache, no entry, unreadable); a hit is touched, so that
    :func:`prune` keeps it."""
    root = folder()
    if root is None:
        return None
    path = _path(root, kind, digest)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return text


def put(kind: str, digest: str, text: str) -> None:
    """Store an entry (no cache: nothing); a failure to write is ignored."""
    root = folder()
    if root is None:
        return
    path = _path(root, kind, digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return


def prune(kind: str, used_since: float) -> int:
    """Remove the entries of ``kind`` not written nor read since ``used_since`` (a time.time()
    taken before the build used the cache), and leftover temporary files; returns how many."""
    root = folder()
    if root is None or not (root / kind).is_dir():
        return 0
    removed = 0
    # A little slack: a file system may store times coarser than time.time() gives them.
    limit = used_since - 2.0
    for sub in (root / kind).iterdir():
        if not sub.is_dir():
            continue
        for path in sub.iterdir():
            with contextlib.suppress(OSError):
                if path.name.startswith(".tmp-") or path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
    return removed


def now() -> float:
    """The time to give :func:`prune` (taken before the cache is used)."""
    return time.time()
