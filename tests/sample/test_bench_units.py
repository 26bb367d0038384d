"""The benchmark's provinces of thousands of units (``generate(..., units=N)``, large scale):
about N units, every id and name unique, kinds in the large scale's proportions; without
``units`` the large catalogue is the one it always was."""

from __future__ import annotations

from collections import Counter

import pytest

from minhbach import sample
from minhbach.sample.units import build_units


@pytest.mark.parametrize("units", [700, 2000, 5000])
def test_about_n_units_with_unique_ids_and_names(units):
    u = build_units("large", units)
    assert abs(len(u.ids) - units) <= units * 0.02
    assert len(set(u.ids)) == len(u.ids)
    assert len(set(u.names)) == len(u.names)
    kinds = Counter(u.kinds)
    # 24 departments and the province, then about 7.5 old communes a district, merged 2-4 a time.
    assert kinds["province"] == 1 and kinds["dept"] == 24
    assert 6 <= kinds["commune"] / kinds["district"] <= 9
    assert 2 <= kinds["commune"] / kinds["new_commune"] <= 4
    # Every commune's parent is a district of the province, every successor a new commune.
    ids = dict(zip(u.ids, u.kinds, strict=True))
    for parent, kind, succ in zip(u.parents, u.kinds, u.successors, strict=True):
        if kind == "commune":
            assert ids[parent] == "district" and ids[succ] == "new_commune"


def test_without_units_the_large_catalogue_is_unchanged():
    u = build_units("large")
    assert len(u.ids) == 686
    assert u.ids[:3] == ["000.00.00.Z99", "000.00.01.Z99", "000.00.02.Z99"]
    assert all(i.startswith("000.") for i in u.ids)


def test_units_needs_the_large_scale(tmp_path):
    with pytest.raises(ValueError):
        sample.generate(tmp_path, dossiers=10, units=2000)
