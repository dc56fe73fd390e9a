// ApiKey nodes carry no :Node label: they are not part of the graph and no graph query meets them.
UNWIND $rows AS row
CREATE (k:ApiKey)
SET k = row
