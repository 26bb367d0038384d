"""The command that collects the portal's published Decision 766 evaluation (``make fetch``).

``python -m minhbach.portal.fetch`` collects what ``[portal]`` in minhbach.toml names (provinces,
periods, endpoints) into ``[portal] folder`` (``collect.py``: one capture folder per day, every
response saved as received), politely (``client.py``): one request at a time, ``[portal]
pause_seconds`` apart, with a User-Agent naming the project and its address (``[portal]
project_url``, else ``[province] site_url``, else the repository on GitHub Actions). With no
provinces or no periods it collects nothing (exit code 0).

``--province``, ``--period``, ``--year``, ``--quarter``, ``--month`` make the plan from the command
line instead (``--province H21 --year 2026 --quarter 3 --out data/portal``); without a period
it is the current year. ``--restore URL`` only reads back the capture days published at ``URL``
(``…/du-lieu/cong-dvcqg/``) that the folder lacks (``published.py``): the publish workflow's
runner keeps no files between runs.

One line per request on stderr; on failure one ``lỗi: …`` line with exit code 2, every earlier
capture as it was.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from ..config import DEFAULT_CONFIG, ROOT, Settings, load_settings, web_address_problem
from ..errors import BuildError, InputError
from ..publish.fetch import OneLineParser
from ..runtime import warn
from .client import DEFAULT_BASE_URL, MAX_ERRORS, TIMEOUT, check_base_url, default_user_agent
from .collect import collect
from .folders import capture_folder
from .plan import ENDPOINTS, PAGE_SIZE, FetchPlan, plan_from_config, utc_now, vn_today
from .published import restore

DEFAULT_OUT = ROOT / "data" / "portal"  # with a plan from the command line and no [portal] folder
_PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")


def project_url(settings: Settings, environ: Mapping[str, str] = os.environ) -> str | None:
    """The address the User-Agent names: ``[portal] project_url``, else the site's address
    (unless it is the shipped placeholder), else the repository's on GitHub Actions."""
    if settings.portal_project_url:
        return settings.portal_project_url
    host = urllib.parse.urlsplit(settings.site_url).hostname or ""
    if settings.site_url and host not in _PLACEHOLDER_HOSTS and not host.endswith(".example"):
        return settings.site_url
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if server and repository:
        return f"{server.rstrip('/')}/{repository}"
    return None


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m minhbach.portal.fetch",
        description="Lấy kết quả đánh giá theo Quyết định 766 từ Cổng Dịch vụ công quốc gia.",
    )
    parser.add_argument("--config", type=Path, help="tệp cấu hình (mặc định: minhbach.toml)")
    parser.add_argument(
        "--province",
        action="extend",
        nargs="+",
        default=[],
        help="mã (H21) hoặc tên tỉnh/thành phố; nhiều tỉnh: lặp lại hoặc liệt kê",
    )
    parser.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    parser.add_argument(
        "--quarter", type=int, action="extend", nargs="+", choices=range(1, 5), help="quý 1-4"
    )
    parser.add_argument(
        "--month", type=int, action="extend", nargs="+", choices=range(1, 13), help="tháng 1-12"
    )
    parser.add_argument(
        "--period",
        action="extend",
        nargs="+",
        help="kỳ: 2026, 2026-Q3, 2026-09, current-year, current-quarter, last-quarter, last-month",
    )
    parser.add_argument(
        "--endpoint", action="extend", nargs="+", choices=ENDPOINTS, help="mặc định: [portal]"
    )
    parser.add_argument("--out", type=Path, help="thư mục lưu (mặc định: [portal] folder)")
    parser.add_argument("--restore", metavar="URL", help="chỉ đọc lại các bản chụp đã công bố")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="địa chỉ gốc của API")
    parser.add_argument("--project-url", help="địa chỉ ghi trong User-Agent")
    parser.add_argument("--pause", type=float, help="số giây nghỉ giữa hai yêu cầu")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="số giây chờ một yêu cầu")
    parser.add_argument(
        "--max-errors", type=int, default=MAX_ERRORS, help="dừng sau chừng ấy lỗi liên tiếp"
    )
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="số đơn vị mỗi trang")
    return parser


def _periods_from_args(args, today) -> list[str]:
    periods = list(args.period or [])
    year = args.year if args.year is not None else today.year
    periods += [f"{year}-Q{q}" for q in args.quarter or []]
    periods += [f"{year}-{m:02d}" for m in args.month or []]
    if not periods or (args.year is not None and not (args.quarter or args.month)):
        periods.append(str(year))
    return periods


def _plan(args, settings: Settings, today) -> FetchPlan | None:
    """The plan of the command line when it names provinces or periods, else of [portal]
    (None: it names no province or no period)."""
    endpoints = args.endpoint or settings.portal_endpoints
    options = {"endpoints": endpoints, "page_size": args.page_size, "today": today}
    if args.province or args.period or args.year is not None or args.quarter or args.month:
        return plan_from_config(args.province, _periods_from_args(args, today), **options)
    if not settings.portal_fetching:
        return None
    where = f"{settings.config_path or DEFAULT_CONFIG.name}: [portal]"
    return plan_from_config(
        settings.portal_provinces, settings.portal_periods, where=where, **options
    )


def _user_agent(args, settings: Settings) -> str:
    url = args.project_url or project_url(settings)
    if args.project_url and web_address_problem(args.project_url):
        raise InputError("--project-url", web_address_problem(args.project_url))
    if not url:
        raise InputError(
            f"{settings.config_path or DEFAULT_CONFIG.name}: [portal] project_url",
            "cần địa chỉ của dự án để ghi trong User-Agent gửi tới cổng "
            "(hoặc [province] site_url là địa chỉ thật của trang)",
        )
    return default_user_agent(url)


def _command(args, collect_options: dict) -> int:
    settings = load_settings(args.config)
    out = args.out or capture_folder(settings)
    if args.restore:
        if out is None:
            print("không có [portal] folder: không có bản chụp nào để đọc lại")
            return 0
        days = restore(args.restore, out, warn=warn)
        print(f"đã đọc lại {len(days)} ngày bản chụp của cổng vào {out}", file=sys.stderr)
        return 0
    plan = _plan(args, settings, vn_today(collect_options.get("clock", utc_now)()))
    check_base_url(args.base_url)
    if plan is None:
        print("[portal] chưa nêu provinces và periods: không lấy đánh giá của cổng")
        return 0
    options = {
        "base_url": args.base_url,
        "pause": settings.portal_pause_seconds if args.pause is None else args.pause,
        "timeout": args.timeout,
        "max_errors": args.max_errors,
        "user_agent": _user_agent(args, settings),
        **collect_options,
    }
    report = collect(plan, out or DEFAULT_OUT, **options)
    skipped = f"; {len(report.skipped)} yêu cầu bỏ qua sau hai lần lỗi" if report.skipped else ""
    print(
        f"đã lưu {len(report.files)} phản hồi ({report.requests} yêu cầu) vào "
        f"{report.folder}{skipped}",
        file=sys.stderr,
    )
    return 0


def _stop_on_signal(signum, frame):  # noqa: ARG001 - signal handler
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, **collect_options) -> int:
    """The command; ``collect_options`` go to ``collect`` (tests: clock, sleep, opener…)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.pause is not None and args.pause < 0) or args.timeout <= 0:
        parser.error("--pause phải >= 0 và --timeout phải > 0")
    previous = signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        return _command(args, collect_options)
    except BuildError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"lỗi: {where}không ghi được ({exc.strerror or type(exc).__name__}); "
            "dữ liệu đã lấy trước giữ nguyên",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("lỗi: đã dừng theo yêu cầu; dữ liệu đã lấy trước giữ nguyên", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
