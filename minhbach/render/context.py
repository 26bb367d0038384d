"""Page contexts: each page kind renders a frozen dataclass whose fields are its template's
variables (besides the variables every page shares, :class:`Common`, and ``figures``, which the
writer adds). :func:`context_mismatch` compares the two; a test runs it for every page kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, ClassVar

from jinja2 import meta

from .env import environment

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..config import Settings

EMPTY_LEGEND = "— : không đánh giá, hoặc không có số liệu để tính (mẫu số bằng 0)."


@dataclass(frozen=True)
class PageContext:
    """The base of the page contexts: ``TEMPLATE`` names the template the fields fill."""

    TEMPLATE: ClassVar[str] = ""

    @classmethod
    def from_row(cls, row: dict, **values):
        """The context of a page table's row: its columns named like the fields (others, such
        as the page's path, are left out), and ``values`` for the fields the row lacks."""
        names = [f.name for f in fields(cls)]
        return cls(**{n: row[n] for n in names if n not in values}, **values)

    def values(self) -> dict:
        """The fields as template variables (shallow: rows stay as they are)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Common(PageContext):
    """What every template may print: the build's identity and the thresholds it states."""

    province_name: str
    synthetic: bool
    synthetic_note: str
    as_of: dt.date
    build_time: dt.datetime
    rule_set: str
    max_quarantine_pct: float
    empty_legend: str = EMPTY_LEGEND

    @classmethod
    def of(cls, info: BuildInfo, settings: Settings) -> Common:
        return cls(
            province_name=info.province_name,
            synthetic=info.synthetic,
            synthetic_note=info.synthetic_note,
            as_of=info.as_of,
            build_time=info.build_time,
            rule_set=info.rule_set,
            max_quarantine_pct=settings.max_quarantine_pct,
        )


# Variables a template may use without its context declaring them.
COMMON = frozenset(f.name for f in fields(Common)) | {"figures"}


def template_variables(template: str) -> set[str]:
    """The variables ``template`` reads that it does not define itself."""
    env = environment()
    source = env.loader.get_source(env, template)[0]
    return meta.find_undeclared_variables(env.parse(source))


def context_mismatch(cls: type[PageContext]) -> tuple[set[str], set[str]]:
    """(variables the template reads that the context lacks, fields the template never reads);
    a field named like a common variable counts as unused (the writer would refuse it)."""
    used = template_variables(cls.TEMPLATE)
    names = {f.name for f in fields(cls)}
    return used - names - COMMON, (names - used) | (names & COMMON)
