"""The Atom 1.0 feed of the releases, ``lich-su/feed.xml``: one entry per release, its summary
what changed (Vietnamese), its link the release's row on /lich-su/."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from ... import fmt
from .release import FEED_XML, HISTORY_DIR, Release
from .summary import summary

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _link(site_url: str, path: str) -> str:
    return (site_url.rstrip("/") + "/" + path) if site_url else path


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


class _Ids:
    """Entry ids: the release's URL, or a urn:uuid derived from the province and the path
    without a site URL."""

    def __init__(self, site_url: str, province_name: str):
        self.site_url = site_url
        self.province_name = province_name

    def __call__(self, path: str) -> str:
        if self.site_url:
            return _link(self.site_url, path)
        name = f"minhbach:{self.province_name}:{path}"
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _head(root: ET.Element, ids: _Ids, site_url: str, province_name: str, updated: str) -> None:
    _sub(root, "id", ids(f"{HISTORY_DIR}/"))
    _sub(root, "title", f"Lịch sử công bố số liệu thủ tục hành chính – {province_name}")
    _sub(
        root,
        "subtitle",
        "Mỗi lần công bố: bản chụp các tệp tải về và những thay đổi so với lần trước.",
    )
    _sub(root, "updated", updated)
    self_href = _link(site_url, f"{HISTORY_DIR}/{FEED_XML}")
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_href)
    _sub(root, "link", rel="alternate", type="text/html", href=_link(site_url, f"{HISTORY_DIR}/"))
    author = _sub(root, "author")
    _sub(author, "name", f"minhbach – {province_name}")
    _sub(root, "generator", "minhbach")


def _entry(root: ET.Element, r: Release, ids: _Ids, site_url: str) -> None:
    entry = _sub(root, "entry")
    _sub(entry, "id", ids(f"{HISTORY_DIR}/{r.date}/"))
    title = f"Bản công bố ngày {fmt.date(r.date)} (số liệu đến ngày {fmt.date(r.as_of)})"
    if r.synthetic:
        title = "[Dữ liệu giả lập] " + title
    _sub(entry, "title", title)
    _sub(entry, "updated", r.build_time)
    page = _link(site_url, f"{HISTORY_DIR}/#{r.anchor}")
    _sub(entry, "link", rel="alternate", type="text/html", href=page)
    data = _link(site_url, f"{HISTORY_DIR}/{r.release_json_href}")
    _sub(entry, "link", rel="related", type="application/json", href=data)
    _sub(entry, "summary", r.summary or summary(r), type="text")


def feed(releases: list[Release], *, site_url: str, province_name: str, build_time: str) -> bytes:
    """The feed of the releases (given newest first), updated at ``build_time``."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "vi"})
    ids = _Ids(site_url, province_name)
    _head(root, ids, site_url, province_name, build_time)
    for r in releases:
        _entry(root, r, ids, site_url)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
