"""The key-figure cards of the home page and the unit pages (``_macros.j2``'s ``kpi_cards``):
a card row of the page tables (``page_home_cards``, ``page_unit_cards``: label, value and how it
reads, band, change since the previous period and whether a rise is better, a rate's numerator
and denominator, its comparison with the province and the level's median, the total's reason
for having no band or its gap to the official score) formatted."""

from __future__ import annotations

from .. import fmt
from .env import change

_VALUE = {
    "points": lambda c: fmt.points(c["value"]),
    "percent": lambda c: fmt.percent(c["value"]),
    "rank": lambda c: f"{c['rank']}/{c['rank_of']}",
}


def _counts(row: dict) -> tuple[str, str]:
    """A rate's counts as the card shows them ('48/51') and as its hover text says them."""
    num, den = row.get("numerator"), row.get("denominator")
    if num is None or den is None:
        return "", ""
    short = f"{fmt.number(num)}/{fmt.number(den)}"
    long = (
        f"{fmt.number(num)} {row.get('numerator_label') or ''} / "
        f"{fmt.number(den)} {row.get('denominator_label') or ''}"
    )
    return short, " ".join(long.split())


def card(row: dict, since: str | None, period_text: str) -> dict:
    """A card row as ``kpi_cards`` prints it; ``since``: the previous period in words (the
    change is counted from it), ``period_text``: the note of a card that names its period."""
    short, long = _counts(row)
    notes = []
    if short:
        notes.append(" ".join(f"{short} {row.get('denominator_label') or ''}".split()))
    if row.get("comparison"):
        notes.append(row["comparison"][:1].upper() + row["comparison"][1:])
    if row.get("band_note"):
        notes.append(row["band_note"][:1].upper() + row["band_note"][1:])
    if row.get("official_gap") is not None:
        notes.append(f"Chênh lệch với điểm chính thức: {fmt.signed(row['official_gap'])}")
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
        "notes": tuple(notes),
        "title": " ".join(t for t in (long + "." if long else "", row.get("explain") or "") if t),
        "explain": row.get("explain"),
    }
    if row["period_note"]:
        out["note"] = period_text
    return out
