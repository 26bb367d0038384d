"""SQL quoting: what DuckDB reads back is exactly the name or text given."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from minhbach.sql.quote import ident, literal

# DuckDB strings and names hold any character but NUL.
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
CON = duckdb.connect()


def test_quotes_are_doubled():
    assert ident('a"b') == '"a""b"'
    assert literal("it's") == "'it''s'"


@settings(deadline=None)
@given(TEXT)
def test_a_literal_reads_back_as_its_text(text: str):
    assert CON.execute(f"select {literal(text)}").fetchone()[0] == text


@settings(deadline=None)
@given(TEXT.filter(lambda s: s.strip() != ""))
def test_an_identifier_names_exactly_that_column(name: str):
    cur = CON.execute(f"select 1 as {ident(name)}")
    assert cur.description[0][0] == name
