"""``python -m minhbach.sample``: write the fictional sample province into a folder."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from . import DEFAULT_AS_OF, DEFAULT_DOSSIERS, DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minhbach.sample",
        description="Write the fictional sample province (synthetic data) into a folder.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS, help="number of dossiers")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", choices=("sample", "large"), default="sample")
    parser.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="YYYY-MM-DD"
    )
    parser.add_argument(
        "--units", type=int, help="about this many units (--scale large only; benchmark)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(
        args.out,
        dossiers=args.dossiers,
        seed=args.seed,
        scale=args.scale,
        fmt=args.fmt,
        as_of=args.as_of,
        units=args.units,
    )
    elapsed = time.perf_counter() - started
    for name, rows in counts.items():
        print(f"{name:24s} {rows:>12,d}")
    print(f"written to {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
