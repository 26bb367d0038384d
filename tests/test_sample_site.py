"""The site that `make site` built from the bundled sample (make test builds it first)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("MB_SITE", ROOT / "site"))

# site.md, "Downloads": the key columns of each download, in order (a public contract).
KEY_COLUMNS = {
    "agency_period_metrics": ["agency_id", "agency_name", "level", "period", "period_type"],
    "index_766": [
        "agency_id",
        "period",
        "period_type",
        "group",
        "indicator",
        "numerator",
        "denominator",
        "rate_pct",
        "points",
        "max_points",
        "assessed",
        "rule_set",
    ],
    "scores_766": [
        "agency_id",
        "agency_name",
        "level",
        "period",
        "period_type",
        "CKMB",
        "TDGQ",
        "CLGQ",
        "TTTT",
        "MDSH",
        "MDHL",
        "total",
        "assessed_max",
        "total_100",
        "band",
        "rank",
        "rank_of",
        "official_total",
    ],
    "procedure_metrics": [
        "procedure_id",
        "procedure_name",
        "agency_id",
        "period",
        "period_type",
        "received_new",
        "resolved",
        "on_time_pct",
        "median_days",
        "p90_days",
        "statutory_days",
    ],
    "agencies": [
        "agency_id",
        "name",
        "slug",
        "level",
        "parent_id",
        "valid_from",
        "valid_to",
        "successor_id",
    ],
    "quarantine": ["table", "key", "reason"],
}
FIGURES_06A = [
    "complete", "carried_over", "received_new", "received_online", "received_direct",
    "received_postal", "to_handle", "resolved", "resolved_early", "resolved_on_time",
    "resolved_late", "withdrawn_stopped", "waiting_applicant", "in_progress",
    "in_progress_within", "in_progress_overdue", "refused_at_intake", "postal_uses",
    "on_time_pct", "late_pct", "online_pct", "overdue_open_pct", "satisfied_pct",
]  # fmt: skip


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("site/ is not built: run `make site` (make test does it first)")
    return SITE


def header(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return next(csv.reader(io.StringIO(text.split("\r\n", 1)[0])))


@pytest.mark.parametrize("name", sorted(KEY_COLUMNS))
def test_downloads_have_the_contract_columns_in_every_format(site, name):
    for ext in ("csv", "json", "parquet"):
        assert (site / "du-lieu" / f"{name}.{ext}").stat().st_size > 0
    cols = header(site / "du-lieu" / f"{name}.csv")
    assert cols[: len(KEY_COLUMNS[name])] == KEY_COLUMNS[name]
    if name == "agency_period_metrics":
        assert set(FIGURES_06A) <= set(cols)


def test_downloads_cover_months_quarters_and_years(site):
    text = (site / "du-lieu" / "scores_766.csv").read_text(encoding="utf-8-sig")
    kinds = {row["period_type"] for row in csv.DictReader(io.StringIO(text))}
    assert kinds == {"month", "quarter", "year"}


def test_frictionless_validates_the_data_package(site):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            str(site / "du-lieu" / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_every_page_of_the_sample_says_the_data_are_synthetic(site):
    pages = list(site.rglob("index.html"))
    assert len(pages) > 100
    for page in pages:
        assert "Dữ liệu giả lập" in page.read_text(encoding="utf-8"), page


def test_the_samples_portal_pages_say_their_figures_are_invented(site):
    """The sample's portal files are synthetic too: no page claims the portal published them."""
    pages = [site / "toan-quoc" / "index.html", *(site / "danh-gia-cong").glob("*/index.html")]
    assert len(pages) > 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Số liệu giả lập theo dạng Cổng Dịch vụ công quốc gia" in text, page
        assert "Nguồn: dữ liệu giả lập (cả số liệu theo dạng Cổng Dịch vụ công quốc gia)" in text
        assert "do Cổng Dịch vụ công quốc gia công bố" not in text, page


def test_sample_personal_data_reaches_no_built_file(site):
    # The generator writes fake applicant names, phones and ID numbers into the dossier files.
    sample = ROOT / "data" / "sample" / "dossiers"
    first = sorted(sample.glob("*.csv"))[0]
    rows = list(csv.DictReader(io.StringIO(first.read_text(encoding="utf-8-sig"))))[:50]
    planted = {r[c] for r in rows for c in ("ChuHoSo", "SoDienThoai", "SoGiayToChuHoSo") if r[c]}
    assert len(planted) > 20
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".csv", ".json", ".xml", ".txt"}:
            blob = path.read_text(encoding="utf-8", errors="replace")
            leaked = [v for v in planted if v in blob]
            assert not leaked, f"{path}: {leaked[:3]}"
