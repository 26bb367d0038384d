"""MkDocs hooks of the minhbach theme (listed under `hooks:` in the top-level mkdocs.yml).

MkDocs loads this file by path, outside the package, so it imports nothing from minhbach.

- on_config: normalises the `extra:` keys the templates read (strings; `synthetic` a bool),
  makes heading anchors diacritic-free (`## Đơn vị tốt nhất` -> `#don-vi-tot-nhat`) and turns
  the site name into Markup, escaped here once (see below).
- on_page_markdown: a page's front-matter title (plain text) becomes Markup, escaped once.
  The site name and the page titles come from the data (a province or unit name); Material
  prints them unescaped in places (the header, the navigation drawer, aria-labels, the search
  index) and with `| e` in others. As Markup they print escaped in the first and are left as
  they are by `| e` in the second: escaped exactly once everywhere.
- on_page_content / on_page_context: pages under COMPACT_SEARCH_PREFIXES reach the
  search plugin without their body (it would parse thousands of scorecards only for the index
  to drop them, see below); the body is put back before the theme renders the page. Also
  remembers each page's front-matter description.
- on_post_build:
  1. keeps the search index small: pages under co-quan/, thu-tuc/, xep-hang/ and
     danh-gia-cong/ (thousands of scorecards full of numbers) are indexed by title and
     description only, one entry a page;
  2. checks that diacritics-insensitive search is really in the built site. The folding lives in
     site_src/overrides/assets/javascripts/lunr/min/lunr.vi.min.js, which replaces the theme's
     file of that name; Material's search worker loads it because the search language is `vi`.
     A Material upgrade that renamed that file or stopped loading it would silently bring back
     accent-sensitive search, so the build fails instead.
"""

from __future__ import annotations

import html
import json
import logging
import re
import unicodedata
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.minhbach")

EXTRA_TEXT_KEYS = ("province_name", "as_of", "build_time", "rule_set")
TRUE_WORDS = {"1", "true", "yes", "on", "có"}
FOLD_FILE = Path("assets/javascripts/lunr/min/lunr.vi.min.js")
FOLD_MARKER = "minhbach: Vietnamese for Material for MkDocs' search"
# URL prefixes whose pages are searched by title and description only (the portal's unit pages
# too: a national site has thousands).
COMPACT_SEARCH_PREFIXES = ("co-quan/", "thu-tuc/", "xep-hang/", "danh-gia-cong/")

_descriptions: dict[str, str] = {}
_titles: dict[str, str] = {}  # each page's front-matter title, as written


def fold(value: str) -> str:
    """Vietnamese text without diacritics: 'Sở Tư pháp Đông Hòa' -> 'So Tu phap Dong Hoa'."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def slugify(value: str, separator: str = "-") -> str:
    """Heading anchors: Python-Markdown's slugify, with Vietnamese folded first (đ -> d)."""
    value = unicodedata.normalize("NFKD", fold(value)).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, value)


def on_config(config, **kwargs):
    extra = config.extra
    for key in EXTRA_TEXT_KEYS:
        value = extra.get(key)
        extra[key] = "" if value is None else str(value)
    synthetic = extra.get("synthetic", False)
    if isinstance(synthetic, str):
        synthetic = synthetic.strip().lower() in TRUE_WORDS
    extra["synthetic"] = bool(synthetic)
    config["site_name"] = escape(config.site_name or "")

    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("slugify", slugify)
    return config


_bodies: dict[str, str] = {}


def on_pre_build(config, **kwargs):
    _descriptions.clear()
    _titles.clear()
    _bodies.clear()


def on_page_markdown(markdown, page, config, files, **kwargs):
    title = page.meta.get("title")
    if title is not None:
        _titles[page.url] = str(title)
        page.meta["title"] = escape(str(title))
    return markdown


def on_page_content(html_text, page, config, files, **kwargs):
    if page.url.startswith(COMPACT_SEARCH_PREFIXES):
        _bodies[page.url] = html_text
        # (not empty: the search plugin indexes nothing for a page with no body)
        return f"<p>{escape(page.meta.get('description') or page.title or '')}</p>"
    return html_text


def on_page_context(context, page, config, nav, **kwargs):
    _descriptions[page.url] = str(page.meta.get("description") or "")
    if page.url in _bodies:
        page.content = _bodies.pop(page.url)
    return context


def compact_search_index(
    data: dict,
    descriptions: dict[str, str],
    prefixes: tuple[str, ...] = COMPACT_SEARCH_PREFIXES,
    titles: dict[str, str] | None = None,
) -> dict:
    """One entry per page under `prefixes`: its title and description, no section entries.

    A page's entry that the search plugin titled with the page's front-matter title (for want of
    a heading: every page under `prefixes`) gets that title (`titles`: as written) escaped like
    the plugin escapes headings, only `<`, `>` and `&`: Material's result highlighting works on
    the HTML text and can cut an entity such as `&#39;` in two (a query with "3" marks "39")."""
    docs = []
    for doc in data.get("docs", []):
        path, _, anchor = doc.get("location", "").partition("#")
        title = (titles or {}).get(path)
        if not anchor and title is not None and doc.get("title") == str(escape(title)):
            doc = {**doc, "title": html.escape(title, quote=False)}
        if path.startswith(prefixes):
            if anchor:
                continue
            doc = {**doc, "text": html.escape(descriptions.get(path, ""), quote=False)}
        docs.append(doc)
    return {**data, "docs": docs}


def _check_search_folding(site: Path, search) -> None:
    langs = list(search.config.lang or [])
    if langs != ["vi"]:
        raise PluginError(
            f"minhbach: the search language must be exactly ['vi'] (is {langs}); "
            "diacritics-insensitive search depends on it"
        )
    override = site / FOLD_FILE
    if not override.is_file() or FOLD_MARKER not in override.read_text(encoding="utf-8"):
        raise PluginError(
            f"minhbach: {FOLD_FILE} in the built site is not the theme override from "
            "site_src/overrides: search would be sensitive to diacritics"
        )
    workers = sorted((site / "assets/javascripts/workers").glob("search.*.min.js"))
    if not workers or "/min/lunr." not in workers[0].read_text(encoding="utf-8"):
        raise PluginError(
            "minhbach: Material's search worker no longer loads lunr/min/lunr.<lang>.min.js; "
            "update the search override in site_src/overrides"
        )


def on_post_build(config, **kwargs):
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None or not search.config.enabled:
        return
    site = Path(config.site_dir)
    _check_search_folding(site, search)

    index = site / "search" / "search_index.json"
    if not index.is_file():
        raise PluginError(f"minhbach: no search index at {index}")
    data = compact_search_index(
        json.loads(index.read_text(encoding="utf-8")), _descriptions, titles=_titles
    )
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    index.write_text(text, encoding="utf-8")
    log.info(
        f"minhbach: search index {len(text.encode('utf-8')) / 1e6:.2f} MB, "
        f"{len(data['docs'])} entries"
    )
