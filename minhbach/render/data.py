"""The downloads page ``/du-lieu/``: every dataset the downloads stage wrote (its description,
columns, row count and files: CSV, JSON, Parquet, XLSX), the data package descriptor and zip,
how to cite, the licence; and the data dictionary of the other files a reader can download:
each unit's CSV (the contract of ``page_unit_csv``), the CSV of every chart (its columns from
the figures registered with the writer, which are drawn beside their pages) and the release
snapshots of ``/lich-su/`` (``release.json``'s fields)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..publish import datapackage, downloads
from ..publish.datasets import unit_csv
from ..publish.releases.release import FEED_XML, HISTORY_DIR, INDEX_JSON, RELEASE_FIELDS
from .context import PageContext
from .writer import Writer

# What the values of a chart CSV's column are, by the column's format (charts.Col.fmt).
CHART_VALUE_TEXT = {
    "num": "số (đếm), số nguyên",
    "pct": "tỷ lệ phần trăm (0–100), dấu chấm thập phân",
    "pts": "điểm, dấu chấm thập phân",
    "days": "số ngày, dấu chấm thập phân",
    "period": "kỳ: tháng YYYY-MM, quý YYYY-Qn hoặc năm YYYY",
    "text": "văn bản",
}
# The pages a chart is on, by the first folder of its page's path.
CHART_PAGES = {
    "": "trang chủ",
    "co-quan": "trang của từng cơ quan, đơn vị",
    "thu-tuc": "trang của từng thủ tục",
    "xep-hang": "trang xếp hạng",
    "toan-quoc": "trang Toàn quốc",
    "danh-gia-cong": "trang Điểm theo Cổng DVCQG",
    "kiem-tra-tu-xa": "trang Kiểm tra từ xa",
}


@dataclass(frozen=True)
class DataContext(PageContext):
    TEMPLATE = "du-lieu.md.j2"

    datasets: tuple  # DatasetInfo, in the downloads' order
    package: dict  # the descriptor and the zip by format ("json", "zip"); empty when absent
    compressed: tuple  # the names of the datasets published gzipped
    compress_over: int  # the CSV size (bytes) above which a dataset is gzipped
    site_url: str
    license: datapackage.License
    unit_csv: dict | None  # {title, grain, columns: ({name, type, description}, …)}; None
    # when the build writes no unit CSV (no dossiers)
    charts: tuple  # one per chart id: {id, title, pages, files, example, columns}
    releases: dict  # {dir, index, feed, fields: ((field, meaning), …)}


def unit_csv_dictionary(infos: Sequence) -> dict | None:
    """The columns of a unit's own CSV (the contract of ``page_unit_csv``), each described as
    the published table it comes from describes it (agency_period_metrics, then scores_766);
    None when that table is not published (a build without dossiers writes no unit CSV)."""
    by_name = {i.name: i for i in infos}
    sources = [by_name[n] for n in ("agency_period_metrics", "scores_766") if n in by_name]
    if not sources or sources[0].name != "agency_period_metrics":
        return None
    spec = unit_csv()
    described: dict[str, str] = {}
    for info in reversed(sources):  # agency_period_metrics' words win
        described |= {c.name: c.description for c in info.columns}
    return {
        "title": spec.title,
        "grain": spec.grain,
        "columns": tuple(
            {
                "name": c.name,
                "type": c.type,
                "description": described.get(c.name, ""),
                "source": next(
                    (s.name for s in sources if c.name in {x.name for x in s.columns}), ""
                ),
            }
            for c in spec.columns
        ),
    }


def chart_dictionary(w: Writer) -> tuple[dict, ...]:
    """One entry per chart id among the figures registered so far (every page with charts is
    registered before this one): its title, the pages it is on, how many CSV files it has,
    the address of one of them, and its columns (key, header, meaning of the values), the union
    over its drawings in order of first appearance."""
    charts: dict[str, dict] = {}
    for page_dir, figure in w.jobs:
        folder = page_dir.relative_to(w.docs).as_posix()
        entry = charts.setdefault(
            figure.id,
            {
                "id": figure.id,
                "title": figure.title,
                "pages": [],
                "files": 0,
                "example": f"{folder}/{figure.id}.csv".removeprefix("./").lstrip("/"),
                "columns": {},
            },
        )
        entry["files"] += 1
        top = folder.split("/")[0] if folder != "." else ""
        where = CHART_PAGES.get(top, f"trang /{top}/")
        if where and where not in entry["pages"]:
            entry["pages"].append(where)
        for c in figure.columns:
            entry["columns"].setdefault(
                c.key,
                {
                    "key": c.key,
                    "header": c.header,
                    "meaning": CHART_VALUE_TEXT.get(c.fmt, "văn bản"),
                },
            )
    return tuple(
        e | {"pages": tuple(e["pages"]), "columns": tuple(e["columns"].values())}
        for e in sorted(charts.values(), key=lambda e: e["id"])
    )


def render_data(w: Writer, datasets: Sequence) -> None:
    package = datapackage.package_files(w.docs / "du-lieu")
    w.page(
        "du-lieu/index.md",
        DataContext(
            datasets=tuple(datasets),
            package={f.format: f for f in package},
            compressed=tuple(d.name for d in datasets if d.file("csv").compression),
            compress_over=downloads.COMPRESS_OVER,
            site_url=w.info.site_url,
            license=datapackage.CC_BY_4,
            unit_csv=unit_csv_dictionary(datasets),
            charts=chart_dictionary(w),
            releases={
                "dir": HISTORY_DIR,
                "index": INDEX_JSON,
                "feed": FEED_XML,
                "fields": RELEASE_FIELDS,
            },
        ),
    )
