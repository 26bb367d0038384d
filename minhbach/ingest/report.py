"""What the reader read: one ``TableReport`` per contract table, gathered in an ``IngestReport``.

The data-quality page and the build's messages read these; nothing here touches DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..portal import PortalReport

Progress = Callable[[str], None]  # says what is being read (one line, Vietnamese)


@dataclass
class TableReport:
    """What was read for one contract table."""

    name: str
    required: bool
    present: bool = False
    files: list[str] = field(default_factory=list)  # paths relative to the data folder
    rows_read: int = 0  # records read, rejected ones included (blank lines excluded)
    rejects: int = 0  # records that could not be parsed (in raw_rejects)
    dropped_columns: list[str] = field(default_factory=list)  # header names not in the contract
    personal_columns: list[str] = field(default_factory=list)  # the known-personal among them
    duplicate_columns: list[str] = field(default_factory=list)  # second spellings, ignored
    missing_columns: list[str] = field(default_factory=list)  # optional columns in no file

    @property
    def file_count(self) -> int:
        return len(self.files)


@dataclass
class IngestReport:
    """What ``read_inputs`` read, table by table (contract order)."""

    data_dir: Path
    tables: dict[str, TableReport]
    portal: PortalReport | None = None  # the portal/ folder's evaluation; None without it

    def __getitem__(self, name: str) -> TableReport:
        return self.tables[name]

    @property
    def present(self) -> list[str]:
        return [t.name for t in self.tables.values() if t.present]

    @property
    def absent(self) -> list[str]:
        return [t.name for t in self.tables.values() if not t.present]

    @property
    def rejects(self) -> int:
        return sum(t.rejects for t in self.tables.values())

    @property
    def dropped_columns(self) -> dict[str, list[str]]:
        return {t.name: t.dropped_columns for t in self.tables.values() if t.dropped_columns}
