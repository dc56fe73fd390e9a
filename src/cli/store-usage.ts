/**
 * The usage texts of the store commands (keys, import, export, migrate, backup), kept apart
 * from the commands themselves so that `journey --help` and the server commands load none
 * of the store's modules (a native SQLite binding, the Neo4j driver): each command module
 * re-exports its text from here, where it always exported it.
 */

export const KEYS_USAGE = `usage:
  journey keys create --role viewer|editor|privacy|admin --name NAME [--expires-in 30d|12h|45m | --expires-at ISO-TIME]
                     [--client-cert CERT.pem]   (the key also stands for this TLS client certificate on the gRPC port)
  journey keys list
  journey keys revoke KEY-ID        (or a prefix of it that only one key has)
  journey keys --help

The store is the server's: JOURNEY_BACKEND (sqlite or neo4j), JOURNEY_SQLITE_PATH
(default ./data/journey.sqlite, relative to the current folder), NEO4J_URI.`;

export const DVC_IMPORT_USAGE = `  journey import dvc REPO_DIR [--dry-run]

  Records a DVC project's stage runs from its dvc.yaml and dvc.lock: each run an
  execution (dvc.Stage), each dep and out a version of its path (dvc.FileVersion, by md5),
  under a context for the Git commit (dvc.Commit) when REPO_DIR is in a Git repository.
  Run it after each \`dvc repro\` and commit: a re-import adds only the new versions and
  runs. --dry-run reads the project and says what would be new, writing nothing.`;

export const IMPORT_USAGE = `  journey import mlmd FILE.sqlite [--source NAME] [--batch N] [--mapping FILE.csv] [--no-verify]
  journey import mlmd mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE [the same options]

  Imports an ML Metadata database (schema version 10: ml-metadata 1.14 to 1.21), a SQLite
  file or a MySQL/MariaDB database, into the store, then checks counts, a sample of nodes
  and of lineage against it. A re-run (same --source, by default the file's absolute path
  or the URL without its password) imports only what is new, and resumes an interrupted
  run. --mapping writes ML Metadata id -> store id per node.

${DVC_IMPORT_USAGE}`;

export const TRANSFER_USAGE = `  journey export [--out FILE.jsonl[.gz]]
  journey import jsonl FILE.jsonl[.gz]
  journey migrate --to neo4j|sqlite

  export writes the whole store (docs/export-format.md) to FILE (gzip when it ends .gz;
  written under FILE.partial and renamed when complete) or to stdout. import jsonl checks
  the whole file, then writes it into an EMPTY store with every id kept; a new SQLite file
  is written under FILE.importing and renamed when complete. migrate copies the configured
  store (JOURNEY_BACKEND) into the other backend (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD or
  JOURNEY_SQLITE_PATH), which must be empty.`;

export const BACKUP_USAGE = `  journey backup PATH [--force] [--pages-per-step N]

  Copies the SQLite store (JOURNEY_SQLITE_PATH) to PATH while the server keeps serving
  and writing: the copy is the store as of the moment the backup starts, checked with
  PRAGMA integrity_check before it is put at PATH (never a half-written file there).
  Refuses an existing PATH unless --force. --pages-per-step: pages copied between two
  turns of the event loop (default 1000; the server's writers never wait either way). Restore: stop the server, copy the backup to
  JOURNEY_SQLITE_PATH (removing any -wal and -shm beside it), start. For Neo4j, see
  docs/deploy.md (journey export, neo4j-admin).`;
