CREATE INDEX type_kind IF NOT EXISTS FOR (t:Type) ON (t.kind)
