"""Files written as they come through a pipe (minhbach.publish.files.receive, downloads._stream):
the same bytes as a file written whole, and a failed COPY that never opens the pipe ends."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import threading

import duckdb
import pytest

from minhbach.publish import downloads, files


def _deterministic_gzip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=buf, mtime=0) as z:
        z.write(data)
    return buf.getvalue()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("over", [None, 10, 3 * files.GZIP_CHUNK + 5, 10**9])
def test_receive_through_a_pipe(tmp_path, over):
    data = b"".join(b"%d,ligne \xc3\xa0 %d\r\n" % (i, i * 7) for i in range(400_000))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    choice = files.GzipChoice(always=over is None, over=over)
    writer = threading.Thread(target=lambda: pipe.write_bytes(data))
    writer.start()
    got = files.receive(pipe, tmp_path / "t.csv", "csv", choice)
    writer.join()
    assert choice.decided.is_set()
    if over is None or len(data) > over:
        published = (tmp_path / "t.csv.gz").read_bytes()
        assert published == _deterministic_gzip(data)
        assert not (tmp_path / "t.csv").exists()
        assert got.compression == "gz" and got.plain_bytes == len(data)
        assert got.plain_sha256 == hashlib.sha256(data).hexdigest()
    else:
        published = (tmp_path / "t.csv").read_bytes()
        assert published == data and not got.compression
    assert got.sha256 == hashlib.sha256(published).hexdigest()
    assert got.bytes == len(published)


def test_a_failed_copy_ends_its_reader(tmp_path):
    con = duckdb.connect()
    choice = files.GzipChoice(over=100)
    with pytest.raises(duckdb.Error):
        downloads._stream(
            con.cursor(), "SELECT * FROM missing", "FORMAT csv", tmp_path / "t.csv", "csv", choice
        )
    assert choice.decided.is_set()
    assert not (tmp_path / ".t.csv.pipe").exists()
