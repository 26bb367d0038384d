"""Fixtures of the download tests: the hand-made tables written once per module."""

from __future__ import annotations

import pytest

from minhbach.publish import releases as R

from .handmade import make_db, write, write_units
from .releases_kit import release_1, release_2


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con = make_db()
    out = tmp_path_factory.mktemp("site") / "du-lieu"
    infos = write(con, out)
    docs = out.parent
    write_units(con, docs)
    yield con, out, infos
    con.close()


@pytest.fixture(scope="module")
def gz_built(tmp_path_factory):
    """The same tables with a threshold that only the largest CSV exceeds."""
    con = make_db()
    plain = tmp_path_factory.mktemp("plain") / "du-lieu"
    plain_infos = write(con, plain)
    sizes = {i.name: i.file("csv").bytes for i in plain_infos}
    big = max(sizes, key=sizes.get)
    over = max(v for k, v in sizes.items() if k != big)
    assert sizes[big] > over
    out = tmp_path_factory.mktemp("gz") / "du-lieu"
    infos = write(con, out, compress_over=over)
    yield big, plain, out, infos
    con.close()


@pytest.fixture
def two(tmp_path):
    """Release 1 in the archive, release 2 made against it."""
    archive = tmp_path / "releases"
    r1, f1 = release_1(tmp_path)
    R.save_to_archive(archive, r1, f1)
    earlier = R.load_archive(archive, None)
    assert [r.date for r in earlier] == ["2026-03-02"]
    r2, f2 = release_2(tmp_path, R.previous_release(earlier, "2026-04-01"))
    return archive, earlier, (r1, f1), (r2, f2)
