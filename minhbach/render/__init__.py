"""Writing the site's Markdown pages (Jinja2 templates in ``site_src/templates``).

Each page kind has its module: it reads its page tables (``queries/pages/page_<kind>_*.sql``:
the rows already chosen and ordered), fills a frozen dataclass whose fields are its template's
variables and registers the page with the :class:`~.writer.Writer`, which draws every chart of
the site at once (a process pool) while it writes the pages. In the build each figure is a
mark that :func:`splice_figures` replaces once MkDocs has built the site. The pages:

- ``index.md`` (home), ``xep-hang/index.md`` and ``xep-hang/<period>/index.md`` (rankings),
- ``co-quan/<slug>/index.md`` (one scorecard per unit of ``dim_agencies``),
- ``thu-tuc/<procedure_id>/index.md`` (one page per procedure with dossiers),
- ``thu-tuc/index.md``, ``co-quan/index.md`` (every procedure and unit, A–Z: no orphan page),
- ``du-lieu/``, ``phuong-phap/``, ``chat-luong-du-lieu/``, ``lich-su/``,
- ``kiem-tra-tu-xa/`` (the portal's figures beside our recomputation, largest gaps first),
- with the national portal's files: ``toan-quoc/``, ``danh-gia-cong/`` and one page per unit the
  portal evaluates ``danh-gia-cong/<code>/`` (render/portal.py); without dossier exports, the
  home page says the site is built from those files alone,
- ``co-quan/<slug>/cac-ky/`` (every period of a unit, one anchor each).

Unit, procedure and per-period ranking pages are not in the navigation (hub pages link to them).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..config import ROOT
from .archive import render_archives
from .data import render_data
from .gaps import render_gaps
from .history import render_history
from .home import render_home
from .indexes import render_indexes
from .methodology import render_methodology
from .portal import render_portal, render_portal_home
from .procedure import render_procedures
from .quality import render_quality
from .rankings import render_rankings
from .site import load_site
from .splice import splice_figures
from .unit import render_units
from .writer import Writer

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..config import Settings

__all__ = ["NAV", "render_all", "splice_figures", "start_all"]

ASSETS = ROOT / "site_src" / "assets"
# The navigation: (title, page); a page the build did not write is left out (a build from the
# portal's files alone has no rankings; one without them, no portal pages).
NAV = (
    ("Trang chủ", "index.md"),
    ("Xếp hạng", "xep-hang/index.md"),
    ("Kiểm tra từ xa", "kiem-tra-tu-xa/index.md"),
    ("Toàn quốc", "toan-quoc/index.md"),
    ("Điểm theo Cổng DVCQG", "danh-gia-cong/index.md"),
    ("Dữ liệu", "du-lieu/index.md"),
    ("Phương pháp", "phuong-phap/index.md"),
    ("Chất lượng dữ liệu", "chat-luong-du-lieu/index.md"),
    ("Lịch sử", "lich-su/index.md"),
)


def render_all(
    con: duckdb.DuckDBPyConnection, docs: Path, info: BuildInfo, settings: Settings, **options
) -> list:
    """Write every page into ``docs`` and draw the charts; returns the navigation
    (:func:`start_all` with the same ``options``, then wait for the charts)."""
    nav, wait = start_all(con, docs, info, settings, **options)
    wait()
    return nav


def register_pages(
    con: duckdb.DuckDBPyConnection,
    w: Writer,
    info: BuildInfo,
    settings: Settings,
    datasets: Sequence,
    releases: Sequence,
) -> str:
    """Register every page of every kind with the writer; returns how many, in words. A build
    from the portal's files alone (no dossier export) writes the portal's pages, its own home
    page and the pages about the data; none that needs dossiers."""
    site = load_site(con)
    counts = []
    if info.dossiers:
        render_home(con, w)
        periods = render_rankings(con, w, site)
        units = render_units(con, w, site, settings)
        render_archives(con, w, site)  # co-quan/<slug>/cac-ky/: every period of each unit
        procedures = render_procedures(con, w, site)
        render_indexes(con, w)  # thu-tuc/ and co-quan/: every procedure and unit, A–Z
        counts += [f"{units} đơn vị", f"{procedures} thủ tục", f"{periods} kỳ xếp hạng"]
    portal_units = render_portal(con, w, site)
    if not info.dossiers:
        render_portal_home(con, w)
    if portal_units:
        counts.append(f"{portal_units} đơn vị theo Cổng DVCQG")
    render_data(w, datasets)
    render_methodology(con, w, settings)
    render_quality(con, w)
    render_gaps(con, w)
    render_history(con, w, site, datasets, releases)
    return ", ".join(counts)


def start_all(
    con: duckdb.DuckDBPyConnection,
    docs: Path,
    info: BuildInfo,
    settings: Settings,
    *,
    datasets: Sequence = (),
    releases: Sequence = (),
    progress: Callable[[str], None] | None = None,
    figures_dir: Path | None = None,
    done_with_db: Callable[[], None] | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list, Callable[..., None]]:
    """Write every page into ``docs`` while the charts are drawn; returns the navigation and
    the function that waits for the charts (with ``abort=True``, after a failure: that stops
    them at once instead).

    The downloads (``du-lieu/``, ``co-quan/<slug>/<slug>.csv``) are written before by the
    pipeline: ``datasets`` lists them for ``/du-lieu/``, ``releases`` the earlier releases and
    this one for ``/lich-su/``.

    Charts are inline HTML (SVG and a data table). Parsing them is two thirds of MkDocs' time,
    so with ``figures_dir`` (a folder outside ``docs``) each page gets a mark
    ``<!--mb-figure:id-->`` instead and the figure and its files are kept in ``figures_dir``:
    the caller may then build the site with MkDocs while the charts are still being drawn,
    wait, and run :func:`splice_figures` on the built site before publishing it. Without
    ``figures_dir`` the charts are drawn before the pages are written (nothing to wait for).
    ``done_with_db`` is called once every query is done, before the chart workers start (the
    pipeline closes the database there: its memory and the workers' never add up).
    ``timings`` receives the seconds spent writing (``pages.write``) and drawing
    (``pages.charts``)."""
    started = time.perf_counter()
    timings = timings if timings is not None else {}
    docs.mkdir(parents=True, exist_ok=True)
    if ASSETS.exists():
        shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)
    w = Writer(docs, info, settings, figures_dir)
    counts = register_pages(con, w, info, settings, datasets, releases)
    nav = [{title: path} for title, path in NAV if path in w.paths]  # the pages written
    if progress:
        progress(f"trang: {counts} ({time.perf_counter() - started:.1f} s)")
    if done_with_db is not None:
        done_with_db()
    wait_charts = w.start(progress)
    timings["pages.write"] = w.timings["write"]

    def wait(abort: bool = False) -> None:
        seconds = wait_charts(abort)
        if not abort:
            timings["pages.charts"] = seconds["charts"]

    return nav, wait
