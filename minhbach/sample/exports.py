"""A month's dossiers as the export files show them: in order of receipt, with their MaHoSo,
as the dossier table's columns (DOSSIER_COLUMNS) and the supplement table's rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import DAY, Period
from .catalogue import Catalogue
from .dossiers import Dossiers
from .text import digits, fmt_int, fmt_time, join, take

# Months whose dossier exports come from the "new software": Vietnamese timestamps, UTF-8 BOM.
VN_FORMAT_MONTHS = ("2025-03", "2025-04", "2025-05")
# Codes of the "unknown procedure" rows: a local code, a truncated national one.
_UNKNOWN_CODES = pa.array(["T-Z99-285417-TT", "1.00119"])


def time_style(month_key: str) -> str:
    """How the month's export writes timestamps: "vn" (dd/mm/yyyy) or "dvcqg" (yyyyMMddHHmmss)."""
    return "vn" if month_key in VN_FORMAT_MONTHS else "dvcqg"


class DayCodes:
    """yymmdd of every day of the period (and 40 days before), for MaHoSo."""

    def __init__(self, period: Period) -> None:
        self.base = period.first_day - 40
        days = np.arange(self.base, period.as_of_day + 2, dtype=np.int64)
        dates = fmt_time(days * DAY, None, "date")
        self.codes = pc.utf8_slice_codeunits(pc.replace_substring(dates, "-", ""), 2, 8)


def file_order(d: Dossiers) -> tuple[np.ndarray, np.ndarray]:
    """Rows in order of receipt (submission when never received); the order and its inverse."""
    n = d.n
    ev = np.where(d.received, d.recv, d.sub)  # always on `day`, the row's day of receipt
    order = np.lexsort((np.arange(n), ev))
    inv = np.empty(n, np.int64)
    inv[order] = np.arange(n)
    return order, inv


def dossier_ids(
    s: Dossiers, inv: np.ndarray, cat: Catalogue, days: DayCodes
) -> tuple[pa.Array, pa.Array]:
    """MaHoSo of the rows in file order (``s``): the unit's code, yymmdd and a sequence number
    within the unit's day. A repeated row carries the id of the row it repeats. Returns the ids
    and ``src``, the row whose id (and applicant) each row carries."""
    n = s.n
    key = s.unit * 100_000 + (s.day - days.base)
    o2 = np.lexsort((np.arange(n), key))
    ks = key[o2]
    starts = np.r_[True, ks[1:] != ks[:-1]] if n else np.array([], bool)
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) if n else starts
    seq = np.empty(n, np.int64)
    seq[o2] = np.arange(n) - first + 1
    ids = join(
        take(cat.unit_ids, s.unit),
        take(days.codes, s.day - days.base),
        pc.utf8_lpad(fmt_int(seq), 4, "0"),
        sep="-",
    )
    src = np.arange(n)
    dpos = np.nonzero(s.dup_of >= 0)[0]
    src[dpos] = inv[s.dup_of[dpos]]
    src_pa = pa.array(src)
    return ids.take(src_pa), src_pa


def dossier_columns(
    s: Dossiers,
    ids: pa.Array,
    names: pa.Array,
    src: pa.Array,
    rng: np.random.Generator,
    cat: Catalogue,
    style: str,
) -> list[pa.Array]:
    """The dossier table (DOSSIER_COLUMNS), with fake phone and ID numbers."""
    n = s.n
    code = pc.if_else(
        pa.array(s.proc_code >= 0),
        take(cat.codes, np.maximum(s.proc_code, 0)),
        take(_UNKNOWN_CODES, np.maximum(-1 - s.proc_code, 0)),
    )
    return [
        ids,
        take(cat.unit_ids, s.unit),
        code,
        fmt_int(s.channel),
        fmt_int(s.status),
        fmt_time(s.sub, s.sub_ok, style),
        fmt_time(s.recv, s.recv_ok, style),
        fmt_time(s.due, s.due_ok, style),
        fmt_time(s.fin, s.fin_ok, style),
        fmt_time(s.ret, s.ret_ok, style),
        fmt_int(s.rm_post.astype(np.int64), s.ret_ok),
        fmt_int(s.paid),
        fmt_int(s.synced.astype(np.int64)),
        fmt_int(s.digit.astype(np.int64)),
        fmt_int(s.reuse.astype(np.int64)),
        fmt_int(s.store.astype(np.int64)),
        fmt_int(s.eres.astype(np.int64)),
        fmt_int(s.vneid.astype(np.int64)),
        fmt_int(s.app),
        names,
        join("09", digits(rng, n, 8)).take(src),
        join("099", digits(rng, n, 9)).take(src),
        join(take(cat.short_names, s.proc), names, sep=" - "),
    ]


def supplement_columns(s: Dossiers, ids: pa.Array, end: int) -> list[pa.Array]:
    """One row per supplement round requested by the as-of date (``end``), by dossier then
    round; received and new due date empty while the supplement is awaited."""
    child_ok = ~s.nochild
    rows, rounds = [], []
    for i in range(2):
        sel = np.nonzero((s.rounds > i) & (s.req[i] <= end) & child_ok)[0]
        rows.append(sel)
        rounds.append(np.full(len(sel), i))
    row, rnd = np.concatenate(rows), np.concatenate(rounds)
    srt = np.lexsort((rnd, row))
    row, rnd = row[srt], rnd[srt]
    done = s.sup[rnd, row] <= end
    return [
        ids.take(pa.array(row)),
        fmt_time(s.req[rnd, row], None, "dvcqg"),
        fmt_time(s.sup[rnd, row], done, "dvcqg"),
        fmt_time(s.newdue[rnd, row], done, "dvcqg"),
    ]
