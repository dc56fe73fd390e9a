// Many nodes share few contexts (a run's, a pipeline's): each is returned once, not per member.
UNWIND $ids AS id
MATCH (member:Node {id: id})<-[:ATTRIBUTION|ASSOCIATION]-(n:Context) USING INDEX SEEK member:Node(id)
WITH DISTINCT n
RETURN collect(NODE_RECORD) AS nodes
