// The arrow follows the data flow: the artifact is the source of an input-kind event and
// the target of an output-kind one. Matched directed, each event is found once by its key.
UNWIND $keys AS key
MATCH (source)-[e:EVENT {key: key}]->(target) USING INDEX SEEK e:EVENT(key)
RETURN CASE WHEN source:Artifact THEN source.id ELSE target.id END AS artifactId,
       CASE WHEN source:Artifact THEN target.id ELSE source.id END AS executionId,
       e.type AS type, e.path AS path, e.time AS time
