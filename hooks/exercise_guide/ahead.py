"""A list of jobs done from both ends: this process from the front, a forked copy of it from the back.

Why: MkDocs converts every page's Markdown in its one process, one page after another (about
8 s of a first build at 1000 exercises), while the machine's second core was busy for only half
of that time (grades, figure files). Converting a page needs the build as it is at that moment:
the settings with every plugin's changes, the list of files that each link is checked against,
the page objects. A copy of the process made by fork() has all of it, exactly and at once; a
process started afresh would have to set all of it up again, and could differ.

So, just before MkDocs converts its first page, the build makes a copy (`Ahead`). The copy does
the jobs from the last one backwards and sends each result back through a pipe as it has it. The
build does them from the first, and for each asks `take`: the copy's result if it has arrived,
else None, and the build does that job itself. They meet somewhere in the middle: at most the job
the copy was doing then is done twice. Neither ever waits for the other: a copy that is slow,
fails or is killed only means the build does more of the work itself.

What the copy must not do: write anything but its pipe. Its output and errors go to /dev/null;
the caller's `work` must not write files or to other processes (the build's own pipes are the
copy's too). It ends with os._exit, which runs no clean-up of objects that are the build's.
It is made only where fork is safe: on Linux, in a process with no other thread.

The caller checks that a result is for what it is about to do (the hook compares the page's
cache key, which covers its Markdown, address, settings and the files): a copy that saw anything
different is simply not used.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import pickle
import signal
import struct
import sys
import threading
from typing import Callable

_FRONT = struct.Struct("q")  # shared with the copy: the first job the build has not taken yet
PIPE_SIZE = 1 << 20


def possible() -> bool:
    """fork() is safe here: Linux, and no thread but this one (a copy has only the forking thread)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class Ahead:
    """`work(name)` for each name, from the last backwards, in a forked copy of this process;
    `take(name)` gives what it returned, if it is there yet (None: do it yourself)."""

    def __init__(self, names: list[str], work: Callable[[str], object]) -> None:
        self._index = {name: i for i, name in enumerate(names)}
        self._results: dict[int, object] = {}
        self._buffer = bytearray()
        self._pid: int | None = None
        self._fd: int | None = None
        self._shared: mmap.mmap | None = None
        self.taken = 0  # jobs whose result the build took
        if len(names) < 2 or not possible():
            return
        self._shared = mmap.mmap(-1, _FRONT.size)  # anonymous and shared with the copy
        read, write = os.pipe()
        try:
            fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except OSError:
            pass  # a smaller pipe: the copy waits more often for the build to read
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _copy(names, work, write, self._shared)  # never returns
        os.close(write)
        os.set_blocking(read, False)
        self._pid, self._fd = pid, read

    def take(self, name: str):
        """The copy's result for `name` if it has arrived, else None; from now on the copy does
        no job before `name` in the list (the build does them)."""
        i = self._index.get(name)
        if i is None or self._shared is None:
            return None
        if _FRONT.unpack_from(self._shared)[0] <= i:
            _FRONT.pack_into(self._shared, 0, i + 1)
        self._read()
        result = self._results.pop(i, None)
        if result is not None:
            self.taken += 1
        return result

    def close(self) -> None:
        """Stop the copy (if it still runs) and wait for it; no result is taken after."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._shared is not None:
            self._shared.close()
            self._shared = None
        self._results.clear()

    def _read(self) -> None:
        """Whatever the copy has sent so far (never waits)."""
        if self._fd is None:
            return
        while True:
            try:
                chunk = os.read(self._fd, PIPE_SIZE)
            except BlockingIOError:
                break
            if not chunk:  # the copy is done
                os.close(self._fd)
                self._fd = None
                break
            self._buffer += chunk
        while len(self._buffer) >= 8:
            size = int.from_bytes(self._buffer[:8], "little")
            if len(self._buffer) < 8 + size:
                break
            data = bytes(self._buffer[8:8 + size])
            del self._buffer[:8 + size]
            try:
                i, result = pickle.loads(data)
            except Exception:  # noqa: BLE001 - cannot happen from our copy; then the build does the job
                continue
            self._results[i] = result


def _copy(names: list[str], work: Callable[[str], object], fd: int, shared: mmap.mmap) -> None:
    """In the copy: the jobs from the last backwards, until the build has taken the next one."""
    status = 1
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        sys.stdout = sys.stderr = open(quiet, "w", closefd=False)  # streams not on 1 and 2 too
        for i in range(len(names) - 1, -1, -1):
            if i < _FRONT.unpack_from(shared)[0]:
                break
            result = work(names[i])
            if result is None:
                continue
            data = pickle.dumps((i, result), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(data).to_bytes(8, "little") + data)
            while view:
                view = view[os.write(fd, view):]
        status = 0
    except BaseException:  # noqa: BLE001 - the build does the rest itself
        pass
    finally:
        os._exit(status)
