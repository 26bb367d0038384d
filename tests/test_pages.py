"""The pages (minhbach/pages.py and site_src/templates): every page of site.md is written, with
the unit's figures formatted the Vietnamese way, the 06a balance visible, names escaped, and
only hub pages in the navigation.

A small province is built with hand-made tables (conftest.build_db); charts are replaced by a
recorder so that these tests check the pages, not the chart renderer (tests of their own).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import build_db, rows

from minhbach import downloads, fmt, pages
from minhbach.config import Settings
from minhbach.pipeline import BuildContext

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


def make_ctx(tmp_path: Path, *, synthetic: bool) -> BuildContext:
    return BuildContext(
        settings=Settings(),
        data_dir=tmp_path,
        province_name="Tỉnh Thử",
        synthetic=synthetic,
        synthetic_note="",
        build_time=dt.datetime(2026, 4, 2, 3, 40),
        as_of=dt.date(2026, 3, 31),
    )


def build_site(tmp_path: Path, *, synthetic: bool = True, as_of: str = "2026-03-31"):
    recorder = ChartRecorder()
    con = build_db(
        {"agencies": AGENCIES, "procedures": PROCEDURES, "dossiers": DOSSIERS}, as_of=as_of
    )
    ctx = make_ctx(tmp_path, synthetic=synthetic)
    (ctx.as_of,) = con.execute("select as_of from as_of_date").fetchone()
    docs = tmp_path / "docs"
    ctx.datasets = downloads.write_downloads(
        con,
        docs / "du-lieu",
        meta=downloads.DownloadMeta(
            province_name=ctx.province_name,
            as_of=ctx.as_of,
            build_time=ctx.build_time,
            rule_set=ctx.settings.rule_set,
            synthetic=synthetic,
        ),
    )
    downloads.write_unit_csvs(con, docs)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages.charts, "render_figures", recorder)
        nav = pages.render_all(con, docs, ctx)
    return con, docs, nav, recorder


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


def slug_of(con, agency_id: str) -> str:
    (row,) = rows(con, "select slug from dim_agencies where agency_id = ?", [agency_id])
    return row["slug"]


def read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    import yaml

    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_every_page_is_written(site):
    con, docs, _, _ = site
    expected = [
        "index.md",
        "xep-hang/index.md",
        "xep-hang/2026-03/index.md",
        "xep-hang/2026-Q1/index.md",
        "xep-hang/2026/index.md",
        "thu-tuc/1.000001/index.md",
        "thu-tuc/1.000002/index.md",
        "du-lieu/index.md",
        "phuong-phap/index.md",
        "chat-luong-du-lieu/index.md",
        "lich-su/index.md",
    ]
    expected += [f"co-quan/{slug_of(con, a['agency_id'])}/index.md" for a in AGENCIES]
    missing = [p for p in expected if not (docs / p).is_file()]
    assert not missing
    for page in docs.rglob("*.md"):
        if "assets" in page.parts:
            continue
        meta = front_matter(page.read_text(encoding="utf-8"))
        assert meta.get("title"), page
        assert meta.get("description"), page


def test_unit_page_shows_score_rank_and_balance(site):
    con, docs, _, _ = site
    (score,) = rows(con, "select * from scores_766 where agency_id = 'A' and period = '2026-03'")
    text = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    total = fmt.points(score["total_100"])
    assert re.fullmatch(r"\d{1,3},\d\d", total), total  # Vietnamese decimal comma
    assert total in text
    assert score["rank_of"] == 3  # A, B and X are the departments ranked in March
    assert f"hạng {score['rank']}/{score['rank_of']}" in text
    assert "tháng 3/2026" in text
    # the 06a balance, with its numbers (worked out above DOSSIERS)
    assert (
        "tổng số phải giải quyết **6** = đã giải quyết 3 + rút hồ sơ, dừng xử lý 1 "
        "+ chờ người nộp bổ sung 0 + đang giải quyết 2"
    ) in text
    # the parent is linked, the procedures with late dossiers link to their pages
    assert f'href="../../co-quan/{slug_of(con, "P")}/"' in text
    assert "../../thu-tuc/1.000002/" in text
    assert f"({slug_of(con, 'A')}.csv)" in text
    description = front_matter(text)["description"]
    assert total in description and "Sở Tư pháp" in description


def test_hostile_names_are_escaped(site):
    con, docs, _, _ = site
    for page in docs.rglob("*.md"):
        if "assets" not in page.parts:
            body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
            assert HOSTILE not in body, page
    unit = read(docs, f"co-quan/{slug_of(con, 'X')}/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unit
    # Title and description are plain text, escaped once by the theme: main.html, and
    # minhbach/hooks.py for the partials that print the title unescaped and the search index.
    meta = front_matter(unit)
    assert meta["title"] == HOSTILE
    assert meta["description"].startswith(HOSTILE + " (sở, ban, ngành)")
    ranking = read(docs, "xep-hang/2026-03/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ranking
    # Markdown syntax in names is shown as text
    proc = read(docs, "thu-tuc/1.000002/index.md")
    assert "# Cấp phép \\*xây dựng\\*" in proc


def test_ranking_lists_every_level_and_unranked_units(site):
    con, docs, _, _ = site
    text = read(docs, "xep-hang/index.md")
    assert "Xếp hạng tháng 3/2026" in text
    assert text.count('class="mb-sortable"') == 2  # departments, communes
    for a in ("A", "B", "X", "C"):
        assert f'href="../co-quan/{slug_of(con, a)}/"' in text
    # D was merged into C on 1 February: in the January ranking it is ranked; later not listed
    # unless it still had dossiers to handle
    assert 'href="2026-01/"' in text and 'href="2026-Q1/"' in text
    january = read(docs, "xep-hang/2026-01/index.md")
    assert slug_of(con, "D") in january


def test_incomplete_period_is_marked_and_not_the_default(tmp_path):
    # As of 20 March, March is not over: the hub shows February, March says so.
    con, docs, _, _ = build_site(tmp_path, as_of="2026-03-20")
    assert "Xếp hạng tháng 2/2026" in read(docs, "xep-hang/index.md")
    march = read(docs, "xep-hang/2026-03/index.md")
    assert "tháng 3/2026 (chưa trọn kỳ)" in march
    assert front_matter(march)["title"] == "Xếp hạng tháng 3/2026 (chưa trọn kỳ)"
    assert 'href="2026-03/">3</a> (chưa trọn kỳ)' in read(docs, "xep-hang/index.md")
    assert "tháng 2/2026" in read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")


def test_merged_units_link_both_ways(site):
    con, docs, _, _ = site
    old = read(docs, f"co-quan/{slug_of(con, 'D')}/index.md")
    new = read(docs, f"co-quan/{slug_of(con, 'C')}/index.md")
    assert f"co-quan/{slug_of(con, 'C')}/index.md" in old
    assert "01/02/2026" in old
    assert f"co-quan/{slug_of(con, 'D')}/index.md" in new
    assert "Xã Cũ \\| Tây" in new  # `|` escaped in Markdown


def test_navigation_has_hub_pages_only(site):
    _, docs, nav, _ = site
    paths = [next(iter(item.values())) for item in nav]
    assert paths == [
        "index.md",
        "xep-hang/index.md",
        "du-lieu/index.md",
        "phuong-phap/index.md",
        "chat-luong-du-lieu/index.md",
        "lich-su/index.md",
    ]
    assert not any(p.startswith(("co-quan/", "thu-tuc/")) for p in paths)
    assert all((docs / p).is_file() for p in paths)


def test_charts_are_rendered_once_for_the_whole_site(site):
    con, docs, _, recorder = site
    assert len(recorder.calls) == 1
    jobs = recorder.calls[0]
    dirs = {p for p, _ in jobs}
    assert docs / f"co-quan/{slug_of(con, 'A')}" in dirs
    assert docs / "thu-tuc/1.000001" in dirs
    assert docs in dirs  # the home page
    unit = read(docs, f"co-quan/{slug_of(con, 'A')}/index.md")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in unit
    # a figure is a raw HTML block: a blank line before and after
    assert "\n\n<figure" in unit and "</figure>\n\n" in unit


def test_home_page_says_when_data_are_synthetic(site, tmp_path):
    _, docs, _, _ = site
    home = read(docs, "index.md")
    assert "Dữ liệu giả lập" in home
    assert "Xếp hạng" in home and "xep-hang/index.md" in home
    assert "tháng 3/2026" in home
    _, docs, _, _ = build_site(tmp_path, synthetic=False)
    assert "giả lập" not in read(docs, "index.md")


def test_downloads_page_lists_every_dataset(site):
    _, docs, _, _ = site
    text = read(docs, "du-lieu/index.md")
    for spec in downloads.DATASETS:
        for ext in ("csv", "json", "parquet"):
            assert f"({spec.name}.{ext})" in text
    assert f"({downloads.ZIP_NAME})" in text and f"({downloads.DATAPACKAGE_NAME})" in text
    assert "CC-BY-4.0" in text and "qd766-v1" in text and "31/03/2026" in text


def test_methodology_page_is_the_editors_template(site):
    _, docs, _, _ = site
    text = read(docs, "phuong-phap/index.md")
    assert text.startswith("---\ntitle: Phương pháp tính")
    assert "Xuất sắc" in text and "qd766-v1" in text


def test_figures_can_be_kept_out_of_mkdocs_and_spliced_back(tmp_path):
    """With figures_dir, pages carry a mark; splice_figures puts the figure in the built page."""
    con = build_db(
        {"agencies": AGENCIES, "procedures": PROCEDURES, "dossiers": DOSSIERS},
        as_of="2026-03-31",
    )
    ctx = make_ctx(tmp_path, synthetic=True)
    docs, figures = tmp_path / "docs", tmp_path / "figures"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages.charts, "render_figures", ChartRecorder())
        pages.render_all(con, docs, ctx, figures_dir=figures)
    unit_dir = f"co-quan/{slug_of(con, 'A')}"
    unit = read(docs, f"{unit_dir}/index.md")
    assert "<!--mb-figure:nhom-diem-->" in unit and "<figure" not in unit
    assert (figures / unit_dir / "nhom-diem.html").is_file()
    # a stand-in for the built site: one index.html per page
    site = tmp_path / "site"
    for md in docs.rglob("index.md"):
        html = site / md.parent.relative_to(docs) / "index.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(md.read_text(encoding="utf-8"), encoding="utf-8")
    placed = pages.splice_figures(site, figures)
    assert placed == len(list(figures.rglob("*.html")))
    built = (site / unit_dir / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in built
    assert "<!--mb-figure:" not in built
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-xu-huong">' in home


def test_pages_build_with_mkdocs_without_warnings(tmp_path):
    """The pages through MkDocs and the theme, as the pipeline builds them (the figures kept
    aside and spliced back): no warning (every Markdown link resolves), names stay text."""
    import logging
    import os

    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path(__file__).resolve().parent.parent
    for name in ("mkdocs.yml", "site_src", "minhbach"):
        (tmp_path / name).symlink_to(root / name)
    docs, figures, site = tmp_path / "build" / "docs", tmp_path / "figures", tmp_path / "site"
    con = build_db(
        {"agencies": AGENCIES, "procedures": PROCEDURES, "dossiers": DOSSIERS},
        as_of="2026-03-31",
    )
    ctx = make_ctx(tmp_path, synthetic=True)
    ctx.datasets = downloads.write_downloads(
        con,
        docs / "du-lieu",
        meta=downloads.DownloadMeta(
            province_name=ctx.province_name,
            as_of=ctx.as_of,
            build_time=ctx.build_time,
            rule_set=ctx.settings.rule_set,
            synthetic=True,
        ),
    )
    downloads.write_unit_csvs(con, docs)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages.charts, "render_figures", ChartRecorder())
        nav = pages.render_all(con, docs, ctx, figures_dir=figures)
    config = {
        "INHERIT": "../mkdocs.yml",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "site_name": "Minh bạch · Tỉnh Thử",
        "site_url": "https://example.org/minhbach/",
        "nav": nav,
        "extra": {
            "province_name": "Tỉnh Thử",
            "synthetic": True,
            "as_of": "31/03/2026",
            "build_time": "02/04/2026 03:40",
            "rule_set": "qd766-v1",
        },
    }
    config_file = tmp_path / "build" / "mkdocs-test.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    warnings: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    handler = Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(load_config(config_file=str(config_file)))
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert warnings == []
    assert pages.splice_figures(site, figures) > 0

    unit = (site / "co-quan" / slug_of(con, "X") / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in unit
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unit
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text, html
        assert "<!--mb-figure:" not in text, html
    a = (site / "co-quan" / slug_of(con, "A") / "index.html").read_text(encoding="utf-8")
    assert '<figure class="mb-chart" id="hinh-nhom-diem">' in a
    ranking = (site / "xep-hang" / "index.html").read_text(encoding="utf-8")
    assert 'class="tabbed-set tabbed-alternate"' in ranking and "<p><div" not in ranking
