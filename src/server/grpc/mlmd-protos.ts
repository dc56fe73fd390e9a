/**
 * Where ML Metadata's .proto files live in the project, and how the gRPC server loads
 * them: field names as written (snake_case, as MLMD's clients send them), int64 as
 * decimal strings (exact past 2^53; the handlers decide what the core can hold), enums
 * by name, no defaults filled in (a handler must see what the client left unset, and
 * applies MLMD's defaults itself), and a oneof's chosen member named.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';

/** The folder imports resolve from: it holds ml_metadata/proto/*.proto. */
export const PROTO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

/** The service's file, relative to PROTO_ROOT (its name as MLMD's, so descriptors compare by name). */
export const SERVICE_PROTO = 'ml_metadata/proto/metadata_store_service.proto';

/** The full name of the service Data Journey serves. */
export const SERVICE_NAME = 'ml_metadata.MetadataStoreService';

/** proto-loader's options for the server, as the module comment explains. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, includeDirs: [PROTO_ROOT],
};

/** The package definition of MetadataStoreService, loaded from the project's .proto files. */
export function loadMlmdPackage(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(SERVICE_PROTO, LOADER_OPTIONS);
}
