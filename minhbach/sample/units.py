"""The province's units: its People's Committee, departments, districts and communes.

The names of places are invented; the departments and the 2025 restructuring are real in shape:
departments merged on 1/3/2025, the district level ended and communes merged on 1/7/2025. Each
unit has a population weight (how many dossiers it receives), a lateness profile (late share at
the start and at the end of the period) and an online propensity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from .text import words

PROVINCE_NAME = "Tỉnh Minh Họa (giả lập)"
PROVINCE_CODE = "Z99"  # not a real province code
# The catalogue (units, procedures, profiles, names of organisations) is drawn from this seed
# and does not change with the generator's ``seed``.
STRUCT_SEED = 74_2025
MERGE_DATE = date(2025, 3, 1)  # departments merged (Nghị quyết 2025 về sắp xếp bộ máy)
COMMUNE_DATE = date(2025, 7, 1)  # district level ended, communes merged

# key, number in the agency code, name, late share at start/end of the period, online propensity
DEPARTMENTS = (
    ("NV", 1, "Sở Nội vụ", 0.03, 0.04, 1.0),
    ("TP", 2, "Sở Tư pháp", 0.015, 0.01, 1.15),
    ("KHDT", 3, "Sở Kế hoạch và Đầu tư", 0.06, 0.05, 1.2),
    ("TC", 4, "Sở Tài chính", 0.05, 0.03, 1.1),
    ("CT", 5, "Sở Công Thương", 0.03, 0.025, 1.1),
    ("NNPTNT", 6, "Sở Nông nghiệp và Phát triển nông thôn", 0.08, 0.08, 0.8),
    ("GTVT", 7, "Sở Giao thông vận tải", 0.10, 0.10, 1.1),
    ("XD", 8, "Sở Xây dựng", 0.30, 0.12, 0.9),
    ("TNMT", 9, "Sở Tài nguyên và Môi trường", 0.32, 0.30, 0.7),
    ("LDTBXH", 10, "Sở Lao động - Thương binh và Xã hội", 0.05, 0.20, 0.9),
    ("VHTTDL", 11, "Sở Văn hóa, Thể thao và Du lịch", 0.06, 0.05, 1.0),
    ("KHCN", 12, "Sở Khoa học và Công nghệ", 0.02, 0.02, 1.1),
    ("TTTT", 13, "Sở Thông tin và Truyền thông", 0.01, 0.01, 1.3),
    ("GDDT", 14, "Sở Giáo dục và Đào tạo", 0.03, 0.02, 1.1),
    ("YT", 15, "Sở Y tế", 0.06, 0.22, 0.9),
    ("BDT", 16, "Ban Dân tộc", 0.05, 0.05, 0.7),
    ("BQLKCN", 17, "Ban Quản lý các khu công nghiệp", 0.02, 0.02, 1.2),
    ("CA", 18, "Công an tỉnh", 0.02, 0.015, 1.1),
    ("NNMT", 21, "Sở Nông nghiệp và Môi trường", 0.40, 0.06, 0.85),
    ("DTTG", 22, "Sở Dân tộc và Tôn giáo", 0.05, 0.04, 0.8),
)
# Only in --scale large (about 25 units at department level).
DEPARTMENTS_LARGE = (
    ("NGV", 19, "Sở Ngoại vụ", 0.03, 0.03, 1.0),
    ("VPUB", 20, "Văn phòng Ủy ban nhân dân tỉnh", 0.04, 0.03, 1.0),
    ("TTR", 23, "Thanh tra tỉnh", 0.15, 0.12, 0.6),
    ("BQLKKT", 24, "Ban Quản lý Khu kinh tế cửa khẩu", 0.04, 0.03, 1.1),
)
# 1/3/2025: the unit on the left ended on 28/2/2025 and its work went to the unit on the right.
MERGERS = {
    "KHDT": "TC",
    "GTVT": "XD",
    "TNMT": "NNMT",
    "NNPTNT": "NNMT",
    "TTTT": "KHCN",
    "LDTBXH": "NV",
    "BDT": "DTTG",
    "NGV": "VPUB",
}
_NEW_2025 = ("NNMT", "DTTG")

# Sample districts (invented names). kind: city (wards), town (wards + communes), rural, island.
_SAMPLE_DISTRICTS = (
    ("Thành phố Minh Họa", "city", 12),
    ("Thị xã Lạc Vân", "town", 9),
    ("Huyện Đồi Mây", "rural", 9),
    ("Huyện Sông Ngọc", "rural", 10),
    ("Huyện Bến Trăng", "rural", 8),
    ("Huyện Khe Lau", "rural", 8),
    ("Huyện Phú Sa", "rural", 9),
    ("Huyện Núi Thơm", "rural", 10),
    ("Huyện đảo Hòn Ngọc", "island", 3),
)
# --scale large: 450 pre-2025 communes in 60 districts, ~150 communes after 1/7/2025, ~700 units.
_LARGE_COMMUNES = 450
_SYL_A = words(
    "Tân Phú An Bình Hòa Long Mỹ Thạnh Vĩnh Phước Hưng Thuận Đông Tây Nam Bắc Trung Quảng Hiệp"
    " Thới Lộc Minh Thanh Hồng Kim Ngọc Xuân Hải Sơn Đức Gia Cẩm Lạc Yên Đại Thái Kỳ Vân Phong"
    " Tiên"
)
_SYL_B = words(
    "Phú Lợi Thành Hưng Hòa Điền Lộc Sơn Thủy Xuân Hải Lâm Định Khánh Tiến An Bình Long Phước"
    " Thịnh Quang Trung Hiệp Mỹ Tân Đông Tây Nam Bắc Yên Thuận Hạnh Linh Châu Vinh Cường Hà"
    " Kiều Dương Nghĩa"
)

_PROFILES = {  # late share at the start / end of the period
    "good": (0.02, 0.015),
    "average": (0.07, 0.06),
    "improving": (0.25, 0.05),
    "worsening": (0.04, 0.22),
    "bad": (0.40, 0.33),
}
_PROFILE_NAMES = tuple(_PROFILES)
_PROFILE_P = (0.45, 0.2, 0.15, 0.12, 0.08)


@dataclass
class Units:
    """Every unit that existed during the period, one entry per unit in each list."""

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    valid_from: list[str] = field(default_factory=list)
    valid_to: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # province dept district commune new_commune
    keys: list[str] = field(default_factory=list)
    pop: list[float] = field(default_factory=list)
    late_a: list[float] = field(default_factory=list)
    late_b: list[float] = field(default_factory=list)
    online: list[float] = field(default_factory=list)

    def add(
        self,
        uid: str,
        name: str,
        level: str,
        kind: str,
        *,
        parent: str = "",
        key: str = "",
        pop: float = 0.0,
        late: tuple[float, float] = (0.05, 0.05),
        online: float = 1.0,
        valid_from: str = "",
        valid_to: str = "",
        successor: str = "",
    ) -> int:
        self.ids.append(uid)
        self.names.append(name)
        self.levels.append(level)
        self.kinds.append(kind)
        self.parents.append(parent)
        self.keys.append(key)
        self.pop.append(pop)
        self.late_a.append(late[0])
        self.late_b.append(late[1])
        self.online.append(online)
        self.valid_from.append(valid_from)
        self.valid_to.append(valid_to)
        self.successors.append(successor)
        return len(self.ids) - 1


def place_names(rng: np.random.Generator) -> list[str]:
    """All two-syllable invented place names, in a fixed shuffled order."""
    combos = [f"{a} {b}" for a in _SYL_A for b in _SYL_B if a != b]
    order = rng.permutation(len(combos))
    return [combos[i] for i in order]


def build_units(scale: str, units: int | None = None) -> Units:
    """The units of the period. ``units`` (large scale only, for the benchmark): about that many
    units in all, by more districts and communes (None: the large scale's ~700)."""
    rng = np.random.default_rng([STRUCT_SEED, 1 if scale == "large" else 0])
    u = Units()
    pid = f"000.00.00.{PROVINCE_CODE}"
    u.add(pid, "Ủy ban nhân dân tỉnh Minh Họa", "province", "province", late=(0.25, 0.2))
    _add_departments(u, pid, scale)
    names = iter(place_names(rng) if units is None else many_place_names(rng))
    for di, (name, kind, size) in enumerate(_districts(rng, names, scale, units)):
        _add_district(u, rng, names, pid, _District(di, name, kind, size, units is not None))
    return u


# Words after a place name that make another one (Tân Phú Thượng), for provinces of thousands.
_NAME_SUFFIXES = words("Thượng Hạ Trung Đông Tây Nam Bắc Nhất Nhì Tam")


def many_place_names(rng: np.random.Generator) -> list[str]:
    """The two-syllable names of :func:`place_names`, then each with a suffix in turn."""
    base = place_names(rng)
    return base + [f"{name} {suffix}" for suffix in _NAME_SUFFIXES for name in base]


def agency_columns(u: Units) -> list[pa.Array]:
    """The agencies table (AGENCY_COLUMNS), empty values as nulls."""
    cols = [u.ids, u.names, u.levels, u.parents, u.valid_from, u.valid_to, u.successors]
    return [pa.array([v or None for v in c], type=pa.string()) for c in cols]


def _add_departments(u: Units, pid: str, scale: str) -> None:
    deps = DEPARTMENTS + (DEPARTMENTS_LARGE if scale == "large" else ())
    dep_ids = {key: f"000.00.{num:02d}.{PROVINCE_CODE}" for key, num, *_ in deps}
    for key, _num, name, la, lb, onl in sorted(deps, key=lambda d: d[1]):
        succ = MERGERS.get(key)
        u.add(
            dep_ids[key],
            name,
            "department",
            "dept",
            parent=pid,
            key=key,
            late=(la, lb),
            online=onl,
            valid_from=MERGE_DATE.isoformat() if key in _NEW_2025 else "",
            valid_to=(MERGE_DATE - timedelta(days=1)).isoformat() if succ else "",
            successor=dep_ids[succ] if succ else "",
        )


def _districts(
    rng: np.random.Generator, names: Iterator[str], scale: str, units: int | None = None
) -> list[tuple[str, str, int]]:
    """(name, kind, number of communes) of every pre-2025 district; ``units``: about that many
    units in all (each old commune brings about 1.47 units: itself, a third of the new commune
    it merges into, and 1/7.5 of its district)."""
    if scale != "large":
        return list(_SAMPLE_DISTRICTS)
    n_communes, n_districts = _LARGE_COMMUNES, 60
    if units is not None:
        n_communes = max(8, round((units - 26) / (1 + 1 / 3 + 1 / 7.5)))
        n_districts = max(1, round(n_communes / 7.5))
    sizes = rng.integers(7, 14, n_districts)
    sizes = np.maximum(4, sizes + (n_communes - sizes.sum()) // n_districts)
    sizes[-1] += n_communes - sizes.sum()
    districts = []
    for i, size in enumerate(sizes):
        kind = "city" if i == 0 else "town" if i < 6 else "rural"
        prefix = {"city": "Thành phố", "town": "Thị xã", "rural": "Huyện"}[kind]
        districts.append((f"{prefix} {next(names)}", kind, int(size)))
    return districts


def _profile(rng: np.random.Generator) -> tuple[float, float]:
    return _PROFILES[_PROFILE_NAMES[rng.choice(5, p=_PROFILE_P)]]


def _late(rng: np.random.Generator, prof: tuple[float, float], lo: float, hi: float):
    """A unit's late shares: its profile's, each scaled by a random factor in [lo, hi)."""
    return (prof[0] * rng.uniform(lo, hi), prof[1] * rng.uniform(lo, hi))


def _group_sizes(rng: np.random.Generator, size: int) -> list[int]:
    """How a district's communes merge on 1/7/2025: groups of 2-4 (never a group of 1)."""
    groups = []
    left = size
    while left > 0:
        g = int(min(left, rng.integers(2, 5)))
        if left - g == 1:
            g += 1
        groups.append(g)
        left -= g
    return groups


class _District(NamedTuple):
    index: int
    name: str
    kind: str  # city (wards), town (wards + communes), rural, island
    size: int  # communes until 30/6/2025
    many: bool = False  # a benchmark province of thousands of units: ids of their own

    @property
    def id(self) -> str:
        if self.many:
            return f"001.00.{self.index:03d}.{PROVINCE_CODE}"
        return f"000.00.{40 + self.index:02d}.{PROVINCE_CODE}"

    def commune_id(self, ci: int) -> str:
        if self.many:
            return f"001.{ci:02d}.{self.index:03d}.{PROVINCE_CODE}"
        return f"000.{ci:02d}.{40 + self.index:02d}.{PROVINCE_CODE}"

    def commune_name(self, names: Iterator[str], ci: int) -> str:
        """The name of old commune number ci (from 1): wards first in a town."""
        if self.kind == "city" or (self.kind == "town" and ci <= self.size // 2):
            return f"Phường {next(names)}"
        if self.kind != "island" and ci == 1:
            return f"Thị trấn {next(names)}"
        return f"Xã {next(names)}"

    def new_commune_name(self, names: Iterator[str], ci: int) -> str:
        """The name of the commune that old communes after number ci merge into."""
        if self.kind == "island":
            return f"Đặc khu {self.name.split('đảo ')[-1]}"
        if self.kind == "city" or (self.kind == "town" and ci < self.size // 2):
            return f"Phường {next(names)}"
        return f"Xã {next(names)}"


def _add_district(
    u: Units, rng: np.random.Generator, names: Iterator[str], pid: str, d: _District
) -> None:
    """A district, its communes until 30/6/2025 and the new communes they merged into."""
    prof = _profile(rng)
    u.add(
        d.id,
        d.name,
        "district",
        "district",
        parent=pid,
        pop=float(d.size) * rng.uniform(0.7, 1.3),
        late=_late(rng, prof, 0.8, 1.2),
        online=float(rng.uniform(0.7, 1.25)),
        valid_to=(COMMUNE_DATE - timedelta(days=1)).isoformat(),
    )
    ci = 0
    for g in _group_sizes(rng, d.size):
        ci = _add_commune_group(u, rng, names, pid, d, g, ci)


def _add_commune_group(
    u: Units,
    rng: np.random.Generator,
    names: Iterator[str],
    pid: str,
    d: _District,
    g: int,
    ci: int,
) -> int:
    """g old communes (numbered from ci + 1) and the new commune they became; the last number."""
    nidx = u.kinds.count("new_commune")
    nid = f"000.{nidx % 99 + 1:02d}.{30 + nidx // 99:02d}.{PROVINCE_CODE}"
    if d.many:
        nid = f"002.{nidx % 99 + 1:02d}.{nidx // 99:03d}.{PROVINCE_CODE}"
    nname = d.new_commune_name(names, ci)
    pops, onlines = [], []
    for _ in range(g):
        ci += 1
        cname = d.commune_name(names, ci)
        prof = _profile(rng)
        pops.append(float(rng.lognormal(0, 0.5)) * (2.0 if d.kind == "city" else 1.0))
        late = _late(rng, prof, 0.7, 1.3)
        onlines.append(float(rng.uniform(0.6, 1.3)))
        u.add(
            d.commune_id(ci),
            cname,
            "commune",
            "commune",
            parent=d.id,
            pop=pops[-1],
            late=late,
            online=onlines[-1],
            valid_to=(COMMUNE_DATE - timedelta(days=1)).isoformat(),
            successor=nid,
        )
    u.add(
        nid,
        nname,
        "commune",
        "new_commune",
        parent=pid,
        pop=sum(pops),
        late=_late(rng, _profile(rng), 0.7, 1.3),
        online=float(np.mean(onlines)),
        valid_from=COMMUNE_DATE.isoformat(),
    )
    return ci
