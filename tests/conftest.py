"""Shared fixtures: one real strict build per test session (MkDocs, or Zensical with
EXERCISE_GUIDE_ENGINE=zensical), and a local server for it.

Building is the slow part (seconds), so the site is built once into a
temporary folder and every test reads that build.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MKDOCS = str(VENV_BIN / "mkdocs")
DATA = ROOT / "exercises.yml"

sys.path.insert(0, str(ROOT / "hooks"))


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served over HTTP on 127.0.0.1 and a free port, for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a real `mkdocs serve`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(project: Path, extra_env: dict[str, str] | None = None):
    """A real `mkdocs serve` of `project` on a free port; yields its address, stops it after."""
    port = free_port()
    process = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                               env={**build_env(), **(extra_env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's; see tests/install_browser.sh


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session (Playwright drives Debian's
    Chromium: it cannot download its own browser here, so never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


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
        data = data.replace("languages: [en, es]", "languages: [en]", 1)
    (where / "exercises.yml").write_text(data if data is not None else DATA.read_text(encoding="utf-8"),
                                         encoding="utf-8")
    return where


def theirs(error) -> bool:
    """An uncaught exception from Zensical's own script, not ours. Zensical 0.0.73 looks up the
    address's #fragment as an element id on load, and throws when the fragment is not one: the
    builder's `#p=...&note=...` (a malformed %-escape: "URI malformed"; a quote: "not a valid
    selector"). The builder works all the same (its tests check that); the README names it."""
    return ENGINE == "zensical" and "/assets/javascripts/bundle." in (getattr(error, "stack", "") or "")

