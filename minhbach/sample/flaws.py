"""Deliberately bad rows (about 0.3% of the dossiers), of the kinds real exports carry, so that
the build's quarantine and data-quality page have something to show.

They are made from well-formed dossiers without supplements, changed in place; they have no
child rows (supplements, ratings, feedback). Each kind appears at least once in the sample.
"""

from __future__ import annotations

import numpy as np

from .calendar import DAY
from .dossiers import Dossiers

_SHARE = 0.0007  # of the dossiers, for each kind


def spoil(d: Dossiers, rng: np.random.Generator) -> None:
    """Turn a few of the month's dossiers into bad rows (see the kinds below)."""
    n = d.n
    d.nochild = np.zeros(n, bool)
    d.dup_of = np.full(n, -1, np.int64)
    d.proc_code = d.proc.copy()
    d.due_ok = d.received.copy()
    d.recv_ok = d.received.copy()
    d.sub_ok = np.ones(n, bool)
    nbad = rng.poisson(n * _SHARE, len(_KINDS))
    for kind in range(len(_KINDS)):  # each kind at least once, in its own month
        if d.k == 3 + 5 * kind and n > 20:
            nbad[kind] = max(nbad[kind], 1)
    cand = np.nonzero(d.received & (d.rounds == 0))[0]
    if len(cand) <= 2 * nbad.sum() + 2:
        return
    pick = rng.choice(cand, size=2 * int(nbad.sum()), replace=False)
    pos = 0
    for kind, spoil_row in enumerate(_KINDS):
        for _ in range(int(nbad[kind])):
            j, i = int(pick[pos]), int(pick[pos + 1])  # i: a second row, for the repeated id
            pos += 2
            d.nochild[j] = True
            spoil_row(d, rng, j, i)


def _due_before_receipt(d: Dossiers, rng: np.random.Generator, j: int, i: int) -> None:
    d.due[j] = d.recv[j] - int(rng.integers(DAY, 3 * DAY))


def _unknown_procedure(d: Dossiers, rng: np.random.Generator, j: int, i: int) -> None:
    d.proc_code[j] = -1 - int(rng.integers(0, 2))


def _no_receipt(d: Dossiers, rng: np.random.Generator, j: int, i: int) -> None:
    """Status 4 (being processed) without NgayTiepNhan."""
    d.status[j] = 4
    d.recv_ok[j] = False
    _unfinished(d, j)


def _repeated_id(d: Dossiers, rng: np.random.Generator, j: int, i: int) -> None:
    """The same MaHoSo twice: an earlier snapshot of dossier i synced again as row j."""
    d.nochild[i] = True
    d.dup_of[j] = i
    for arr in (d.day, d.unit, d.proc, d.proc_code, d.channel, d.recv, d.sub, d.due):
        arr[j] = arr[i]
    for arr in (d.app, d.paid, d.synced, d.digit, d.reuse, d.store, d.vneid):
        arr[j] = arr[i]
    d.status[j] = 4
    _unfinished(d, j)
    d.recv_ok[j], d.due_ok[j] = d.recv_ok[i], d.due_ok[i]


def _unfinished(d: Dossiers, j: int) -> None:
    d.fin_ok[j] = d.ret_ok[j] = d.rm_post[j] = d.eres[j] = False


_KINDS = (_due_before_receipt, _unknown_procedure, _no_receipt, _repeated_id)
