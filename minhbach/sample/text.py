"""Columns of text from numpy arrays, fast: timestamps, numbers, labels, joined pieces.

Every output column is a pyarrow string array; a ``valid`` mask (True = has a value) turns the
other entries into nulls, written as empty cells.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import DAY

_PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), np.uint8).reshape(100, 2)
# C century, Y year in the century, M month, D day, h hour, m minute, s second; else literal
_TIME_TEMPLATES = {
    "dvcqg": "CYMDhms",
    "vn": "D/M/CY h:m:s",
    "vn_min": "D/M/CY h:m",
    "iso": "CY-M-D h:m:s",
    "date": "CY-M-D",
}


def _mask(valid: np.ndarray | None) -> np.ndarray | None:
    return None if valid is None else ~np.asarray(valid, dtype=bool)


def _time_parts(ts: np.ndarray) -> dict[str, np.ndarray]:
    """Two ASCII digits per row for each part of the timestamps."""
    days = np.floor_divide(ts, DAY)
    tod = (ts - days * DAY).astype(np.int32)
    d = days.astype("M8[D]")
    mo = d.astype("M8[M]")
    months = mo.astype(np.int64)
    year = (months // 12 + 1970).astype(np.int32)
    month = (months % 12 + 1).astype(np.int32)
    dom = (d - mo.astype("M8[D]")).astype(np.int32) + 1
    return {
        "C": _PAIRS[year // 100],
        "Y": _PAIRS[year % 100],
        "M": _PAIRS[month],
        "D": _PAIRS[dom],
        "h": _PAIRS[tod // 3600],
        "m": _PAIRS[tod // 60 % 60],
        "s": _PAIRS[tod % 60],
    }


def fmt_time(ts: np.ndarray, valid: np.ndarray | None, style: str) -> pa.Array:
    """Timestamps (int seconds, local time) as text: dvcqg yyyyMMddHHmmss, vn dd/mm/yyyy HH:MM:SS,
    vn_min dd/mm/yyyy HH:MM, iso yyyy-mm-dd HH:MM:SS, date yyyy-mm-dd."""
    ts = np.asarray(ts, dtype=np.int64)
    n = len(ts)
    parts = _time_parts(ts)
    template = _TIME_TEMPLATES[style]
    width = sum(2 if c in parts else 1 for c in template)
    buf = np.empty((n, width), np.uint8)
    pos = 0
    for c in template:
        if c in parts:
            buf[:, pos : pos + 2] = parts[c]
            pos += 2
        else:
            buf[:, pos] = ord(c)
            pos += 1
    raw = buf.view(f"S{width}").ravel() if n else np.array([], dtype=f"S{width}")
    return pa.array(raw, type=pa.binary(), mask=_mask(valid)).cast(pa.string())


def fmt_int(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=_mask(valid)).cast(pa.string())


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Identifiers such as DG00000042: a prefix, then the number padded with zeros."""
    return join(prefix, pc.utf8_lpad(fmt_int(numbers), width, "0"))


def take(strings: pa.Array | list[str], idx: np.ndarray, valid: np.ndarray | None = None):
    """strings[idx], null where not valid."""
    arr = strings if isinstance(strings, pa.Array) else pa.array(strings, type=pa.string())
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64), mask=_mask(valid)))


def digits(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    """n random strings of ``width`` digits."""
    return pc.utf8_lpad(fmt_int(rng.integers(0, 10**width, n)), width, "0")


def words(text: str) -> list[str]:
    """The words of a text (lists of names are written as one string)."""
    return text.split()


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)
