#!/usr/bin/env bash
# Installs Debian's chromium for the headless report check (ReportChromiumTest), once; idempotent.
# The test skips, saying why, where /usr/bin/chromium is absent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version >&2
