"""The national portal's published evaluation of the sample province (``portal.md``): the JSON
files a crawler of dichvucong.gov.vn would have saved, written into ``portal/``.

What the portal publishes is computed here from the generator's own draws, as the portal would
see them: only the dossiers synced to it (``DaDongBo``), counted by its rules (the seed
``queries/seeds/rule_set_qd766_2026.csv``, read, not retyped: points half-up to 2 decimals, a
group the sum of its metrics' points, the total the sum of the groups). The counts follow the
portal's period rules in a simplified form (a dossier counts in a period when received by its
end and not ended before its start; on time when it ended in time in the period or was still
within its due date at the end), close to the build's recomputation but not identical to it: the
portal counts the dossiers as they were drawn, before the deliberately bad rows, and its
satisfaction numerator subtracts low ratings, not feedback. CLGQ and TTTT are published as
group scores only, as the real files do.

Files (crawler form: ``metadata`` with ``timeType``, ``year``, ``period``, ``extractedAt`` beside
the data members), for the as-of date D (default 2026-11-15):

* ``portal/national_<D>.json``: the national ranking of the year to date, captured on D: the
  sample province (``H99``) among four other, fictional provinces (``H91``-``H94``, names
  ending in "(giả lập)").
* ``portal/minh-hoa/agencies_<D>.json``, ``communes_<D>.json``, ``details_<D>.json``: the
  year to date (incomplete), captured on D: unit lists and every unit's component indicators.
* ``portal/minh-hoa/details_<P>.json`` for the last three complete months and the last
  complete quarter, each captured a few days after the period ended (with D = 2026-11-15: the
  months 2026-08, 2026-09, 2026-10 and the quarter 2026-Q3).

Units: the province is ``H99`` (the overview); each department is ``H99.<its number>``
(``H99.08`` Sở Xây dựng), each commune of 1/7/2025 ``H99.<101 + its order>``. The agencies
table carries the code in ``portal_code`` (and ``offers_e_certified_copy``: communes and Sở Tư
pháp), except for the deliberate gaps below.

The deliberate gaps (``GAPS``, documented in data/README.md):

1. Dossiers never synced: at Sở Xây dựng (``H99.08``) and the first commune of 1/7/2025
   (``H99.101``) most late dossiers and a quarter of the others are not synced (``DaDongBo`` 0),
   so the portal's TDGQ counts fewer dossiers received, and a better on-time rate, than a
   recomputation over every dossier.
2. A satisfaction numerator that differs: at Sở Y tế (``H99.15``) the portal's
   DOSSIER_RECEIVING_SATISFACTION numerator also counts half of the dossiers the rules leave
   out (late, or rated 1-2).
3. The portal's own inconsistencies (listed by ``portal_checks``): Sở Giáo dục và Đào tạo
   (``H99.14``) in the capture of the second complete month (2026-09) publishes a total 0.5
   above the sum of its groups (``total_sum``); the second commune (``H99.102``) in the capture
   of the last complete month (2026-10) publishes SO_HOA_GIAY_TO_GIAI_QUYET 0.5 points off what
   its numerator and denominator give (``metric_points``; its MDSH group is the sum as
   published).
4. Units that match nothing: Sở Dân tộc và Tôn giáo is on the portal (``H99.22``) but has no
   ``portal_code`` in agencies.csv; the last commune of 1/7/2025 (the island's special zone) has
   no ``portal_code`` and is not on the portal.

Deterministic: draws come from the generator's ``seed`` ([seed, 5, k] for month k's unsynced
dossiers, [seed, 6] for the other provinces); capture times are fixed times of day.
"""

from __future__ import annotations

import csv
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from ..config import ROOT
from ..portal import periods
from .calendar import DAY, Period, add_months, day_number
from .catalogue import Catalogue
from .dossiers import Dossiers
from .publications import Publications
from .satisfaction import Answered, Ratings

FOLDER = "portal"
PROVINCE_FOLDER = "minh-hoa"
PORTAL_PROVINCE = "H99"  # the sample province's code on the portal (no real province has it)
RULE_SET = "qd766-2026"
OTHER_PROVINCES = (  # code, name (fictional), how good (0-1)
    ("H91", "UBND tỉnh Sương Sớm (giả lập)", 0.75),
    ("H92", "UBND tỉnh Đá Trắng (giả lập)", 0.55),
    ("H93", "UBND tỉnh Mây Ngàn (giả lập)", 0.35),
    ("H94", "UBND tỉnh Cát Vàng (giả lập)", 0.2),
)


@dataclass(frozen=True)
class Gaps:
    """The deliberate gaps, by unit key (a department's key, or ``commune:<order>``, from 0)."""

    unsynced: tuple[str, ...] = ("XD", "commune:0")
    satisfaction: str = "YT"
    total_sum: tuple[str, int] = ("GDDT", 1)  # unit, index of the complete month (0 = oldest)
    metric_points: tuple[str, int, str] = ("commune:1", 2, "SO_HOA_GIAY_TO_GIAI_QUYET")
    off_portal: str = "commune:-1"  # no portal_code, not on the portal
    no_code: str = "DTTG"  # on the portal, no portal_code in agencies.csv


GAPS = Gaps()
_TOTAL_OFF = 0.5
_POINTS_OFF = 0.5

_BLOCKS = {
    "TDGQ": "TDGQ_TienDoGiaiQuyet",
    "CKMB": "CKMB_CongKhaiMinhBach",
    "MDSH": "MDSH_SoHoaHoSo",
    "CLGQ": "ONLINE_DichVuTrucTuyen",
    "TTTT": "TTTT_ThanhToanTrucTuyen",
    "MDHL": "MDHL_MucDoHaiLong",
}
_UNIT_GROUP_KEYS = {"CLGQ": "ONLINE"}  # unit entries call CLGQ "ONLINE", as the real files


# --------------------------------------------------------------------------------------------
# The rules, read from the seeds


@dataclass(frozen=True)
class Rule:
    code: str
    order: int
    group: str
    name: str
    max_points: float
    points_rule: str
    full_at: float | None
    if_zero: float | None
    cap: bool


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_rules() -> list[Rule]:
    """The portal's metrics (qd766-2026), in the rule set's order."""
    path = ROOT / "queries" / "seeds" / "rule_set_qd766_2026.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["rule_set"] == RULE_SET]
    rules = [
        Rule(
            code=r["indicator"],
            order=int(r["indicator_order"]),
            group=r["group"],
            name=r["indicator_name"],
            max_points=float(r["max_points"]),
            points_rule=r["points_rule"],
            full_at=_num(r["full_at_pct"]),
            if_zero=_num(r["points_if_no_denominator"]),
            cap=r.get("cap_at_max", "").strip().lower() == "true",
        )
        for r in rows
    ]
    return sorted(rules, key=lambda r: r.order)


def read_group_maxima() -> dict[str, float]:
    with (ROOT / "queries" / "seeds" / "groups.csv").open(encoding="utf-8", newline="") as f:
        return {r["group"]: float(r["max_points"]) for r in csv.DictReader(f)}


def round2(x: float) -> float:
    """Half-up to 2 decimals, as the build's round2d."""
    return math.floor(x * 100 + 0.5 + 1e-9) / 100


def rule_points(rule: Rule, num: float, den: float) -> float | None:
    """The points of a metric (as the build's macro rule_points); None: not assessed."""
    if den == 0:
        return rule.if_zero
    top = rule.max_points
    if rule.points_rule == "proportional":
        x = top * num / den
        return min(top, x) if rule.cap else x
    if rule.points_rule == "full_at" and rule.full_at:
        return min(top, top * num * 100 / (rule.full_at * den))
    if rule.points_rule == "min2":
        return min(2.0, 2.5 * num / den)
    return None


# --------------------------------------------------------------------------------------------
# Captures: which periods, captured when


@dataclass(frozen=True)
class Capture:
    time_type: str  # year, quarter, month
    year: int
    number: int | None
    first: date
    last: date  # the period's last day
    captured: datetime  # UTC

    @property
    def text(self) -> str:
        """The period as written everywhere (2026, 2026-Q3, 2026-09): the reader's rule."""
        return periods.Period(self.time_type, self.year, self.number).text

    @property
    def label(self) -> str:
        if self.time_type == "quarter":
            return f"Quý {self.number}/{self.year}"
        if self.time_type == "month":
            return f"Tháng {self.number}/{self.year}"
        return f"Năm {self.year}"


def captures(period: Period) -> list[Capture]:
    """The year to date captured on the as-of date, then the last three complete months
    (captured 3 days after their end) and the last complete quarter (5 days after), within the
    data's months and captured by the as-of date."""
    as_of = period.as_of
    first_month = period.months[0]
    out = [
        Capture(
            "year", as_of.year, None, date(as_of.year, 1, 1), date(as_of.year, 12, 31),
            datetime(as_of.year, as_of.month, as_of.day, 7, 0, 13),
        )
    ]  # fmt: skip
    months = []
    m = add_months(date(as_of.year, as_of.month, 1), -1)
    while len(months) < 3 and m >= first_month:
        end = add_months(m, 1) - timedelta(days=1)
        if end + timedelta(days=3) <= as_of:
            months.append((m, end))
        m = add_months(m, -1)
    for m, end in reversed(months):
        out.append(Capture("month", m.year, m.month, m, end, _at(end, 3)))
    q = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    for _ in range(4):
        q = add_months(q, -3)
        end = add_months(q, 3) - timedelta(days=1)
        if q >= first_month and end + timedelta(days=5) <= as_of:
            out.append(Capture("quarter", q.year, (q.month - 1) // 3 + 1, q, end, _at(end, 5)))
            break
    return out


def _at(end: date, days: int) -> datetime:
    d = end + timedelta(days=days)
    return datetime(d.year, d.month, d.day, 2, 15, 40)


# --------------------------------------------------------------------------------------------
# Counting, month by month, what the portal sees

_COUNTS = (
    "to_handle", "in_time", "received", "synced", "digit", "reuse", "store", "vneid",
    "resdoc", "eres", "res", "res_days", "fee", "feepaid", "online",
    "complaints", "ratings", "rating_sum",
)  # fmt: skip
_PROC_SETS = (
    "any",
    "full",
    "full_online",
    "citizen",
    "citizen_vneid",
    "fee",
    "fee_paid",
    "fee_payable",
)


@dataclass
class _Window:
    cap: Capture
    a: int  # first day number
    e: int  # last day number counted (the period's last day, or the as-of date)
    n: dict[str, np.ndarray] = field(default_factory=dict)
    procs: dict[str, np.ndarray] = field(default_factory=dict)  # (unit, procedure): bool


class PortalCounts:
    """What the portal would count, per unit and capture, kept while dossiers are drawn."""

    def __init__(self, cat: Catalogue, period: Period, seed: int) -> None:
        self.cat, self.period, self.seed = cat, period, seed
        self.windows = []
        for cap in captures(period):
            w = _Window(cap, day_number(cap.first), min(day_number(cap.last), period.as_of_day))
            w.n = {k: np.zeros(cat.n_units) for k in _COUNTS}
            w.procs = {k: np.zeros((cat.n_units, cat.n_procs), bool) for k in _PROC_SETS}
            self.windows.append(w)
        self.keys = unit_keys(cat)
        self.unsynced_units = np.array([self.keys[k] for k in GAPS.unsynced], np.int64)

    def plant_unsynced(self, d: Dossiers) -> None:
        """Gap 1: most late dossiers and a quarter of the others of the chosen units are never
        synced (after draw_flags; a stream of its own, so nothing else changes)."""
        rng = np.random.default_rng([self.seed, 5, d.k])
        u = rng.random(d.n)
        gap = np.isin(d.unit, self.unsynced_units)
        p = np.where(d.late_final, 0.8, 0.25)
        d.synced = d.synced & ~(gap & (u < p))

    def count(self, d: Dossiers) -> None:
        """A month's dossiers, before any is made a bad row: the synced ones."""
        seen = d.received & d.synced
        recv_day = d.recv // DAY
        end_day = np.where(d.fin <= self.period.as_of_end, d.fin // DAY, 10**9)
        due_day = d.due_adj // DAY
        n = self.cat.n_units
        level = self.cat.procs.level[d.proc]
        for w in self.windows:
            handle = seen & (recv_day <= w.e) & (end_day >= w.a)
            if not handle.any():
                continue
            ended = handle & (end_day <= w.e)
            in_time = (ended & ~d.late_final) | (handle & ~ended & (due_day >= w.e))
            new = handle & (recv_day >= w.a)
            res = ended & d.resolved
            masks = {
                "to_handle": handle,
                "in_time": in_time,
                "received": new,
                "synced": new,
                "digit": new & d.digit,
                "reuse": new & d.reuse,
                "store": new & d.store,
                "vneid": new & d.vneid,
                "resdoc": res & d.doc,
                "eres": res & d.doc & d.eres,
                "res": res,
                "fee": new & d.fee,
                "feepaid": new & d.fee & (d.paid > 0),
                "online": new & d.online,
            }
            for name, mask in masks.items():
                w.n[name] += np.bincount(d.unit[mask], minlength=n)
            days = (d.fin - d.recv) / DAY
            w.n["res_days"] += np.bincount(d.unit[res], weights=days[res], minlength=n)
            sets = {
                "any": new,
                "full": new & (level >= 3),
                "full_online": new & (level >= 3) & d.online,
                "citizen": new & (d.app == 1),
                "citizen_vneid": new & (d.app == 1) & d.vneid,
                "fee": new & d.fee,
                "fee_paid": new & d.fee & (d.paid > 0),
                "fee_payable": new & d.fee & self.cat.procs.pay[d.proc],
            }
            for name, mask in sets.items():
                w.procs[name][d.unit[mask], d.proc[mask]] = True

    def count_ratings(self, r: Ratings) -> None:
        """A month's ratings: those of a dossier rated 1-2 are complaints."""
        day = r.ts // DAY
        tied = ~r.dossier.is_null().to_numpy(zero_copy_only=False)
        for w in self.windows:
            inside = tied & (day >= w.a) & (day <= w.e)
            low = inside & (r.score <= 2)
            n = self.cat.n_units
            w.n["complaints"] += np.bincount(r.unit[low], minlength=n)
            w.n["ratings"] += np.bincount(r.unit[inside], minlength=n)
            w.n["rating_sum"] += np.bincount(
                r.unit[inside], weights=r.score[inside].astype(float), minlength=n
            )


def unit_keys(cat: Catalogue) -> dict[str, int]:
    """Unit index by key: departments by their key, communes of 1/7/2025 as commune:<order>
    (and commune:-1 for the last)."""
    keys = {k: i for i, k in enumerate(cat.units.keys) if k}
    communes = [i for i, kind in enumerate(cat.units.kinds) if kind == "new_commune"]
    for j, i in enumerate(communes):
        keys[f"commune:{j}"] = i
    if communes:
        keys["commune:-1"] = communes[-1]
    return keys


# --------------------------------------------------------------------------------------------
# Portal codes


def portal_codes(cat: Catalogue) -> list[str]:
    """Every unit's code on the portal ("" for a unit the portal does not list): the province,
    the departments and communes that exist at the end of the data."""
    u = cat.units
    codes = [""] * len(u.ids)
    commune_no = 0
    for i, kind in enumerate(u.kinds):
        if u.valid_to[i]:
            continue
        if kind == "province":
            codes[i] = PORTAL_PROVINCE
        elif kind == "dept":
            codes[i] = f"{PORTAL_PROVINCE}.{u.ids[i].split('.')[2]}"
        elif kind == "new_commune":
            codes[i] = f"{PORTAL_PROVINCE}.{101 + commune_no}"
            commune_no += 1
    codes[unit_keys(cat)[GAPS.off_portal]] = ""
    return codes


def agency_portal_columns(cat: Catalogue) -> tuple[list[str | None], list[str | None]]:
    """The agencies table's portal_code (without the unit of gap 4) and
    offers_e_certified_copy ("1" for communes and Sở Tư pháp, "0" for other listed units)."""
    codes = portal_codes(cat)
    no_code = unit_keys(cat)[GAPS.no_code]
    column = [c or None for c in codes]
    column[no_code] = None
    offers = [_offers(cat, i) if c else None for i, c in enumerate(codes)]
    return column, offers


def _offers(cat: Catalogue, i: int) -> str:
    return "1" if cat.units.kinds[i] == "new_commune" or cat.units.keys[i] == "TP" else "0"


# --------------------------------------------------------------------------------------------
# Figures


@dataclass
class _Figures:
    """One unit's (or the province's) published figures for one capture."""

    groups: dict[str, float]
    total: float
    indicators: dict


class PortalWriter:
    def __init__(self, counts: PortalCounts, pubs: Publications, fb: Answered) -> None:
        self.c, self.cat, self.period = counts, counts.cat, counts.period
        self.pubs, self.fb = pubs, fb
        self.rules = read_rules()
        self.maxima = read_group_maxima()
        self.codes = portal_codes(self.cat)
        self.keys = counts.keys

    def _month_index(self, w: _Window) -> int | None:
        """The window's place among the complete months (0 the oldest); None for others."""
        months = [x for x in self.c.windows if x.cap.time_type == "month"]
        return months.index(w) if w in months else None

    # ---- counts per metric

    def _ckmb(self, w: _Window) -> dict[str, tuple[float, float]]:
        """Publication counts, province-wide (the portal gives every unit the province's)."""
        p = self.pubs
        due = (p.due >= w.a) & (p.due <= w.e)
        published = p.pub_ok & (p.published >= w.a) & (p.published <= w.e)
        public = p.made_ok & (p.made <= w.e)
        return {
            "PUBLISH_ON_TIME": (int((due & p.pub_ok & (p.published <= p.due)).sum()), due.sum()),
            "PUBLIC_UPDATE_ON_TIME": (
                int((published & p.made_ok & (p.made <= p.public_due)).sum()),
                int(published.sum()),
            ),
            "PUBLIC_CONTENT_FULL": (int((public & p.complete).sum()), int(public.sum())),
        }

    def _petitions(self, w: _Window, units: np.ndarray) -> dict[str, float]:
        """Feedback (PAKN) counts: to handle in P (received by its end, not answered before
        it), answered on time (or still within time at the end); received in P, satisfied
        (answered on time, not dissatisfied, or still within time), by topic."""
        f = self.fb
        day = f.rts // DAY
        answered = np.where(f.res_ok, f.res // DAY, 10**9)
        mine = np.isin(f.unit, units)
        handle = mine & (day <= w.e) & (answered >= w.a)
        by_end = answered <= w.e
        in_time = (by_end & (answered <= f.due_day)) | (~by_end & (f.due_day >= w.e))
        new = handle & (day >= w.a)
        late = (by_end & ((f.sat == 0) | (answered > f.due_day))) | (~by_end & (f.due_day < w.e))
        return {
            "to_handle": int(handle.sum()),
            "on_time": int((handle & in_time).sum()),
            "total": int(new.sum()),
            "satisfied": int((new & ~late).sum()),
            "tthc": int((new & (f.topic == 0)).sum()),
            "staff": int((new & (f.topic == 1)).sum()),
            "classified": int((new & (f.topic <= 1)).sum()),
        }

    def figures(self, w: _Window, units: np.ndarray, gap_unit: str | None) -> _Figures:
        """The figures of the units at ``units`` together (one unit, or the province)."""

        def s(name: str) -> float:
            return float(w.n[name][units].sum())

        def procs(name: str) -> int:
            return int(w.procs[name][units].any(axis=0).sum())

        pet = self._petitions(w, units)
        handle, in_time = s("to_handle"), s("in_time")
        satisfied = max(0.0, in_time - s("complaints"))
        if gap_unit == GAPS.satisfaction:  # gap 2
            satisfied += math.ceil((handle - satisfied) / 2)
        counts: dict[str, tuple[float | None, float | None]] = {
            **self._ckmb(w),
            "DOSSIER_SYNC": (s("synced"), s("synced")),
            "ORIGINAL_RESULT_AVAILABLE": (s("eres"), s("resdoc")),
            "SO_HOA_GIAY_TO_GIAI_QUYET": (s("digit"), s("received")),
            "REUSED_DIGITIZED_DATA": (s("reuse"), s("received")),
            "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": (s("store"), s("received")),
            "CITIZEN_DATA_CONNECTED_DOSSIER": (s("vneid"), s("received")),
            "CITIZEN_DATA_CONNECTED_FORMALITY": (procs("citizen_vneid"), procs("citizen")),
            "ELECTRONIC_CERTIFIED_COPY": (None, None),
            "DOSSIER_RECEIVING_SATISFACTION": (satisfied, handle),
            "PETITION_PROCESSING_ON_TIME": (pet["on_time"], pet["to_handle"]),
            "PETITION_HANDLING_SATISFACTION": (pet["satisfied"], pet["total"]),
            "PETITION_CLASSIFICATION_TTHC": (pet["tthc"], pet["total"]),
            "PETITION_CLASSIFICATION_STAFF": (pet["staff"], pet["total"]),
        }
        offers = any(_offers(self.cat, int(i)) == "1" for i in units)
        blocks: dict[str, dict] = {g: {"metrics": []} for g in ("CKMB", "MDSH", "MDHL")}
        for rule in self.rules:
            if rule.code not in counts:
                continue
            num, den = counts[rule.code]
            metric = {"code": rule.code, "name": rule.name, "numerator": _int(num)}
            metric["denominator"] = _int(den)
            if rule.code == "ELECTRONIC_CERTIFIED_COPY":
                metric["ratio"], points = (100, 2.0) if offers else (0, 0.0)
            else:
                metric["ratio"] = round2(100 * num / den) if den else 0
                points = rule_points(rule, num, den)
                points = None if points is None else round2(points)
            if (gap_unit, self._month_index(w), rule.code) == GAPS.metric_points:  # gap 3
                if points is None:  # no dossiers: points where none are due
                    points = _POINTS_OFF
                else:
                    points = round2(
                        points + (-_POINTS_OFF if points >= _POINTS_OFF else _POINTS_OFF)
                    )
            metric["score"] = points
            metric["maxScore"] = _int(rule.max_points)
            if rule.code == "DOSSIER_SYNC":
                metric["dataQualityStatus"] = "TEMP_NATIONAL_REPORT_DENOMINATOR"
                metric["dataQualityMessage"] = (
                    "Mẫu số BCQG/GRIS đang dùng số tạm, cần thay bằng dữ liệu crawl hệ thống cũ."
                )
            blocks[rule.group]["metrics"].append(metric)
        groups: dict[str, float] = {}
        for g in ("CKMB", "MDSH", "MDHL"):
            groups[g] = round2(sum(m["score"] or 0 for m in blocks[g]["metrics"]))
        rule = next(r for r in self.rules if r.group == "TDGQ")
        on_time = min(in_time, handle)
        groups["TDGQ"] = round2(rule_points(rule, on_time, handle) or 0.0)
        groups["CLGQ"] = self._clgq(w, units, s, procs)
        groups["TTTT"] = self._tttt(s, procs)
        res = s("res")
        tdgq = {
            "totalReceived": int(handle),
            "totalOnTime": int(on_time),
            "totalOverdue": int(handle - on_time),
            "avgProcessingDays": round2(s("res_days") / res) if res else None,
            "ratio": round2(100 * on_time / handle) if handle else 0,
            "score": groups["TDGQ"],
            "maxScore": _int(self.maxima["TDGQ"]),
        }
        indicators = {_BLOCKS["TDGQ"]: tdgq}
        for g in ("CKMB", "MDSH", "CLGQ", "TTTT", "MDHL"):
            body = {
                "score": groups[g],
                "maxScore": _int(self.maxima[g]),
                "ratio": round2(100 * groups[g] / self.maxima[g]),
            }
            if g == "TTTT":
                body.update(
                    totalDossierOnlinePaymentSuccess=int(s("feepaid")),
                    totalDossierFinancialObligation=int(s("fee")),
                    totalDossierOnlineFormalityPaymentSuccess=procs("fee_paid"),
                    totalFeeFormality=procs("fee"),
                )
            if g == "MDHL":
                rated = s("ratings")
                body.update(
                    totalPetitions=pet["total"],
                    classifiedPetitions=pet["classified"],
                    totalDossiers=int(handle),
                    averageScore=round2(s("rating_sum") / rated) if rated else None,
                )
            if g in blocks:
                body["metrics"] = blocks[g]["metrics"]
            indicators[_BLOCKS[g]] = body
        total = round2(sum(groups.values()))
        return _Figures(groups, total, indicators)

    def _clgq(self, w: _Window, units: np.ndarray, s, procs) -> float:
        """CLGQ as qd766-v1's 3.1-3.3 (the portal's formula is not published)."""
        any_, full, full_online = procs("any"), procs("full"), procs("full_online")
        received, online = s("received"), s("online")
        p31 = 2 * min(1.0, full / any_ / 0.8) if any_ else 0.0
        p32 = 4 * full_online / full if full else 0.0
        p33 = 6 * min(1.0, online / received / 0.5) if received else 0.0
        return round2(p31 + p32 + p33)

    def _tttt(self, s, procs) -> float:
        """TTTT as the observed 6A + min(2; 2.5B) + 2.5C, with qd766-v1's 3.4-3.6: A the fee
        dossiers paid online, B the fee procedures paid online, C those payable on the national
        portal (the portal publishes neither the formula nor C)."""
        fee, fee_procs = s("fee"), procs("fee")
        a = s("feepaid") / fee if fee else 0.0
        b = procs("fee_paid") / fee_procs if fee_procs else 0.0
        c = procs("fee_payable") / fee_procs if fee_procs else 0.0
        return round2(6 * a + min(2.0, 2.5 * b) + min(2.0, 2.5 * c))

    # ---- documents

    def write(self, out: Path) -> list[str]:
        """Write every file; their paths relative to ``out``."""
        folder = out / FOLDER
        written = []
        listed = [i for i, c in enumerate(self.codes) if c and c != PORTAL_PROVINCE]
        gap_of = {i: k for k, i in self.keys.items() if not k.endswith(":-1")}
        for w in self.c.windows:
            province_units = np.array([i for i, c in enumerate(self.codes) if c], np.int64)
            overview_fig = self.figures(w, province_units, None)
            entries = []
            for i in listed:
                fig = self.figures(w, np.array([i]), gap_of.get(i))
                entries.append((i, fig))
            if self._month_index(w) == GAPS.total_sum[1]:  # gap 3
                for i, fig in entries:
                    if gap_of.get(i) == GAPS.total_sum[0]:
                        fig.total = round2(fig.total + _TOTAL_OFF)
            entries.sort(key=lambda e: (-e[1].total, self.codes[e[0]]))
            units = [self._entry(i, fig) for i, fig in entries]
            _rank(units)
            tag = w.cap.captured.date().isoformat()
            overview = self._overview(overview_fig)
            meta = self._metadata(w.cap)
            counts = {
                "totalUnitsCount": len(units),
                "agencyCount": sum(u["childGroup"] == "AGENCY" for u in units),
                "communeCount": sum(u["childGroup"] == "COMMUNE" for u in units),
            }
            details = [
                {
                    **{k: v for k, v in u.items() if k not in ("rank", "groupRank")},
                    "componentIndicators": fig.indicators,
                    "rank": u["rank"],
                    "groupRank": u["groupRank"],
                }
                for u, (_, fig) in zip(units, entries, strict=True)
            ]
            name = "details" if w.cap.time_type == "year" else f"details_{w.cap.text}"
            docs = {
                f"{PROVINCE_FOLDER}/{name}_{tag}.json": {
                    "metadata": meta,
                    "overview": _header_only(overview),
                    **counts,
                    "unitsDetail": details,
                }
            }
            if w.cap.time_type == "year":
                for member, group in (("agencies", "AGENCY"), ("communes", "COMMUNE")):
                    mine = [u for u in units if u["childGroup"] == group]
                    docs[f"{PROVINCE_FOLDER}/{member}_{tag}.json"] = {
                        "metadata": {**meta, "sourceUrl": _SOURCE},
                        "overview": {**overview, **counts},
                        "count": len(mine),
                        member: mine,
                    }
                docs[f"national_{tag}.json"] = self._national(w, overview)
            for rel, doc in docs.items():
                path = folder / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
                path.write_text(text, encoding="utf-8")
                written.append(f"{FOLDER}/{rel}")
        return sorted(written)

    def _entry(self, i: int, fig: _Figures) -> dict:
        u = self.cat.units
        return {
            "departmentId": _fake_id(self.codes[i]),
            "departmentName": f"{u.names[i]} - tỉnh Minh Họa",
            "departmentCode": self.codes[i],
            "childGroup": "AGENCY" if u.kinds[i] == "dept" else "COMMUNE",
            "totalScore": fig.total,
            "ratio": fig.total,
            "scoreDelta": None,
            "groupScores": {_UNIT_GROUP_KEYS.get(g, g): fig.groups[g] for g in _GROUP_ORDER},
        }

    def _overview(self, fig: _Figures) -> dict:
        return {
            "departmentName": PROVINCE_PORTAL_NAME,
            "departmentCode": PORTAL_PROVINCE,
            "totalScore": fig.total,
            "totalMaxScore": 100,
            "ratio": fig.total,
            "scoreDelta": None,
            "groupScores": {g: fig.groups[g] for g in _PROVINCE_GROUP_ORDER},
        }

    def _metadata(self, cap: Capture) -> dict:
        return {
            "province": PROVINCE_PORTAL_NAME,
            "provinceCode": PORTAL_PROVINCE,
            "rootDepartmentId": _fake_id(PORTAL_PROVINCE),
            "runDateStr": cap.captured.strftime("%d%m%Y"),
            "timeType": cap.time_type,
            "year": cap.year,
            "period": cap.number,
            "periodLabel": cap.label,
            "extractedAt": cap.captured.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def _national(self, w: _Window, overview: dict) -> dict:
        """The national ranking of the year to date: the sample province among four fictional
        ones (their scores drawn from [seed, 6])."""
        rng = np.random.default_rng([self.c.seed, 6])
        rows = [
            {
                "departmentId": _fake_id(PORTAL_PROVINCE),
                "departmentName": PROVINCE_PORTAL_NAME,
                "departmentCode": PORTAL_PROVINCE,
                "totalScore": overview["totalScore"],
                "ratio": overview["ratio"],
                "scoreDelta": round2(float(rng.uniform(-5, 15))),
                "groupScores": overview["groupScores"],
            }
        ]
        for code, name, good in OTHER_PROVINCES:
            groups = {}
            for g in _PROVINCE_GROUP_ORDER:
                share = float(np.clip(rng.normal(0.35 + 0.5 * good, 0.08), 0.05, 1.0))
                groups[g] = round2(self.maxima[g] * share)
            total = round2(sum(groups.values()))
            rows.append(
                {
                    "departmentId": _fake_id(code),
                    "departmentName": name,
                    "departmentCode": code,
                    "totalScore": total,
                    "ratio": total,
                    "scoreDelta": round2(float(rng.uniform(-5, 15))),
                    "groupScores": groups,
                }
            )
        rows.sort(key=lambda r: (-r["totalScore"], r["departmentCode"]))
        mean = round2(sum(r["totalScore"] for r in rows) / len(rows))
        return {
            "metadata": {
                "timeType": w.cap.time_type,
                "year": w.cap.year,
                "period": w.cap.number,
                "periodLabel": w.cap.label,
                "extractedAt": w.cap.captured.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sourceUrl": _SOURCE,
                "note": "Bảng xếp hạng giả lập: mọi tỉnh trong tệp này đều không có thật.",
            },
            "overview": {
                "departmentName": "Cả nước",
                "departmentCode": None,
                "totalScore": mean,
                "totalMaxScore": 100,
                "ratio": mean,
            },
            "evaluation": rows,
        }


PROVINCE_PORTAL_NAME = "UBND tỉnh Minh Họa (giả lập)"
_SOURCE = "https://dichvucong.gov.vn/api/v1/reporting/evaluation/service-results"
_GROUP_ORDER = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")
_PROVINCE_GROUP_ORDER = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH")


def _header_only(overview: dict) -> dict:
    """A details file's overview: name, code and total, as the real files."""
    keys = ("departmentName", "departmentCode", "totalScore", "totalMaxScore", "ratio")
    return {k: overview[k] for k in keys}


def _fake_id(code: str) -> str:
    """A made-up, stable UUID for a portal code (not the portal's)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"minhbach-sample:{code}"))


def _int(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _rank(units: list[dict]) -> None:
    """The crawler's rank (1..N in file order) and rank within the child group."""
    seen: dict[str, int] = {}
    for n, u in enumerate(units, start=1):
        seen[u["childGroup"]] = seen.get(u["childGroup"], 0) + 1
        u["rank"], u["groupRank"] = n, seen[u["childGroup"]]


def write_portal(out: Path, counts: PortalCounts, pubs: Publications, fb: Answered) -> list[str]:
    return PortalWriter(counts, pubs, fb).write(out)


def clean_portal(out: Path) -> None:
    """Remove the JSON files an earlier run wrote (and the folders they leave empty)."""
    folder = out / FOLDER
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("national_*.json")) + sorted(
        (folder / PROVINCE_FOLDER).glob("*.json")
    ):
        path.unlink()
    for d in (folder / PROVINCE_FOLDER, folder):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
