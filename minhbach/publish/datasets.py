"""What is published, from the contracts beside the tables (``queries/**/<table>.yml``).

A contract with a ``publish`` block is a download of ``/du-lieu/``: its name, its place on the
page and in the data package (``order``), the order of its rows (``order_by``), its title,
description and grain (the page's "one row per"), and its columns in the published order, each
with its Table Schema type and Vietnamese description. A column without a type is internal: the
table has it, the downloads leave it out (``points_exact``, ``rank_order``, ``synthetic_row``).

Descriptions may name settings and seeds in braces, filled in here so that the text cannot drift
from what the build computes:

- ``{rule_set}``, ``{official_score_tolerance}``, ``{max_quarantine_pct}``, ``{bands}`` (the band
  labels, best first): the config file's settings;
- ``{groups}`` (the groups' codes in order), ``{group_name[CKMB]}``, ``{group_max[CKMB]}``: the
  rule-set groups of ``seed_groups``.

A unit's own CSV (``/co-quan/<slug>/<slug>.csv``) is described the same way by the contract of
``page_unit_csv`` (no ``publish`` block: it is not a download of ``/du-lieu/``).

A contract whose ``publish`` names ``requires_input`` (the portal's tables: ``portal``) is
published only by a build that has that input (``input_quality``: present), so that a build
without portal files publishes what it published before; any other needs the dossiers (a build
from the portal's files alone publishes the portal's tables only). :func:`published_names` lists
every download a build may publish, :func:`optional_names` those that depend on an input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from ..config import ROOT, Settings
from ..errors import BuildError
from ..sql import contracts as sql_contracts
from ..sql.contracts import Contract

__all__ = [
    "READS",
    "UNIT_CSV_TABLE",
    "Dataset",
    "PublishedColumn",
    "dataset",
    "inputs",
    "optional_names",
    "placeholders",
    "published",
    "published_names",
    "unit_csv",
]

UNIT_CSV_TABLE = "page_unit_csv"
# The input a download needs when its contract names none: the one-stop dossiers (a build from
# the portal's files alone publishes only the portal's tables).
DOSSIERS = "dossiers"
# Read after the SQL has run: by the descriptions' placeholders (seed_groups), and to know the
# inputs the build has (input_quality: publish.requires_input).
READS = ("seed_groups", "input_quality")


@dataclass(frozen=True)
class PublishedColumn:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime, time
    description: str  # Vietnamese, settings filled in


@dataclass(frozen=True)
class Dataset:
    """A published table as its contract describes it, with the settings filled in."""

    name: str  # the files' name: du-lieu/<name>.csv, .json, .parquet
    table: str  # the table it is written from
    title: str
    description: str
    grain: str  # what one row is ("một đơn vị trong một kỳ")
    key: tuple[str, ...]  # the primary key (unique, never empty), or none
    order_by: tuple[str, ...]  # the rows' order
    columns: tuple[PublishedColumn, ...]  # in the published order
    internal: tuple[str, ...] = ()  # the table's other columns, never published
    source: str = ""  # the contract's file, as messages name it

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _number(value: float) -> str:
    """A setting's number as Vietnamese text writes it: 1 point, 0,5 point."""
    return format(value, "g").replace(".", ",")


def placeholders(settings: Settings, con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The values the descriptions may name, from the settings and ``seed_groups``."""
    groups = con.execute(
        'select "group", group_name, max_points from seed_groups order by group_order'
    ).fetchall()
    return {
        "rule_set": settings.rule_set,
        "official_score_tolerance": _number(settings.official_score_tolerance),
        "max_quarantine_pct": _number(settings.max_quarantine_pct),
        "min_to_handle": settings.min_to_handle,
        "bands": ", ".join(label for _, label in settings.bands),
        "groups": ", ".join(g for g, _, _ in groups),
        "group_name": {g: name for g, name, _ in groups},
        "group_max": {g: _number(most) for g, _, most in groups},
    }


def _fill(text: str, values: Mapping[str, object], where: str) -> str:
    try:
        return text.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise BuildError(f"{where}: mô tả có chỗ điền không biết ({exc})") from None


def _shown(contract: Contract) -> str:
    try:
        return str(contract.path.relative_to(ROOT))
    except ValueError:
        return str(contract.path)


def dataset(contract: Contract, values: Mapping[str, object]) -> Dataset:
    """The dataset a contract describes; ``values`` fill the descriptions' placeholders."""
    where = _shown(contract)
    publish = contract.publish
    return Dataset(
        name=publish.name if publish else contract.table,
        table=contract.table,
        title=_fill(contract.title, values, where),
        description=_fill(contract.description, values, where),
        grain=_fill(contract.grain, values, where),
        key=contract.key,
        order_by=(publish.order_by if publish else ()) or contract.key,
        columns=tuple(
            PublishedColumn(c.name, c.type, _fill(c.description, values, f"{where}: {c.name}"))
            for c in contract.columns
            if c.type
        ),
        internal=tuple(c.name for c in contract.columns if not c.type),
        source=where,
    )


def _published_contracts(contracts: Mapping[str, Contract] | None) -> list[Contract]:
    """The contracts with a ``publish`` block, in its ``order``; two with one name or one
    order stop the build."""
    found = sql_contracts.find() if contracts is None else contracts
    chosen = sorted(
        (c for c in found.values() if c.publish is not None), key=lambda c: c.publish.order
    )
    for attr in ("name", "order"):
        seen: dict[object, Contract] = {}
        for c in chosen:
            other = seen.setdefault(getattr(c.publish, attr), c)
            if other is not c:
                raise BuildError(
                    f"{_shown(c)}: publish.{attr} {getattr(c.publish, attr)} trùng với "
                    f"{_shown(other)}"
                )
    return chosen


def inputs(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The inputs the build has: the rows of ``input_quality`` that are present (the contract
    tables, and ``portal``); none in a database without that table (hand-made tables)."""
    (found,) = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'main' and table_name = 'input_quality'"
    ).fetchone()
    if not found:
        return frozenset()
    rows = con.execute("select table_name from input_quality where present").fetchall()
    return frozenset(name for (name,) in rows)


def published(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    contracts: Mapping[str, Contract] | None = None,
) -> tuple[Dataset, ...]:
    """Every download of ``/du-lieu/`` this build publishes (a contract that requires an input
    the build lacks is left out), in its contract's ``order``, its descriptions filled from
    ``settings`` and the seeds in ``con``."""
    values = placeholders(settings, con)
    has = inputs(con)
    return tuple(
        dataset(c, values)
        for c in _published_contracts(contracts)
        if _has_input(c.publish.requires_input, has)
    )


def _has_input(required: str | None, has: frozenset[str]) -> bool:
    """Whether a build with inputs ``has`` publishes a download needing ``required`` (None: the
    dossiers; hand-made tables, with no input_quality, count as dossiers alone)."""
    if required is not None:
        return required in has
    return not has or DOSSIERS in has


def published_names(contracts: Mapping[str, Contract] | None = None) -> tuple[str, ...]:
    """The names of every download of ``/du-lieu/`` a build may publish, in their order (no
    settings needed)."""
    return tuple(c.publish.name for c in _published_contracts(contracts))


def optional_names(contracts: Mapping[str, Contract] | None = None) -> frozenset[str]:
    """The downloads published only by a build that has their input (requires_input)."""
    return frozenset(
        c.publish.name for c in _published_contracts(contracts) if c.publish.requires_input
    )


def unit_csv(contracts: Mapping[str, Contract] | None = None) -> Dataset:
    """The columns of a unit's own CSV (the contract of ``page_unit_csv``)."""
    found = sql_contracts.find() if contracts is None else contracts
    if UNIT_CSV_TABLE not in found:
        raise BuildError(f"tải về: không có hợp đồng của {UNIT_CSV_TABLE} (queries/pages/)")
    return dataset(found[UNIT_CSV_TABLE], {})
