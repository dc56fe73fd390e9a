// A gRPC call over mutual TLS finds the keys of its client certificate by this index.
CREATE INDEX api_key_client_cert IF NOT EXISTS FOR (k:ApiKey) ON (k.clientCertSha256)
