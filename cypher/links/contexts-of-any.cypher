// Many nodes share few contexts (a run's, a pipeline's): each is returned once, not per member.
UNWIND $ids AS id
MATCH (n:Node {id: id})<-[:ATTRIBUTION|ASSOCIATION]-(c:Context) USING INDEX SEEK n:Node(id)
WITH DISTINCT c
RETURN c.id AS id, labels(c) AS labels, properties(c) AS fields
