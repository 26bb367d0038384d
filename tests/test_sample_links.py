"""The site that `make site` built from the bundled sample (make test builds it first): no
procedure or unit page is an orphan, every one is linked from another page of the site (the
indexes /thu-tuc/ and /co-quan/ list them all, without JavaScript)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"

_HREF = re.compile(r'<a\s[^>]*?href="([^"#?]*)[^"]*"', re.IGNORECASE)


def linked_from_elsewhere(site: Path) -> set[str]:
    """The folders (relative to ``site``, like ``co-quan/x``) that some page links to, a page's
    links to itself aside."""
    found: set[str] = set()
    for page in site.rglob("index.html"):
        here = page.parent.relative_to(site).as_posix()
        here = "" if here == "." else here
        for href in _HREF.findall(page.read_text(encoding="utf-8")):
            if not href or ":" in href or href.startswith("/"):
                continue
            target = posixpath.normpath(posixpath.join(here, href)).removesuffix("/index.html")
            if target != (here or "."):
                found.add(target)
    return found


def orphans(site: Path) -> list[str]:
    """The procedure and unit pages no other page links to."""
    pages = [
        p.parent.relative_to(site).as_posix()
        for kind in ("thu-tuc", "co-quan")
        for p in sorted((site / kind).glob("*/index.html"))
    ]
    assert pages, "no procedure or unit page"
    linked = linked_from_elsewhere(site)
    return [p for p in pages if p not in linked]


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("site/ is not built: run `make site` (make test does it first)")
    return SITE


def test_no_procedure_or_unit_page_is_an_orphan(site):
    assert orphans(site) == []


def test_the_indexes_are_reached_from_the_home_page(site):
    home = site / "index.html"
    linked = {posixpath.normpath(h) for h in _HREF.findall(home.read_text(encoding="utf-8")) if h}
    assert {"thu-tuc", "co-quan"} <= linked


def test_an_orphan_is_found(tmp_path):
    # a unit page nothing links to, a procedure page linked only from itself
    for folder, body in {
        ".": '<a href="thu-tuc/">x</a> <a href="co-quan/a/">A</a>',
        "thu-tuc": '<a href="../thu-tuc/1.1/">1.1</a>',
        "thu-tuc/1.1": '<a href="./">self</a> <a href="../2.2/">2.2</a>',
        "thu-tuc/2.2": '<a href="../../thu-tuc/2.2/">self</a>',
        "co-quan/a": "",
        "co-quan/b": '<a href="../b/">self</a>',
    }.items():
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text(body, encoding="utf-8")
    assert orphans(tmp_path) == ["co-quan/b"]


def procedure_pages_that_bury_the_days(site: Path) -> list[str]:
    """The procedure pages with dossiers (key-figure cards) that do not open with the real
    processing days (the lead and the median card before the first table), or that say no unit
    handles the procedure under a card counting its dossiers."""
    bad = []
    for page in sorted((site / "thu-tuc").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        if "mb-kpi" not in text:
            continue
        first_table = text.find("<table")
        days = text.find("Thời gian giải quyết thực tế: trung vị")
        if (
            "Không đơn vị nào tiếp nhận" in text
            or not 0 <= text.find('class="mb-lead"') < first_table
            or not 0 <= days < first_table
        ):
            bad.append(page.parent.name)
    return bad


def test_procedure_pages_open_with_the_real_days_and_list_who_handles_them(site):
    assert procedure_pages_that_bury_the_days(site) == []
