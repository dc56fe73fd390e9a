"""Prints, as JSON, every message, enum and method of ml_metadata.MetadataStoreService
reachable from the service, as the ml-metadata package's own descriptors define them.
test/grpc/proto-descriptors.test.ts compares our .proto files with this."""
import json

from google.protobuf import descriptor as d
from ml_metadata.proto import metadata_store_service_pb2

SCALARS = {
    getattr(d.FieldDescriptor, name): name[len('TYPE_'):].lower()
    for name in dir(d.FieldDescriptor)
    if name.startswith('TYPE_') and name not in ('TYPE_MESSAGE', 'TYPE_ENUM', 'TYPE_GROUP')
}
LABELS = {d.FieldDescriptor.LABEL_OPTIONAL: 'optional', d.FieldDescriptor.LABEL_REPEATED: 'repeated',
          d.FieldDescriptor.LABEL_REQUIRED: 'required'}


def field_of(f):
    if f.type == d.FieldDescriptor.TYPE_MESSAGE:
        kind = f.message_type.full_name
    elif f.type == d.FieldDescriptor.TYPE_ENUM:
        kind = f.enum_type.full_name
    else:
        kind = SCALARS[f.type]
    out = {'name': f.name, 'number': f.number, 'type': kind, 'label': LABELS[f.label]}
    # A real oneof only: proto3 `optional` makes synthetic ones, which MLMD (proto2) has none of.
    if f.containing_oneof is not None:
        out['oneof'] = f.containing_oneof.name
    if f.has_default_value and f.label != d.FieldDescriptor.LABEL_REPEATED:
        value = f.default_value
        out['default'] = f.enum_type.values_by_number[value].name if f.type == d.FieldDescriptor.TYPE_ENUM else value
    if f.GetOptions().packed:
        out['packed'] = True
    return out


def main():
    service = metadata_store_service_pb2.DESCRIPTOR.services_by_name['MetadataStoreService']
    messages, enums = {}, {}
    pending = []
    methods = []
    for m in service.methods:
        methods.append({'name': m.name, 'input': m.input_type.full_name, 'output': m.output_type.full_name,
                        'clientStreaming': m.client_streaming, 'serverStreaming': m.server_streaming})
        pending += [m.input_type, m.output_type]
    while pending:
        msg = pending.pop()
        if msg.full_name in messages:
            continue
        messages[msg.full_name] = {'fields': [field_of(f) for f in msg.fields]}
        for f in msg.fields:
            if f.message_type is not None:
                pending.append(f.message_type)
            if f.enum_type is not None:
                enums[f.enum_type.full_name] = {v.name: v.number for v in f.enum_type.values}
    print(json.dumps({'service': service.full_name, 'methods': methods, 'messages': messages, 'enums': enums},
                     indent=1, sort_keys=True))


if __name__ == '__main__':
    main()
