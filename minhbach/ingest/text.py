"""Text files before DuckDB reads them: encoding, line ends, line lengths.

A CSV input must be UTF-8 (with or without BOM) or UTF-16 (Excel's "Unicode text", with a BOM or
recognised by its NUL bytes); Windows-1258 and TCVN3 are not guessed but refused with a message
naming the file and the line. ``as_utf8`` checks a file and, where DuckDB could not read it as
it is (UTF-16, gzip, line ends mixed), writes a UTF-8 copy with LF line ends.
"""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

CHUNK = 8 << 20  # bytes read at a time when checking a text file
MAX_PHYSICAL_LINE = 8 << 20  # longer lines stop the build (DuckDB cannot reject them reliably)
# A record (lines joined by quoted line breaks) up to this long is read when a file has one over
# DuckDB's default limit (2 MB); longer ones are rejected.
MAX_RECORD = 2 * MAX_PHYSICAL_LINE

NOT_TEXT = (
    "không phải UTF-8 hoặc UTF-16{where} — có thể là Windows-1258 hoặc TCVN3; "
    "hãy lưu lại dưới dạng CSV UTF-8"
)


@dataclass
class TextFile:
    path: Path  # UTF-8 text: the original file, or a transcoded/decompressed/normalised copy
    crlf: bool  # every line ends with CR LF (else every line ends with LF)
    lines: int  # physical lines


def as_utf8(path: Path, rel: str, tmp: Path) -> TextFile:
    """Check the file is UTF-8 or UTF-16 text; decompress, transcode or normalise it if needed.

    UTF-8 files with one kind of line end (LF, or CR LF) are read in place. UTF-16 (with a BOM,
    or recognised by its NUL bytes), gzip files and files mixing line ends (DuckDB's strict
    reader loses rows on those) are written as UTF-8 with LF line ends to the build's private
    temporary folder (mode 0700), deleted as soon as DuckDB has read them. UTF-16 is decoded
    here in full; UTF-8 is decoded here at the start (a Windows-1258 or TCVN3 file fails at
    once) and by DuckDB everywhere else (every field is read, see ``csv.load_csv``).
    """
    out, scan = _checked(path, rel, tmp)
    if scan.cr and scan.cr != scan.lf:  # mixed or old-Mac line ends (only the in-place case)
        out, scan = _with_lf(path, tmp)
    return TextFile(path=out, crlf=scan.cr > 0, lines=scan.physical_lines)


class Scan:
    """Checks text bytes as they stream past: NUL bytes and over-long lines; counts line ends."""

    def __init__(self) -> None:
        self.pos = 0
        self.lf = 0
        self.cr = 0
        self.last_break = -1
        self.last_byte = b""

    @property
    def lines(self) -> int:
        """Line breaks so far (CR LF counts once; CR alone only in a file with no LF)."""
        return self.lf or self.cr

    def feed(self, chunk: bytes) -> str | None:
        if not chunk:
            return None
        if b"\x00" in chunk:
            line = self.lines + count_lines(chunk[: chunk.find(b"\x00")]) + 1
            return f"có byte NUL ở dòng {line}: không phải tệp văn bản CSV (tệp nhị phân?)"
        breaks = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
        if not breaks:
            if self.pos + len(chunk) - self.last_break > MAX_PHYSICAL_LINE:
                return self._too_long()
        else:
            if self.pos + min(breaks) - self.last_break > MAX_PHYSICAL_LINE:
                return self._too_long()
            self.last_break = self.pos + max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        self.lf += chunk.count(b"\n")
        if self.cr or b"\r" in chunk:
            self.cr += chunk.count(b"\r")
        self.pos += len(chunk)
        self.last_byte = chunk[-1:]
        return None

    def _too_long(self) -> str:
        return (
            f"dòng {self.lines + 1} dài hơn {MAX_PHYSICAL_LINE >> 20} MB: "
            "tệp không phải CSV hoặc bị hỏng"
        )

    @property
    def physical_lines(self) -> int:
        return self.lines + (1 if self.last_byte not in (b"", b"\n", b"\r") else 0)


def count_lines(data: bytes) -> int:
    return data.count(b"\n") or data.count(b"\r")


class ToLF:
    """Rewrites CR LF and lone CR line ends as LF, across chunk boundaries."""

    def __init__(self) -> None:
        self.pending_cr = False

    def __call__(self, data: bytes, final: bool = False) -> bytes:
        if self.pending_cr:
            data = b"\r" + data
            self.pending_cr = False
        if b"\r" not in data:
            return data
        if data.endswith(b"\r") and not final:
            data = data[:-1]
            self.pending_cr = True
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def detect_encoding(head: bytes) -> tuple[str | None, bytes]:
    """(encoding, BOM) from the first bytes; None when the bytes are binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", codecs.BOM_UTF8
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", codecs.BOM_UTF16_LE
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", codecs.BOM_UTF16_BE
    if b"\x00" not in head:
        return "utf-8", b""
    # UTF-16 without a BOM: the headers and most values are ASCII, so every other byte is NUL.
    pairs = len(head) // 2
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if pairs and odd >= 0.3 * pairs and even == 0:
        return "utf-16-le", b""
    if pairs and even >= 0.3 * pairs and odd == 0:
        return "utf-16-be", b""
    return None, b""


def _checked(path: Path, rel: str, tmp: Path) -> tuple[Path, Scan]:
    """Read the file through a ``Scan`` (and its UTF-8 copy, when it needs one); returns the
    file DuckDB is to read and the scan. A problem is an ``InputError``."""
    gz = path.name.lower().endswith(".gz")
    problem = None
    scan = Scan()
    out = path
    try:
        raw = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115
    except OSError:
        raise InputError(rel, "không mở được tệp") from None
    try:
        try:
            head = raw.read(CHUNK)
            encoding, bom = detect_encoding(head)
            if encoding is None:
                problem = "có byte NUL: không phải tệp văn bản CSV (tệp nhị phân?)"
            elif encoding == "utf-8" and not gz:
                problem = _check_text(raw, head, encoding, scan, None)
            else:
                out = _temp_file(tmp)
                with open(out, "wb") as sink:
                    problem = _check_text(raw, head[len(bom) :], encoding, scan, sink)
        except (OSError, EOFError, zlib.error):
            problem = "tệp nén .gz bị hỏng hoặc không phải gzip" if gz else "không đọc được tệp"
    finally:
        raw.close()
    if problem or scan.pos == 0:
        if out != path:
            out.unlink(missing_ok=True)
        raise InputError(rel, problem or "tệp rỗng")
    return out, scan


def _with_lf(path: Path, tmp: Path) -> tuple[Path, Scan]:
    """A copy of a UTF-8 file with every line end as LF, and its scan."""
    out = _temp_file(tmp)
    scan = Scan()
    to_lf = ToLF()
    with open(path, "rb") as source, open(out, "wb") as sink:
        while chunk := source.read(CHUNK):
            data = to_lf(chunk)
            scan.feed(data)
            sink.write(data)
        data = to_lf(b"", final=True)
        scan.feed(data)
        sink.write(data)
    return out, scan


def _temp_file(tmp: Path) -> Path:
    handle, name = tempfile.mkstemp(suffix=".csv", dir=tmp)
    os.close(handle)
    return Path(name)


def _check_text(
    raw: io.BufferedIOBase, head: bytes, encoding: str, scan: Scan, sink: io.BufferedIOBase | None
) -> str | None:
    """Stream the file through ``scan`` as UTF-8 bytes; with a ``sink``, also write them there
    with LF line ends. UTF-16 is decoded in full; UTF-8 only in its first chunk (DuckDB checks
    the rest). Returns a problem, or None."""
    utf8 = encoding == "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    to_lf = ToLF()
    first = True
    for chunk in itertools.chain(_chunks(raw, head), [b""]):
        final = not chunk
        data = chunk
        if first or not utf8:
            try:
                text = decoder.decode(chunk, final=final and not utf8)
            except UnicodeDecodeError as exc:
                if final:
                    return NOT_TEXT.format(where=": tệp kết thúc giữa một ký tự")
                if utf8:
                    return _not_text(scan, chunk, exc.start)
                return NOT_TEXT.format(where=f": byte lạ sau dòng {scan.lines + 1}")
            if not utf8:
                data = text.encode("utf-8")
        first = False
        if sink is not None:
            data = to_lf(data, final=final)
        problem = scan.feed(data)
        if problem:
            return problem
        if sink is not None and data:
            sink.write(data)
    return None


def _chunks(raw: io.BufferedIOBase, head: bytes) -> Iterator[bytes]:
    if head:
        yield head
    while chunk := raw.read(CHUNK):
        yield chunk


def _not_text(scan: Scan, chunk: bytes, start: int) -> str:
    """The message for an undecodable byte at ``start`` of a chunk not yet fed to ``scan``."""
    line = scan.lines + count_lines(chunk[: max(start, 0)]) + 1
    return NOT_TEXT.format(where=f": byte lạ ở dòng {line}")
