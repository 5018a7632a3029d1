#!/usr/bin/env bash
# Creates .venv with the pinned Python packages the parity tests and benchmarks use (idempotent).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$root/tools/requirements.txt" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
# The wheels come from the configured local mirror; do not wait on retries of an index that is not
# reachable from this network (each retry round costs ~30 s per package it lacks).
"$venv/bin/pip" install -q --retries 0 --timeout 15 -r "$root/tools/requirements.txt"
echo "$want" > "$stamp"
echo "python environment ready: $venv" >&2
