"""Releases: dated snapshots of the downloads under /lich-su/<date>/, what changed, the feed."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest

from minhbach.errors import BuildError, InputError
from minhbach.publish import releases as R
from minhbach.publish.datasets import optional_names

from .releases_kit import (
    ATOM,
    SCORES_1,
    SCORES_2,
    SITE,
    T1,
    T2,
    build,
    make_du_lieu,
    release_1,
    release_2,
    tree,
)

# The downloads of a build without the portal's evaluation (its tables are optional).
ALWAYS = [n for n in R.tables() if n not in optional_names()]


def test_a_release_holds_the_portal_s_tables_when_the_build_published_them(tmp_path):
    du_lieu = make_du_lieu(tmp_path / "du-lieu", units=["P", "A", "B"], scores=SCORES_1)
    (du_lieu / "portal_checks.csv").write_text(
        "\ufeffportal_code,period\r\nH21.01,2026\r\n", encoding="utf-8"
    )
    release, files = R.make_release(
        du_lieu, build("2026-02-28", T1), date="2026-03-02", previous=None
    )
    assert release.table_names() == [n for n in R.tables() if n in [*ALWAYS, "portal_checks"]]
    assert release.rows["portal_checks"] == 1 and "portal_checks.csv.gz" in files
    # a build without them: only the others, and no file is missing
    (du_lieu / "portal_checks.csv").unlink()
    release, files = R.make_release(
        du_lieu, build("2026-02-28", T1), date="2026-03-02", previous=None
    )
    assert release.table_names() == ALWAYS and "portal_checks.csv.gz" not in files
    # a download every build has is still required
    (du_lieu / "quarantine.csv").unlink()
    with pytest.raises(BuildError, match="thiếu tệp tải về quarantine.csv"):
        R.make_release(du_lieu, build("2026-02-28", T1), date="2026-03-02", previous=None)


def test_first_release(tmp_path):
    r1, files = release_1(tmp_path)
    assert r1.date == "2026-03-02"
    assert r1.build_time == "2026-03-02T05:15:00+07:00"
    assert r1.units == 3
    assert r1.rows == {
        "agency_period_metrics": 6,
        "index_766": 12,
        "scores_766": 6,
        "procedure_metrics": 6,
        "agencies": 3,
        "quarantine": 2,  # counted as CSV rows, not lines
    }
    assert sorted(files) == sorted([f"{n}.csv.gz" for n in ALWAYS] + ["release.json"])
    plain = (tmp_path / "r1" / "du-lieu" / "scores_766.csv").read_bytes()
    assert gzip.decompress(files["scores_766.csv.gz"]) == plain
    assert r1.tables["scores_766"]["sha256"] == hashlib.sha256(plain).hexdigest()
    assert r1.tables["scores_766"]["bytes"] == len(plain)
    assert r1.changes == {
        "previous": None,
        "tables": {n: {"before": None, "after": r1.rows[n], "diff": None} for n in ALWAYS},
        "units": None,
        "scores": None,
    }
    assert r1.summary.startswith("Bản đầu tiên được lưu: số liệu đến ngày 28/02/2026, 3 đơn vị")
    assert json.loads(files["release.json"]) == r1.to_json()


def test_changes_against_the_previous_release(two):
    _, _, (r1, _), (r2, _) = two
    assert r2.date == "2026-04-01"  # the build date
    c = r2.changes
    assert c["previous"] == {"date": "2026-03-02", "as_of": "2026-02-28", "rule_set": "qd766-v1"}
    assert c["as_of"] == {"before": "2026-02-28", "after": "2026-03-31"}
    assert c["tables"] == {
        "agency_period_metrics": {"before": 6, "after": 11, "diff": 5},
        "index_766": {"before": 12, "after": 22, "diff": 10},
        "scores_766": {"before": 6, "after": 11, "diff": 5},
        "procedure_metrics": {"before": 6, "after": 11, "diff": 5},
        "agencies": {"before": 3, "after": 4, "diff": 1},
        "quarantine": {"before": 2, "after": 3, "diff": 1},
    }
    assert c["units"] == {
        "before": 3,
        "after": 4,
        "added_count": 1,
        "removed_count": 0,
        "added": [{"agency_id": "C", "name": "Sở Công Thương"}],
        "removed": [],
    }
    s = c["scores"]
    assert s["moved_count"] == 3
    assert s["max_abs_diff"] == 4.75
    # Largest move first; a score that appears (no diff) last.
    assert s["moved"] == [
        {
            "agency_id": "B",
            "agency_name": "Sở Y tế",
            "period": "2026-02",
            "period_type": "month",
            "before": 70.0,
            "after": 65.25,
            "diff": -4.75,
        },
        {
            "agency_id": "A",
            "agency_name": "Sở Tư pháp",
            "period": "2026-01",
            "period_type": "month",
            "before": 80.0,
            "after": 82.5,
            "diff": 2.5,
        },
        {
            "agency_id": "B",
            "agency_name": "Sở Y tế",
            "period": "2026-01",
            "period_type": "month",
            "before": None,
            "after": 50.0,
            "diff": None,
        },
    ]
    assert s["rows_added"] == 5 and s["rows_removed"] == 0
    assert s["new_periods"] == [
        {"period": "2026-03", "period_type": "month"},
        {"period": "2026-Q1", "period_type": "quarter"},
    ]
    assert s["removed_periods"] == []
    assert r2.summary == (
        "So với bản ngày 02/03/2026: số liệu đến ngày 31/03/2026 (trước: 28/02/2026); "
        "thêm 1 đơn vị (Sở Công Thương); "
        "3 điểm 766 của kỳ đã công bố được tính lại, thay đổi lớn nhất: Sở Y tế, tháng 2/2026, "
        "70,00 → 65,25 (\u22124,75); kỳ mới: tháng 3/2026, quý I/2026; "
        "số dòng: agency_period_metrics +5, index_766 +10, scores_766 +5, "
        "procedure_metrics +5, agencies +1, quarantine +1."
    )


def test_unit_removed_and_nothing_moved(tmp_path):
    r1, f1 = release_1(tmp_path)
    R.save_to_archive(tmp_path / "a", r1, f1)
    (prev,) = R.load_archive(tmp_path / "a", None)
    du_lieu = make_du_lieu(tmp_path / "x", units=["P", "A"], scores=SCORES_1[:2] + SCORES_1[3:5])
    r, _ = R.make_release(
        du_lieu,
        build("2026-02-28", T2, rule_set="qd766-v2"),
        previous=prev,
    )
    assert r.changes["units"]["removed"] == [{"agency_id": "B", "name": "Sở Y tế"}]
    assert r.changes["scores"]["moved_count"] == 0
    assert r.changes["scores"]["rows_removed"] == 2
    assert "bớt 1 đơn vị (Sở Y tế)" in r.summary
    assert "đổi bộ quy tắc tính điểm từ qd766-v1 sang qd766-v2" in r.summary
    assert "không điểm 766 nào của kỳ đã công bố thay đổi" in r.summary


def test_history_tree_index_and_feed(two, tmp_path):
    archive, earlier, (r1, f1), (r2, f2) = two
    history = R.combine(earlier, r2)
    assert [r.date for r in history] == ["2026-03-02", "2026-04-01"]
    docs = tmp_path / "docs"
    R.write_history(docs, history, {r2.date: f2}, build("2026-03-31", T2))
    lich_su = docs / "lich-su"
    for release, files in ((r1, f1), (r2, f2)):
        folder = lich_su / release.date
        assert sorted(p.name for p in folder.iterdir()) == sorted(files)
        for name, data in files.items():
            assert (folder / name).read_bytes() == data, name
    # Earlier snapshots are copied byte for byte from the archive.
    assert (lich_su / "2026-03-02" / "scores_766.csv.gz").read_bytes() == (
        archive / "2026-03-02" / "scores_766.csv.gz"
    ).read_bytes()
    assert (
        gzip.decompress((lich_su / "2026-04-01" / "scores_766.csv.gz").read_bytes())
        == (tmp_path / "r2" / "du-lieu" / "scores_766.csv").read_bytes()
    )
    assert not (docs / "co-quan").exists()  # a unit's page and CSV are never touched

    index = json.loads((lich_su / "index.json").read_text(encoding="utf-8"))
    assert index["updated"] == "2026-04-01T05:15:00+07:00"
    assert [r["date"] for r in index["releases"]] == ["2026-04-01", "2026-03-02"]
    assert index["releases"][0]["path"] == "2026-04-01/"
    assert index["releases"][0]["rows"]["agencies"] == 4
    assert index["releases"][0]["summary"] == r2.summary

    root = ET.fromstring((lich_su / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == SITE + "lich-su/"
    assert root.findtext(f"{ATOM}updated") == "2026-04-01T05:15:00+07:00"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        SITE + "lich-su/2026-04-01/",
        SITE + "lich-su/2026-03-02/",
    ]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-04-01T05:15:00+07:00",
        "2026-03-02T05:15:00+07:00",
    ]
    assert entries[0].findtext(f"{ATOM}summary") == r2.summary
    links = {link.get("rel"): link.get("href") for link in entries[0].findall(f"{ATOM}link")}
    assert links == {
        "alternate": SITE + "lich-su/#ban-2026-04-01",
        "related": SITE + "lich-su/2026-04-01/release.json",
    }
    assert "Tỉnh Thử" in root.findtext(f"{ATOM}title")


def test_same_day_rebuild_replaces(two, tmp_path):
    archive, earlier, _, (r2, f2) = two
    R.save_to_archive(archive, r2, f2)
    assert [r.date for r in R.load_archive(archive, None)] == ["2026-03-02", "2026-04-01"]

    # Later the same day, with one more revision: the previous release is still 2026-03-02.
    stored = R.load_archive(archive, None)
    later = dt.datetime(2026, 4, 1, 18, 0)
    assert R.previous_release(stored, "2026-04-01").date == "2026-03-02"
    scores = [list(s) for s in SCORES_2]
    scores[0][-1] = "79.00"  # P 2026-01: 80 -> 79
    r2b, f2b = release_2(
        tmp_path,
        R.previous_release(stored, "2026-04-01"),
        name="r2b",
        scores=scores,
        build_time=later,
    )
    assert r2b.date == "2026-04-01"
    assert r2b.changes["scores"]["moved_count"] == 4
    history = R.combine(stored, r2b)
    assert [(r.date, r.build_time) for r in history] == [
        ("2026-03-02", "2026-03-02T05:15:00+07:00"),
        ("2026-04-01", "2026-04-01T18:00:00+07:00"),
    ]
    R.save_to_archive(archive, r2b, f2b)
    assert sorted(p.name for p in archive.iterdir()) == [".verified", "2026-03-02", "2026-04-01"]
    again = R.load_archive(archive, None)
    assert again[-1].build_time == "2026-04-01T18:00:00+07:00"
    assert (archive / "2026-04-01" / "release.json").read_bytes() == f2b["release.json"]
    docs = tmp_path / "docs"
    R.write_history(docs, history, {r2b.date: f2b}, build("2026-03-31", later))
    index = json.loads((docs / "lich-su" / "index.json").read_text(encoding="utf-8"))
    assert [r["date"] for r in index["releases"]] == ["2026-04-01", "2026-03-02"]


def test_deterministic(tmp_path):
    ra, fa = release_1(tmp_path / "a")
    rb, fb = release_1(tmp_path / "b")
    assert fa == fb
    # The gzip of a snapshot is gzip.compress(..., mtime=0) (no name, no time), with the OS
    # byte "unknown" (255) whatever the system, as Python 3.12+ writes it.
    plain = (tmp_path / "a" / "r1" / "du-lieu" / "index_766.csv").read_bytes()
    gz = fa["index_766.csv.gz"]
    reference = gzip.compress(plain, compresslevel=6, mtime=0)
    assert gz[:9] + gz[10:] == reference[:9] + reference[10:]
    assert gz[4:8] == b"\0\0\0\0" and gz[9] == 255
    assert gzip.decompress(gz) == plain
    for name, (release, files) in (("x", (ra, fa)), ("y", (rb, fb))):
        R.save_to_archive(tmp_path / name / "archive", release, files)
    out = []
    for name in ("x", "y"):
        earlier = R.load_archive(tmp_path / name / "archive", None)
        r2, f2 = release_2(tmp_path / name, R.previous_release(earlier, "2026-04-01"))
        docs = tmp_path / name / "docs"
        R.write_history(
            docs,
            R.combine(earlier, r2),
            {r2.date: f2},
            build("2026-03-31", T2),
        )
        out.append(tree(docs))
    assert out[0] == out[1]
    assert len(out[0]) == 2 * 7 + 2


def test_synthetic_and_real_releases_never_mix(tmp_path):
    r1, f1 = release_1(tmp_path)
    R.save_to_archive(tmp_path / "a", r1, f1)
    earlier = R.load_archive(tmp_path / "a", None)
    du_lieu = make_du_lieu(tmp_path / "s", units=["P", "A", "B"], scores=SCORES_1)
    with pytest.raises(InputError, match="không trộn"):
        R.make_release(
            du_lieu,
            build("2026-03-31", T2, province_name="Tỉnh Minh Họa", synthetic=True),
            previous=R.previous_release(earlier, "2026-04-01"),
        )
    synthetic, _ = R.make_release(
        du_lieu,
        build("2026-03-31", T2, province_name="Tỉnh Minh Họa", synthetic=True),
        previous=None,
    )
    with pytest.raises(InputError, match="không trộn"):
        R.combine(earlier, synthetic)


def test_broken_archive_is_a_one_line_error(two, tmp_path):
    archive, earlier, _, (r2, f2) = two
    (archive / "2026-03-02" / "agencies.csv.gz").write_bytes(b"truncated")
    with pytest.raises(InputError) as err:
        R.write_history(
            tmp_path / "d",
            R.combine(earlier, r2),
            {r2.date: f2},
            build("2026-03-31", T2),
        )
    assert "\n" not in str(err.value)
    (archive / "2026-03-02" / "release.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="release.json"):
        R.load_archive(archive, None)
    # Not a release: ignored (temp folders, notes).
    (archive / "2026-03-02").rename(archive / ".2026-03-02.old-1")
    (archive / "README.md").write_text("lưu trữ", encoding="utf-8")
    assert R.load_archive(archive, None) == []
    assert R.load_archive(tmp_path / "missing", None) == []
    assert R.load_archive(None, None) == []


def test_snapshot_reuses_a_gzipped_download(tmp_path):
    """A big table published as <name>.csv.gz: the snapshot takes that file as it is, and the
    release is byte for byte the one made from the plain CSV."""
    from minhbach.publish import downloads, files

    plain_release, plain_files = release_1(tmp_path / "plain")
    du_lieu = make_du_lieu(tmp_path / "gz" / "du-lieu", units=["P", "A", "B"], scores=SCORES_1)
    published = files.compressed(du_lieu / "index_766.csv", "csv")
    assert published.name == "index_766.csv.gz" and not (du_lieu / "index_766.csv").exists()
    info = downloads.DatasetInfo(
        name="index_766",
        title="",
        description="",
        row_text="",
        rows=plain_release.tables["index_766"]["rows"],
        columns=(),
        files=(published,),
    )
    release, files = R.make_release(
        du_lieu,
        build("2026-02-28", T1),
        date="2026-03-02",
        previous=None,
        datasets=[info],
    )
    assert files == plain_files
    assert release.tables == plain_release.tables
