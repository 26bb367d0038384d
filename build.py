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
import errno
import faulthandler
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
EARLIEST_AS_OF = dt.date(2000, 1, 1)  # the data contract quarantines anything before 2000

# OSError numbers a user can fix, in words (anything else: the system's own short name)
_OS_PROBLEMS = {
    errno.ENOENT: "không tìm thấy",
    errno.EACCES: "không có quyền đọc/ghi",
    errno.EPERM: "không có quyền đọc/ghi",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "là thư mục, cần một tệp",
    errno.EEXIST: "đã tồn tại",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.ELOOP: "liên kết tượng trưng vòng lặp",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ENOTEMPTY: "thư mục không rỗng",
    errno.EXDEV: "--out phải ở cùng ổ đĩa với thư mục làm việc",
}


class _Parser(argparse.ArgumentParser):
    """Argument errors as one ``lỗi:`` line with exit code 2, like every other bad input."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        message = " ".join(message.split())  # one line, whatever the arguments held
        print(f"lỗi: tham số dòng lệnh: {message} (xem --help)", file=sys.stderr)
        sys.exit(2)


def _os_problem(exc: OSError) -> str:
    """One line for an OSError: the path and the problem, never the system's long text."""
    problem = _OS_PROBLEMS.get(exc.errno) or (
        errno.errorcode.get(exc.errno, "") if exc.errno else ""
    )
    where = "" if exc.filename is None else str(exc.filename)
    if len(where) > 120:
        where = where[:60] + "…" + where[-59:]
    text = f"{where}: " if where else ""
    return f"{text}không đọc/ghi được ({problem or type(exc).__name__})"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def check_out(args: argparse.Namespace) -> str | None:
    """Why --out cannot be replaced by the site (it holds the inputs or the program), or None."""
    out = args.out.resolve()
    if out.exists() and not out.is_dir():
        return f"{args.out}: --out đã có và là một tệp, không phải thư mục"
    protected = [("thư mục chương trình", ROOT)]
    if args.data is not None:
        protected.append(("thư mục dữ liệu", args.data.resolve()))
    if args.config is not None:
        protected.append(("tệp cấu hình", args.config.resolve()))
    for what, path in protected:
        if _inside(path, out):
            return (
                f"{args.out}: --out trùng hoặc chứa {what} (trang mới thay thế cả thư mục "
                "--out): hãy chọn thư mục khác"
            )
    return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(description="Dựng trang minh bạch thủ tục hành chính.")
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
        text = args.as_of.strip()
        try:
            if not (len(text) == 10 and text[4] == "-" and text[7] == "-"):
                raise ValueError
            args.as_of = dt.date.fromisoformat(text)
        except ValueError:
            parser.error(
                f"--as-of phải là một ngày có thật dạng YYYY-MM-DD, nhận được {text[:40]!r}"
            )
        latest = dt.date(dt.date.today().year + 1, 12, 31)
        if not EARLIEST_AS_OF <= args.as_of <= latest:
            parser.error(
                f"--as-of {args.as_of.isoformat()} nằm ngoài khoảng cho phép "
                f"({EARLIEST_AS_OF.isoformat()} đến {latest.isoformat()})"
            )
    return args


def main(argv: list[str] | None = None) -> int:
    # A crash inside a native library (DuckDB, vl-convert) leaves the Python stack in the log
    # (function names only, never a value of the data) instead of nothing.
    faulthandler.enable()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = check_out(args)
    if problem:
        print(f"lỗi: {problem}", file=sys.stderr)
        return 2
    from minhbach.errors import BuildError
    from minhbach.pipeline import run
    from minhbach.runtime import stop_on_signals, stopped_by

    stop_on_signals()  # SIGTERM too stops the build as Ctrl-C does
    try:
        releases_dir = None
        if args.releases:
            releases_dir = False if args.releases.lower() == "none" else Path(args.releases)
        try:
            run(
                data=args.data,
                out=args.out,
                as_of=args.as_of,
                config=args.config,
                quiet=args.quiet,
                releases_dir=releases_dir,
            )
        except Exception:
            if stopped_by() is not None:  # the stop, turned into its own error by a library
                raise KeyboardInterrupt from None
            raise
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a folder or file that cannot be read or written: say which
        if args.debug:
            raise
        print(f"lỗi: {_os_problem(exc)}; trang cũ giữ nguyên", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lỗi: đã dừng theo yêu cầu; trang cũ giữ nguyên", file=sys.stderr)
        return 128 + (stopped_by() or signal.SIGINT)
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
