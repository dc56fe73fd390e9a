"""One pipeline run recorded the way TFX and Kubeflow Pipelines record one, written only
against ML Metadata's client: register the component types, then for each component
put_execution with its input and output artifacts, their events, and the pipeline and
run contexts; then read the run back.

It runs unchanged against ML Metadata itself or against Data Journey: only the
connection (the lines under "Connect") names the server, as README.md's "Use it from ML
Metadata's client" shows. MLMD_HOST and MLMD_PORT say where it is (default localhost:8080).
Prints what it recorded as JSON.
"""
import json

# Connect: README.md's lines, exactly.
import os
from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2

config = metadata_store_pb2.MetadataStoreClientConfig(
    host=os.environ.get("MLMD_HOST", "localhost"), port=int(os.environ.get("MLMD_PORT", "8080")))
store = metadata_store.MetadataStore(config)

PIPELINE = "chicago_taxi"
RUN = "chicago_taxi.2024-05-01T10:00:00"


def register_type(put, message, **properties):
  """Types are registered on every run; can_add_fields lets a newer component add a property."""
  for name, kind in properties.items():
    message.properties[name] = kind
  return put(message, can_add_fields=True)


examples_type = register_type(store.put_artifact_type, metadata_store_pb2.ArtifactType(name="Examples"),
                              span=metadata_store_pb2.INT, split_names=metadata_store_pb2.STRING)
model_type = register_type(store.put_artifact_type, metadata_store_pb2.ArtifactType(name="Model"))
example_gen_type = register_type(store.put_execution_type, metadata_store_pb2.ExecutionType(name="CsvExampleGen"),
                                 input_base=metadata_store_pb2.STRING)
trainer_type = register_type(store.put_execution_type, metadata_store_pb2.ExecutionType(name="Trainer"),
                             train_steps=metadata_store_pb2.INT)
pipeline_type = register_type(store.put_context_type, metadata_store_pb2.ContextType(name="pipeline"))
run_type = register_type(store.put_context_type, metadata_store_pb2.ContextType(name="pipeline_run"))


def contexts():
  """The pipeline and this run, as every component of the run gives them."""
  return [metadata_store_pb2.Context(type_id=pipeline_type, name=PIPELINE),
          metadata_store_pb2.Context(type_id=run_type, name=RUN)]


def event(kind, key):
  """An event whose path is the component's channel key and the artifact's place in it, as TFX writes."""
  return metadata_store_pb2.Event(type=kind, path=metadata_store_pb2.Event.Path(steps=[{"key": key}, {"index": 0}]))


# CsvExampleGen reads the raw CSV files and writes the Examples.
examples = metadata_store_pb2.Artifact(
    type_id=examples_type, name=f"{RUN}.CsvExampleGen.examples", uri="gs://taxi/pipeline/CsvExampleGen/examples/1",
    state=metadata_store_pb2.Artifact.LIVE,
    properties={"span": metadata_store_pb2.Value(int_value=0), "split_names": metadata_store_pb2.Value(string_value='["train", "eval"]')})
example_gen = metadata_store_pb2.Execution(
    type_id=example_gen_type, name=f"{RUN}.CsvExampleGen", last_known_state=metadata_store_pb2.Execution.COMPLETE,
    properties={"input_base": metadata_store_pb2.Value(string_value="gs://taxi/data")})
example_gen_id, [examples_id], context_ids = store.put_execution(
    example_gen, [[examples, event(metadata_store_pb2.Event.OUTPUT, "examples")]], contexts(), reuse_context_if_already_exist=True)

# Trainer reads the Examples and writes the Model; the run's contexts exist now and are
# reused. An input goes as the whole artifact with its id, as TFX holds it: a put by id replaces.
examples.id = examples_id
model = metadata_store_pb2.Artifact(
    type_id=model_type, name=f"{RUN}.Trainer.model", uri="gs://taxi/pipeline/Trainer/model/2",
    state=metadata_store_pb2.Artifact.LIVE)
trainer = metadata_store_pb2.Execution(
    type_id=trainer_type, name=f"{RUN}.Trainer", last_known_state=metadata_store_pb2.Execution.COMPLETE,
    properties={"train_steps": metadata_store_pb2.Value(int_value=10000)},
    custom_properties={"module_file": metadata_store_pb2.Value(string_value="taxi_utils.py")})
trainer_id, [_, model_id], trainer_context_ids = store.put_execution(
    trainer,
    [[examples, event(metadata_store_pb2.Event.INPUT, "examples")],
     [model, event(metadata_store_pb2.Event.OUTPUT, "model")]],
    contexts(), reuse_context_if_already_exist=True)
assert list(trainer_context_ids) == list(context_ids), "the run's contexts are reused, not made again"

# Read the run back, as a notebook or the next run's driver would.
pipeline_id, run_id = context_ids
run_artifacts = sorted(a.name for a in store.get_artifacts_by_context(run_id))
run_executions = sorted(e.name for e in store.get_executions_by_context(run_id))
found_model = store.get_artifact_by_type_and_name("Model", model.name)
# The model's provenance by events: the execution that wrote it, and what that execution read.
[made_by] = [e.execution_id for e in store.get_events_by_artifact_ids([found_model.id]) if e.type == metadata_store_pb2.Event.OUTPUT]
read = [e.artifact_id for e in store.get_events_by_execution_ids([made_by]) if e.type == metadata_store_pb2.Event.INPUT]
[producer] = store.get_executions_by_id([made_by])
inputs = store.get_artifacts_by_id(read)

print(json.dumps({
    "model_id": model_id, "examples_id": examples_id, "trainer_id": trainer_id, "example_gen_id": example_gen_id,
    "contexts": {"pipeline": pipeline_id, "run": run_id},
    "run_artifacts": run_artifacts, "run_executions": run_executions,
    "model": {"name": found_model.name, "uri": found_model.uri},
    "model_made_by": {"name": producer.name, "train_steps": producer.properties["train_steps"].int_value},
    "trainer_read": [a.name for a in inputs],
}))
