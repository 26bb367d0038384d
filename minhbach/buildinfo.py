"""What a build is: made once by the pipeline, once the as-of date is known, and passed whole
to every stage that writes something people read (pages, downloads, releases, the site)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Every time of the build is local time in Viet Nam (UTC+7 all year): build times, capture times
# of the portal's files, release times.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class BuildInfo:
    """The build's identity, as every page, download and release states it.

    - ``province_name``: the province the site is about (the config's, the synthetic marker's
      fictional one, or the data's province-level unit; untrusted text: escape where printed).
    - ``as_of``: the data's as-of date (methodology: the latest event, or ``--as-of``).
    - ``build_time``: local time (Asia/Ho_Chi_Minh), ``SOURCE_DATE_EPOCH`` when set.
    - ``rule_set``: the 766 rule set whose name is stored with every score.
    - ``synthetic`` / ``synthetic_note``: the data are the bundled fictional province.
    - ``site_url``: the published address, or "" (then links are relative, no canonical URL).
    - ``dossiers``: the build has the one-stop exports (False: built from the portal's files
      alone; the pages that need dossiers are left out).
    - ``portal_captured``: the first and last capture times of the portal's files the build
      read (local time), or None without any: every page names them as its source.
    """

    province_name: str
    as_of: dt.date
    build_time: dt.datetime
    rule_set: str
    synthetic: bool
    synthetic_note: str
    site_url: str
    dossiers: bool = True
    portal_captured: tuple[dt.datetime, dt.datetime] | None = None

    def source_text(self) -> str:
        """Where the figures come from, as every page states it (Vietnamese)."""
        if self.synthetic:  # the sample's portal files are invented too
            portal = (
                " (cả số liệu theo dạng Cổng Dịch vụ công quốc gia)" if self.portal_captured else ""
            )
            return "Nguồn: dữ liệu giả lập" + portal
        parts = []
        if self.dossiers:
            parts.append("dữ liệu một cửa của tỉnh")
        if self.portal_captured:
            first, last = (t.strftime("%d/%m/%Y") for t in self.portal_captured)
            dates = first if first == last else f"{first} – {last}"
            parts.append(f"Cổng Dịch vụ công quốc gia (bản chụp {dates})")
        return "Nguồn: " + " và ".join(parts)
