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
"$venv/bin/pip" install -q -r "$root/tools/requirements.txt"
echo "$want" > "$stamp"
echo "python environment ready: $venv" >&2
