"""The bundled fictional sample province, written by a seeded generator.

``python -m minhbach.sample --out DIR [--dossiers N] [--seed S] [--scale sample|large]
[--format csv|parquet] [--as-of YYYY-MM-DD] [--units N]`` writes every table of the data contract
(../shared/spec/data-contract.md) into DIR, the national portal's evaluation of the province into
DIR/portal/ (``portal``), plus the marker file ``_synthetic.toml`` that tells the build to show a
"synthetic data" banner on every page.

Everything here is invented: "Tỉnh Minh Họa (giả lập)" is no real province, its districts and
communes have made-up names, every applicant name, phone and ID number is fake (ID numbers start
with the non-existent province code 099). What is real is the shape: the department names, the
2025 restructuring (mergers of departments on 1/3/2025, end of the district level and merger of
communes on 1/7/2025), the procedure names and fields, the DVCQG column names and status codes.

Deterministic: the same arguments give byte-identical files. There is no wall-clock time, no
dict/set ordering of data, and every random draw comes from a generator seeded from ``seed``
(the catalogue of units and procedures from a fixed seed, so it does not change with ``seed``).
Dossiers are generated one month at a time with numpy, without a Python loop per dossier.

The modules, by what they generate:

- ``units``, ``procedures``: the catalogue (agencies and procedures tables); ``catalogue``: the
  same as arrays for the draws (who handles what, per-unit propensities); ``people``: names.
- ``calendar``: working days, holidays, Tết, office hours; ``text``: columns of text, fast.
- ``dossiers``: the life of a month's dossiers; ``flaws``: the deliberately bad rows;
  ``exports``: the dossier and supplement files' rows.
- ``satisfaction``: ratings and feedback; ``publications``: procedure publication;
  ``scores``: the official scores.
- ``portal``: the national portal's published evaluation (``portal/``, JSON as a crawler saves
  it), computed from the dossiers the portal sees, with deliberate gaps (dossiers never synced,
  a satisfaction numerator that differs, two inconsistencies of the portal's own, units that
  match nothing) that data/README.md lists unit by unit.
- ``generator``: one run, in order; ``writer``: files and the marker; ``tables``: their columns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .generator import SHAPE, Generator
from .tables import (
    AGENCY_COLUMNS,
    DOSSIER_COLUMNS,
    FEEDBACK_COLUMNS,
    MARKER,
    PROCEDURE_COLUMNS,
    PUBLICATION_COLUMNS,
    RATING_COLUMNS,
    SCORE_COLUMNS,
    SUPPLEMENT_COLUMNS,
    TABLE_FILES,
)
from .units import PROVINCE_CODE, PROVINCE_NAME

__all__ = [
    "AGENCY_COLUMNS",
    "DEFAULT_AS_OF",
    "DOSSIER_COLUMNS",
    "FEEDBACK_COLUMNS",
    "MARKER",
    "PROCEDURE_COLUMNS",
    "PROVINCE_CODE",
    "PROVINCE_NAME",
    "PUBLICATION_COLUMNS",
    "RATING_COLUMNS",
    "SCORE_COLUMNS",
    "SHAPE",
    "SUPPLEMENT_COLUMNS",
    "TABLE_FILES",
    "generate",
]

DEFAULT_AS_OF = date(2026, 11, 15)
DEFAULT_DOSSIERS = 100_000
DEFAULT_SEED = 20261115


def generate(
    out_dir: Path,
    *,
    dossiers: int = DEFAULT_DOSSIERS,
    seed: int = DEFAULT_SEED,
    scale: str = "sample",
    fmt: str = "csv",
    as_of: date = DEFAULT_AS_OF,
    units: int | None = None,
) -> dict[str, int]:
    """Write the synthetic province into ``out_dir``; return the row count of every table.
    ``units`` (scale large only; the benchmark's provinces of thousands of unit pages): about
    that many units instead of the large scale's ~700."""
    if scale not in ("sample", "large"):
        raise ValueError(f"scale must be 'sample' or 'large', not {scale!r}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if dossiers < 0:
        raise ValueError("dossiers must not be negative")
    if units is not None and (scale != "large" or units < 50):
        raise ValueError("units needs scale 'large' and at least 50 units")
    return Generator(Path(out_dir), dossiers, seed, scale, fmt, as_of, units).run()
