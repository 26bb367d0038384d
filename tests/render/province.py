"""A small province made by hand for the page tests (conftest.build_db builds its tables):
two departments and a hostile name, two communes of which one merged into the other, two
procedures. Charts are replaced by a recorder (:class:`ChartRecorder`) so that the page tests
check the pages, not the chart renderer (tests of their own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import build_db, rows

from minhbach import render
from minhbach.buildinfo import BuildInfo
from minhbach.config import Settings
from minhbach.publish import downloads, unit_csvs

HOSTILE = "<script>alert(1)</script>"

AGENCIES = [
    {"agency_id": "P", "name": "Tỉnh Thử", "level": "province"},
    {"agency_id": "A", "name": "Sở Tư pháp", "level": "department", "parent_id": "P"},
    {"agency_id": "B", "name": "Sở Y tế", "level": "department", "parent_id": "P"},
    {"agency_id": "X", "name": HOSTILE, "level": "department", "parent_id": "P"},
    {"agency_id": "C", "name": "Xã Đông Hòa", "level": "commune", "parent_id": "P"},
    {
        "agency_id": "D",
        "name": "Xã Cũ | Tây",
        "level": "commune",
        "parent_id": "P",
        "valid_to": "2026-01-31",
        "successor_id": "C",
    },
]
PROCEDURES = [
    {"procedure_id": "1.000001", "name": "Đăng ký khai sinh", "field": "Hộ tịch",
     "online_level": "full", "statutory_days": "3", "has_fee": "0"},
    {"procedure_id": "1.000002", "name": "Cấp phép *xây dựng*", "field": "Xây dựng",
     "online_level": "partial", "statutory_days": "15", "has_fee": "1",
     "online_payment_enabled": "1"},
]  # fmt: skip


def dossier(dossier_id, agency, status, received, due, finished=None, **kw) -> dict:
    row = {
        "dossier_id": dossier_id,
        "agency_id": agency,
        "procedure_id": kw.pop("procedure_id", "1.000001"),
        "channel": kw.pop("channel", "2"),
        "status": str(status),
        "received_at": received,
        "due_at": due,
        "finished_at": finished,
    }
    row.update(kw)
    return row


# Sở Tư pháp (A), March 2026 (as-of 2026-03-31, so March is the latest complete month):
#   carried over 1 (a6, received in February, finished 2 March, late)
#   received new 5: a1 early, a2 late, a3 open and overdue, a4 open within time, a5 withdrawn
#   to_handle 6 = resolved 3 (a1, a2, a6) + withdrawn/stopped 1 (a5) + waiting 0
#                 + in progress 2 (a3 overdue, a4 within)
DOSSIERS = [
    dossier("a6", "A", 10, "2026-02-20 08:00", "2026-02-27 17:00", "2026-03-02 09:00"),
    dossier("a1", "A", 10, "2026-03-02 08:00", "2026-03-10 17:00", "2026-03-06 09:00"),
    dossier("a2", "A", 10, "2026-03-02 08:00", "2026-03-05 17:00", "2026-03-09 09:00",
            procedure_id="1.000002", channel="1"),
    dossier("a3", "A", 4, "2026-03-03 08:00", "2026-03-10 17:00", procedure_id="1.000002"),
    dossier("a4", "A", 4, "2026-03-20 08:00", "2026-04-30 17:00"),
    dossier("a5", "A", 7, "2026-03-04 08:00", "2026-03-20 17:00", "2026-03-15 10:00"),
    dossier("b1", "B", 10, "2026-03-02 08:00", "2026-03-10 17:00", "2026-03-03 09:00"),
    dossier("b2", "B", 10, "2026-02-02 08:00", "2026-02-10 17:00", "2026-02-03 09:00"),
    dossier("x1", "X", 10, "2026-03-02 08:00", "2026-03-04 17:00", "2026-03-12 09:00"),
    dossier("c1", "C", 10, "2026-03-02 08:00", "2026-03-10 17:00", "2026-03-05 09:00"),
    dossier("c2", "C", 10, "2026-02-11 08:00", "2026-02-20 17:00", "2026-02-18 09:00"),
    dossier("d1", "D", 10, "2026-01-05 08:00", "2026-01-10 17:00", "2026-01-09 09:00"),
]  # fmt: skip


class ChartRecorder:
    """Stands in for charts.render_figures: records the calls, returns minimal figures."""

    def __init__(self):
        self.calls = []

    def __call__(self, jobs, *, workers=None, abort=None):
        self.calls.append(list(jobs))
        out = {}
        for page_dir, figure in jobs:
            assert (page_dir, figure.id) not in out, f"figure {figure.id} twice in {page_dir}"
            assert figure.rows and figure.columns and figure.caption and figure.title
            out[(page_dir, figure.id)] = (
                f'<figure class="mb-chart" id="hinh-{figure.id}">'
                f'<div class="mb-chart-static"><svg role="img"></svg></div>'
                f"<figcaption>{figure.id}</figcaption></figure>"
            )
        return out


def make_info(*, synthetic: bool, as_of: dt.date = dt.date(2026, 3, 31)) -> BuildInfo:
    settings = Settings()
    return BuildInfo(
        province_name="Tỉnh Thử",
        as_of=as_of,
        build_time=dt.datetime(2026, 4, 2, 3, 40),
        rule_set=settings.rule_set,
        synthetic=synthetic,
        synthetic_note="",
        site_url=settings.site_url,
    )


def province_db(as_of: str = "2026-03-31"):
    return build_db(
        {"agencies": AGENCIES, "procedures": PROCEDURES, "dossiers": DOSSIERS}, as_of=as_of
    )


def write_downloads(con, docs: Path, info: BuildInfo) -> list:
    datasets = downloads.write_downloads(con, docs / "du-lieu", build=info, settings=Settings())
    unit_csvs.write_unit_csvs(con, docs)
    return datasets


def render_site(con, docs: Path, info: BuildInfo, *, datasets=(), figures_dir=None):
    """Every page into ``docs`` with the charts recorded; returns (nav, recorder)."""
    recorder = ChartRecorder()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render.writer.charts, "render_figures", recorder)
        nav = render.render_all(
            con, docs, info, Settings(), datasets=datasets, figures_dir=figures_dir
        )
    return nav, recorder


def build_site(tmp_path: Path, *, synthetic: bool = True, as_of: str = "2026-03-31"):
    con = province_db(as_of)
    ((as_of_date,),) = con.execute("select as_of from as_of_date").fetchall()
    info = make_info(synthetic=synthetic, as_of=as_of_date)
    docs = tmp_path / "docs"
    datasets = write_downloads(con, docs, info)
    nav, recorder = render_site(con, docs, info, datasets=datasets)
    return con, docs, nav, recorder


def slug_of(con, agency_id: str) -> str:
    (row,) = rows(con, "select slug from dim_agencies where agency_id = ?", [agency_id])
    return row["slug"]


def read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    import yaml

    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text.split("---\n", 2)[1])
