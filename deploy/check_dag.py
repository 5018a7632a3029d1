#!/usr/bin/env python3
"""Checks deploy/airflow/longmix_dag.py without Airflow installed: it compiles, and every operator's
argument list equals what deploy/pipeline.json defines (through render.py, which writes the other
platform files). Airflow's modules are replaced by recording stubs.

  python3 deploy/check_dag.py   # exit 0: consistent; 1: a difference, printed
"""
import json
import os
import py_compile
import re
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
DAG_FILE = os.path.join(HERE, "airflow", "longmix_dag.py")
sys.path.insert(0, HERE)
import render  # noqa: E402

CREATED = []


class Task:
    def __init__(self, **kw):
        self.kw = kw
        self.downstream = []
        CREATED.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


def operator(name):
    return type(name, (Task,), {})


class DAG:
    current = None

    def __init__(self, **kw):
        self.kw = kw
        self.tasks_before = None

    def __enter__(self):
        self.tasks_before = len(CREATED)
        return self

    def __exit__(self, *a):
        self.tasks = CREATED[self.tasks_before:]
        DAGS[self.kw["dag_id"]] = self


class Variable:
    @staticmethod
    def get(key):
        raise KeyError(key)


DAGS = {}


def stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m


stub("airflow", DAG=DAG)
stub("airflow.models", Variable=Variable)
for pkg in ["airflow.providers", "airflow.providers.amazon", "airflow.providers.amazon.aws",
            "airflow.providers.amazon.aws.operators", "airflow.providers.amazon.aws.sensors",
            "airflow.providers.google", "airflow.providers.google.cloud",
            "airflow.providers.google.cloud.operators"]:
    stub(pkg)
stub("airflow.providers.amazon.aws.operators.emr",
     EmrAddStepsOperator=operator("EmrAddStepsOperator"),
     EmrServerlessStartJobOperator=operator("EmrServerlessStartJobOperator"))
stub("airflow.providers.amazon.aws.sensors.emr", EmrStepSensor=operator("EmrStepSensor"))
stub("airflow.providers.google.cloud.operators.dataproc",
     DataprocSubmitJobOperator=operator("DataprocSubmitJobOperator"),
     DataprocCreateBatchOperator=operator("DataprocCreateBatchOperator"))


def main():
    py_compile.compile(DAG_FILE, doraise=True)
    os.environ["LONGMIX_PIPELINE"] = os.path.join(HERE, "pipeline.json")
    ns = {"__file__": DAG_FILE, "__name__": "longmix_dag"}
    exec(compile(open(DAG_FILE, encoding="utf-8").read(), DAG_FILE, "exec"), ns)

    p = render.load()
    keys = list(p["placeholders"]) + ns["PLATFORM_PARAMS"]
    jinja = {k: "{{ params.%s }}" % k for k in keys}
    stages = p["stages"]
    names = [s["name"] for s in stages]
    problems = []

    def expect(what, got, want):
        if got != want:
            problems.append("%s:\n  dag:        %s\n  definition: %s" % (what, got, want))

    def ops(dag_id, cls):
        return [t for t in DAGS[dag_id].tasks if type(t).__name__ == cls]

    emr = ops("longmix_emr", "EmrAddStepsOperator")
    expect("EMR stages", [t.kw["task_id"] for t in emr], names)
    for t, s in zip(emr, stages):
        step = t.kw["steps"][0]
        want = ["spark-submit"] + render.spark_submit_args(p, s, jar=jinja["JAR"], values=jinja)
        expect("EMR step " + s["name"], step["HadoopJarStep"]["Args"], want)
        expect("EMR step jar " + s["name"], step["HadoopJarStep"]["Jar"], "command-runner.jar")
        # The generated steps.json holds the same line with the literal placeholders.
        gen = [g for g in render.emr_steps(p)["Steps"] if g["Name"] == step["Name"]][0]
        expect("EMR step vs emr/steps.json " + s["name"],
               [render.substitute(a, jinja) for a in gen["HadoopJarStep"]["Args"]], want)

    for s, t in zip(stages, ops("longmix_emr_serverless", "EmrServerlessStartJobOperator")):
        d = t.kw["job_driver"]["sparkSubmit"]
        g = render.emr_serverless_job(p, s)["jobDriver"]["sparkSubmit"]
        expect("EMR Serverless args " + s["name"], d["entryPointArguments"], render.stage_args(s, jinja))
        expect("EMR Serverless params " + s["name"], d["sparkSubmitParameters"], g["sparkSubmitParameters"])
    expect("EMR Serverless stages",
           [t.kw["task_id"] for t in ops("longmix_emr_serverless", "EmrServerlessStartJobOperator")], names)

    for s, t in zip(stages, ops("longmix_dataproc", "DataprocSubmitJobOperator")):
        j = t.kw["job"]["spark_job"]
        g = render.dataproc_job(p, s)["sparkJob"]
        expect("Dataproc args " + s["name"], j["args"], render.stage_args(s, jinja))
        expect("Dataproc properties " + s["name"], j["properties"], g["properties"])
        expect("Dataproc main class " + s["name"], j["main_class"], g["mainClass"])
    expect("Dataproc stages",
           [t.kw["task_id"] for t in ops("longmix_dataproc", "DataprocSubmitJobOperator")], names)

    for s, t in zip(stages, ops("longmix_dataproc_serverless", "DataprocCreateBatchOperator")):
        b = t.kw["batch"]
        expect("Dataproc batch args " + s["name"], b["spark_batch"]["args"], render.stage_args(s, jinja))
        # The runtime is picked by the SPARK_LINE param: for every line, the expression's choice is
        # the runtime of that line's generated batch file.
        expr = b["runtime_config"]["version"]
        m = re.fullmatch(r"\{\{ (\{.*\})\[params\.SPARK_LINE\] \}\}", expr)
        if not m:
            problems.append("Dataproc batch runtime %s: not picked by params.SPARK_LINE: %s" % (s["name"], expr))
            continue
        choices = json.loads(m.group(1))
        expect("Dataproc batch lines " + s["name"], sorted(choices), sorted(p["lines"]))
        for line in p["lines"]:
            g = render.dataproc_batch(p, s, line)
            expect("Dataproc batch runtime %s on Spark %s" % (s["name"], line), choices.get(line),
                   g["runtimeConfig"]["version"])
            expect("Dataproc batch properties " + s["name"], b["runtime_config"]["properties"],
                   g["runtimeConfig"]["properties"])

    for dag_id, d in DAGS.items():
        expect(dag_id + " SPARK_LINE default", d.kw["params"].get("SPARK_LINE"), p["default_line"])
    expect("Dataproc Serverless stages",
           [t.kw["task_id"] for t in ops("longmix_dataproc_serverless", "DataprocCreateBatchOperator")], names)

    # Stages run in the definition's order: each task's downstream is the next stage.
    for dag_id in ["longmix_emr_serverless", "longmix_dataproc", "longmix_dataproc_serverless"]:
        ts = DAGS[dag_id].tasks
        for a, b in zip(ts, ts[1:]):
            expect(dag_id + " order " + a.kw["task_id"], a.downstream, [b])

    if problems:
        print("deploy/airflow/longmix_dag.py disagrees with deploy/pipeline.json:")
        print("\n".join(problems))
        return 1
    print("longmix_dag.py: compiles; %d DAGs; stages %s; arguments equal pipeline.json" % (len(DAGS), names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
