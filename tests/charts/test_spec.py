"""The Vega-Lite spec (minhbach.charts.vegalite_spec; no page draws it): the data inline once,
as columns, NULLs kept, each mark with a value described by its tooltip's text; it draws the
same as the spec with plain rows."""

from __future__ import annotations

import copy
import json

import pytest

from minhbach.charts import vegalite_spec
from minhbach.charts.figure import data_values, json_dumps
from minhbach.charts.static import locale

from .figures import ALL, NAME, fig_group_scores, fig_trend, spec_rows


def test_spec_has_the_data_inline_and_keeps_nulls():
    spec = json.loads(vegalite_spec(fig_trend()))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["description"] == "Tổng điểm và tỷ lệ đúng hạn, 24 tháng"
    values = spec_rows(spec)
    assert len(values) == 48
    assert values[11] == {"period": "2025-06", "series": "Đúng hạn (%)", "value": None}
    # Lines break at a NULL (a gap, not a drop to zero); points skip it.
    text = json.dumps(spec, ensure_ascii=False)
    assert '"invalid": "break-paths-show-path-domains"' in text
    assert '"invalid": "filter"' in text
    # Tooltips: the marks' descriptions, the values formatted the Vietnamese way.
    assert '"description": {"field": "_tip"' in text and "',.2f'" in text
    # The script-escaped name is JSON text, never markup.
    raw = vegalite_spec(fig_group_scores())
    assert "<script>" not in raw and "\\u003cscript\\u003e" in raw
    assert spec_rows(json.loads(raw))[5]["group"] == NAME


@pytest.mark.parametrize("make", ALL, ids=lambda m: m.__name__)
def test_spec_holds_its_data_once_and_draws_the_same_as_rows(make):
    """The data is at the top, once, as columns; every layer of it inherits it; the chart
    drawn is the one of the same spec with plain rows."""
    import vl_convert as vlc

    figure = make()
    raw = vegalite_spec(figure)
    assert json_dumps(json.loads(raw)) == raw  # compact
    spec = json.loads(raw)
    assert all(layer.get("data", {}).get("name") != "mb" for layer in spec["layer"])
    inline = [json.dumps(la["data"]) for la in spec["layer"] if "values" in la.get("data", {})]
    assert len(inline) == len(set(inline))  # data used by several layers is in "datasets"
    rows = spec_rows(spec)
    assert rows == data_values(figure)
    plain = copy.deepcopy(spec)
    plain["data"] = {"values": rows}
    decoded = {k for k in spec["data"]["values"][0].get("_dict", {})}
    plain["transform"] = [
        t for t in spec["transform"][1:] if not ("calculate" in t and t["as"] in decoded)
    ]
    loc = locale()
    kw = {"format_locale": loc["number"], "time_format_locale": loc["time"]}
    assert vlc.vegalite_to_svg(spec, **kw) == vlc.vegalite_to_svg(plain, **kw)
    # Tooltips: the marks of the data are described by a text computed in their transforms.
    described = [layer for layer in spec["layer"] if "description" in layer["encoding"]]
    assert described and all(la["encoding"]["description"]["field"] == "_tip" for la in described)
    for layer in described:
        chain = [*spec["transform"], *layer.get("transform", [])]
        assert any(t.get("as") == "_tip" and "calculate" in t for t in chain)
        assert layer["mark"]["aria"] is True
