"""What a running build shows and obeys: progress lines, warnings, the stage log the benchmark
reads, and the stop signals (Ctrl-C, SIGTERM) that end it cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator


class Progress:
    """One line per step on stderr, with the time since the build started."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f} s] {message}", file=self.stream, flush=True)


def warn(message: str) -> None:
    """A line the operator must see, also with --quiet (an annotation on GitHub Actions)."""
    prefix = "::warning::" if os.environ.get("GITHUB_ACTIONS") == "true" else ""
    print(f"{prefix}cảnh báo: {message}", file=sys.stderr, flush=True)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived (Ctrl-C, SIGTERM): the build stops as on Ctrl-C, cleaning up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_stopped_by: int | None = None


def _on_stop_signal(signum: int, frame) -> None:
    global _stopped_by
    _stopped_by = signum
    raise Stopped(signum)


def stop_on_signals() -> None:
    """Make SIGTERM (by default it ends the build where it stands) and SIGINT stop the build
    cleanly, like Ctrl-C; unless they are ignored (nohup, a background job). The signal is also
    recorded (:func:`stopped_by`): a library may swallow the exception (DuckDB does, while it
    imports pandas) or turn it into its own (DuckDB's "Query interrupted"), so each stage checks
    it again when it starts."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_stop_signal)


def stopped_by() -> int | None:
    """The stop signal that arrived, if one did (see :func:`stop_on_signals`)."""
    return _stopped_by


class Stages:
    """Named build stages: a progress line each, wall time per stage (``timings``), and an
    optional JSON-lines log (MINHBACH_STAGE_LOG) that the benchmark reads to attribute peak
    memory to stages."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.timings: dict[str, float] = {}
        path = os.environ.get("MINHBACH_STAGE_LOG")
        self.log = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    @contextlib.contextmanager
    def __call__(self, name: str, message: str) -> Iterator[None]:
        if _stopped_by is not None:  # a stop signal whose exception was swallowed
            raise Stopped(_stopped_by)
        self.progress(message)
        self._event(name, "start")
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started
        self._event(name, "end")

    def quietly(self, name: str, action: Callable[[], object]) -> None:
        """Run a step that prints nothing (also on failure), logged for the benchmark."""
        self._event(name, "start")
        action()
        self._event(name, "end")

    def _event(self, name: str, event: str, **extra) -> None:
        if self.log:
            record = {"stage": name, "event": event, "t": time.time(), **extra}
            self.log.write(json.dumps(record) + "\n")
            self.log.flush()

    def details(self, name: str, seconds: dict[str, float]) -> None:
        """Log the parts of a stage (the SQL tables) with their seconds, for the benchmark."""
        for part, secs in seconds.items():
            self._event(name, "part", part=part, secs=round(secs, 3))

    def close(self) -> None:
        if self.log:
            self.log.close()
