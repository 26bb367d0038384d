"""Vietnamese number and date formats for pages (96,57%, 21.969, 15/11/2026).

Formatting only: every figure arrives computed (and rounded) by the SQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "—"

MONTHS = [f"tháng {i}" for i in range(1, 13)]


# Python writes 21,969.50; Vietnamese is 21.969,50.
_VI_MARKS = str.maketrans({",": ".", ".": ","})
_QUANTA = {n: Decimal(1).scaleb(-n) for n in range(0, 7)}


def number(value, decimals: int = 0) -> str:
    """21969 -> '21.969'; 3.5 with decimals=1 -> '3,5'; None -> '—'. Rounded half-up."""
    if value is None or value == "":
        return EMPTY
    if type(value) is int:  # counts: most of the numbers of a page
        text = f"{abs(value):,}".translate(_VI_MARKS)
        if decimals:
            text += "," + "0" * decimals
        return "-" + text if value < 0 else text
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        return EMPTY
    d = d.quantize(_QUANTA.get(decimals) or Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(d):,.{decimals}f}".translate(_VI_MARKS)
    return "-" + text if d < 0 else text


def percent(value, decimals: int = 2) -> str:
    """96.57 -> '96,57%'; None -> '—' (an empty rate: nothing to divide by)."""
    if value is None or value == "":
        return EMPTY
    return number(value, decimals) + "%"


def points(value) -> str:
    return number(value, 2)


def signed(value, decimals: int = 2) -> str:
    """A change: '+1,25', '−0,50' (true minus sign), '0,00'."""
    if value is None or value == "":
        return EMPTY
    text = number(abs(Decimal(str(value))), decimals)
    if Decimal(str(value)) > 0:
        return "+" + text
    if Decimal(str(value)) < 0:
        return "\u2212" + text
    return text


def date(value) -> str:
    """date(2026, 11, 15) -> '15/11/2026'."""
    if value is None:
        return EMPTY
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")


def period_label(period: str) -> str:
    """'2026-03' -> 'tháng 3/2026'; '2026-Q1' -> 'quý I/2026'; '2026' -> 'năm 2026'."""
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"tháng {int(period[5:])}/{period[:4]}"
    if "-Q" in period:
        year, q = period.split("-Q")
        return f"quý {['I', 'II', 'III', 'IV'][int(q) - 1]}/{year}"
    return f"năm {period}"


FILTERS = {
    "num": number,
    "pct": percent,
    "pts": points,
    "signed": signed,
    "vndate": date,
    "vndatetime": datetime,
    "period_label": period_label,
}
