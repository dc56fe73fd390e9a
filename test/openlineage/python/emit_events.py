"""
OpenLineage's own Python client (openlineage-python, pinned in scripts/python/requirements.txt)
sending events to Data Journey's intake, as Airflow's and Spark's integrations do through it.

usage: emit_events.py <server url> <scenario> [api key]

The client's HTTP transport (HttpConfig: api_key auth, gzip) posts each event to
/api/v1/lineage. The client has no batch API: the batch scenario serialises events with the
client's own Serde and posts them as one JSON array, gzip-compressed, to /api/v1/lineage/batch.
Prints what it sent (run ids, event times) as JSON for the test to compare the graph with.
"""
import gzip
import json
import sys
from datetime import datetime, timedelta, timezone

import requests
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import error_message_run, parent_run, schema_dataset
from openlineage.client.serde import Serde
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpCompression, HttpConfig, HttpTransport
from openlineage.client.uuid import generate_new_uuid

PRODUCER = "https://github.com/data-journey/test/openlineage"
NAMESPACE = "spark-etl"
BASE = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def client(url: str, api_key: str | None) -> OpenLineageClient:
    auth = ApiKeyTokenProvider({"apiKey": api_key}) if api_key else None
    config = HttpConfig(url=url, endpoint="api/v1/lineage", timeout=30.0, compression=HttpCompression.GZIP,
                        **({"auth": auth} if auth else {}))
    return OpenLineageClient(transport=HttpTransport(config))


def at(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).isoformat()


def schema(*fields: str) -> dict:
    return {"schema": schema_dataset.SchemaDatasetFacet(
        fields=[schema_dataset.SchemaDatasetFacetFields(name=f, type="STRING") for f in fields])}


def event(state: RunState, minutes: int, run_id: str, job: str, inputs=(), outputs=(), run_facets=None) -> RunEvent:
    return RunEvent(eventType=state, eventTime=at(minutes), run=Run(runId=run_id, facets=run_facets or {}),
                    job=Job(namespace=NAMESPACE, name=job), producer=PRODUCER, inputs=list(inputs), outputs=list(outputs))


def sequences(c: OpenLineageClient) -> dict:
    """A parent run (the DAG) with two child runs: clean completes, export fails."""
    dag, clean, export = str(generate_new_uuid()), str(generate_new_uuid()), str(generate_new_uuid())
    parent = {"parent": parent_run.ParentRunFacet(run=parent_run.Run(runId=dag), job=parent_run.Job(namespace=NAMESPACE, name="users_dag"))}
    raw = InputDataset(namespace="postgres://db:5432", name="raw.users", facets=schema("id", "email", "country"))
    cleaned = OutputDataset(namespace="s3://lake", name="cleaned/users", facets=schema("id", "email_hash", "country"))
    c.emit(event(RunState.START, 0, dag, "users_dag"))
    c.emit(event(RunState.START, 1, clean, "users_dag.clean_users", [raw], [cleaned], parent))
    c.emit(event(RunState.COMPLETE, 5, clean, "users_dag.clean_users", [raw], [cleaned], parent))
    failed = {**parent, "errorMessage": error_message_run.ErrorMessageRunFacet(message="disk full", programmingLanguage="PYTHON")}
    c.emit(event(RunState.START, 6, export, "users_dag.export_users", [InputDataset(namespace="s3://lake", name="cleaned/users")], [], parent))
    c.emit(event(RunState.FAIL, 7, export, "users_dag.export_users", [InputDataset(namespace="s3://lake", name="cleaned/users")], [], failed))
    c.emit(event(RunState.COMPLETE, 8, dag, "users_dag"))
    return {"dag": dag, "clean": clean, "export": export}


def batch(url: str, api_key: str | None) -> dict:
    """Two runs of one job in one gzip-compressed batch, serialised by the client's Serde."""
    first, second = str(generate_new_uuid()), str(generate_new_uuid())
    out = lambda: OutputDataset(namespace="s3://lake", name="features/users", facets=schema("id", "f1"))
    src = lambda: InputDataset(namespace="s3://lake", name="cleaned/users")
    events = [
        event(RunState.START, 10, first, "features", [src()], [out()]),
        event(RunState.COMPLETE, 11, first, "features", [src()], [out()]),
        event(RunState.START, 20, second, "features", [src()], [out()]),
        event(RunState.COMPLETE, 21, second, "features", [src()], [out()]),
    ]
    body = gzip.compress(("[" + ",".join(Serde.to_json(e) for e in events) + "]").encode("utf-8"))
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    response = requests.post(url.rstrip("/") + "/api/v1/lineage/batch", data=body, headers=headers, timeout=30)
    return {"first": first, "second": second, "status": response.status_code}


def refused(url: str, api_key: str | None) -> dict:
    """The client's transport raises on a refusal: reports the status it got."""
    try:
        client(url, api_key).emit(event(RunState.START, 30, str(generate_new_uuid()), "refused"))
        return {"status": 200}
    except requests.HTTPError as error:
        return {"status": error.response.status_code}


if __name__ == "__main__":
    url, scenario = sys.argv[1], sys.argv[2]
    api_key = sys.argv[3] if len(sys.argv) > 3 else None
    if scenario == "sequences":
        result = sequences(client(url, api_key))
    elif scenario == "batch":
        result = batch(url, api_key)
    elif scenario == "refused":
        result = refused(url, api_key)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result))
