"""Releases: a dated snapshot of the downloads for every publication, under ``/lich-su/``.

A release is identified by its publication date ``YYYY-MM-DD`` (the build date in
Asia/Ho_Chi_Minh; with SOURCE_DATE_EPOCH, that date). A rebuild on the same day replaces that
day's release. Its snapshot is a folder ``lich-su/<date>/`` holding every CSV download of
``/du-lieu/``, gzipped as ``<name>.csv.gz``, and ``release.json`` (:mod:`.snapshot`);
``lich-su/index.json`` lists every release (newest first) and ``lich-su/feed.xml`` is an Atom
feed with one entry per release (:mod:`.history`, :mod:`.feed`). "What changed" against the
previous release is computed by DuckDB over the two releases' CSVs (:mod:`.changes`, the SQL in
``queries/releases/``) and told in one Vietnamese paragraph (:mod:`.summary`).

Earlier releases are read from the archive folder (``[releases] archive``) and, with
``[releases] source`` or MINHBACH_RELEASES_SOURCE, downloaded from the published site when the
archive lacks them (:mod:`.archive`, :mod:`.remote`); every file is checked against its
release.json (:mod:`.verify`). The current release and the downloaded ones join the archive only
once the whole build succeeded. Releases never touch ``/co-quan/``: a unit's page and CSV never
move (a renamed unit's old address becomes a redirect: :func:`former_slugs`).

Usage (the pipeline)::

    earlier = load_archive(archive, source_url, cache=work / "lich-su-nguon",
                           replacing=date, warn=warn)
    release, files = make_release(docs / "du-lieu", build, date=date,
                                  previous=previous_release(earlier, date), datasets=infos)
    history = combine(earlier, release)
    write_history(docs, history, {release.date: files}, build)
    ...  # mkdocs, publish
    save_to_archive(archive, release, files, earlier=history)

Everything written is deterministic: the same inputs and build time give the same bytes.
"""

from .archive import load_archive, save_to_archive
from .changes import former_slugs
from .history import write_history
from .release import (
    FEED_XML,
    HISTORY_DIR,
    INDEX_JSON,
    RELEASE_JSON,
    Release,
    combine,
    previous_release,
    tables,
)
from .snapshot import make_release
from .summary import summary
from .verify import VERIFIED

__all__ = [
    "FEED_XML",
    "HISTORY_DIR",
    "INDEX_JSON",
    "RELEASE_JSON",
    "VERIFIED",
    "Release",
    "combine",
    "former_slugs",
    "load_archive",
    "make_release",
    "previous_release",
    "save_to_archive",
    "summary",
    "tables",
    "write_history",
]
