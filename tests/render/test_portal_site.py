"""A site built from the portal's real captures alone (real.toml, as `make real` builds it): the
national view and Gia Lai's 149 units equal the captures to the last digit, every page names its
source and capture dates, no synthetic banner, no page or download that needs dossiers.

The expected figures are read from the JSON captures here, directly (never through minhbach's
reader), and formatted as a Vietnamese reader sees them (68,32)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from minhbach import pipeline
from minhbach.config import ROOT

REAL = ROOT / "data" / "real" / "portal-766"
GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")


def vn(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def cells(html: str) -> list[list[str]]:
    """The table rows of a page, each a list of its cells' text."""
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in found])
    return rows


def entries(path: Path, member: str) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("data", data)[member]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    pipeline.run(out=out, config=ROOT / "real.toml", quiet=True, releases_dir=False)
    return out


def test_national_view_is_the_portals_ranking_to_the_last_digit(real_site):
    provinces = entries(REAL / "national_2026-09-17.json", "evaluation")
    assert len(provinces) == 34
    html = (real_site / "toan-quoc" / "index.html").read_text(encoding="utf-8")
    rows = [r for r in cells(html) if len(r) == 10 and r[0].isdigit()]
    names = [r[2].removesuffix(" (có điểm từng đơn vị)") for r in rows]
    assert names == [p["departmentName"] for p in provinces]  # in the portal's order
    for r, p in zip(rows, provinces, strict=True):
        assert r[3] == vn(p["totalScore"])
        assert r[4:] == [vn(p["groupScores"][g]) for g in GROUPS]


def test_every_gia_lai_unit_has_its_page_with_the_captured_scores(real_site):
    units = entries(REAL / "gia-lai" / "agencies_2026-10-10.json", "agencies") + entries(
        REAL / "gia-lai" / "communes_2026-10-10.json", "communes"
    )
    assert len(units) == 149
    for u in units:
        slug = re.sub(r"[^a-z0-9]+", "-", u["departmentCode"].lower()).strip("-")
        html = (real_site / "danh-gia-cong" / slug / "index.html").read_text(encoding="utf-8")
        table = html[html.index('id="nhom"') :].split("</table>")[0]  # the six groups
        groups = {r[0].split(" – ")[0]: r[1] for r in cells(table) if len(r) == 3}
        published = u["groupScores"] | {"CLGQ": u["groupScores"].get("ONLINE")}
        assert groups["Tổng"] == vn(u["totalScore"]), u["departmentCode"]
        assert [groups[g] for g in GROUPS] == [vn(published[g]) for g in GROUPS]


def test_gia_lai_page_ranks_its_departments_and_communes(real_site):
    html = (real_site / "danh-gia-cong" / "h21" / "index.html").read_text(encoding="utf-8")
    assert "Sở, ban, ngành: 14 đơn vị" in unescape(html)
    assert "Cấp xã: 135 đơn vị" in unescape(html)


def test_every_page_names_the_portal_and_the_capture_dates_and_none_is_synthetic(real_site):
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 180
    for page in pages:
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert "Nguồn: Cổng Dịch vụ công quốc gia (bản chụp 17/09/2026 – 10/10/2026)" in html, page
        assert "mb-synthetic" not in html and "giả lập" not in html, page


def test_no_page_or_download_needs_dossiers(real_site):
    assert not (real_site / "xep-hang").exists()
    assert not (real_site / "thu-tuc").exists()
    assert not (real_site / "co-quan").exists()
    downloads = {p.stem for p in (real_site / "du-lieu").glob("*.csv")}
    assert downloads and all(
        d.startswith("portal_") or d == "official_vs_recomputed" for d in downloads
    ), downloads
    home = unescape((real_site / "index.html").read_text(encoding="utf-8"))
    assert "chỉ từ số liệu Cổng Dịch vụ công quốc gia công bố" in home
    assert "gia-lai/details_2026-10-10.json" in home  # the files it is built from
