"""Hand-made releases for the release tests: the six CSV downloads, small and by hand (a row is
not a line), two releases a month apart, and a server that publishes a site folder."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import http.server
import io
import threading
from pathlib import Path

from buildkit import ROOT

from minhbach.buildinfo import BuildInfo
from minhbach.publish import releases as R

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
        build("2026-02-28", T1),
        date="2026-03-02",
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
        build("2026-03-31", build_time),
        previous=previous,
    )


def build(as_of: str, build_time: dt.datetime, **kw) -> BuildInfo:
    """The build a release is made or published by."""
    fields = {
        "province_name": PROVINCE,
        "rule_set": "qd766-v1",
        "synthetic": False,
        "synthetic_note": "",
        "site_url": SITE,
    }
    fields.update(kw)
    return BuildInfo(as_of=dt.date.fromisoformat(as_of), build_time=build_time, **fields)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def flip(path: Path) -> None:
    """Change one byte of a file and keep its size (a bit rotted on disk, a tampered copy)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


class Server:
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


def publish_site(two, tmp_path: Path) -> Path:
    """The site as published after release 2: /lich-su/ with both releases."""
    _, earlier, _, (r2, f2) = two
    published = tmp_path / "published"
    R.write_history(published, R.combine(earlier, r2), {r2.date: f2}, build("2026-03-31", T2))
    return published
