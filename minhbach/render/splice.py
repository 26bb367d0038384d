"""Putting the figures back: pages written with ``figures_dir`` carry a mark per figure
(``<!--mb-figure:id-->``) instead of its HTML, so that MkDocs does not parse the charts; once the
site is built, :func:`splice_figures` replaces each mark with its figure."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import BuildError

FIGURE_MARK = "<!--mb-figure:{}-->"
FIGURE_MARK_RE = re.compile(r"<!--mb-figure:([a-z0-9-]+)-->")


def splice_figures(site_dir: Path, figures_dir: Path) -> int:
    """Put the figures kept aside by ``render_all(..., figures_dir=...)`` into the built HTML
    (``<page>/index.html``, in place of their ``<!--mb-figure:id-->`` marks) and move the
    charts' files (``<id>.csv``) beside their page. Returns the number of
    figures placed; a mark or a figure left over is a bug (BuildError)."""
    site_dir, figures_dir = Path(site_dir), Path(figures_dir)
    placed = 0
    for dirpath, _dirs, names in sorted(os.walk(figures_dir)):
        folder = Path(dirpath)
        rel = folder.relative_to(figures_dir)
        snippets = {n[: -len(".html")] for n in names if n.endswith(".html")}
        if snippets:
            placed += _splice_page(site_dir / rel / "index.html", folder, rel, snippets)
        # The charts' own files (their CSV) beside their page.
        others = [n for n in names if not n.endswith(".html")]
        if others:
            (site_dir / rel).mkdir(parents=True, exist_ok=True)
            for name in others:
                os.replace(folder / name, site_dir / rel / name)
    return placed


def _splice_page(page: Path, folder: Path, rel: Path, snippets: set[str]) -> int:
    """Replace the marks of one built page with its figures' HTML; returns how many."""
    if not page.is_file():
        raise BuildError(f"biểu đồ: không có trang {rel}/index.html để đặt biểu đồ vào")
    text = page.read_text(encoding="utf-8")

    def figure(m: re.Match) -> str:
        if m.group(1) not in snippets:
            raise BuildError(f"biểu đồ: thiếu {m.group(1)} của trang {rel}")
        return (folder / f"{m.group(1)}.html").read_text(encoding="utf-8")

    text, count = FIGURE_MARK_RE.subn(figure, text)
    if count != len(snippets):
        raise BuildError(f"biểu đồ: trang {rel} có {count} chỗ cho {len(snippets)} biểu đồ")
    page.write_text(text, encoding="utf-8")
    return count
