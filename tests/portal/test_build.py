"""A whole build with a portal/ folder (the real captures) beside a tiny export: the portal's
tables join the downloads, the data package, /du-lieu/ and the release snapshot through their
contracts, the data-quality page counts the portal's files and lists its own inconsistencies,
and agencies.portal_code links a one-stop unit to its portal entry."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from buildkit import AGENCIES, run_build, write_export

from .test_real import REAL

PORTAL = ("portal_units", "portal_scores", "portal_metrics", "portal_provinces", "portal_checks")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("portal-build")
    data = write_export(base / "data")
    lines = AGENCIES.splitlines()  # Sở Tư pháp is the portal's H21.09 here
    lines[0] += ",portal_code"
    lines[1:] = [line + (",H21.09" if line.startswith("000.00.01") else ",") for line in lines[1:]]
    (data / "agencies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(REAL, data / "portal")
    out, archive = base / "site", base / "releases"
    result = run_build(data, out, "--as-of", "2026-03-31", "--releases", str(archive))
    assert result.returncode == 0, result.stderr
    return out, archive


def test_the_portal_tables_are_downloads_in_the_data_package(built):
    out, _ = built
    du_lieu = out / "du-lieu"
    for name in PORTAL:
        for ext in ("csv", "json", "parquet"):
            assert (du_lieu / f"{name}.{ext}").is_file(), (name, ext)
    package = json.loads((du_lieu / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    # official_vs_recomputed too (empty here: the captures are not of the as-of date)
    assert names[-6:] == [*PORTAL, "official_vs_recomputed"] and len(names) == 12
    page = (du_lieu / "index.html").read_text(encoding="utf-8")
    assert all(f"{name}.csv" in page for name in PORTAL)


def test_the_release_snapshot_holds_them(built):
    _, archive = built
    (release,) = archive.glob("*/release.json")
    tables = json.loads(release.read_text(encoding="utf-8"))["tables"]
    assert set(PORTAL) < set(tables)
    assert tables["portal_checks"]["rows"] == 2 and tables["portal_provinces"]["rows"] == 34


def test_portal_code_links_a_unit(built):
    out, _ = built
    text = (out / "du-lieu" / "portal_units.csv").read_text(encoding="utf-8-sig")
    linked = {r["portal_code"]: r["agency_id"] for r in csv.DictReader(io.StringIO(text))}
    assert {code: a for code, a in linked.items() if a} == {"H21.09": "000.00.01.Z99"}
    assert len(linked) == 34 + 14 + 135


def test_the_quality_page_counts_the_portal_and_lists_its_inconsistencies(built):
    out, _ = built
    page = (out / "chat-luong-du-lieu" / "index.html").read_text(encoding="utf-8")
    # six JSON files, 366 unit entries and overviews
    row = page.split("<td>Đánh giá của Cổng Dịch vụ công quốc gia (portal)</td>")[1]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.split("</tr>")[0])
    assert cells == ["có", "6", "366", "0", "0,00%"]
    assert "Số liệu của Cổng Dịch vụ công quốc gia không khớp" in page
    assert "Có\n2 chỗ không khớp;" in page
    assert page.count("Điểm nhóm vượt điểm tối đa") == 2
    assert "Sở Dân tộc và Tôn giáo - tỉnh Gia Lai (H21.01)" in page
    assert "18,28" in page and "18,02" in page and "+0,28" in page
