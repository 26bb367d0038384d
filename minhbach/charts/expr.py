"""Vega expressions the charts write: literals, field references, formats, wrapped labels."""

from __future__ import annotations

import json
import re
from typing import Any

from .. import fmt
from .figure import D3_FORMATS

_IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def lit(value: Any) -> str:
    """A JSON value as a Vega expression literal (non-ASCII kept: the specs stay short)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def datum(key: str) -> str:
    """A Vega expression reading the field ``key`` of a row."""
    return f"datum.{key}" if _IDENT_RE.match(key) else f"datum[{lit(key)}]"


def format_expr(ref: str, kind: str, *, capital: bool = False) -> str:
    """A Vega expression formatting ``ref`` like :func:`minhbach.charts.table.format_cell`
    (``capital``: a month starting a sentence, "Tháng 3/2026")."""
    if kind in D3_FORMATS:
        text = f"format({ref}, '{D3_FORMATS[kind]}')"
        if kind == "pct":
            text += " + '%'"
        return f"isValid({ref}) && isFinite({ref}) ? {text} : '{fmt.EMPTY}'"
    if kind == "period":
        month = "Tháng" if capital else "tháng"
        return (
            f"isValid({ref}) ? '{month} ' + toNumber(substring({ref}, 5, 7)) + '/' + "
            f"substring({ref}, 0, 4) : '{fmt.EMPTY}'"
        )
    return f"isValid({ref}) ? '' + {ref} : '{fmt.EMPTY}'"


def wrap_expr(ref: str) -> str:
    """The Vega expression of :func:`minhbach.charts.text.wrap_label`."""
    half = f"lastindexof(substring({ref}, 0, ceil(length({ref}) / 2) + 2), ' ')"
    return (
        f"length({ref}) > 12 && {half} > 0 ? substring({ref}, 0, {half}) + '\\n' + "
        f"substring({ref}, {half} + 1) : {ref}"
    )
