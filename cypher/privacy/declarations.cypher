// Only what the propagation walk needs of each node it meets: kind, type and declarations.
UNWIND $ids AS id
MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id)
RETURN id,
       CASE WHEN n:Artifact THEN 'ARTIFACT' WHEN n:Execution THEN 'EXECUTION' ELSE 'CONTEXT' END AS kind,
       n.typeId AS typeId, n.personalData AS personalData, n.privacy AS privacy
