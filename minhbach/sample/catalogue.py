"""Who handles what: the units and procedures as arrays the dossier draws index into.

Built once per run from the catalogue seed (it does not change with ``seed``): each unit's
propensities (to sync, digitise, issue electronic results, be rated, ask for supplements, get
feedback), which unit handles each procedure in each epoch of the 2025 restructuring, the pools
of districts and communes that share local procedures, the seasonal procedure mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from .calendar import day_number
from .procedures import OWNER_CHANGES, SEASONS, Procs, build_procedures
from .units import COMMUNE_DATE, MERGE_DATE, MERGERS, STRUCT_SEED, Units, build_units

# Epochs: 0 before 1/3/2025, 1 until 30/6/2025, 2 after.
EPOCH_START = (date(1900, 1, 1), MERGE_DATE, COMMUNE_DATE)
DISTRICT, COMMUNE = -1, -2  # owner of a local procedure: one of the pool's units, by population
PROVINCE = 0  # the People's Committee is the first unit
# Applicant type draws (1 citizen, 2 business, 3 state agency, 4 other) per procedure applicant.
_APPLICANTS = {
    "c": (0.97, 0.0, 0.0, 0.03),
    "b": (0.0, 0.9, 0.0, 0.1),
    "m": (0.6, 0.3, 0.05, 0.05),
    "s": (0.0, 0.0, 1.0, 0.0),
    "o": (0.0, 0.1, 0.0, 0.9),
}


def epoch(month: date) -> int:
    return 2 if month >= COMMUNE_DATE else 1 if month >= MERGE_DATE else 0


@dataclass
class UnitTraits:
    """Per-unit propensities, drawn once (one entry per unit)."""

    sync: np.ndarray  # share of dossiers synced to the national portal
    digit: np.ndarray  # digitising the dossier's documents
    eres: np.ndarray  # issuing an electronic result
    rate: np.ndarray  # applicants rating the service
    supp: np.ndarray  # asking for supplements
    fb: np.ndarray  # receiving feedback (PAKN)

    @classmethod
    def draw(cls, kinds: np.ndarray) -> UnitTraits:
        n = len(kinds)
        rng = np.random.default_rng([STRUCT_SEED, 3])
        return cls(
            sync=np.where(kinds == "commune", rng.uniform(0.86, 0.995, n), 0.985),
            digit=rng.uniform(0.7, 1.2, n),
            eres=rng.uniform(0.6, 1.15, n),
            rate=rng.uniform(0.15, 0.45, n),
            supp=rng.uniform(0.6, 1.5, n),
            fb=rng.uniform(0.7, 1.4, n),
        )


@dataclass
class Catalogue:
    units: Units
    procs: Procs
    n_units: int
    n_procs: int
    unit_ids: pa.Array
    kinds: np.ndarray
    late_a: np.ndarray  # late share at the start of the period, per unit
    late_b: np.ndarray  # and at its end
    online: np.ndarray  # online propensity, per unit
    traits: UnitTraits
    owner: np.ndarray  # (epoch, procedure): unit index, or DISTRICT / COMMUNE
    pools: list[dict[int, tuple[np.ndarray, np.ndarray]]]  # per epoch: units, cumulative pop
    valid_from: np.ndarray  # day numbers (far past / far future when open)
    valid_to: np.ndarray
    app_cum: np.ndarray  # (procedure, applicant type): cumulative probabilities
    codes: pa.Array  # MaTTHC
    short_names: pa.Array  # the procedure's name cut to about 70 characters
    mix: np.ndarray  # (calendar month 1-12, procedure): cumulative volume weights

    def active_units(self, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
        """Random units (departments and communes) that existed on each day."""
        out = np.zeros(len(days), np.int64)
        cand = np.nonzero(np.isin(self.kinds, ("dept", "commune", "new_commune")))[0]
        for i, d in enumerate(days):  # a handful of rows per month
            ok = cand[(self.valid_from[cand] <= d) & (self.valid_to[cand] >= d)]
            out[i] = ok[int(rng.integers(0, len(ok)))]
        return out


def build_catalogue(scale: str, units: int | None = None) -> Catalogue:
    u, p = build_units(scale, units), build_procedures(scale)
    kinds = np.array(u.kinds)
    return Catalogue(
        units=u,
        procs=p,
        n_units=len(u.ids),
        n_procs=len(p.codes),
        unit_ids=pa.array(u.ids, type=pa.string()),
        kinds=kinds,
        late_a=np.array(u.late_a),
        late_b=np.array(u.late_b),
        online=np.array(u.online),
        traits=UnitTraits.draw(kinds),
        owner=_owners(u, p),
        pools=_pools(u, kinds),
        valid_from=np.array([_day(v) if v else -(10**6) for v in u.valid_from]),
        valid_to=np.array([_day(v) if v else 10**7 for v in u.valid_to]),
        app_cum=np.cumsum(np.array([_APPLICANTS[a] for a in p.app]), axis=1),
        codes=pa.array(p.codes, type=pa.string()),
        short_names=pa.array([_short(n) for n in p.names], type=pa.string()),
        mix=_monthly_mix(p),
    )


def _day(iso: str) -> int:
    return day_number(date.fromisoformat(iso))


def _short(name: str) -> str:
    return name if len(name) <= 70 else name[:70].rsplit(" ", 1)[0] + "…"


def _owners(u: Units, p: Procs) -> np.ndarray:
    """The unit that handles each procedure in each epoch (DISTRICT/COMMUNE: a local one)."""
    key_idx = {k: i for i, k in enumerate(u.keys) if k}
    owner = np.zeros((3, len(p.codes)), dtype=np.int64)
    for e, es in enumerate(EPOCH_START):
        for j, (code, own) in enumerate(zip(p.codes, p.owners, strict=True)):
            for when, new in OWNER_CHANGES.get(code, ()):
                if es >= when:
                    own = new
            if own == "DIST":
                owner[e, j] = DISTRICT if es < COMMUNE_DATE else COMMUNE
            elif own == "COMM":
                owner[e, j] = COMMUNE
            elif own == "PROV":
                owner[e, j] = PROVINCE
            else:
                if es >= MERGE_DATE:
                    own = MERGERS.get(own, own)
                owner[e, j] = key_idx[own]
    return owner


def _pools(u: Units, kinds: np.ndarray) -> list[dict[int, tuple[np.ndarray, np.ndarray]]]:
    """Per epoch, the districts and the communes (old ones, then the merged ones from 1/7/2025)
    with their cumulative population, to draw the unit of a local procedure."""
    pop = np.array(u.pop)
    pools = []
    for e in range(3):
        dist = np.nonzero(kinds == "district")[0]
        comm = np.nonzero(kinds == ("new_commune" if e == 2 else "commune"))[0]
        pools.append(
            {DISTRICT: (dist, np.cumsum(pop[dist])), COMMUNE: (comm, np.cumsum(pop[comm]))}
        )
    return pools


def _monthly_mix(p: Procs) -> np.ndarray:
    """Cumulative procedure weights for each calendar month (seasonal procedures)."""
    mix = np.zeros((13, len(p.codes)))
    for mo in range(1, 13):
        w = p.weight.copy()
        for code, season in SEASONS.items():
            if code in p.codes:
                w[p.codes.index(code)] *= season.get(mo, 1.0)
        mix[mo] = np.cumsum(w)
    return mix
