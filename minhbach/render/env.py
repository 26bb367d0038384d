"""The Jinja2 environment of the page templates (``site_src/templates``) and its filters.

Filters only format: a value arrives computed by the SQL and leaves as text (Vietnamese
numbers, dates and periods, file sizes, a change in words). HTML escaping is autoescape's; names
shown in Markdown are Markdown-escaped by ``md``/``cell``; front matter is quoted by ``yaml``.
"""

from __future__ import annotations

import json
import re

import jinja2
from markupsafe import Markup

from .. import fmt
from ..config import ROOT

TEMPLATES = ROOT / "site_src" / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#])")


def md_text(value) -> str:
    """Escape Markdown syntax (links, emphasis, attribute lists, table pipes) in a name shown in
    Markdown: headings, paragraphs, table cells. HTML escaping is left to autoescape."""
    return _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def yaml_text(value) -> Markup:
    """A quoted YAML scalar (JSON strings are YAML) for front matter; not HTML-escaped."""
    return Markup(json.dumps("" if value is None else str(value), ensure_ascii=False))


def band(label, slug) -> Markup:
    """The band badge of the theme: class band-<slug> (band-xuat-sac, band-tot, …), the slug
    coming with the band from the page table (macro slugify)."""
    if not label:
        return Markup(fmt.EMPTY)
    return Markup('<span class="band-{}">{}</span>').format(slug, label)


def period_full(period, complete=True) -> str:
    """'tháng 3/2026', or 'tháng 3/2026 (chưa trọn kỳ)' for a period not over."""
    if not period:
        return fmt.EMPTY
    label = fmt.period_label(str(period))
    return label if complete is not False else f"{label} (chưa trọn kỳ)"


def filesize(n) -> str:
    """Bytes as Vietnamese text: 950 byte, 12,3 kB, 4,56 MB (formatting, like fmt)."""
    if n is None:
        return fmt.EMPTY
    n = int(n)
    if n < 1000:
        return f"{fmt.number(n)} byte"
    if n < 1_000_000:
        return f"{fmt.number(n / 1000, 1)} kB"
    if n < 1_000_000_000:
        return f"{fmt.number(n / 1_000_000, 1)} MB"
    return f"{fmt.number(n / 1_000_000_000, 2)} GB"


def megabytes(n) -> str:
    """Bytes as whole megabytes, without the unit: 50000000 -> '50'."""
    return fmt.number(n / 1_000_000)


def limit_days(value) -> str:
    """A statutory limit in days: '15', '1,5' (whole numbers without decimals)."""
    if value is None:
        return fmt.EMPTY
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def num_auto(value) -> str:
    """A setting's number with the decimals it has (at most two): 90, 0,5, 2,25."""
    if value == round(value, 0):
        return fmt.number(value)
    if value * 10 == round(value * 10, 0):
        return fmt.number(value, 1)
    return fmt.number(value, 2)


def magnitude(value, decimals: int = 2) -> str:
    """The absolute value as text, from fmt.signed (drops its sign)."""
    return fmt.signed(value, decimals).lstrip("+\u2212")


def change(value, *, unit: str, since: str, higher_is_better: bool = True) -> dict | None:
    """A change in words, with an arrow and the theme's class: mb-better / mb-worse / mb-same.
    None when there is nothing to compare with."""
    if value is None:
        return None
    if value > 0:
        arrow, word = "▲", "tăng"
        cls = "mb-better" if higher_is_better else "mb-worse"
    elif value < 0:
        arrow, word = "▼", "giảm"
        cls = "mb-worse" if higher_is_better else "mb-better"
    else:
        return {"text": f"■ không đổi so với {since}", "cls": "mb-same"}
    return {"text": f"{arrow} {word} {magnitude(value)} {unit} so với {since}", "cls": cls}


FILTERS = {
    **fmt.FILTERS,
    "cell": md_text,
    "md": md_text,
    "yaml": yaml_text,
    "band": band,
    "period_full": period_full,
    "filesize": filesize,
    "megabytes": megabytes,
    "days": lambda v: fmt.number(v, 1),
    "limit_days": limit_days,
    "magnitude": magnitude,
    "num_auto": num_auto,
}


def environment() -> jinja2.Environment:
    """The templates' environment: autoescape, strict undefined, the filters above."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env
