"""The official scores the portal published: counts per unit and month, kept while dossiers are
drawn, turned into plausible 766 group scores (an approximation of the index plus noise)."""

from __future__ import annotations

import csv
from datetime import timedelta

import numpy as np

from ..config import ROOT
from .calendar import DAY, Period, add_months
from .catalogue import PROVINCE, Catalogue
from .dossiers import Dossiers

# What is counted for each (unit, month): dossiers received in the month and, of them, ...
RECEIVED = ("rec", "online", "synced", "digit", "reuse", "store", "cit", "vneid", "fee", "feepaid")
# ... and dossiers resolved in the month: on time, whose result is a document, electronically.
RESOLVED = ("res", "ontime", "resdoc", "eres")
# The six groups' maxima, from the one file that sets them (methodology §3).
with (ROOT / "queries" / "seeds" / "groups.csv").open(encoding="utf-8", newline="") as _f:
    _MAXIMA = {row["group"]: float(row["max_points"]) for row in csv.DictReader(_f)}
# Departments with published scores of their own (those that exist at the scale).
_SCORED_DEPARTMENTS = ("CA", "TC", "NNMT", "XD", "YT")


class Counters:
    """Counts per (unit, month), flat: index unit * number of months + month."""

    def __init__(self, n_units: int, period: Period) -> None:
        self.n_months = len(period.months)
        self.month_days = period.month_days
        self.size = n_units * self.n_months
        self.cnt = {k: np.zeros(self.size) for k in RECEIVED + RESOLVED}

    def count(self, d: Dossiers) -> None:
        """A month's dossiers, before any is made a bad row."""
        idx = d.unit * self.n_months + d.k
        received = {
            "rec": d.received,
            "online": d.online,
            "synced": d.synced,
            "digit": d.digit,
            "reuse": d.reuse,
            "store": d.store,
            "cit": d.app == 1,
            "vneid": d.vneid,
            "fee": d.fee,
            "feepaid": d.fee & (d.paid > 0),
        }
        for name, mask in received.items():
            self.cnt[name] += np.bincount(idx[d.received & mask], minlength=self.size)
        self._count_resolved(d)

    def _count_resolved(self, d: Dossiers) -> None:
        """Resolved dossiers count in the month they were resolved (if within the period)."""
        nm = self.n_months
        mi = np.searchsorted(self.month_days, d.fin // DAY, side="right") - 1
        ok = d.resolved & d.fin_ok & (mi >= 0) & (mi < nm)
        idx = d.unit * nm + np.clip(mi, 0, nm - 1)
        resolved = {
            "res": ok,
            "ontime": ok & ~d.late_final,
            "resdoc": ok & d.doc,
            "eres": ok & d.doc & d.eres,
        }
        for name, mask in resolved.items():
            self.cnt[name] += np.bincount(idx[mask], minlength=self.size)

    def ratio(self, a: str, b: str, idx: list[int], default: float = 0.0) -> float:
        num = sum(self.cnt[a][i] for i in idx)
        den = sum(self.cnt[b][i] for i in idx)
        return num / den if den else default


def estimate_groups(
    c: Counters, idx: list[int], rng: np.random.Generator, province: bool
) -> dict[str, float]:
    """The six group scores and the total (over the points assessed) for the counts at idx."""
    ratio = c.ratio
    ontime = ratio("ontime", "res", idx, 1.0)
    online = ratio("online", "rec", idx)
    g = {
        "CKMB": (6 * 0.9 + 4 * 0.88 + 2 * 0.94 if province else 0)
        + 6 * ratio("synced", "rec", idx, 1.0),
        "TDGQ": 20 * ontime * 0.97,
        "CLGQ": 2 + 4 * 0.85 + 6 * min(1.0, online / 0.5),
        "TTTT": 6 * ratio("feepaid", "fee", idx) + 1.6 + 1.5,
        "MDSH": 6 * ratio("eres", "resdoc", idx)
        + 4 * ratio("digit", "rec", idx)
        + 2 * min(1.0, ratio("reuse", "rec", idx) / 0.8)
        + 4 * ratio("store", "rec", idx)
        + (6 * ratio("vneid", "cit", idx) if province else 0),
        "MDHL": 5.4 + 5.0 + 6 * min(1.0, ontime / 0.9),
    }
    out = {key: float(np.clip(val + rng.normal(0, 0.6), 0, _MAXIMA[key])) for key, val in g.items()}
    assessed = 100 if province else 82
    out["TOTAL"] = sum(out.values()) / assessed * 100
    return out


def score_columns(c: Counters, seed: int, cat: Catalogue, period: Period) -> list[list[str]]:
    """The official_scores table (SCORE_COLUMNS): the province's groups for the last six complete
    months and its total for the last complete quarters, a few departments' last two months."""
    rng = np.random.default_rng([seed, 4])
    nm = len(period.months)
    end = period.as_of + timedelta(days=1)
    complete = [k for k in range(nm) if add_months(period.months[k], 1) <= end]
    rows: list[tuple[str, ...]] = []

    def idx(units: list[int], ks: list[int]) -> list[int]:
        return [u * nm + k for u in units for k in ks]

    prov = cat.units.ids[PROVINCE]
    all_units = list(range(cat.n_units))
    for k in complete[-6:]:
        period_key = f"{period.months[k]:%Y-%m}"
        for gname, val in estimate_groups(c, idx(all_units, [k]), rng, True).items():
            rows.append((prov, period_key, gname, f"{val:.2f}"))
    quarters: dict[str, list[int]] = {}
    for k in complete:
        m = period.months[k]
        quarters.setdefault(f"{m.year}-Q{(m.month - 1) // 3 + 1}", []).append(k)
    for q, ks in list(quarters.items())[-3:]:
        if len(ks) == 3:
            total = estimate_groups(c, idx(all_units, ks), rng, True)["TOTAL"]
            rows.append((prov, q, "TOTAL", f"{total:.2f}"))
    key_idx = {key: i for i, key in enumerate(cat.units.keys) if key}
    for key in _SCORED_DEPARTMENTS:
        if key not in key_idx:
            continue
        for k in complete[-2:]:
            total = estimate_groups(c, idx([key_idx[key]], [k]), rng, False)["TOTAL"]
            rows.append(
                (cat.units.ids[key_idx[key]], f"{period.months[k]:%Y-%m}", "TOTAL", f"{total:.2f}")
            )
    return [[r[i] for r in rows] for i in range(4)]
