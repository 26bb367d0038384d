"""The figures of every kind, rendered once for the tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from minhbach import charts

from .figures import ALL


@pytest.fixture(scope="package")
def rendered(tmp_path_factory) -> tuple[Path, dict]:
    page = tmp_path_factory.mktemp("co-quan") / "so-tu-phap"
    figures = [make() for make in ALL]
    return page, charts.render_figures([(page, f) for f in figures], workers=1)
