"""The writer: pages are registered with their figures, the charts drawn once for the whole
site (a process pool, :func:`minhbach.charts.render_figures`), and the pages written meanwhile.

In the build, each figure is a mark that :func:`~minhbach.render.splice.splice_figures` replaces
once MkDocs has built the site; so are the large tables a template marks ``<!--mb-defer-->``.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from .. import charts
from .context import Common, PageContext
from .env import environment
from .figures import chart_credit
from .splice import FIGURE_MARK

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..charts import Figure
    from ..config import Settings

# A raw HTML block that templates mark to be kept out of MkDocs like the figures (large
# tables of pages searched by title and description only).
DEFER_RE = re.compile(r"<!--mb-defer-->\n(.*?)\n<!--/mb-defer-->", re.S)


@dataclass
class PendingPage:
    path: str
    template: str
    context: dict
    page_dir: Path
    figure_ids: list[str] = field(default_factory=list)


class Writer:
    def __init__(
        self, docs: Path, info: BuildInfo, settings: Settings, figures_dir: Path | None = None
    ):
        self.docs = docs
        self.info = info
        self.figures_dir = figures_dir
        self.env = environment()
        self.common = Common.of(info, settings).values()
        self.pending: list[PendingPage] = []
        self.jobs: list[tuple[Path, Figure]] = []
        self.timings: dict[str, float] = {}

    def page(self, path: str, context: PageContext, figures: Iterable[Figure | None] = ()) -> None:
        """Register a page (``path`` under ``docs``) with its context; it is written by
        :meth:`start`, with its figures' HTML (a None figure is none)."""
        page_dir = (self.docs / path).parent
        figs = [
            dataclasses.replace(f, credit=chart_credit(self.info, path, f))
            for f in figures
            if f is not None
        ]
        self.jobs.extend((page_dir, f) for f in figs)
        self.pending.append(
            PendingPage(path, context.TEMPLATE, context.values(), page_dir, [f.id for f in figs])
        )

    @property
    def paths(self) -> frozenset[str]:
        """The pages registered so far (paths under ``docs``)."""
        return frozenset(p.path for p in self.pending)

    def finish(self, progress: Callable[[str], None] | None = None) -> dict[str, float]:
        """Render the charts and write the pages (:meth:`start`, then wait)."""
        return self.start(progress)()

    def start(
        self, progress: Callable[[str], None] | None = None
    ) -> Callable[..., dict[str, float]]:
        """Start drawing the charts (a process pool, from a background thread) and write the
        pages; returns the function that waits for the charts and gives the timings.

        Without ``figures_dir`` the pages hold their figures, so they are written once the
        charts are drawn. With it, they only hold marks, so they are written while the chart
        workers draw (the main process would otherwise wait idle), the charts' files (CSV,
        HTML snippet) go to ``figures_dir`` and the caller may build the site
        with MkDocs before waiting: :func:`splice_figures` puts them in place afterwards."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if progress:
            progress(f"vẽ {len(self.jobs)} biểu đồ…")
        inline = self.figures_dir is None
        jobs = self.jobs if inline else [(self._aside(d), f) for d, f in self.jobs]
        waiter = ThreadPoolExecutor(max_workers=1)
        stop = charts.Abort()
        drawing = waiter.submit(charts.render_figures, jobs, abort=stop) if jobs else None
        try:
            snippets: dict = {}
            if inline:
                snippets = drawing.result() if drawing else {}
                timings["charts"] = time.perf_counter() - started
            write_started = time.perf_counter()
            if progress:
                progress(f"viết {len(self.pending)} trang…")
            self._write_pages(snippets if inline else None)
            timings["write"] = time.perf_counter() - write_started
            self.timings = timings
        except BaseException:  # the charts are of no use now: their workers stop at once
            stop()
            waiter.shutdown(wait=True, cancel_futures=True)
            raise
        self.pending.clear()
        self.jobs.clear()
        return self._waiter(waiter, drawing, stop, timings, started, inline)

    def _waiter(self, waiter, drawing, stop, timings, started, inline):
        def wait(abort: bool = False) -> dict[str, float]:
            """Wait for the charts; with ``abort`` (the build failed), stop their workers at
            once instead (what they wrote is half done: the caller discards it)."""
            if abort:
                stop()
                waiter.shutdown(wait=True)
                return timings
            try:
                if not inline:
                    done = drawing.result() if drawing else {}
                    timings["charts"] = time.perf_counter() - started
                    for (folder, fid), html_text in done.items():
                        folder.mkdir(parents=True, exist_ok=True)
                        (folder / f"{fid}.html").write_text(html_text, encoding="utf-8")
            except BaseException:  # interrupted while waiting, or a chart failed
                stop()
                raise
            finally:
                waiter.shutdown(wait=True)
            return timings

        return wait

    def _aside(self, page_dir: Path) -> Path:
        """Where a page's figures are kept aside (``figures_dir`` mirrors ``docs``)."""
        assert self.figures_dir is not None
        return self.figures_dir / page_dir.relative_to(self.docs)

    def _write_pages(self, snippets: dict | None) -> None:
        """Every pending page: with ``snippets`` (no ``figures_dir``) the figures inline, else
        a mark per figure."""
        templates: dict[str, jinja2.Template] = {}
        self._made: set[Path] = set()
        for p in self.pending:
            if snippets is not None:
                figures = {fid: Markup(snippets[(p.page_dir, fid)]) for fid in p.figure_ids}
            else:
                figures = {fid: Markup(FIGURE_MARK.format(fid)) for fid in p.figure_ids}
            template = templates.get(p.template) or self.env.get_template(p.template)
            templates[p.template] = template
            text = self._defer_blocks(
                template.render(**self.common, **p.context, figures=figures), p
            )
            target = self.docs / p.path
            self._folder(target.parent)
            target.write_text(text, encoding="utf-8")

    def _folder(self, folder: Path) -> None:
        """Make a folder (and its parents) once per writing of the pages."""
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def _defer_blocks(self, text: str, p: PendingPage) -> str:
        """Blocks between ``<!--mb-defer-->`` and ``<!--/mb-defer-->``: kept in place, or with
        ``figures_dir`` put aside like the figures (``bang-1``, ``bang-2``… of the page)."""
        if self.figures_dir is None:
            return DEFER_RE.sub(lambda m: m.group(1), text)
        folder = self._aside(p.page_dir)
        count = 0

        def put_aside(m: re.Match) -> str:
            nonlocal count
            count += 1
            self._folder(folder)
            (folder / f"bang-{count}.html").write_text(m.group(1), encoding="utf-8")
            return FIGURE_MARK.format(f"bang-{count}")

        return DEFER_RE.sub(put_aside, text)
