"""Settings a province changes, read from one TOML file (``minhbach.toml``)."""

from __future__ import annotations

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


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing default file gives the defaults."""
    path = Path(path) if path else DEFAULT_CONFIG
    if not path.exists():
        if path == DEFAULT_CONFIG:
            return Settings()
        raise InputError(str(path), "config file not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"config file is not valid TOML ({exc})") from None
    province = raw.get("province", {})
    data = raw.get("data", {})
    rules = raw.get("rules", {})
    bands = raw.get("bands")
    rel = raw.get("releases", {})
    try:
        band_tuple = (
            tuple(
                sorted(
                    ((float(b["min"]), str(b["label"])) for b in bands),
                    key=lambda b: -b[0],
                )
            )
            if bands
            else DEFAULT_BANDS
        )
        settings = Settings(
            province_name=str(province.get("name", Settings.province_name)),
            site_url=str(province.get("site_url", Settings.site_url)),
            data_source=str(data.get("source", Settings.data_source)),
            rule_set=str(rules.get("rule_set", Settings.rule_set)),
            second_supplement_is_late=bool(
                rules.get("second_supplement_is_late", Settings.second_supplement_is_late)
            ),
            max_quarantine_pct=float(rules.get("max_quarantine_pct", Settings.max_quarantine_pct)),
            official_score_tolerance=float(
                rules.get("official_score_tolerance", Settings.official_score_tolerance)
            ),
            bands=band_tuple,
            releases_archive=str(rel.get("archive", Settings.releases_archive)),
            releases_source=str(rel.get("source", Settings.releases_source)),
            config_path=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(str(path), f"invalid setting ({exc})") from None
    return settings
