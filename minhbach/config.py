"""Settings a province changes, read from one TOML file (``minhbach.toml``).

Every key is checked when the file is read (its type, its range, the values it may take), so a
mistake stops the build before anything is written: one line naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tomllib
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NoReturn

from .errors import InputError
from .sql.seeds import rule_set_names

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "minhbach.toml"

DEFAULT_BANDS = (
    (90.0, "Xuất sắc"),
    (80.0, "Tốt"),
    (70.0, "Khá"),
    (50.0, "Trung bình"),
    (0.0, "Yếu"),
)


def known_rule_sets() -> tuple[str, ...]:
    """The names a config's [rules] rule_set may take: the rule sets of the seeds
    (queries/seeds/rule_set_<name>.csv) that the SQL computes from dossier exports, i.e. whose
    every indicator has ``recomputable`` true: qd766-v1 (the default) and qd766-2026 (the national
    portal's 2026 list, recomputed by queries/marts/index_766.sql through each indicator's
    ``measure``). A rule set kept in the seeds only to check the portal's figures would have
    ``recomputable`` false and could not be chosen."""
    return rule_set_names(recomputable=True)


@dataclass(frozen=True)
class Settings:
    province_name: str = ""
    site_url: str = ""
    data_source: str = "data/sample"
    max_unpacked_gb: float = 10.0
    rule_set: str = "qd766-v1"
    second_supplement_is_late: bool = True
    max_quarantine_pct: float = 5.0
    official_score_tolerance: float = 1.0
    min_to_handle: int = 20
    bands: tuple[tuple[float, str], ...] = field(default=DEFAULT_BANDS)
    releases_archive: str = "releases"
    releases_source: str = ""
    # [portal]: collecting the national portal's published evaluation (make fetch)
    portal_provinces: tuple[str, ...] = ()
    portal_periods: tuple[str, ...] = ()
    portal_endpoints: tuple[str, ...] = ("service-results",)
    portal_folder: str = ""
    portal_pause_seconds: float = 2.0
    portal_project_url: str = ""
    config_path: Path | None = None

    @property
    def portal_fetching(self) -> bool:
        """Whether ``make fetch`` collects the portal's evaluation (provinces and periods named)."""
        return bool(self.portal_provinces and self.portal_periods)

    def band_for(self, total_100: float | None) -> str | None:
        if total_100 is None:
            return None
        for minimum, label in self.bands:
            if total_100 >= minimum:
                return label
        return self.bands[-1][1]


# The keys the file may hold, section by section, with the kind of value each takes and the
# Settings field it fills.
_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "province": {
        "name": ("province_name", "province_name"),
        "site_url": ("site_url", "site_url"),
    },
    "data": {
        "source": ("data_source", "data_source"),
        "max_unpacked_gb": ("gigabytes", "max_unpacked_gb"),
    },
    "releases": {
        "archive": ("folder", "releases_archive"),
        "source": ("releases_url", "releases_source"),
    },
    "rules": {
        "rule_set": ("rule_set", "rule_set"),
        "second_supplement_is_late": ("bool", "second_supplement_is_late"),
        "max_quarantine_pct": ("percent", "max_quarantine_pct"),
        "official_score_tolerance": ("points", "official_score_tolerance"),
        "min_to_handle": ("dossiers", "min_to_handle"),
    },
    "portal": {
        "provinces": ("provinces", "portal_provinces"),
        "periods": ("periods", "portal_periods"),
        "endpoints": ("endpoints", "portal_endpoints"),
        "folder": ("portal_folder", "portal_folder"),
        "pause_seconds": ("pause", "portal_pause_seconds"),
        "project_url": ("site_url", "portal_project_url"),
    },
}
_MAX_TEXT = 300  # characters of a text setting (a path or an address)
_MAX_NAME = 100  # characters of the province's name (shown in every page's header)
_MAX_LABEL = 30  # characters of a band's label (shown in badges and table cells)
_MAX_BANDS = 10
_MAX_GB = 1000.0
_MAX_DOSSIERS = 100_000  # the minimum volume to be banded and ranked
_MAX_LIST = {"provinces": 63, "periods": 24, "endpoints": 7}  # values of a [portal] list
_PAUSE = (1.0, 300.0)  # seconds between two requests to the portal: at least one


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing default file gives the defaults.

    Every problem (not TOML, an unknown section or key, a value of the wrong kind or out of
    range, an unknown rule set, bands that do not cover 0-100) is an ``InputError`` naming the
    file and the key: ``minhbach.toml: [rules] rule_set: …``.
    """
    path = Path(path) if path else DEFAULT_CONFIG
    where = str(path)
    if not path.exists():
        if path == DEFAULT_CONFIG:
            return _from_environment(Settings())
        raise InputError(where, "không tìm thấy tệp cấu hình")
    if path.is_dir():
        raise InputError(where, "là thư mục, không phải tệp cấu hình .toml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(where, "tệp cấu hình không phải văn bản UTF-8") from None
    except OSError:
        raise InputError(where, "không đọc được tệp cấu hình") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where ("at line 3, column 7"); its message never quotes the file
        detail = " ".join(str(exc).split())[:200]
        raise InputError(where, f"tệp cấu hình không đúng cú pháp TOML ({detail})") from None

    values: dict[str, object] = {"config_path": path}
    for section, content in raw.items():
        if section == "bands":
            values["bands"] = _bands(where, content)
            continue
        if section not in _KEYS:
            known = ", ".join(f"[{k}]" for k in _KEYS) + ", [[bands]]"
            if isinstance(content, dict):
                raise InputError(where, f"[{_show(section)}]: mục không biết (chỉ có {known})")
            home = [s for s, keys in _KEYS.items() if section in keys]
            hint = f"đặt nó trong [{home[0]}]" if home else f"các mục là {known}"
            raise InputError(where, f"{_show(section)}: khoá nằm ngoài mọi mục ({hint})")
        if not isinstance(content, dict):
            raise InputError(
                where, f"[{section}]: phải là một mục (bảng TOML), không phải {_kind(content)}"
            )
        for key, value in content.items():
            if key not in _KEYS[section]:
                known = ", ".join(_KEYS[section])
                raise InputError(
                    where,
                    f"[{section}] {_show(key)}: khoá không biết (trong [{section}] chỉ có {known})",
                )
            kind, attr = _KEYS[section][key]
            values[attr] = _check(where, f"[{section}] {key}", kind, value)
    settings = Settings(**values)
    if settings.portal_fetching and not settings.portal_folder:
        _fail(
            where,
            "[portal] folder",
            "cần một thư mục để lưu các bản chụp khi đã nêu provinces và periods "
            '(ví dụ "data/portal")',
        )
    return _from_environment(settings)


# The published history when [releases] source is empty, and the site's address when
# [province] site_url is: the publish workflow passes the GitHub Pages address this way (it is
# only known when the workflow runs).
RELEASES_SOURCE_ENV = "MINHBACH_RELEASES_SOURCE"
SITE_URL_ENV = "MINHBACH_SITE_URL"


def _from_environment(settings: Settings) -> Settings:
    url = os.environ.get(SITE_URL_ENV, "")
    if url and not settings.site_url:  # the config's own address comes first
        _text(SITE_URL_ENV, "địa chỉ", url)
        problem = web_address_problem(url)
        if problem:
            raise InputError(SITE_URL_ENV, f"{problem} (địa chỉ của trang đã đăng)")
        settings = replace(settings, site_url=url if url.endswith("/") else url + "/")
    source = os.environ.get(RELEASES_SOURCE_ENV, "")
    if not source or settings.releases_source:  # the config's own address comes first
        return settings
    _text(RELEASES_SOURCE_ENV, "địa chỉ", source)
    problem = web_address_problem(source)
    if problem:
        raise InputError(RELEASES_SOURCE_ENV, f"{problem} (địa chỉ …/lich-su/ của trang đã đăng)")
    return replace(settings, releases_source=source)


def _show(name: object) -> str:
    """A key or value of the file as a message shows it: one line, at most 40 characters."""
    text = " ".join(str(name).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _fail(where: str, key: str, problem: str) -> NoReturn:
    raise InputError(where, f"{key}: {problem}")


def _number(where: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(where, key, f"phải là một số, không phải {_kind(value)}")
    number = float(value)
    if not math.isfinite(number):
        _fail(where, key, "phải là một số hữu hạn (không phải nan hay inf)")
    return number


def _text(where: str, key: str, value: object, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str):
        _fail(where, key, f"phải là chuỗi văn bản, không phải {_kind(value)}")
    if len(value) > limit or any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        _fail(where, key, f"phải là một dòng không quá {limit} ký tự, không ký tự điều khiển")
    return value


def _check(where: str, key: str, kind: str, value: object):
    """The value of one setting, checked for its kind."""
    if kind in _MAX_LIST:
        return _portal_list(where, key, kind, value)
    if kind == "pause":
        number = _number(where, key, value)
        if not _PAUSE[0] <= number <= _PAUSE[1]:
            _fail(where, key, f"phải từ {_PAUSE[0]:g} đến {_PAUSE[1]:g} giây, nhận được {number:g}")
        return number
    if kind == "bool":
        if not isinstance(value, bool):
            _fail(where, key, f"phải là true hoặc false, không phải {_kind(value)}")
        return value
    if kind in ("percent", "points"):  # 0-100: a share of rows, or points of a 100-point total
        number = _number(where, key, value)
        if not 0 <= number <= 100:
            _fail(where, key, f"phải là số từ 0 đến 100, nhận được {number:g}")
        return number
    if kind == "dossiers":  # a whole number of dossiers
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(where, key, f"phải là số nguyên, không phải {_kind(value)}")
        if not 1 <= value <= _MAX_DOSSIERS:
            _fail(where, key, f"phải từ 1 đến {_MAX_DOSSIERS:,} hồ sơ, nhận được {value}")
        return value
    if kind == "gigabytes":
        number = _number(where, key, value)
        if not 0 < number <= _MAX_GB:
            _fail(where, key, f"phải là số GB trên 0, không quá {_MAX_GB:g}, nhận được {number:g}")
        return number
    if kind == "province_name":
        text = _text(where, key, value, _MAX_NAME)
        if text and not text.strip():  # empty: the data's province-level unit names it
            _fail(where, key, 'chỉ có dấu cách: ghi tên tỉnh, hoặc để "" để lấy tên từ dữ liệu')
        return text.strip()
    if kind == "rule_set":
        text = _text(where, key, value)
        known = known_rule_sets()
        if text not in known:
            _fail(
                where,
                key,
                f'bộ quy tắc không biết "{_show(text)}" (phiên bản này chỉ có: {", ".join(known)})',
            )
        return text
    text = _text(where, key, value)
    if kind == "site_url":
        problem = web_address_problem(text) if text else None  # empty: no public address yet
        if problem:
            _fail(where, key, problem)
    elif kind == "releases_url":
        problem = web_address_problem(text) if text else None  # empty: no published history
        if problem:
            _fail(where, key, f"{problem} (địa chỉ …/lich-su/ của trang đã đăng)")
    elif kind == "data_source":
        problem = data_source_problem(text)
        if problem:
            _fail(where, key, problem)
    elif kind == "folder" and text and _SCHEME.match(text):  # empty: keep no history
        _fail(where, key, "phải là một thư mục, không phải địa chỉ web ([releases] source)")
    elif kind == "portal_folder" and text and _SCHEME.match(text):  # empty: <data>/portal/
        _fail(where, key, 'phải là một thư mục (ví dụ "data/portal"), không phải địa chỉ web')
    return text


_LOOSE_CODE = re.compile(r"[Hh]\d+")


def _portal_list(where: str, key: str, kind: str, value: object) -> tuple[str, ...]:
    """[portal] provinces, periods or endpoints: a list of one-line texts, each checked."""
    from .portal import plan  # the portal's own rules (periods, endpoints)

    if not isinstance(value, list):
        _fail(where, key, f'phải là danh sách (ví dụ ["H21"]), không phải {_kind(value)}')
    if len(value) > _MAX_LIST[kind]:
        _fail(where, key, f"nhiều nhất {_MAX_LIST[kind]} giá trị, có {len(value)}")
    items = tuple(" ".join(_text(where, key, item, _MAX_NAME).split()) for item in value)
    for item in items:
        if kind == "provinces":
            problem = plan.province_problem(item)
            if (
                not problem
                and _LOOSE_CODE.fullmatch(item)
                and not plan.PROVINCE_CODE.fullmatch(item)
            ):
                problem = f"mã tỉnh {_show(item)!r} phải là H và hai chữ số (ví dụ H21)"
        else:
            problem = plan.period_problem(item) if kind == "periods" else None
        if problem:
            _fail(where, key, problem)
    if kind == "endpoints":
        problem = plan.endpoints_problem(items)
        if problem:
            _fail(where, key, problem)
    return items


# A "scheme:" prefix: what makes a source an address rather than a folder. Two letters at least,
# so that a Windows drive (C:) reads as a folder.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
_HOST = re.compile(r"[A-Za-z0-9.-]+")


def web_address_problem(url: str) -> str | None:
    """Why ``url`` is not a full http(s) address of a site (None: it is one)."""
    if not url.lower().startswith(("http://", "https://")):
        return "phải là địa chỉ web đầy đủ bắt đầu bằng https:// hoặc http://"
    return _address_problem(url)


def _address_problem(url: str, *, query: bool = False) -> str | None:
    """Why an http(s) address is not usable: no host, a bad port, a login in it, characters
    that would break a link; a ?query and #fragment only where ``query`` allows them."""
    parts = urllib.parse.urlsplit(url)
    try:
        _ = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        return "cổng (port) trong địa chỉ không hợp lệ"
    if not parts.hostname or not _HOST.fullmatch(parts.hostname):
        return "địa chỉ thiếu tên máy chủ hợp lệ"
    if parts.username is not None or parts.password is not None:
        return "không ghi tên đăng nhập hay mật khẩu trong địa chỉ"
    if not query and ("?" in url or "#" in url):
        return "địa chỉ không được có phần ?… hay #…"
    if any(ch in url for ch in " \"'<>`\\"):
        return "địa chỉ có ký tự không hợp lệ (dấu cách, dấu nháy, <, >, \\)"
    return None


def source_is_url(source: str) -> bool:
    """Whether a data source names an address (scheme:…) rather than a folder."""
    return _SCHEME.match(source) is not None


def data_source_problem(source: str) -> str | None:
    """Why ``[data] source`` can be neither read nor fetched (None: a folder or an https://
    address). The same words from the config check, fetch and the build."""
    if not source.strip():
        return 'không được để trống: ghi một thư mục (ví dụ "data/tinh") hoặc địa chỉ https://…'
    match = _SCHEME.match(source)
    if match is None:
        return None  # a folder; the build says so if it is missing
    scheme = match.group(1).lower()
    if scheme == "file":
        return (
            "địa chỉ file: không dùng được: với một thư mục, ghi đường dẫn của nó "
            '(ví dụ "data/tinh"); dữ liệu từ xa chỉ tải qua https://'
        )
    if not source.lower().startswith("https://"):
        return (
            f"địa chỉ {_show(scheme)}: không dùng được: dữ liệu chỉ tải qua https://, "
            'còn thư mục thì ghi đường dẫn (ví dụ "data/tinh")'
        )
    problem = _address_problem(source, query=True)  # a signed download link has a ?query
    if problem and "đăng nhập" in problem:
        return f"{problem}: dùng biến môi trường MINHBACH_DATA_TOKEN"
    return problem


def check_data_source(settings: Settings) -> None:
    """Refuse a ``[data] source`` that is neither a folder nor an https:// address, in the words
    of the config check (for settings that did not come from ``load_settings``)."""
    problem = data_source_problem(settings.data_source)
    if problem:
        where = str(settings.config_path or DEFAULT_CONFIG.name)
        raise InputError(where, f"[data] source: {problem}")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "số"
    if isinstance(value, str):
        return "chuỗi"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "bảng"
    return "ngày giờ" if isinstance(value, dt.date | dt.time) else type(value).__name__


def _bands(where: str, bands: object) -> tuple[tuple[float, str], ...]:
    """[[bands]]: tables of min (0-100) and label, written from the highest min down (the order
    they are checked in), the last one min = 0 (every total gets a band)."""
    if not isinstance(bands, list) or not bands:
        _fail(where, "[[bands]]", "phải là danh sách khối [[bands]] có min và label, không rỗng")
    if len(bands) > _MAX_BANDS:
        _fail(where, "[[bands]]", f"nhiều nhất {_MAX_BANDS} mức, có {len(bands)}")
    out: list[tuple[float, str]] = []
    for number, band in enumerate(bands, start=1):
        key = f"bands[{number}]"
        if not isinstance(band, dict):
            _fail(where, key, f"phải là khối [[bands]] có min và label, không phải {_kind(band)}")
        extra = [k for k in band if k not in ("min", "label")]
        if extra:
            _fail(where, f"{key}.{_show(extra[0])}", "khoá không biết (chỉ có min, label)")
        for field_name in ("min", "label"):
            if field_name not in band:
                _fail(where, key, f"thiếu {field_name}")
        minimum = _number(where, f"{key}.min", band["min"])
        if not 0 <= minimum <= 100:
            _fail(where, f"{key}.min", f"phải từ 0 đến 100, nhận được {minimum:g}")
        if out and minimum >= out[-1][0]:
            _fail(
                where,
                f"{key}.min",
                f"các mức phải xếp từ min cao xuống thấp, không trùng nhau ({minimum:g} sau "
                f"{out[-1][0]:g})",
            )
        label = _text(where, f"{key}.label", band["label"], _MAX_LABEL).strip()
        if not label:
            _fail(where, f"{key}.label", "không được để trống")
        if label in [b[1] for b in out]:
            _fail(where, f"{key}.label", f'trùng với một mức trước ("{label}")')
        out.append((minimum, label))
    if out[-1][0] != 0:
        _fail(
            where,
            f"bands[{len(out)}].min",
            f"mức cuối phải có min = 0 (mọi tổng điểm đều có xếp loại), nhận được {out[-1][0]:g}",
        )
    return tuple(out)
