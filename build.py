#!/usr/bin/env python3
"""Build the minhbach site.

    python build.py [--data DIR] [--out DIR] [--as-of DATE] [--config FILE]

Reads the one-stop exports in --data (default: the data source of minhbach.toml, the bundled
synthetic sample), computes every figure and writes the static site to --out (default: site/).
On bad input it prints one line naming the file and the problem, exits with code 2 and leaves
an existing --out untouched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dựng trang minh bạch thủ tục hành chính.")
    parser.add_argument("--data", type=Path, help="thư mục dữ liệu xuất (mặc định: minhbach.toml)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="thư mục trang web (site/)")
    parser.add_argument("--as-of", dest="as_of", help="ngày chốt số liệu, YYYY-MM-DD")
    parser.add_argument("--config", type=Path, help="tệp cấu hình (mặc định: minhbach.toml)")
    parser.add_argument(
        "--releases",
        help="thư mục các bản công bố trước (mặc định: minhbach.toml); 'none': không lưu",
    )
    parser.add_argument("--quiet", action="store_true", help="không in tiến độ")
    parser.add_argument("--debug", action="store_true", help="in traceback khi có lỗi nội bộ")
    args = parser.parse_args(argv)
    if args.as_of:
        try:
            args.as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            parser.error(f"--as-of phải có dạng YYYY-MM-DD, nhận được {args.as_of!r}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from minhbach.errors import BuildError
    from minhbach.pipeline import run

    try:
        releases_dir = None
        if args.releases:
            releases_dir = False if args.releases.lower() == "none" else Path(args.releases)
        run(
            data=args.data,
            out=args.out,
            as_of=args.as_of,
            config=args.config,
            quiet=args.quiet,
            releases_dir=releases_dir,
        )
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lỗi: đã dừng theo yêu cầu; trang cũ giữ nguyên", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep personal data out of it
        if args.debug:
            raise
        print(
            f"lỗi nội bộ ({type(exc).__name__}); trang cũ giữ nguyên. "
            "Chạy lại với --debug để xem chi tiết.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
