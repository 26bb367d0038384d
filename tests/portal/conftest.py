"""Fixtures of the portal tests: no proxy, and the local replay server of the portal."""

from __future__ import annotations

import pytest

from .replay import NATIONAL, Replay, dump, make_units, serve


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """A proxy of the environment must not see the requests to 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def portal():
    replay = Replay(dump(NATIONAL), make_units(7))
    server, thread = serve(replay)
    yield replay
    server.shutdown()
    server.server_close()
    thread.join(5)
