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
- on_page_markdown / on_page_content: the page's raw HTML blocks (a block-level element from a
  line start after a blank line to its closing tag before the next blank line, with no
  `markdown` attribute: the tables, cards and lists the templates write as HTML) are set aside
  before Markdown runs and put back, as they were, into its output. Python-Markdown would pass
  them through unchanged, but only after parsing every tag of them (md_in_html), which was most
  of the site's Markdown time; Markdown then sees a one-line placeholder instead.
- on_page_content / on_page_context: pages under COMPACT_SEARCH_PREFIXES reach the
  search plugin without their body (it would parse thousands of scorecards only for the index
  to drop them, see below); the body is put back before the theme renders the page. Also
  remembers each page's front-matter description.
- on_env: gives the theme ``mb_theme_part`` (:func:`theme_part`): site_src/overrides/main.html
  renders the tabs and the navigation once for every page out of the navigation that links to
  the same addresses (the thousands of scorecards), instead of once a page.
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
from mkdocs.utils import normalize_url

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
_set_aside: dict[str, list[str]] = {}  # each page's raw HTML blocks, until its HTML is made

# Block-level elements whose raw blocks are set aside (Python-Markdown's own list holds them all).
RAW_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_BLOCK_START_RE = re.compile(r"<([a-z][a-z0-9]*)(?=[\s>])")
_PLACEHOLDER = '<div class="mb-raw" data-mb-raw="{}"></div>'


def _closes_at_end(block: str, tag: str) -> bool:
    """The block's first element (``tag``) closes at its very end and not before."""
    if not block.rstrip().endswith(f"</{tag}>") or "markdown" in block:
        return False
    depth = 0
    tokens = list(re.finditer(rf"<(/?){tag}(?=[\s>/])", block))
    for k, found in enumerate(tokens):
        depth += -1 if found.group(1) else 1
        if depth == 0 and k != len(tokens) - 1:
            return False
    return depth == 0


def set_aside_raw_html(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each raw HTML block replaced by a placeholder, and the blocks. A block
    starts at a line beginning with a block-level tag after a blank line (not in a fenced code
    block) and runs to the next blank line; it is set aside only when its first element closes
    exactly there and it has no ``markdown`` attribute (md_in_html would parse its inside)."""
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE_RE.match(line)
        if fence:
            if line.startswith(fence) and line.strip() == line.strip()[0] * len(line.strip()):
                fence = ""
        elif opened:
            fence = opened.group(1)
        else:
            start = _BLOCK_START_RE.match(line)
            if start and start.group(1) in RAW_BLOCK_TAGS and (i == 0 or not lines[i - 1].strip()):
                end = i
                while end < len(lines) and lines[end].strip():
                    end += 1
                block = "\n".join(lines[i:end])
                if _closes_at_end(block, start.group(1)):
                    out.append(_PLACEHOLDER.format(len(blocks)))
                    blocks.append(block)
                    i = end
                    continue
        out.append(line)
        i += 1
    return "\n".join(out), blocks


def put_back_raw_html(html_text: str, blocks: list[str]) -> str:
    """The HTML with each placeholder replaced by its block, as it was."""
    for n, block in enumerate(blocks):
        placeholder = _PLACEHOLDER.format(n)
        if html_text.count(placeholder) != 1:
            raise PluginError(f"minhbach: raw HTML block {n} lost its place in the page")
        html_text = html_text.replace(placeholder, block, 1)
    return html_text


_theme_parts: dict[tuple, str] = {}  # the navigation's HTML, by what it depends on


def theme_part(name: str, page, base_url: str, nav, caller) -> str:
    """A part of the theme that depends on the page only through the addresses it links to
    (the tabs, the navigation; site_src/overrides/main.html), made once for every page out of
    the navigation with the same addresses: thousands of scorecards would otherwise each render
    the same HTML. A page in the navigation (its item is marked active) gets its own."""
    pages = nav.pages if nav else []
    if page is None or any(p is page or p.active for p in pages):
        return caller()
    key = (name, base_url, *(normalize_url(p.url, page, base_url) for p in pages))
    html_text = _theme_parts.get(key)
    if html_text is None:
        html_text = _theme_parts[key] = caller()
    return html_text


def on_env(env, config, files, **kwargs):
    env.globals["mb_theme_part"] = theme_part
    return env


def on_pre_build(config, **kwargs):
    _descriptions.clear()
    _titles.clear()
    _bodies.clear()
    _set_aside.clear()
    _theme_parts.clear()


def on_page_markdown(markdown, page, config, files, **kwargs):
    title = page.meta.get("title")
    if title is not None:
        _titles[page.url] = str(title)
        page.meta["title"] = escape(str(title))
    markdown, _set_aside[page.url] = set_aside_raw_html(markdown)
    return markdown


def on_page_content(html_text, page, config, files, **kwargs):
    html_text = put_back_raw_html(html_text, _set_aside.pop(page.url, []))
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
