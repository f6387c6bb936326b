#!/usr/bin/env bash
# Installs what the browser tests need beyond pip: Debian's Chromium (Playwright
# cannot download its own browser here). Run by `make test` through the Makefile.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
else
  echo "The browser tests need Chromium at /usr/bin/chromium." >&2
  echo "Install it with: sudo apt-get install chromium   (Debian/Ubuntu)" >&2
  echo "or set CHROMIUM=/path/to/chromium before 'make test'." >&2
  [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ] && exit 0
  exit 1
fi
