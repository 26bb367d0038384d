"""Helpers for whole-build tests: a tiny hand-made export and running build.py as users do."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AGENCIES = """agency_id,name,level,parent_id,valid_from,valid_to,successor_id
000.00.00.Z99,Tỉnh Thử Nghiệm,province,,,,
000.00.01.Z99,Sở Tư pháp,department,000.00.00.Z99,,,
000.00.02.Z99,Sở Y tế,department,000.00.00.Z99,,,
"""

PROCEDURES = """MaTTHC,TenTTHC,LinhVuc,MucDo,SoNgayGiaiQuyet,CoPhiLePhi
1.001193,Cấp Phiếu lý lịch tư pháp,Lý lịch tư pháp,4,10,1
1.000001,Cấp giấy phép hành nghề,Y tế,3,15,0
"""

DOSSIER_HEADER = (
    "MaHoSo,MaDonVi,MaTTHC,KenhThucHien,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,"
    "NgayKetThucXuLy,ChuHoSo,SoDienThoai,SoGiayToChuHoSo"
)


def dossier_rows(n: int = 40) -> list[str]:
    rows = []
    for i in range(n):
        agency = "000.00.01.Z99" if i % 2 else "000.00.02.Z99"
        proc = "1.001193" if i % 3 else "1.000001"
        day = 1 + i % 27
        status = 10 if i % 4 else 4
        finished = f"202603{day + 1:02d}090000" if status == 10 else ""
        rows.append(
            f"HS{i:04d},{agency},{proc},{1 + i % 3},{status},202603{day:02d}080000,"
            f"202603{min(day + 3, 31):02d}170000,{finished},Nguyễn Văn Bímật{i},"
            f"09{i:08d},0791{i:08d}"
        )
    return rows


def write_export(folder: Path, *, dossiers: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    (folder / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    rows = dossier_rows() if dossiers is None else dossiers
    (folder / "dossiers.csv").write_text(
        "\n".join([DOSSIER_HEADER, *rows]) + "\n", encoding="utf-8"
    )
    return folder


def run_build(data: Path, out: Path, *extra: str, env: dict | None = None):
    """Run build.py; without --releases, no history is kept (never the repository's archive)."""
    if "--releases" not in extra:
        extra = (*extra, "--releases", "none")
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--data", str(data), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
