"""Loaded by the test build (PYTHONPATH): records every network call the build makes.

A Python audit hook sees each socket connect and name lookup, whatever library
makes it; the test then checks the record is empty. Only active when
EXERCISE_GUIDE_NETWATCH names the file to write to.
"""

import os
import sys

_log = os.environ.get("EXERCISE_GUIDE_NETWATCH")
if _log:
    _events = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect"}

    def _hook(event, args):
        if event in _events:
            with open(_log, "a", encoding="utf-8") as out:
                out.write(f"{event} {args!r}\n")

    sys.addaudithook(_hook)
