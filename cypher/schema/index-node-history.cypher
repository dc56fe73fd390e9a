// A node's replaced records by node id: "the record of node N at T" is one seek on N's
// few records (filtered by validTo), a node's whole history the same seek.
CREATE INDEX node_history IF NOT EXISTS FOR (h:NodeHistory) ON (h.id)
