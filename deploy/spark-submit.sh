#!/usr/bin/env bash
# Runs the longmix pipeline stages on a cluster with spark-submit, from deploy/pipeline.json.
#
#   CORPUS=s3a://b/corpus ROOT=s3a://b/lm/run-1 TOKENIZER=s3a://b/tok/tokenizer.json BUDGET=5000000000 \
#   JAR=/path/to/longmix-jobs-spark4.0_2.13.jar deploy/spark-submit.sh [--dry-run] [STAGE ...]
#
# STAGE names select stages (default: all, in the definition's order); a stage that fails stops the
# run with its exit code (3: too many rejected records, 4: plan cannot be met; see README).
# Environment:
#   CORPUS ROOT TOKENIZER BUDGET   the placeholders of pipeline.json (required when a stage uses them)
#   JAR             the shaded job jar of the cluster's Spark line (default: the build's, beside this
#                   script: jobs/target/longmix-jobs-spark4.0_2.13.jar, or with LONGMIX_SPARK=3.5
#                   jobs/target/spark3.5/longmix-jobs-spark3.5_2.12.jar); a jar for another line
#                   stops at start naming both lines
#   SPARK_SUBMIT    the spark-submit command (default: spark-submit; split on spaces)
#   SPARK_MASTER    --master (default: yarn); DEPLOY_MODE: --deploy-mode (default: cluster on yarn/k8s,
#                   client otherwise)
#   LONGMIX_CONF    Spark settings, whitespace-separated KEY=VALUE (e.g. S3 endpoint settings, or
#                   smaller executors): added to the definition's spark_conf, replacing a setting of
#                   the same key (never echoed); credentials belong in the cluster's provider chain
#   PIPELINE        the definition file (default: deploy/pipeline.json)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pipeline=${PIPELINE:-$here/pipeline.json}
case "${LONGMIX_SPARK:-4.0}" in
  3.5) default_jar=$here/../jobs/target/spark3.5/longmix-jobs-spark3.5_2.12.jar ;;
  *) default_jar=$here/../jobs/target/longmix-jobs-spark4.0_2.13.jar ;;
esac
jar=${JAR:-$default_jar}
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
for kv in os.environ.get("LONGMIX_CONF", "").split():
    k, _, v = kv.partition("=")
    p["spark_conf"][k] = v
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
for name in $names; do
  args=()
  while IFS= read -r -d '' a; do args+=("$a"); done < <(py args "$name")
  [ ${#args[@]} -gt 0 ] || exit 2
  cmd=("${submit[@]}" --master "$master" "${args[@]}")
  if $dry; then
    printf '%q ' "${cmd[@]}"
    echo
  else
    # The jar and the stage's own arguments only: the settings may hold LONGMIX_CONF's secrets.
    shown=()
    for a in "${args[@]}"; do
      if [ ${#shown[@]} -gt 0 ] || [ "$a" = "$jar" ]; then shown+=("$a"); fi
    done
    echo "[deploy] stage $name: ${submit[0]} --master $master ... ${shown[*]}" >&2
    "${cmd[@]}"
  fi
done
