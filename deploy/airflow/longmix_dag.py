"""Airflow DAGs for the longmix pipeline (tokenize -> histogram -> pack), on EMR, EMR Serverless,
Dataproc and Dataproc Serverless.

The stages and their arguments are NOT written here: they are read from pipeline.json (deploy the
file beside this DAG, or set LONGMIX_PIPELINE), the same definition deploy/spark-submit.sh and the
generated platform files come from, so the DAG cannot drift from them. deploy/check_dag.py checks
that the argument lists built here equal the definition's.

Placeholders become DAG params (${CORPUS} -> {{ params.CORPUS }}), so each run can override them in
the trigger form; defaults come from Airflow Variables longmix_<name> when set, else the example.
The param SPARK_LINE (a key of pipeline.json's "lines": 4.0 or 3.5) picks the platform variant of
that Spark line where the DAG chooses one (the Dataproc Serverless runtime); JAR must then be the
jar built for that line (lines.<line>.jar), which refuses to start on another line.
Needs apache-airflow-providers-amazon and apache-airflow-providers-google.
"""
import json
import os
from datetime import datetime

from airflow import DAG
from airflow.models import Variable
from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator, EmrServerlessStartJobOperator
from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor
from airflow.providers.google.cloud.operators.dataproc import DataprocCreateBatchOperator, DataprocSubmitJobOperator

HERE = os.path.dirname(os.path.abspath(__file__))
PLATFORM_PARAMS = [
    "EMR_CLUSTER_ID",
    "EMR_SERVERLESS_APP_ID",
    "EMR_SERVERLESS_ROLE_ARN",
    "GCP_PROJECT",
    "GCP_REGION",
    "DATAPROC_CLUSTER",
    "SPARK_LINE",
]


def pipeline_path():
    if os.environ.get("LONGMIX_PIPELINE"):
        return os.environ["LONGMIX_PIPELINE"]
    for p in (os.path.join(HERE, "pipeline.json"), os.path.join(HERE, "..", "pipeline.json")):
        if os.path.exists(p):
            return p
    raise FileNotFoundError("pipeline.json not found beside the DAG; set LONGMIX_PIPELINE")


PIPELINE = json.load(open(pipeline_path(), encoding="utf-8"))
TEMPLATED = {k: "{{ params.%s }}" % k for k in list(PIPELINE["placeholders"]) + PLATFORM_PARAMS}


def by_line(field):
    """A Jinja expression picking pipeline.json's lines.<SPARK_LINE>.<field> when the DAG runs."""
    choices = {line: v[field] for line, v in PIPELINE["lines"].items()}
    return "{{ %s[params.SPARK_LINE] }}" % json.dumps(choices, sort_keys=True)


def sub(value):
    for k, v in TEMPLATED.items():
        value = value.replace("${" + k + "}", v)
    return value


def stage_args(stage):
    """The longmix command line of a stage, placeholders as Jinja params."""
    return [sub(a) for a in stage["args"]]


def spark_conf_args():
    out = []
    for k, v in PIPELINE["spark_conf"].items():
        out += ["--conf", k + "=" + v]
    return out


def spark_submit_args(stage):
    """command-runner.jar arguments: the same spark-submit line deploy/spark-submit.sh runs."""
    return (
        ["spark-submit", "--deploy-mode", "cluster", "--class", PIPELINE["main_class"]]
        + ["--name", "longmix-" + stage["name"]]
        + spark_conf_args()
        + [TEMPLATED["JAR"]]
        + stage_args(stage)
    )


def default_params():
    params = {}
    for k in list(PIPELINE["placeholders"]) + PLATFORM_PARAMS:
        try:
            params[k] = Variable.get("longmix_" + k.lower())
        except Exception:  # noqa: BLE001 - unset Variable: fall back to the example
            params[k] = PIPELINE["placeholders"].get(k, "")
    if not params["SPARK_LINE"]:
        params["SPARK_LINE"] = PIPELINE["default_line"]
    return params


def chain(tasks):
    for a, b in zip(tasks, tasks[1:]):
        a >> b


def dag(name, doc):
    return DAG(
        dag_id="longmix_" + name,
        description=doc,
        start_date=datetime(2025, 1, 1),
        schedule=None,
        catchup=False,
        params=default_params(),
        tags=["longmix"],
    )


with dag("emr", "longmix stages as EMR steps (command-runner.jar spark-submit)") as emr_dag:
    tasks = []
    for stage in PIPELINE["stages"]:
        add = EmrAddStepsOperator(
            task_id=stage["name"],
            job_flow_id=TEMPLATED["EMR_CLUSTER_ID"],
            steps=[
                {
                    "Name": "longmix-" + stage["name"],
                    "ActionOnFailure": "CANCEL_AND_WAIT",
                    "HadoopJarStep": {"Jar": "command-runner.jar", "Args": spark_submit_args(stage)},
                }
            ],
        )
        wait = EmrStepSensor(
            task_id=stage["name"] + "_done",
            job_flow_id=TEMPLATED["EMR_CLUSTER_ID"],
            step_id="{{ task_instance.xcom_pull(task_ids='%s')[0] }}" % stage["name"],
        )
        add >> wait
        tasks += [add, wait]
    chain(tasks)

with dag("emr_serverless", "longmix stages as EMR Serverless job runs") as emr_serverless_dag:
    chain(
        [
            EmrServerlessStartJobOperator(
                task_id=stage["name"],
                application_id=TEMPLATED["EMR_SERVERLESS_APP_ID"],
                execution_role_arn=TEMPLATED["EMR_SERVERLESS_ROLE_ARN"],
                name="longmix-" + stage["name"],
                job_driver={
                    "sparkSubmit": {
                        "entryPoint": TEMPLATED["JAR"],
                        "entryPointArguments": stage_args(stage),
                        "sparkSubmitParameters": " ".join(["--class", PIPELINE["main_class"]] + spark_conf_args()),
                    }
                },
                wait_for_completion=True,
            )
            for stage in PIPELINE["stages"]
        ]
    )

with dag("dataproc", "longmix stages as Dataproc Spark jobs on a cluster") as dataproc_dag:
    chain(
        [
            DataprocSubmitJobOperator(
                task_id=stage["name"],
                project_id=TEMPLATED["GCP_PROJECT"],
                region=TEMPLATED["GCP_REGION"],
                job={
                    "placement": {"cluster_name": TEMPLATED["DATAPROC_CLUSTER"]},
                    "spark_job": {
                        "main_class": PIPELINE["main_class"],
                        "jar_file_uris": [TEMPLATED["JAR"]],
                        "args": stage_args(stage),
                        "properties": dict(PIPELINE["spark_conf"]),
                    },
                },
            )
            for stage in PIPELINE["stages"]
        ]
    )

with dag("dataproc_serverless", "longmix stages as Dataproc Serverless batches") as dataproc_serverless_dag:
    chain(
        [
            DataprocCreateBatchOperator(
                task_id=stage["name"],
                project_id=TEMPLATED["GCP_PROJECT"],
                region=TEMPLATED["GCP_REGION"],
                batch_id="longmix-" + stage["name"] + "-{{ ts_nodash | lower }}",
                batch={
                    "spark_batch": {
                        "main_class": PIPELINE["main_class"],
                        "jar_file_uris": [TEMPLATED["JAR"]],
                        "args": stage_args(stage),
                    },
                    # The runtime of the Spark line (3.0: Spark 4.0; 1.2: Spark 3.5 / Scala 2.12).
                    "runtime_config": {
                        "version": by_line("dataproc_serverless_runtime"),
                        "properties": dict(PIPELINE["spark_conf"]),
                    },
                },
            )
            for stage in PIPELINE["stages"]
        ]
    )
