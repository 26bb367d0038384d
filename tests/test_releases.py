"""Releases: dated snapshots of the downloads under /lich-su/<date>/, what changed, the feed."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from buildkit import ROOT, run_build, tree_digest, write_export

from minhbach import releases as R
from minhbach.errors import InputError

BUILD_PY = ROOT / "build.py"

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://example.org/minhbach/"
PROVINCE = "Tỉnh Thử"

AGENCIES = ["agency_id", "name", "slug", "level", "parent_id", "valid_from", "valid_to"]
AGENCIES += ["successor_id", "is_province"]
SCORES = ["agency_id", "agency_name", "level", "period", "period_type", "CKMB", "TDGQ", "CLGQ"]
SCORES += ["TTTT", "MDSH", "MDHL", "total", "assessed_max", "total_100", "band", "rank"]
SCORES += ["rank_of", "official_total"]
METRICS = ["agency_id", "agency_name", "level", "period", "period_type", "complete"]
METRICS += ["received_new", "resolved", "on_time_pct"]
INDEX = ["agency_id", "period", "period_type", "group", "indicator", "numerator"]
INDEX += ["denominator", "rate_pct", "points", "max_points", "assessed", "rule_set"]
PROCEDURES = ["procedure_id", "procedure_name", "agency_id", "period", "period_type"]
PROCEDURES += ["received_new", "resolved", "on_time_pct", "median_days", "p90_days"]
PROCEDURES += ["statutory_days"]
QUARANTINE = ["table", "key", "reason", "source", "line"]

NAMES = {
    "P": ("Ủy ban nhân dân Tỉnh Thử", "province", ""),
    "A": ("Sở Tư pháp", "department", "P"),
    "B": ("Sở Y tế", "department", "P"),
    "C": ("Sở Công Thương", "department", "P"),
}


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    """A downloads CSV: UTF-8 with BOM, CRLF, quoting only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def _score(agency: str, period: str, total_100: str | None) -> list:
    name, level, _ = NAMES[agency]
    ptype = "quarter" if "Q" in period else "month"
    return [agency, name, level, period, ptype, 15, 18, 10, 8, 20, 15, 86, 100, total_100]


def make_du_lieu(folder: Path, *, units: list[str], scores: list[list], extra_quarantine=0):
    """The six CSV downloads, small and by hand."""
    folder.mkdir(parents=True)
    _csv(
        folder / "agencies.csv",
        AGENCIES,
        [
            [a, NAMES[a][0], f"don-vi-{a.lower()}", NAMES[a][1], NAMES[a][2], "", "", "", a == "P"]
            for a in units
        ],
    )
    _csv(
        folder / "scores_766.csv",
        SCORES,
        [[*s, "Tốt", "", "", ""] for s in scores],
    )
    _csv(
        folder / "agency_period_metrics.csv",
        METRICS,
        [[s[0], s[1], s[2], s[3], s[4], "true", 10, 9, "88.89"] for s in scores],
    )
    _csv(
        folder / "index_766.csv",
        INDEX,
        [
            [s[0], s[3], s[4], "TDGQ", ind, 9, 10, "90.00", 4.5, 5, "true", "qd766-v1"]
            for s in scores
            for ind in ("2.1", "2.2")
        ],
    )
    _csv(
        folder / "procedure_metrics.csv",
        PROCEDURES,
        [["1.000001", "Thủ tục một", s[0], s[3], s[4], 3, 3, "100.00", 2, 4, 10] for s in scores],
    )
    _csv(
        folder / "quarantine.csv",
        QUARANTINE,
        # A reason with a line break: a row is not a line.
        [
            ["dossiers", f"HS-{i}", "ngày hẹn trả\ntrước ngày tiếp nhận", "d.csv", i + 2]
            for i in range(2)
        ]
        + [["ratings", f"DG-{i}", "=trùng mã", "r.csv", i + 2] for i in range(extra_quarantine)],
    )
    return folder


# Release 1 (2026-03-02): units P, A, B; months 2026-01 and 2026-02.
SCORES_1 = [
    _score("P", "2026-01", "80.00"),
    _score("A", "2026-01", "80.00"),
    _score("B", "2026-01", None),
    _score("P", "2026-02", "75.50"),
    _score("A", "2026-02", "90.00"),
    _score("B", "2026-02", "70.00"),
]
# Release 2 (2026-04-01): C added; A 2026-01 revised 80 -> 82.5, B 2026-02 revised 70 -> 65.25,
# B 2026-01 gets a score (None -> 50); new month 2026-03 and quarter 2026-Q1.
SCORES_2 = [
    _score("P", "2026-01", "80.00"),
    _score("A", "2026-01", "82.50"),
    _score("B", "2026-01", "50.00"),
    _score("P", "2026-02", "75.50"),
    _score("A", "2026-02", "90.00"),
    _score("B", "2026-02", "65.25"),
    _score("P", "2026-03", "81.00"),
    _score("A", "2026-03", "88.00"),
    _score("B", "2026-03", "77.00"),
    _score("C", "2026-03", "60.00"),
    _score("A", "2026-Q1", "86.00"),
]

T1 = dt.datetime(2026, 3, 2, 5, 15)
T2 = dt.datetime(2026, 4, 1, 5, 15)


def release_1(tmp_path: Path):
    du_lieu = make_du_lieu(tmp_path / "r1" / "du-lieu", units=["P", "A", "B"], scores=SCORES_1)
    return R.make_release(
        du_lieu,
        date="2026-03-02",
        as_of="2026-02-28",
        build_time=T1,
        rule_set="qd766-v1",
        province_name=PROVINCE,
        synthetic=False,
        previous=None,
    )


def release_2(tmp_path: Path, previous, *, name="r2", scores=SCORES_2, build_time=T2):
    du_lieu = make_du_lieu(
        tmp_path / name / "du-lieu",
        units=["P", "A", "B", "C"],
        scores=scores,
        extra_quarantine=1,
    )
    return R.make_release(
        du_lieu,
        as_of="2026-03-31",
        build_time=build_time,
        rule_set="qd766-v1",
        province_name=PROVINCE,
        synthetic=False,
        previous=previous,
    )


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


# --------------------------------------------------------------------------------------------


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
    assert sorted(files) == sorted([f"{n}.csv.gz" for n in R.TABLES] + ["release.json"])
    plain = (tmp_path / "r1" / "du-lieu" / "scores_766.csv").read_bytes()
    assert gzip.decompress(files["scores_766.csv.gz"]) == plain
    assert r1.tables["scores_766"]["sha256"] == hashlib.sha256(plain).hexdigest()
    assert r1.tables["scores_766"]["bytes"] == len(plain)
    assert r1.changes == {
        "previous": None,
        "tables": {n: {"before": None, "after": r1.rows[n], "diff": None} for n in R.TABLES},
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
        as_of="2026-02-28",
        build_time=T2,
        rule_set="qd766-v2",
        province_name=PROVINCE,
        synthetic=False,
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
    R.write_history(
        docs, history, {r2.date: f2}, site_url=SITE, province_name=PROVINCE, build_time=T2
    )
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
    R.write_history(
        docs, history, {r2b.date: f2b}, site_url=SITE, province_name=PROVINCE, build_time=later
    )
    index = json.loads((docs / "lich-su" / "index.json").read_text(encoding="utf-8"))
    assert [r["date"] for r in index["releases"]] == ["2026-04-01", "2026-03-02"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


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
            site_url=SITE,
            province_name=PROVINCE,
            build_time=T2,
        )
        out.append(_tree(docs))
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
            as_of="2026-03-31",
            build_time=T2,
            rule_set="qd766-v1",
            province_name="Tỉnh Minh Họa",
            synthetic=True,
            previous=R.previous_release(earlier, "2026-04-01"),
        )
    synthetic, _ = R.make_release(
        du_lieu,
        as_of="2026-03-31",
        build_time=T2,
        rule_set="qd766-v1",
        province_name="Tỉnh Minh Họa",
        synthetic=True,
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
            site_url=SITE,
            province_name=PROVINCE,
            build_time=T2,
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


# --------------------------------------------------------------------------------------------
# The published site as the archive


class _Server:
    """A static server of ``root`` on 127.0.0.1, in a thread; records requests and their
    User-Agent. ``status``: paths answered with that HTTP status instead."""

    def __init__(self, root: Path, status: dict[str, int] | None = None):
        requests: list[str] = []
        agents: list[str] = []
        status = status or {}

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                requests.append(self.path)
                agents.append(self.headers.get("User-Agent", ""))
                if self.path in status:
                    self.send_error(status[self.path])
                    return
                super().do_GET()

        handler = functools.partial(Handler, directory=str(root))
        self.requests = requests
        self.agents = agents
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def test_url_source(two, tmp_path):
    archive, earlier, (r1, f1), (r2, f2) = two
    published = tmp_path / "published"
    R.write_history(
        published,
        R.combine(earlier, r2),
        {r2.date: f2},
        site_url=SITE,
        province_name=PROVINCE,
        build_time=T2,
    )
    with _Server(published) as server:
        source = server.url + "lich-su/"
        cache = tmp_path / "cache"
        fetched = R.load_archive(None, source, cache=cache)
        assert [r.date for r in fetched] == ["2026-03-02", "2026-04-01"]
        assert [r.to_json() for r in fetched] == [r1.to_json(), r2.to_json()]
        for release, files in ((r1, f1), (r2, f2)):
            assert _tree(cache / release.date) == files
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
    published = tmp_path / "published"
    R.write_history(
        published,
        R.combine(earlier, r2),
        {r2.date: f2},
        site_url=SITE,
        province_name=PROVINCE,
        build_time=T2,
    )
    before = (archive / "2026-03-02" / "release.json").stat().st_mtime_ns
    with _Server(published) as server:
        got = R.load_archive(archive, server.url + "lich-su")  # no trailing slash
    assert [r.date for r in got] == ["2026-03-02", "2026-04-01"]
    assert got[1].path == archive / "2026-04-01"
    assert _tree(archive / "2026-04-01") == f2
    assert (archive / "2026-03-02" / "release.json").stat().st_mtime_ns == before


def _publish(two, tmp_path: Path) -> Path:
    """The site as published after release 2: /lich-su/ with both releases."""
    _, earlier, _, (r2, f2) = two
    published = tmp_path / "published"
    R.write_history(
        published,
        R.combine(earlier, r2),
        {r2.date: f2},
        site_url=SITE,
        province_name=PROVINCE,
        build_time=T2,
    )
    return published


def test_downloaded_releases_join_the_archive_once_saved(two, tmp_path):
    """Downloaded into a cache (the build's work folder), a release joins the archive only when
    save_to_archive runs (the site is published), with its files noted as checked."""
    archive, _, (r1, _), (r2, f2) = two
    published = _publish(two, tmp_path)
    with _Server(published) as server:
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
    assert _tree(archive / "2026-04-01") == f2
    assert got[1].path == archive / "2026-04-01"
    assert not (tmp_path / "work" / "2026-04-01").exists()
    noted = (archive / ".verified").read_text(encoding="ascii").splitlines()
    assert set(noted) == {
        f"{t['gz_sha256']} {t['sha256']} {t['bytes']}"
        for r in (r1, r2, r3)
        for t in r.tables.values()
    }


def _flip(path: Path) -> None:
    """Change one byte of a file and keep its size (a bit rotted on disk, a tampered copy)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_snapshot_changed_but_not_its_size_is_never_republished(two):
    archive, *_ = two
    damaged = archive / "2026-03-02" / "scores_766.csv.gz"
    _flip(damaged)
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
    check = R._check_file

    def spy(path, info, plain):
        calls.append((path.name, plain))
        return check(path, info, plain)

    monkeypatch.setattr(R, "_check_file", spy)
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
    _flip(archive / "2026-03-02" / "agencies.csv.gz")  # rebuilt today: replaced, not published
    assert R.load_archive(archive, None, replacing="2026-03-02") == []


def test_a_published_snapshot_changed_but_not_its_size_stops_the_build(two, tmp_path):
    archive, *_ = two
    published = _publish(two, tmp_path)
    damaged = published / "lich-su" / "2026-04-01" / "index_766.csv.gz"
    good = damaged.read_bytes()
    _flip(damaged)
    cache = tmp_path / "work"
    with _Server(published) as server:
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
    with _Server(empty) as server:
        got = R.load_archive(
            archive, server.url + "lich-su/", cache=tmp_path / "c", warn=warnings.append
        )
    assert [r.date for r in got] == ["2026-03-02"]  # the archive's own
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{server.url}lich-su/index.json: chưa có lịch sử công bố")
    assert "HTTP 404" in warnings[0] and "lần công bố đầu tiên" in warnings[0]

    published = _publish(two, tmp_path)
    for status, match in (
        ({"/lich-su/index.json": 500}, r"index.json: không tải được lịch sử đã công bố \(HTTP 500"),
        ({"/lich-su/index.json": 403}, r"\(HTTP 403\)"),
        ({"/lich-su/2026-04-01/agencies.csv.gz": 404}, r"agencies.csv.gz: .*\(HTTP 404\)"),
        ({"/lich-su/2026-04-01/release.json": 503}, r"release.json: .*\(HTTP 503\)"),
    ):
        with (
            _Server(published, status=status) as server,
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
        with _Server(published) as server, pytest.raises(InputError, match=match):
            R.load_archive(archive, server.url + "lich-su/", cache=tmp_path / "c")
    assert len(warnings) == 1


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
        date="2026-03-02",
        as_of="2026-02-28",
        build_time=T1,
        rule_set="qd766-v1",
        province_name=PROVINCE,
        synthetic=False,
        previous=None,
        datasets=[info],
    )
    assert files == plain_files
    assert release.tables == plain_release.tables


# --------------------------------------------------------------------------------------------
# Whole builds: each fault stops the build with one line and status 2, leaving the site online
# and the archive as they were, and no folder behind.

EPOCH_1 = "1794900000"  # 17/11/2026, local time
EPOCH_2 = "1795000000"  # 18/11/2026
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """A site built once with its history (one release, 17/11/2026), as the workflow deploys
    it, with the archive that build kept."""
    base = tmp_path_factory.mktemp("published")
    data = write_export(base / "data")
    result = run_build(
        data,
        base / "site",
        "--quiet",
        "--releases",
        str(base / "releases"),
        env={"SOURCE_DATE_EPOCH": EPOCH_1},
    )
    assert result.returncode == 0, result.stderr
    return data, base / "site", base / "releases"


def _online_site(published_site, tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the published site as the --out of the next build, with its digest."""
    out = tmp_path / "site"
    shutil.copytree(published_site[1], out)
    return out, tree_digest(out)


def _build(published_site, out: Path, archive: Path, source: str | None = None):
    env = {"SOURCE_DATE_EPOCH": EPOCH_2}
    if source:
        env["MINHBACH_RELEASES_SOURCE"] = source
    return run_build(published_site[0], out, "--quiet", "--releases", str(archive), env=env)


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_build_stops_on_a_damaged_snapshot_in_the_archive(published_site, tmp_path):
    archive = tmp_path / "releases"
    shutil.copytree(published_site[2], archive)
    damaged = archive / "2026-11-17" / "scores_766.csv.gz"
    _flip(damaged)
    kept = tree_digest(archive)
    out, online = _online_site(published_site, tmp_path)
    result = _build(published_site, out, archive)
    assert result.returncode == 2, result.stderr
    (line,) = _lines(result.stderr)
    assert line.startswith(f"lỗi: {damaged}: tệp khác với release.json (gz_sha256 không khớp)")
    assert tree_digest(out) == online
    assert tree_digest(archive) == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["releases", "site"]


def test_build_stops_on_a_damaged_snapshot_of_the_published_site(published_site, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(published_site[1], served)
    _flip(served / "lich-su" / "2026-11-17" / "agencies.csv.gz")
    out, online = _online_site(published_site, tmp_path)
    with _Server(served) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 2, result.stderr
    (line,) = _lines(result.stderr)
    assert line.startswith(
        f"lỗi: {server.url}lich-su/2026-11-17/agencies.csv.gz: tệp tải về khác với release.json"
    )
    assert tree_digest(out) == online
    assert sorted(p.name for p in tmp_path.iterdir()) == ["served", "site"]  # no archive either


def test_build_stops_when_the_published_history_cannot_be_read(published_site, tmp_path):
    out, online = _online_site(published_site, tmp_path)
    with _Server(published_site[1], status={"/lich-su/index.json": 500}) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 2, result.stderr
    assert _lines(result.stderr) == [
        f"lỗi: {server.url}lich-su/index.json: không tải được lịch sử đã công bố (HTTP 500)"
    ]
    assert tree_digest(out) == online
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_first_publication_starts_the_history_with_a_warning(published_site, tmp_path):
    """Nothing published yet (a 404 on the history's index): the build goes on, says so in a
    warning (an annotation on GitHub Actions), and the history starts with its release."""
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "site"
    with _Server(empty) as server:
        result = _build(published_site, out, tmp_path / "releases", server.url + "lich-su/")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in _lines(result.stderr) if "cảnh báo:" in line]
    assert len(warnings) == 1, result.stderr
    assert f"cảnh báo: {server.url}lich-su/index.json: chưa có lịch sử công bố" in warnings[0]
    index = json.loads((out / "lich-su" / "index.json").read_bytes())
    assert [r["date"] for r in index["releases"]] == ["2026-11-18"]


def _build_step() -> tuple[dict, str]:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if s.get("name") == "Build the site"]
    return step, step["run"]


def _run_build_step(tmp_path: Path, pages_url: str, build_args: list[str], env: dict):
    """Run the workflow's build step as GitHub Actions does (bash -eo pipefail), with stand-ins
    for ``make`` (nothing to set up) and ``.venv/bin/python`` (this build.py, into tmp_path)."""
    _, script = _build_step()
    repo, bin_dir = tmp_path / "checkout", tmp_path / "bin"
    (repo / ".venv" / "bin").mkdir(parents=True)
    bin_dir.mkdir()
    (bin_dir / "make").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    args = " ".join(shlex.quote(a) for a in build_args)
    (repo / ".venv" / "bin" / "python").write_text(
        f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(BUILD_PY))} {args}\n",
        encoding="utf-8",
    )
    for shim in (bin_dir / "make", repo / ".venv" / "bin" / "python"):
        shim.chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MINHBACH_")}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env={
            **environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PAGES_URL": pages_url,
            "NO_MKDOCS_2_WARNING": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_workflow_build_reads_the_history_back_from_the_published_site(
    published_site, tmp_path
):
    """The workflow's build step against a served copy of the published site, with an empty
    archive (as on a fresh runner): the new site lists both releases, the earlier one's files
    byte for byte as they were published."""
    data, site, _ = published_site
    out, archive = tmp_path / "out", tmp_path / "releases"
    args = ["--data", str(data), "--out", str(out), "--releases", str(archive), "--quiet"]
    with _Server(site) as server:
        result = _run_build_step(tmp_path, server.url, args, {"SOURCE_DATE_EPOCH": EPOCH_2})
    assert result.returncode == 0, result.stderr
    assert "/lich-su/index.json" in server.requests
    index = json.loads((out / "lich-su" / "index.json").read_bytes())
    assert [r["date"] for r in index["releases"]] == ["2026-11-18", "2026-11-17"]
    page = (out / "lich-su" / "index.html").read_text(encoding="utf-8")
    assert "17/11/2026" in page and "18/11/2026" in page
    assert (out / "lich-su" / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 2
    assert _tree(out / "lich-su" / "2026-11-17") == _tree(site / "lich-su" / "2026-11-17")
    assert sorted(p.name for p in archive.iterdir()) == [".verified", "2026-11-17", "2026-11-18"]

    # Without the Pages address the step stops before building: never a site without its past.
    result = _run_build_step(tmp_path / "again", "", args, {})
    assert result.returncode == 2
    assert result.stdout.startswith("::error::")


def test_the_published_history_address_can_come_from_the_environment(tmp_path, monkeypatch):
    """MINHBACH_RELEASES_SOURCE (the publish workflow's Pages address) when the config names no
    published history; the config's own address comes first."""
    from minhbach.config import load_settings

    config = tmp_path / "minhbach.toml"
    config.write_text('[releases]\nsource = ""\n', encoding="utf-8")
    monkeypatch.setenv("MINHBACH_RELEASES_SOURCE", "https://to-chuc.github.io/minhbach/lich-su/")
    assert load_settings(config).releases_source == "https://to-chuc.github.io/minhbach/lich-su/"
    config.write_text('[releases]\nsource = "https://tinh.gov.vn/lich-su/"\n', encoding="utf-8")
    assert load_settings(config).releases_source == "https://tinh.gov.vn/lich-su/"
    config.write_text('[releases]\nsource = ""\n', encoding="utf-8")
    monkeypatch.setenv("MINHBACH_RELEASES_SOURCE", "/lich-su/")  # no Pages address
    with pytest.raises(InputError) as err:
        load_settings(config)
    assert str(err.value).startswith("MINHBACH_RELEASES_SOURCE: phải là địa chỉ web đầy đủ")
