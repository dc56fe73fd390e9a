// key encodes (artifact, execution, event type): at most one event of a type between two nodes.
CREATE CONSTRAINT event_key IF NOT EXISTS FOR ()-[e:EVENT]-() REQUIRE e.key IS UNIQUE
