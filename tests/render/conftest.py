"""The hand-made province's site (tests/render/province.py), built once for this folder."""

from __future__ import annotations

import pytest

from .province import build_site


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))
