"""The suite's own helpers keep their promises (issue 28): a test server says nothing when a
browser drops a request half-answered (its traceback once landed in another test's captured
output and failed it), and a preview started from a job that ignores Ctrl-C still stops on it at
once and removes its temporary site folder.
"""

from __future__ import annotations

import signal
import socket
import struct
import time

from conftest import MKDOCS_ONLY, free_port, http_get, make_project, start_preview, stop_preview
from local import serve_directory


def test_a_request_dropped_half_answered_prints_nothing(tmp_path, capfd):
    (tmp_path / "big.bin").write_bytes(b"x" * 20_000_000)  # more than a socket holds: the answer is cut off
    with serve_directory(tmp_path) as url:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                s.recv(1024)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
        assert http_get(url + "/missing")[0] == 404  # the server still answers, and the requests above are done
    out, err = capfd.readouterr()
    assert out == "" and err == "", f"the test server printed:\n{out}{err}"


@MKDOCS_ONLY
def test_a_preview_started_with_ctrl_c_ignored_stops_on_it_at_once(tmp_path):
    project = make_project(tmp_path / "project")
    port = free_port()
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under CI or `make test &`: the child inherits it
    try:
        process = start_preview(project, ["--dev-addr", f"127.0.0.1:{port}"])
    finally:
        signal.signal(signal.SIGINT, ignored)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if http_get(f"http://127.0.0.1:{port}/", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the preview did not start in 120 s")
        assert list((project / "tmp").glob("mkdocs_*")), "the preview made no temporary site folder"
    finally:
        stop_preview(process, project, seconds=5)  # fails unless it stops and removes its folder
