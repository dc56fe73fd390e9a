// How many subjects each artifact holds records of; an id that is no artifact has no row.
UNWIND $ids AS id
MATCH (a:Node:Artifact {id: id}) USING INDEX SEEK a:Node(id)
RETURN id, COUNT { (a)-[:HOLDS_RECORDS_OF]->(:DataSubject) } AS registrations
