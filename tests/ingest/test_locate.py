"""Finding a table's files (minhbach.ingest.locate): names in any case, forms, folders of
monthly files, what is passed over and what is refused."""

from __future__ import annotations

import pytest

from minhbach.errors import InputError

from .files import AGENCIES, dossiers_csv, input_error, make_dir, read


def test_uppercase_file_names_are_found(tmp_path):
    data = make_dir(tmp_path, **{"agencies.csv": None, "AGENCIES.CSV": AGENCIES})
    con, report = read(data)
    assert report["agencies"].files == ["AGENCIES.CSV"]
    assert con.execute("SELECT count(*) FROM raw_agencies").fetchone() == (2,)


def test_other_files_in_the_folder_are_ignored(tmp_path):
    data = make_dir(
        tmp_path,
        **{"_synthetic.toml": "note = 'x'\n", "README.md": "# dữ liệu\n", ".hidden.csv": "x"},
    )
    _, report = read(data)
    assert report.present == ["agencies", "procedures", "dossiers"]


def test_missing_required_table_is_an_error(tmp_path):
    error = input_error(make_dir(tmp_path, **{"procedures.csv": None}))
    assert error.file == "procedures"
    assert "thiếu bảng bắt buộc" in error.problem
    assert "\n" not in str(error)


def test_missing_table_mentions_an_unsupported_form(tmp_path):
    error = input_error(make_dir(tmp_path, **{"procedures.csv": None, "procedures.xls": b"x"}))
    assert "procedures.xls" in error.problem


def test_two_forms_of_one_table_are_ambiguous(tmp_path):
    data = make_dir(tmp_path, **{"dossiers__2026-01.csv": dossiers_csv()})
    error = input_error(data)
    assert error.file == "dossiers"
    assert "dossiers.csv" in error.problem and "dossiers/" in error.problem


def test_folder_problems(tmp_path):
    data = make_dir(tmp_path, **{"ratings__2026-01.xls": b"x"})
    error = input_error(data)
    assert error.file == "ratings/2026-01.xls"
    (data / "ratings" / "2026-01.xls").unlink()
    assert "không có tệp" in input_error(data).problem
    (data / "ratings" / "2026").mkdir()
    assert "thư mục con" in input_error(data).problem


def test_missing_data_folder(tmp_path):
    with pytest.raises(InputError) as info:
        read(tmp_path / "nowhere")
    assert "thư mục dữ liệu" in info.value.problem
