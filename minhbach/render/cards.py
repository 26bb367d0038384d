"""The key-figure cards of the home page and the unit pages (``_macros.j2``'s ``kpi_cards``):
a card row of the page tables (``page_home_cards``, ``page_unit_cards``: label, value and how it
reads, band, change since the previous period and whether a rise is better) formatted."""

from __future__ import annotations

from .. import fmt
from .env import change

_VALUE = {
    "points": lambda c: fmt.points(c["value"]),
    "percent": lambda c: fmt.percent(c["value"]),
    "rank": lambda c: f"{c['rank']}/{c['rank_of']}",
}


def card(row: dict, since: str | None, period_text: str) -> dict:
    """A card row as ``kpi_cards`` prints it; ``since``: the previous period in words (the
    change is counted from it), ``period_text``: the note of a card that names its period."""
    out = {
        "label": row["label"],
        "value": _VALUE[row["value_format"]](row),
        "change": change(
            row["change"],
            unit=row["change_unit"],
            since=since,
            higher_is_better=row["higher_is_better"],
        ),
        "band": row["band"],
        "band_slug": row["band_slug"],
    }
    if row["period_note"]:
        out["note"] = period_text
    return out
