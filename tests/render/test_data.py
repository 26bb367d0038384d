"""The downloads page (du-lieu.md.j2)."""

from __future__ import annotations

from minhbach.publish import datapackage, datasets

from .province import read


def test_downloads_page_lists_every_dataset(site):
    """Every download of a build with dossiers and no portal files: the portal's are left out."""
    _, docs, _, _ = site
    text = read(docs, "du-lieu/index.md")
    optional = datasets.optional_names()
    assert optional and set(optional) < set(datasets.published_names())
    for name in datasets.published_names():
        for ext in ("csv", "json", "parquet"):
            assert (f"({name}.{ext})" in text) is (name not in optional), name
    assert f"({datapackage.ZIP_NAME})" in text and f"({datapackage.DATAPACKAGE_NAME})" in text
    assert "CC-BY-4.0" in text and "qd766-v1" in text and "31/03/2026" in text
