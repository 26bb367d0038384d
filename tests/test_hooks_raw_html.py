"""The raw HTML blocks set aside before Markdown and put back after it (minhbach.hooks): the
page's HTML is the one Markdown makes of the page as written, and only blocks Markdown passes
through unchanged are set aside."""

from __future__ import annotations

import markdown
import pytest

from minhbach import hooks

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables"]
EXTENSIONS += ["toc", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"]

TABLE = (
    '<table class="mb-t">\n<caption>Bảng <em>số</em> & "tên"</caption>\n'
    "<tbody><tr><td>1</td></tr>\n<tr><td>a *not emphasis* b</td></tr></tbody>\n</table>"
)
PAGE = f"""# Đơn vị

Đoạn **một**.

{TABLE}

<dl class="mb-kpis">
<div class="mb-kpi"><dt>Điểm</dt><dd>66,67</dd></div>
<div class="mb-kpi"><dt>Hạng</dt><dd>2/5</dd></div>
</dl>

## Mục {{ #muc }}

<div markdown="1">
*Markdown inside*
</div>

<div class="x">closed</div>
*text right after, no blank line*

<span>inline</span> text

```html
<table>
<tr><td>in code</td></tr>
</table>
```

Paragraph
<table><tr><td>no blank line before</td></tr></table>

!!! note "Ghi chú"
    <p>indented</p>

<details class="mb-explain">
<summary>Cách đọc</summary>
<ul>
<li><strong>A</strong>: b</li>
</ul>
</details>
"""


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def test_the_page_is_the_html_markdown_makes_of_it():
    text, blocks = hooks.set_aside_raw_html(PAGE)
    assert hooks.put_back_raw_html(_convert(text), blocks) == _convert(PAGE)


def test_only_blocks_markdown_passes_through_are_set_aside():
    text, blocks = hooks.set_aside_raw_html(PAGE)
    assert blocks[0] == TABLE
    assert blocks[1].startswith('<dl class="mb-kpis">') and blocks[1].endswith("</dl>")
    assert blocks[2].startswith('<details class="mb-explain">')
    assert len(blocks) == 3
    # Left to Markdown: a markdown attribute, text after the closing tag, an inline tag, code,
    # a block without a blank line before it, an indented one.
    for kept in (
        '<div markdown="1">',
        "*text right after, no blank line*",
        "<span>inline</span> text",
        "<tr><td>in code</td></tr>",
        "<table><tr><td>no blank line before</td></tr></table>",
        "    <p>indented</p>",
    ):
        assert kept in text


def test_a_nested_element_of_the_same_tag_closes_inside():
    nested = "<div>\n<div>inner</div>\n</div>\ntail"
    text, blocks = hooks.set_aside_raw_html(f"a\n\n{nested}\n")
    assert blocks == [] and nested in text
    whole = "<div>\n<div>inner</div>\n</div>"
    text, blocks = hooks.set_aside_raw_html(f"a\n\n{whole}\n\nb")
    assert blocks == [whole]
    assert hooks.put_back_raw_html(_convert(text), blocks) == _convert(f"a\n\n{whole}\n\nb")


def test_a_lost_placeholder_stops_the_build():
    text, blocks = hooks.set_aside_raw_html(f"a\n\n{TABLE}\n")
    with pytest.raises(Exception, match="raw HTML block 0"):
        hooks.put_back_raw_html("<p>a</p>", blocks)
