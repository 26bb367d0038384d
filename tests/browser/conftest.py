"""Browser-test harness: serve a built site locally and drive it with Debian's Chromium.

The site folder is `$MINHBACH_SITE` or, by default, `site/` at the repository root (what
`python build.py` writes). Nothing here builds the site: `make test` builds it first.

Chromium is the system one (`apt-get install chromium`), at `/usr/bin/chromium` or at
`$MINHBACH_CHROMIUM`. Without it, or without a built site, the browser tests fail with a message
saying what to do; they never skip silently.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SITE = REPO_ROOT / "site"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}


# --------------------------------------------------------------------------- the site on disk


def site_root() -> Path:
    return Path(os.environ.get("MINHBACH_SITE") or DEFAULT_SITE).resolve()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; fails (not skips) when it is missing."""
    root = site_root()
    if not (root / "index.html").is_file():
        pytest.fail(
            f"No built site at {root} (no index.html). Build it first with `make site` "
            "(or `python build.py`), or point MINHBACH_SITE at a built site folder.",
            pytrace=False,
        )
    return root


REDIRECT = re.compile(r"""<meta[^>]+http-equiv=["']?refresh""", re.IGNORECASE)


def first_page_under(root: Path, section: str) -> str:
    """URL path of the first page (by folder name) under /<section>/, e.g. /co-quan/so-tu-phap/.

    Redirect stubs (a renamed unit's old slug) are skipped.
    """
    base = root / section
    for page in sorted(base.glob("*/index.html")) if base.is_dir() else []:
        with page.open(encoding="utf-8", errors="replace") as f:
            if not REDIRECT.search(f.read(4000)):
                return f"/{section}/{page.parent.name}/"
    pytest.fail(f"The built site has no page under /{section}/ ({base})", pytrace=False)


@dataclass(frozen=True)
class SitePages:
    """Representative paths of every kind of page of a built site."""

    unit: str
    procedure: str

    @property
    def all(self) -> dict[str, str]:
        return {
            "home": "/",
            "ranking": "/xep-hang/",
            "unit": self.unit,
            "procedure": self.procedure,
            "methodology": "/phuong-phap/",
            "downloads": "/du-lieu/",
            "data_quality": "/chat-luong-du-lieu/",
            "history": "/lich-su/",
        }


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> SitePages:
    return SitePages(
        unit=first_page_under(site_dir, "co-quan"),
        procedure=first_page_under(site_dir, "thu-tuc"),
    )


# --------------------------------------------------------------------------- the local server


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".csv": "text/csv; charset=utf-8",
        ".parquet": "application/vnd.apache.parquet",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """http://127.0.0.1:<free port> serving the built site from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- the browser


def chromium_path() -> str:
    return os.environ.get("MINHBACH_CHROMIUM") or DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session."""
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {executable}. Install it with "
            "`apt-get update && apt-get install -y chromium` (as root), "
            "or set MINHBACH_CHROMIUM to a Chromium executable.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Recorder:
    """What a page did that a clean page must not: errors and requests leaving the machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught error: {m}" for m in self.page_errors]
            + [f"request to another host: {u}" for u in self.foreign_requests]
            + [f"HTTP error: {r}" for r in self.failed_responses]
        )

    def assert_clean(self, what: str = "page") -> None:
        problems = self.problems()
        assert not problems, f"{what}:\n  " + "\n  ".join(problems)


def is_foreign(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript", "chrome-error"):
        return False
    return parts.hostname not in LOCAL_HOSTS


def attach_recorder(context) -> Recorder:
    """Record console errors, uncaught errors, HTTP errors and every request to another host
    (such requests are also aborted, so a test never reaches the network)."""
    rec = Recorder()

    def on_route(route):
        if is_foreign(route.request.url):
            rec.foreign_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def on_console(msg):
        if msg.type == "error":
            location = msg.location or {}
            rec.console_errors.append(f"{msg.text} ({location.get('url', '')})")

    def on_response(response):
        if response.status >= 400:
            rec.failed_responses.append(f"{response.status} {response.url}")

    def on_page(page):
        page.on("console", on_console)
        page.on("pageerror", lambda exc: rec.page_errors.append(str(exc)))
        page.on("response", on_response)

    context.route("**/*", on_route)
    context.on("page", on_page)
    return rec


@dataclass
class Visit:
    page: object
    recorder: Recorder


@pytest.fixture
def open_page(browser, base_url):
    """open_page(path, javascript=True, color_scheme="light") -> Visit (page + recorder).

    Each call gets its own browser context (fresh storage), closed after the test.
    """
    contexts = []

    def _open(
        path: str,
        *,
        javascript: bool = True,
        color_scheme: str = "light",
        viewport: dict | None = None,
        wait_until: str = "load",
    ) -> Visit:
        context = browser.new_context(
            base_url=base_url,
            locale="vi-VN",
            java_script_enabled=javascript,
            color_scheme=color_scheme,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        recorder = attach_recorder(context)
        page = context.new_page()
        page.goto(base_url + path, wait_until=wait_until)
        return Visit(page=page, recorder=recorder)

    yield _open
    for context in contexts:
        context.close()


def run_axe(page, tags: tuple[str, ...] | None = None) -> list[tuple[str, str, list[str]]]:
    """axe-core violations of impact serious or critical, as (rule id, help, targets) tuples.

    By default every axe rule runs (WCAG 2.x A/AA and best practices); `tags` narrows that.
    """
    from axe_playwright_python.sync_playwright import Axe

    options: dict = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            found.append((violation["id"], violation["help"], targets))
    return found


@contextlib.contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """http://127.0.0.1:<free port> serving `root` from a background thread (for tests that
    build a site of their own; the session's site is served by the `base_url` fixture)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
