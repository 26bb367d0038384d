"""What a build is: made once by the pipeline, once the as-of date is known, and passed whole
to every stage that writes something people read (pages, downloads, releases, the site)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
    """

    province_name: str
    as_of: dt.date
    build_time: dt.datetime
    rule_set: str
    synthetic: bool
    synthetic_note: str
    site_url: str
