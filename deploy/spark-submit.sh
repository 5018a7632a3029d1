#!/usr/bin/env bash
# Runs the longmix pipeline stages on a cluster with spark-submit, from deploy/pipeline.json.
#
#   CORPUS=s3a://b/corpus ROOT=s3a://b/lm/run-1 TOKENIZER=s3a://b/tok/tokenizer.json BUDGET=5000000000 \
#   JAR=/path/to/longmix-jobs.jar deploy/spark-submit.sh [--dry-run] [STAGE ...]
#
# STAGE names select stages (default: all, in the definition's order); a stage that fails stops the
# run with its exit code (3: too many rejected records, 4: plan cannot be met; see README).
# Environment:
#   CORPUS ROOT TOKENIZER BUDGET   the placeholders of pipeline.json (required when a stage uses them)
#   JAR             the shaded job jar (default: jobs/target/longmix-jobs.jar beside this script)
#   SPARK_SUBMIT    the spark-submit command (default: spark-submit; split on spaces)
#   SPARK_MASTER    --master (default: yarn); DEPLOY_MODE: --deploy-mode (default: cluster on yarn/k8s,
#                   client otherwise)
#   LONGMIX_CONF    extra Spark settings, whitespace-separated KEY=VALUE (e.g. S3 endpoint settings);
#                   (never echoed); credentials belong in the cluster's provider chain, not here
#   PIPELINE        the definition file (default: deploy/pipeline.json)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pipeline=${PIPELINE:-$here/pipeline.json}
jar=${JAR:-$here/../jobs/target/longmix-jobs.jar}
master=${SPARK_MASTER:-yarn}
case "$master" in yarn | k8s://*) mode=${DEPLOY_MODE:-cluster} ;; *) mode=${DEPLOY_MODE:-client} ;; esac
read -r -a submit <<<"${SPARK_SUBMIT:-spark-submit}"

dry=false
if [ "${1:-}" = "--dry-run" ]; then
  dry=true
  shift
fi

# The stage names to run, one a line; then each stage's spark-submit arguments, NUL-separated
# (python3 reads the definition through render.py, the same code that writes the platform files).
py() {
  python3 - "$pipeline" "$jar" "$mode" "$@" <<'PY'
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
import render
p = render.load(sys.argv[1])
jar, mode, what, wanted = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
names = [s["name"] for s in p["stages"]]
for w in wanted:
    if w not in names:
        sys.exit("spark-submit.sh: unknown stage '%s'; stages: %s" % (w, ", ".join(names)))
if what == "names":
    print("\n".join(n for n in names if not wanted or n in wanted))
    sys.exit(0)
s = p["stages"][names.index(wanted[0])]
values = {}
for a in s["args"]:
    for k in p["placeholders"]:
        if "${" + k + "}" in a:
            if not os.environ.get(k):
                sys.exit("spark-submit.sh: stage %s needs %s set" % (s["name"], k))
            values[k] = os.environ[k]
sys.stdout.write("\0".join(render.spark_submit_args(p, s, jar=jar, deploy_mode=mode, values=values)) + "\0")
PY
}

names=$(py names "$@")
extra=()
for kv in ${LONGMIX_CONF:-}; do extra+=(--conf "$kv"); done
for name in $names; do
  args=()
  while IFS= read -r -d '' a; do args+=("$a"); done < <(py args "$name")
  [ ${#args[@]} -gt 0 ] || exit 2
  cmd=("${submit[@]}" --master "$master" "${extra[@]}" "${args[@]}")
  if $dry; then
    printf '%q ' "${cmd[@]}"
    echo
  else
    echo "[deploy] stage $name: ${submit[0]} --master $master ... ${args[*]}" >&2
    "${cmd[@]}"
  fi
done
