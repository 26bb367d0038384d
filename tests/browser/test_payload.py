"""A site whose names carry script payloads: nothing runs, every name reads as text (issue 10).

The payload site is built once per session, as users build, from a tiny export (buildkit.py)
whose province-level unit, units, procedures and a procedure's field are named with HTML,
attribute, script, Markdown, attr_list and template payloads, and with a copy of minhbach.toml
whose [province] name is empty: the site's name then comes from the data. It is built twice, a
day apart, so that /lich-su/ and the Atom feed list a release whose summary names the unit added
since, and the unit renamed since leaves a redirect page at its old address.

- Without a browser: no built HTML, XML, SVG or search index holds a payload as
  markup, and nothing is escaped twice (no ``&amp;lt;`` shown to readers).
- In Chromium: every kind of page, the search with each name typed in (and a result followed,
  with its highlighting), every chart hovered. Any dialog fails, as does any element a payload
  could have made (an ``on…`` attribute, a ``javascript:`` link, a script calling ``alert``);
  the names must read exactly as written in the header, the drawer, titles and headings.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from buildkit import DOSSIER_HEADER, ROOT, dossier_rows, run_build

from .conftest import attach_recorder, serve_folder

PROVINCE_ID = "000.00.00.Z99"
PROVINCE = (
    "Tỉnh <img src=x onerror=alert(1)> [Thử](javascript:alert(2)) *Nghiệm*{: onmouseover=alert(3) }"
)
SITE_NAME = f"Minh bạch TTHC – {PROVINCE}"
UNITS = {
    "000.00.01.Z99": 'Sở "><svg onload=alert(4)> Tư pháp',
    "000.00.02.Z99": "Sở </script><script>alert(5)</script> Y tế <!--",
    # A plain name with "&": must read "&", never "&amp;".
    "000.00.03.Z99": "Sở Văn hóa & Thể thao '-alert(6)-' {{7*7}}",
    # Renamed between the two builds: its old address becomes a redirect.
    "000.00.04.Z99": (
        "Xã `mã` javascript:alert(7) <a href=javascript:alert(8)>bấm</a> _nghiêng_ | ống"
    ),
}
FORMER_NAME = ("000.00.04.Z99", "Phòng Tư pháp cũ", "phong-tu-phap-cu")
# In the second build only: the history's summary names it ("thêm 1 đơn vị (…)").
ADDED = ("000.00.05.Z99", "Xã [bấm](javascript:alert(9)) *mới*{: onclick=alert(10) }")
PROCEDURES = {
    "1.001193": "Cấp <img src=x onerror=alert(11)> [x](javascript:alert(12)) phiếu",
    "1.000001": (
        "Thủ tục </script><svg onload=alert(13)> *đậm* _nghiêng_ | ống {: onmouseover=alert(14) }"
    ),
}
FIELD = "Lý lịch <b onmouseover=alert(15)>tư pháp</b>"
NAMES = [PROVINCE, *UNITS.values(), ADDED[1], *PROCEDURES.values()]

# What must never appear in a built page, feed or index except escaped.
RAW_MARKUP = [
    "<img src=x",
    "<svg onload",
    "<script>alert",
    "</script><script>",
    "<b onmouseover",
    "<a href=javascript",
    'href="javascript:',
    "href='javascript:",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
TWICE_ESCAPED = re.compile(r"&amp;(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);", re.I)
AS_OF = "2026-03-31"
TZ = dt.timezone(dt.timedelta(hours=7))
BUILD_DAYS = [dt.datetime(2026, 4, 1, 9, 0, tzinfo=TZ), dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ)]


# --------------------------------------------------------------------------- the payload site


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_payload_export(folder: Path, *, second: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    agencies = [
        ["agency_id", "name", "level", "parent_id", "valid_from", "valid_to", "successor_id"],
        [PROVINCE_ID, PROVINCE, "province", "", "", "", ""],
    ]
    for agency_id, name in UNITS.items():
        if agency_id == FORMER_NAME[0] and not second:
            name = FORMER_NAME[1]
        agencies.append([agency_id, name, "department", PROVINCE_ID, "", "", ""])
    if second:
        agencies.append([ADDED[0], ADDED[1], "commune", PROVINCE_ID, "", "", ""])
    (folder / "agencies.csv").write_text(_csv(agencies), encoding="utf-8")
    fields = {"1.001193": FIELD, "1.000001": "Y tế"}
    limits = {"1.001193": ("4", "10", "1"), "1.000001": ("3", "15", "0")}
    procedures = [["MaTTHC", "TenTTHC", "LinhVuc", "MucDo", "SoNgayGiaiQuyet", "CoPhiLePhi"]]
    for pid, name in PROCEDURES.items():
        procedures.append([pid, name, fields[pid], *limits[pid]])
    (folder / "procedures.csv").write_text(_csv(procedures), encoding="utf-8")
    rows = []
    for i, row in enumerate(dossier_rows(80)):
        unit = "000.00.03.Z99" if i % 5 == 0 else "000.00.04.Z99" if i % 7 == 0 else None
        if second and i % 11 == 0:
            unit = ADDED[0]
        if unit:
            row = row.replace("000.00.01.Z99", unit).replace("000.00.02.Z99", unit)
        rows.append(row)
    (folder / "dossiers.csv").write_text("\n".join([DOSSIER_HEADER, *rows]) + "\n", "utf-8")
    return folder


@dataclass
class PayloadSite:
    root: Path
    units: dict[str, str] = field(default_factory=dict)  # URL path -> the unit's name
    procedures: dict[str, str] = field(default_factory=dict)  # URL path -> the procedure's name

    def pages(self) -> dict[str, list[str]]:
        """Every kind of page, as URL paths."""
        return {
            "home": ["/"],
            "ranking": ["/xep-hang/", "/xep-hang/2026-03/"],
            "unit": list(self.units),
            "procedure": list(self.procedures),
            "downloads": ["/du-lieu/"],
            "methodology": ["/phuong-phap/"],
            "data_quality": ["/chat-luong-du-lieu/"],
            "history": ["/lich-su/"],
            "not_found": ["/404.html"],
            "redirect": [f"/co-quan/{FORMER_NAME[2]}/"],
        }


def _h1(path: Path) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    assert found, f"no h1 in {path}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("¶", "").strip()


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory) -> PayloadSite:
    base = tmp_path_factory.mktemp("payload")
    text = (ROOT / "minhbach.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^name = ".*"$', 'name = ""', text, count=1)
    # Served at the root here: 404.html's links start with the site URL's path.
    text = re.sub(r'(?m)^site_url = ".*"$', 'site_url = "https://example.org/"', text, count=1)
    settings = tomllib.loads(text)["province"]
    assert settings["name"] == "" and settings["site_url"] == "https://example.org/"
    config = base / "minhbach.toml"
    config.write_text(text, encoding="utf-8")
    out = base / "site"
    for number, when in enumerate(BUILD_DAYS):
        data = write_payload_export(base / f"data-{number}", second=number == 1)
        result = run_build(
            data,
            out,
            "--as-of",
            AS_OF,
            "--config",
            str(config),
            "--releases",
            str(base / "releases"),
            "--quiet",
            env={"SOURCE_DATE_EPOCH": str(int(when.timestamp()))},
        )
        assert result.returncode == 0, result.stdout + result.stderr
    site = PayloadSite(out)
    for page in sorted(out.glob("co-quan/*/index.html")):
        if "http-equiv" not in page.read_text(encoding="utf-8")[:2000]:
            site.units[f"/co-quan/{page.parent.name}/"] = _h1(page)
    for page in sorted(out.glob("thu-tuc/*/index.html")):
        site.procedures[f"/thu-tuc/{page.parent.name}/"] = _h1(page)
    return site


# --------------------------------------------------------------------------- without a browser


def _markup_files(root: Path) -> list[Path]:
    """Files a browser reads as markup or whose text the site renders as HTML: pages (with
    their charts' SVG), SVG, feed and sitemap, the search index. (The downloads are data: CSV,
    JSON and Parquet hold the names as written, which is right.)"""
    files = [p for p in root.rglob("*") if p.suffix in (".html", ".xml", ".svg")]
    files += [root / "search" / "search_index.json"]
    return [p for p in files if "assets" not in p.relative_to(root).parts]


class _Handlers(HTMLParser):
    """Elements with an event handler or a javascript: address (an attr_list or a Markdown link
    payload would make them; the names hold "onclick=alert(10)" as text, which is fine)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value or "").lower()
            if name.startswith("on") or (
                name in URL_ATTRIBUTES and squeezed.startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def handlers_in(markup: str) -> list[str]:
    parser = _Handlers()
    parser.feed(markup)
    parser.close()
    return parser.found


def test_every_name_is_on_its_page_as_written(payload_site):
    assert sorted(payload_site.units.values()) == sorted([PROVINCE, *UNITS.values(), ADDED[1]])
    assert sorted(payload_site.procedures.values()) == sorted(PROCEDURES.values())
    redirect = payload_site.root / "co-quan" / FORMER_NAME[2] / "index.html"
    assert redirect.is_file(), "the renamed unit left no redirect"


def test_built_files_hold_no_payload_markup(payload_site):
    files = _markup_files(payload_site.root)
    assert len(files) > 20
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        low = text.lower()
        where = path.relative_to(payload_site.root)
        problems = {raw for raw in RAW_MARKUP if raw.lower() in low}
        if path.suffix in (".html", ".svg"):
            problems |= set(handlers_in(text))
        elif path.name == "search_index.json":
            for doc in json.loads(text)["docs"]:
                problems |= set(handlers_in(doc["title"]) + handlers_in(doc["text"]))
        problems |= {f"escaped twice: {m.group(0)}" for m in TWICE_ESCAPED.finditer(text)}
        found += [f"{where}: {p!r}" for p in sorted(problems)]
    assert not found, "\n".join(found)


def test_search_index_holds_names_as_escaped_text(payload_site):
    data = json.loads((payload_site.root / "search" / "search_index.json").read_text("utf-8"))
    titles = {d["location"]: d["title"] for d in data["docs"]}
    for path, name in {**payload_site.units, **payload_site.procedures}.items():
        title = titles[path.lstrip("/")]
        assert "<" not in title, title  # Material renders the index's titles as HTML
        assert html.unescape(title) == name


def test_feed_and_sitemap_are_well_formed_and_escaped(payload_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(payload_site.root / "lich-su" / "feed.xml").getroot()
    assert feed.findtext(f"{atom}title").endswith(f"– {PROVINCE}")
    assert feed.findtext(f"{atom}author/{atom}name") == f"minhbach – {PROVINCE}"
    summaries = [e.findtext(f"{atom}summary") for e in feed.iter(f"{atom}entry")]
    assert len(summaries) == 2 and ADDED[1] in summaries[0], summaries
    sitemap = ET.parse(payload_site.root / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter() if e.tag.endswith("loc")]
    assert locations and all(re.fullmatch(r"https://[\w./-]+", loc) for loc in locations)


# --------------------------------------------------------------------------- in the browser

DOM_PAYLOADS = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const name = a.name.toLowerCase();
            const value = a.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
            if (name.startsWith('on')) found.push(`<${el.localName} ${a.name}="${a.value}">`);
            if (/(^|:)(href|src|action|formaction|data)$/.test(name)
                    && value.startsWith('javascript:')) {
                found.push(`<${el.localName} ${a.name}="${a.value}">`);
            }
        }
    }
    for (const s of document.scripts) {
        if (/alert\\s*\\(/.test(s.textContent)) found.push(`<script>${s.textContent}</script>`);
    }
    for (const img of document.querySelectorAll('img[src="x"]')) found.push(img.outerHTML);
    return found;
}"""


@dataclass
class Opened:
    page: object
    dialogs: list[str]
    recorder: object

    def assert_harmless(self, what: str) -> None:
        assert not self.dialogs, f"{what}: a payload ran: {self.dialogs}"
        made = self.page.evaluate(DOM_PAYLOADS)
        assert not made, f"{what}: elements made by a payload: {made}"
        self.recorder.assert_clean(what)  # e.g. no request for the image "x"


@pytest.fixture(scope="session")
def payload_url(payload_site) -> str:
    with serve_folder(payload_site.root) as url:
        yield url


@pytest.fixture
def visit(browser, payload_url):
    """visit(path) -> Opened: a fresh context, dialogs recorded (and dismissed)."""
    contexts = []

    def _open(path: str) -> Opened:
        context = browser.new_context(
            base_url=payload_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        recorder = attach_recorder(context)
        page = context.new_page()
        dialogs: list[str] = []

        def on_dialog(dialog):
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(payload_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        return Opened(page, dialogs, recorder)

    yield _open
    for context in contexts:
        context.close()


def _text(page, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def hover_charts(opened: Opened) -> int:
    """Sweep the pointer over every chart (static SVGs, their tooltips are <title>s): the
    tooltips hold the names as text, never as elements."""
    page = opened.page
    count = page.locator("figure.mb-chart").count()
    for i in range(count):
        svg = page.locator("figure.mb-chart .mb-chart-static svg:visible").nth(i)
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box, f"chart {i} has no box"
        for fx in (0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95):
            for fy in (0.2, 0.5, 0.8):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(15)
        inside = svg.evaluate(
            "s => [...s.querySelectorAll('title, desc, text')]"
            ".filter(e => e.querySelector('*:not(tspan)')).length"
        )
        assert inside == 0, f"chart {i}: an element inside a tooltip or a text"
        assert svg.locator("script, foreignObject").count() == 0, f"chart {i}"
    return count


def assert_site_name_reads_as_text(page, what: str) -> None:
    assert _text(page, ".md-header__topic .md-ellipsis") == SITE_NAME, what
    assert page.locator(".md-header .md-logo").get_attribute("aria-label") == SITE_NAME, what
    assert page.locator(".md-header .md-logo").get_attribute("title") == SITE_NAME, what
    drawer = page.locator("label.md-nav__title").first.text_content()
    assert " ".join(drawer.split()) == SITE_NAME, what
    assert page.locator('meta[property="og:site_name"]').get_attribute("content") == SITE_NAME
    assert page.title().endswith(SITE_NAME), f"{what}: <title> {page.title()!r}"
    assert _text(page, ".mb-context__province") == PROVINCE, what
    assert _text(page, ".mb-footer__context strong") == PROVINCE, what


PAGE_KINDS = [
    "home",
    "ranking",
    "unit",
    "procedure",
    "downloads",
    "methodology",
    "data_quality",
    "history",
    "not_found",
    "redirect",
]


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_payload_runs_on_any_page(visit, payload_site, kind):
    names = {**payload_site.units, **payload_site.procedures}
    for path in payload_site.pages()[kind]:
        opened = visit(path)
        page = opened.page
        hover_charts(opened)
        opened.assert_harmless(path)
        assert_site_name_reads_as_text(page, path)
        if kind == "redirect":
            renamed = next(p for p, n in names.items() if n == UNITS[FORMER_NAME[0]])
            assert urlsplit(page.url).path == renamed, page.url
        if path in names:
            name = names[path]
            h1 = " ".join(page.locator("article h1").first.inner_text().replace("¶", "").split())
            assert h1 == name, path
            assert page.title() == f"{name} - {SITE_NAME}", path
            og = page.locator('meta[property="og:title"]').get_attribute("content")
            assert og == name, path
            topic = _text(page, ".md-header__topic[data-md-component=header-topic] .md-ellipsis")
            assert topic == name, path
        if kind == "procedure" and "1.001193" in path:
            assert FIELD in page.locator("article").inner_text(), "the field is not shown as text"


@pytest.mark.browser
def test_names_in_running_text_read_as_written(visit, payload_site):
    """Names inside Markdown (paragraphs, admonitions, table cells, the citation) are text."""
    home = visit("/").page
    assert f"{PROVINCE}: giải quyết thủ tục hành chính" in home.locator("article h1").inner_text()
    method = visit("/phuong-phap/").page.locator("article").inner_text()
    assert f"các cơ quan, đơn vị thuộc {PROVINCE} được công bố" in " ".join(method.split())
    data = visit("/du-lieu/").page.locator("article blockquote").inner_text()
    assert f"Minh bạch TTHC – {PROVINCE}," in " ".join(data.split())
    history = visit("/lich-su/").page.locator("article table").last.inner_text()
    assert ADDED[1] in " ".join(history.split())


# Names whose query Material's search (lunr) cannot read: lunr takes "-" for its "must not
# contain" operator, and "<!--" leaves it with no term after it, so the query finds nothing.
# Typed in, they must run nothing; the name is then searched without its last word.
UNREADABLE_QUERIES = {UNITS["000.00.02.Z99"]: UNITS["000.00.02.Z99"].rsplit(" ", 1)[0]}


def _search(page, query: str, *, key_by_key: bool = False) -> list[str]:
    """Type `query` into the search box (pasted, or `key_by_key`: every prefix is searched);
    the titles (h1) of the pages found, as read."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    if key_by_key:
        box.press_sequentially(query, delay=5)
    else:
        box.fill(query)
        box.press("End")  # the search runs on key events
    page.wait_for_function(
        """q => {
            const input = document.querySelector('.md-search__input');
            const meta = document.querySelector('.md-search-result__meta');
            return input.value === q && meta && !meta.textContent.includes('Đang chuẩn bị');
        }""",
        arg=query,
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    return page.locator(".md-search-result__item > a.md-search-result__link h1").evaluate_all(
        "hs => hs.map(h => h.textContent.replace(/\\s+/g, ' ').trim())"
    )


@pytest.mark.browser
def test_search_with_payload_names_runs_nothing(visit, payload_site):
    index = json.loads((payload_site.root / "search" / "search_index.json").read_text("utf-8"))
    page_titles = {html.unescape(d["title"]) for d in index["docs"] if "#" not in d["location"]}
    opened = visit("/")
    page = opened.page
    for name in NAMES:
        titles = _search(page, name, key_by_key=name == PROVINCE)
        opened.assert_harmless(f"search {name!r}")
        if name in UNREADABLE_QUERIES:
            titles = _search(page, UNREADABLE_QUERIES[name])
            opened.assert_harmless(f"search {UNREADABLE_QUERIES[name]!r}")
        assert name in titles, f"search {name!r}: {titles}"
        # every title reads as written (a highlight must not cut an entity in two)
        assert set(titles) <= page_titles, f"search {name!r}: {set(titles) - page_titles}"
        page.keyboard.press("Escape")
    # A result followed: the page highlights the query's words (search.highlight).
    _search(page, PROCEDURES["1.001193"])
    page.locator(".md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")
    assert "h=" in page.url, page.url
    opened.assert_harmless(f"search result {page.url}")
