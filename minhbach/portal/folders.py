"""Where the portal's captures are: the folder ``make fetch`` saves them in (``[portal] folder``)
and the folder the build reads as its ``portal/`` input.

The build reads ``[portal] folder`` when the config sets it, else the data folder's ``portal/``
(portal.md: the bundled sample's own captures, or a province's data folder holding both). A
folder of its own keeps the captures apart from the export: ``make fetch`` replaces
``data/fetched/`` whole, and a capture is history that must not go with it.
"""

from __future__ import annotations

from pathlib import Path

from ..config import DEFAULT_CONFIG, ROOT, Settings
from ..errors import InputError

DATA_PORTAL = "portal"  # the data folder's own captures


def capture_folder(settings: Settings) -> Path | None:
    """``[portal] folder`` as a path (from the repository); None when the config sets none."""
    if not settings.portal_folder:
        return None
    folder = Path(settings.portal_folder)
    return folder if folder.is_absolute() else ROOT / folder


def input_folder(settings: Settings, data_dir: Path, *, synthetic: bool = False) -> Path:
    """The folder the build reads the portal's files from (it may not exist: no portal input).

    A synthetic data folder (the bundled sample) is never built with the captures of another
    folder: real figures would mix with invented ones under the fictional province's name."""
    folder = capture_folder(settings)
    if folder is None:
        return Path(data_dir) / DATA_PORTAL
    if synthetic:
        raise InputError(
            f"{settings.config_path or DEFAULT_CONFIG.name}: [portal] folder",
            f"dữ liệu {data_dir} là dữ liệu giả lập: không dựng cùng bản chụp thật của cổng "
            '(đặt [data] source là dữ liệu thật, hoặc để folder = "")',
        )
    return folder
