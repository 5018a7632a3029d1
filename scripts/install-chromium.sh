#!/usr/bin/env bash
# Installs Debian's chromium for the headless report check (ReportChromiumTest), once; idempotent.
# The test skips, saying why, where /usr/bin/chromium is absent, so this script never fails its
# caller (.ci/run goes on to mvn verify): where it cannot install (no apt-get, neither root nor
# passwordless sudo, apt failing) it says why on stderr and exits 0.
#
# To check the install path on a machine that already has chromium:
#   LONGMIX_CHROMIUM_FORCE_INSTALL=1 APT_CONFIG=FILE bash scripts/install-chromium.sh
# where FILE sets APT::Get::Simulate "true" (apt-get install -s) and, so that nothing here is
# changed, Dir::State::Lists and Dir::Cache to scratch folders; sudo drops APT_CONFIG, so do this
# as root.
set -uo pipefail
chromium=/usr/bin/chromium

skip() {
  echo "install-chromium.sh: $*; ReportChromiumTest will skip" >&2
  exit 0
}

if [ -x "$chromium" ] && [ "${LONGMIX_CHROMIUM_FORCE_INSTALL:-0}" != 1 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  skip "no apt-get (not Debian or Ubuntu); install Chromium so that $chromium exists"
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    skip "not root and no sudo; run it as root"
  fi
  if ! sudo -n true 2>/dev/null; then
    skip "not root and sudo asks for a password; run it as root or with sudo"
  fi
  as_root=(sudo -n)
fi
# sudo resets the environment, so the frontend setting goes in through env.
apt=(${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get -q)
if ! "${apt[@]}" update; then
  echo "install-chromium.sh: apt-get update failed; trying the package lists already here" >&2
fi
if ! "${apt[@]}" install -y --no-install-recommends chromium fonts-dejavu-core; then
  skip "apt-get install chromium failed (see above)"
fi
if [ ! -x "$chromium" ]; then
  # Ubuntu's chromium package only installs a snap, which containers and CI runners lack.
  skip "chromium is installed but $chromium is not there (Ubuntu's chromium is a snap)"
fi
"$chromium" --version >&2 || skip "$chromium --version failed"
