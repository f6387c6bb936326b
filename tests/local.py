"""What the tests and `make pictures` (bench/pictures.py) share: a built site served quietly on
127.0.0.1, and the headless Chromium that opens it.

Chromium: $CHROMIUM if set; else Playwright's own (`python -m playwright install chromium`, which
tests/install_browser.sh runs where it can be downloaded); else the system's, Debian's
chromium-headless-shell (the same Chromium without the browser's window, as Playwright's own
headless runs) or else its full chromium, where Playwright's download is not reachable.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
import threading
import time
from pathlib import Path

SYSTEM_CHROMIUMS = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"]
CHROMIUM_OPTIONS = {"headless": True, "args": ["--no-sandbox", "--disable-gpu"]}


def launch_chromium(playwright):
    """A headless Chromium from a started Playwright (`sync_playwright()`)."""
    from playwright.sync_api import Error

    if os.environ.get("CHROMIUM"):
        return playwright.chromium.launch(executable_path=os.environ["CHROMIUM"], **CHROMIUM_OPTIONS)
    try:
        return playwright.chromium.launch(**CHROMIUM_OPTIONS)
    except Error as error:
        if "Executable doesn't exist" not in str(error):
            raise
    system = next((path for path in SYSTEM_CHROMIUMS if os.access(path, os.X_OK)), SYSTEM_CHROMIUMS[-1])
    return playwright.chromium.launch(executable_path=system, **CHROMIUM_OPTIONS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    timeout = 30  # a client that sends nothing does not hold the server's closing for ever

    def log_message(self, *args) -> None:  # keep test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that goes on to the next page drops its earlier requests half-answered: the
    request's thread then meets BrokenPipeError or ConnectionResetError, which socketserver
    prints, with a traceback, into whatever test runs at that moment. That is no fault: say nothing.
    Closing the server waits for its request threads, so none outlives it."""

    daemon_threads = False

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(directory: Path):
    """A folder served over HTTP on 127.0.0.1 and a free port, quietly; yields its address, and
    stops the server and closes its socket after."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Requests:
    """The requests a page has in flight, followed from Playwright's events: `settle` waits for
    them, where `wait_until="networkidle"` waits a fixed half second after the last one on every
    page (60 pages: 30 s of a test's time)."""

    def __init__(self, page) -> None:
        self.page = page
        self.open: set = set()
        self.changed = time.monotonic()
        page.on("request", self._start)
        for event in ("requestfinished", "requestfailed"):
            page.on(event, self._end)

    def _start(self, request) -> None:
        self.open.add(request)
        self.changed = time.monotonic()

    def _end(self, request) -> None:
        self.open.discard(request)
        self.changed = time.monotonic()

    def settle(self, quiet_ms: int = 150, timeout_ms: int = 15_000) -> None:
        """Return once no request has been in flight for `quiet_ms` (a script that fetches on
        load has fetched, and its answer has arrived) and the page has drawn twice since (what
        the answer changes is on the screen). Fails, naming what is still loading, after `timeout_ms`."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.open or time.monotonic() - self.changed < quiet_ms / 1000:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.page.url}: still loading after {timeout_ms} ms: "
                                     f"{sorted(r.url for r in self.open)[:5]}")
            self.page.wait_for_timeout(25)  # lets Playwright deliver the page's events
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
