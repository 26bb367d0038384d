"""A site built from portal files alone whose names carry script payloads (issue 10's rule,
for the portal's pages of issue 12): provinces, units, metric names and the portal's data-quality
messages are untrusted text. Nothing runs in Chromium on any portal page or the search; no
built file holds a payload as markup; the names read as written."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from buildkit import run_build

from .conftest import attach_recorder, serve_folder
from .test_payload import (
    DOM_PAYLOADS,
    RAW_MARKUP,
    TWICE_ESCAPED,
    _markup_files,
    handlers_in,
    hover_charts,
)

PROVINCE = "UBND tỉnh <img src=x onerror=alert(21)> [Thử](javascript:alert(22))"
OTHER = 'UBND tỉnh "><svg onload=alert(23)> Khác'
DEPARTMENT = "Sở </script><script>alert(24)</script> Y tế *đậm*{: onclick=alert(25) }"
COMMUNE = "Xã <b onmouseover=alert(26)>An</b> & Bình {{7*7}}"
METRIC = "Tỷ lệ <img src=x onerror=alert(27)> đúng hạn"
MESSAGE = "<a href=javascript:alert(28)>bấm</a>"
GROUPS = {"CKMB": 10.0, "TDGQ": 15.0, "CLGQ": 8.0, "TTTT": 6.0, "MDSH": 10.0, "MDHL": 12.0}
META = {"provinceCode": "H99", "timeType": "year", "year": 2026, "period": None}


def _unit(code: str, name: str, child: str, details: bool = False) -> dict:
    found = {
        "departmentId": f"id-{code}",
        "departmentName": name,
        "departmentCode": code,
        "childGroup": child,
        "totalScore": 61.0,
        "groupScores": {**GROUPS, "ONLINE": GROUPS["CLGQ"]},
    }
    if details:
        metric = {
            "code": "PUBLISH_ON_TIME", "name": METRIC, "numerator": 3, "denominator": 4,
            "ratio": 75.0, "score": 4.5, "maxScore": 6,
            "dataQualityStatus": "TEMP", "dataQualityMessage": MESSAGE,
        }  # fmt: skip
        found["componentIndicators"] = {
            "CKMB_CongKhaiMinhBach": {"score": 10.0, "maxScore": 18, "metrics": [metric]}
        }
    return found


def write_portal_only(folder: Path) -> Path:
    """A data folder with the portal's files and no export table."""
    portal = folder / "portal"
    portal.mkdir(parents=True)
    overview = {"departmentName": PROVINCE, "departmentCode": "H99", "totalScore": 61.0}
    national = {
        "metadata": {**META, "extractedAt": "2026-10-01T03:00:00Z"},
        "overview": {"departmentName": "Cả nước", "totalScore": 60.0},
        "evaluation": [
            {"departmentId": "p1", "departmentName": PROVINCE, "departmentCode": "H99",
             "totalScore": 61.0, "groupScores": GROUPS},
            {"departmentId": "p2", "departmentName": OTHER, "departmentCode": "H98",
             "totalScore": 59.0, "groupScores": GROUPS},
        ],
    }  # fmt: skip
    units = {
        "metadata": {**META, "extractedAt": "2026-10-02T03:00:00Z"},
        "overview": {**overview, "groupScores": GROUPS},
        "agencies": [_unit("H99.01", DEPARTMENT, "AGENCY")],
        "communes": [_unit("H99.101", COMMUNE, "COMMUNE")],
    }
    details = {
        "metadata": {**META, "extractedAt": "2026-10-02T03:00:05Z"},
        "overview": overview,
        "unitsDetail": [
            _unit("H99.01", DEPARTMENT, "AGENCY", details=True),
            _unit("H99.101", COMMUNE, "COMMUNE", details=True),
        ],
    }
    for name, document in {"national.json": national, "units.json": units,
                           "details.json": details}.items():  # fmt: skip
        (portal / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def portal_payload_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("portal-payload")
    out = base / "site"
    result = run_build(write_portal_only(base / "data"), out, "--releases", "none", "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_portal_pages_hold_no_payload_markup(portal_payload_site):
    files = _markup_files(portal_payload_site)
    assert any("danh-gia-cong" in str(p) for p in files)
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        problems = {raw for raw in RAW_MARKUP if raw.lower() in text.lower()}
        if path.suffix in (".html", ".svg"):
            problems |= set(handlers_in(text))
        elif path.name == "search_index.json":
            for doc in json.loads(text)["docs"]:
                problems |= set(handlers_in(doc["title"]) + handlers_in(doc["text"]))
        problems |= {f"escaped twice: {m.group(0)}" for m in TWICE_ESCAPED.finditer(text)}
        found += [f"{path.relative_to(portal_payload_site)}: {p!r}" for p in sorted(problems)]
    assert not found, "\n".join(found)


@pytest.fixture(scope="session")
def portal_payload_url(portal_payload_site):
    with serve_folder(portal_payload_site) as url:
        yield url


PAGES = ["/", "/toan-quoc/", "/danh-gia-cong/", "/danh-gia-cong/h99/",
         "/danh-gia-cong/h99-01/", "/danh-gia-cong/h99-101/", "/danh-gia-cong/h98/",
         "/chat-luong-du-lieu/", "/du-lieu/"]  # fmt: skip


def test_no_payload_runs_on_any_portal_page_or_in_the_search(browser, portal_payload_url):
    context = browser.new_context(base_url=portal_payload_url, locale="vi-VN")
    recorder = attach_recorder(context)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for path in PAGES:
            page.goto(portal_payload_url + path, wait_until="load")
            hover_charts(SimpleNamespace(page=page))  # the national chart's tooltips
            assert not dialogs, f"{path}: a payload ran: {dialogs}"
            assert not page.evaluate(DOM_PAYLOADS), path
        page.goto(portal_payload_url + "/danh-gia-cong/h99-01/", wait_until="load")
        heading = " ".join(page.locator("h1").first.inner_text().split()).rstrip("¶").strip()
        assert heading == " ".join(DEPARTMENT.split())
        assert METRIC in page.locator("table").nth(1).inner_text()
        for name in (PROVINCE, DEPARTMENT, COMMUNE):
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.locator(".md-search__input").fill(name)
            page.wait_for_timeout(300)
            assert not dialogs and not page.evaluate(DOM_PAYLOADS), name
            page.keyboard.press("Escape")
        recorder.assert_clean("portal payload pages")
    finally:
        context.close()
