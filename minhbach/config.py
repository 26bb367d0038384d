"""Settings a province changes, read from one TOML file (``minhbach.toml``)."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "minhbach.toml"

DEFAULT_BANDS = (
    (90.0, "Xuất sắc"),
    (80.0, "Tốt"),
    (70.0, "Khá"),
    (50.0, "Trung bình"),
    (0.0, "Yếu"),
)


@dataclass(frozen=True)
class Settings:
    province_name: str = ""
    site_url: str = "https://example.org/minhbach/"
    data_source: str = "data/sample"
    rule_set: str = "qd766-v1"
    second_supplement_is_late: bool = True
    max_quarantine_pct: float = 5.0
    official_score_tolerance: float = 1.0
    bands: tuple[tuple[float, str], ...] = field(default=DEFAULT_BANDS)
    releases_archive: str = "releases"
    releases_source: str = ""
    config_path: Path | None = None

    def band_for(self, total_100: float | None) -> str | None:
        if total_100 is None:
            return None
        for minimum, label in self.bands:
            if total_100 >= minimum:
                return label
        return self.bands[-1][1]


# The keys the file may hold, section by section, with the kind of value each takes.
_KEYS: dict[str, dict[str, str]] = {
    "province": {"name": "text", "site_url": "url"},
    "data": {"source": "text"},
    "releases": {"archive": "text", "source": "text"},
    "rules": {
        "rule_set": "name",
        "second_supplement_is_late": "bool",
        "max_quarantine_pct": "percent",
        "official_score_tolerance": "non_negative",
    },
}
_MAX_TEXT = 300  # characters of a text setting (a name, a path or an address)


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing default file gives the defaults.

    Every problem (not TOML, an unknown section or key, a value of the wrong kind, bands that
    do not cover 0-100) is an ``InputError`` naming the file and the key.
    """
    path = Path(path) if path else DEFAULT_CONFIG
    where = str(path)
    if not path.exists():
        if path == DEFAULT_CONFIG:
            return Settings()
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

    values: dict[str, dict[str, object]] = {}
    for section, content in raw.items():
        if section == "bands":
            continue
        if section not in _KEYS:
            known = ", ".join(f"[{k}]" for k in (*_KEYS, "[bands]"))
            raise InputError(where, f"mục không biết [{_show(section)}] (chỉ có {known})")
        if not isinstance(content, dict):
            raise InputError(where, f"[{section}] phải là một mục (bảng TOML), không phải giá trị")
        values[section] = {}
        for key, value in content.items():
            kind = _KEYS[section].get(key)
            if kind is None:
                known = ", ".join(_KEYS[section])
                raise InputError(
                    where,
                    f"khoá không biết {section}.{_show(key)} (trong [{section}] chỉ có {known})",
                )
            values[section][key] = _check(where, f"{section}.{key}", kind, value)

    def get(section: str, key: str):
        return values.get(section, {}).get(key, getattr(Settings, _FIELDS[section, key]))

    return Settings(
        province_name=get("province", "name"),
        site_url=get("province", "site_url"),
        data_source=get("data", "source"),
        rule_set=get("rules", "rule_set"),
        second_supplement_is_late=get("rules", "second_supplement_is_late"),
        max_quarantine_pct=get("rules", "max_quarantine_pct"),
        official_score_tolerance=get("rules", "official_score_tolerance"),
        bands=_bands(where, raw["bands"]) if "bands" in raw else DEFAULT_BANDS,
        releases_archive=get("releases", "archive"),
        releases_source=get("releases", "source"),
        config_path=path,
    )


_FIELDS = {
    ("province", "name"): "province_name",
    ("province", "site_url"): "site_url",
    ("data", "source"): "data_source",
    ("releases", "archive"): "releases_archive",
    ("releases", "source"): "releases_source",
    ("rules", "rule_set"): "rule_set",
    ("rules", "second_supplement_is_late"): "second_supplement_is_late",
    ("rules", "max_quarantine_pct"): "max_quarantine_pct",
    ("rules", "official_score_tolerance"): "official_score_tolerance",
}


def _show(name: object) -> str:
    """A key of the file as a message shows it: one line, at most 40 characters."""
    text = " ".join(str(name).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _number(where: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(where, f"{key} phải là một số, không phải {_kind(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(where, f"{key} phải là một số hữu hạn (không phải nan hay inf)")
    return number


def _check(where: str, key: str, kind: str, value: object):
    """The value of one setting, checked for its kind."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(where, f"{key} phải là true hoặc false, không phải {_kind(value)}")
        return value
    if kind in ("percent", "non_negative"):
        number = _number(where, key, value)
        if number < 0 or (kind == "percent" and number > 100):
            limits = "từ 0 đến 100" if kind == "percent" else "không âm"
            raise InputError(where, f"{key} phải là số {limits}, nhận được {number:g}")
        return number
    if not isinstance(value, str):
        raise InputError(where, f"{key} phải là chuỗi văn bản, không phải {_kind(value)}")
    if len(value) > _MAX_TEXT or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InputError(
            where,
            f"{key} phải là một dòng văn bản không quá {_MAX_TEXT} ký tự, không ký tự điều khiển",
        )
    if kind == "name" and not value.strip():
        raise InputError(where, f"{key} không được để trống")
    if kind == "url" and value and not _URL.fullmatch(value):  # empty: no public address yet
        raise InputError(
            where, f"{key} phải là địa chỉ web đầy đủ bắt đầu bằng https:// hoặc http://"
        )
    return value


_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s\"'<>`]*)?")


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
    """[[bands]]: tables of min (0-100) and label; distinct mins, one of them 0 (every total
    gets a band); sorted from the highest min down."""
    if not isinstance(bands, list) or not bands:
        raise InputError(where, "bands phải là danh sách [[bands]] có min và label, không rỗng")
    out: list[tuple[float, str]] = []
    for number, band in enumerate(bands, start=1):
        key = f"bands[{number}]"
        if not isinstance(band, dict):
            raise InputError(where, f"{key} phải là một bảng [[bands]] có min và label")
        extra = [k for k in band if k not in ("min", "label")]
        if extra:
            raise InputError(where, f"khoá không biết {key}.{_show(extra[0])} (chỉ có min, label)")
        for field_name in ("min", "label"):
            if field_name not in band:
                raise InputError(where, f"{key} thiếu {field_name}")
        minimum = _number(where, f"{key}.min", band["min"])
        if not 0 <= minimum <= 100:
            raise InputError(where, f"{key}.min phải từ 0 đến 100, nhận được {minimum:g}")
        label = _check(where, f"{key}.label", "name", band["label"])
        out.append((minimum, label.strip()))
    mins = [m for m, _ in out]
    if len(set(mins)) != len(mins):
        raise InputError(where, "bands: hai mức có cùng min")
    labels = [label for _, label in out]
    if len(set(labels)) != len(labels):
        raise InputError(where, "bands: hai mức có cùng label")
    if min(mins) != 0:
        raise InputError(where, "bands: phải có một mức min = 0 (mọi tổng điểm đều có xếp loại)")
    return tuple(sorted(out, key=lambda b: -b[0]))
