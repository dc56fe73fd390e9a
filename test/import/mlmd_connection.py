"""The ML Metadata store a test names, as the client's connection config.

STORE: a SQLite file (made if missing); mysql://user[:password]@host:port/database (ML
Metadata makes the database and its tables); or grpc://host:port, an ML Metadata gRPC
server (Data Journey's face) through the same client.
"""
from urllib.parse import unquote, urlsplit

from ml_metadata.proto import metadata_store_pb2 as pb


def connection_config(store):
    if store.startswith('grpc://'):
        url = urlsplit(store)
        return pb.MetadataStoreClientConfig(host=url.hostname, port=url.port)
    if store.startswith('mysql://'):
        url = urlsplit(store)
        config = pb.ConnectionConfig()
        config.mysql.host = url.hostname
        config.mysql.port = url.port or 3306
        config.mysql.database = url.path.lstrip('/')
        config.mysql.user = unquote(url.username or '')
        if url.password:
            config.mysql.password = unquote(url.password)
        return config
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = store
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return config
