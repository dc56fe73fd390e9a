"""Calls over mutual TLS, through ML Metadata's own client as a user configures it:
MetadataStoreClientConfig(host, port, ssl_config=SSLConfig(client_key, server_cert,
custom_ca)). Each field holds PEM text, not a path. In ml-metadata 1.17.1 the client hands
them to grpc.ssl_channel_credentials(root_certificates=custom_ca, private_key=client_key,
certificate_chain=server_cert): `server_cert` is the CLIENT's certificate (chain), sent to
the server; `custom_ca` is the CA that signed the server's certificate.

A "bearer" call cannot go through that client (it sends no metadata): it uses the gRPC
stub ML Metadata ships, on the same kind of TLS channel, with authorization metadata.

Usage: mlmd_mtls.py HOST PORT SCENARIOS.json; each scenario is {"name", "ca", "cert",
"key", "bearer", "action"} (cert/key/bearer may be null); prints {name: outcome}, an
outcome being "OK" or the MLMD error class's status name (PERMISSION_DENIED...)."""
import json
import sys

import grpc
from ml_metadata import errors, metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
from ml_metadata.proto import metadata_store_service_pb2 as svc
from ml_metadata.proto import metadata_store_service_pb2_grpc as svc_grpc

CODE_NAMES = {code.value[0]: code.name for code in grpc.StatusCode}


def read_text(path):
  with open(path, encoding='ascii') as f:
    return f.read()


def client_store(host, port, scenario):
  ssl = pb.MetadataStoreClientConfig.SSLConfig(custom_ca=read_text(scenario['ca']))
  if scenario.get('cert'):
    ssl.server_cert = read_text(scenario['cert'])
    ssl.client_key = read_text(scenario['key'])
  config = pb.MetadataStoreClientConfig(host=host, port=port, ssl_config=ssl)
  config.client_timeout_sec = 20
  return metadata_store.MetadataStore(config)


def run(host, port, scenario):
  action = scenario['action']
  if scenario.get('bearer'):
    credentials = grpc.ssl_channel_credentials(root_certificates=read_text(scenario['ca']).encode('ascii'))
    with grpc.secure_channel(f'{host}:{port}', credentials) as channel:
      stub = svc_grpc.MetadataStoreServiceStub(channel)
      metadata = [('authorization', f"Bearer {scenario['bearer']}")]
      try:
        if action == 'read':
          stub.GetArtifactTypes(svc.GetArtifactTypesRequest(), metadata=metadata, timeout=20)
        else:
          stub.PutArtifactType(svc.PutArtifactTypeRequest(artifact_type=pb.ArtifactType(name=scenario['name'])), metadata=metadata, timeout=20)
        return 'OK'
      except grpc.RpcError as e:
        return e.code().name
  store = client_store(host, port, scenario)
  try:
    if action == 'read':
      store.get_artifact_types()
    else:
      store.put_artifact_type(pb.ArtifactType(name=scenario['name']))
    return 'OK'
  except errors.StatusError as e:
    return CODE_NAMES.get(e.error_code, str(e.error_code))


def main():
  host, port, spec = sys.argv[1], int(sys.argv[2]), sys.argv[3]
  with open(spec, encoding='utf8') as f:
    scenarios = json.load(f)
  print(json.dumps({s['name']: run(host, port, s) for s in scenarios}))


if __name__ == '__main__':
  main()
