#!/usr/bin/env bash
# The Chromium the browser tests run (run by `make test` through the Makefile; tests/local.py picks
# the same one): $CHROMIUM if set; else Playwright's own browser, downloaded with
# `python -m playwright install chromium` (any machine that can reach Playwright's download site:
# a Mac, GitHub's Ubuntu runner); else the system's /usr/bin/chromium, installed with apt as root
# where Playwright's download cannot be reached (the build machine).
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
if [ -x /usr/bin/chromium ]; then
  echo "Using the system Chromium, /usr/bin/chromium."
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the system Chromium instead (apt-get install chromium)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: Playwright's (python -m playwright install chromium, which" >&2
echo "needs the internet), or the system's at /usr/bin/chromium (sudo apt-get install chromium on" >&2
echo "Debian), or any other: set CHROMIUM=/path/to/chromium before 'make test'." >&2
exit 1
