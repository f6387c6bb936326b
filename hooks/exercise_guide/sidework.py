"""Work done in a second process beside the build: items in, one result each, in order.

Why: a first build ran on one core. MkDocs converts and writes every page in one thread, and
the machine's second core only graded pages (readability.py); Material's search plugin read
every page's HTML on the build's own core (a third of a first build at 1000 exercises). Work
that needs only what a page already is can run beside MkDocs instead: the caller hands over
each item as it has it, and takes the results when it needs them.

How, and why not another way:
- The caller writes each item (pickled) straight into the process's input, a pipe enlarged to
  1 MB so that it rarely waits; the process answers nothing until its input ends, then writes
  every result at once. So the build runs no thread of its own for it: a thread that wakes for
  each page takes Python's lock from the build each time, and on a busy 2-core machine each
  hand-over waited a scheduler slice (hashing 1000 pages' Markdown took 0.9 s beside the
  grader's old threads, 0.02 s without them). And a build with no thread can be copied by fork
  (ahead.py). multiprocessing's queues use such a thread, and its pools (spawn) would start
  MkDocs' entry point again.
- The function runs in `python -m exercise_guide.sidework MODULE:FUNCTION`, with the given
  folders on its path; this module imports nothing of MkDocs (the function may).
- A process that fails (an exception in the function, a crash, a kill) never hangs the build:
  its input is closed, its output read to the end, and `results` raises SideworkError with the
  process's own last words (its error output goes to a file, so it can never block on it).
"""

from __future__ import annotations

import fcntl
import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

PIPE_SIZE = 1 << 20


class SideworkError(RuntimeError):
    """The second process stopped before it gave every result."""


class Sidework:
    """`target` ("module:function") called on each item `submit`ted, in a second process started
    at the first item; `results()` gives the results in the order of the items."""

    def __init__(self, target: str, what: str, path: list[str] | tuple[str, ...] = (), spool: bool = False,
                 warm: str | None = None) -> None:
        """`spool`: the items go to a file, and the process starts when the input ends (`end_input`):
        for many or large items whose results are needed only much later (a pipe would be full
        long before the process, just starting, read it, and the build would wait on it).
        `warm` (a module, or "module:function"): imported (and called) once in the process before
        it reads any item (what takes long the first time, done while the build has no item yet:
        see `start`)."""
        self.target, self.what, self.warm = target, what, warm
        self._path = [*map(str, path), str(Path(__file__).resolve().parent.parent)]
        self._process: subprocess.Popen | None = None
        self._errors = None
        self._spool = tempfile.TemporaryFile() if spool else None
        self._jobs = 0
        self._broken = False

    def submit(self, item) -> None:
        """Hand `item` over (pickled now: later changes to it do not count). PicklingError and
        TypeError if it cannot be pickled; then nothing was handed over."""
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        if self._spool is not None:
            self._spool.write(len(data).to_bytes(8, "little") + data)
            self._jobs += 1
            return
        self._start()
        self._jobs += 1
        if self._broken or self._process.stdin.closed:
            return  # results() says why
        try:
            self._write(len(data).to_bytes(8, "little") + data)
        except (BrokenPipeError, OSError):
            self._broken = True

    def start(self) -> None:
        """Start the process now rather than at the first item (not with `spool`): it gets ready
        (`warm`) while the build makes the items."""
        if self._spool is None:
            self._start()

    def end_input(self) -> None:
        """No more items: the process may finish its work and write the results (read by `results`)."""
        if self._spool is not None:
            if self._jobs:
                self._spool.flush()
                self._spool.seek(0)
                self._start(self._spool)
            self._spool.close()
            self._spool = None
        elif self._process is not None and self._process.stdin and not self._process.stdin.closed:
            try:
                self._process.stdin.close()
            except OSError:
                pass

    def results(self) -> list:
        """Every item's result, in order (once, after the last submit). SideworkError if the
        process did not give them all."""
        self.end_input()
        if self._process is None:
            return []
        process, self._process = self._process, None
        out = process.stdout.read()
        process.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        self._errors.close()
        results = None
        if process.returncode == 0:
            try:
                results = pickle.loads(out)
            except Exception:  # noqa: BLE001 - a cut or damaged answer: said below
                results = None
        if not isinstance(results, list) or len(results) != self._jobs:
            last = said.splitlines()[-1] if said else f"exit status {process.returncode}"
            raise SideworkError(f"the {self.what} process stopped before it finished ({last})")
        return results

    def close(self) -> None:
        """Stop the process if it still runs (a build that failed)."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout, self._errors):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
            self._process = None
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _start(self, source=None) -> None:
        if self._process is not None:
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (*self._path, env.get("PYTHONPATH")) if p)
        self._errors = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "exercise_guide.sidework", self.target, *filter(None, [self.warm])]
        self._process = subprocess.Popen(command, env=env,
                                         stdin=source or subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._errors, bufsize=0)
        if source is None:
            try:
                fcntl.fcntl(self._process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
            except (AttributeError, OSError):
                pass  # a smaller pipe only means waiting more often

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[self._process.stdin.write(view):]


def _function(target: str):
    """"module:function" (or a module alone: imported, and None)."""
    module, _, name = target.partition(":")
    imported = importlib.import_module(module)
    return getattr(imported, name) if name else None


def _serve(target: str, warm: str | None = None) -> None:
    """The second process: length-prefixed pickles in on stdin, a pickled list of results out at the end."""
    function = _function(target)
    if warm and (ready := _function(warm)) is not None:
        ready()
    source = sys.stdin.buffer
    results = []
    while head := source.read(8):
        size = int.from_bytes(head, "little")
        data = source.read(size)
        if len(head) != 8 or len(data) != size:
            raise SystemExit("sidework: input cut short")
        results.append(function(pickle.loads(data)))
    sys.stdout.buffer.write(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    try:
        _serve(*sys.argv[1:3])
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - the parent reports it
        traceback.print_exc()
        sys.exit(1)
