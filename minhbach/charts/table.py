"""The numbers behind a chart, for reading and for download: its table (formatted the Vietnamese
way) and its CSV (the site's CSV rules: minhbach.publish.csv)."""

from __future__ import annotations

import datetime as dt
import html
import math
from typing import Any

from .. import fmt
from ..publish import csv
from .figure import NUMERIC_FMTS, Figure


def format_cell(value: Any, kind: str) -> str:
    """A table cell the Vietnamese way (minhbach.fmt); NULL -> '—'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return fmt.EMPTY
    if kind == "num":
        return fmt.number(value)
    if kind == "pct":
        return fmt.percent(value)
    if kind == "pts":
        return fmt.points(value)
    if kind == "days":
        return fmt.number(value, 1)
    if kind == "period":
        return fmt.period_label(str(value))
    if isinstance(value, dt.date):
        return fmt.date(value)
    return str(value)


def csv_bytes(figure: Figure) -> bytes:
    """The figure's CSV: BOM, header of column keys, one line per row, CRLF, raw values."""
    keys = [c.key for c in figure.columns]
    return csv.document(keys, ([row.get(k) for k in keys] for row in figure.rows))


def table_html(figure: Figure) -> str:
    """The numbers of the chart as a table, formatted the Vietnamese way (minhbach.fmt)."""
    head = "".join(
        f'<th scope="col" class="num">{html.escape(c.header)}</th>'
        if c.fmt in NUMERIC_FMTS
        else f'<th scope="col">{html.escape(c.header)}</th>'
        for c in figure.columns
    )
    body = []
    for row in figure.rows:
        cells = []
        for c in figure.columns:
            value = row.get(c.key)
            text = html.escape(format_cell(value, c.fmt))
            if c.fmt in NUMERIC_FMTS:
                cells.append(f'<td class="num">{text}</td>')
            elif c.fmt == "period" and value is not None:
                cells.append(f'<td data-sort="{html.escape(str(value))}">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
