"""The check that a page context's fields are its template's variables."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.render.context import COMMON, PageContext, context_mismatch, template_variables


def test_template_variables_are_what_the_template_reads_and_does_not_define():
    used = template_variables("lich-su.md.j2")
    assert {"counts", "datasets", "releases", "latest", "province_name"} <= used
    assert "r" not in used and "d" not in used  # loop variables are the template's own


def test_a_context_missing_or_adding_a_variable_is_reported():
    @dataclass(frozen=True)
    class History(PageContext):
        TEMPLATE = "lich-su.md.j2"
        counts: dict
        latest: dict | None
        unused: int
        as_of: str  # a common variable: the writer gives it, a context may not

    missing, extra = context_mismatch(History)
    assert missing == {"datasets", "releases"}
    assert extra == {"unused", "as_of"}
    assert "figures" in COMMON and "province_name" in COMMON
