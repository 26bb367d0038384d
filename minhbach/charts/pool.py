"""Drawing every figure of the site: a process pool whose workers die with the build.

:func:`render_figures` checks every figure and builds the templates of their shapes in the
build's process (Altair runs only there), then renders the figures in a pool of spawned
processes, each worker taking chunks of figures and writing their files itself. A worker dies
with the build process however it ends (PR_SET_PDEATHSIG on Linux, a watching thread
elsewhere), starts with the stop signals blocked and ignores Ctrl-C; an :class:`Abort` kills
the workers at once from another thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import cache
from .figure import Figure, check_figure, narrow
from .output import render_one
from .template import Template, shape_key, template

# A figure to render: its index in the jobs, its page folder, the figure, the keys of its
# shape and of its narrow variant's.
Job = tuple[int, str, Figure, tuple, tuple]

_worker_templates: dict[tuple, Template] = {}

# Signals that stop a build: the chart workers start with them blocked (a worker never dies of
# one half-started, with a traceback) and ignore Ctrl-C, which the terminal sends to the whole
# process group: the build stops its workers itself (:class:`Abort`).
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _init_worker(templates_file: str, build_pid: int) -> None:
    """A worker's start: dies with the build, ignores Ctrl-C, reads the templates.

    The templates come in a file, not through the pipe that starts the worker: a start message
    larger than the pipe holds keeps the build writing it until the new process has imported
    what it needs and reads it, and a build killed meanwhile leaves that process a cut message
    and a traceback on the build's terminal."""
    _die_with(build_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    with open(templates_file, "rb") as f:
        _worker_templates.update(pickle.load(f))


def _die_with(build_pid: int) -> None:
    """End this worker as soon as the build process ends, however it ends (SIGKILL too).

    On Linux the kernel kills the worker when the thread that started it ends: the thread that
    runs :func:`render_figures` in the build, which outlives its pool. Elsewhere a thread
    watches the parent. A build that ended before this ran has left an orphan: it exits."""
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no usable libc: the watching thread
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != build_pid:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(build_pid,), daemon=True).start()


def _watch_parent(build_pid: int) -> None:
    while os.getppid() == build_pid:
        time.sleep(0.5)
    os._exit(1)


@contextlib.contextmanager
def _stop_signals_blocked():
    """Block the stop signals in this thread (the processes it starts inherit the mask)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (it unlinks the pool's semaphores when the build
    is killed and cannot) without its warning that it did so: the build being killed is the
    news, and the tracker writes to the build's terminal after the build is gone. The tracker
    gets the warning filter among the interpreter flags it is started with."""
    from multiprocessing import resource_tracker

    saved = list(sys.warnoptions)
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions[:] = saved


class Aborted(Exception):
    """:func:`render_figures` was stopped by its :class:`Abort`."""


class Abort:
    """Stops a :func:`render_figures` running in another thread: calling it kills the pool's
    workers at once (their files may be half written: the caller discards them), and
    render_figures raises :class:`Aborted`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: cf.ProcessPoolExecutor | None = None
        self.requested = False

    def __call__(self) -> None:
        with self._lock:
            self.requested = True
            pool = self._pool
        if pool is not None:
            _kill_workers(pool)

    def check(self) -> None:
        if self.requested:
            raise Aborted

    def _watch(self, pool: cf.ProcessPoolExecutor) -> None:
        with self._lock:
            self._pool = pool
        self.check()


def _kill_workers(pool: cf.ProcessPoolExecutor) -> None:
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    for process in dict(getattr(pool, "_processes", None) or {}).values():
        with contextlib.suppress(Exception):  # already ended
            process.kill()


def _render_chunk(chunk: list[Job]) -> list[tuple[int, str]]:
    tpl = _worker_templates
    return [
        (i, render_one(Path(page_dir), figure, tpl[key], tpl[narrow_key]))
        for i, page_dir, figure, key, narrow_key in chunk
    ]


CHUNK = 50  # figures per task: few round trips, yet balanced between the workers


def render_figures(
    jobs: list[tuple[Path, Figure]], *, workers: int | None = None, abort: Abort | None = None
) -> dict[tuple[Path, str], str]:
    """For every ``(page_dir, figure)``: write ``page_dir/<id>.csv``, render the static SVG,
    and return the figure's HTML snippet keyed
    by ``(page_dir, figure.id)`` (``page_dir`` as given).

    Rendering runs in a pool of ``workers`` processes (default ``os.cpu_count()``; spawned, so
    the caller's script needs an ``if __name__ == "__main__":`` guard); with 1, or few figures,
    in this process. The templates are built here first (Altair runs only here). The workers
    die with this process, however it ends; ``abort`` stops them from another thread.
    """
    abort = abort or Abort()
    started = cache.now()
    prepared, templates = _prepare(jobs)
    workers = min(workers or os.cpu_count() or 1, math.ceil(len(prepared) / 10) or 1)
    if workers <= 1:
        result: dict[tuple[Path, str], str] = {}
        for i, page_dir, figure, key, narrow_key in prepared:
            abort.check()
            result[(jobs[i][0], figure.id)] = render_one(
                Path(page_dir), figure, templates[key], templates[narrow_key]
            )
    else:
        result = _render_in_pool(jobs, prepared, templates, workers, abort)
    cache.prune("vega-svg", started)  # the drawings no figure of this build used
    return result


def _prepare(jobs: list[tuple[Path, Figure]]) -> tuple[list[Job], dict[tuple, Template]]:
    """Every figure checked (an id once per page folder), and the templates of their shapes."""
    seen: set[tuple[Path, str]] = set()
    prepared: list[Job] = []
    templates: dict[tuple, Template] = {}
    for i, (page_dir, figure) in enumerate(jobs):
        check_figure(figure)
        if (page_dir, figure.id) in seen:
            raise ValueError(f"figure {figure.id!r} twice in {page_dir}")
        seen.add((page_dir, figure.id))
        key, thin = shape_key(figure), narrow(figure)
        narrow_key = shape_key(thin)
        templates[key] = template(figure)
        templates[narrow_key] = template(thin)
        prepared.append((i, str(page_dir), figure, key, narrow_key))
    return prepared, templates


def _render_in_pool(
    jobs: list[tuple[Path, Figure]],
    prepared: list[Job],
    templates: dict[tuple, Template],
    workers: int,
    abort: Abort,
) -> dict[tuple[Path, str], str]:
    size = max(1, min(CHUNK, math.ceil(len(prepared) / (workers * 3))))
    chunks = [prepared[i : i + size] for i in range(0, len(prepared), size)]
    _start_resource_tracker()
    # Beside the charts' files (the build's work folder, which the next build sweeps if this
    # one is killed), gone once they are drawn.
    folder = Path(jobs[0][0])
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".templates-", suffix=".pickle") as held:
        pickle.dump(templates, held, protocol=pickle.HIGHEST_PROTOCOL)
        held.flush()
        return _draw(jobs, chunks, held.name, workers, abort)


def _draw(
    jobs: list[tuple[Path, Figure]],
    chunks: list[list[Job]],
    templates_file: str,
    workers: int,
    abort: Abort,
) -> dict[tuple[Path, str], str]:
    result: dict[tuple[Path, str], str] = {}
    with cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(templates_file, os.getpid()),
    ) as pool:
        abort._watch(pool)
        try:
            with _stop_signals_blocked():  # the workers start here, as the chunks are submitted
                results = pool.map(_render_chunk, chunks)
        finally:
            # An abort while they started missed the worker being started (a spawned process
            # joins the pool only once it has read its templates), and once the pool is broken
            # the next submit raises: kill every worker the pool has now, or its shutdown waits
            # for one that never reads its next task.
            if abort.requested:
                _kill_workers(pool)
        try:
            for done in results:
                for i, html_text in done:
                    page_dir, figure = jobs[i]
                    result[(page_dir, figure.id)] = html_text
        except cf.BrokenExecutor:  # a worker was killed: by the abort?
            abort.check()
            raise
    return result
