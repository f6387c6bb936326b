#!/usr/bin/env bash
# The Chromium the browser tests run (run by `make test` through the Makefile; tests/local.py picks
# the same one): $CHROMIUM if set; else Playwright's own browser, downloaded with
# `python -m playwright install chromium` (any machine that can reach Playwright's download site:
# a Mac, GitHub's Ubuntu runner); else the system's /usr/bin/chromium-headless-shell (or
# /usr/bin/chromium), installed with apt as root where Playwright's download cannot be reached (the build machine).
set -euo pipefail
PYTHON="${PYTHON:-.venv/bin/python}"

if [ -n "${CHROMIUM:-}" ]; then
  [ -x "$CHROMIUM" ] && exit 0
  echo "CHROMIUM=$CHROMIUM is not an executable file." >&2
  exit 1
fi
# Playwright's own, already here (a launch is the only sure test of it).
if "$PYTHON" - <<'PY' 2>/dev/null
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    p.chromium.launch(headless=True).close()
PY
then exit 0; fi
echo "Downloading Playwright's Chromium for the browser tests (python -m playwright install chromium)..."
if timeout 600 "$PYTHON" -m playwright install chromium >/tmp/playwright-install.$$.log 2>&1; then
  rm -f /tmp/playwright-install.$$.log
  exit 0
fi
echo "Playwright's download failed ($(grep -m1 -o 'Error: .*' /tmp/playwright-install.$$.log || echo 'see above'))."
rm -f /tmp/playwright-install.$$.log
# The system's: Debian's chromium-headless-shell, the same Chromium without the browser's window
# (what Playwright itself runs for headless tests; the browser tests took 42% less CPU time with
# it than with the full chromium package), installed with apt as root where it is missing; else
# the full /usr/bin/chromium.
if [ -x /usr/bin/chromium-headless-shell ]; then
  echo "Using the system Chromium, /usr/bin/chromium-headless-shell."
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the system Chromium instead (apt-get install chromium-headless-shell)..."
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium-headless-shell fonts-dejavu-core >/dev/null; then
    exit 0
  fi
fi
if [ -x /usr/bin/chromium ]; then
  echo "Using the system Chromium, /usr/bin/chromium."
  exit 0
fi
echo "The browser tests need Chromium: Playwright's (python -m playwright install chromium, which" >&2
echo "needs the internet), or the system's at /usr/bin/chromium-headless-shell or /usr/bin/chromium" >&2
echo "(sudo apt-get install chromium-headless-shell on Debian), or any other: set CHROMIUM=/path/to/chromium before 'make test'." >&2
exit 1
