"""Finding a table's input in the data folder: ``NAME.csv``, ``NAME.csv.gz``, ``NAME.parquet``,
``NAME.xlsx`` or a folder ``NAME/`` of such files, read as one table.

Names are matched case-insensitively (exports made on Windows often say DOSSIERS.CSV). Hidden
files, Excel's lock files, notes (README, ``*.md``) and files named after no table are passed
over; a table in two forms at once, a folder named like a file or a subfolder of a table's
folder is an ``InputError``. (The national portal's evaluation lives in a ``portal/`` folder
beside the tables: no contract table is called ``portal``, so it is never taken for one.)
"""

from __future__ import annotations

from pathlib import Path

from .. import contract
from ..errors import InputError

# Recognised forms of a table, in the order they are listed in messages.
FORMS = (".csv", ".csv.gz", ".parquet", ".xlsx")


def locate(data_dir: Path, table: contract.Table, *, required: bool = True) -> list[Path] | None:
    """The files of one table, in reading order; None when the table is absent (an absent
    required table stops the build, unless ``required`` is false: a build from the portal's
    files alone)."""
    name = table.name
    found, other_forms = _candidates(data_dir, name)
    if len(found) > 1:
        shown = ", ".join(p.name + ("/" if p.is_dir() else "") for p in found)
        raise InputError(name, f"bảng có nhiều dạng cùng lúc ({shown}): hãy chỉ giữ một")
    if not found:
        if table.required and required:
            raise _missing(name, other_forms)
        return None
    path = found[0]
    if not path.is_dir():
        return [path]
    return _folder_files(data_dir, path, name)


def form(name: str) -> str | None:
    """The form of a file (``.csv``, ``.csv.gz``, ``.parquet``, ``.xlsx``) from its name."""
    lower = name.lower()
    for suffix in (".csv.gz", ".csv", ".parquet", ".xlsx"):
        if lower.endswith(suffix):
            return suffix
    return None


def rel(data_dir: Path, path: Path) -> str:
    """A path as messages and ``_source`` show it: relative to the data folder, with ``/``."""
    return path.relative_to(data_dir).as_posix()


def _is_hidden(name: str) -> bool:
    # dot-files, and the lock files Excel leaves beside an open workbook (~$name.xlsx)
    return name.startswith((".", "~$"))


def _candidates(data_dir: Path, name: str) -> tuple[list[Path], list[str]]:
    """The entries of the data folder that are the table (a file in a known form, or its
    folder), and the names of files that are the table in a form not read."""
    wanted = {name + suffix for suffix in FORMS}
    found: list[Path] = []
    other_forms: list[str] = []
    for entry in sorted(data_dir.iterdir()):
        if _is_hidden(entry.name):
            continue
        lower = entry.name.lower()
        if entry.is_dir():
            if lower == name:
                found.append(entry)
            elif lower in wanted:  # a folder named like a file (dossiers.csv/)
                raise InputError(
                    entry.name + "/",
                    f"là thư mục, không phải tệp dữ liệu: {name} phải là một tệp "
                    f"hoặc thư mục {name}/",
                )
        elif lower in wanted:
            found.append(entry)
        elif lower.split(".", 1)[0] == name and "." in lower:
            other_forms.append(entry.name)
    return found, other_forms


def _missing(name: str, other_forms: list[str]) -> InputError:
    hint = ""
    if other_forms:
        hint = (
            f"; có {', '.join(other_forms)} nhưng định dạng này không được đọc "
            "(hãy lưu thành .csv hoặc .xlsx)"
        )
    return InputError(
        name,
        f"thiếu bảng bắt buộc: cần {name}.csv, {name}.csv.gz, {name}.parquet, "
        f"{name}.xlsx hoặc thư mục {name}/{hint}",
    )


def _folder_files(data_dir: Path, folder: Path, name: str) -> list[Path]:
    """The data files of a table's folder, by name."""
    files: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if _is_hidden(entry.name):
            continue
        shown = rel(data_dir, entry)
        if entry.is_dir():
            raise InputError(
                shown + "/",
                f"thư mục con không được đọc: hãy để mọi tệp của {name} ngay trong {name}/",
            )
        if form(entry.name) is not None:
            files.append(entry)
        elif entry.name.lower().startswith("readme") or entry.name.lower().endswith(".md"):
            continue  # notes beside the data
        else:
            raise InputError(shown, "định dạng không được đọc (chỉ .csv, .csv.gz, .parquet, .xlsx)")
    if not files:
        raise InputError(name + "/", "thư mục không có tệp dữ liệu nào")
    return files
