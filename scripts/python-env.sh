#!/usr/bin/env bash
# Creates .venv with the pinned Python packages the parity tests, benchmarks, notebooks and the
# loader's tests use, and installs python/ (the longmix package) into it, editable (idempotent).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(cat "$root/tools/requirements.txt" "$root/python/pyproject.toml" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
# The wheels come from the configured local mirror; do not wait on retries of an index that is not
# reachable from this network (each retry round costs ~30 s per package it lacks).
"$venv/bin/pip" install -q --retries 0 --timeout 15 -r "$root/tools/requirements.txt"
# Editable, so the notebooks' kernel and the tests import the checkout's python/ as it is now; its
# dependencies are the pins above (--no-deps), built with the pinned setuptools (no isolation, so
# nothing else is fetched).
"$venv/bin/pip" install -q --retries 0 --timeout 15 --no-deps --no-build-isolation -e "$root/python"
echo "$want" > "$stamp"
echo "python environment ready: $venv" >&2
