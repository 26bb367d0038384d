"""The polite HTTP client of the portal's evaluation endpoints (portal.md, "Where the files come
from"): ``POST <base>/evaluation/<endpoint>`` with a JSON body, one request at a time.

Politeness: ``pause`` seconds before every request but the first; a User-Agent naming the project
and its address (``minhbach/<version> (+<url>)``); a timeout per request, connection to last byte;
no cookies, no credentials, no redirects followed (a redirect is an error); a body larger than
``max_bytes`` is refused. A response is good when it is HTTP 200 or 201 (the portal answers its
POSTs with 201 Created) with a JSON body whose ``code`` is ``"OK"`` and which has ``data``. A
failed request is retried once, after ``retry_pause`` seconds, never more; after ``max_errors``
failed requests in a row (retries included) the session raises ``Stop``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import __version__
from ..errors import InputError

DEFAULT_BASE_URL = "https://dichvucong.gov.vn/api/v1/reporting/"
PAUSE = 2.0  # seconds between two requests
RETRY_PAUSE = 20.0  # seconds before the one retry of a failed request
TIMEOUT = 60.0  # seconds for one request, connection to last byte
MAX_ERRORS = 3  # failed requests in a row (retries included) that stop the run
MAX_BYTES = 32 * 1024**2  # the largest response accepted (a province's details are ~1 MB)
_GOOD_STATUS = (200, 201)
_CHUNK = 256 * 1024


PROJECT_URL = "https://example.org/minhbach/"  # the command passes the site's or the repository's


def default_user_agent(project_url: str = PROJECT_URL) -> str:
    """The User-Agent every request carries: the project, its version and where to read about it."""
    return f"minhbach/{__version__} (+{project_url})"


def iso(moment: dt.datetime) -> str:
    """UTC, ISO 8601, to the second: 2026-10-10T07:00:13Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed (the error handler then reports its 3xx status)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def default_opener() -> urllib.request.OpenerDirector:
    """urllib's opener without redirects (it has no cookie handler: nothing is stored or sent)."""
    return urllib.request.build_opener(NoRedirects)


class Failed(Exception):
    """One request that did not give a good response; ``problem`` is the Vietnamese reason."""

    def __init__(self, problem: str, status: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.status = status


class Stop(Exception):
    """Too many failed requests in a row."""


@dataclass
class Response:
    body: bytes
    status: int
    captured_at: str
    data: object  # the parsed "data" member
    entry: dict = field(default_factory=dict)  # its row of requests.csv


def printable(text: str, limit: int = 80) -> str:
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_base_url(base_url: str) -> str:
    """The base address, ending with '/': https://, or http:// to this machine only (tests);
    never a login in it."""
    where = "--base-url"
    parts = urllib.parse.urlsplit(base_url)
    if parts.username or parts.password:
        raise InputError(where, "địa chỉ không được chứa tên đăng nhập hay mật khẩu")
    if parts.query or parts.fragment or not parts.hostname:
        raise InputError(where, f"địa chỉ {printable(base_url)!r} không hợp lệ")
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise InputError(where, "địa chỉ phải bắt đầu bằng https://")
    return base_url if base_url.endswith("/") else base_url + "/"


@dataclass
class Session:
    """Sends the requests of one run, one at a time, with the pauses, the single retry and the
    stop after too many failures in a row."""

    base_url: str
    user_agent: str
    opener: urllib.request.OpenerDirector
    timeout: float
    pause: float
    retry_pause: float
    max_errors: int
    max_bytes: int
    sleep: Callable[[float], None]
    clock: Callable[[], dt.datetime]
    log: Callable[[str], None]
    sent: int = 0  # requests sent, retries included
    errors_in_a_row: int = 0
    last_problem: str = ""
    log_rows: list[dict] = field(default_factory=list)  # requests.csv

    @property
    def where(self) -> str:
        return f"cổng dịch vụ công ({urllib.parse.urlsplit(self.base_url).netloc})"

    def url(self, endpoint: str) -> str:
        return f"{self.base_url}evaluation/{endpoint}"

    def post(self, endpoint: str, body: dict, what: str, row: dict) -> Response | None:
        """The good response to ``body``, or None when it failed twice (the run goes on);
        raises ``Stop`` after ``max_errors`` failures in a row."""
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for attempt in (1, 2):
            if self.sent:  # never before the first request of the run
                self.sleep(self.retry_pause if attempt == 2 else self.pause)
            self.sent += 1
            entry = dict(
                row,
                method="POST",
                url=self.url(endpoint),
                request_body=payload.decode("utf-8"),
                file="",
            )
            self.log_rows.append(entry)
            try:
                response = self._send(endpoint, payload)
            except Failed as exc:
                entry.update(
                    captured_at=iso(self.clock()),
                    status="" if exc.status is None else exc.status,
                    error=exc.problem,
                )
                self.errors_in_a_row += 1
                self.last_problem = exc.problem
                again = attempt == 1 and self.errors_in_a_row < self.max_errors
                then = f"; thử lại sau {self.retry_pause:g} giây" if again else ""
                self.log(f"#{self.sent} {what}: lỗi: {exc.problem}{then}")
                if self.errors_in_a_row >= self.max_errors:
                    raise Stop(
                        f"{self.errors_in_a_row} yêu cầu lỗi liên tiếp (lần cuối: {what}: "
                        f"{exc.problem}); đã dừng"
                    ) from None
                continue
            self.errors_in_a_row = 0
            entry.update(
                captured_at=response.captured_at,
                status=response.status,
                bytes=len(response.body),
                sha256=hashlib.sha256(response.body).hexdigest(),
                error="",
            )
            self.log(f"#{self.sent} {what}: HTTP {response.status}, {len(response.body)} byte")
            response.entry = entry
            return response
        return None

    def _send(self, endpoint: str, payload: bytes) -> Response:
        request = urllib.request.Request(
            self.url(endpoint),
            data=payload,
            method="POST",
            headers={
                "User-Agent": self.user_agent,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        deadline = time.monotonic() + self.timeout
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise Failed(f"máy chủ trả lời HTTP {exc.code}", exc.code) from None
        except (OSError, http.client.HTTPException) as exc:
            raise Failed(network_problem(exc, self.timeout)) from None
        with response:
            status = getattr(response, "status", None) or response.getcode()
            if status not in _GOOD_STATUS:
                raise Failed(f"máy chủ trả lời HTTP {status}", status)
            encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
            if encoding != "identity":
                raise Failed(f"phản hồi nén ({printable(encoding, 20)}) dù không yêu cầu", status)
            length = (response.headers.get("Content-Length") or "").strip()
            if length.isdigit() and int(length) > self.max_bytes:
                raise Failed(self._too_big(), status)
            chunks: list[bytes] = []
            total = 0
            try:
                while chunk := response.read(_CHUNK):
                    total += len(chunk)
                    if total > self.max_bytes:
                        raise Failed(self._too_big(), status)
                    if time.monotonic() > deadline:
                        raise Failed(f"quá {self.timeout:g} giây chưa nhận xong", status)
                    chunks.append(chunk)
            except (OSError, http.client.HTTPException) as exc:
                raise Failed(network_problem(exc, self.timeout), status) from None
        body = b"".join(chunks)
        captured_at = iso(self.clock())
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Failed("phản hồi không phải JSON hợp lệ", status) from None
        if not isinstance(parsed, dict) or parsed.get("code") != "OK":
            code = parsed.get("code") if isinstance(parsed, dict) else None
            message = parsed.get("message") if isinstance(parsed, dict) else None
            said = f" ({printable(str(message))})" if message else ""
            raise Failed(f"phản hồi có code = {printable(str(code), 30)!r}{said}", status)
        if not isinstance(parsed.get("data"), dict | list):
            raise Failed("phản hồi không có data", status)
        return Response(body, status, captured_at, parsed["data"])

    def _too_big(self) -> str:
        return f"phản hồi lớn hơn {self.max_bytes / 1024**2:g} MB: không nhận"


def network_problem(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", None)
    cause = reason if isinstance(reason, BaseException) else exc
    if isinstance(cause, socket.timeout | TimeoutError):
        return f"quá {timeout:g} giây không có trả lời"
    return f"không kết nối được ({type(cause).__name__})"
