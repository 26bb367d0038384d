"""The CSV rules of every CSV the site publishes, in one place.

Downloads (``/du-lieu/``), a unit's own CSV (``/co-quan/<slug>/<slug>.csv``) and the numbers
behind every chart follow the same rules:

- UTF-8 with a byte-order mark (:data:`BOM`: Excel then shows Vietnamese), a header row;
- RFC 4180: comma, CRLF line ends, ``"`` quoting only where needed (a field holding a comma, a
  quote, CR or LF, or an empty text, so that it differs from NULL), ``""`` escapes;
- NULL is an empty cell; numbers unquoted with a ``.`` decimal point and never an exponent;
  booleans ``true``/``false``; dates and times in ISO 8601;
- text cells starting with one of :data:`FORMULA_PREFIXES` (``=``, ``+``, ``-``, ``@``, tab,
  carriage return) get a leading ``'``: a spreadsheet would otherwise read them as a formula
  (OWASP "CSV injection"); numbers are never touched.

Two spellings of the same rules share these constants: SQL expressions for the tables DuckDB
writes (millions of rows, streamed by ``COPY``), and Python functions for small row lists (a
chart's numbers). One difference is kept as published: DuckDB spells a whole DOUBLE with its
``.0`` (``2.0``), :func:`cell` without it (``2``); both read as the same number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..sql.quote import literal

__all__ = [
    "BOM",
    "COPY_OPTIONS",
    "FORMULA_PREFIXES",
    "LINE_END",
    "cell",
    "document",
    "field_sql",
    "header_line",
    "line",
    "neutralised_sql",
    "plain_number_sql",
    "quote",
]

BOM = "\ufeff"
DELIMITER = ","
QUOTE = '"'
LINE_END = "\r\n"
# Excel and LibreOffice read a cell starting with one of these as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# A field holding one of these is quoted (RFC 4180).
QUOTED_IF_HOLDING = (DELIMITER, QUOTE, "\r", "\n")
# DuckDB's COPY ... TO options for these rules (the BOM is added by the query: see
# minhbach.publish.downloads).
COPY_OPTIONS = (
    f"FORMAT csv, HEADER true, DELIMITER '{DELIMITER}', QUOTE '{QUOTE}', ESCAPE '{QUOTE}', "
    "NEW_LINE e'\\r\\n', NULLSTR ''"
)


# --------------------------------------------------------------------------------------------
# Python: one value at a time


def neutralise(text: str) -> str:
    """A text cell with a leading ``'`` when a spreadsheet would read it as a formula."""
    return NEUTRALISER + text if text.startswith(FORMULA_PREFIXES) else text


def quote(text: str) -> str:
    """A field as RFC 4180 writes it: quoted when empty or holding a comma, quote, CR or LF."""
    if text == "" or any(c in text for c in QUOTED_IF_HOLDING):
        return QUOTE + text.replace(QUOTE, QUOTE + QUOTE) + QUOTE
    return text


def _number(value: float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if not math.isfinite(value):
        return ""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def cell(value: Any) -> str:
    """One field: numbers raw with ``.`` (no exponent; not finite: empty), NULL empty,
    booleans ``true``/``false``, dates ISO, text neutralised, quoted where needed."""
    if hasattr(value, "item") and not isinstance(value, str | Decimal):
        value = value.item()  # numpy scalars
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _number(value)
    if isinstance(value, dt.datetime | dt.date):
        return quote(value.isoformat())
    return quote(neutralise(str(value)))


def line(values: Iterable[Any]) -> str:
    """One record, without its line end."""
    return DELIMITER.join(cell(v) for v in values)


def header_line(names: Sequence[str]) -> str:
    """The header record (column names are written as they are, quoted where needed), with the
    BOM before it and its line end."""
    return BOM + DELIMITER.join(quote(n) for n in names) + LINE_END


def document(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole small CSV file: BOM, the header (as cells), one line per row, CRLF."""
    lines = [line(header)] + [line(row) for row in rows]
    return (BOM + LINE_END.join(lines) + LINE_END).encode("utf-8")


# --------------------------------------------------------------------------------------------
# SQL: expressions over a column reference, for DuckDB


def _sql_char(c: str) -> str:
    """A SQL string of the text ``c``, control characters as ``chr(n)``."""
    if c in ("\t", "\r", "\n"):
        return f"chr({ord(c)})"
    return literal(c)


def neutralised_sql(ref: str) -> str:
    """A text value with a leading ``'`` when a spreadsheet would read it as a formula."""
    s = f"CAST({ref} AS VARCHAR)"
    # Not ``left(s, 1) IN (...)``: DuckDB plans an IN list of six as a join, and a COPY over
    # a join no longer keeps the order of the rows it reads (minhbach.publish.downloads).
    prefixes = " || ".join(_sql_char(p) for p in FORMULA_PREFIXES)
    mark = _sql_char(NEUTRALISER)
    starts = f"{s} <> '' AND contains({prefixes}, left({s}, 1))"
    return f"CASE WHEN {starts} THEN {mark} || {s} ELSE {s} END"


def plain_number_sql(ref: str) -> str:
    """A DOUBLE/FLOAT as text without an exponent: DuckDB's shortest round-trip digits, with
    ``1e-05`` spelled ``0.00001`` and ``1e+16`` spelled ``10000000000000000``; not finite:
    NULL. Values between 0.001 and 10^15 (and zero) never get an exponent and take the fast
    first branch."""
    s = f"CAST({ref} AS VARCHAR)"
    mantissa = f"split_part(ltrim({s}, '-'), 'e', 1)"
    digits = f"replace({mantissa}, '.', '')"
    point = f"(length(split_part({mantissa}, '.', 1)) + CAST(split_part({s}, 'e', 2) AS INTEGER))"
    placed = (
        f"CASE WHEN {point} <= 0 THEN '0.' || repeat('0', -{point}) || {digits} "
        f"WHEN {point} >= length({digits}) "
        f"THEN {digits} || repeat('0', {point} - length({digits})) "
        f"ELSE left({digits}, {point}) || '.' || substr({digits}, {point} + 1) END"
    )
    sign = f"CASE WHEN starts_with({s}, '-') THEN '-' ELSE '' END"
    return (
        f"CASE WHEN abs({ref}) < 1e15 AND (abs({ref}) >= 0.001 OR {ref} = 0) THEN {s} "
        f"WHEN NOT isfinite({ref}) THEN NULL "
        f"WHEN NOT contains({s}, 'e') THEN {s} "
        f"ELSE {sign} || {placed} END"
    )


def field_sql(ref: str, text: bool) -> str:
    """One field of a record, from its CSV value (a column already formatted by the
    expressions above), as DuckDB's CSV writer spells it: NULL empty; text quoted when it
    holds a comma, a quote, CR or LF, or is empty. Numbers, booleans, dates and times
    (``text`` false) never need quotes."""
    if not text:
        return f"coalesce(CAST({ref} AS VARCHAR), '')"
    q = _sql_char(QUOTE)
    needs_quotes = " OR ".join(
        [f"{ref} = ''"] + [f"contains({ref}, {_sql_char(c)})" for c in QUOTED_IF_HOLDING]
    )
    quoted = f"{q} || replace({ref}, {q}, {_sql_char(QUOTE + QUOTE)}) || {q}"
    return f"CASE WHEN {ref} IS NULL THEN '' WHEN {needs_quotes} THEN {quoted} ELSE {ref} END"
