#!/usr/bin/env bash
# Runs the README's worked examples, in order, against a fresh server, and prints each
# command's answer: how the README's outputs were made (and how to check they still hold).
# Usage: scripts/readme-examples.sh   (needs curl and jq; dot from Graphviz for the SVG)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
# As `npm start` runs for someone trying it: development mode, a store of its own.
export NODE_ENV=development JOURNEY_SQLITE_PATH="$dir/journey.sqlite" JOURNEY_PORT=${JOURNEY_PORT:-4610} JOURNEY_LOG_LEVEL=warn
unset JOURNEY_BACKEND JOURNEY_SUBJECT_SECRET JOURNEY_HOST
URL="http://127.0.0.1:$JOURNEY_PORT/graphql"
node --import tsx src/main.ts > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$JOURNEY_PORT/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$JOURNEY_PORT/readyz" >/dev/null || { echo "the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }

KEY=
# The README's helper: gql QUERY [VARIABLES-JSON] posts one operation (with the key, once there is one).
gql() { curl -s "$URL" -H 'content-type: application/json' -H "${KEY:+Authorization: Bearer $KEY}" \
  -d "$(jq -n --arg q "$1" --argjson v "${2:-{\}}" '{query: $q, variables: $v}')"; }
say() { printf '\n### %s\n' "$1"; }

say types
gql 'mutation Types($data: ArtifactTypeInput!, $model: ArtifactTypeInput!, $clean: ExecutionTypeInput!, $train: ExecutionTypeInput!, $pipeline: ContextTypeInput!) { data: putArtifactType(input: $data) { id } model: putArtifactType(input: $model) { id } clean: putExecutionType(input: $clean) { id } train: putExecutionType(input: $train) { id } pipeline: putContextType(input: $pipeline) { id } }' '{
    "data":     { "name": "DataSet", "baseType": "DATASET", "properties": [{ "name": "rows", "type": "INT" }] },
    "model":    { "name": "Model", "baseType": "MODEL", "properties": [{ "name": "accuracy", "type": "DOUBLE" }] },
    "clean":    { "name": "Cleaner", "baseType": "TRANSFORM" },
    "train":    { "name": "Trainer", "baseType": "TRAIN" },
    "pipeline": { "name": "Pipeline" }
  }'
STEP='mutation Step($in: RecordExecutionInput!) { recordExecution(input: $in) { execution { id name } inputs { id name } outputs { id name } contexts { id name } } }'
say step1
gql "$STEP" '{ "in": {
    "execution": { "type": "Cleaner", "name": "clean-1", "lastKnownState": "COMPLETE" },
    "inputs":    [{ "artifact": { "type": "DataSet", "name": "raw", "uri": "s3://demo/raw.csv" } }],
    "outputs":   [{ "artifact": { "type": "DataSet", "name": "clean", "uri": "s3://demo/clean.csv", "properties": { "rows": 1200 } } }],
    "contexts":  [{ "type": "Pipeline", "name": "churn" }]
  } }'
say step2
gql "$STEP" '{ "in": {
    "execution": { "type": "Trainer", "name": "train-1", "lastKnownState": "COMPLETE", "customProperties": { "lr": 0.01 } },
    "inputs":    [{ "artifact": { "type": "DataSet", "name": "clean" } }],
    "outputs":   [{ "artifact": { "type": "Model", "name": "churn-model", "uri": "s3://demo/model.pkl", "properties": { "accuracy": 0.93 } } }],
    "contexts":  [{ "type": "Pipeline", "name": "churn" }]
  } }'
say step3
gql 'mutation Step($in: RecordExecutionInput!) { recordExecution(input: $in) { execution { name } } }' '{ "in": {
    "execution": { "type": "Trainer", "name": "train-2", "lastKnownState": "COMPLETE", "customProperties": { "lr": 0.05 } },
    "inputs":    [{ "artifact": { "type": "DataSet", "name": "clean" } }],
    "outputs":   [{ "artifact": { "type": "Model", "name": "churn-model-2", "uri": "s3://demo/model-2.pkl", "properties": { "accuracy": 0.95 } } }],
    "contexts":  [{ "type": "Pipeline", "name": "churn-tuned" }]
  } }'
say reuse-refused
gql "$STEP" '{ "in": {
    "execution": { "type": "Cleaner", "name": "clean-2" },
    "inputs":    [{ "artifact": { "type": "DataSet", "name": "raw", "uri": "s3://demo/raw-v2.csv" } }]
  } }'

say ids
id() { gql "{ a: $1(type: \"$2\", name: \"$3\") { id } }" | jq -r '.data.a.id'; }
RAW=$(id artifactByName DataSet raw); MODEL=$(id artifactByName Model churn-model); MODEL2=$(id artifactByName Model churn-model-2)
RUN1=$(id contextByName Pipeline churn); RUN2=$(id contextByName Pipeline churn-tuned)
echo "RAW=$RAW MODEL=$MODEL MODEL2=$MODEL2 RUN1=$RUN1 RUN2=$RUN2"

say lineage
gql 'query Lineage($model: ID!) { lineage(start: [$model], direction: UPSTREAM) { nodes { distance kind artifact { name uri } execution { name } } truncated } }' "{\"model\": \"$MODEL\"}" | jq .
say lineage-dot
gql 'query Dot($model: ID!) { lineage(start: [$model]) { dot } }' "{\"model\": \"$MODEL\"}" | jq -r .data.lineage.dot | tee "$dir/lineage.dot"
if command -v dot >/dev/null; then dot -Tsvg "$dir/lineage.dot" > docs/readme-lineage.svg; echo "(drawn into docs/readme-lineage.svg)"; fi

say impact
gql 'query Impact($raw: ID!) { impact(start: [$raw]) { modelCount artifactCount executionCount models { nodes { distance artifact { name uri } } } countsByType { kind typeName count } contexts { nodes { context { name type { name } } artifactCount executionCount } } truncated } }' "{\"raw\": \"$RAW\"}" | jq .

say path
gql 'query Why($raw: ID!, $model: ID!) { path(from: $raw, to: $model) { source target type } }' "{\"raw\": \"$RAW\", \"model\": \"$MODEL2\"}" | jq -c .

say compare
gql 'query Compare($runs: [ID!]!) { compareContexts(ids: $runs) { contexts { name } executions { type { name } executions { name } properties { name custom values differs } } inputs { type { name } artifacts { name } differs } } }' "{\"runs\": [\"$RUN1\", \"$RUN2\"]}" | jq .

say key
KEY=$(npx journey keys create --role admin --name "readme" 2>/dev/null | tail -1)
echo "(a key made: ${KEY:0:8}...)"
say no-key
curl -s "$URL" -H 'content-type: application/json' -d '{"query": "{ artifactTypes { name } }"}'
say with-key
curl -s "$URL" -H 'content-type: application/json' -H "Authorization: Bearer $KEY" -d '{"query": "{ artifactTypes { name } }"}'

say declare
gql 'mutation Declare($raw: ID!) { putArtifacts(artifacts: [{ id: $raw, type: "DataSet", personalData: { categories: ["contact", "behavioural"] } }]) { name personalDataDeclared { categories } } }' "{\"raw\": \"$RAW\"}"
say register
gql 'mutation Register($raw: ID!) { registerDataSubjects(artifactId: $raw, subjectIds: ["customer-4711"]) }' "{\"raw\": \"$RAW\"}"
say subject-lineage
gql '{ dataSubjectLineage(subjectId: "customer-4711") { found sources { name } affected { distance artifact { name } categories pseudonymized } models { artifact { name uri } } executions { name } contexts { name } } }' | jq .
say access-report
gql '{ accessReport(subjectId: "customer-4711", format: MARKDOWN) }' | jq -r .data.accessReport
say erasure
REQ=$(gql 'mutation { requestErasure(subjectId: "customer-4711", reason: "Art. 17 request, ticket 4711") { id items { artifact { id name } status } complete } }' | tee "$dir/req.json" | jq -r .data.requestErasure.id); cat "$dir/req.json"; echo
for a in $(gql "{ erasureRequest(id: \"$REQ\") { items { artifact { id } } } }" | jq -r '.data.erasureRequest.items[].artifact.id'); do
  gql 'mutation Done($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED, note: "deleted from the bucket") { complete } }' "{\"r\": \"$REQ\", \"a\": \"$a\"}" >/dev/null
done
gql "{ erasureRequest(id: \"$REQ\") { complete items { artifact { name } status note } notCovered { name } } }" | jq .
say after-erasure
gql '{ dataSubjectLineage(subjectId: "customer-4711") { found } }'
say audit
gql '{ auditLog(first: 6) { nodes { caller operation target resultCount before after } } }' | jq -c .

# ---- The command line (issue 18): journey impact, compare, subject and erasure, against this
# server, after every example above (so the outputs above are as the README shows them).
export JOURNEY_URL="$URL" JOURNEY_API_KEY="$KEY"
say cli-impact
npx journey impact DataSet/raw --format table
say cli-impact-gate
status=0
npx journey impact DataSet/raw --format markdown --fail-if-affected Model Pipeline/churn-tuned 2> "$dir/gate.err" || status=$?
cat "$dir/gate.err"; echo "(exit $status)"
say cli-impact-pass
status=0
npx journey impact Model/churn-model --fail-if-affected Model --format json > /dev/null || status=$?
echo "(exit $status)"
say cli-compare
npx journey compare Pipeline/churn Pipeline/churn-tuned --format table
say cli-subject
gql 'mutation Register($raw: ID!) { registerDataSubjects(artifactId: $raw, subjectIds: ["customer-0815"]) }' "{\"raw\": \"$RAW\"}" > /dev/null
printf '%s\n' customer-0815 | npx journey subject - --format table
say cli-erasure
printf '%s\n' customer-0815 | npx journey erasure request - --reason "ticket 815" --format json > "$dir/req2.json"
REQ2=$(jq -r .requestErasure.id "$dir/req2.json")
npx journey erasure list --format table
npx journey erasure update "$REQ2" Model/churn-model --status retrained --note "retrained without the data" --format table
say cli-viewer
VIEWER=$(npx journey keys create --role viewer --name "readme viewer" 2>/dev/null | tail -1)
status=0
JOURNEY_API_KEY=$VIEWER npx journey erasure list 2>&1 || status=$?
echo "(exit $status)"
