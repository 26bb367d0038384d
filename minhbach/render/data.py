"""The downloads page ``/du-lieu/``: every dataset the downloads stage wrote (its description,
columns, row count and files), the data package descriptor and zip, how to cite, the licence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..publish import datapackage, downloads
from .context import PageContext
from .writer import Writer


@dataclass(frozen=True)
class DataContext(PageContext):
    TEMPLATE = "du-lieu.md.j2"

    datasets: tuple  # DatasetInfo, in the downloads' order
    package: dict  # the descriptor and the zip by format ("json", "zip"); empty when absent
    compressed: tuple  # the names of the datasets published gzipped
    compress_over: int  # the CSV size (bytes) above which a dataset is gzipped
    site_url: str
    license: datapackage.License


def render_data(w: Writer, datasets: Sequence) -> None:
    package = datapackage.package_files(w.docs / "du-lieu")
    w.page(
        "du-lieu/index.md",
        DataContext(
            datasets=tuple(datasets),
            package={f.format: f for f in package},
            compressed=tuple(d.name for d in datasets if d.file("csv").compression),
            compress_over=downloads.COMPRESS_OVER,
            site_url=w.info.site_url,
            license=datapackage.CC_BY_4,
        ),
    )
