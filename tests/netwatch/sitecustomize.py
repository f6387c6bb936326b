"""Loaded by the test build (PYTHONPATH): records every network call the build makes.

A Python audit hook sees each socket connect and name lookup, whatever library
makes it; the test then checks that the record holds no call. Only active when
EXERCISE_GUIDE_NETWATCH names the file to write to. Each Python process that loads
it first writes a `watching` line, so that the test can tell an empty record from a
watcher that never loaded.
"""

import os
import sys

_log = os.environ.get("EXERCISE_GUIDE_NETWATCH")
if _log:
    _events = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect"}

    def _write(line: str) -> None:
        with open(_log, "a", encoding="utf-8") as out:
            out.write(line + "\n")

    def _hook(event, args):
        if event in _events:
            _write(f"{event} {args!r}")

    _write(f"watching {os.getpid()} {sys.argv[:2]!r}")
    sys.addaudithook(_hook)
