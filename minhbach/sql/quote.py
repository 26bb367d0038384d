"""SQL quoting, in one place: identifiers and string literals for the SQL that Python writes.

Values are passed as parameters (``?``) wherever DuckDB accepts them; these are for the places
it does not (table and column names, a file path in ``read_csv``, a literal inside generated
SQL text)."""

from __future__ import annotations


def ident(name: str) -> str:
    """A quoted SQL identifier: ``a"b`` → ``"a""b"``."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal: ``it's`` → ``'it''s'``."""
    return "'" + text.replace("'", "''") + "'"
