"""The sample province the tests of this folder read, generated once."""

from __future__ import annotations

from pathlib import Path

import pytest

from minhbach import sample

from .province import SEED, N


@pytest.fixture(scope="package")
def data(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample")
    counts = sample.generate(out, dossiers=N, seed=SEED)
    return out, counts
