"""What the tests and `make pictures` (bench/pictures.py) share: a built site served quietly on
127.0.0.1, and the headless Chromium that opens it.

Chromium: $CHROMIUM if set; else Playwright's own (`python -m playwright install chromium`, which
tests/install_browser.sh runs where it can be downloaded); else the system's, /usr/bin/chromium
(Debian's apt package, where Playwright's download is not reachable).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

SYSTEM_CHROMIUM = "/usr/bin/chromium"
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
    return playwright.chromium.launch(executable_path=SYSTEM_CHROMIUM, **CHROMIUM_OPTIONS)


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
