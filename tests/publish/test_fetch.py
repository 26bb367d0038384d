"""Fetching an https:// export (minhbach.publish.fetch): hostile zips and failed downloads are
refused with one line, ``fetched.new/`` is removed and the previous ``fetched/`` stays as it was.

No test touches the network: the server's response comes from ``fetch._open``, replaced here by
bytes made in the test.
"""

from __future__ import annotations

import errno
import io
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
import zipfile
from pathlib import Path

import pytest
from buildkit import ROOT, tree_digest

from minhbach import inputs, runtime
from minhbach.config import Settings
from minhbach.errors import InputError
from minhbach.publish import fetch

URL = "https://example.org/xuat/du-lieu.zip"
GOOD = [("agencies.csv", b"agency_id,name\n1,A\n"), ("dossiers/2026-01.csv", b"x\n")]


class _Response(io.BytesIO):
    """What urlopen returns, enough for fetch.download."""

    def __init__(self, body: bytes, headers: dict | None = None):
        super().__init__(body)
        self.headers = headers or {}


def _zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name": on purpose
        for name, content in entries:
            zf.writestr(name, content)
    return buffer.getvalue()


def _symlink(name: str, points_to: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the high 16 bits of external_attr are the file's mode
    info.external_attr = 0o120777 << 16
    return info


@pytest.fixture
def served(monkeypatch):
    """served(body) makes the next download return these bytes; the requests are kept."""
    requests: list[urllib.request.Request] = []

    def serve(body: bytes | Exception, headers: dict | None = None):
        def _open(request):
            requests.append(request)
            if isinstance(body, Exception):
                raise body
            return _Response(body, headers)

        monkeypatch.setattr(fetch, "_open", _open)
        return requests

    return serve


@pytest.fixture
def data(tmp_path):
    """A data folder with an earlier fetch in fetched/."""
    folder = tmp_path / "data"
    (folder / "fetched").mkdir(parents=True)
    (folder / "fetched" / "agencies.csv").write_text("earlier export\n", encoding="utf-8")
    return folder


def _settings(**changes) -> Settings:
    return Settings(**{"data_source": URL, **changes})


def _refused(data: Path, **changes) -> str:
    """Fetch into data/fetched, which must fail and leave nothing of the attempt behind."""
    before = tree_digest(data / "fetched")
    with pytest.raises(InputError) as caught:
        fetch.fetch(_settings(**changes), data / "fetched")
    message = str(caught.value)
    assert "\n" not in message
    assert sorted(p.name for p in data.iterdir()) == ["fetched"]  # no fetched.new/, .old/
    assert tree_digest(data / "fetched") == before
    return message


# --------------------------------------------------------------------------------------------
# A good export


def test_good_zip_replaces_the_earlier_fetch(data, served):
    served(_zip([*GOOD, ("sub\\feedback.csv", b"y\n"), ("./procedures.csv", b"p\n")]))
    assert fetch.fetch(_settings(), data / "fetched") == data / "fetched"
    assert sorted(p.name for p in data.iterdir()) == ["fetched"]
    assert tree_digest(data / "fetched") == tree_digest_of(
        {
            "agencies.csv": GOOD[0][1],
            "dossiers/2026-01.csv": b"x\n",
            "sub/feedback.csv": b"y\n",
            "procedures.csv": b"p\n",
        }
    )


def tree_digest_of(files: dict[str, bytes]) -> dict[str, str]:
    import hashlib

    return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}


def test_token_is_not_sent_on_to_a_redirect(data, served, monkeypatch):
    monkeypatch.setenv("MINHBACH_DATA_TOKEN", "s3cret")
    requests = served(_zip(GOOD))
    fetch.fetch(_settings(), data / "fetched")
    (request,) = requests
    assert request.unredirected_hdrs.get("Authorization") == "Bearer s3cret"
    assert "Authorization" not in request.headers  # headers a redirect carries on


def test_redirect_to_plain_http_is_refused():
    handler = fetch._HttpsOnlyRedirects()
    request = urllib.request.Request(URL)
    with pytest.raises(InputError, match="https://"):
        handler.redirect_request(request, None, 302, "Found", {}, "http://example.org/x.zip")
    assert handler.redirect_request(request, None, 302, "Found", {}, URL + "?b") is not None


# --------------------------------------------------------------------------------------------
# Zips that expand too far


def test_zip_bomb_is_refused_before_unpacking(data, served):
    zeros = _zip([("dossiers.csv", bytes(50 * 1024**2))])
    assert len(zeros) < 100_000
    served(zeros)
    message = _refused(data, max_unpacked_gb=0.01)  # 10 MB
    assert message.startswith("https://example.org/xuat/du-lieu.zip: ")
    assert "max_unpacked_gb" in message


def test_zip_whose_declared_sizes_lie_is_refused(data, served):
    """The listing says 1,000 bytes; the entry holds 50 MB of zeros."""
    body = bytearray(_zip([("dossiers.csv", bytes(50 * 1024**2))]))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local, central header
        at = body.find(signature) + offset
        body[at : at + 4] = (1000).to_bytes(4, "little")
    served(bytes(body))
    message = _refused(data, max_unpacked_gb=0.01)
    assert "dossiers.csv" in message


def test_bytes_are_counted_while_unpacking(tmp_path, monkeypatch):
    """An entry that yields more bytes than its listing declared is stopped there (Python's
    zipfile already cuts an entry at its declared size; this guard does not rely on it)."""
    archive = tmp_path / "x.zip"
    archive.write_bytes(_zip([("a.csv", bytes(10))]))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info: io.BytesIO(bytes(3_000_000)))
    with pytest.raises(InputError, match="kích thước khai báo"):
        fetch.unpack(archive, tmp_path / "out", limit=4000, where="x.zip")
    assert (tmp_path / "out" / "a.csv").stat().st_size == 0  # not a byte past the declared 10


def test_too_many_entries_are_refused(data, served, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_ENTRIES", 5)
    served(_zip([(f"dossiers/{i}.csv", b"x") for i in range(6)]))
    assert "nhiều hơn 5" in _refused(data)


def test_download_bigger_than_declared_limit_is_refused_unread(data, served):
    served(b"", {"Content-Length": str(5 * 1024**3)})
    assert "lớn hơn 4 GB" in _refused(data)


def test_download_bigger_than_the_limit_is_cut(data, served, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    served(bytes(5000))
    assert "lớn hơn" in _refused(data)


# --------------------------------------------------------------------------------------------
# Entries that would write outside the folder or over each other


def test_symlink_entry_is_refused(data, served):
    served(_zip([*GOOD, (_symlink("agencies2.csv", "/etc/passwd"), "/etc/passwd")]))
    message = _refused(data)
    assert "agencies2.csv" in message and "symlink" in message


@pytest.mark.parametrize("name", ["../x.csv", "a/../../x.csv", "..\\x.csv"])
def test_entry_climbing_out_is_refused(tmp_path, data, served, name):
    served(_zip([*GOOD, (name, b"escaped\n")]))
    assert "'..'" in _refused(data)
    assert not (tmp_path / "x.csv").exists() and not (data / "x.csv").exists()


@pytest.mark.parametrize("name", ["/tmp/x.csv", "C:/x.csv", "C:\\x.csv"])
def test_absolute_entry_is_refused(data, served, name):
    served(_zip([*GOOD, (name, b"x\n")]))
    assert "tuyệt đối" in _refused(data)


def test_duplicate_entry_is_refused(data, served):
    served(_zip([*GOOD, ("agencies.csv", b"second\n")]))
    assert "trùng tên" in _refused(data)


def test_file_where_a_folder_is_needed_is_refused(data, served):
    served(_zip([("dossiers", b"a file\n"), ("dossiers/2026-01.csv", b"x\n")]))
    assert "thư mục" in _refused(data)


def test_encrypted_entry_is_refused(data, served):
    body = bytearray(_zip([("dossiers.csv", b"x\n")]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flags
        body[body.find(signature) + offset] |= 0x1  # bit 0: encrypted
    served(bytes(body))
    assert "mật khẩu" in _refused(data)


# --------------------------------------------------------------------------------------------
# Broken downloads


def test_truncated_zip_is_refused(data, served):
    body = _zip([("dossiers.csv", bytes(range(256)) * 400), *GOOD], zipfile.ZIP_STORED)
    served(body[: len(body) // 2])
    assert "zip" in _refused(data)


def test_damaged_entry_is_refused(data, served):
    body = bytearray(_zip([("dossiers.csv", b"MaHoSo\n" * 20_000)]))
    middle = len(body) // 2
    body[middle : middle + 50] = bytes(50)
    served(bytes(body))
    assert "hỏng" in _refused(data)


@pytest.mark.parametrize(
    "body", ["<html>Đăng nhập</html>".encode(), b""], ids=["login_page", "empty"]
)
def test_not_a_zip_is_refused(data, served, body):
    served(body)
    _refused(data)


def test_zip_without_files_is_refused(data, served):
    served(_zip([("dossiers/", b"")]))
    assert "không có tệp" in _refused(data)


def test_http_error_names_the_status(data, served):
    served(urllib.error.HTTPError(URL, 404, "Not Found", {}, None))
    assert "HTTP 404" in _refused(data)


def test_network_error_is_one_line(data, served):
    served(urllib.error.URLError(ConnectionRefusedError(111, "refused")))
    assert "ConnectionRefusedError" in _refused(data)


def test_message_never_shows_a_signed_links_query(data, served):
    served(b"junk")
    message = _refused(data, data_source=URL + "?X-Signature=s3cret")
    assert "s3cret" not in message and message.startswith(f"{URL}: ")


def test_interrupted_fetch_leaves_nothing(data, served, monkeypatch):
    served(_zip(GOOD))

    def interrupted(new, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch, "swap", interrupted)
    before = tree_digest(data / "fetched")
    with pytest.raises(KeyboardInterrupt):
        fetch.fetch(_settings(), data / "fetched")
    assert sorted(p.name for p in data.iterdir()) == ["fetched"]
    assert tree_digest(data / "fetched") == before


def test_leftover_of_a_killed_fetch_is_cleared(data, served):
    (data / "fetched.new" / "export").mkdir(parents=True)
    (data / "fetched.new" / "export" / "stale.csv").write_text("x")
    served(_zip(GOOD))
    fetch.fetch(_settings(), data / "fetched")
    assert sorted(p.name for p in data.iterdir()) == ["fetched"]
    assert not (data / "fetched" / "stale.csv").exists()


# --------------------------------------------------------------------------------------------
# Sources that are not https://: fetch and the build say so in the same words


@pytest.mark.parametrize("source", ["file:/etc", "ftp://example.org/x.zip", "http://e.org/x.zip"])
def test_other_schemes_are_refused_by_fetch_and_build(tmp_path, source):
    settings = Settings(data_source=source, config_path=tmp_path / "minhbach.toml")
    with pytest.raises(InputError) as by_fetch:
        fetch.fetch(settings, tmp_path / "fetched")
    with pytest.raises(InputError) as by_build:
        inputs.resolve_data_dir(None, settings, runtime.Progress(quiet=True))
    assert str(by_fetch.value) == str(by_build.value)
    assert str(by_fetch.value).startswith(f"{tmp_path / 'minhbach.toml'}: [data] source: ")
    assert "https://" in str(by_fetch.value)
    assert not (tmp_path / "fetched").exists() and not (tmp_path / "fetched.new").exists()


# --------------------------------------------------------------------------------------------
# The command line: one ``lỗi:`` line and exit code 2, never a traceback


def _config(tmp_path, source: str) -> Path:
    path = tmp_path / "minhbach.toml"
    path.write_text(f'[data]\nsource = "{source}"\n', encoding="utf-8")
    return path


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("lỗi: "), err
    assert "Traceback" not in err
    return lines[0]


def test_cli_file_scheme_is_one_line(tmp_path):
    config = _config(tmp_path, "file:/etc")
    result = subprocess.run(
        [sys.executable, "-m", "minhbach.publish.fetch", "--config", str(config)]
        + ["--out", str(tmp_path / "fetched")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"lỗi: {config}: [data] source: địa chỉ file:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "fetched").exists()


def test_cli_bad_argument_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "minhbach.publish.fetch", "--bogus"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: tham số dòng lệnh")
    assert "--bogus" in lines[0]


def test_cli_full_disk_is_one_line(tmp_path, data, capsys, monkeypatch):
    def full(url, dest, *, where, limit=None):
        dest.write_bytes(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))

    monkeypatch.setattr(fetch, "download", full)
    before = tree_digest(data / "fetched")
    code = fetch.main(["--config", str(_config(tmp_path, URL)), "--out", str(data / "fetched")])
    assert code == 2
    assert "ổ đĩa đã đầy" in _one_line(capsys)
    assert sorted(p.name for p in data.iterdir()) == ["fetched"]
    assert tree_digest(data / "fetched") == before


def test_cli_data_folder_that_cannot_be_made_is_one_line(tmp_path, capsys, served):
    served(_zip(GOOD))
    (tmp_path / "data").write_text("a file, not a folder")
    out = tmp_path / "data" / "fetched"
    code = fetch.main(["--config", str(_config(tmp_path, URL)), "--out", str(out)])
    assert code == 2
    assert "data" in _one_line(capsys)
    assert (tmp_path / "data").read_text() == "a file, not a folder"


def test_cli_refused_zip_is_one_line(tmp_path, data, capsys, served):
    served(_zip([*GOOD, (_symlink("x", "/etc/passwd"), "/etc/passwd")]))
    code = fetch.main(["--config", str(_config(tmp_path, URL)), "--out", str(data / "fetched")])
    assert code == 2
    assert "symlink" in _one_line(capsys)


def test_cli_folder_source_needs_nothing(tmp_path, capsys):
    code = fetch.main(["--config", str(_config(tmp_path, "data/tinh"))])
    assert code == 0
    assert "không cần tải" in capsys.readouterr().out


def test_make_fetch_runs_this_command():
    """`make fetch` (a step of the publish workflow) runs ``python -m minhbach.publish.fetch``."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nfetch:", 1)[1].split("\n\n", 1)[0]
    assert "-m minhbach.publish.fetch" in target
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "make fetch" in workflow and "minhbach.fetch" not in workflow
