"""Drives ML Metadata (the `ml-metadata` package, SQLite backend) for the benchmark.

The harness (bench/mlmd/mlmd-process.ts) starts this script once per workload and sends
it one JSON command per line on stdin; each answer is one JSON line on stdout. It is fed
the same generated graph as our backends (a JSON-lines file written by the harness) and
answers lineage queries with node indices, so the harness can check that ML Metadata,
SQLite and Neo4j return the same node sets before it times any of them.

The same commands drive ML Metadata's client pointed at a gRPC server (Data Journey's
gRPC face, bench/phases/grpc-phase.ts): `open` with `grpc` instead of `path`.

Commands:
  {"op": "open", "path": FILE} | {"op": "open", "grpc": "HOST:PORT"}
  {"op": "supports"}                               which bulk call the store answers (a gRPC
                                                   server may answer UNIMPLEMENTED)
  {"op": "ingest", "graph": FILE, "mode": "put_execution" | "put_lineage_subgraph"}
  {"op": "record", "graph": FILE, "from": STEP, "to": STEP?}   put_execution of the steps
                                                   from STEP on, into a store that already holds the rest
  {"op": "record_concurrently", "graph": FILE, "from": STEP, "to": STEP, "clients": N}
                                                   the same from N client threads (gRPC only)
  {"op": "filter", "queries": [FILTER_QUERY], "reps": N, "collect": BOOL}
                                                   get_artifacts with each filter_query
  {"op": "lineage", "queries": [{"kind", "index", "direction", "hops"}], "reps": N, "collect": BOOL,
   "mask": "lineage" | "impact"}
  {"op": "stats"}
  {"op": "quit"}
"""

import json
import os
import resource
import sys
import threading
import time

from ml_metadata import errors
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

DIRECTIONS = {
    "UPSTREAM": pb.LineageSubgraphQueryOptions.UPSTREAM,
    "DOWNSTREAM": pb.LineageSubgraphQueryOptions.DOWNSTREAM,
}
# What our lineage query returns: the nodes in full and the events between them.
LINEAGE_MASK = ["artifacts", "executions", "events"]
# What our impact report reads besides the walk: node types and the contexts of the nodes.
IMPACT_MASK = ["artifacts", "executions", "contexts", "artifact_types", "execution_types"]
MASKS = {"lineage": LINEAGE_MASK, "impact": IMPACT_MASK}


class Workload:
    """The generated graph, as read from the harness's JSON-lines file."""

    def __init__(self, path):
        with open(path, "r", encoding="utf-8") as f:
            self.header = json.loads(f.readline())
            self.steps = [json.loads(line) for line in f if line.strip()]


class Bench:
    def __init__(self):
        self.store = None
        self.path = None
        self.client_config = None
        self.artifact_type_ids = []
        self.execution_type_ids = []
        self.context_type_ids = []
        # index -> proto (with its MLMD id once stored); MLMD id -> index
        self.artifacts = {}
        self.artifact_index = {}
        self.executions = {}
        self.execution_index = {}
        self.contexts = {}

    # ---- setup ----
    def open(self, path=None, address=None):
        if address is not None:
            host, port = address.rsplit(":", 1)
            self.client_config = pb.MetadataStoreClientConfig(host=host, port=int(port))
            self.store = metadata_store.MetadataStore(self.client_config)
            return {"ok": True}
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = path
        config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
        self.store = metadata_store.MetadataStore(config)
        self.path = path
        return {"ok": True}

    def _types(self, header):
        def put(names, bases, cls, putter):
            types = []
            for name, base in zip(names, bases):
                proto = cls(name=name)
                if base is not None:
                    proto.base_type = cls.SystemDefinedBaseType.Value(base)
                types.append(putter(proto))
            return types
        self.artifact_type_ids = put(header["artifactTypes"], header["artifactBaseTypes"], pb.ArtifactType,
                                     self.store.put_artifact_type)
        self.execution_type_ids = put(header["executionTypes"], header["executionBaseTypes"], pb.ExecutionType,
                                      self.store.put_execution_type)
        self.context_type_ids = [self.store.put_context_type(pb.ContextType(name=n)) for n in header["contextTypes"]]

    def _contexts(self, header):
        """Every context first (as TFX registers a run's contexts before its executions), then parent links."""
        types = header["contextType"]
        protos = [pb.Context(type_id=self.context_type_ids[t], name="c%d" % i) for i, t in enumerate(types)]
        for start in range(0, len(protos), 10000):
            ids = self.store.put_contexts(protos[start:start + 10000])
            for offset, cid in enumerate(ids):
                protos[start + offset].id = cid
        self.contexts = dict(enumerate(protos))
        links = [pb.ParentContext(child_id=protos[c].id, parent_id=protos[p].id)
                 for c, p in enumerate(header["contextParent"]) if p >= 0]
        for start in range(0, len(links), 10000):
            self.store.put_parent_contexts(links[start:start + 10000])

    def _artifact(self, header, index):
        """The artifact's proto: the stored one (with id) or a new one."""
        proto = self.artifacts.get(index)
        if proto is None:
            proto = pb.Artifact(
                type_id=self.artifact_type_ids[header["artifactType"][index]],
                name="a%d" % index,
                uri="bench://artifacts/%d" % index,
                state=pb.Artifact.LIVE,
            )
            self.artifacts[index] = proto
        return proto

    def _execution(self, step_index, step):
        proto = pb.Execution(type_id=self.execution_type_ids[step[0]], name="x%d" % step_index,
                             last_known_state=pb.Execution.COMPLETE)
        self.executions[step_index] = proto
        return proto

    def supports(self):
        """Whether the store answers put_lineage_subgraph (an empty one writes nothing)."""
        try:
            self.store.put_lineage_subgraph([], [], [], [])
            return {"put_lineage_subgraph": True}
        except errors.UnimplementedError:
            return {"put_lineage_subgraph": False}

    def _put_execution(self, header, x, step, store=None):
        execution = self._execution(x, step)
        pairs = []
        for kind, indices in ((pb.Event.INPUT, step[1]), (pb.Event.OUTPUT, step[2])):
            for a in indices:
                pairs.append((self._artifact(header, a), pb.Event(type=kind), a))
        contexts = [self.contexts[c] for c in step[3]]
        xid, aids, _ = (store or self.store).put_execution(execution, [(p, e) for p, e, _ in pairs], contexts)
        execution.id = xid
        self.execution_index[xid] = x
        for (proto, _, a), aid in zip(pairs, aids):
            if not proto.HasField("id"):
                proto.id = aid
                self.artifact_index[aid] = a

    def ingest(self, graph_path, mode, limit=None):
        workload = Workload(graph_path)
        header = workload.header
        steps = workload.steps if limit is None else workload.steps[:limit]
        started = time.perf_counter()
        self._types(header)
        self._contexts(header)
        if mode == "put_execution":
            for x, step in enumerate(steps):
                self._put_execution(header, x, step)
        elif mode == "put_lineage_subgraph":
            self._ingest_subgraphs(header, steps)
        else:
            raise ValueError("unknown ingest mode %r" % mode)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "steps": len(steps)}

    def record(self, graph_path, start, end=None):
        """put_execution of the steps from `start` on: the per-execution write path, on a loaded store."""
        workload = Workload(graph_path)
        times = []
        for x in range(start, len(workload.steps) if end is None else end):
            t0 = time.perf_counter()
            self._put_execution(workload.header, x, workload.steps[x])
            times.append((time.perf_counter() - t0) * 1000.0)
        return {"ms": times}

    def record_concurrently(self, graph_path, start, end, clients):
        """put_execution of steps [start, end) from `clients` threads, each with its own client.

        Threads of one process rather than processes: a step whose input an earlier step of
        the range makes must wait for that step and use the id it got, as an orchestrator
        would, so the clients share the id maps (as the GraphQL harness's clients share
        theirs); the client releases the GIL while a call is on the wire, so the threads'
        calls overlap at the server. Returns each call's milliseconds and the wall seconds.
        """
        if self.client_config is None:
            raise ValueError("record_concurrently needs a gRPC server (an in-process store has one writer)")
        workload = Workload(graph_path)
        header, steps = workload.header, workload.steps
        producer = {}
        for x in range(start, end):
            for a in steps[x][2]:
                producer[a] = x
        done = {x: threading.Event() for x in range(start, end)}
        lock = threading.Lock()
        state = {"next": start, "error": None}
        times = []

        def client():
            store = metadata_store.MetadataStore(self.client_config)
            while True:
                with lock:
                    x = state["next"]
                    if x >= end or state["error"] is not None:
                        return
                    state["next"] = x + 1
                for a in steps[x][1]:
                    p = producer.get(a)
                    if p is not None and p < x:
                        done[p].wait()
                if state["error"] is not None:
                    return
                t0 = time.perf_counter()
                try:
                    self._put_execution(header, x, steps[x], store)
                except Exception as error:  # stops the other clients; reported to the harness
                    state["error"] = error
                    for event in done.values():
                        event.set()
                    return
                ms = (time.perf_counter() - t0) * 1000.0
                with lock:
                    times.append(ms)
                done[x].set()

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if state["error"] is not None:
            raise state["error"]
        return {"ms": times, "seconds": time.perf_counter() - started}

    def filter(self, queries, reps, collect):
        """get_artifacts with each filter_query, `reps` times; the answer's artifacts as indices when collected."""
        answers = []
        for query in queries:
            options = metadata_store.ListOptions(filter_query=query)
            times = []
            found = []
            for _ in range(reps):
                t0 = time.perf_counter()
                found = self.store.get_artifacts(list_options=options)
                times.append((time.perf_counter() - t0) * 1000.0)
            answer = {"ms": times, "count": len(found)}
            if collect:
                answer["artifacts"] = sorted(self.artifact_index.get(a.id, -1) for a in found)
            answers.append(answer)
        return {"answers": answers}

    def _ingest_subgraphs(self, header, steps):
        """One put_lineage_subgraph per run of consecutive steps that share their contexts.

        put_lineage_subgraph attributes every artifact and associates every execution it is
        given with every context it is given, so a call may only span steps of the same
        contexts; inputs made by earlier calls are passed again by id, as TFX does.
        """
        group = []
        for x, step in enumerate(steps):
            if group and steps[group[0]][3] != step[3]:
                self._put_group(header, steps, group)
                group = []
            group.append(x)
        if group:
            self._put_group(header, steps, group)

    def _put_group(self, header, steps, group):
        executions = [self._execution(x, steps[x]) for x in group]
        artifact_slot = {}
        artifacts = []
        edges = []
        for ei, x in enumerate(group):
            step = steps[x]
            for kind, indices in ((pb.Event.INPUT, step[1]), (pb.Event.OUTPUT, step[2])):
                for a in indices:
                    if a not in artifact_slot:
                        artifact_slot[a] = len(artifacts)
                        artifacts.append(a)
                    edges.append((ei, artifact_slot[a], pb.Event(type=kind)))
        protos = [self._artifact(header, a) for a in artifacts]
        contexts = [self.contexts[c] for c in steps[group[0]][3]]
        xids, aids, _ = self.store.put_lineage_subgraph(executions, protos, contexts, edges)
        for x, proto, xid in zip(group, executions, xids):
            proto.id = xid
            self.execution_index[xid] = x
        for a, proto, aid in zip(artifacts, protos, aids):
            if not proto.HasField("id"):
                proto.id = aid
                self.artifact_index[aid] = a

    # ---- queries ----
    def lineage(self, queries, reps, collect, mask):
        answers = []
        for q in queries:
            options = pb.LineageSubgraphQueryOptions(max_num_hops=q["hops"], direction=DIRECTIONS[q["direction"]])
            if q["kind"] == "ARTIFACT":
                options.starting_artifacts.filter_query = "id = %d" % self.artifacts[q["index"]].id
            else:
                options.starting_executions.filter_query = "id = %d" % self.executions[q["index"]].id
            times = []
            graph = None
            for _ in range(reps):
                t0 = time.perf_counter()
                graph = self.store.get_lineage_subgraph(options, MASKS[mask])
                times.append((time.perf_counter() - t0) * 1000.0)
            answer = {"ms": times, "artifactCount": len(graph.artifacts), "executionCount": len(graph.executions),
                      "eventCount": len(graph.events)}
            if collect:
                answer["artifacts"] = sorted(self.artifact_index[a.id] for a in graph.artifacts)
                answer["executions"] = sorted(self.execution_index[e.id] for e in graph.executions)
            answers.append(answer)
        return {"answers": answers}

    def stats(self):
        size = 0
        for suffix in ("", "-journal", "-wal", "-shm") if self.path else ():
            if os.path.exists(self.path + suffix):
                size += os.path.getsize(self.path + suffix)
        # ru_maxrss is in KiB on Linux.
        return {"maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "dbBytes": size}


def main():
    bench = Bench()
    out = sys.stdout
    # ML Metadata logs through absl to stderr; stdout carries only answers.
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        op = command["op"]
        try:
            if op == "open":
                result = bench.open(command.get("path"), command.get("grpc"))
            elif op == "supports":
                result = bench.supports()
            elif op == "ingest":
                result = bench.ingest(command["graph"], command["mode"], command.get("limit"))
            elif op == "record":
                result = bench.record(command["graph"], command["from"], command.get("to"))
            elif op == "record_concurrently":
                result = bench.record_concurrently(command["graph"], command["from"], command["to"], command["clients"])
            elif op == "filter":
                result = bench.filter(command["queries"], command.get("reps", 1), command.get("collect", False))
            elif op == "lineage":
                result = bench.lineage(command["queries"], command.get("reps", 1), command.get("collect", False),
                                       command.get("mask", "lineage"))
            elif op == "stats":
                result = bench.stats()
            elif op == "quit":
                out.write(json.dumps({"ok": True}) + "\n")
                out.flush()
                return
            else:
                result = {"error": "unknown op %r" % op}
        except Exception as error:  # reported to the harness, which fails the run
            result = {"error": "%s: %s" % (type(error).__name__, error)}
            if isinstance(error, errors.StatusError):
                result["code"] = error.error_code
        out.write(json.dumps(result) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
