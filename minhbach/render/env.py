"""The Jinja2 environment of the page templates (``site_src/templates``) and its filters.

Filters only format: a value arrives computed by the SQL and leaves as text (Vietnamese
numbers, dates and periods, file sizes, a change in words). HTML escaping is autoescape's; names
shown in Markdown are Markdown-escaped by ``md``/``cell``; front matter is quoted by ``yaml``.
"""

from __future__ import annotations

import json
import re

import jinja2
from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner as _escape_text  # markupsafe's own (C) escaping
except ImportError:  # another markupsafe: its escape as it is
    _escape_text = None

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


def _memo(format_value):
    """The formatter, remembering its answers: a page prints the same counts and rates many
    times over (one value's text depends only on its type, its value and the arguments)."""
    seen: dict = {}

    def formatted(value, *args):
        key = (value.__class__, value, args)
        try:
            return seen[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: not remembered
            return format_value(value, *args)
        text = seen[key] = format_value(value, *args)
        return text

    formatted.__doc__ = format_value.__doc__
    return formatted


FILTERS = {
    **fmt.FILTERS,
    **{name: _memo(fmt.FILTERS[name]) for name in ("num", "pct", "pts", "signed")},
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


# What a dict has as attributes (its methods): ``row.items`` is the method, as in Jinja.
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escape(value) -> Markup:
    """markupsafe's escape, the same Markup made faster for the values a page prints by the
    million: a string (escaped) and Markup (as it is)."""
    if value.__class__ is str and _escape_text is not None:
        return str.__new__(Markup, _escape_text(value))
    if value.__class__ is Markup:
        return value
    return escape(value)


class _Template(jinja2.Template):
    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        """The compiled template, its autoescape done by :func:`_escape`."""
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _Environment(jinja2.Environment):
    template_class = _Template

    def getattr(self, obj, attribute):
        """``row.name`` on a page table's row (a dict): Jinja tries the attribute first, which
        a dict never has (but for its methods), then the key; the same answer, without the
        exception of the first try (millions of cell values a build)."""
        if obj.__class__ is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    """The templates' environment: autoescape, strict undefined, the filters above."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env
