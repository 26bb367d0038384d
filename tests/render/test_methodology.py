"""The methodology page (phuong-phap.md.j2)."""

from __future__ import annotations

from .province import read


def test_methodology_page_is_the_editors_template(site):
    _, docs, _, _ = site
    text = read(docs, "phuong-phap/index.md")
    assert text.startswith("---\ntitle: Phương pháp tính")
    assert "Xuất sắc" in text and "qd766-v1" in text
