"""Every page kind's context has exactly its template's variables (besides the common ones)."""

from __future__ import annotations

import pytest

from minhbach.render.archive import UnitPeriodsPage
from minhbach.render.context import context_mismatch
from minhbach.render.data import DataContext
from minhbach.render.history import HistoryContext
from minhbach.render.home import HomeContext
from minhbach.render.indexes import ProcedureIndexPage, UnitIndexPage
from minhbach.render.methodology import MethodologyContext
from minhbach.render.portal import (
    HubContext,
    NationalContext,
    PortalHomeContext,
    PortalUnitContext,
)
from minhbach.render.quality import QualityContext
from minhbach.render.rankings import RankingContext

CONTEXTS = [
    DataContext,
    HistoryContext,
    HomeContext,
    ProcedureIndexPage,
    UnitIndexPage,
    MethodologyContext,
    HubContext,
    NationalContext,
    PortalHomeContext,
    PortalUnitContext,
    QualityContext,
    RankingContext,
    UnitPeriodsPage,
]


@pytest.mark.parametrize("context", CONTEXTS, ids=lambda c: c.TEMPLATE)
def test_context_fields_are_the_template_variables(context):
    missing, unused = context_mismatch(context)
    assert not missing, f"{context.TEMPLATE} reads {missing}, which {context.__name__} lacks"
    assert not unused, f"{context.__name__} has {unused}, which {context.TEMPLATE} never reads"
