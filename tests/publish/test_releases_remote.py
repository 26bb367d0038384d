"""The published site as the archive: the history read back over HTTP, each file checked."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minhbach.errors import InputError
from minhbach.publish import releases as R

from .releases_kit import (
    Server,
    flip,
    publish_site,
    release_2,
    tree,
)


def test_url_source(two, tmp_path):
    archive, earlier, (r1, f1), (r2, f2) = two
    published = publish_site(two, tmp_path)
    with Server(published) as server:
        source = server.url + "lich-su/"
        cache = tmp_path / "cache"
        fetched = R.load_archive(None, source, cache=cache)
        assert [r.date for r in fetched] == ["2026-03-02", "2026-04-01"]
        assert [r.to_json() for r in fetched] == [r1.to_json(), r2.to_json()]
        for release, files in ((r1, f1), (r2, f2)):
            assert tree(cache / release.date) == files
        n = len(server.requests)
        assert n == 1 + 2 * 7  # index.json, then release.json and six files per release
        assert {a.split("/")[0] for a in server.agents} == {"minhbach"}  # says who asks
        # Releases already in the folder are not downloaded again.
        assert [r.date for r in R.load_archive(None, source, cache=cache)] == [
            "2026-03-02",
            "2026-04-01",
        ]
        assert server.requests[n:] == ["/lich-su/index.json"]
        # A fetched release makes the next one like a local one.
        r3, _ = release_2(
            tmp_path,
            R.previous_release(fetched, "2026-05-01"),
            name="r3",
            build_time=dt.datetime(2026, 5, 1, 5, 15),
        )
        assert r3.changes["scores"]["moved_count"] == 0
        assert r3.changes["previous"]["date"] == "2026-04-01"

        # A corrupted file on the site stops the build, with one line.
        (published / "lich-su" / "2026-04-01" / "agencies.csv.gz").write_bytes(b"x")
        with pytest.raises(InputError, match="khác với release.json") as err:
            R.load_archive(None, source, cache=tmp_path / "cache2")
        assert "\n" not in str(err.value)
        assert not (tmp_path / "cache2" / "2026-04-01").exists()  # nothing half-stored
    # The server is gone: a fetch failure, not a traceback.
    with pytest.raises(InputError, match="không tải được"):
        R.load_archive(None, source, cache=tmp_path / "cache4")
    with pytest.raises(InputError, match="http"):
        R.load_archive(tmp_path / "a", "file:///etc/", cache=None)


def test_url_source_mirrors_into_the_archive(two, tmp_path):
    """With an archive and a source, missing releases are downloaded into the archive; a
    release the archive already holds is kept as it is."""
    archive, earlier, (r1, f1), (r2, f2) = two
    published = publish_site(two, tmp_path)
    before = (archive / "2026-03-02" / "release.json").stat().st_mtime_ns
    with Server(published) as server:
        got = R.load_archive(archive, server.url + "lich-su")  # no trailing slash
    assert [r.date for r in got] == ["2026-03-02", "2026-04-01"]
    assert got[1].path == archive / "2026-04-01"
    assert tree(archive / "2026-04-01") == f2
    assert (archive / "2026-03-02" / "release.json").stat().st_mtime_ns == before


def test_a_published_snapshot_changed_but_not_its_size_stops_the_build(two, tmp_path):
    archive, *_ = two
    published = publish_site(two, tmp_path)
    damaged = published / "lich-su" / "2026-04-01" / "index_766.csv.gz"
    good = damaged.read_bytes()
    flip(damaged)
    cache = tmp_path / "work"
    with Server(published) as server:
        with pytest.raises(InputError) as err:
            R.load_archive(archive, server.url + "lich-su/", cache=cache)
        assert str(err.value).startswith(
            f"{server.url}lich-su/2026-04-01/index_766.csv.gz: tệp tải về khác với release.json "
            "(gz_sha256 không khớp)"
        )
        assert "\n" not in str(err.value)
        assert list(cache.iterdir()) == []  # nothing half-stored
        # A release.json whose CSV hash does not match: checked as the file arrives.
        damaged.write_bytes(good)
        path = published / "lich-su" / "2026-04-01" / "release.json"
        data = json.loads(path.read_bytes())
        data["tables"]["index_766"]["sha256"] = "0" * 64
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match="tệp CSV bên trong không khớp"):
            R.load_archive(archive, server.url + "lich-su/", cache=cache)
    assert sorted(p.name for p in archive.iterdir()) == [".verified", "2026-03-02"]


def test_no_published_history_is_a_warning_any_other_failure_stops(two, tmp_path):
    """A 404 on index.json: no history was published there yet (the first publication). A
    history that cannot be read is never taken for an empty one."""
    archive, *_ = two
    empty = tmp_path / "empty"
    empty.mkdir()
    warnings: list[str] = []
    with Server(empty) as server:
        got = R.load_archive(
            archive, server.url + "lich-su/", cache=tmp_path / "c", warn=warnings.append
        )
    assert [r.date for r in got] == ["2026-03-02"]  # the archive's own
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{server.url}lich-su/index.json: chưa có lịch sử công bố")
    assert "HTTP 404" in warnings[0] and "lần công bố đầu tiên" in warnings[0]

    published = publish_site(two, tmp_path)
    for status, match in (
        ({"/lich-su/index.json": 500}, r"index.json: không tải được lịch sử đã công bố \(HTTP 500"),
        ({"/lich-su/index.json": 403}, r"\(HTTP 403\)"),
        ({"/lich-su/2026-04-01/agencies.csv.gz": 404}, r"agencies.csv.gz: .*\(HTTP 404\)"),
        ({"/lich-su/2026-04-01/release.json": 503}, r"release.json: .*\(HTTP 503\)"),
    ):
        with (
            Server(published, status=status) as server,
            pytest.raises(InputError, match=match) as err,
        ):
            R.load_archive(
                archive, server.url + "lich-su/", cache=tmp_path / "c", warn=warnings.append
            )
        assert "\n" not in str(err.value)
    index = published / "lich-su" / "index.json"
    for body, match in (
        (b'{"releases": 3}', "index.json không đúng định dạng"),
        (b"<html>", "không đúng định dạng JSON"),
    ):
        index.write_bytes(body)
        with Server(published) as server, pytest.raises(InputError, match=match):
            R.load_archive(archive, server.url + "lich-su/", cache=tmp_path / "c")
    assert len(warnings) == 1
