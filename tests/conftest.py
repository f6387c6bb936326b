"""Shared fixtures: one real strict build per test session (MkDocs, or Zensical with
EXERCISE_GUIDE_ENGINE=zensical), and a local server for it.

Building is the slow part (seconds), so the site is built once into a
temporary folder and every test reads that build.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MKDOCS = str(VENV_BIN / "mkdocs")
DATA = ROOT / "exercises.yml"

sys.path.insert(0, str(ROOT / "hooks"))

from local import launch_chromium, serve_directory  # noqa: E402  (tests/local.py)


def build_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


# Which generator the suite builds with: `make test ENGINE=zensical` sets it (README).
ENGINE = os.environ.get("EXERCISE_GUIDE_ENGINE", "mkdocs")
assert ENGINE in ("mkdocs", "zensical"), f"EXERCISE_GUIDE_ENGINE must be mkdocs or zensical, not {ENGINE!r}"
# Where the build keeps what the next build may reuse (README, "Publishing" and "Zensical").
CACHE_DIR = ".cache/exercise-guide-zensical" if ENGINE == "zensical" else ".cache/exercise-guide"
MKDOCS_ONLY = pytest.mark.skipif(ENGINE != "mkdocs", reason="about MkDocs itself (its hook events, serve)")


def build_site(site_dir: Path, config: Path = ROOT / "mkdocs.yml",
               extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A real strict build of the project whose mkdocs.yml is `config`, as CI and `make site` run it:
    `mkdocs build --strict`, or with ENGINE=zensical the project's hooks/zensical_build.py."""
    if ENGINE == "zensical":
        command = [sys.executable, str(config.parent / "hooks" / "zensical_build.py"),
                   "--config-file", str(config), "--site-dir", str(site_dir)]
    else:
        command = [MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)]
    return subprocess.run(command, capture_output=True, text=True, env={**build_env(), **(extra_env or {})},
                          timeout=600)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> tuple[Path, Path]:
    """The session's one build, with every network call it tried recorded (tests/netwatch)."""
    work = tmp_path_factory.mktemp("build")
    site, netlog = work / "site", work / "network.log"
    netlog.write_text("")
    env = {"PYTHONPATH": str(ROOT / "tests" / "netwatch"), "EXERCISE_GUIDE_NETWATCH": str(netlog)}
    result = build_site(site, extra_env=env)
    assert result.returncode == 0, f"{ENGINE} build failed:\n{result.stdout}\n{result.stderr}"
    return site, netlog


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    return site_build[0]


@pytest.fixture(scope="session")
def guide():
    from exercise_guide.data.validate import load

    return load(DATA)[0]


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served over HTTP on 127.0.0.1 and a free port, for the browser tests."""
    with serve_directory(built_site) as url:
        yield url


def http_get(url: str, timeout: float = 15) -> tuple[int, str]:
    """One request: its status and text, an error status (404 ...) included. A refused connection
    or a timeout raises: a test that expects an answer fails on it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a real `mkdocs serve`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# `mkdocs serve` as the terminal runs it, but with Ctrl-C's handler (KeyboardInterrupt) set in
# the child. A child started from a background job (CI, `make test &`) inherits SIGINT as ignored,
# and Python then leaves it ignored: the preview would not stop on SIGINT, and a SIGTERM or SIGKILL
# stops it before it removes its temporary site folder (mkdocs_* in the temp directory).
MKDOCS_SERVE = [sys.executable, "-c", "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "from mkdocs.__main__ import cli; sys.exit(cli())", "serve"]


def start_preview(project: Path, args: list[str], env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    """A real `mkdocs serve` of `project` (in a process group of its own), whose temporary site
    folder goes to `project`/tmp, so that `stop_preview` can check it was removed."""
    (project / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen([*MKDOCS_SERVE, *args], cwd=project, start_new_session=True,
                            env={**build_env(), **(env or {}), "TMPDIR": str(project / "tmp")}, **popen)


def stop_preview(process: subprocess.Popen, project: Path, seconds: float = 10) -> None:
    """Ctrl-C, as a person stops `make serve`: it must stop within `seconds` and remove its
    temporary site folder. Killed (and the test failed) if it does not."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError(f"mkdocs serve did not stop within {seconds} s of SIGINT (killed)")
    left = sorted(p.name for p in (project / "tmp").glob("mkdocs_*"))
    assert not left, f"mkdocs serve left its temporary site folder behind: {left}"


@contextlib.contextmanager
def serving(project: Path, extra_env: dict[str, str] | None = None):
    """A real `mkdocs serve` of `project` on a free port; yields its address, stops it after."""
    port = free_port()
    process = start_preview(project, ["--dev-addr", f"127.0.0.1:{port}"], extra_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_preview(process, project)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session (which one: tests/local.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def new_context(browser):
    """Browser contexts for one test (`new_context(viewport=...)`), closed after it whether it
    passed or failed: a failed test leaves no page open for the next."""
    made = []

    def new(**options):
        made.append(browser.new_context(**options))
        return made[-1]

    yield new
    for context in made:
        context.close()


def wait_until(page, condition: str, what: str, arg=None, timeout: float = 10_000):
    """Wait for a JavaScript condition in the page; fail naming `what` if it has not come in `timeout` ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(condition, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        pytest.fail(f"waited {timeout / 1000:g} s for {what} on {page.url}")


def make_project(where: Path, data: str | None = None, config_changes: dict | None = None,
                 spanish: bool = False) -> Path:
    """A copy of the project in `where` (docs, docs-es, hooks, overrides, mkdocs.yml, the translations), optionally with other
    exercises.yml text or mkdocs.yml settings, for tests that build something the real data is not."""
    import shutil

    import yaml

    where.mkdir(parents=True, exist_ok=True)
    for folder in ("docs", "docs-es", "hooks", "overrides"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, where / folder, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "exercises.es.yml").is_file():  # the Spanish texts (issue 26), for `languages: [en, es]`
        shutil.copy(ROOT / "exercises.es.yml", where / "exercises.es.yml")
    config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if config_changes:
        # mkdocs.yml holds `!!python/name:` tags (pymdownx.emoji) that safe_load refuses:
        # keep it whole as the base, and state the changes over it (MkDocs' INHERIT).
        (where / "base.yml").write_text(config_text, encoding="utf-8")
        config_text = "INHERIT: base.yml\n" + yaml.safe_dump(config_changes, sort_keys=False)
    (where / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    if data is not None and not spanish:
        # Other data is about the English site: its changed texts have no Spanish yet (issue 26).
        data = re.sub(r"^languages:.*(\n- .*)*", "languages: [en]", data, count=1, flags=re.M)
    (where / "exercises.yml").write_text(data if data is not None else DATA.read_text(encoding="utf-8"),
                                         encoding="utf-8")
    return where


def theirs(error) -> bool:
    """An uncaught exception from Zensical's own script, not ours. Zensical 0.0.73 looks up the
    address's #fragment as an element id on load, and throws when the fragment is not one: the
    builder's `#p=...&note=...` (a malformed %-escape: "URI malformed"; a quote: "not a valid
    selector"). The builder works all the same (its tests check that); the README names it."""
    return ENGINE == "zensical" and "/assets/javascripts/bundle." in (getattr(error, "stack", "") or "")

