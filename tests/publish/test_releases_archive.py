"""The release archive: every snapshot checked against its release.json, stored whole."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minhbach.errors import InputError
from minhbach.publish import releases as R
from minhbach.publish.releases import verify as V

from .releases_kit import (
    Server,
    flip,
    publish_site,
    release_2,
    tree,
)


def test_downloaded_releases_join_the_archive_once_saved(two, tmp_path):
    """Downloaded into a cache (the build's work folder), a release joins the archive only when
    save_to_archive runs (the site is published), with its files noted as checked."""
    archive, _, (r1, _), (r2, f2) = two
    published = publish_site(two, tmp_path)
    with Server(published) as server:
        got = R.load_archive(archive, server.url + "lich-su/", cache=tmp_path / "work")
    assert [r.path for r in got] == [archive / "2026-03-02", tmp_path / "work" / "2026-04-01"]
    assert not (archive / "2026-04-01").exists()  # a build that fails now leaves no trace
    r3, f3 = release_2(
        tmp_path,
        R.previous_release(got, "2026-05-01"),
        name="r3",
        build_time=dt.datetime(2026, 5, 1, 5, 15),
    )
    R.save_to_archive(archive, r3, f3, earlier=got)
    assert sorted(p.name for p in archive.iterdir()) == [
        ".verified",
        "2026-03-02",
        "2026-04-01",
        "2026-05-01",
    ]
    assert tree(archive / "2026-04-01") == f2
    assert got[1].path == archive / "2026-04-01"
    assert not (tmp_path / "work" / "2026-04-01").exists()
    noted = (archive / ".verified").read_text(encoding="ascii").splitlines()
    assert set(noted) == {
        f"{t['gz_sha256']} {t['sha256']} {t['bytes']}"
        for r in (r1, r2, r3)
        for t in r.tables.values()
    }


def test_a_snapshot_changed_but_not_its_size_is_never_republished(two):
    archive, *_ = two
    damaged = archive / "2026-03-02" / "scores_766.csv.gz"
    flip(damaged)
    with pytest.raises(InputError) as err:
        R.load_archive(archive, None)
    assert str(err.value).startswith(
        f"{damaged}: tệp khác với release.json (gz_sha256 không khớp): bản lưu trữ bị hỏng"
    )
    assert "\n" not in str(err.value)


def test_a_snapshot_holds_exactly_the_files_its_release_json_lists(two):
    archive, *_ = two
    folder = archive / "2026-03-02"
    extra = folder / "ghi-chu.txt"
    extra.write_text("thêm", encoding="utf-8")
    with pytest.raises(InputError, match="không có trong release.json") as err:
        R.load_archive(archive, None)
    assert str(err.value).startswith(f"{extra}: ")
    extra.unlink()
    missing = folder / "quarantine.csv.gz"
    missing.unlink()
    with pytest.raises(InputError, match="thiếu tệp của bản công bố") as err:
        R.load_archive(archive, None)
    assert str(err.value).startswith(f"{missing}: ")


def test_release_json_must_record_every_hash(two):
    archive, *_ = two
    path = archive / "2026-03-02" / "release.json"
    data = json.loads(path.read_bytes())
    del data["tables"]["agencies"]["gz_sha256"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="release.json không đúng định dạng") as err:
        R.load_archive(archive, None)
    assert str(err.value).startswith(f"{path}: ")


def test_the_csv_inside_each_snapshot_is_checked_once(two, monkeypatch):
    """The gzip's hash is checked on every read; the CSV inside (sha256, bytes) once: the
    archive's .verified notes what was checked, by content, so a changed release.json is
    checked again."""
    archive, *_ = two
    calls: list[tuple[str, bool]] = []
    check = V.check_file

    def spy(path, info, plain):
        calls.append((path.name, plain))
        return check(path, info, plain)

    monkeypatch.setattr(V, "check_file", spy)
    R.load_archive(archive, None)  # save_to_archive noted what it wrote
    assert len(calls) == 6 and not any(plain for _, plain in calls)
    noted = (archive / ".verified").read_bytes()
    (archive / ".verified").unlink()
    calls.clear()
    R.load_archive(archive, None)
    assert len(calls) == 6 and all(plain for _, plain in calls)

    (archive / ".verified").write_bytes(noted)
    path = archive / "2026-03-02" / "release.json"
    data = json.loads(path.read_bytes())
    data["tables"]["agencies"]["sha256"] = "0" * 64  # the gzip still matches
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as err:
        R.load_archive(archive, None)
    assert str(err.value).startswith(
        f"{archive / '2026-03-02' / 'agencies.csv.gz'}: tệp khác với release.json (tệp CSV bên "
        "trong không khớp sha256 hoặc bytes)"
    )


def test_the_release_being_replaced_is_not_read(two):
    archive, *_ = two
    flip(archive / "2026-03-02" / "agencies.csv.gz")  # rebuilt today: replaced, not published
    assert R.load_archive(archive, None, replacing="2026-03-02") == []
