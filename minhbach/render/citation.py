"""The "Trích dẫn" block of the unit, procedure and ranking pages (macro ``cite`` of
``_macros.j2``): what a reader needs to cite the page (title, province, period, as-of date,
address, licence), computed once here from the build (:class:`~minhbach.buildinfo.BuildInfo`)
and the page's path; the template only prints it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..publish.datapackage import CC_BY_4
from .env import period_full
from .figures import page_url

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo

SITE_TITLE = "Minh bạch TTHC"  # the site's name in a citation (as /du-lieu/ cites the data)
RANKING_TITLE = "Xếp hạng Bộ chỉ số 766"


@dataclass(frozen=True)
class Citation:
    """A page's citation (plain text: the template escapes every value).

    - ``url``: the page's address when the build has a site URL, else its path from the
      site's root ("co-quan/so-tu-phap/"); ``absolute`` says which.
    - ``text``: the suggested citation, one sentence (the copy-friendly block).
    - ``archive``: for a unit, the path (from the page) of its every-period archive, else "";
      ``anchor``: the page's period there (its row's id, "2026-10"), else "".
    """

    title: str
    province: str
    period: str
    as_of: str
    url: str
    absolute: bool
    licence: str
    licence_url: str
    text: str
    archive: str = ""
    anchor: str = ""


def page_path(path: str) -> str:
    """A page's path from the site's root, as its directory URL: "co-quan/x/index.md" →
    "co-quan/x/"."""
    page = path.removesuffix("index.md")
    if page.endswith(".md"):
        page = page.removesuffix(".md") + "/"
    return page


def citation(
    info: BuildInfo, path: str, title: str, period: str, archive: str = "", anchor: str = ""
) -> Citation:
    """The citation of the page ``path`` (under docs) titled ``title`` about ``period`` (in
    words, "" when the page has none)."""
    url = page_url(info, path)
    absolute = bool(url)
    url = url or page_path(path)
    as_of = info.as_of.strftime("%d/%m/%Y")
    licence = CC_BY_4.name.replace("-", " ")
    subject = f"{title}, {period}" if period else title
    text = (
        f"{SITE_TITLE} – {info.province_name}"
        + (" (dữ liệu giả lập)" if info.synthetic and "giả lập" not in info.province_name else "")
        + f": {subject}. Số liệu đến ngày {as_of}, bộ quy tắc {info.rule_set}. {url}"
        + f" (giấy phép {licence}; truy cập ngày …)."
    )
    return Citation(
        title=title,
        province=info.province_name,
        period=period,
        as_of=as_of,
        url=url,
        absolute=absolute,
        licence=licence,
        licence_url=CC_BY_4.path,
        text=text,
        archive=archive,
        anchor=anchor,
    )


def ranking_citation(info: BuildInfo, path: str, period: dict | None) -> Citation:
    """The citation of a ranking page (``period``: its {period, complete}, None on a hub
    without data)."""
    if not period:
        return citation(info, path, RANKING_TITLE, "")
    return citation(info, path, RANKING_TITLE, period_full(period["period"], period["complete"]))
